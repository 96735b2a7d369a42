"""Dated, cited events: our curated CSV or an analyst's ACLED export, in one model.

Column names follow ACLED where ACLED has them (DESIGN.md §2), so an ACLED download loads
as it is. Rows are checked once here; each bad row is reported with its file, line,
column and reason, and the good rows still load. Every date becomes an interval
[start, end]: a one-day event is one day long, a month-precision date covers its month,
a span covers date_start..date_end (open-ended while it goes on).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

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
    frame: pd.DataFrame  # one row per event; positions in latitude/longitude
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
    """ISO 'YYYY-MM-DD' or ACLED's '26 October 2020'; NaT where neither or not real.

    The format of the first date is tried first, so a file in one format is parsed once."""
    given = values[values != ""]
    formats = ["%Y-%m-%d", _ACLED_DATE]
    if len(given) and not given.iloc[0][:4].isdigit():
        formats.reverse()
    out = pd.to_datetime(values, format=formats[0], errors="coerce")
    rest = out.isna() & (values != "")
    if rest.any():
        out[rest] = pd.to_datetime(values[rest], format=formats[1], errors="coerce")
    return out


def _check_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise EventError(path, "file not found") from None
    if size > MAX_EVENT_BYTES:
        raise EventError(path, f"file is {size / 1e6:.0f} MB; the limit is 1 GB")


def _not_utf8(path: Path) -> EventError:
    """Where the first byte that is not UTF-8 is, found again on the raw bytes."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                at = offset - pending + exc.start
                byte = exc.object[exc.start]
                return EventError(
                    path, f"not UTF-8 text (byte {at} is 0x{byte:02x}); save the file as UTF-8"
                )
            offset += len(block)
    pending = decoder.getstate()[0]
    if pending:
        return EventError(
            path,
            f"not UTF-8 text (the file ends inside a character at byte {offset - len(pending)}); "
            "save the file as UTF-8",
        )
    return EventError(path, "not UTF-8 text; save the file as UTF-8")


def _is_blank(handle: io.TextIOBase) -> bool:
    while block := handle.read(1 << 20):
        if block.strip():
            handle.seek(0)
            return False
    return True


def _reader(path: Path, handle: io.TextIOBase) -> tuple[list[str], Iterator[list[str]]]:
    """The header and a csv reader positioned after it (delimiter sniffed from the start)."""
    if _is_blank(handle):
        raise EventError(path, "file is empty")
    sample = handle.read(4096)
    handle.seek(0)
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(handle, delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise EventError(path, f"no header row ({exc})") from None
    if len(header) > MAX_COLUMNS:
        raise EventError(path, f"header has {len(header)} columns; at most {MAX_COLUMNS}", "line 1")
    return [h.strip() for h in header], reader


def _chunks(
    path: Path, header: list[str], reader, problems: list[Problem], size: int
) -> Iterator[tuple[list[list[str]], list[int]]]:
    """Rows with their first line number, ``size`` at a time; rows with the wrong number of
    fields go to ``problems``. Chunks keep a million-row file from being held as strings."""
    rows: list[list[str]] = []
    lines: list[int] = []
    start = reader.line_num + 1
    try:
        for row in reader:
            if not row or not "".join(row).strip():
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
                if len(rows) >= size:
                    yield rows, lines
                    rows, lines = [], []
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(str(path), f"line {reader.line_num}", f"CSV error: {exc}"))
    if rows:
        yield rows, lines


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


