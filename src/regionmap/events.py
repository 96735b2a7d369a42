"""Dated, cited events: our curated CSV or an analyst's ACLED export, in one model.

Column names follow ACLED where ACLED has them (DESIGN.md §2), so an ACLED download loads
as it is. Rows are checked once here; each bad row is reported with its file, line,
column and reason, and the good rows still load. Every date becomes an interval
[start, end]: a one-day event is one day long, a month-precision date covers its month,
a span covers date_start..date_end (open-ended while it goes on).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from regionmap.catalog import BBox, Catalog
from regionmap.errors import EventError, Problem

COLUMNS = (
    "event_id", "event_date", "date_start", "date_end", "time_precision", "event_type",
    "sub_event_type", "actor1", "actor2", "country", "location", "latitude", "longitude",
    "geo_precision", "fatalities", "title", "notes", "theatre", "source", "source_url", "as_of",
)  # fmt: skip
ACLED_ID = "event_id_cnty"
MAX_EVENT_BYTES = 1024 * 1024 * 1024
MAX_COLUMNS = 1000
FAR_FUTURE = pd.Timestamp("2262-04-01")
_ACLED_DATE = "%d %B %Y"


@dataclass
class EventResult:
    """The usable rows of one events file and everything wrong with the rest."""

    path: str
    frame: gpd.GeoDataFrame
    problems: list[Problem] = field(default_factory=list)
    format: str = "regionmap"  # or "acled"

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class EventFilter:
    """What to keep; every empty field keeps everything. Plain data, so it can be hashed."""

    start: dt.date | None = None
    end: dt.date | None = None
    event_types: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    theatres: tuple[str, ...] = ()
    bbox: BBox | None = None


def parse_dates(values: pd.Series) -> pd.Series:
    """ISO 'YYYY-MM-DD' first, then ACLED's '26 October 2020'; NaT where neither or not real."""
    out = pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")
    rest = out.isna() & (values != "")
    if rest.any():
        out[rest] = pd.to_datetime(values[rest], format=_ACLED_DATE, errors="coerce")
    return out


def _decode(path: Path) -> str:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise EventError(path, "file not found") from None
    if size > MAX_EVENT_BYTES:
        raise EventError(path, f"file is {size / 1e6:.0f} MB; the limit is 1 GB")
    data = path.read_bytes()
    if not data.strip():
        raise EventError(path, "file is empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EventError(
            path,
            f"not UTF-8 text (byte {exc.start} is 0x{data[exc.start]:02x}); save the file as UTF-8",
        ) from None


def _rows(path: Path, text: str) -> tuple[list[str], list[list[str]], list[int], list[Problem]]:
    """Header, rows, each row's line number, and rows with the wrong number of fields."""
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    problems: list[Problem] = []
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise EventError(path, f"no header row ({exc})") from None
    if len(header) > MAX_COLUMNS:
        raise EventError(path, f"header has {len(header)} columns; at most {MAX_COLUMNS}", "line 1")
    header = [h.strip() for h in header]
    rows: list[list[str]] = []
    lines: list[int] = []
    start = reader.line_num + 1
    try:
        for row in reader:
            if not row or all(not c.strip() for c in row):
                start = reader.line_num + 1
                continue
            if len(row) != len(header):
                problems.append(
                    Problem(
                        str(path),
                        f"line {start}",
                        f"expected {len(header)} fields, got {len(row)}",
                    )
                )
            else:
                rows.append(row)
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(str(path), f"line {reader.line_num}", f"CSV error: {exc}"))
    return header, rows, lines, problems


def _period_end(start: pd.Series, precision: pd.Series) -> pd.Series:
    """The last day a date of a given precision can mean: itself, its month, its year."""
    end = start.copy()
    month = precision == 2
    year = precision == 3
    end[month] = start[month] + pd.offsets.MonthEnd(0)
    end[year] = start[year] + pd.offsets.YearEnd(0)
    return end


