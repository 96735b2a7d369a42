"""The row rules: a chunk of strings in, typed good rows and one problem per bad row out.

Every date becomes an interval [start, end], with ``time_precision`` as ACLED codes it: 1,
the day is known (one day long); 2, only the week or weekend is known and the stored date
lies in it (the Saturday-Friday week containing the date); 3, only the month is known (the
whole month containing the date). Coarser uncertainty is a span: date_start..date_end (open
-ended while it goes on). Positions are latitude/longitude in degrees WGS84.

Each rule is one vectorised pass that flags rows; a row keeps the *first* reason flagged,
so the order of the checks in `validate` is part of the contract (messages are pinned by
tests). Owns: ids, dates and their precision, intervals, positions, theatres, citations and
fatalities; titles and theatres filled in for ACLED and UCDP rows. Must not: read files
(`_read`), detect formats (`_formats`) or compact frames (`_frames`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from regionmap._catalog import Catalog
from regionmap._errors import Problem
from regionmap.events._formats import (
    ACLED,
    ACLED_RENAME,
    FileFormat,
    looks_serial,
    serial_date_error,
    to_model,
)
from regionmap.events._model import COLUMNS, Locale
from regionmap.events._parse import (
    DATE_HINT,
    FAR_FUTURE,
    day_order,
    decimal_point,
    parse_dates,
    precision_interval,
)

_DATE_COLUMNS = ("event_date", "date_start", "date_end")


class _Flags:
    """The first reason each row is bad and the column it names ('' while the row is good).

    A reason may be given as a function returning it per row: it is built only when some
    row is newly bad (a message per row for 100,000 good rows cost a fifth of a check)."""

    def __init__(self, index: pd.Index) -> None:
        self.bad = np.zeros(len(index), dtype=bool)
        self.reason = np.full(len(index), "", dtype=object)
        self.column = np.full(len(index), "", dtype=object)

    def __call__(
        self, mask: pd.Series, col: str, why: pd.Series | str | Callable[[], pd.Series]
    ) -> None:
        new = np.asarray(mask, dtype=bool) & ~self.bad
        if not new.any():
            return
        self.bad |= new
        why = why() if callable(why) else why
        self.reason[new] = why.to_numpy()[new] if isinstance(why, pd.Series) else why
        self.column[new] = col


@dataclass
class _Dates:
    """A chunk's dates as read: the day, a span's ends, and both precision codes."""

    spans: pd.Series  # no event_date: the row is a span date_start..date_end
    day: pd.Series
    start_raw: pd.Series
    end_raw: pd.Series
    precision: pd.Series
    geo_precision: pd.Series


def validate(
    table: pd.DataFrame,
    lines: Iterable[int],
    path: str,
    catalog: Catalog | None,
    *,
    acled: bool = False,
    seen: set[str] | None = None,
    fmt: FileFormat | None = None,
    locale: Locale | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """The good rows, typed and indexed by line number, and the bad rows' problems.

    Parameters
    ----------
    table : DataFrame
        One chunk of the file's strings, columns as ``fmt.header``.
    lines : iterable of int
        The file line number of each row of ``table``.
    path : str
        The file, as problems name it.
    catalog : Catalog or None
        Theatres to check (and, for ACLED and UCDP rows, to fill in from their boxes);
        None skips the theatre rules.
    acled : bool
        Without ``fmt``: read the table as ACLED (True) or regionmap (False) columns.
    seen : set of str, optional
        The event ids of earlier chunks of the same file (bad rows too, as when the file is
        checked at once); this chunk's ids are added to it.
    fmt : FileFormat, optional
        What the file was read as; every message names it.
    locale : Locale, optional
        The file's day order and decimal comma, carried from chunk to chunk.

    Returns
    -------
    (DataFrame, list of Problem)
        The good rows in `COLUMNS` order, then ``start``, ``end``, ``is_span`` and any
        extra columns; latitude and longitude as float degrees WGS84. One problem per bad
        row, naming its line and column.

    Raises
    ------
    EventError
        Once, when a date column holds spreadsheet serial numbers (see
        `serial_date_error`).
    """
    if fmt is None:
        fmt = FileFormat(kind=ACLED, label="ACLED") if acled else FileFormat()
    locale = locale if locale is not None else Locale()
    df, findings = _prepare(table, lines, fmt)
    flag = _Flags(df.index)
    for mask, col, why in findings:
        flag(mask, col, why)
    _check_ids(df, flag, seen)
    dates = _check_dates(df, flag, path, fmt, locale)
    start, end = _interval(df, flag, dates)
    lat, lon = _check_position(df, flag, locale)
    _fill_external(df, fmt, catalog, lat, lon)
    if catalog is not None:
        _check_theatres(df, flag, fmt, catalog, lat, lon)
    fatalities = _check_content(df, flag, fmt)

    bad = flag.bad
    problems = [
        Problem(path, f"line {line}, column {fmt.column(col)}", fmt.says(why))
        for line, col, why in zip(df.index[bad], flag.column[bad], flag.reason[bad], strict=True)
    ]
    typed = _Typed(lat, lon, fatalities, start, end)
    return _good_rows(df, pd.Series(~bad, index=df.index), dates, typed, locale), problems


@dataclass
class _Typed:
    """A chunk's values as numbers and days, row for row with the chunk."""

    lat: pd.Series  # degrees WGS84
    lon: pd.Series  # degrees WGS84
    fatalities: pd.Series
    start: pd.Series  # first day of the interval
    end: pd.Series  # last day of the interval (FAR_FUTURE while a span goes on)


