"""Map labels: which names a view shows, in which language, and where, decided once.

The map plan asks `place_labels` for its labels, and both renderers draw that list as it
is, so the browser map and the print map name the same places in the same spots. Names
come from the curated places (``label_en``/``label_tr``/``label_ru``, checked against
GeoNames) first, then the countries of the Natural Earth basemap (``name``/``name_tr``/
``name_ru``). Where a name is missing in the chosen language the English one is shown and
the label says so (``fallback``: drawn in italics).

Placement is greedy in Web Mercator pixels at the view's zoom: text boxes are estimated
from character counts and the font size in CSS pixels, and a label is kept only where its
box stays inside the view and clear of every label already placed and of every point
symbol (the named place's own symbol included), so labels never hide each other or the
places they name. Nothing here draws.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import shapely
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from regionmap._catalog import BBox
from regionmap._spec import LANGS, fit_view

if TYPE_CHECKING:
    from regionmap._plan import MapPlan

__all__ = ["LANGS", "Candidate", "Label", "labels_for_plan", "place_labels", "text_box"]
LabelKind = Literal["place", "country", "town"]
Anchor = Literal["center", "right", "left", "above", "below"]
FONT_PX: dict[str, float] = {"place": 12.0, "country": 14.0, "town": 11.0}
CHAR_WIDTH = 0.6  # an average glyph's width / the font size, for a sans-serif face
LINE_HEIGHT = 1.25  # a line's height / the font size
GAP_PX = 3.0  # between a symbol's edge and its label
PLACE_ANCHORS: tuple[Anchor, ...] = ("right", "left", "above", "below")
VIEW_PX = (1000, 620)  # the dashboard map's size in CSS pixels, for a view without a zoom


@dataclass(frozen=True)
class Label:
    """One label as drawn. ``lon``/``lat`` (degrees, EPSG:4326) is the point it names;
    ``anchor`` says on which side of that point the text lies ("center": on it), with
    ``offset_px`` CSS pixels between the point and the text. ``priority``: lower was
    placed first. ``fallback``: no name in the view's language, the English one shown."""

    text: str
    lon: float
    lat: float
    priority: int
    kind: LabelKind
    anchor: Anchor
    offset_px: float = 0.0
    fallback: bool = False
    dot: bool = False  # a town's dot, drawn with its name (not under an event's marker)

    @property
    def font_px(self) -> float:
        return FONT_PX[self.kind]


@dataclass(frozen=True)
class Candidate:
    """A name that may be placed: the point (lon, lat) or area it names, the radius of
    its symbol in CSS pixels (0 for an area), and its rank (lower first)."""

    text: str
    fallback: bool
    kind: LabelKind
    priority: int
    geometry: BaseGeometry
    symbol_px: float = 0.0
    dot: bool = False  # the renderers draw a dot at the point with the name (towns)


def name_in(record: dict, lang: str, prefix: str) -> tuple[str, bool] | None:
    """(name, fallback) for ``lang`` from ``<prefix>_<lang>``, else the English name.

    ``prefix`` is "label" for curated places (``label_en``...) and "name" for countries
    (``name`` is English there). None when the record has no name at all."""
    english = record.get(f"{prefix}_en") or (record.get("name") if prefix == "name" else None)
    own = english if lang == "en" else record.get(f"{prefix}_{lang}")
    if _text(own):
        return str(own), False
    return (str(english), True) if _text(english) else None


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def view_zoom(center: tuple[float, float] | None, zoom: int | None, bounds: BBox) -> tuple:
    """(west, south, east, north, zoom) the labels are placed for.

    ``center`` is (lat, lon) and ``zoom`` a Web Mercator zoom, as in `ViewSpec`; without
    them ``bounds`` (west, south, east, north, degrees) is fitted to `VIEW_PX`."""
    if center is None or zoom is None:
        center, zoom = fit_view(bounds, *VIEW_PX)
    lat, lon = center
    half_w, half_h = VIEW_PX[0] / 2, VIEW_PX[1] / 2
    x, y = _px(lon, lat, zoom)
    west, north = _lonlat(x - half_w, y - half_h, zoom)
    east, south = _lonlat(x + half_w, y + half_h, zoom)
    return west, south, east, north, zoom


