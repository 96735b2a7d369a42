"""Insets, decided once in the map plan: a locator on a close view, detail maps at region scale.

A print map of the Lachin corridor at zoom 10 does not say where in the region it lies; a
map of the whole region shows the corridor and the Syrian patrol strips a few pixels wide.
`plan_insets` decides which small maps a view carries; the print renderer
(`regionmap.plot._insets`) places and draws them. Nothing here draws.

How small is too small: polygons are read by their width (a strip 5 km wide along a
road), lines by their length; a theatre's size is the median of its drawn polygons' and
lines' sizes. Points are left out: a marker stays legible at any scale, so Akkuyu, a
plant and its port, needs no detail inset.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import shapely
from shapely.geometry.base import BaseGeometry

from regionmap._catalog import BBox
from regionmap._framing import FRAME_PX, M_PER_DEG_LAT, M_PER_DEG_LON

if TYPE_CHECKING:
    from regionmap._plan import MapPlan, PlannedLayer

# A view covering less than this share of the catalog's region gets a locator inset.
LOCATOR_SHARE = 1 / 8
# At region scale, a theatre whose features are read at fewer pixels than this (on the
# map's reference frame, `regionmap._framing.FRAME_PX`) gets a detail inset.
DETAIL_MIN_PX = 25
MAX_DETAILS = 3  # more would crowd the map they are meant to explain
DETAIL_PAD = 0.12  # of the detail box's larger side, each way
LOCATOR_TITLE = "Where this map lies"

InsetKind = Literal["locator", "detail"]


@dataclass(frozen=True)
class Inset:
    """One small map: ``kind`` "locator" or "detail"; ``bbox`` what it shows (west, south,
    east, north; degrees lon/lat, EPSG:4326); ``theatre`` the detailed theatre's id ("" for
    the locator); ``title`` its caption; ``mark`` the box outlined on it (the locator's
    view extent, red) or, for a detail, on the main map (its leader box), same units."""

    kind: InsetKind
    bbox: BBox
    theatre: str
    title: str
    mark: BBox


def _box_m(box: BBox) -> tuple[float, float]:
    """(width, height) in metres of a lon/lat box, at its middle latitude."""
    west, south, east, north = box
    cos_lat = max(0.05, math.cos(math.radians((south + north) / 2)))
    return (east - west) * M_PER_DEG_LON * cos_lat, (north - south) * M_PER_DEG_LAT


def view_box(plan: MapPlan) -> BBox:
    """The (west, south, east, north) degrees a plan's view shows: its centre ± half the
    ground `MapPlan.view_m` says, else the bounds it is fitted to."""
    if plan.spec.center is None or plan.spec.zoom is None:
        return plan.bounds
    lat, lon = plan.spec.center
    half_w, half_h = plan.view_m[0] / 2, plan.view_m[1] / 2
    d_lon = half_w / (M_PER_DEG_LON * max(0.05, math.cos(math.radians(lat))))
    d_lat = half_h / M_PER_DEG_LAT
    return (lon - d_lon, lat - d_lat, lon + d_lon, lat + d_lat)


def feature_size_m(geom: BaseGeometry) -> float | None:
    """How large a polygon or line reads, in metres: a polygon's width (twice its area
    over its perimeter: a strip's width, half a square's side), a line's longer bbox
    side; None for points and empty geometries."""
    if geom.is_empty or "Point" in geom.geom_type:
        return None
    west, south, east, north = geom.bounds
    cos_lat = max(0.05, math.cos(math.radians((south + north) / 2)))
    if "Polygon" in geom.geom_type:
        local = shapely.transform(geom, lambda xy: xy * (M_PER_DEG_LON * cos_lat, M_PER_DEG_LAT))
        return 2 * local.area / max(local.length, 1e-9)
    return max(_box_m(geom.bounds))


def _theatre_features(plan: MapPlan, theatre: str) -> list[BaseGeometry]:
    """The theatre's own features; not the context its layers with a box of their own
    bring (Natural Earth's breakaway lines beside the Kars borders)."""
    layers: list[PlannedLayer] = [
        p for p in plan.layers if p.layer.theatre == theatre and p.layer.bbox is None
    ]
    return [f.geometry for p in layers for f in p.features if feature_size_m(f.geometry)]


def _padded(geoms: list[BaseGeometry]) -> BBox:
    """The geometries' joint bounds grown by `DETAIL_PAD` of the larger side each way."""
    bounds = [g.bounds for g in geoms]
    west, south = min(b[0] for b in bounds), min(b[1] for b in bounds)
    east, north = max(b[2] for b in bounds), max(b[3] for b in bounds)
    pad = DETAIL_PAD * max(east - west, north - south, 0.05)
    return (west - pad, south - pad, east + pad, north + pad)


def _inside(inner: BBox, outer: BBox) -> bool:
    return (
        inner[0] >= outer[0]
        and inner[1] >= outer[1]
        and inner[2] <= outer[2]
        and inner[3] <= outer[3]
    )


def plan_insets(plan: MapPlan) -> tuple[Inset, ...]:
    """The view's insets: a locator when its ground is under `LOCATOR_SHARE` of the
    catalog's region; else (region scale) a detail inset, at most `MAX_DETAILS`, for each
    shown theatre on the map whose features read under `DETAIL_MIN_PX` on the reference
    frame, smallest first. Needs ``plan.view_m`` set."""
    catalog = plan.dataset.catalog
    region = catalog.region_bbox
    view = view_box(plan)
    region_w, region_h = _box_m(region)
    if plan.view_m[0] * plan.view_m[1] < LOCATOR_SHARE * region_w * region_h:
        return (Inset("locator", region, "", LOCATOR_TITLE, view),)
    m_per_px = plan.view_m[0] / FRAME_PX[0]
    small: list[tuple[float, Inset]] = []
    for theatre in catalog.theatres:
        geoms = _theatre_features(plan, theatre.id)
        if not geoms:
            continue
        size_px = statistics.median(feature_size_m(g) or 0.0 for g in geoms) / m_per_px
        box = _padded(geoms)
        if size_px < DETAIL_MIN_PX and _inside(box, view):
            small.append((size_px, Inset("detail", box, theatre.id, theatre.title, box)))
    small.sort(key=lambda pair: pair[0])
    return tuple(inset for _, inset in small[:MAX_DETAILS])
