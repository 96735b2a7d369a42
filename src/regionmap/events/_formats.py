"""Which kind of events file this is, and how its columns become regionmap's event model.

An analyst's events come as our own CSV, as an ACLED export (current lower-case columns or
the legacy upper-case layout), as UCDP GED, or as an HDX copy of either with a row of HXL
hashtags under the header. The kind is decided once, from the header (and the second row
for HXL), so that every message can say what the file was read as and a refusal can say
what *that* format lacks, instead of listing regionmap's own columns for a plain ACLED file.

Mapping is vectorised over a chunk of rows (pandas string operations, no per-row Python),
so a million-row ACLED download stays fast.

Owns: format detection (`detect`), the column mapping of each format (`to_model`), the
HXL row test and the spreadsheet-serial-date refusal. Must not: open files (it is given a
header and chunks of strings), parse dates or numbers, or check rows against the catalog
(that is `_rules`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from regionmap._errors import EventError

REGIONMAP = "regionmap"
ACLED = "acled"
UCDP_GED = "ucdp-ged"

# ACLED's legacy layout names the associated actors ALLY_ACTOR_1/2; today they are
# assoc_actor_1/2. event_id_cnty is ACLED's stable id (the others changed with every update).
ACLED_ID = "event_id_cnty"  # ACLED's stable event id (see ACLED_RENAME)
ACLED_RENAME = {
    "event_id_cnty": "event_id",
    "ally_actor_1": "assoc_actor_1",
    "ally_actor_2": "assoc_actor_2",
}
# Columns only ACLED has: a file with any of them (and no `theatre`) is ACLED, even when it
# lacks event_id_cnty, so that the refusal can say so.
_ACLED_ONLY = {
    "event_id_cnty", "event_id_no_cnty", "data_id", "inter1", "inter2", "interaction",
    "assoc_actor_1", "assoc_actor_2", "ally_actor_1", "ally_actor_2", "admin1", "gwno",
    "source_scale", "disorder_type", "civilian_targeting", "iso3",
}  # fmt: skip
_UCDP_ONLY = {"where_prec", "type_of_violence", "side_a", "side_b", "dyad_name", "date_prec"}
_INDEX_NAMES = {"", "unnamed: 0", "index"}

REQUIRED = {
    REGIONMAP: ("event_id", "latitude", "longitude", "event_type", "source", "theatre"),
    ACLED: ("event_id_cnty", "event_date", "latitude", "longitude", "event_type", "source"),
    UCDP_GED: (
        "id", "date_start", "date_end", "latitude", "longitude", "type_of_violence",
        "side_a", "side_b", "best",
    ),
}  # fmt: skip

# UCDP GED codebook: type_of_violence 1 = state-based conflict, 2 = non-state conflict,
# 3 = one-sided violence. These are UCDP's categories, not ACLED event types, so UCDP's
# words are kept.
UCDP_VIOLENCE = {"1": "State-based conflict", "2": "Non-state conflict", "3": "One-sided violence"}
# UCDP GED codebook, where_prec: 1 exact place; 2 within about 25 km of a known place;
# 3 a second-order division (district) centroid; 4 a first-order division (province)
# centroid; 5 a part of a country larger than a province, a point between two places or
# a vaguely named place; 6 the country's centroid; 7 over water or in international
# airspace. ACLED's geo_precision: 1 the place itself, 2 near it or a part of a region,
# 3 a larger region. So 1 -> 1, 2-3 -> 2, 4-7 -> 3; the original stays in `where_prec`.
UCDP_WHERE_PREC = {"1": "1", "2": "2", "3": "2", "4": "3", "5": "3", "6": "3", "7": "3"}
UCDP_ID_PREFIX = "UCDP-"
_UCDP_DROPPED = ("geom_wkt",)  # the same point as latitude/longitude, as WKT


@dataclass
class FileFormat:
    """What an events file was read as, decided once from its header.

    ``label`` is what messages say ("ACLED (legacy upper-case columns)"); ``names`` maps
    a model column to the UCDP column it came from, so a problem points at a column the
    user sees (ACLED problems keep the model's lower-case names, as they always have, so
    scripts reading ``line N, column event_id`` keep working); ``notes`` are the
    information lines a reader should know about.
    """

    kind: str = REGIONMAP
    label: str = "regionmap"
    header: list[str] = field(default_factory=list)  # as the model reads it
    names: dict[str, str] = field(default_factory=dict)  # model column -> file column
    dropped: list[int] = field(default_factory=list)  # positions of columns not read
    notes: list[str] = field(default_factory=list)

    @property
    def external(self) -> bool:
        """ACLED or UCDP: theatres come from the catalog's boxes and titles are made up."""
        return self.kind != REGIONMAP

    def column(self, name: str) -> str:
        return self.names.get(name, name)

    def says(self, message: str) -> str:
        """A message with the format named, so no refusal reads as if the file were ours."""
        return f"{message} (file read as {self.label})"

    def with_hxl(self) -> None:
        self.label += " with an HDX hashtag row"
        self.notes.append("skipped HXL hashtag row 2 (HDX copy)")


