"""What every SQL event store shares: the filter as SQL, grid counts as SQL, masked URLs.

`regionmap.events.apply_filter` is the reference: the SQL here keeps exactly the rows it
keeps. Events are intervals [start, end] (dates, both inclusive); a window keeps an event
whose interval overlaps it. A bounding box is (west, south, east, north) in degrees, EPSG:4326,
longitude first, boundaries inclusive, and empty when west > east or south > north.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from collections.abc import Sequence

import pandas as pd

from regionmap._errors import RegionmapError
from regionmap._settings import setting
from regionmap.events import COLUMNS, EventFilter

NO_FILTER = EventFilter()  # keeps everything
STORE_ENV = setting("REGIONMAP_STORE").name  # a postgresql:// URL, or "duckdb"

# Columns a store returns for a full row, in the order of the pandas frames.
FULL_COLUMNS = (*COLUMNS, "start", "end", "is_span")
TEXT_COLUMNS = tuple(
    c
    for c in COLUMNS
    if c not in ("latitude", "longitude", "time_precision", "geo_precision", "fatalities")
)


class StoreError(RegionmapError):
    """A store cannot be reached or used; the message never holds a password."""


def mask_url(url: str) -> str:
    """``url`` with any password replaced by ``***`` (in the user part and in a
    ``password=`` query parameter), safe to print or log.

    >>> mask_url("postgresql://ana:s3cret@db.example:5432/events?sslmode=require")
    'postgresql://ana:***@db.example:5432/events?sslmode=require'
    """
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "<unreadable store URL>"
    netloc = parts.netloc
    if "@" in netloc:
        user, _, host = netloc.rpartition("@")
        if ":" in user:
            user = user.split(":", 1)[0] + ":***"
        netloc = f"{user}@{host}"
    query = re.sub(r"(?i)(password=)[^&]*", r"\1***", parts.query)
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def scrub(text: str, url: str) -> str:
    """A driver's message with the URL's password (if it appears) replaced by ``***``."""
    try:
        secret = urllib.parse.urlsplit(url).password
    except ValueError:
        secret = None
    out = text.replace(url, mask_url(url))
    return out.replace(secret, "***") if secret else out


def quote(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def where_sql(f: EventFilter, mark: str, spatial: str = "", days: str = "") -> tuple[str, list]:
    """The filter ``f`` as a SQL condition and its parameters.

    Parameters
    ----------
    f : EventFilter
        Dates are whole days; empty fields keep everything.
    mark : str
        The driver's placeholder: ``"?"`` (DuckDB) or ``"%s"`` (psycopg).
    spatial : str
        An extra condition for the bounding box that can use an index, with four
        placeholders for west, south, east, north (PostGIS: ``geom && ST_MakeEnvelope``).
        The plain longitude/latitude comparison is always added too, so that every engine
        keeps the same rows (a box with west > east keeps nothing).
    days : str
        Likewise for the window: a condition with two placeholders (first and last day,
        either may be None for open) that an index on the events' day ranges can use
        (PostGIS: ``daterange("start", "end", '[]') && daterange(%s, %s, '[]')``). It
        replaces the plain comparisons on start and end, which keep the same rows (both
        ends inclusive, None open): beside it, the planner ANDed their B-tree bitmaps in.

    Returns
    -------
    (str, list)
        ``"TRUE"`` or conditions joined by AND, and the values in placeholder order.
    """
    parts: list[str] = []
    params: list = []
    if days and (f.start is not None or f.end is not None):
        parts.append(days)
        params.extend([f.start, f.end])
    else:
        if f.start is not None:
            parts.append(f'"end" >= {mark}')
            params.append(day(f.start))
        if f.end is not None:
            parts.append(f'"start" <= {mark}')
            params.append(day(f.end))

    def one_of(column: str, values: Sequence[str]) -> str:
        params.extend(str(v) for v in values)
        return f"{quote(column)} IN ({', '.join([mark] * len(values))})"

    if f.event_types:
        parts.append(one_of("event_type", f.event_types))
    if f.actors:
        parts.append(f"({one_of('actor1', f.actors)} OR {one_of('actor2', f.actors)})")
    if f.theatres:
        parts.append(one_of("theatre", f.theatres))
    if f.bbox is not None:
        w, s, e, n = (float(v) for v in f.bbox)
        if spatial:
            parts.append(spatial)
            params.extend([w, s, e, n])
        parts.append(
            f"longitude >= {mark} AND longitude <= {mark} "
            f"AND latitude >= {mark} AND latitude <= {mark}"
        )
        params.extend([w, e, s, n])
    return (" AND ".join(parts) or "TRUE"), params


def day(value: dt.date) -> dt.datetime:
    """Midnight of a day (or of a timestamp's day): the frames' starts and ends are
    midnights too."""
    return dt.datetime(value.year, value.month, value.day)


def grid_sql(source: str, where: str, mark: str, collate: str = "") -> str:
    """Counts per grid cell in SQL, as `regionmap.web.aggregate_events` counts them.

    One row per non-empty cell, ordered by cell column then row: ``count``, ``lon`` and
    ``lat`` (the mean position of the cell's events, degrees) and ``type`` (the most
    frequent event type; ties go to the first by name). The first placeholder is the cell
    size in degrees (`regionmap.web.cell_size_deg`), used twice; then ``where``'s.
    """
    return f"""
        WITH cells AS (
            SELECT floor(longitude / {mark}) AS ix, floor(latitude / {mark}) AS iy,
                   event_type, count(*) AS n, sum(longitude) AS slon, sum(latitude) AS slat
            FROM {source} WHERE {where}
            GROUP BY 1, 2, 3
        )
        SELECT sum(n) AS count, sum(slon) / sum(n) AS lon, sum(slat) / sum(n) AS lat,
               (array_agg(event_type ORDER BY n DESC, event_type {collate}))[1] AS type
        FROM cells GROUP BY ix, iy ORDER BY ix, iy
    """


def grid_parts_sql(source: str, where: str, mark: str) -> str:
    """Per grid cell and event type: ``ix``, ``iy`` (the cell's column and row), ``type``,
    ``n`` and the sums ``slon``/``slat`` of the positions (degrees); the placeholders as in
    `grid_sql`. Cells that also hold events from elsewhere are merged exactly from these."""
    return f"""
        SELECT floor(longitude / {mark}) AS ix, floor(latitude / {mark}) AS iy,
               event_type AS type, count(*) AS n, sum(longitude) AS slon,
               sum(latitude) AS slat
        FROM {source} WHERE {where}
        GROUP BY 1, 2, 3
    """


def cells_from_parts(parts: pd.DataFrame) -> pd.DataFrame:
    """`grid_parts_sql` rows (from several sources, concatenated) as the cells
    `regionmap.web.aggregate_events` makes: the main type is the most frequent over all
    sources, ties to the first by name."""
    parts = parts.astype({"n": "int64", "slon": float, "slat": float, "type": str})
    by_type = parts.groupby(["ix", "iy", "type"], as_index=False)[["n", "slon", "slat"]].sum()
    cells = by_type.groupby(["ix", "iy"], sort=True)[["n", "slon", "slat"]].sum()
    ranked = by_type.sort_values(["n", "type"], ascending=[False, True], kind="stable")
    main = ranked.groupby(["ix", "iy"], sort=True)["type"].first()
    return pd.DataFrame(
        {
            "count": cells["n"].to_numpy(dtype="int64"),
            "lon": (cells["slon"] / cells["n"]).to_numpy(),
            "lat": (cells["slat"] / cells["n"]).to_numpy(),
            "type": main.reindex(cells.index).to_numpy(dtype=object),
        }
    )


def grid_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The grid query's answer in the types `aggregate_events` returns."""
    return pd.DataFrame(
        {
            "count": frame["count"].astype("int64").to_numpy(),
            "lon": frame["lon"].astype(float).to_numpy(),
            "lat": frame["lat"].astype(float).to_numpy(),
            "type": frame["type"].astype(object).to_numpy(),
        }
    )
