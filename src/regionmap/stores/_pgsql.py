"""The shared store's tables and the conversions between them and pandas frames.

Kept apart from `regionmap.stores._postgis` (the connection and the queries) so the schema
and the COPY text format can be read in one place.
"""

from __future__ import annotations

import io

import pandas as pd

from regionmap.events import COLUMNS, compact
from regionmap.stores._base import FULL_COLUMNS, TEXT_COLUMNS, quote

EVENTS = "regionmap_events"
FILES = "regionmap_files"
SCHEMA_VERSION = 1
IMPORT_CHUNK = 50_000
CONNECT_TIMEOUT_S = 10
WORK_MEM = "64MB"  # per sort or bitmap of one query; a dashboard runs one at a time

_TYPES = {
    "latitude": "double precision NOT NULL",
    "longitude": "double precision NOT NULL",
    "time_precision": "smallint NOT NULL",
    "geo_precision": "smallint NOT NULL",
    "fatalities": "integer",
    "start": "date NOT NULL",
    "end": "date NOT NULL",
    "is_span": "boolean NOT NULL",
}
_TEXT = "text NOT NULL DEFAULT ''"
SPATIAL = "geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326)"
# One GiST over days, then place: a window, with or without a bounding box, is one index
# scan. Days first: a dashboard's filter is nearly always a window and its map's bounds,
# often most of the region, where a place-first index scanned most of its pages (at 1M:
# the 2020 war 20-50 ms days first, 130-220 ms place first; window + type + small box
# 40-80 ms either way). Ids have their own index: the curated events are looked up by id
# on every rerun (`known`), and the primary key starts with the origin.
DAYS = "daterange(\"start\", \"end\", '[]') && daterange(%s::date, %s::date, '[]')"
INDEXES = (
    f"CREATE INDEX IF NOT EXISTS {EVENTS}_days_geom ON {EVENTS} "
    'USING gist (daterange("start", "end", \'[]\'), geom)',
    f'CREATE INDEX IF NOT EXISTS {EVENTS}_start ON {EVENTS} ("start")',  # oldest first
    f"CREATE INDEX IF NOT EXISTS {EVENTS}_event_id ON {EVENTS} (event_id)",
)


def ddl() -> list[str]:
    columns = ",\n".join(f"  {quote(c)} {_TYPES.get(c, _TEXT)}" for c in FULL_COLUMNS)
    return [
        "CREATE EXTENSION IF NOT EXISTS postgis",
        f"""CREATE TABLE IF NOT EXISTS {EVENTS} (
  origin text NOT NULL,
{columns},
  extra jsonb NOT NULL DEFAULT '{{}}',
  geom geometry(Point, 4326) NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (origin, event_id)
)""",
        *INDEXES,
        # indexes of earlier versions: the planner ANDed their bitmaps with the GiST's
        # (a window took 130-220 ms at 1M with them, 20-50 ms without)
        *(f"DROP INDEX IF EXISTS {EVENTS}_{name}" for name in ("geom_days", "end", "type")),
        f"""CREATE TABLE IF NOT EXISTS {FILES} (
  name text PRIMARY KEY,
  digest text NOT NULL,
  data bytea NOT NULL,
  saved_at timestamptz NOT NULL DEFAULT now()
)""",
        """CREATE TABLE IF NOT EXISTS regionmap_meta (key text PRIMARY KEY, value text NOT NULL)""",
        f"""INSERT INTO regionmap_meta VALUES ('schema_version', '{SCHEMA_VERSION}')
            ON CONFLICT (key) DO NOTHING""",
    ]


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def copy_text(part: pd.DataFrame, extras: list[str]) -> bytes:
    """Rows as CSV in the staging table's column order (Arrow's writer: pandas' to_csv
    took 30 times as long): days as YYYY-MM-DD, missing numbers empty (NULL)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    out = pd.DataFrame(index=part.index)
    for column in FULL_COLUMNS:
        values = part.get(column, "")
        if column in ("start", "end"):
            values = pd.to_datetime(values).to_numpy().astype("datetime64[D]")
        out[column] = values
    if extras:
        out["extra"] = part[extras].astype(str).to_json(orient="records", lines=True).splitlines()
    else:
        out["extra"] = "{}"
    buffer = io.BytesIO()
    table = pa.Table.from_pandas(out, preserve_index=False)
    pacsv.write_csv(table, buffer, pacsv.WriteOptions(include_header=False))
    return buffer.getvalue()


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Types as the pandas store has them."""
    for column in ("start", "end"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
    for column in ("latitude", "longitude"):
        if column in frame:
            frame[column] = frame[column].astype(float)
    for column in ("time_precision", "geo_precision"):
        if column in frame:
            frame[column] = frame[column].astype(int)
    if "fatalities" in frame:
        frame["fatalities"] = frame["fatalities"].astype("Int64")
    if "is_span" in frame:
        frame["is_span"] = (
            frame["is_span"]
            .map(lambda v: v if isinstance(v, bool) else str(v).lower() in ("t", "true"))
            .astype(bool)
        )
    for column in TEXT_COLUMNS:
        if column in frame:
            frame[column] = frame[column].fillna("").astype(str)
    order = [c for c in COLUMNS if c in frame] + [c for c in frame if c not in COLUMNS]
    return compact(frame[order])
