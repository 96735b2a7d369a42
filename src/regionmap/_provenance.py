"""What a reader is told about one feature: its provenance as label/text rows, dates in words,
and which feature a click on the web map chose.

Plain text only: a caller that puts these strings into HTML escapes them (the dashboard's
feature panel hands them to Streamlit, which shows them as text). This module reads
properties, it never loads, measures or draws anything.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping
from typing import Any, Literal

from regionmap._catalog import LayerSpec
from regionmap._spec import MONTHS
from regionmap._status import as_periods, describe, status_at

NOT_GIVEN = "not given"  # what a user's file did not say (DESIGN.md §2: shown as such)
MISSING = "—"  # a shipped layer always says it; `regionmap validate --strict` reports it if not
# The web map writes each feature's id, HTML-escaped, under this property
# (`regionmap.web`); a click hands the feature back with it.
FEATURE_ID_PROPERTY = "rm_id"


def is_given(value: object) -> bool:
    """Present: not None, not NaN (nor pandas' NA), not blank."""
    if value is None:
        return False
    try:
        if value != value:
            return False
    except TypeError:  # pandas.NA refuses to be a bool
        return False
    return str(value).strip() != ""


def format_date(day: dt.date, style: Literal["long", "short"] = "long") -> str:
    """A day in English words whatever the process locale: '23 March 2021' or '23 Mar 2021'.

    Parameters
    ----------
    day
        A ``datetime.date`` (a ``datetime`` is read as its date).
    style
        ``"long"`` gives the month's full name, ``"short"`` its first three letters.

    Returns
    -------
    str
        Day without a leading zero, month, four-digit year.

    Raises
    ------
    ValueError
        If ``style`` is neither "long" nor "short".
    """
    if style not in ("long", "short"):
        raise ValueError(f"style must be 'long' or 'short', got {style!r}")
    month = MONTHS[day.month - 1]
    return f"{day.day} {month if style == 'long' else month[:3]} {day.year}"


def provenance_rows(
    props: Mapping[str, Any], layer: LayerSpec, at: dt.date | str | None = None
) -> list[tuple[str, str]]:
    """A feature's provenance as (label, plain text) rows, in the order a reader wants them.

    Parameters
    ----------
    props
        The feature's properties as `Dataset.feature` returns them: the data contract of
        DESIGN.md §2, plus ``measured`` and ``measured_unit`` ("km" or "km²", geodesic on
        the unsimplified geometry) when the feature has a length or an area.
    layer
        The feature's layer. A user's layer (``role == "user"``) need not say where its
        data came from; what it leaves out reads "not given", never an empty "± m". A
        shipped layer always gives these (DESIGN.md §2); if one does not, it reads "—".
    at
        The day whose status period is shown as "In force" (a ``datetime.date`` or an ISO
        ``YYYY-MM-DD`` string); None means today (UTC). Only features with dated status
        periods get that row.

    Returns
    -------
    list of (str, str)
        Source, As of, Valid, Legal basis, Status, [In force,] Precision (metres),
        [Measured (km or km², geodesic),] [Official (km, with its source)].

    Raises
    ------
    ValueError
        If ``at`` is a string that is not an ISO date.
    """
    get = props.get
    missing = NOT_GIVEN if layer.role == "user" else MISSING

    def text(key: str) -> str:
        return str(get(key)) if is_given(get(key)) else missing

    valid_from = str(get("valid_from")) if is_given(get("valid_from")) else "…"
    valid_to = str(get("valid_to")) if is_given(get("valid_to")) else "now"
    rows = [
        ("Source", text("source")),
        ("As of", text("as_of")),
        ("Valid", f"{valid_from} – {valid_to}"),
        ("Legal basis", text("legal_basis")),
        ("Status", text("status")),
    ]
    periods = as_periods(get("status_periods"))
    in_force = describe(status_at(periods, at)) if periods else ""
    if in_force:
        rows.append(("In force", in_force))
    elif periods:
        rows.append(("In force", "no dated status covers the window's end"))
    if periods:  # the whole history, as the map's popup lists it
        rows.append(("History", "\n".join(describe(p) for p in periods)))
    precision = get("precision_m")
    rows.append(("Precision", f"± {precision} m" if is_given(precision) else missing))
    if is_given(get("measured")):
        rows.append(("Measured", _measure(float(get("measured")), get("measured_unit") or "")))
    official = get("official_length_km")
    if is_given(official):
        rows.append(("Official", f"{float(official):.0f} km ({get('official_source')})"))
    return rows


def _measure(value: float, unit: str) -> str:
    """A geodesic length or area in a unit that shows it: a 20 × 12 m building is 240 m²,
    not "0.0 km²"."""
    if unit == "km²" and value < 0.1:
        return f"{value * 1e6:,.0f} m² (geodesic)"
    if unit == "km" and value < 1:
        return f"{value * 1e3:,.0f} m (geodesic)"
    return f"{value:,.1f} {unit} (geodesic)"


def clicked_feature_id(feature: Mapping[str, Any] | None) -> str | None:
    """The id of the feature a click on the web map chose, or None.

    Parameters
    ----------
    feature
        The clicked layer as GeoJSON, as Leaflet's ``toGeoJSON()`` gives it (the dashboard's
        map component returns it as ``last_active_drawing``): a mapping with
        ``properties``. An event marker, a drawing or nothing at all gives None.

    Returns
    -------
    str or None
        The feature's ``id`` as in the data (the web map ships it HTML-escaped; this
        undoes that), to look up with `Dataset.feature`.
    """
    if not isinstance(feature, Mapping):
        return None
    properties = feature.get("properties")
    if not isinstance(properties, Mapping):
        return None
    value = properties.get(FEATURE_ID_PROPERTY)
    return html.unescape(value) if isinstance(value, str) and value else None