def _px(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    """Web Mercator pixel (x east, y south) of (lon, lat) at ``zoom``."""
    world = 256 * 2.0**zoom
    lat = max(-85.0, min(85.0, lat))
    merc = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return (lon + 180) / 360 * world, (1 - merc / math.pi) / 2 * world


def _lonlat(x: float, y: float, zoom: float) -> tuple[float, float]:
    world = 256 * 2.0**zoom
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / world))))
    return x / world * 360 - 180, lat


Rect = tuple[float, float, float, float]  # (left, top, right, bottom) in pixels
CELL_PX = 64.0  # the bucket size of the collision grid


def _rect(label: Label, zoom: float) -> Rect:
    w = len(label.text) * label.font_px * CHAR_WIDTH * (1.1 if label.kind == "country" else 1)
    h = label.font_px * LINE_HEIGHT
    x, y = _px(label.lon, label.lat, zoom)
    d = label.offset_px
    left, top = {
        "center": (x - w / 2, y - h / 2),
        "right": (x + d, y - h / 2),
        "left": (x - d - w, y - h / 2),
        "above": (x - w / 2, y - d - h),
        "below": (x - w / 2, y + d),
    }[label.anchor]
    return left, top, left + w, top + h


def text_box(label: Label, zoom: float) -> shapely.Polygon:
    """The label's text box in Web Mercator pixels at ``zoom``, estimated from its
    characters and font size; x grows east, y south."""
    return box(*_rect(label, zoom))


class _Grid:
    """Rectangles and circles (pixels) bucketed by cell, so a test looks only nearby."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[tuple]] = {}

    def _keys(self, r: Rect) -> Iterable[tuple[int, int]]:
        for i in range(int(r[0] // CELL_PX), int(r[2] // CELL_PX) + 1):
            for j in range(int(r[1] // CELL_PX), int(r[3] // CELL_PX) + 1):
                yield i, j

    def add(self, shape: tuple) -> None:
        """A rect (left, top, right, bottom) or a circle (x, y, radius)."""
        bounds = shape if len(shape) == 4 else _circle_rect(*shape)
        for key in self._keys(bounds):
            self.cells.setdefault(key, []).append(shape)

    def hits(self, r: Rect, texts_only: bool = False) -> bool:
        """Whether ``r`` meets a shape here; ``texts_only``: a label's box, not a symbol."""
        return any(
            _meets(r, other)
            for key in self._keys(r)
            for other in self.cells.get(key, ())
            if not texts_only or len(other) == 4
        )


def _circle_rect(x: float, y: float, radius: float) -> Rect:
    return x - radius, y - radius, x + radius, y + radius


def _meets(r: Rect, shape: tuple) -> bool:
    if len(shape) == 4:
        return r[0] < shape[2] and shape[0] < r[2] and r[1] < shape[3] and shape[1] < r[3]
    x, y, radius = shape
    dx, dy = max(r[0] - x, 0.0, x - r[2]), max(r[1] - y, 0.0, y - r[3])
    return dx * dx + dy * dy < radius * radius


