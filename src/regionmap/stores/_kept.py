"""Files a user chose to keep: in the shared store when there is one, else in the user
data folder (`regionmap._userdata.user_data_dir`). The dashboard calls only these."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Mapping

from regionmap._userdata import safe_name, save_user_file, saved_user_files
from regionmap.stores._postgis import PostgisStore


def is_shared(store: object) -> bool:
    """Whether ``store`` keeps files for every dashboard on it (a PostGIS store)."""
    return isinstance(store, PostgisStore)


def kept_user_files(
    store: object = None, known: Mapping[str, bytes] | None = None
) -> dict[str, bytes]:
    """The kept files by name, oldest first: the shared store's, or the local folder's.

    ``known`` (what a session holds already) saves fetching unchanged files again."""
    if is_shared(store):
        return store.saved_files(dict(known or {}))
    return {p.name: p.read_bytes() for p in saved_user_files()}


def keep_user_file(data: bytes, name: str, store: object = None) -> str:
    """Keep ``data`` as ``name`` (made safe) for later sessions; returns the name kept.

    Either way a kept file never overwrites another (a different file of the same name
    becomes "name (2).ext"); in a shared store every dashboard on it shows the file after
    its next rerun."""
    if is_shared(store):
        digest = hashlib.sha256(data).hexdigest()
        taken = store.file_digests()
        stem, suffix = os.path.splitext(safe_name(name))
        candidate, n = stem + suffix, 1
        while candidate in taken and taken[candidate] != digest:
            n += 1
            candidate = f"{stem} ({n}){suffix}"
        if candidate not in taken:
            store.save_file(candidate, data)
        return candidate
    return save_user_file(data, name).name


def forget_user_file(name: str, store: object = None) -> None:
    """Stop keeping ``name`` (nothing happens if it was not kept)."""
    if is_shared(store):
        store.remove_file(name)
        return
    for path in saved_user_files():
        if path.name == name:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
