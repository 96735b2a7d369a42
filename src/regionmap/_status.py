"""Dated status periods: what a feature's status and controller were on a given day.

A feature's ``status`` and ``controller`` can change during its life (the Lachin road went
from Russian peacekeepers to an Azerbaijani checkpoint; a patrol strip was suspended and
resumed). The data contract carries these changes in an optional ``status_periods``
property: a list of periods, each a mapping with

``from``, ``to``
    ISO dates ``YYYY-MM-DD``. A period covers ``from <= day < to`` (half-open, so one
    period's ``to`` may equal the next one's ``from``). An empty ``from`` means "since the
    feature began", an empty ``to`` "still in force".
``status``
    one of :data:`PERIOD_STATUSES`.
``controller``
    who held or ran the thing in that period (may be empty).
``note``, ``source``
    what the period rests on; ``source`` is required.
``as_of``
    the date of the newest source that confirms the period (not the day the file was
    edited), so a status that may have gone stale shows its own age.

Periods are kept in date order and may not overlap; they must lie inside the feature's
``valid_from``/``valid_to``. This module only reads plain Python data (lists of dicts, as
GeoJSON and TOML give them) and never raises on bad data: :func:`period_problems` lists
what is wrong, :func:`status_at` ignores what it cannot read.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any

PERIOD_STATUSES = (
    "de jure",
    "de facto",
    "agreed",
    "claimed",
    "approximate",
    "suspended",
    "lapsed",
    "closed",
    "under construction",
    "commissioning",
    "operating",
    "unconfirmed",
)
PERIOD_KEYS = ("from", "to", "status", "controller", "note", "as_of", "source")
REQUIRED_KEYS = ("status", "as_of", "source")

Period = Mapping[str, Any]


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def as_periods(value: object) -> list[dict]:
    """The periods of one feature as a list of dicts; anything else is an empty list.

    Accepts the list itself, or its JSON text (how GDAL-based readers hand nested
    properties over); missing values (None, NaN, "") mean "no periods".
    """
    if isinstance(value, str):
        if not value.strip():
            return []
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return []
    if not isinstance(value, list | tuple):
        return []
    return [dict(p) for p in value if isinstance(p, Mapping)]


def period_problems(periods: object, valid_from: object = "", valid_to: object = "") -> list[str]:
    """Everything wrong with one feature's ``status_periods``, in reading order.

    Parameters
    ----------
    periods
        The property's value: a list of mappings (or its JSON text); empty means none.
    valid_from, valid_to
        The feature's own dates; the periods must lie inside them.

    Returns
    -------
    list of str
        One sentence per problem, naming the period by its position (1-based); empty when
        the periods are sound or absent.
    """
    if periods is None or periods == "" or (isinstance(periods, float) and periods != periods):
        return []
    if isinstance(periods, str):
        try:
            periods = json.loads(periods)
        except json.JSONDecodeError:
            return ["status_periods is not a list of periods (not valid JSON)"]
    if not isinstance(periods, list | tuple):
        return [f"status_periods must be a list of periods, got {type(periods).__name__}"]
    problems: list[str] = []
    start = _date(valid_from)
    end = _date(valid_to)
    previous_to: dt.date | None = None
    previous_open = False
    for i, period in enumerate(periods, start=1):
        where = f"status period {i}"
        if not isinstance(period, Mapping):
            problems.append(f"{where} is not a mapping of from/to/status/source")
            continue
        unknown = sorted(set(period) - set(PERIOD_KEYS))
        if unknown:
            problems.append(f"{where} has unknown keys {unknown}; expected {PERIOD_KEYS}")
        for key in REQUIRED_KEYS:
            if not str(period.get(key) or "").strip():
                problems.append(f"{where} has no {key}")
        status = period.get("status")
        if status and status not in PERIOD_STATUSES:
            problems.append(f"{where}: status {status!r} is not one of {PERIOD_STATUSES}")
        dates = {}
        for key in ("from", "to", "as_of"):
            raw = period.get(key) or ""
            dates[key] = _date(raw)
            if raw and dates[key] is None:
                problems.append(f"{where}: {key} {raw!r} is not a date YYYY-MM-DD")
        lo, hi = dates["from"], dates["to"]
        if lo is not None and hi is not None and hi <= lo:
            problems.append(f"{where} ends ({hi}) on or before it starts ({lo})")
        if i > 1 and lo is None:
            problems.append(f"{where} has no 'from'; only the first period may be open-started")
        if previous_open:
            problems.append(f"{where} follows a period with no 'to' (still in force)")
        elif previous_to is not None and lo is not None and lo < previous_to:
            problems.append(f"{where} starts {lo}, before the previous period ends {previous_to}")
        if start is not None and lo is not None and lo < start:
            problems.append(f"{where} starts {lo}, before the feature's valid_from {start}")
        if end is not None and hi is not None and hi > end:
            problems.append(f"{where} ends {hi}, after the feature's valid_to {end}")
        if end is not None and hi is None and not period.get("to"):
            problems.append(f"{where} is open-ended but the feature ends on {end}")
        previous_to = hi
        previous_open = not period.get("to")
    return problems


def status_at(periods: object, day: object) -> dict | None:
    """The period in force on ``day``, or None when none covers it.

    Parameters
    ----------
    periods
        A feature's ``status_periods`` (list of mappings or its JSON text).
    day
        A ``datetime.date`` or an ISO ``YYYY-MM-DD`` string; None means today (UTC).

    Returns
    -------
    dict or None
        A copy of the covering period (``from <= day < to``; empty bounds are open).
        Periods with unreadable dates are skipped rather than guessed at.
    """
    when = dt.datetime.now(dt.UTC).date() if day is None else _date(day)
    if when is None:
        raise ValueError(f"day must be a date or 'YYYY-MM-DD', got {day!r}")
    for period in as_periods(periods):
        raw_from, raw_to = period.get("from") or "", period.get("to") or ""
        lo, hi = _date(raw_from), _date(raw_to)
        if (raw_from and lo is None) or (raw_to and hi is None):
            continue
        if (lo is None or lo <= when) and (hi is None or when < hi):
            return dict(period)
    return None


def describe(period: Period | None) -> str:
    """One line for a popup or an export cell: status, controller, dates, as-of."""
    if not period:
        return ""
    span = f"{period.get('from') or '…'} – {period.get('to') or 'now'}"
    who = f"; {period['controller']}" if period.get("controller") else ""
    checked = f" (as of {period['as_of']})" if period.get("as_of") else ""
    return f"{period.get('status', '')}{who} [{span}]{checked}"


def newest_as_of(records: Iterable[Mapping[str, Any]], today: dt.date | None = None) -> str:
    """The date of the newest checked fact that can go stale, as ``YYYY-MM-DD`` ('' if none).

    Stale-prone facts are the status periods still running on ``today`` (UTC today by
    default: no ``to``, or a ``to`` not yet reached) and dated attributes named ``*_as_of``
    (such as ``operating_status_as_of``), of features still valid on ``today``. A period or
    a feature that has ended cannot go stale: the Lachin corridor closed in September 2023,
    and its last status check (July 2023) would otherwise make a file checked in November
    2026 read three years old. Only when no record carries a running fact does a feature's
    own ``as_of`` (the day the file was checked) count, so a theatre whose newest running
    status dates from March 2026 does not look current to November.
    """
    day = today or dt.datetime.now(dt.UTC).date()
    facts: list[str] = []
    checked: list[str] = []
    for record in records:
        checked.append(str(record.get("as_of") or ""))
        ended = _date(str(record.get("valid_to") or ""))
        if ended is not None and ended <= day:
            continue
        facts += [
            str(p.get("as_of") or "")
            for p in as_periods(record.get("status_periods"))
            if (_date(str(p.get("to") or "")) or dt.date.max) > day
        ]
        facts += [str(v) for k, v in record.items() if k.endswith("_as_of") and v]
    for pool in (facts, checked):
        dates = [d for d in pool if _date(d) is not None]
        if dates:
            return max(dates)
    return ""


def theatre_freshness(catalog: Any, layers: Mapping[str, Any]) -> dict[str, str]:
    """Each theatre's newest checked stale-prone fact (see :func:`newest_as_of`).

    Parameters
    ----------
    catalog
        A :class:`regionmap._catalog.Catalog`; its theatres give the keys, in order.
    layers
        Layer id to a loaded result with a ``frame`` (as :func:`regionmap._load.load_layers`
        returns); layers missing from it are skipped.

    Returns
    -------
    dict
        Theatre id to ``YYYY-MM-DD`` ('' when the theatre has no dated facts).
    """
    out: dict[str, str] = {}
    for theatre in catalog.theatres:
        records: list[Mapping[str, Any]] = []
        for spec in catalog.layers:
            if spec.theatre == theatre.id and spec.id in layers:
                frame = layers[spec.id].frame
                records += frame.drop(columns="geometry", errors="ignore").to_dict("records")
        out[theatre.id] = newest_as_of(records)
    return out
