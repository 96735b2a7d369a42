"""A map plan drawn as a folium (Leaflet) map: the dashboard's map and the HTML export."""

from __future__ import annotations

import re

import folium
import pandas as pd
from branca.element import Element

from regionmap._dataset import Dataset
from regionmap._plan import MapPlan, PlannedFeature, PlannedLayer
from regionmap._spec import ViewSpec
from regionmap._symbology import Look, feature_look, variant_look
from regionmap.web._annotations import AnnotationLayer, DrawTools
from regionmap.web._assets import Assets
from regionmap.web._basemap import add_basemap
from regionmap.web._cells import aggregate_events, cell_size_deg
from regionmap.web._cube import cell_days as count_cell_days
from regionmap.web._elements import (
    EventAggregateLayer,
    EventLayer,
    LayerToggles,
    Legend,
    MapLabels,
    MapTools,
    OverlayLayer,
    VariantLabels,
    stylesheet,
)
from regionmap.web._escape import escape
from regionmap.web._legend import legend_html
from regionmap.web._playback import Playback, feature_timing
from regionmap.web._popups import feature_popup


def leaflet_style(look: Look) -> dict:
    """A `regionmap._symbology.Look` as a Leaflet path style."""
    return {
        "color": look.color,
        "weight": look.weight,
        "dashArray": look.dash or None,
        "fillColor": look.fill_color,
        "fillOpacity": look.fill_opacity,
        "opacity": look.opacity,
    }


def _timed(planned: PlannedLayer, feature: PlannedFeature) -> dict:
    """What playback needs of a feature: its dates and both its looks, in force or not."""
    style = planned.layer.style
    return {
        "rm_t": feature_timing(feature.record),
        "rm_on": leaflet_style(variant_look(feature_look(style, True), feature.older)),
        "rm_off": leaflet_style(variant_look(feature_look(style, False), feature.older)),
    }