def is_hxl_row(row: list[str]) -> bool:
    """A row of HXL hashtags (``#date+occurred``, ``#geo+lat``), as HDX puts under headers."""
    cells = [c.strip() for c in row if c.strip()]
    return bool(cells) and all(c.startswith("#") for c in cells)


def detect(path: Path, raw_header: list[str]) -> FileFormat:
    """The format of a file from its header; raises EventError naming what that format lacks.

    Parameters
    ----------
    path : Path
        The file, as the error names it.
    raw_header : list of str
        The header row's cells as read (a byte-order mark and spaces are stripped here).

    Returns
    -------
    FileFormat
        Its ``kind`` (REGIONMAP, ACLED or UCDP_GED), ``label`` for messages, ``header`` in
        the model's lower-case names (ACLED's renamed), dropped index columns and notes.

    Raises
    ------
    EventError
        When a required column of the detected format is missing, or names repeat.
    """
    header = [h.strip().lstrip("\ufeff") for h in raw_header]
    lower = [h.lower() for h in header]
    fmt = FileFormat()
    if len(header) > 1 and lower[0] in _INDEX_NAMES and lower[0] not in lower[1:]:
        fmt.dropped.append(0)
        fmt.notes.append(f"dropped column 1 ('{header[0]}'), an unnamed row index")
    kept = [h for i, h in enumerate(lower) if i not in fmt.dropped]
    names = set(kept)
    kind = fmt.kind = _kind_of(names)
    upper = any(h != h.lower() for h in header) and all(
        h == h.upper() for i, h in enumerate(header) if i not in fmt.dropped
    )
    if kind == ACLED:
        fmt.label = "ACLED (legacy upper-case columns)" if upper else "ACLED"
    elif kind == UCDP_GED:
        fmt.label = "UCDP GED"
    has_date = "event_date" in names or "date_start" in names
    missing = [c for c in REQUIRED[kind] if c not in names]
    if kind == REGIONMAP and not has_date:
        missing.insert(1, "event_date")
    if missing:
        shown = [m.upper() if upper else m for m in missing]
        raise EventError(
            path,
            fmt.says(
                f"missing required columns {shown}; found {header[:12]}"
                + (" …" if len(header) > 12 else "")
            ),
            "line 1",
        )
    model = [ACLED_RENAME.get(low, low) if kind == ACLED else low for low in lower]
    kept_model = [m for i, m in enumerate(model) if i not in fmt.dropped]
    dupes = sorted({h for h in kept_model if kept_model.count(h) > 1})
    if dupes:
        raise EventError(path, fmt.says(f"duplicate column names {dupes}"), "line 1")
    fmt.header = model
    _describe(fmt, names, upper)
    return fmt


def _kind_of(names: set[str]) -> str:
    """REGIONMAP, ACLED or UCDP_GED from a header's lower-case names."""
    if "theatre" in names and "event_id" in names:
        return REGIONMAP
    if "event_id_cnty" in names:
        return ACLED
    if len(names & _UCDP_ONLY) >= 2:  # before ACLED's markers: UCDP has iso3 too
        return UCDP_GED
    if names & _ACLED_ONLY:
        return ACLED
    return REGIONMAP


def _describe(fmt: FileFormat, names: set[str], upper: bool) -> None:
    """The notes a reader should see about the mapping, and UCDP's column names."""
    kind = fmt.kind
    if kind == ACLED:
        if upper:
            fmt.notes.append("column names read in lower case")
        if "ally_actor_1" in names or "ally_actor_2" in names:
            fmt.notes.append("ALLY_ACTOR_1/2 read as assoc_actor_1/2")
    elif kind == UCDP_GED:
        fmt.names = {
            "event_id": "id",
            "event_date": "date_start",
            "date_start": "date_start",
            "date_end": "date_end",
            "geo_precision": "where_prec",
            "fatalities": "best",
            "actor1": "side_a",
            "actor2": "side_b",
            "event_type": "type_of_violence",
            "location": "where_coordinates",
            "source": "source_article",
        }
        present = [c for c in _UCDP_DROPPED if c in names]
        fmt.notes.append(
            "UCDP GED: mapped id -> event_id (prefixed "
            f"'{UCDP_ID_PREFIX}'), date_start/date_end -> the event's dates (one day when "
            "equal), where_prec -> geo_precision (1 -> 1, 2-3 -> 2, 4-7 -> 3), best -> "
            "fatalities, side_a/side_b -> actor1/actor2, type_of_violence -> event_type "
            "(state-based, non-state, one-sided), where_coordinates (else adm_1) -> "
            "location, source_article (else source_original) -> source; kept as they are: "
            "low, high, date_prec, where_prec and the other columns"
            + (f"; dropped: {', '.join(present)} (the same point as latitude/longitude)"
               if present else "")
        )  # fmt: skip