def place_labels(
    candidates: Sequence[Candidate],
    obstacles: Iterable[tuple[float, float, float]],
    view: tuple,
) -> tuple[Label, ...]:
    """Greedy placement: each candidate in priority order takes its first free position.

    Parameters
    ----------
    candidates : sequence of Candidate
        Points get four positions around their symbol; areas (countries, already cut
        to the view) a few points inside their largest part, the most central first.
    obstacles : iterable of (lon, lat, radius_px)
        Point symbols (places, events) no label may cover; degrees and CSS pixels.
    view : tuple
        (west, south, east, north, zoom) from `view_zoom`.

    Returns
    -------
    tuple of Label
        The placed labels, in placement order; candidates with no free position are
        left out.
    """
    west, south, east, north, zoom = view
    x0, y0 = _px(west, north, zoom)
    x1, y1 = _px(east, south, zoom)
    grid = _Grid()
    for lon, lat, radius in obstacles:
        grid.add((*_px(lon, lat, zoom), radius))
    placed: list[Label] = []
    for cand in sorted(candidates, key=lambda c: c.priority):
        dot = None
        if cand.kind == "town":  # its dot is drawn only with its name: no label may hide it
            dot = (*_px(cand.geometry.x, cand.geometry.y, zoom), cand.symbol_px + 1)
            # under an event's marker it may lie (the marker marks the town: Ankara)
            if grid.hits(_circle_rect(*dot), texts_only=True):
                continue
        for label in _positions(cand):
            r = _rect(label, zoom)
            inside = x0 <= r[0] and r[2] <= x1 and y0 <= r[1] and r[3] <= y1
            if inside and not grid.hits(r):
                placed.append(label)
                grid.add(r)
                if dot is not None:
                    grid.add(dot)
                break
    return tuple(placed)


def _positions(cand: Candidate) -> Iterable[Label]:
    """The positions a candidate may take, best first."""
    base = dict(
        text=cand.text, priority=cand.priority, kind=cand.kind, fallback=cand.fallback,
        dot=cand.dot,
    )  # fmt: skip
    geom = cand.geometry
    if geom.geom_type == "Point":
        for anchor in PLACE_ANCHORS:
            yield Label(
                lon=geom.x, lat=geom.y, anchor=anchor, offset_px=cand.symbol_px + GAP_PX, **base
            )
        return
    for lon, lat in _inner_points(geom):
        yield Label(lon=lon, lat=lat, anchor="center", **base)


def _inner_points(area: BaseGeometry, steps: int = 6) -> Iterator[tuple[float, float]]:
    """(lon, lat) inside ``area`` (degrees) to try a label at: the pole of inaccessibility
    of its largest part, then (only if asked) a grid of inner points, nearest first."""
    parts = getattr(area, "geoms", [area])
    largest = max(
        (p for p in parts if p.geom_type == "Polygon"), key=lambda p: p.area, default=None
    )
    if largest is None or largest.area == 0:
        return
    w, s, e, n = largest.bounds
    pole = polylabel(largest, tolerance=max(e - w, n - s) / 50)
    yield pole.x, pole.y
    xs = w + (e - w) * (np.arange(steps) + 0.5) / steps
    ys = s + (n - s) * (np.arange(steps) + 0.5) / steps
    gx, gy = (a.ravel() for a in np.meshgrid(xs, ys))
    keep = shapely.contains_xy(largest, gx, gy)
    gx, gy = gx[keep], gy[keep]
    order = np.argsort((gx - pole.x) ** 2 + (gy - pole.y) ** 2)
    yield from zip(gx[order].tolist(), gy[order].tolist(), strict=True)


MARKER_PX = 7.0  # an event marker's radius in CSS pixels, as the web map draws it
TOWNS_LAYER = "towns"  # the basemap layer of Natural Earth's towns (regionmap._nelayers)


def labels_for_plan(plan: MapPlan) -> tuple[Label, ...]:
    """The labels of a plan's view: its curated places (in layer order), then the
    countries of its basemap (largest visible part first), in ``plan.spec.lang``."""
    spec = plan.spec
    view = view_zoom(spec.center, spec.zoom, plan.bounds)
    lang = spec.lang if spec.lang in LANGS else "en"
    candidates: list[Candidate] = []
    obstacles: list[tuple[float, float, float]] = []
    for planned in plan.layers:
        radius = float(planned.layer.style.radius)
        for feature in planned.features:
            geom = feature.geometry
            if geom.is_empty or geom.geom_type != "Point":
                continue
            obstacles.append((geom.x, geom.y, radius + 1))
            named = name_in(feature.record, lang, "label")
            if named is not None:
                candidates.append(
                    Candidate(named[0], named[1], "place", len(candidates), geom, radius)
                )
    obstacles += [(lon, lat, MARKER_PX) for lon, lat in _marker_points(plan)]
    candidates += _country_candidates(plan, lang, view)
    candidates += _town_candidates(plan, lang, view)
    return place_labels(candidates, obstacles, view)


