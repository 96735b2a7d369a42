"""The map: the heading above it, the data problems note, the map itself, and which events
it draws.

Owns the map components (key ``map``, and ``map_compare`` for a compare window's second
map), their height (`regionmap.MAP_HEIGHT_PX`, the one the print map assumes too) and the
list of values the first returns: ``last_active_drawing`` (the clicked feature as
GeoJSON, read by `feature`), ``all_drawings`` (what its drawing toolbar drew, read by
`annotations`), plus ``bounds`` and ``zoom`` in the aggregated view, whose
counts follow the map; so panning reruns the app only there (and ``map_drawn_view:<key>``,
the view each aggregated map was drawn at, so that a rerun draws the same map).
Must not cache the `folium.Map` (it draws blank when reused) nor build or style map parts:
`regionmap.render_map` does.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import regionmap
from regionmap import ViewSpec

CLICKED = "last_active_drawing"  # the clicked layer's GeoJSON feature, with its properties
DRAWN = "all_drawings"  # GeoJSON features drawn with the toolbar: new annotations
PROBLEMS_LISTED = 200  # an ACLED file can have thousands of bad rows: list the first


@dataclass(frozen=True)
class MapEvents:
    """The events the map draws, and what the map must report back to draw them."""

    spec: ViewSpec  # in the aggregated view, centred and zoomed as the map last was
    matching: int  # events the filters keep
    shown: pd.DataFrame  # those the tables list (a store's SQL: only the first of them)
    mode: str  # "markers" or "aggregated", for `shown`
    follows_map: bool  # aggregated before the bounds: panning and zooming rerun
    returned: tuple[str, ...]  # what the map component returns
    in_map: int = 0  # how many events the map stands for (aggregated: inside its bounds)
    cells: pd.DataFrame | None = None  # counts per grid cell, from a store's SQL
    cell_days: pd.DataFrame | None = None  # and per cell and start day, for playback
    drawn: pd.DataFrame | None = None  # what the map draws, when not `shown`: every cell
    drawn_count: int | None = None  # the events the map's legend counts, when not in_map
    drawn_spec: ViewSpec | None = None  # the view the map is drawn from, when not `spec`


def _last_bounds() -> tuple[tuple[float, float, float, float], float] | None:
    """The map's bounds (west, south, east, north) and zoom as the browser last reported."""
    last = st.session_state.get("map") or {}
    bounds, zoom = last.get("bounds") or {}, last.get("zoom")
    sw, ne = bounds.get("_southWest") or {}, bounds.get("_northEast") or {}
    # bounds from a map not yet laid out are a point: filtering by them would hide all
    if zoom and ne.get("lat", 0) > sw.get("lat", 0) and ne.get("lng", 0) > sw.get("lng", 0):
        return (sw["lng"], sw["lat"], ne["lng"], ne["lat"]), regionmap.zoom_value(zoom)
    return None


SQL_ROWS = 5000  # with a store, the most rows any panel shows (the timeline's)
# The map's width is the browser's, unknown here; a first view framed for this width is
# sent with its centre and zoom, so the bounds the map then reports match what was drawn.
NOMINAL_WIDTH_PX = 1000
WHOLE_WORLD_ZOOM = 6  # up to this zoom the aggregated map counts every event in cells


def cell_box(spec: ViewSpec) -> tuple[float, float, float, float]:
    """(west, south, east, north) the aggregated map counts cells in: about three views
    around its centre at its whole zoom, snapped to a grid, so the map stays the same
    while it is panned inside; the world up to zoom 6, where every cell is a few hundred,
    so the map holds every event its legend counts."""
    if math.floor(spec.zoom) <= WHOLE_WORLD_ZOOM:
        return -180.0, -90.0, 180.0, 90.0
    step = 1440 / 2 ** math.floor(spec.zoom)  # about a 1,000 px view's width, in degrees
    lat, lon = spec.center
    w, e = math.floor(lon / step - 1.5) * step, math.ceil(lon / step + 1.5) * step
    s, n = math.floor(lat / step - 1.5) * step, math.ceil(lat / step + 1.5) * step
    return max(w, -180.0), max(s, -90.0), min(e, 180.0), min(n, 90.0)


DRAWN_VIEW = "map_drawn_view:"  # + map key: (the view's position then, the view drawn)


def _followed(spec: ViewSpec, asked_before: tuple | None, last: tuple) -> bool:
    """Whether the view's position is the one it had at the last draw, or the browser's
    own (the page's URL follows the map to 4 decimals, and each rerun reads it back): then
    it is no framing chosen in the sidebar."""
    if (spec.center, spec.zoom) == asked_before:
        return True
    seen, zoom = regionmap.fit_view(last[0])[0], last[1]
    return (
        spec.center is not None
        and spec.zoom == zoom
        and abs(spec.center[0] - seen[0]) < 1e-3
        and abs(spec.center[1] - seen[1]) < 1e-3
    )


