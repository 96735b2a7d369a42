"""An events file as a header and chunks of string rows.

Owns: the size limit, the text encoding (UTF-8 with or without a byte-order mark, UTF-16
with one; legacy code pages refused), the separator, blank files, the header row, and rows
cut into chunks with their line numbers (rows with the wrong number of fields become
problems). Two readers give the same chunks: Arrow's, fast, for files of one row a line
(most), and the csv module's, which numbers lines exactly in any file. Must not: interpret
a cell (no dates, numbers or formats beyond skipping an HXL row): it hands strings on.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from regionmap._errors import EventError, Problem
from regionmap.events._formats import FileFormat, is_hxl_row
from regionmap.events._model import Locale

MAX_EVENT_BYTES = 1024 * 1024 * 1024
MAX_COLUMNS = 1000


def check_size(path: Path) -> None:
    """Refuse a missing file, or one over `MAX_EVENT_BYTES` (1 GB).

    Raises
    ------
    EventError
        "file not found", or the size in MB beside the limit.
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise EventError(path, "file not found") from None
    if size > MAX_EVENT_BYTES:
        raise EventError(path, f"file is {size / 1e6:.0f} MB; the limit is 1 GB")


def encoding_of(path: Path) -> tuple[str, Locale]:
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


def not_utf8(path: Path) -> EventError:
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


def header_and_rows(
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
    if sample.lstrip()[:1] in ("{", "["):
        raise EventError(
            path,
            "this is JSON (a GeoJSON layer?), not an events CSV: add it as a layer, or give "
            "events as CSV",
            "line 1",
        )
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


def chunks(
    path: Path,
    header: list[str],
    reader: Iterator[list[str]],
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
                if start == 2 and is_hxl_row(row):
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


class NotOneRowALine(Exception):
    """The file holds a blank line, a line break inside quotes or a row of the wrong length
    (or is not UTF-8): `arrow_chunks` cannot number its lines, and the csv module reads it."""


ARROW_BLOCK_BYTES = 8 << 20  # the Arrow reader's unit of work: 20,000 ACLED rows


def _line_count(path: Path) -> int:
    """Lines as the csv module counts them: ends at \\n, \\r\\n or a lone \\r, the last
    line counted without one. Read in blocks, so a 1 GB file is not held."""
    lines, tail = 0, b""
    with path.open("rb") as handle:
        while block := handle.read(16 << 20):
            lines += block.count(b"\n")
            if b"\r" in block or tail == b"\r":  # \r\n counted once, a lone \r as a line
                lines += block.count(b"\r") - block.count(b"\r\n")
                lines -= tail == b"\r" and block.startswith(b"\n")  # \r\n across blocks
            tail = block[-1:]
    return lines + (1 if tail not in (b"", b"\n", b"\r") else 0)


def arrow_chunks(
    path: Path, header: list[str], delimiter: str, size: int, fmt: FileFormat
) -> Iterator[tuple[pd.DataFrame, list[int]]]:
    """As `chunks`, as string frames, read by Arrow's CSV reader: a 100,000-row ACLED file
    in 0.25 s with the line count, where the csv module and a frame of its rows took 2.0 s
    (both under cProfile, load 2).

    Arrow does not count lines, so a row's line number is its position. That holds when
    every row is one line, which is checked: a row of the wrong length or a blank line
    stops Arrow, and the file's lines are counted against the rows at the end. Rows whose
    cells are all blank (a spreadsheet's trailing ``,,,``) are skipped as `chunks` skips
    them. Raises `NotOneRowALine` when the numbering would be wrong; rows already yielded
    must then be read again by `chunks`."""
    names = [f"c{i}" for i in range(len(header))]
    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(
                skip_rows=1, column_names=names, block_size=ARROW_BLOCK_BYTES, use_threads=True
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=False, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        rows, line, pending = 0, 2, []
        for batch in reader:
            if rows == 0 and batch.num_rows and is_hxl_row([str(c[0]) for c in batch.columns]):
                fmt.with_hxl()
                batch, rows, line = batch.slice(1), 1, 3
            rows += batch.num_rows
            pending.append(batch)
            while sum(b.num_rows for b in pending) >= size:
                table = pa.Table.from_batches(pending)
                pending = table.slice(size).to_batches()
                yield _frame(table.slice(0, size), fmt.header, line)
                line += size
        if pending:
            yield _frame(pa.Table.from_batches(pending), fmt.header, line)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise NotOneRowALine(str(exc)) from None
    if _line_count(path) != rows + 1:
        raise NotOneRowALine("a line break inside quotes, or blank lines")


def _frame(table: pa.Table, columns: list[str], line: int) -> tuple[pd.DataFrame, list[int]]:
    """A chunk as `chunks` gives it: string columns named as the format reads them, rows
    of blank cells left out, and each row's line number."""
    blank, any_blank = None, False
    for column in table.columns:  # mostly the first column alone: an id is never blank
        empty = pc.equal(pc.utf8_trim_whitespace(column), "")
        blank = empty if blank is None else pc.and_(blank, empty)
        any_blank = pc.any(blank).as_py()
        if not any_blank:
            break
    lines = np.arange(line, line + table.num_rows)
    if any_blank:  # a spreadsheet's ",,," rows
        keep = pc.invert(blank)
        table, lines = table.filter(keep), lines[keep.to_numpy(zero_copy_only=False)]
    frame = table.to_pandas()
    frame.columns = columns
    return frame, lines.tolist()