def _town_candidates(plan: MapPlan, lang: str, view: tuple) -> list[Candidate]:
    """Natural Earth's towns in the view whose rank suits its zoom (``min_zoom``), largest
    first; after the curated places and the countries, which they must not crowd out."""
    layer = next((s for s in plan.dataset.catalog.layers if s.id == TOWNS_LAYER), None)
    frame = plan.dataset.display.get(TOWNS_LAYER)
    if layer is None or frame is None or not len(frame) or "min_zoom" not in frame:
        return []
    west, south, east, north, zoom = view
    frame = frame.iloc[frame.sindex.query(box(west, south, east, north))]
    frame = frame[frame["min_zoom"].le(zoom)].sort_values(["scalerank", "name"], kind="stable")
    names = [c for c in dict.fromkeys(f"label_{code}" for code in ("en", *LANGS)) if c in frame]
    out = []
    records = frame[names].to_dict("records")
    marked = {  # event markers' pixels: a town under one is named clear of the marker
        (round(x / MARKER_PX), round(y / MARKER_PX))
        for x, y in (_px(lon, lat, zoom) for lon, lat in _marker_points(plan))
    }
    for i, (geom, record) in enumerate(zip(frame.geometry, records, strict=True)):
        named = name_in(record, lang, "label")
        if named is not None and geom.geom_type == "Point":
            x, y = _px(geom.x, geom.y, zoom)
            under = (round(x / MARKER_PX), round(y / MARKER_PX)) in marked
            radius = MARKER_PX if under else float(layer.style.radius)
            out.append(
                Candidate(named[0], named[1], "town", 20_000 + i, geom, radius, dot=not under)
            )
    return out


def _marker_points(plan: MapPlan) -> Iterator[tuple[float, float]]:
    """(lon, lat) of the plan's event markers."""
    markers = plan.markers
    if len(markers):
        for lon, lat in zip(markers["longitude"], markers["latitude"], strict=True):
            if isinstance(lon, float | int) and isinstance(lat, float | int):
                yield float(lon), float(lat)


def _country_candidates(plan: MapPlan, lang: str, view: tuple) -> list[Candidate]:
    """Countries of the basemap whose part in the view is wide enough for their name."""
    if plan.basemap is None or plan.basemap.id not in plan.dataset.layers:
        return []
    frame = plan.dataset.display.get(plan.basemap.id)
    if frame is None:
        frame = plan.dataset.layers[plan.basemap.id].frame
    west, south, east, north, zoom = view
    clip = box(west, south, east, north)
    near = frame.sindex.query(clip)  # only the countries the view reaches
    frame = frame.iloc[near]
    names = [c for c in ("name", *(f"name_{code}" for code in LANGS)) if c in frame]
    records = frame[names].to_dict("records")
    found = []
    for geom, record in zip(frame.geometry, records, strict=True):
        if geom is None:
            continue
        named = name_in(record, lang, "name")
        part = shapely.clip_by_rect(geom, west, south, east, north)
        if named is None or part.is_empty:
            continue
        x0, y0 = _px(part.bounds[0], part.bounds[3], zoom)
        x1, _ = _px(part.bounds[2], part.bounds[1], zoom)
        wide = len(named[0]) * FONT_PX["country"] * CHAR_WIDTH * 1.1
        if x1 - x0 >= wide:
            found.append((part.area, named, part))
    found.sort(key=lambda item: -item[0])
    return [
        Candidate(text, fallback, "country", 10_000 + i, part)
        for i, (_, (text, fallback), part) in enumerate(found)
    ]