def _validate(
    table: pd.DataFrame,
    lines: Iterable[int],
    path: str,
    catalog: Catalog | None,
    *,
    acled: bool = False,
    seen: set[str] | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """The good rows, typed and indexed by line number, and the bad rows' problems.

    ``seen`` holds the event ids of earlier chunks of the same file (bad rows too, as when
    the file is checked at once); this chunk's ids are added to it."""
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
    repeated = df["event_id"].duplicated(keep="first")
    if seen:  # one set lookup per row: isin() would hash the whole set again every chunk
        repeated |= pd.Series([i in seen for i in df["event_id"].tolist()], index=df.index)
    flag(
        repeated & (df["event_id"] != ""),
        "event_id",
        "event_id " + df["event_id"] + " appears more than once",
    )
    if seen is not None:
        seen.update(df["event_id"].unique())

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
    return out[list(COLUMNS) + ["start", "end", "is_span"] + extras], problems


def compact(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns that repeat (types, actors, countries, sources) as categories.

    A million ACLED rows hold a few hundred distinct actors; as categories they take a byte
    or two a row instead of a string each, and filter by code instead of by text."""
    out = frame.copy(deep=False)  # copy-on-write: only the converted columns are new
    for column in out.columns:
        values = out[column]
        if isinstance(values.dtype, pd.CategoricalDtype) or not pd.api.types.is_string_dtype(
            values
        ):
            continue
        if len(values) and values.nunique() <= len(values) // 2:
            out[column] = values.astype("category")
    return out


def _is_category(values: pd.Series) -> bool:
    return isinstance(values.dtype, pd.CategoricalDtype)


def by_date(frame: pd.DataFrame) -> pd.DataFrame:
    """Sorted by start (stable), so that the first rows of any filtered view are the oldest."""
    if frame["start"].is_monotonic_increasing:
        return frame
    return frame.sort_values("start", kind="stable", ignore_index=True)


def merge_events(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Several event frames as one, in date order (categories rebuilt over the union)."""
    frames = [f for f in frames if len(f)] or frames[:1]
    if len(frames) == 1:
        return by_date(frames[0])
    return compact(by_date(_concat(frames).reset_index(drop=True)))


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Frames one after another; a column that is categorical in all of them stays so, with
    the union of their categories (plain concat would turn it into a million strings)."""
    if len(frames) == 1:
        return frames[0]
    frames = [f.copy(deep=False) for f in frames]
    for column in set.intersection(*(set(f.columns) for f in frames)):
        if all(isinstance(f[column].dtype, pd.CategoricalDtype) for f in frames):
            union = frames[0][column].cat.categories
            for f in frames[1:]:
                union = union.union(f[column].cat.categories)
            for f in frames:
                f[column] = f[column].cat.set_categories(union)
    return pd.concat(frames)


def earliest(frame: pd.DataFrame, n: int) -> pd.DataFrame:
    """The ``n`` oldest events, for a table or chart; no sort when the frame is in date order
    (the dataset's is). Categories become plain text: a table of 1,000 rows would otherwise
    carry each column's whole dictionary (26,898 titles for 100k events, 1 MB)."""
    head = by_date(frame).head(n)
    kinds = {c: "str" for c in head.columns if isinstance(head[c].dtype, pd.CategoricalDtype)}
    return head.astype(kinds) if kinds else head


def events_from_table(
    table: pd.DataFrame,
    lines: Iterable[int],
    path: str,
    catalog: Catalog | None,
    *,
    acled: bool = False,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Type and check a table of strings; returns the good rows and the bad rows' problems."""
    frame, problems = _validate(table, lines, path, catalog, acled=acled)
    return compact(frame.reset_index(drop=True)), problems


CHUNK_ROWS = 50_000


def _line(problem: Problem) -> int:
    head = problem.where.split(",")[0].removeprefix("line ")
    return int(head) if head.isdigit() else 0


def read_events(path: str | Path, catalog: Catalog | None = None) -> EventResult:
    """Load our events CSV or an ACLED export; bad rows are listed, good rows load.

    Rows are read and checked ``CHUNK_ROWS`` at a time, so a million-row file never sits in
    memory as Python strings; an event_id is checked against those of earlier chunks.
    """
    path = Path(path)
    _check_size(path)
    problems: list[Problem] = []
    frames: list[pd.DataFrame] = []
    seen: set[str] = set()
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header, reader = _reader(path, handle)
            acled = _check_header(path, header)
            for rows, lines in _chunks(path, header, reader, problems, CHUNK_ROWS):
                table = pd.DataFrame(rows, columns=header, dtype=str)
                del rows
                frame, more = _validate(table, lines, str(path), catalog, acled=acled, seen=seen)
                if frames:  # the first chunk decides which columns repeat enough for categories
                    kinds = {c: "category" for c in frames[0].columns if _is_category(frames[0][c])}
                    frame = frame.astype(kinds)
                else:
                    frame = compact(frame)
                frames.append(frame)
                problems += more
    except UnicodeDecodeError:
        raise _not_utf8(path) from None
    if not frames:
        empty = pd.DataFrame(columns=header, dtype=str)
        frames.append(_validate(empty, [], str(path), catalog, acled=acled)[0])
    frame = _concat(frames)
    del frames
    del seen  # about 90 MB for a million ids
    problems.sort(key=_line)
    return EventResult(
        str(path),
        compact(frame.reset_index(drop=True)),
        problems,
        "acled" if acled else "regionmap",
    )


def _check_header(path: Path, header: list[str]) -> bool:
    """Whether the file is an ACLED export; raises if a required column is missing."""
    acled = ACLED_ID in header and "theatre" not in header
    has_date = "event_date" in header or "date_start" in header
    required = ["latitude", "longitude", "event_type", "source"]
    required += [] if acled else ["event_id", "theatre"]
    missing = [c for c in required if c not in header] + ([] if has_date else ["event_date"])
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
    return acled


def load_events(catalog: Catalog) -> EventResult:
    """The curated events named by the catalog."""
    return read_events(catalog.events_path, catalog)


# ---------------------------------------------------------------- filters


def _time_mask(frame: pd.DataFrame, start: dt.date | None, end: dt.date | None) -> np.ndarray:
    keep = np.ones(len(frame), dtype=bool)
    if start is not None:
        keep &= (frame["end"] >= pd.Timestamp(start)).to_numpy()
    if end is not None:
        keep &= (frame["start"] <= pd.Timestamp(end)).to_numpy()
    return keep


def _values_mask(frame: pd.DataFrame, column: str, values: Iterable[str]) -> np.ndarray:
    values = list(values)
    if not values:
        return np.ones(len(frame), dtype=bool)
    return frame[column].isin(values).to_numpy()


def _actors_mask(frame: pd.DataFrame, actors: Iterable[str]) -> np.ndarray:
    actors = list(actors)
    if not actors:
        return np.ones(len(frame), dtype=bool)
    return (frame["actor1"].isin(actors) | frame["actor2"].isin(actors)).to_numpy()


def _bbox_mask(frame: pd.DataFrame, bbox: BBox | None) -> np.ndarray:
    if bbox is None:
        return np.ones(len(frame), dtype=bool)
    w, s, e, n = bbox
    lon, lat = frame["longitude"].to_numpy(), frame["latitude"].to_numpy()
    return (lon >= w) & (lon <= e) & (lat >= s) & (lat <= n)


def _select(frame: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """Rows where ``keep``; the frame itself when that is all of them (no million-row copy)."""
    return frame if keep.all() else frame[keep]


def filter_time(frame: pd.DataFrame, start: dt.date | None, end: dt.date | None) -> pd.DataFrame:
    """Events whose interval overlaps [start, end] (both inclusive; None is open)."""
    return _select(frame, _time_mask(frame, start, end))


def filter_values(frame: pd.DataFrame, column: str, values: Iterable[str]) -> pd.DataFrame:
    return _select(frame, _values_mask(frame, column, values))


def filter_actors(frame: pd.DataFrame, actors: Iterable[str]) -> pd.DataFrame:
    """Events in which any of ``actors`` is actor1 or actor2."""
    return _select(frame, _actors_mask(frame, actors))


def filter_bbox(frame: pd.DataFrame, bbox: BBox | None) -> pd.DataFrame:
    return _select(frame, _bbox_mask(frame, bbox))


def apply_filter(frame: pd.DataFrame, f: EventFilter) -> pd.DataFrame:
    """All of ``f`` as one mask and one selection."""
    keep = _time_mask(frame, f.start, f.end)
    keep &= _values_mask(frame, "event_type", f.event_types)
    keep &= _actors_mask(frame, f.actors)
    keep &= _values_mask(frame, "theatre", f.theatres)
    keep &= _bbox_mask(frame, f.bbox)
    return _select(frame, keep)


def actors(frame: pd.DataFrame) -> list[str]:
    names = set(frame["actor1"].unique()) | set(frame["actor2"].unique())
    return sorted(str(n) for n in names if isinstance(n, str) and n)


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
        if col in _NUMERIC or not pd.api.types.is_string_dtype(out[col]):  # categories too
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