def _aggregated_view(
    spec: ViewSpec, data: regionmap.Dataset, key: str
) -> tuple[ViewSpec, ViewSpec]:
    """The view the aggregated map is drawn at, so that its script, and so its component,
    stays the same while the map is panned or zoomed by a quarter: st_folium keys a map by
    its script, and re-centring on each report of the bounds drew the map four times on
    each page open, each in a new frame, and again on each pan.

    A position the view did not have at the last draw (a framing chosen in the sidebar, a
    restored view) is drawn where it says. Else the map is drawn as it last was while the
    browser's view stays in its whole zoom (the cells' size) and inside its `cell_box`,
    and the view's filters are the same; otherwise at the browser's view, so a new map
    opens where the old one was. Returns that view, and the view's own (fitted)."""
    fitted = spec
    if spec.center is None or spec.zoom is None:
        bbox = regionmap.theatres_bbox(data.catalog)
        center, zoom = regionmap.fit_view(bbox, NOMINAL_WIDTH_PX, regionmap.MAP_HEIGHT_PX)
        fitted = spec.replace(center=center, zoom=zoom)
    asked, last = (spec.center, spec.zoom), _last_bounds()
    asked_before, drawn = st.session_state.get(DRAWN_VIEW + key) or (None, None)
    view = fitted
    if last is not None and drawn is not None and _followed(spec, asked_before, last):
        (w, s, e, n), zoom = last
        cw, cs, ce, cn = cell_box(drawn)
        if (
            drawn.replace(center=None, zoom=None) != spec.replace(center=None, zoom=None)
            or math.floor(drawn.zoom) != math.floor(zoom)
            or not (cw <= w and cs <= s and e <= ce and n <= cn)
        ):
            # the Web Mercator centre: the mean of the latitudes lies south of it, so each
            # rerun drew the map further south, which reported new bounds: an endless loop
            view = spec.replace(center=regionmap.fit_view(last[0])[0], zoom=zoom)
        else:
            view = drawn
    st.session_state[DRAWN_VIEW + key] = (asked, view)
    return view, fitted


def events_to_draw(spec: ViewSpec, data: regionmap.Dataset, key: str = "map") -> MapEvents:
    """The events the view keeps; too many for markers, counted in cells for the map and
    listed in the tables for the map's bounds only.

    With a store (DuckDB, PostGIS) the events are counted, gridded and paged in SQL: the
    app holds the cells and the first rows, never the whole selection. ``key`` is the map
    component's (the view it was drawn at is kept per map)."""
    sql = data.store is not None
    event_filter = spec.event_filter()
    if not spec.show_events:
        shown, matching = data.events.frame.iloc[0:0], 0
    elif sql:
        shown, matching = None, data.count_events(event_filter)
    else:
        shown = data.visible_events(spec, light=True)
        matching = len(shown)
    in_map = matching
    mode = regionmap.event_mode(in_map)
    returned: tuple[str, ...] = (CLICKED, DRAWN)
    follows_map = mode == "aggregated"
    drawn = drawn_count = drawn_spec = None
    cell_filter = event_filter
    if follows_map:
        returned += ("bounds", "zoom")
        drawn_spec, spec = _aggregated_view(spec, data, key)
        cell_filter = dataclasses.replace(event_filter, bbox=cell_box(drawn_spec))
        if not sql:
            drawn = regionmap.apply_filter(shown, regionmap.EventFilter(bbox=cell_filter.bbox))
        drawn_count = matching  # the legend, the sidebar and the exports say one number
        last = _last_bounds()
        if last is not None:
            event_filter = dataclasses.replace(event_filter, bbox=last[0])
            if sql:
                in_map = data.count_events(event_filter)
            else:
                shown = regionmap.apply_filter(shown, regionmap.EventFilter(bbox=last[0]))
                in_map = len(shown)
            mode = regionmap.event_mode(in_map)
            if mode == "markers":  # few enough in the bounds: one by one, drawn there
                spec = spec.replace(center=regionmap.fit_view(last[0])[0], zoom=last[1])
                drawn = drawn_count = drawn_spec = None
                cell_filter = event_filter
    cells = cell_days = None
    if sql and spec.show_events:
        shown = data.first_light(event_filter, SQL_ROWS)
        if mode == "aggregated":
            # cells by whole zoom: a quarter step's new cell size would recount the store
            zoom = math.floor((drawn_spec or spec).zoom or 5)
            cells = data.event_cells(cell_filter, zoom)
            cell_days = data.event_cell_days(cell_filter, zoom)
    return MapEvents(
        spec, matching, shown, mode, follows_map, returned, in_map, cells, cell_days,
        drawn, drawn_count, drawn_spec,
    )  # fmt: skip


