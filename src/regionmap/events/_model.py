"""The shapes every stage of reading events shares.

Owns: the column contract of an event frame (`COLUMNS`, ACLED's names where ACLED has them,
DESIGN.md §2), the result of reading one file (`EventResult`) and what a spreadsheet's
locale did to the file (`Locale`). Must not: read files, parse values or check rows; it is
plain data that the other modules fill in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from regionmap._errors import Problem

COLUMNS = (
    "event_id", "event_date", "date_start", "date_end", "time_precision", "event_type",
    "sub_event_type", "actor1", "actor2", "country", "location", "latitude", "longitude",
    "geo_precision", "fatalities", "title", "notes", "theatre", "source", "source_url", "as_of",
)  # fmt: skip


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
