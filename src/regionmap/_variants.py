"""Dated variants: features of one layer that hold in different periods of one window.

The Lachin corridor's 2020 route and its 2022 bypass both fall in a window from 2020 to
today; drawn in one blue they read as one road. Here a layer's features are grouped by
their period (``valid_from``–``valid_to``, else the span of their dated status periods);
when two to `MAX_VARIANTS` periods meet the window, each feature carries its period's text
and whether it is an older one, and each period gets one label placed on the map. The map
plan applies this; the looks come from `regionmap._symbology.variant_look`. Nothing draws.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from shapely.geometry.base import BaseGeometry

from regionmap._compose import in_window
from regionmap._spec import ViewSpec
from regionmap._status import as_periods

MAX_VARIANTS = 4  # beyond this many periods a layer is a timeline, not variants
SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
Period = tuple[str | None, str | None]  # (start, end) as ISO dates; None = open


@dataclass(frozen=True)
class VariantLabel:
    """A period's label on the map: ``text`` ("Nov 2020 – Aug 2022") at (``lon``, ``lat``)
    in degrees (EPSG:4326), for layer ``layer_id``; ``older`` when a later period exists."""

    layer_id: str
    text: str
    lon: float
    lat: float
    older: bool


def _iso(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return None if text.lower() in ("nan", "nat", "none", "<na>") else text[:10]


def feature_period(record: dict) -> Period:
    """(start, end) ISO dates of a feature: ``valid_from``/``valid_to``, else where its
    dated status periods begin and end; None where open or unknown."""
    start, end = _iso(record.get("valid_from")), _iso(record.get("valid_to"))
    periods = as_periods(record.get("status_periods"))
    if periods and start is None:
        start = _iso(periods[0].get("from"))
    if periods and end is None:
        end = _iso(periods[-1].get("to"))
    return start, end


def _month(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{SHORT_MONTHS[day.month - 1]} {day.year}"


def period_text(period: Period) -> str:
    """ "Nov 2020 – Aug 2022", "from Aug 2022" or "until Aug 2022" for (start, end)."""
    start, end = period
    if start and end:
        return f"{_month(start)} – {_month(end)}"
    return f"from {_month(start)}" if start else f"until {_month(end)}" if end else "undated"


def _successive(periods: list[Period]) -> bool:
    """Whether periods follow one another (each ends on or before the next begins), as a
    route replaced by another does; periods that overlap are things that coexist."""
    ordered = sorted(periods, key=lambda p: (p[0] or "", p[1] or "9999"))
    return all(
        a[1] is not None and b[0] is not None and a[1] <= b[0]
        for a, b in zip(ordered, ordered[1:], strict=False)
    )


def dated_variants(
    records: Sequence[dict], geoms: Sequence[BaseGeometry], spec: ViewSpec
) -> list[tuple[str, bool] | None]:
    """Per record, (its period's text, older) when its layer holds dated variants in the
    view's window, else None.

    Variants are the lines and areas of one layer whose periods meet the window and
    follow one another (2 to `MAX_VARIANTS` of them): the Lachin corridor of 2020 and its
    2022 bypass. Points (separate places) and periods that overlap (things that coexist)
    are not variants; undated records and records outside the window get None.
    """
    periods = [
        feature_period(r) if "Point" not in g.geom_type else (None, None)
        for r, g in zip(records, geoms, strict=True)
    ]
    shown = {p for p in periods if (p[0] or p[1]) and in_window(p[0], p[1], *spec.layer_window())}
    if not 2 <= len(shown) <= MAX_VARIANTS or not _successive(list(shown)):
        return [None] * len(records)
    newest = max(shown, key=lambda p: (p[0] or "", p[1] or "9999"))
    return [(period_text(p), p != newest) if p in shown else None for p in periods]


def label_point(geoms: Sequence[BaseGeometry], older: bool) -> tuple[float, float]:
    """(lon, lat) to label a period's features: along its longest line (older periods at
    40 % of it, the newest at 60 %, so two routes sharing ends are labelled apart), else
    a point inside its largest part."""
    parts = [g for geom in geoms for g in getattr(geom, "geoms", [geom]) if not g.is_empty]
    lines = [g for g in parts if "LineString" in g.geom_type]
    if lines:
        line = max(lines, key=lambda g: g.length)
        point = line.interpolate(0.4 if older else 0.6, normalized=True)
    else:
        point = max(parts, key=lambda g: g.area).representative_point()
    return round(point.x, 5), round(point.y, 5)