def _good_rows(
    df: pd.DataFrame, good: pd.Series, dates: _Dates, typed: _Typed, locale: Locale
) -> pd.DataFrame:
    """The good rows typed: numbers as numbers, the interval, numeric dates shown as ISO;
    `COLUMNS` first, then ``start``, ``end``, ``is_span`` and any extra columns."""
    out = df[good].copy()
    out["latitude"] = typed.lat[good]
    out["longitude"] = typed.lon[good]
    out["time_precision"] = dates.precision[good].astype(int)
    out["geo_precision"] = dates.geo_precision[good].astype(int)
    out["fatalities"] = typed.fatalities[good].astype("Int64")
    if locale.dayfirst is not None:  # 04/05/2001 is ambiguous to a reader: show it as ISO
        read_as = (dates.day, dates.start_raw, dates.end_raw)
        for col, parsed in zip(_DATE_COLUMNS, read_as, strict=True):
            numeric = good & parsed.notna() & (df[col] != "")
            if numeric.any():
                out.loc[numeric[good], col] = parsed[numeric].dt.strftime("%Y-%m-%d")
    out["start"] = typed.start[good]
    out["end"] = typed.end[good]
    out["is_span"] = dates.spans[good]
    extras = [c for c in out.columns if c not in COLUMNS and c not in ("start", "end", "is_span")]
    return out[list(COLUMNS) + ["start", "end", "is_span"] + extras]


def _prepare(
    table: pd.DataFrame, lines: Iterable[int], fmt: FileFormat
) -> tuple[pd.DataFrame, list[tuple]]:
    """The chunk in the model's columns, stripped strings indexed by line, and the format's
    own findings (`to_model`). Works on a copy: ``table`` is not changed."""
    df = table.copy()
    df.index = pd.Index(list(lines), name="line")
    if fmt.kind == ACLED:
        df = df.rename(columns=ACLED_RENAME)
    df, findings = to_model(df, fmt)
    for col in COLUMNS:
        if col not in df.columns:
            df[col] = ""
    df = df.fillna("").astype(str).apply(lambda c: c.str.strip())
    return df, findings


def _check_ids(df: pd.DataFrame, flag: _Flags, seen: set[str] | None) -> None:
    """Every event_id given, and once only in the file (``seen``: earlier chunks' ids)."""
    flag(df["event_id"] == "", "event_id", "event_id is empty")
    repeated = df["event_id"].duplicated(keep="first")
    if seen:  # one set lookup per row: isin() would hash the whole set again every chunk
        repeated |= pd.Series([i in seen for i in df["event_id"].tolist()], index=df.index)
    flag(
        repeated & (df["event_id"] != ""),
        "event_id",
        lambda: "event_id " + df["event_id"] + " appears more than once",
    )
    if seen is not None:
        seen.update(df["event_id"].unique())


