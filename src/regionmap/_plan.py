"""The map plan: what a view draws and how, decided once for every renderer.

`MapPlan.from_view` takes a `ViewSpec` and a `Dataset` and decides which layers and
features are drawn, each feature's look (in force in the window or not, by the rule in
`regionmap._symbology`), whether events are markers or counts per grid cell, which events,
and the legend's entries. The web renderer (folium) and the print renderer (matplotlib)
only draw a plan, so the PNG, the HTML and the print map of a view agree; neither decides
anything of this itself. Nothing here draws or imports a drawing library.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd
from shapely.geometry.base import BaseGeometry

from regionmap._annotations import PlannedAnnotation, plan_annotations
from regionmap._catalog import BBox, Catalog, LayerSpec
from regionmap._compose import in_window
from regionmap._dataset import Dataset
from regionmap._framing import (
    M_PER_DEG_LAT,
    M_PER_DEG_LON,
    bbox_overlaps,
    halo_decision,
    union_bbox,
    view_size_m,
)
from regionmap._insets import Inset, plan_insets
from regionmap._labels import Label, labels_for_plan
from regionmap._spec import ViewSpec
from regionmap._status import status_at
from regionmap._symbology import (
    AGGREGATED_LABEL,
    INACTIVE_LABEL,
    SPAN_LABEL,
    Look,
    approx_label,
    feature_look,
    halo_label,
    symbol_for,
    variant_look,
)
from regionmap._variants import VariantLabel, dated_variants, label_point

# Beyond this many events, counts per grid cell instead of markers. A marker with ACLED's
# usual notes (about 250 characters) costs about 470 bytes, so 1,000 of them, the layers
# and the events table stay under 1 MB a view; 2,000 would not (1.3 MB, measured).
MAX_MARKERS = 1000
# Dated variants are labelled on the map when they span at least this share of its width.
VARIANT_LABEL_SHARE = 0.05

# A dated status that means the thing does not hold then: drawn as not in force.
STOPPED_STATUSES = ("suspended", "lapsed", "closed")
EventMode = Literal["markers", "aggregated"]
LegendKind = Literal[
    "theatre", "layer", "events", "event_type", "span", "halo", "aggregated", "key",
    "basemap", "inactive", "note", "variant", "approximate",
]  # fmt: skip
GeometryKind = Literal["polygon", "line", "point"]


def event_mode(n_events: int) -> EventMode:
    """'markers' (one per event) or 'aggregated' (counts per cell) for this many events."""
    return "markers" if n_events <= MAX_MARKERS else "aggregated"


def theatres_bbox(catalog: Catalog) -> BBox:
    """(west, south, east, north) in degrees around every theatre: the first view."""
    return union_bbox([t.bbox for t in catalog.theatres]) or catalog.region_bbox


def _blank(value: object) -> object:
    """None for the empty values a GeoJSON/CSV column may hold (NaN, NA, '')."""
    if value is None or value == "":
        return None
    try:
        return None if pd.isna(value) else value
    except (TypeError, ValueError):
        return value


def _kind(geom: BaseGeometry) -> GeometryKind:
    name = geom.geom_type
    if "Polygon" in name:
        return "polygon"
    return "line" if "LineString" in name else "point"


@dataclass(frozen=True)
class PlannedFeature:
    """One feature as drawn: display geometry (EPSG:4326, lon/lat, simplified for drawing),
    its stored properties (for popups and exports), in force or not, and its look."""

    geometry: BaseGeometry
    record: dict
    active: bool
    look: Look
    why: str = ""  # why it is drawn inactive: outside its dates, or its status at the end
    period: str = ""  # a dated variant's period ("Nov 2020 – Aug 2022"); "" if none
    older: bool = False  # a dated variant with a later one in the window


@dataclass(frozen=True)
class PlannedLayer:
    """A visible layer and its features, in catalog order; ``kinds`` says which geometry
    kinds it draws, for its legend swatch."""

    layer: LayerSpec
    features: tuple[PlannedFeature, ...]
    kinds: frozenset[GeometryKind]

    @property
    def bbox(self) -> BBox | None:
        """(west, south, east, north) degrees of what the layer draws; None if nothing."""
        return union_bbox([f.geometry.bounds for f in self.features if not f.geometry.is_empty])


@dataclass(frozen=True)
class LegendEntry:
    """One legend row. ``layer`` and ``kinds`` for a layer row (its swatch); ``symbol``
    (colour, shape) and ``hollow`` for an event row; a header row has kind "theatre",
    "events" or "key"."""

    kind: LegendKind
    label: str
    layer: LayerSpec | None = None
    kinds: frozenset[GeometryKind] = frozenset()
    symbol: tuple[str, str] | None = None
    hollow: bool = False
    detail: str = ""  # a theatre's "as of" date: its newest checked fact
    look: Look | None = None  # a dated variant's look, or a layer's all out of force
    bbox: BBox | None = None  # what a layer or theatre row draws: the map keeps rows in view

    @property
    def header(self) -> bool:
        return self.kind in ("theatre", "events", "key")


@dataclass
class MapPlan:
    """Everything a renderer needs for one view; build it with `MapPlan.from_view`.

    ``events`` are the events in the view (light columns when aggregated); ``markers`` the
    complete rows drawn one by one (empty when aggregated); ``n_events`` their count.
    """

    spec: ViewSpec
    dataset: Dataset
    basemap: LayerSpec | None
    layers: tuple[PlannedLayer, ...]
    events: pd.DataFrame
    markers: pd.DataFrame
    mode: EventMode
    event_types: tuple[str, ...]
    unavailable: dict[str, str] = field(default_factory=dict)
    cells: pd.DataFrame | None = None  # counts per grid cell made elsewhere (a store's SQL)
    total: int | None = None  # how many events the view has, when ``events`` is the first few
    # halo radius (m) by geo_precision: drawn as a halo, or too large for this map and
    # drawn "approximate ± N km" instead (see `halo_decision`)
    halos: dict[int, int] = field(default_factory=dict)
    approximate: dict[int, int] = field(default_factory=dict)
    view_m: tuple[float, float] = (0.0, 0.0)  # (width, height) of ground the map shows, m
    labels: tuple[Label, ...] = ()  # names drawn, placed clear of each other (regionmap._labels)
    insets: tuple[Inset, ...] = ()  # a locator or detail maps the print map carries (_insets)
    annotations: tuple[PlannedAnnotation, ...] = ()  # the user's notes and arrows, text placed

    @property
    def n_events(self) -> int:
        if not self.spec.show_events:
            return 0
        return len(self.events) if self.total is None else self.total

    @property
    def any_inactive(self) -> bool:
        return any(not f.active for layer in self.layers for f in layer.features)

    @property
    def bounds(self) -> BBox:
        """(west, south, east, north) a view without a centre is fitted to."""
        return theatres_bbox(self.dataset.catalog)

    @classmethod
    def from_view(
        cls,
        spec: ViewSpec,
        dataset: Dataset,
        events: pd.DataFrame | None = None,
        *,
        cells: pd.DataFrame | None = None,
        n_events: int | None = None,
        size_px: tuple[int, int] | None = None,
    ) -> MapPlan:
        """Decide the view. ``events`` may be passed when the caller filtered already; a
        light selection (`Dataset.visible_events(light=True)`) gets its full rows for the
        markers it shows. ``cells`` (grid counts made elsewhere, e.g. in SQL) and
        ``n_events`` (the view's count, when ``events`` holds only the first of them) let
        a store-backed view skip the whole selection. ``size_px`` is the map's (width,
        height) in CSS pixels where known (a browser snapshot), for the halo decision."""
        catalog = dataset.catalog
        basemap = next((s for s in catalog.layers if s.role == "basemap"), None)
        layers = tuple(
            _plan_layer(spec, dataset, layer)
            for layer in catalog.layers
            if layer.role != "basemap" and layer.id in spec.layers
        )
        chosen = dataset.events.frame.iloc[0:0]
        if spec.show_events:
            chosen = events if events is not None else dataset.visible_events(spec, light=True)
        mode = event_mode(len(chosen) if n_events is None else n_events)
        markers = chosen.iloc[0:0]
        if spec.show_events and mode == "markers" and len(chosen):
            markers = chosen if "title" in chosen else dataset.first_events(chosen, MAX_MARKERS)
        types = tuple(sorted(str(t) for t in chosen["event_type"].unique())) if len(chosen) else ()
        plan = cls(
            spec,
            dataset,
            basemap,
            layers,
            chosen,
            markers,
            mode,
            types,
            dataset.unavailable(),
            cells,
            n_events,
        )
        plan.halos, plan.approximate = halo_decision(spec, plan.bounds, size_px, markers)
        plan.view_m = view_size_m(spec, plan.bounds, size_px)
        plan.labels = labels_for_plan(plan)  # after the halos: labels avoid the symbols
        plan.insets = plan_insets(plan)
        plan.annotations = plan_annotations(spec.annotations)
        return plan

    def halo_m(self, geo_precision: object) -> int:
        """The halo radius in metres to draw around an event of ``geo_precision``; 0 for
        none (a precise place, or one drawn "approximate ± N km")."""
        code = _precision(geo_precision)
        return self.halos.get(code, 0) if code is not None else 0

    def approximate_m(self, geo_precision: object) -> int:
        """The ± radius in metres of an event drawn "approximate" instead of a halo; 0 else."""
        code = _precision(geo_precision)
        return self.approximate.get(code, 0) if code is not None else 0

    def variant_labels(self) -> list[VariantLabel]:
        """One label per period of each layer's dated variants, on the map (lon, lat), where
        the variants span at least `VARIANT_LABEL_SHARE` of the map's width: at region scale
        the corridor is a few pixels long and its periods are told by the legend alone."""
        out = []
        for planned in self.layers:
            groups: dict[tuple[str, bool], list[BaseGeometry]] = {}
            for f in planned.features:
                if f.period:
                    groups.setdefault((f.period, f.older), []).append(f.geometry)
            if not groups or _span_m(planned) < VARIANT_LABEL_SHARE * self.view_m[0]:
                continue
            for (text, older), geoms in groups.items():
                lon, lat = label_point(geoms, older)
                out.append(VariantLabel(planned.layer.id, text, lon, lat, older))
        return out

    def legend(
        self, off_map: pd.Series | None = None, extent: BBox | None = None
    ) -> list[LegendEntry]:
        """The legend's rows: per theatre its layers, then the events, then the key.

        ``off_map`` (a boolean mask over ``events``) names the events a print map's extent
        leaves out, so a reader knows they exist; the web map can be panned instead.
        ``extent`` (west, south, east, north degrees; a print map's) drops the layers that
        draw nothing inside it, and the theatres left empty: a map of the Lachin corridor
        does not explain Libya's front line. Layer and theatre rows carry their ``bbox``
        so the web map can do the same as it is panned.
        """
        out: list[LegendEntry] = []
        titles = {t.id: t.title for t in self.dataset.catalog.theatres}
        fresh = self.dataset.theatre_freshness()
        grouped: dict[str, list[PlannedLayer]] = {}
        for planned in self.layers:
            if extent is None or bbox_overlaps(planned.bbox, extent):
                grouped.setdefault(planned.layer.theatre, []).append(planned)
        for theatre_id, planned_layers in grouped.items():
            title = titles.get(theatre_id, theatre_id or "Your data")
            checked = fresh.get(theatre_id, "")
            box = union_bbox([p.bbox for p in planned_layers if p.bbox is not None])
            detail = f"as of {checked}" if checked else ""
            out.append(LegendEntry("theatre", title, detail=detail, bbox=box))
            for planned in planned_layers:
                layer = planned.layer
                label = layer.title + (" (unavailable)" if layer.id in self.unavailable else "")
                kinds = planned.kinds or frozenset({"line"})
                ended = planned.features and not any(f.active for f in planned.features)
                look = planned.features[0].look if ended else None  # keyed as drawn: grey
                out.append(LegendEntry("layer", label, layer, kinds, look=look, bbox=planned.bbox))
                out += _variant_entries(planned)
        if self.spec.show_events:
            out += self._event_entries(off_map)
        out.append(LegendEntry("key", "Key"))
        if self.basemap is not None:
            out.append(LegendEntry("basemap", self.basemap.title, self.basemap))
        if self.any_inactive:
            out.append(LegendEntry("inactive", INACTIVE_LABEL))
        return out

    def _event_entries(self, off_map: pd.Series | None) -> list[LegendEntry]:
        events = self.events
        off = off_map if off_map is not None else pd.Series(False, index=events.index)
        beyond = f"; {int(off.sum())} off the map" if off.any() else ""
        out = [LegendEntry("events", f"Events ({self.n_events:,}{beyond})")]
        if len(events) == 0:
            out.append(LegendEntry("note", "none in this window"))
        on_map = set(events.loc[~off, "event_type"].astype(str)) if off.any() else None
        out += [
            LegendEntry("event_type", t, symbol=symbol_for(t))
            for t in self.event_types
            if on_map is None or t in on_map  # a type drawn only off the map is not keyed
        ]
        if off.any():
            places = events.loc[off, "location"].fillna("?").astype(str).value_counts()
            named = [f"{p} ({n})" if n > 1 else p for p, n in places.head(5).items()]
            if len(places) > 5:
                named.append(f"{len(places) - 5} more places")
            out.append(LegendEntry("note", f"off the map: {', '.join(named)}"))
        if self.mode == "aggregated":
            out.append(LegendEntry("aggregated", AGGREGATED_LABEL))
        if len(events) and events["is_span"].fillna(False).astype(bool).any():
            out.append(LegendEntry("span", SPAN_LABEL, symbol=("#444444", "circle"), hollow=True))
        if len(events):
            codes = set(
                pd.to_numeric(events["geo_precision"], errors="coerce").dropna().astype(int)
            )
            drawn = sorted({self.halos[c] for c in codes if c in self.halos})
            approx = sorted({self.approximate[c] for c in codes if c in self.approximate})
            if drawn:
                out.append(LegendEntry("halo", halo_label(drawn)))
            if approx:
                out.append(LegendEntry("approximate", approx_label(approx)))
        return out


def _span_m(planned: PlannedLayer) -> float:
    """The larger side in metres of the box around a layer's dated variants."""
    boxes = [f.geometry.bounds for f in planned.features if f.period]
    west, south = min(b[0] for b in boxes), min(b[1] for b in boxes)
    east, north = max(b[2] for b in boxes), max(b[3] for b in boxes)
    cos_lat = math.cos(math.radians((south + north) / 2))
    return max((east - west) * M_PER_DEG_LON * cos_lat, (north - south) * M_PER_DEG_LAT)


def _precision(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def _variant_entries(planned: PlannedLayer) -> list[LegendEntry]:
    """A row per dated variant of a layer: its period and its look, oldest first."""
    seen: dict[str, PlannedFeature] = {}
    for f in planned.features:
        if f.period and f.period not in seen:
            seen[f.period] = f
    rows = sorted(seen.values(), key=lambda f: not f.older)
    return [
        LegendEntry(
            "variant",
            f"{planned.layer.title}: {f.period}",
            planned.layer,
            planned.kinds,
            look=f.look,
            bbox=f.geometry.bounds,
        )
        for f in rows
    ]


def _in_force(record: dict, spec: ViewSpec) -> tuple[bool, str]:
    """Whether a feature holds in the view's window, and if not, why.

    It does not when the window (its last day, if the start is open: `ViewSpec.layer_window`)
    misses its ``valid_from``–``valid_to``, nor when its
    dated status at the window's end (today if open) is suspended, lapsed or closed: the
    Lachin road after 11 July 2023, the Sochi strips' patrols while suspended."""
    start, end = _blank(record.get("valid_from")), _blank(record.get("valid_to"))
    if not in_window(start, end, *spec.layer_window()):
        when = "in this window" if spec.start else "on the window's last day"
        return False, f"not in force {when}: {start or '…'} – {end or 'now'}"
    periods = _blank(record.get("status_periods"))
    period = status_at(periods, spec.end) if periods is not None else None
    if period is not None and period.get("status") in STOPPED_STATUSES:
        return False, f"{period['status']} at the window's end (since {period.get('from')})"
    return True, ""


def _plan_layer(spec: ViewSpec, dataset: Dataset, layer: LayerSpec) -> PlannedLayer:
    shown = dataset.display.get(layer.id)
    stored = dataset.layers[layer.id].frame if layer.id in dataset.layers else None
    if shown is None or stored is None or len(shown) == 0:
        return PlannedLayer(layer, (), frozenset())
    records = dataset.layer_records(layer.id)
    features = []
    variants = dated_variants(records, list(shown.geometry), spec)
    for geom, record, variant in zip(shown.geometry, records, variants, strict=True):
        active, why = _in_force(record, spec)
        look = feature_look(layer.style, active)
        period, older = variant or ("", False)
        look = variant_look(look, older)
        features.append(PlannedFeature(geom, record, active, look, why, period, older))
    kinds = frozenset(_kind(f.geometry) for f in features if not f.geometry.is_empty)
    return PlannedLayer(layer, features, kinds)