def to_model(table: pd.DataFrame, fmt: FileFormat) -> tuple[pd.DataFrame, list[tuple]]:
    """A chunk in the model's column names, and the format's own per-row findings.

    ``table`` holds the file's strings under ``fmt.header``. The findings are
    ``(mask, column, reason)`` triples for the validator, which reports the first
    reason per row.

    Parameters
    ----------
    table : DataFrame
        One chunk of strings, columns as ``fmt.header`` (ACLED's already renamed).
    fmt : FileFormat
        From `detect`.

    Returns
    -------
    (DataFrame, list of tuple)
        The chunk with dropped index columns removed and, for UCDP GED, the model's
        columns filled from UCDP's; and the findings (empty except for UCDP GED).
    """
    if fmt.dropped:
        table = table.drop(columns=[table.columns[i] for i in fmt.dropped])
    if fmt.kind != UCDP_GED:
        return table, []
    return _ucdp(table)


def _text(table: pd.DataFrame, column: str) -> pd.Series:
    if column in table.columns:
        return table[column].fillna("").astype(str).str.strip()
    return pd.Series("", index=table.index, dtype=object)


def _ucdp(table: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple]]:
    """UCDP GED rows as events (mapping in the module notes above and in the file's note).

    date_start and date_end are UCDP's earliest and latest possible dates, so they are the
    interval itself: equal -> a one-day event (time_precision 1); otherwise a span from
    date_start to date_end. date_prec (UCDP's 1-5) is kept as it is: the interval already
    says what it would, and ACLED's codes 2/3 would move the interval to a week or month.
    """
    out = table.drop(columns=[c for c in _UCDP_DROPPED if c in table.columns])
    ident = _text(table, "id")
    start = _day_only(_text(table, "date_start"))
    end = _day_only(_text(table, "date_end"))
    one_day = (start == end) | (end == "")
    out["event_id"] = (UCDP_ID_PREFIX + ident).where(ident != "", "")
    out["event_date"] = start.where(one_day, "")
    out["date_start"] = start.where(~one_day, "")
    out["date_end"] = end.where(~one_day, "")
    out["time_precision"] = "1"
    where = _text(table, "where_prec")
    out["geo_precision"] = where.map(UCDP_WHERE_PREC).fillna("1")
    violence = _text(table, "type_of_violence")
    out["event_type"] = violence.map(UCDP_VIOLENCE).fillna("")
    out["fatalities"] = _text(table, "best")
    out["actor1"] = _text(table, "side_a")
    out["actor2"] = _text(table, "side_b")
    place = _text(table, "where_coordinates")
    out["location"] = place.where(place != "", _text(table, "adm_1"))
    article = _text(table, "source_article")
    out["source"] = article.where(article != "", _text(table, "source_original"))
    findings = [
        (
            ~where.isin(list(UCDP_WHERE_PREC)),
            "geo_precision",
            "where_prec '" + where + "' is not one of UCDP's codes 1-7",
        ),
        (
            ~violence.isin(list(UCDP_VIOLENCE)),
            "event_type",
            "type_of_violence '" + violence + "' is not 1 (state-based), 2 (non-state) "
            "or 3 (one-sided)",
        ),
        (ident == "", "event_id", "id is empty"),
    ]
    return out, findings


def _day_only(values: pd.Series) -> pd.Series:
    """``2020-02-27 00:00:00.000`` (UCDP's CSV) as ``2020-02-27``: the events are days."""
    timed = values.str.match(r"\d{4}-\d\d-\d\d[ T]")
    return values.where(~timed, values.str.slice(0, 10))


_SERIAL = re.compile(r"^\d{5}(?:[.,]\d+)?$")


def serial_date_error(
    path: Path, fmt: FileFormat, column: str, value: str, line: int
) -> EventError:
    """One refusal for a file whose dates are spreadsheet serial numbers.

    A spreadsheet that shows a date but saves its number writes 44270 for 2021-03-15 in
    the 1900 date system (Excel for Windows, LibreOffice), but 1,462 days later in the
    1904 system (older Excel for Mac). The file does not say which, and a guess four
    years off would put events in the wrong war, so regionmap refuses the file once and
    says how to fix it, instead of converting or refusing every row.

    Parameters
    ----------
    path : Path
        The file.
    fmt : FileFormat
        What it was read as (the message names it and its own column name).
    column : str
        The model's column holding the number.
    value : str
        The cell, e.g. ``44270``; it is shown with the day it means in both systems.
    line : int
        The file line of the cell.

    Returns
    -------
    EventError
        To be raised by the caller.
    """
    days = int(float(value.replace(",", ".")))
    in_1900 = (pd.Timestamp("1899-12-30") + pd.Timedelta(days=days)).date()
    in_1904 = (pd.Timestamp("1904-01-01") + pd.Timedelta(days=days)).date()
    return EventError(
        path,
        fmt.says(
            f"{fmt.column(column)} holds spreadsheet serial numbers, not dates ('{value}' "
            f"is {in_1900} in the 1900 date system or {in_1904} in the 1904 system); "
            "format the column as dates (YYYY-MM-DD) in the spreadsheet and save again"
        ),
        f"line {line}, column {fmt.column(column)}",
    )


def looks_serial(values: pd.Series) -> pd.Series:
    """Five-digit numbers (10000-99999: 1927 to 2173 in the 1900 system), maybe with time."""
    return values.str.match(_SERIAL.pattern)