def _check_dates(
    df: pd.DataFrame, flag: _Flags, path: str, fmt: FileFormat, locale: Locale
) -> _Dates:
    """Dates: one day (event_date) or a span (date_start..date_end), in the file's day
    order; both precision codes 1, 2 or 3. Raises EventError for serial-number dates."""
    for col in _DATE_COLUMNS:
        day_order(df[col], locale)
    dayfirst = locale.dayfirst is not False
    spans = df["event_date"] == ""
    day = parse_dates(df["event_date"], dayfirst)
    start_raw = parse_dates(df["date_start"], dayfirst)
    end_raw = parse_dates(df["date_end"], dayfirst)
    _refuse_serial_dates(df, (day, start_raw, end_raw), path, fmt)
    flag(
        spans & (df["date_start"] == ""),
        "event_date",
        "no date: give event_date, or date_start for a span",
    )
    flag(
        ~spans & day.isna(),
        "event_date",
        lambda: (
            f"{fmt.column('event_date')} '"
            + df["event_date"]
            + f"' is not a real date ({DATE_HINT})"
        ),
    )
    flag(
        spans & (df["date_start"] != "") & start_raw.isna(),
        "date_start",
        lambda: (
            f"{fmt.column('date_start')} '"
            + df["date_start"]
            + f"' is not a real date ({DATE_HINT})"
        ),
    )
    flag(
        (df["date_end"] != "") & end_raw.isna(),
        "date_end",
        lambda: (
            f"{fmt.column('date_end')} '" + df["date_end"] + f"' is not a real date ({DATE_HINT})"
        ),
    )
    precision = pd.to_numeric(df["time_precision"].replace("", "1"), errors="coerce")
    flag(
        ~precision.isin([1, 2, 3]),
        "time_precision",
        lambda: (
            "time_precision '" + df["time_precision"] + "' is not 1 (day), 2 (week) or 3 (month)"
        ),
    )
    geo_precision = pd.to_numeric(df["geo_precision"].replace("", "1"), errors="coerce")
    flag(
        ~geo_precision.isin([1, 2, 3]),
        "geo_precision",
        lambda: "geo_precision '" + df["geo_precision"] + "' is not 1, 2 or 3",
    )
    return _Dates(spans, day, start_raw, end_raw, precision, geo_precision)


def _refuse_serial_dates(
    df: pd.DataFrame, parsed: tuple[pd.Series, ...], path: str, fmt: FileFormat
) -> None:
    """Raise `serial_date_error` at the first unread date that is a spreadsheet serial."""
    for col, values in zip(_DATE_COLUMNS, parsed, strict=True):
        unread = values.isna() & (df[col] != "")
        if unread.any():
            serial = looks_serial(df[col][unread])
            if serial.any():
                at = serial.index[serial.to_numpy()][0]
                raise serial_date_error(Path(path), fmt, col, df.at[at, col], int(at))


def _interval(df: pd.DataFrame, flag: _Flags, dates: _Dates) -> tuple[pd.Series, pd.Series]:
    """The interval: the precision widens the start back and the end forward (ACLED's
    meaning); a span's own end, when given, widens the same way; open spans never end."""
    spans = dates.spans
    first_day = pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
    first_day[~spans] = dates.day[~spans]
    first_day[spans] = dates.start_raw[spans]
    codes = dates.precision.fillna(1)
    start, end = precision_interval(first_day, codes)
    end_raw = dates.end_raw
    has_end = end_raw.notna()
    end[has_end] = precision_interval(end_raw, codes)[1][has_end]
    ongoing = spans & (df["date_end"] == "")
    end[ongoing] = FAR_FUTURE
    flag(
        has_end & first_day.notna() & (end_raw < first_day),
        "date_end",
        lambda: "date_end " + df["date_end"] + " is before the start " + df["date_start"],
    )
    return start, end