def heading(spec: ViewSpec, data: regionmap.Dataset, events: MapEvents) -> None:
    """The title with the window, the caption, and the data problems, if any. The count
    is the legend's and the exports' (what the filters keep); in the aggregated view, how
    many of them the map's bounds hold too."""
    st.subheader(f"Where Russia and Turkey meet: events {spec.compare_text()}")
    n = events.matching
    counted = f"{n:,} event{'' if n == 1 else 's'}"
    if events.follows_map and events.in_map != n:
        counted += f" ({events.in_map:,} in view)"
    st.caption(
        f"{' · '.join(t.title for t in data.catalog.theatres)} — "
        f"{len(spec.layers)} layers, {counted} · data as of {data.catalog.as_of} · "
        "click any feature for its sources"
    )
    problems = data.problems
    if problems:
        many = "s" if len(problems) != 1 else ""
        with st.expander(f"⚠️ {len(problems):,} data problem{many} (the rest of the map works)"):
            for problem in problems[:PROBLEMS_LISTED]:
                st.text(str(problem))
            if len(problems) > PROBLEMS_LISTED:
                st.caption(
                    f"… and {len(problems) - PROBLEMS_LISTED:,} more: "
                    "`regionmap validate FILE` lists them all."
                )


def _component(
    events: MapEvents, data: regionmap.Dataset, assets: regionmap.Assets, key: str
) -> Mapping[str, Any]:
    """One map component drawn from ``events.spec``'s first window, under ``key``."""
    n_events = events.in_map if events.drawn_count is None else events.drawn_count
    fmap = regionmap.render_map(
        (events.drawn_spec or events.spec).window_views()[0],
        data,
        assets,
        events=events.shown if events.drawn is None else events.drawn,
        cells=events.cells,
        cell_days=events.cell_days,
        n_events=n_events if data.store is not None or events.drawn is not None else None,
        playback=True,
        draw=key == "map",  # annotations are drawn on the first map (both show them)
    )
    returned = st_folium(
        fmap,
        key=key,
        height=regionmap.MAP_HEIGHT_PX,
        use_container_width=True,
        returned_objects=list(events.returned),
    )
    return returned or {}


def _first_map_position(spec: ViewSpec) -> tuple[tuple[float, float] | None, float | None]:
    """Where the browser last showed the first map ((lat, lon), zoom), else the view's."""
    last = st.session_state.get("map") or {}
    center, zoom = last.get("center") or {}, last.get("zoom")
    if zoom and "lat" in center and "lng" in center:
        return (round(center["lat"], 4), round(center["lng"], 4)), regionmap.zoom_value(zoom)
    return spec.center, spec.zoom


def draw(events: MapEvents, data: regionmap.Dataset, assets: regionmap.Assets) -> Mapping[str, Any]:
    """Draw the map; return what the component reports (empty until the browser answers).

    With a compare window, two maps side by side (keys ``map`` and ``map_compare``), each
    titled with its window. They move together in the browser (the map tools' script sets
    the other's view). The first also returns its centre and zoom, so a later rerun draws
    the second where the first is; the second returns nothing, so moving it reruns
    nothing."""
    first, *second = events.spec.window_views()
    if not second:
        return _component(events, data, assets, "map")
    events = dataclasses.replace(events, returned=(*events.returned, "center", "zoom"))
    center, zoom = _first_map_position(events.spec)
    other = events_to_draw(second[0], data, "map_compare")  # aggregated: in the bounds
    other = dataclasses.replace(other, spec=other.spec.replace(center=center, zoom=zoom),
                                returned=())  # fmt: skip
    left, right = st.columns(2, gap="small")
    with left:
        st.markdown(f"**{first.window_text()}** · {events.in_map:,} events")
        returned = _component(events, data, assets, "map")
    with right:
        st.markdown(f"**{second[0].window_text()}** · {other.in_map:,} events")
        _component(other, data, assets, "map_compare")
    return returned


def drawn_features(returned: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The GeoJSON features drawn on the map with its toolbar since it was last drawn."""
    return list(returned.get(DRAWN) or [])


def clicked_feature(returned: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The feature last clicked on the map, as GeoJSON, or None."""
    return returned.get(CLICKED)
