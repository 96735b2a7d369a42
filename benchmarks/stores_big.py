"""The stores at ten million events, without a 25-minute import: PostGIS grown inside
PostgreSQL from the imported file's rows, DuckDB's Parquet written a million rows at a
time. Run by benchmarks/stores.py (``--pg-rows``, ``--duck-rows``); see its docstring."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import pandas as pd

from benchmarks.stores import REGION, peak_mb, rss_mb, timed


def write_big_parquet(path: Path, rows: int, catalog, chunk: int = 1_000_000) -> float:
    """A validated events Parquet of ``rows`` synthetic ACLED events, as the DuckDB store
    keeps one, made ``chunk`` rows at a time (each chunk its own seed and ids, validated
    through `regionmap.events.read_events`), then put in date order by DuckDB (spilling
    to disk beside ``path``), so no process holds the whole file. Returns seconds."""
    import duckdb
    import pyarrow as pa
    import pyarrow.parquet as pq

    from regionmap._synthetic import synthetic_events
    from regionmap.events import read_events

    t0 = time.perf_counter()
    unsorted = path.with_suffix(".unsorted.parquet")
    writer = None
    for i, begin in enumerate(range(0, rows, chunk)):
        frame = synthetic_events(min(chunk, rows - begin), catalog, seed=100 + i)
        frame["event_id_cnty"] = f"C{i}-" + frame["event_id_cnty"]
        csv = path.with_suffix(f".{i}.csv")
        frame.to_csv(csv, index=False)
        del frame
        events = read_events(csv, catalog).frame
        csv.unlink()
        for column in events.columns:
            if isinstance(events[column].dtype, pd.CategoricalDtype):
                events[column] = events[column].astype(str)
        table = pa.Table.from_pandas(events, preserve_index=False)
        del events
        if writer is None:
            writer = pq.ParquetWriter(unsorted, table.schema)
        writer.write_table(table.cast(writer.schema))
        print(f"  chunk {i + 1}: {begin + table.num_rows:,} rows", file=sys.stderr)
    writer.close()
    con = duckdb.connect(config={"memory_limit": "1GB", "threads": 2,
                                 "temp_directory": str(path.parent / "duck-spill")})  # fmt: skip
    con.execute(
        f"COPY (SELECT * FROM read_parquet('{unsorted}') ORDER BY \"start\", event_id) "
        f"TO '{path}' (FORMAT parquet)"
    )
    con.close()
    unsorted.unlink()
    return time.perf_counter() - t0


def big_duck_child(parquet: str) -> dict:
    """The DuckDB store opened on the 10M Parquet and asked what a dashboard asks for the
    "2020 war" over the region: count, grid, the first 5,000 light rows, 1,000 complete
    rows; then the same for every event. Peak memory is this process's (VmHWM)."""
    import regionmap
    from regionmap._dataset import LIGHT_COLUMNS
    from regionmap.web import cell_size_deg

    out: dict = {"engine": "duckdb-10m", "rss_start_mb": rss_mb()}
    t0 = time.perf_counter()
    store = regionmap.DuckStore(parquet)
    out["rows"] = store.count()
    out["open_s"] = time.perf_counter() - t0
    cell = cell_size_deg(5)
    war = regionmap.EventFilter(start=dt.date(2020, 9, 27), end=dt.date(2020, 11, 10), bbox=REGION)
    for name, f in (("war", war), ("all", regionmap.EventFilter(bbox=REGION))):
        out[f"{name}_count_s"], out[f"{name}_rows"] = timed(lambda f=f: store.count(f), 3)
        out[f"{name}_grid_s"], _ = timed(lambda f=f: store.grid_parts(f, cell), 3)
        out[f"{name}_light_s"], light = timed(
            lambda f=f: store.query(f, LIGHT_COLUMNS, limit=5000), 3
        )
        first = light.head(1000)
        days = (first["start"].min(), first["start"].max())
        out[f"{name}_rows1000_s"], _ = timed(
            lambda ids=first["event_id"], days=days: store.rows(ids, days), 3
        )
    out["choices_s"], _ = timed(store.choices, 1)
    out["rss_mb"] = rss_mb()
    out["peak_mb"] = peak_mb()
    return out


# ---------------------------------------------------------------- PostGIS at 10M


def grow_in_sql(store, rows: int) -> dict:
    """The store's synthetic ACLED rows copied inside PostgreSQL under new ids until it
    holds ``rows`` events: copy k moves every day by k × 733 days around the generator's
    20 years (so days stay uniform over them and no copy repeats another's day and place);
    positions, types, actors and notes as generated. The copies go in date order, as
    `PostgisStore.upsert` writes an import. A benchmark fixture, not an import: the
    indexes are dropped for the copy and built after (`store.init`), each timed."""
    from regionmap._synthetic import DAYS, START
    from regionmap.stores._base import FULL_COLUMNS, quote
    from regionmap.stores._pgsql import EVENTS, INDEXES

    out: dict = {}
    with store._cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {EVENTS} WHERE origin = 'acled'")
        base = cur.fetchone()[0]
        copies = -(-(rows - store.count()) // base)
        for statement in INDEXES:
            cur.execute(f"DROP INDEX IF EXISTS {statement.split()[5]}")
        moved = f"(date '{START}' + mod((\"start\" - date '{START}') + k * 733, {DAYS}))"
        values = {
            "event_id": "'R' || k || '-' || event_id",
            "start": moved,
            "end": f'{moved} + ("end" - "start")',
        }
        names = [*FULL_COLUMNS, "extra", "geom"]
        select = ", ".join(values.get(c, quote(c)) for c in names)
        t0 = time.perf_counter()
        cur.execute(
            f"INSERT INTO {EVENTS} (origin, {', '.join(quote(c) for c in names)}) "
            f"SELECT origin, {select} FROM {EVENTS}, generate_series(1, %s) AS k "
            f"WHERE origin = 'acled' AND event_id NOT LIKE 'R%%' ORDER BY {moved}",
            (copies,),
        )
        out["sql_copy_rows"] = cur.rowcount
        out["sql_copy_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    store.init()
    out["index_build_s"] = time.perf_counter() - t0
    with store._cursor() as cur:
        cur.execute(f"VACUUM ANALYZE {EVENTS}")
        cur.execute(f"SELECT pg_total_relation_size('{EVENTS}')")
        out["big_table_mb"] = cur.fetchone()[0] / 1e6
    out["big_rows"] = store.count()
    return out
