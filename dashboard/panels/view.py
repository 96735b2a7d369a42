"""The view in session state: widget keys ⇄ `ViewSpec` ⇄ the page's URL.

Owns the session-state keys the sidebar's view widgets write (``layer:<id>``, ``basemap``,
``lang``, ``window``, ``compare``, ``compare_window``, ``types``, ``actors``, ``theatres``,
``show_events``, ``annotations``: a list of `regionmap.Annotation`, which the ``annotations``
panel edits), the ends of the time sliders, and ``view_override`` (a centre and zoom
chosen by a button or a restored snapshot, used once). Draws nothing; must not read
files, build maps or know about other panels.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

import regionmap
from regionmap import ViewSpec

FIRST_DAY = dt.date(1921, 1, 1)


@dataclass(frozen=True)
class Days:
    """The time slider's ends: a window touching one means "open on that side"."""

    first: dt.date
    last: dt.date

    @classmethod
    def of(cls, data: regionmap.Dataset) -> Days:
        """From 1921 to today, or to the last event if one lies in the future."""
        events = data.events.frame
        newest = events["start"].max().date() if len(events) else FIRST_DAY
        return cls(FIRST_DAY, max(dt.date.today(), newest))


def apply_spec(spec: ViewSpec, catalog: regionmap.Catalog, days: Days) -> None:
    """Put a spec into the widgets' session state (first run, reset, or a restored view)."""
    state = st.session_state
    for layer in catalog.layers:
        if layer.role != "basemap":
            state[f"layer:{layer.id}"] = layer.id in spec.layers
    state["basemap"] = spec.basemap
    state["lang"] = spec.lang
    state["window"] = (spec.start or days.first, spec.end or days.last)
    state["compare"] = spec.compare is not None
    if spec.compare is not None:
        start, end = spec.compare
        state["compare_window"] = (start or days.first, end or days.last)
    state["types"] = list(spec.event_types)
    state["actors"] = list(spec.actors)
    state["theatres"] = list(spec.theatres)
    state["show_events"] = spec.show_events
    state["annotations"] = list(spec.annotations)


def initialise(catalog: regionmap.Catalog, days: Days) -> None:
    """On a session's first run, the widgets start from the URL's view (warnings kept)."""
    state = st.session_state
    if "initialised" in state:
        return
    url_spec, url_warnings = ViewSpec.from_query(st.query_params.to_dict(), catalog)
    apply_spec(url_spec, catalog, days)
    state["url_warnings"] = url_warnings
    state["initialised"] = True


def set_window(start: dt.date | None, end: dt.date | None, days: Days) -> None:
    """A preset: None on either side opens the window to the slider's end."""
    st.session_state["window"] = (start or days.first, end or days.last)


def start_compare(days: Days) -> None:
    """Compare switched on: the second window starts as the days after the first; when
    the first runs to today, as the same window a year earlier (the first view compared
    with itself read "up to 29 November 2026 compared with up to 29 November 2026"). The
    slider is not drawn while it is off."""
    state = st.session_state
    if not state.get("compare"):
        return
    start, end = state["window"]
    if end < days.last:
        state["compare_window"] = (end + dt.timedelta(days=1), days.last)
        return
    year_ago = max(start, end - dt.timedelta(days=365))
    state["compare_window"] = (start, year_ago)


def _compare_window(days: Days) -> tuple[dt.date | None, dt.date | None] | None:
    """The second window from the sidebar, open where it touches the slider's ends."""
    state = st.session_state
    if not state.get("compare") or "compare_window" not in state:
        return None
    start, end = state["compare_window"]
    return (None if start <= days.first else start, None if end >= days.last else end)


def override_position(center: tuple[float, float] | None, zoom: int | None) -> None:
    """Frame the next run's map here ((lat, lon), zoom); (None, None) fits the region."""
    st.session_state["view_override"] = (center, zoom)


def reset(catalog: regionmap.Catalog, days: Days) -> None:
    apply_spec(ViewSpec.default(catalog), catalog, days)
    override_position(None, None)


def spec_from_state(catalog: regionmap.Catalog, days: Days) -> ViewSpec:
    """The view the widgets describe; the position comes from an override or the URL."""
    state = st.session_state
    start, end = state["window"]
    if "view_override" in state:
        center, zoom = state.pop("view_override")
    else:
        position, _ = ViewSpec.from_query(
            {k: v for k, v in st.query_params.to_dict().items() if k in ("c", "z")}, catalog
        )
        center, zoom = position.center, position.zoom
    return ViewSpec(
        layers=tuple(
            s.id for s in catalog.layers if s.role != "basemap" and state.get(f"layer:{s.id}")
        ),
        basemap=state["basemap"],
        start=None if start <= days.first else start,
        end=None if end >= days.last else end,
        event_types=tuple(state["types"]),
        actors=tuple(state["actors"]),
        theatres=tuple(state["theatres"]),
        show_events=state["show_events"],
        center=center,
        zoom=zoom,
        lang=state.get("lang", "en"),
        compare=_compare_window(days),
        annotations=tuple(state.get("annotations", ())),
    )


def publish(spec: ViewSpec, catalog: regionmap.Catalog) -> None:
    """The page's URL follows the view, so it can be shared."""
    st.query_params.from_dict(spec.to_query(catalog))