def _check_position(df: pd.DataFrame, flag: _Flags, locale: Locale) -> tuple[pd.Series, pd.Series]:
    """Latitude and longitude (degrees): numbers, in range, not swapped; decimal commas
    read as points. Returns (lat, lon) as floats, NaN where not a number."""
    lat_text = decimal_point(df["latitude"], locale)
    lon_text = decimal_point(df["longitude"], locale)
    lat = pd.to_numeric(lat_text, errors="coerce")
    lon = pd.to_numeric(lon_text, errors="coerce")
    flag(lat.isna(), "latitude", lambda: "latitude '" + df["latitude"] + "' is not a number")
    flag(lon.isna(), "longitude", lambda: "longitude '" + df["longitude"] + "' is not a number")
    swapped_range = (lat.abs() > 90) & (lon.abs() <= 90)
    flag(
        swapped_range,
        "latitude",
        lambda: (
            "latitude " + df["latitude"] + " is out of range; latitude and longitude look swapped"
        ),
    )
    flag(
        lat.abs() > 90,
        "latitude",
        lambda: "latitude " + df["latitude"] + " is out of range -90..90",
    )
    flag(lon.abs() > 180, "longitude", lambda: "longitude " + df["longitude"] + " is out of range")
    return lat, lon


def _fill_external(
    df: pd.DataFrame, fmt: FileFormat, catalog: Catalog | None, lat: pd.Series, lon: pd.Series
) -> None:
    """ACLED and UCDP rows: a title made from type and place, and the theatre whose box
    holds the point when the row names none (in place, on the chunk's own copy)."""
    if fmt.external:
        untitled = df["title"] == ""
        df.loc[untitled, "title"] = (
            df["sub_event_type"].where(df["sub_event_type"] != "", df["event_type"])
            + " — "
            + df["location"]
        )[untitled]
    if fmt.external and catalog is not None:
        known = df["theatre"] != ""
        df.loc[~known, "theatre"] = theatre_of(lon, lat, catalog)[~known]


def theatre_of(lon: pd.Series, lat: pd.Series, catalog: Catalog) -> pd.Series:
    """For ACLED rows: the first theatre whose box holds the point, else ''.

    Parameters
    ----------
    lon, lat : Series of float
        Longitude and latitude in degrees WGS84, on one index.
    catalog : Catalog
        Its theatres' boxes are (west, south, east, north) in degrees.
    """
    out = pd.Series("", index=lon.index, dtype=object)
    for theatre in reversed(catalog.theatres):
        w, s, e, n = theatre.bbox
        out[(lon >= w) & (lon <= e) & (lat >= s) & (lat <= n)] = theatre.id
    return out


def _check_theatres(
    df: pd.DataFrame,
    flag: _Flags,
    fmt: FileFormat,
    catalog: Catalog,
    lat: pd.Series,
    lon: pd.Series,
) -> None:
    """A theatre the catalog knows (required in our own files), and a point that lies in
    its box, or that would with latitude and longitude swapped (then say so)."""
    ids = set(catalog.theatre_ids)
    theatre_required = not fmt.external
    unknown = ~df["theatre"].isin(ids) & ((df["theatre"] != "") | theatre_required)
    flag(
        unknown,
        "theatre",
        lambda: "theatre '" + df["theatre"] + "' is not one of " + ", ".join(sorted(ids)),
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


def _check_content(df: pd.DataFrame, flag: _Flags, fmt: FileFormat) -> pd.Series:
    """A citation, an event type, and fatalities as a whole number >= 0 (or empty).
    Returns fatalities as numbers (NaN where empty)."""
    flag(df["source"] == "", "source", "source is empty: every event needs a citation")
    flag(df["event_type"] == "", "event_type", "event_type is empty")
    fatalities = pd.to_numeric(df["fatalities"].replace("", np.nan), errors="coerce")
    flag(
        (df["fatalities"] != "") & (fatalities.isna() | (fatalities < 0) | (fatalities % 1 != 0)),
        "fatalities",
        lambda: f"{fmt.column('fatalities')} '" + df["fatalities"] + "' is not a whole number >= 0",
    )
    return fatalities
