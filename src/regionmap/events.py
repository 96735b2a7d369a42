"""Dated, cited events: our curated CSV, an ACLED export or UCDP GED, in one model.

Column names follow ACLED where ACLED has them (DESIGN.md §2), so an ACLED download loads
as it is; `regionmap.eventformats` detects the kind of file once and maps UCDP GED and
ACLED's legacy layout onto the same columns. Rows are checked once here; each bad row is
reported with its file, line, column and reason (naming the format the file was read
as), and the good rows still load. Every date becomes an interval [start, end], with
``time_precision`` as ACLED codes it: 1, the day is known (one day long); 2, only the week
or weekend is known and the stored date lies in it (the Saturday-Friday week containing
the date); 3, only the month is known (the whole month containing the date). Coarser
uncertainty is a span: date_start..date_end (open-ended while it goes on).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from regionmap import eventformats
from regionmap.catalog import BBox, Catalog
from regionmap.errors import EventError, Problem
from regionmap.eventformats import ACLED, FileFormat

COLUMNS = (
    "event_id", "event_date", "date_start", "date_end", "time_precision", "event_type",
    "sub_event_type", "actor1", "actor2", "country", "location", "latitude", "longitude",
    "geo_precision", "fatalities", "title", "notes", "theatre", "source", "source_url", "as_of",
)  # fmt: skip
ACLED_ID = "event_id_cnty"  # ACLED's stable event id (see eventformats.ACLED_RENAME)
MAX_EVENT_BYTES = 1024 * 1024 * 1024
MAX_COLUMNS = 1000
FAR_FUTURE = pd.Timestamp("2262-04-01")
_ACLED_DATE = "%d %B %Y"
# The date layouts read, tried in turn on what is still unread (the first value's layout
# first). Numeric day/month layouts are read day first unless the file shows otherwise.
_DATE_FORMATS = (
    "%Y-%m-%d", _ACLED_DATE, "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d-%B-%Y",
    "%d-%b-%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S",
)  # fmt: skip
_NUMERIC_DATE = r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s*$"
DATE_HINT = "YYYY-MM-DD, 15 March 2021 or 15/03/2021"


@dataclass
class EventResult:
    """The usable rows of one events file and everything wrong with the rest.

    ``format`` is what the file was read as, in words ("regionmap", "ACLED", "ACLED
    (legacy upper-case columns)", "UCDP GED", "... with an HDX hashtag row"); ``notes``
    are the things a reader should know that are not problems (a skipped hashtag row,
    the locale a spreadsheet saved it in, how UCDP columns were mapped).
    """

    path: str
    frame: pd.DataFrame  # one row per event; positions in latitude/longitude
    problems: list[Problem] = field(default_factory=list)
    format: str = "regionmap"
    notes: list[str] = field(default_factory=list)

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


@dataclass
class Locale:
    """How a spreadsheet saved the file, found once per file and reported once.

    Separator, byte-order mark, UTF-16 and line ends are seen before the rows; decimal
    commas and the order of day and month are seen in the rows (the order is decided by
    the first chunk that holds numeric dates and then kept, so a file is read one way).
    """

    delimiter: str = ","
    bom: bool = False
    utf16: bool = False
    crlf: bool = False
    decimal_comma: bool = False
    dayfirst: bool | None = None  # None until a numeric date (15/03/2021) is seen
    dayfirst_assumed: bool = False  # no date settled it (every day and month <= 12)

    def notes(self) -> list[str]:
        parts = []
        if self.delimiter != ",":
            parts.append(
                "tab separator" if self.delimiter == "\t" else f"'{self.delimiter}' separator"
            )
        if self.decimal_comma:
            parts.append("decimal comma")
        if self.dayfirst is True:
            parts.append(
                "day-first dates (DD/MM/YYYY"
                + (", assumed: no day above 12 settles it)" if self.dayfirst_assumed else ")")
            )
        elif self.dayfirst is False:
            parts.append("month-first dates (MM/DD/YYYY)")
        if self.utf16:
            parts.append("UTF-16 text")
        elif self.bom:
            parts.append("UTF-8 byte-order mark")
        if self.crlf:
            parts.append("Windows line ends (CRLF)")
        return [f"locale: {', '.join(parts)}"] if parts else []


def parse_dates(values: pd.Series, dayfirst: bool = True) -> pd.Series:
    """Dates in the layouts analysts' files use; NaT where none fits or the date is not real.

    Read: ISO ``2021-03-15`` (also with a time, as UCDP's CSV has it), ACLED's
    ``15 March 2021``, ``15 Mar 2021``, ``15-March-2021``, and numeric ``15/03/2021``,
    ``15-03-2021``, ``15.03.2021`` (month first instead when ``dayfirst`` is False).
    Two-digit years are not read: ``15/03/21`` could be 1921 or 2021 here. Each layout is
    one vectorised pass over the values still unread, the first value's layout first, so a
    file in one layout is parsed once.
    """
    formats = list(_DATE_FORMATS)
    if not dayfirst:
        formats = [f.replace("%d/%m", "%m/%d").replace("%d-%m", "%m-%d").replace("%d.%m", "%m.%d")
                   for f in formats]  # fmt: skip
    text = values.to_numpy(dtype=object)
    out = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[ns]")
    todo = np.flatnonzero(text != "")
    if len(todo):
        first = str(text[todo[0]])
        formats.sort(key=lambda f: pd.isna(pd.to_datetime(first, format=f, errors="coerce")))
    for fmt in formats:
        if not len(todo):
            break
        parsed = pd.to_datetime(pd.Series(text[todo], dtype=object), format=fmt, errors="coerce")
        ok = parsed.notna().to_numpy()
        if ok.any():
            out[todo[ok]] = parsed.dt.normalize().to_numpy()[ok]
            todo = todo[~ok]
    return pd.Series(out, index=values.index)


def _day_order(values: pd.Series, locale: Locale) -> None:
    """Decide, once per file, whether numeric dates put the day or the month first.

    Only looked at while undecided, and only when the chunk's first date is numeric, so a
    million ISO or ACLED dates cost nothing here. A first number above 12 settles day
    first, a second above 12 month first; neither assumes day first (ACLED and the
    locales of this region write the day first)."""
    if locale.dayfirst is not None:
        return
    given = values[values != ""]
    if not len(given) or not re.match(_NUMERIC_DATE, str(given.iloc[0])):
        return
    parts = given.str.extract(_NUMERIC_DATE).dropna().astype(int)
    day_first = bool((parts[0] > 12).any())
    month_first = bool((parts[1] > 12).any())
    locale.dayfirst = day_first or not month_first
    locale.dayfirst_assumed = not day_first and not month_first


def _decimal_point(values: pd.Series, locale: Locale) -> pd.Series:
    """``36,61954`` as ``36.61954``: spreadsheets in most of Europe write decimal commas."""
    if not values.str.contains(",", regex=False).any():
        return values
    comma = values.str.fullmatch(r"[-+]?\d+,\d+")
    if comma.any():
        locale.decimal_comma = True
        return values.where(~comma, values.str.replace(",", ".", regex=False))
    return values


def _check_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise EventError(path, "file not found") from None
    if size > MAX_EVENT_BYTES:
        raise EventError(path, f"file is {size / 1e6:.0f} MB; the limit is 1 GB")


def _encoding_of(path: Path) -> tuple[str, Locale]:
    """UTF-16 when the file starts with its byte-order mark (Excel's "Unicode text"),
    else UTF-8 with or without one. Legacy 8-bit code pages are refused, not guessed:
    Windows-1252, -1254 (Turkish) and -1251 (Cyrillic) read the same bytes as different
    letters, and a wrong guess silently misspells every Turkish or Russian place name.
    charset-normalizer, tried for this, took a Turkish Windows-1254 line for Windows-1252
    ("Iğdır" read as "Iðdýr"), so a detector does not make the guess safe either."""
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", Locale(utf16=True)
    return "utf-8-sig", Locale(bom=head.startswith(codecs.BOM_UTF8))


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
                    path,
                    f"not UTF-8 text (byte {at} is 0x{byte:02x}); probably a Windows code "
                    "page (1252 Western, 1254 Turkish, 1251 Cyrillic), which regionmap does "
                    "not guess: save the file as UTF-8 ('CSV UTF-8' in Excel)",
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


def _reader(
    path: Path, handle: io.TextIOBase, locale: Locale
) -> tuple[list[str], Iterator[list[str]]]:
    """The header and a csv reader positioned after it.

    The separator is the one of ``,``, ``;`` and tab that the header line holds most of:
    a header names columns and rarely quotes, where a sniffer reading rows is misled by
    decimal commas in ``;``-separated files."""
    if _is_blank(handle):
        raise EventError(path, "file is empty")
    sample = handle.read(65536)
    handle.seek(0)
    first_line = sample.split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    locale.delimiter = delimiter
    locale.crlf = "\r\n" in sample
    reader = csv.reader(handle, delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise EventError(path, f"no header row ({exc})") from None
    if len(header) > MAX_COLUMNS:
        raise EventError(path, f"header has {len(header)} columns; at most {MAX_COLUMNS}", "line 1")
    return [h.strip() for h in header], reader


def _chunks(
    path: Path,
    header: list[str],
    reader,
    problems: list[Problem],
    size: int,
    fmt: FileFormat | None = None,
) -> Iterator[tuple[list[list[str]], list[int]]]:
    """Rows with their first line number, ``size`` at a time; rows with the wrong number of
    fields go to ``problems``. Chunks keep a million-row file from being held as strings.

    A first row of HXL hashtags (HDX copies of ACLED and UCDP) is skipped and noted."""
    fmt = fmt or FileFormat()
    rows: list[list[str]] = []
    lines: list[int] = []
    start = reader.line_num + 1
    first = True
    try:
        for row in reader:
            if not row or not "".join(row).strip():
                start = reader.line_num + 1
                continue
            if first:
                first = False
                if start == 2 and eventformats.is_hxl_row(row):
                    fmt.with_hxl()
                    start = reader.line_num + 1
                    continue
            if len(row) != len(header):
                problems.append(
                    Problem(
                        str(path),
                        f"line {start}",
                        fmt.says(f"expected {len(header)} fields, got {len(row)}"),
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
        problems.append(
            Problem(str(path), f"line {reader.line_num}", fmt.says(f"CSV error: {exc}"))
        )
    if rows:
        yield rows, lines


ACLED_WEEK_START = 5  # Saturday (Monday is 0)


def precision_interval(day: pd.Series, precision: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The first and last day a date of ACLED ``time_precision`` 1, 2 or 3 can mean.

    1: the day itself. 2: the week containing the date, Saturday to Friday, as ACLED counts
    its weeks ("week: date of the Saturday marking the start of that week ... (Saturday to
    Friday)", ACLED, "How to use ACLED's aggregated data", acleddata.com); a weekend
    (Saturday and Sunday) lies inside one such week. 3: the calendar month containing
    the date, from its 1st to its last day. The stored date is anywhere in the interval
    (ACLED codes the middle of the week or month), so the start moves back as well as
    the end forward. NaT stays NaT.
    """
    start = day.copy()
    end = day.copy()
    week = (precision == 2).to_numpy()
    if week.any():
        days = day[week]
        back = (days.dt.day_of_week - ACLED_WEEK_START) % 7
        start[week] = days - pd.to_timedelta(back, unit="D")
        end[week] = start[week] + pd.Timedelta(days=6)
    month = (precision == 3).to_numpy()
    if month.any():
        days = day[month]
        first = days - pd.to_timedelta(days.dt.day - 1, unit="D")
        start[month] = first
        end[month] = first + pd.offsets.MonthEnd(0)
    return start, end


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
    fmt: FileFormat | None = None,
    locale: Locale | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """The good rows, typed and indexed by line number, and the bad rows' problems.

    ``fmt`` says what the file was read as (every message names it); without one, ``acled``
    picks ACLED or regionmap. ``locale`` carries the file's day order and decimal comma
    from chunk to chunk. ``seen`` holds the event ids of earlier chunks of the same file
    (bad rows too, as when the file is checked at once); this chunk's ids are added to it.

    Raises
    ------
    EventError
        Once, when a date column holds spreadsheet serial numbers (see
        `eventformats.serial_date_error`).
    """
    if fmt is None:
        fmt = FileFormat(kind=ACLED, label="ACLED") if acled else FileFormat()
    locale = locale if locale is not None else Locale()
    df = table.copy()
    df.index = pd.Index(list(lines), name="line")
    if fmt.kind == ACLED:
        df = df.rename(columns=eventformats.ACLED_RENAME)
    df, findings = eventformats.to_model(df, fmt)
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

    for mask, col, why in findings:
        flag(mask, col, why)
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

    # Dates: one day (event_date) or a span (date_start..date_end), in the file's day order.
    for col in ("event_date", "date_start", "date_end"):
        _day_order(df[col], locale)
    dayfirst = locale.dayfirst is not False
    spans = df["event_date"] == ""
    day = parse_dates(df["event_date"], dayfirst)
    start_raw = parse_dates(df["date_start"], dayfirst)
    end_raw = parse_dates(df["date_end"], dayfirst)
    for col, parsed in (("event_date", day), ("date_start", start_raw), ("date_end", end_raw)):
        unread = parsed.isna() & (df[col] != "")
        if unread.any():
            serial = eventformats.looks_serial(df[col][unread])
            if serial.any():
                at = serial.index[serial.to_numpy()][0]
                raise eventformats.serial_date_error(Path(path), fmt, col, df.at[at, col], int(at))
    flag(
        spans & (df["date_start"] == ""),
        "event_date",
        "no date: give event_date, or date_start for a span",
    )
    flag(
        ~spans & day.isna(),
        "event_date",
        f"{fmt.column('event_date')} '" + df["event_date"] + f"' is not a real date ({DATE_HINT})",
    )
    flag(
        spans & (df["date_start"] != "") & start_raw.isna(),
        "date_start",
        f"{fmt.column('date_start')} '" + df["date_start"] + f"' is not a real date ({DATE_HINT})",
    )
    flag(
        (df["date_end"] != "") & end_raw.isna(),
        "date_end",
        f"{fmt.column('date_end')} '" + df["date_end"] + f"' is not a real date ({DATE_HINT})",
    )
    precision = pd.to_numeric(df["time_precision"].replace("", "1"), errors="coerce")
    flag(
        ~precision.isin([1, 2, 3]),
        "time_precision",
        "time_precision '" + df["time_precision"] + "' is not 1 (day), 2 (week) or 3 (month)",
    )
    geo_precision = pd.to_numeric(df["geo_precision"].replace("", "1"), errors="coerce")
    flag(
        ~geo_precision.isin([1, 2, 3]),
        "geo_precision",
        "geo_precision '" + df["geo_precision"] + "' is not 1, 2 or 3",
    )

    # The interval: the precision widens the start back and the end forward (ACLED's
    # meaning); a span's own end, when given, widens the same way; open spans never end.
    first_day = pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
    first_day[~spans] = day[~spans]
    first_day[spans] = start_raw[spans]
    codes = precision.fillna(1)
    start, end = precision_interval(first_day, codes)
    has_end = end_raw.notna()
    end[has_end] = precision_interval(end_raw, codes)[1][has_end]
    ongoing = spans & (df["date_end"] == "")
    end[ongoing] = FAR_FUTURE
    flag(
        has_end & first_day.notna() & (end_raw < first_day),
        "date_end",
        "date_end " + df["date_end"] + " is before the start " + df["date_start"],
    )

    # Position: numbers, in range, not swapped; decimal commas read as points.
    lat_text = _decimal_point(df["latitude"], locale)
    lon_text = _decimal_point(df["longitude"], locale)
    lat = pd.to_numeric(lat_text, errors="coerce")
    lon = pd.to_numeric(lon_text, errors="coerce")
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

    if fmt.external:
        untitled = df["title"] == ""
        df.loc[untitled, "title"] = (
            df["sub_event_type"].where(df["sub_event_type"] != "", df["event_type"])
            + " — "
            + df["location"]
        )[untitled]
    if fmt.external and catalog is not None:
        known = df["theatre"] != ""
        df.loc[~known, "theatre"] = _theatre_of(lon, lat, catalog)[~known]
    if catalog is not None:
        ids = set(catalog.theatre_ids)
        theatre_required = not fmt.external
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
        (df["fatalities"] != "") & (fatalities.isna() | (fatalities < 0) | (fatalities % 1 != 0)),
        "fatalities",
        f"{fmt.column('fatalities')} '" + df["fatalities"] + "' is not a whole number >= 0",
    )

    bad = reason != ""
    problems = [
        Problem(path, f"line {line}, column {fmt.column(col)}", fmt.says(why))
        for line, col, why in zip(df.index[bad], column[bad], reason[bad], strict=True)
    ]
    good = ~bad
    out = df[good].copy()
    out["latitude"] = lat[good]
    out["longitude"] = lon[good]
    out["time_precision"] = precision[good].astype(int)
    out["geo_precision"] = geo_precision[good].astype(int)
    out["fatalities"] = fatalities[good].astype("Int64")
    if locale.dayfirst is not None:  # 04/05/2001 is ambiguous to a reader: show it as ISO
        for col, parsed in (("event_date", day), ("date_start", start_raw), ("date_end", end_raw)):
            numeric = good & parsed.notna() & (df[col] != "")
            if numeric.any():
                out.loc[numeric[good], col] = parsed[numeric].dt.strftime("%Y-%m-%d")
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
    fmt: FileFormat | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Type and check a table of strings; returns the good rows and the bad rows' problems.

    ``fmt`` (from `eventformats.detect`) reads the table as that format; without it,
    ``acled`` chooses between ACLED and regionmap columns."""
    frame, problems = _validate(table, lines, path, catalog, acled=acled, fmt=fmt)
    return compact(frame.reset_index(drop=True)), problems


CHUNK_ROWS = 50_000


def _line(problem: Problem) -> int:
    head = problem.where.split(",")[0].removeprefix("line ")
    return int(head) if head.isdigit() else 0


def read_events(path: str | Path, catalog: Catalog | None = None) -> EventResult:
    """Load our events CSV, an ACLED export or UCDP GED; bad rows are listed, good rows load.

    The format is detected once from the header (and the second row, for an HDX hashtag
    row) and named in ``EventResult.format`` and in every message; what the reading
    noticed (the locale a spreadsheet saved the file in, a skipped hashtag row, how UCDP
    columns were mapped) is in ``EventResult.notes``. Rows are read and checked
    ``CHUNK_ROWS`` at a time, so a million-row file never sits in memory as Python
    strings; an event_id is checked against those of earlier chunks.

    Raises
    ------
    EventError
        For a file that cannot be used at all: missing, too big, empty, not UTF-8 or
        UTF-16 text, without the columns its format needs, or with dates saved as
        spreadsheet serial numbers. Bad rows are problems, not errors.
    """
    path = Path(path)
    _check_size(path)
    encoding, locale = _encoding_of(path)
    problems: list[Problem] = []
    frames: list[pd.DataFrame] = []
    seen: set[str] = set()
    try:
        with path.open(encoding=encoding, newline="") as handle:
            header, reader = _reader(path, handle, locale)
            fmt = eventformats.detect(path, header)
            for rows, lines in _chunks(path, header, reader, problems, CHUNK_ROWS, fmt):
                table = pd.DataFrame(rows, columns=fmt.header, dtype=str)
                del rows
                frame, more = _validate(
                    table, lines, str(path), catalog, seen=seen, fmt=fmt, locale=locale
                )
                if frames:  # the first chunk decides which columns repeat enough for categories
                    kinds = {c: "category" for c in frames[0].columns if _is_category(frames[0][c])}
                    frame = frame.astype(kinds)
                else:
                    frame = compact(frame)
                frames.append(frame)
                problems += more
    except UnicodeError:
        if locale.utf16:
            raise EventError(
                path,
                "not UTF-8 text, nor UTF-16 though it starts with a UTF-16 byte-order mark; "
                "save the file as UTF-8",
            ) from None
        raise _not_utf8(path) from None
    if not frames:
        empty = pd.DataFrame(columns=fmt.header, dtype=str)
        frames.append(_validate(empty, [], str(path), catalog, fmt=fmt, locale=locale)[0])
    frame = _concat(frames)
    del frames
    del seen  # about 90 MB for a million ids
    problems.sort(key=_line)
    return EventResult(
        str(path),
        compact(frame.reset_index(drop=True)),
        problems,
        fmt.label,
        fmt.notes + locale.notes(),
    )


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
