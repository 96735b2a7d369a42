"""Which store a command asked for, and opening a PostGIS one so a wrong URL fails early."""

from __future__ import annotations

import os

from regionmap.stores._base import STORE_ENV
from regionmap.stores._postgis import PostgisStore


def store_url(given: str | None = None) -> str | None:
    """The store asked for: ``given`` (``--store``), else ``$REGIONMAP_STORE``, else None."""
    return given or os.environ.get(STORE_ENV) or None


def open_postgis(url: str, check: bool = True) -> PostgisStore:
    """A `PostgisStore` for ``url``; with ``check`` it is reached once now, so a wrong URL
    or a missing PostGIS fails here in one line (`StoreError`, password masked)."""
    store = PostgisStore(url)
    if check:
        store.check()
    return store
