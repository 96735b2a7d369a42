"""Dates, date precision and decimal commas: text cells into numbers and days.

Owns: the date layouts read (`parse_dates`), ACLED's ``time_precision`` as an interval
(`precision_interval`), deciding once per file whether numeric dates put the day or the month
first, and decimal commas. Every function is vectorised over a column of strings. Must not:
decide whether a row is good (that is `_rules`), read files or know about formats.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from regionmap.events._model import Locale

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


def parse_dates(values: pd.Series, dayfirst: bool = True) -> pd.Series:
    """Dates in the layouts analysts' files use; NaT where none fits or the date is not real.

    Read: ISO ``2021-03-15`` (also with a time, as UCDP's CSV has it), ACLED's
    ``15 March 2021``, ``15 Mar 2021``, ``15-March-2021``, and numeric ``15/03/2021``,
    ``15-03-2021``, ``15.03.2021`` (month first instead when ``dayfirst`` is False).
    Two-digit years are not read: ``15/03/21`` could be 1921 or 2021 here. Each layout is
    one vectorised pass over the values still unread, the first value's layout first, so a
    file in one layout is parsed once.

    Parameters
    ----------
    values : Series of str
        Date text; ``""`` is no date.
    dayfirst : bool
        Read ``04/05/2001`` as 4 May (True) or 5 April (False).

    Returns
    -------
    Series of datetime64[ns]
        Midnight of each day, on ``values``' index; NaT where empty or unreadable.
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


def day_order(values: pd.Series, locale: Locale) -> None:
    """Decide, once per file, whether numeric dates put the day or the month first.

    Only looked at while undecided, and only when the chunk's first date is numeric, so a
    million ISO or ACLED dates cost nothing here. A first number above 12 settles day
    first, a second above 12 month first; neither assumes day first (ACLED and the
    locales of this region write the day first). Sets ``locale.dayfirst`` and
    ``locale.dayfirst_assumed``; ``values`` are strings, ``""`` for none."""
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


def decimal_point(values: pd.Series, locale: Locale) -> pd.Series:
    """``36,61954`` as ``36.61954``: spreadsheets in most of Europe write decimal commas.

    Only cells that are a whole decimal-comma number change; sets ``locale.decimal_comma``
    when one does. Returns the strings, not numbers."""
    if not values.str.contains(",", regex=False).any():
        return values
    comma = values.str.fullmatch(r"[-+]?\d+,\d+")
    if comma.any():
        locale.decimal_comma = True
        return values.where(~comma, values.str.replace(",", ".", regex=False))
    return values


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

    Parameters
    ----------
    day : Series of datetime64[ns]
        The stored dates.
    precision : Series of int
        ACLED's ``time_precision`` per row, on ``day``'s index; codes other than 2 and 3
        are read as 1.

    Returns
    -------
    (Series, Series)
        The first and the last day, both inclusive, as datetime64[ns].
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
