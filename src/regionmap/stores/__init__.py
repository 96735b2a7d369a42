"""Event stores that answer the filters in SQL: DuckDB over a Parquet copy (one machine,
large files) and PostgreSQL + PostGIS (a team); `regionmap.stores._kept` keeps a user's files
in the shared store. Both return what
`regionmap.events.apply_filter` returns for the same rows, pinned by tests."""

from __future__ import annotations

import os

from regionmap.stores._base import STORE_ENV, StoreError, mask_url
from regionmap.stores._duck import DuckStore
from regionmap.stores._postgis import PostgisStore, is_postgres_url

EventQueries = DuckStore | PostgisStore


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


__all__ = [
    "STORE_ENV",
    "DuckStore",
    "EventQueries",
    "PostgisStore",
    "StoreError",
    "is_postgres_url",
    "mask_url",
    "open_postgis",
    "store_url",
]
