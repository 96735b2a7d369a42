"""Counts per grid cell and start day in SQL, for playback's space–time cube.

Kept apart from the stores' classes on purpose: one query, the same for DuckDB and
PostGIS, that `regionmap.web.event_cube` turns into counts per cell per frame. The rows
are those `regionmap.web.cell_days` makes from a pandas frame (tests compare them).
"""

from __future__ import annotations

import pandas as pd

from regionmap.events import EventFilter
from regionmap.stores._base import where_sql
from regionmap.stores._duck import DuckStore
from regionmap.stores._pgsql import DAYS, EVENTS, SPATIAL
from regionmap.stores._postgis import PostgisStore


def cell_days_sql(source: str, where: str, mark: str) -> str:
    """Per grid cell and start day: ``ix``, ``iy`` (``floor(longitude / size)``,
    ``floor(latitude / size)``, as `grid_parts_sql`), ``day`` (whole days since
    1970-01-01) and ``n``, ordered by ix, iy, day. The first two placeholders are the cell
    size in degrees; then ``where``'s."""
    return f"""
        SELECT CAST(floor(longitude / {mark}) AS BIGINT) AS ix,
               CAST(floor(latitude / {mark}) AS BIGINT) AS iy,
               CAST(CAST("start" AS DATE) - DATE '1970-01-01' AS BIGINT) AS day,
               count(*) AS n
        FROM {source} WHERE {where}
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    """


def store_cell_days(store: DuckStore | PostgisStore, f: EventFilter, size: float) -> pd.DataFrame:
    """The events ``f`` keeps in ``store``, counted per cell of ``size`` degrees and start
    day (`cell_days_sql`), as int64 columns ``ix``, ``iy``, ``day``, ``n``.

    Raises `regionmap.stores.StoreError` as the store's other queries do."""
    columns = ["ix", "iy", "day", "n"]
    if isinstance(store, DuckStore):
        where, params = where_sql(f, "?")
        sql = cell_days_sql(store._relation, where, "?")
        frame = store._run(sql, [size, size, *params]).to_pandas()
    else:
        where, params = where_sql(f, "%s", SPATIAL, DAYS)
        with store._cursor() as cur:
            cur.execute(cell_days_sql(EVENTS, where, "%s"), [size, size, *params])
            frame = pd.DataFrame.from_records(cur.fetchall(), columns=columns)
    return frame.astype(dict.fromkeys(columns, "int64"))[columns]
