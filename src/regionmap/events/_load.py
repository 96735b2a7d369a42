"""The pipeline of one events file: read, detect, check in chunks, frame; and its tables.

Owns: `read_events` (a file to an `EventResult`), `load_events` (the catalog's curated
file) and `events_from_table` (a table of strings already in memory). It strings the
other modules together and holds no rule of its own. Must not: check a cell itself
(`_rules`), open a file other than through `_read`, or filter (`_filter`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from regionmap._catalog import Catalog
from regionmap._errors import EventError, Problem
from regionmap.events._formats import FileFormat, detect
from regionmap.events._frames import compact, concat, is_category
from regionmap.events._model import EventResult
from regionmap.events._read import (
    NotOneRowALine,
    arrow_chunks,
    check_size,
    chunks,
    encoding_of,
    header_and_rows,
    not_utf8,
)
from regionmap.events._rules import validate


def _chunk_rows() -> int:
    """`regionmap.events.CHUNK_ROWS`, looked up when a file is read, so that setting the
    package's attribute (as the scale tests do) changes the chunk size."""
    from regionmap import events

    return events.CHUNK_ROWS


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

    ``fmt`` (from `detect`) reads the table as that format; without it, ``acled`` chooses
    between ACLED and regionmap columns.

    Parameters
    ----------
    table : DataFrame
        The file's cells as strings, one row per event, columns as the format names them.
    lines : iterable of int
        The file line number of each row (problems name it).
    path : str
        The file the table came from, as problems name it.
    catalog : Catalog or None
        Theatres to check rows against; None skips the theatre rules.
    acled : bool
        Without ``fmt``: read ACLED columns (True) or regionmap's (False).
    fmt : FileFormat, optional
        What the table was read as.

    Returns
    -------
    (DataFrame, list of Problem)
        The good rows, compacted, on a fresh RangeIndex (latitude and longitude in degrees
        WGS84; ``start``/``end`` the interval each event may lie in), and one problem per
        bad row.

    Raises
    ------
    EventError
        When a date column holds spreadsheet serial numbers.
    """
    frame, problems = validate(table, lines, path, catalog, acled=acled, fmt=fmt)
    return compact(frame.reset_index(drop=True)), problems


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
    strings; an event_id is checked against those of earlier chunks. Arrow's CSV reader
    reads files of one row a line; a file it cannot number lines in exactly (a line break
    in quotes, blank lines, rows of the wrong length) is read again by the csv module.

    Parameters
    ----------
    path : str or Path
        A delimited text file (comma, semicolon or tab; UTF-8, or UTF-16 with its
        byte-order mark), at most 1 GB.
    catalog : Catalog, optional
        Theatres to check rows against and, for ACLED and UCDP rows, to assign from the
        theatres' boxes; None skips the theatre rules.

    Returns
    -------
    EventResult
        ``frame`` holds one row per good event in date columns as given plus ``start`` and
        ``end`` (the interval the event may lie in, both inclusive) and ``is_span``;
        ``latitude``/``longitude`` are float degrees WGS84. ``problems`` lists the bad rows
        in line order.

    Raises
    ------
    EventError
        For a file that cannot be used at all: missing, too big, empty, not UTF-8 or
        UTF-16 text, without the columns its format needs, or with dates saved as
        spreadsheet serial numbers. Bad rows are problems, not errors.
    """
    path = Path(path)
    check_size(path)
    try:
        return _read(path, catalog, arrow=True)
    except NotOneRowALine:  # Arrow cannot number this file's lines: the csv module can
        return _read(path, catalog, arrow=False)


def _read(path: Path, catalog: Catalog | None, *, arrow: bool) -> EventResult:
    encoding, locale = encoding_of(path)
    problems: list[Problem] = []
    frames: list[pd.DataFrame] = []
    seen: set[str] = set()
    try:
        with path.open(encoding=encoding, newline="") as handle:
            header, reader = header_and_rows(path, handle, locale)
            fmt = detect(path, header)
            if arrow and not locale.utf16:
                tables = arrow_chunks(path, header, locale.delimiter, _chunk_rows(), fmt)
            else:
                tables = (
                    (pd.DataFrame(rows, columns=fmt.header, dtype=str), lines)
                    for rows, lines in chunks(path, header, reader, problems, _chunk_rows(), fmt)
                )
            for table, lines in tables:
                frame, more = validate(
                    table, lines, str(path), catalog, seen=seen, fmt=fmt, locale=locale
                )
                del table
                if frames:  # the first chunk decides which columns repeat enough for categories
                    kinds = {c: "category" for c in frames[0].columns if is_category(frames[0][c])}
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
        raise not_utf8(path) from None
    if not frames:
        empty = pd.DataFrame(columns=fmt.header, dtype=str)
        frames.append(validate(empty, [], str(path), catalog, fmt=fmt, locale=locale)[0])
    frame = concat(frames)
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
    """The curated events named by the catalog (``catalog.events_path``).

    Raises
    ------
    EventError
        As `read_events`, for a file that cannot be used at all.
    """
    return read_events(catalog.events_path, catalog)