def _theatre_of(lon: pd.Series, lat: pd.Series, catalog: Catalog) -> pd.Series:
    """For ACLED rows: the first theatre whose box holds the point, else ''."""
    out = pd.Series("", index=lon.index, dtype=object)
    for theatre in reversed(catalog.theatres):
        w, s, e, n = theatre.bbox
        out[(lon >= w) & (lon <= e) & (lat >= s) & (lat <= n)] = theatre.id
    return out


def events_from_table(
    table: pd.DataFrame,
    lines: Iterable[int],
    path: str,
    catalog: Catalog | None,
    *,
    acled: bool = False,
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Type and check a table of strings; returns the good rows and the bad rows' problems."""
    df = table.copy()
    df.index = pd.Index(list(lines), name="line")
    if acled:
        df = df.rename(columns={ACLED_ID: "event_id"})
    for col in COLUMNS:
        if col not in df.columns:
            df[col] = ""
    df = df.fillna("").astype(str).apply(lambda c: c.str.strip())
    reason = pd.Series("", index=df.index, dtype=object)
    column = pd.Series("", index=df.index, dtype=object)

    def flag(mask: pd.Series, col: str, why: pd.Series | str) -> None:
        new = mask & (reason == "")
        if isinstance(why, pd.Series):
            reason[new] = why[new]
        else:
            reason[new] = why
        column[new] = col

    flag(df["event_id"] == "", "event_id", "event_id is empty")
    flag(
        df["event_id"].duplicated(keep="first") & (df["event_id"] != ""),
        "event_id",
        "event_id " + df["event_id"] + " appears more than once",
    )

    # Dates: one day (event_date) or a span (date_start..date_end).
    spans = df["event_date"] == ""
    day = parse_dates(df["event_date"])
    start_raw = parse_dates(df["date_start"])
    end_raw = parse_dates(df["date_end"])
    flag(
        spans & (df["date_start"] == ""),
        "event_date",
        "no date: give event_date, or date_start for a span",
    )
    flag(
        ~spans & day.isna(),
        "event_date",
        "event_date '" + df["event_date"] + "' is not a real date (YYYY-MM-DD)",
    )
    flag(
        spans & (df["date_start"] != "") & start_raw.isna(),
        "date_start",
        "date_start '" + df["date_start"] + "' is not a real date (YYYY-MM-DD)",
    )
    flag(
        (df["date_end"] != "") & end_raw.isna(),
        "date_end",
        "date_end '" + df["date_end"] + "' is not a real date (YYYY-MM-DD)",
    )
    precision = pd.to_numeric(df["time_precision"].replace("", "1"), errors="coerce")
    flag(
        ~precision.isin([1, 2, 3]),
        "time_precision",
        "time_precision '" + df["time_precision"] + "' is not 1 (day), 2 (month) or 3 (year)",
    )
    geo_precision = pd.to_numeric(df["geo_precision"].replace("", "1"), errors="coerce")
    flag(
        ~geo_precision.isin([1, 2, 3]),
        "geo_precision",
        "geo_precision '" + df["geo_precision"] + "' is not 1, 2 or 3",
    )

    start = pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
    start[~spans] = pd.to_datetime(day[~spans])
    start[spans] = pd.to_datetime(start_raw[spans])
    end = _period_end(start, precision.fillna(1))
    span_end = pd.to_datetime(end_raw)
    has_end = span_end.notna()
    end[has_end] = span_end[has_end]
    ongoing = spans & (df["date_end"] == "")
    end[ongoing] = FAR_FUTURE
    flag(
        has_end & start.notna() & (span_end < start),
        "date_end",
        "date_end " + df["date_end"] + " is before the start " + df["date_start"],
    )

    # Position: numbers, in range, not swapped.
    lat = pd.to_numeric(df["latitude"], errors="coerce")
    lon = pd.to_numeric(df["longitude"], errors="coerce")
    flag(lat.isna(), "latitude", "latitude '" + df["latitude"] + "' is not a number")
    flag(lon.isna(), "longitude", "longitude '" + df["longitude"] + "' is not a number")
    swapped_range = (lat.abs() > 90) & (lon.abs() <= 90)
    flag(
        swapped_range,
        "latitude",
        "latitude " + df["latitude"] + " is out of range; latitude and longitude look swapped",
    )
    flag(lat.abs() > 90, "latitude", "latitude " + df["latitude"] + " is out of range -90..90")
    flag(lon.abs() > 180, "longitude", "longitude " + df["longitude"] + " is out of range")

    if acled:
        untitled = df["title"] == ""
        df.loc[untitled, "title"] = (
            df["sub_event_type"].where(df["sub_event_type"] != "", df["event_type"])
            + " — "
            + df["location"]
        )[untitled]
    if acled and catalog is not None:
        known = df["theatre"] != ""
        df.loc[~known, "theatre"] = _theatre_of(lon, lat, catalog)[~known]
    if catalog is not None:
        ids = set(catalog.theatre_ids)
        theatre_required = not acled
        unknown = ~df["theatre"].isin(ids) & ((df["theatre"] != "") | theatre_required)
        flag(
            unknown,
            "theatre",
            "theatre '" + df["theatre"] + "' is not one of " + ", ".join(sorted(ids)),
        )
        for theatre in catalog.theatres:
            w, s, e, n = theatre.bbox
            mine = df["theatre"] == theatre.id
            inside = (lon >= w) & (lon <= e) & (lat >= s) & (lat <= n)
            flipped = (lat >= w) & (lat <= e) & (lon >= s) & (lon <= n)
            flag(
                mine & ~inside & flipped,
                "latitude",
                "lies outside theatre '" + theatre.id + "' but inside it with latitude "
                "and longitude swapped: swap the two columns",
            )

    flag(df["source"] == "", "source", "source is empty: every event needs a citation")
    flag(df["event_type"] == "", "event_type", "event_type is empty")
    fatalities = pd.to_numeric(df["fatalities"].replace("", np.nan), errors="coerce")
    flag(
        (df["fatalities"] != "") & (fatalities.isna() | (fatalities < 0)),
        "fatalities",
        "fatalities '" + df["fatalities"] + "' is not a whole number >= 0",
    )

    bad = reason != ""
    problems = [
        Problem(path, f"line {line}, column {col}", why)
        for line, col, why in zip(df.index[bad], column[bad], reason[bad], strict=True)
    ]
    good = ~bad
    out = df[good].copy()
    out["latitude"] = lat[good]
    out["longitude"] = lon[good]
    out["time_precision"] = precision[good].astype(int)
    out["geo_precision"] = geo_precision[good].astype(int)
    out["fatalities"] = fatalities[good].astype("Int64")
    out["start"] = start[good]
    out["end"] = end[good]
    out["is_span"] = spans[good]
    extras = [c for c in out.columns if c not in COLUMNS and c not in ("start", "end", "is_span")]
    out = out[list(COLUMNS) + ["start", "end", "is_span"] + extras]
    frame = gpd.GeoDataFrame(
        out.reset_index(drop=True),
        geometry=gpd.points_from_xy(out["longitude"], out["latitude"]),
        crs="EPSG:4326",
    )
    return frame, problems


def read_events(path: str | Path, catalog: Catalog | None = None) -> EventResult:
    """Load our events CSV or an ACLED export; bad rows are listed, good rows load."""
    path = Path(path)
    text = _decode(path)
    header, rows, lines, problems = _rows(path, text)
    acled = ACLED_ID in header and "theatre" not in header
    has_date = "event_date" in header or "date_start" in header
    required = ["latitude", "longitude", "event_type", "source"]
    required += [] if acled else ["event_id", "theatre"]
    missing = [c for c in required if c not in header] + ([] if has_date else ["event_date"])
    if acled and ACLED_ID not in header:
        missing.append(ACLED_ID)
    if missing:
        raise EventError(
            path,
            f"missing required columns {missing}; found {header[:12]}"
            + (" …" if len(header) > 12 else ""),
            "line 1",
        )
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise EventError(path, f"duplicate column names {dupes}", "line 1")
    table = pd.DataFrame(rows, columns=header, dtype=str)
    frame, more = events_from_table(table, lines, str(path), catalog, acled=acled)
    return EventResult(str(path), frame, problems + more, "acled" if acled else "regionmap")


def load_events(catalog: Catalog) -> EventResult:
    """The curated events named by the catalog."""
    return read_events(catalog.events_path, catalog)


# ---------------------------------------------------------------- filters


def filter_time(frame: pd.DataFrame, start: dt.date | None, end: dt.date | None) -> pd.DataFrame:
    """Events whose interval overlaps [start, end] (both inclusive; None is open)."""
    keep = pd.Series(True, index=frame.index)
    if start is not None:
        keep &= frame["end"] >= pd.Timestamp(start)
    if end is not None:
        keep &= frame["start"] <= pd.Timestamp(end)
    return frame[keep]


def filter_values(frame: pd.DataFrame, column: str, values: Iterable[str]) -> pd.DataFrame:
    values = list(values)
    return frame[frame[column].isin(values)] if values else frame


def filter_actors(frame: pd.DataFrame, actors: Iterable[str]) -> pd.DataFrame:
    """Events in which any of ``actors`` is actor1 or actor2."""
    actors = list(actors)
    if not actors:
        return frame
    return frame[frame["actor1"].isin(actors) | frame["actor2"].isin(actors)]


def filter_bbox(frame: pd.DataFrame, bbox: BBox | None) -> pd.DataFrame:
    if bbox is None:
        return frame
    w, s, e, n = bbox
    lon, lat = frame["longitude"], frame["latitude"]
    return frame[(lon >= w) & (lon <= e) & (lat >= s) & (lat <= n)]


def apply_filter(frame: pd.DataFrame, f: EventFilter) -> pd.DataFrame:
    out = filter_time(frame, f.start, f.end)
    out = filter_values(out, "event_type", f.event_types)
    out = filter_actors(out, f.actors)
    out = filter_values(out, "theatre", f.theatres)
    return filter_bbox(out, f.bbox)


def actors(frame: pd.DataFrame) -> list[str]:
    names = pd.concat([frame["actor1"], frame["actor2"]])
    return sorted(n for n in names.unique() if n)


# ---------------------------------------------------------------- output

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMERIC = ("latitude", "longitude", "fatalities", "time_precision", "geo_precision")


def _public(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns a user sees: the CSV contract plus any extra (ACLED) columns."""
    drop = [c for c in ("start", "end", "is_span", "geometry") if c in frame.columns]
    return pd.DataFrame(frame.drop(columns=drop))


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells a spreadsheet would run as a formula get a leading apostrophe."""
    out = frame.copy()
    for col in out.columns:
        if col in _NUMERIC or not pd.api.types.is_string_dtype(out[col]):
            continue
        text = out[col].astype(str)
        risky = text.str.startswith(_FORMULA_START)
        out[col] = text.where(~risky, "'" + text)
    return out


def to_csv(frame: pd.DataFrame) -> str:
    return neutralise_formulas(_public(frame)).to_csv(index=False, lineterminator="\n")


def to_geojson(frame: pd.DataFrame) -> str:
    """RFC 7946: a FeatureCollection of Points at [longitude, latitude]."""
    public = _public(frame)
    features = []
    for record in public.to_dict("records"):
        props = {
            k: (None if v is pd.NA or (isinstance(v, float) and np.isnan(v)) else v)
            for k, v in record.items()
        }
        props = {k: (v.item() if hasattr(v, "item") else v) for k, v in props.items()}
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [record["longitude"], record["latitude"]],
                },
                "properties": props,
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
