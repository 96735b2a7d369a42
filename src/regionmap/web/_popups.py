"""Popups and tooltips: a feature's provenance and an event's who, what, when and where.

Everything here returns HTML whose every text went through `escape`; the event popup's
markup is defined once (`SHELLS`) and filled both here and, for markers, in the browser.
"""

from __future__ import annotations

import re

import pandas as pd

from regionmap._catalog import LayerSpec
from regionmap._provenance import is_given
from regionmap._status import as_periods, describe, status_at
from regionmap.web._escape import escape, link, sources_html

# The popup's markup, written once: `popup_html` fills it here, and the event layer's
# script fills the same shells in the browser (they travel with the map as JSON).
SHELLS = {
    "row": "<tr><th>{label}</th><td>{value}</td></tr>",
    "popup": '<div class="rm-popup"><b>{title}</b><p>{notes}</p><table>{rows}</table></div>',
    "tip": "<b>{title}</b><br>{when}",
}
_FIELD = re.compile(r"\{(\w+)\}")


def fill(shell: str, **values: str) -> str:
    """``shell`` with each ``{name}`` replaced, in one pass (values are not rescanned)."""
    return _FIELD.sub(lambda m: values[m.group(1)], shell)


def _row(label: str, value: str) -> str:
    return fill(SHELLS["row"], label=escape(label), value=value) if value else ""


def _dates(valid_from: object, valid_to: object) -> str:
    start = escape(valid_from) or "…"
    end = escape(valid_to) or "now"
    return "" if start == "…" and end == "now" else f"{start} – {end}"


_CONTRACT_KEYS = {
    "id", "name", "kind", "description", "source", "source_url", "as_of", "valid_from",
    "valid_to", "legal_basis", "status", "precision_m", "geometry", "country",
    "length_km", "official_length_km", "official_source", "official_source_url",
    "official_note", "area_km2", "mean_width_km", "depth_km", "route_length_km", "width_km",
    "west_lon", "east_lon", "status_periods",
}  # fmt: skip


def _extra_rows(props: pd.Series | dict) -> str:
    """Attributes beyond the contract (units, owner, backed_by…), as label/value rows."""
    rows = []
    for key, value in dict(props).items():
        if key in _CONTRACT_KEYS or not is_given(value):
            continue
        rows.append(_row(str(key).replace("_", " ").capitalize(), escape(value)))
    return "".join(rows)


def feature_popup(props: pd.Series | dict, layer: LayerSpec, at: object = None) -> str:
    """A feature's provenance as an HTML table; every text escaped.

    ``at`` (a date, default today) picks the status period in force. A user's layer shows
    what its file did not say as "not given" (precision, as-of date), never an empty "± m";
    the shipped layers always give them (DESIGN.md §2)."""
    get = props.get
    periods = as_periods(get("status_periods"))
    history = "<br>".join(escape(describe(p)) for p in periods)
    user = layer.role == "user"
    not_given = "<i>not given</i>" if user else ""
    precision = get("precision_m")
    precision_text = f"± {escape(precision)} m" if is_given(precision) else not_given
    measured = ""
    if get("length_km") not in (None, "") and get("length_km") == get("length_km"):
        measured = f"{float(get('length_km')):.1f} km measured (Natural Earth 1:10m)"
        official = get("official_length_km")
        if official not in (None, "") and official == official:
            measured += f"; official {float(official):.0f} km ({escape(get('official_source'))})"
    elif get("area_km2") not in (None, "") and get("area_km2") == get("area_km2"):
        measured = f"{float(get('area_km2')):.1f} km² measured"
        if get("mean_width_km") == get("mean_width_km") and get("mean_width_km") is not None:
            measured += f"; mean width {float(get('mean_width_km')):.2f} km"
        if get("depth_km") == get("depth_km") and get("depth_km") is not None:
            measured += f"; depth {float(get('depth_km')):g} km"
    rows = "".join(
        [
            _row("Layer", escape(layer.title)),
            _row("Valid", _dates(get("valid_from"), get("valid_to"))),
            _row("Legal basis", escape(get("legal_basis"))),
            _row("Status", escape(get("status"))),
            _row("In force", escape(describe(status_at(periods, at))) if periods else ""),
            _row("History", history),
            _row("Measured", measured),
            _extra_rows(props),
            _row("Precision", precision_text),
            _row("Source", link(get("source"), get("source_url"))),
            _row("As of", escape(get("as_of")) if is_given(get("as_of")) else not_given),
            _row("ID", escape(get("id"))),
        ]
    )
    return (
        f'<div class="rm-popup"><b>{escape(get("name"))}</b>'
        f"<p>{escape(get('description'))}</p><table>{rows}</table></div>"
    )


def event_when(row: pd.Series | dict) -> str:
    """When an event happened, as precisely as its source knows it.

    ACLED's time_precision 2 means only the week is known and 3 only the month: the date
    as given is shown with the period it stands for ("14 October 2020 (a day in the week
    10–16 Oct 2020)"), from the event's interval where the row carries it."""
    if row.get("is_span"):
        end = row.get("date_end") or "ongoing"
        return f"{row.get('date_start')} – {end}"
    precision = int(row.get("time_precision") or 1)
    start, end = row.get("start"), row.get("end")
    if precision in (2, 3) and isinstance(start, pd.Timestamp) and isinstance(end, pd.Timestamp):
        if precision == 2:
            return f"{row.get('event_date')} (a day in the week {_days(start, end)})"
        return f"{row.get('event_date')} (a day in {start:%B %Y})"
    return f"{row.get('event_date')}" + {2: " (week)", 3: " (month)"}.get(precision, "")


def _days(start: pd.Timestamp, end: pd.Timestamp) -> str:
    if start.month == end.month:
        return f"{start.day}–{end.day} {end:%b %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"
    return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"


def event_fields(row: pd.Series | dict) -> list[str]:
    """The popup's parts, escaped: title, notes, when, where, type, actors, deaths, sources.

    The map ships these (each distinct text once) and assembles the popup in the browser
    exactly as `popup_html` does here: 1,500 markers cost 2.2 MB as finished HTML."""
    fatalities = row.get("fatalities")
    place_precision = {1: "exact", 2: "near", 3: "region only"}.get(
        int(row.get("geo_precision") or 1)
    )
    kind = " / ".join(str(t) for t in (row.get("event_type"), row.get("sub_event_type")) if t)
    return [
        escape(row.get("title")),
        escape(row.get("notes")),
        escape(event_when(row)),
        f"{escape(row.get('location'))}, {escape(row.get('country'))} ({place_precision})",
        escape(kind),
        " · ".join(escape(a) for a in (row.get("actor1"), row.get("actor2")) if a),
        "" if fatalities is None or pd.isna(fatalities) else escape(fatalities),
        sources_html(row.get("source"), row.get("source_url")),
    ]


POPUP_ROWS = ("When", "Where", "Type", "Actors", "Fatalities", "Sources")


def popup_html(fields: list[str], event_id: str) -> str:
    """An event's popup from its escaped parts (the map's JavaScript mirrors this)."""
    title, notes, *rest = fields
    rows = "".join(_row(label, value) for label, value in zip(POPUP_ROWS, rest, strict=True))
    return fill(SHELLS["popup"], title=title, notes=notes, rows=rows + _row("ID", event_id))


def tip_html(fields: list[str]) -> str:
    return fill(SHELLS["tip"], title=fields[0], when=fields[2])


def event_popup(row: pd.Series | dict) -> str:
    return popup_html(event_fields(row), escape(row.get("event_id")))