def _layer_geojson(plan: MapPlan, planned: PlannedLayer, timed: bool = False) -> dict:
    """Only escaped, display-ready properties reach the page: no raw data text. ``timed``
    adds each feature's dates and looks for playback (`_timed`)."""
    features = []
    for feature in planned.features:
        props = feature.record
        tip = escape(props.get("name")) + (
            "" if feature.active else f" <i>({escape(feature.why)})</i>"
        )
        features.append(
            {
                "type": "Feature",
                "geometry": feature.geometry.__geo_interface__,
                "properties": {
                    "rm_id": escape(props.get("id")),
                    "tip": tip,
                    "popup": feature_popup(props, planned.layer, plan.spec.end),
                    "style": leaflet_style(feature.look),
                    **(_timed(planned, feature) if timed else {}),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def render_map(
    spec: ViewSpec,
    dataset: Dataset,
    assets: Assets | None = None,
    events: pd.DataFrame | None = None,
    *,
    cells: pd.DataFrame | None = None,
    n_events: int | None = None,
    layer_control: bool = False,
    animate: bool = True,
    size_px: tuple[int, int] | None = None,
    page: bool = False,
    playback: bool = False,
    draw: bool = False,
    cell_days: pd.DataFrame | None = None,
) -> folium.Map:
    """The folium map of ``spec``: the `MapPlan` of the view, drawn.

    ``events``, ``cells`` and ``n_events`` may be passed when the caller filtered (or a
    store counted) already; see `MapPlan.from_view`. ``cell_days`` (a store's
    `regionmap.Dataset.event_cell_days` beside its ``cells``) lets playback step the cells.
    ``layer_control`` adds Leaflet's own layer toggles, for standalone pages; the dashboard
    leaves it out so its sidebar is the one place layers are switched. ``animate=False``
    makes the first frame final, for screenshots. ``spec.center`` is (latitude, longitude).
    ``size_px`` is the map's (width, height) in CSS pixels where known (an export), for
    the plan's halo decision. ``page`` (an exported page) names every legend row and fits
    the legend inside the map. ``playback`` adds the play control (`web._playback`), for
    the dashboard: it steps through the window in the browser. ``draw`` adds the drawing
    toolbar (`web._annotations.DrawTools`), for the dashboard's annotations.
    """
    plan = MapPlan.from_view(spec, dataset, events, cells=cells, n_events=n_events, size_px=size_px)
    fmap = draw_plan(plan, assets, layer_control, animate, page, playback, cell_days)
    if draw:
        DrawTools(assets or Assets()).add_to(fmap)
    return fmap


def draw_plan(
    plan: MapPlan,
    assets: Assets | None = None,
    layer_control: bool = False,
    animate: bool = True,
    page: bool = False,
    playback: bool = False,
    cell_days: pd.DataFrame | None = None,
) -> folium.Map:
    """Draw a plan as a folium map; nothing is decided here. ``page``, ``playback``,
    ``cell_days``: see `render_map` (without ``cell_days`` the plan's events are counted
    per cell and day here, unless its cells came from elsewhere)."""
    assets = assets or Assets()
    spec = plan.spec
    if spec.center is not None and spec.zoom is not None:
        location, zoom = spec.center, spec.zoom
    else:
        location, zoom = None, None
    fmap = folium.Map(
        location=location, zoom_start=zoom or 5, tiles=None, control_scale=True, prefer_canvas=False
    )
    # Without tiles folium sets no zoom range on the map itself; MarkerCluster needs one.
    # Quarter zoom steps let the first view frame the theatres tightly.
    fmap.options.update(min_zoom=3, max_zoom=16, zoom_snap=0.25, zoom_delta=0.5)
    if not animate:
        fmap.options.update(zoom_animation=False, fade_animation=False, marker_zoom_animation=False)
    fmap.default_js = assets.js()
    fmap.default_css = assets.css()
    if location is None:
        w, s, e, n = plan.bounds
        fmap.fit_bounds([[s, w], [n, e]])
    fmap.get_root().header.add_child(Element(stylesheet()))
    add_basemap(fmap, spec, plan.dataset, assets)
    for planned in plan.layers:
        if planned.features:
            data = _layer_geojson(plan, planned, playback)
            OverlayLayer(planned.layer.id, data, planned.layer.style.radius).add_to(fmap)
    n_cells = 0
    if spec.show_events and plan.mode == "aggregated":
        cells = (
            plan.cells if plan.cells is not None else aggregate_events(plan.events, spec.zoom or 5)
        )
        EventAggregateLayer(cells).add_to(fmap)
        n_cells = len(cells)
        if playback and cell_days is None and plan.cells is None:
            cell_days = count_cell_days(plan.events, cell_size_deg(spec.zoom or 5))
    elif len(plan.markers):
        EventLayer(plan.markers, assets, plan).add_to(fmap)
    if plan.variant_labels():
        VariantLabels(plan).add_to(fmap)
    if plan.labels:
        MapLabels(plan.labels).add_to(fmap)
    if plan.annotations:
        AnnotationLayer(plan.annotations).add_to(fmap)
    Legend(legend_html(plan, full=page), fit=page).add_to(fmap)
    if layer_control:
        titles = {s.id: s.title for s in plan.dataset.catalog.layers}
        titles["events"] = "Events"
        LayerToggles(titles).add_to(fmap)
    MapTools().add_to(fmap)
    if playback:
        Playback(plan, cell_days, n_cells).add_to(fmap)
    return fmap


def map_summary(fmap: folium.Map) -> dict:
    """What a rendered map contains, for tests and benchmarks: counts by kind."""
    page = fmap.get_root().render()
    return {
        "markers": page.count('"eid": '),
        "geojson_layers": page.count("L.geoJSON("),
        "bytes": len(page.encode("utf-8")),
        "external_urls": sorted(set(map_summary_urls(page))),
    }


def map_summary_urls(page: str) -> list[str]:
    """The http(s) scripts and stylesheets a page loads (an offline page has none)."""
    return re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', page)
