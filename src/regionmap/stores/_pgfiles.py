"""Files users chose to keep, in the shared store: every dashboard on it sees them."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from regionmap.stores._pgsql import FILES


class KeptFiles:
    """The kept-files half of `regionmap.stores._postgis.PostgisStore` (layers or events CSVs,
    as uploaded, by name with their SHA-256)."""

    _cursor: Callable[[], AbstractContextManager[Any]]

    def save_file(self, name: str, data: bytes) -> None:
        """Keep a user's file (a layer or an events CSV) under ``name``, replacing one of
        the same name; every dashboard on this store sees it on its next rerun."""
        digest = hashlib.sha256(data).hexdigest()
        with self._cursor() as cur:
            cur.execute(
                f"INSERT INTO {FILES} (name, digest, data) VALUES (%s, %s, %s) "
                "ON CONFLICT (name) DO UPDATE SET digest = EXCLUDED.digest, "
                "data = EXCLUDED.data, saved_at = now()",
                (name, digest, data),
            )

    def file_digests(self) -> dict[str, str]:
        """Names and SHA-256 digests of the kept files, oldest first (a cheap query)."""
        with self._cursor() as cur:
            cur.execute(f"SELECT name, digest FROM {FILES} ORDER BY saved_at, name")
            return dict(cur.fetchall())

    def saved_files(self, known: dict[str, bytes] | None = None) -> dict[str, bytes]:
        """The kept files by name, oldest first. Files in ``known`` with the same bytes are
        not fetched again."""
        known = known or {}
        digests = self.file_digests()
        missing = [
            n
            for n, d in digests.items()
            if n not in known or hashlib.sha256(known[n]).hexdigest() != d
        ]
        fetched: dict[str, bytes] = {}
        if missing:
            with self._cursor() as cur:
                cur.execute(f"SELECT name, data FROM {FILES} WHERE name = ANY(%s)", (missing,))
                fetched = {n: bytes(d) for n, d in cur.fetchall()}
        return {n: fetched.get(n, known.get(n, b"")) for n in digests if n in fetched or n in known}

    def remove_file(self, name: str) -> None:
        with self._cursor() as cur:
            cur.execute(f"DELETE FROM {FILES} WHERE name = %s", (name,))
