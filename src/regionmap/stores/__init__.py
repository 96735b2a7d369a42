"""Event stores that answer the filters in SQL: DuckDB over a Parquet copy (one machine,
large files) and PostgreSQL + PostGIS (a team); `regionmap.stores._kept` keeps a user's files
in the shared store. Both return what
`regionmap.events.apply_filter` returns for the same rows, pinned by tests."""

from __future__ import annotations

from regionmap.stores._acled import (
    ACLED_COUNTRIES,
    ACLED_PAGE_ROWS,
    AcledClient,
    AcledError,
    acled_rows_csv,
    refresh_acled_file,
)
from regionmap.stores._base import STORE_ENV, StoreError, mask_url
from regionmap.stores._cube import cell_days_sql, store_cell_days
from regionmap.stores._duck import DuckStore
from regionmap.stores._open import open_postgis, store_url
from regionmap.stores._postgis import PostgisStore, is_postgres_url, origin_of

EventQueries = DuckStore | PostgisStore


__all__ = [
    "ACLED_COUNTRIES",
    "ACLED_PAGE_ROWS",
    "STORE_ENV",
    "AcledClient",
    "AcledError",
    "DuckStore",
    "EventQueries",
    "PostgisStore",
    "StoreError",
    "acled_rows_csv",
    "cell_days_sql",
    "is_postgres_url",
    "mask_url",
    "open_postgis",
    "origin_of",
    "refresh_acled_file",
    "store_cell_days",
    "store_url",
]
