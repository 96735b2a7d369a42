"""The plan's insets on the print map: where each goes, and the small map drawn there.

Owns: the inset's box (its size from the map's width, its extent grown to the box's
shape), the search for a place inside the map clear of the scale bar, of the other insets
and of what the inset details, and as clear as can be of the theatres' features, events
and labels; then drawing it: the region's countries, a detail's own layers, the title,
the locator's red view box and a detail's leader box on the main map.

Insets stand inside the map's axes, so they never reach the legend, the title or the
footer, which stand outside it. Must not: decide which insets a view has (that is
`regionmap._insets`, in the plan) or move the map.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox

from regionmap._catalog import BBox
from regionmap._insets import Inset
from regionmap._plan import MapPlan
from regionmap._symbology import SEA_COLOR
from regionmap.plot._geometry import _PLATE, draw_basemap, draw_layers
from regionmap.plot._look import INK
from regionmap.plot._text import tex

INSET_SHARE = 0.2  # an inset's mean side, as a share of the map's width
MIN_RATIO, MAX_RATIO = 0.4, 1.0  # an inset's height / width
EDGE_PX = 6  # from the map's frame
GRID = 11  # candidate positions per side
VIEW_RED = "#d62728"
MIN_VIEW_PX = 7  # the locator's red box at least this many pixels a side (at 100 dpi, scale 1)
MIN_MAP_PX = 200  # a narrower map (a thumbnail) has no room for an inset


@dataclass(frozen=True)
class PlacedInset:
    """An inset, the extent it shows (degrees, shaped to its box) and its box (display px)."""

    inset: Inset
    extent: BBox
    box: Bbox


def _cos(box: BBox) -> float:
    return max(0.05, math.cos(math.radians((box[1] + box[3]) / 2)))


def shaped(box: BBox, frame_w: float) -> tuple[BBox, float, float]:
    """``box`` grown to a height/width between `MIN_RATIO` and `MAX_RATIO`, and the inset's
    (width, height) in display pixels for a map ``frame_w`` pixels wide."""
    west, south, east, north = box
    ratio = (north - south) / max((east - west) * _cos(box), 1e-9)
    want = min(MAX_RATIO, max(MIN_RATIO, ratio))
    cx, cy = (west + east) / 2, (south + north) / 2
    if ratio < want:  # too wide: more latitude
        half = (east - west) * _cos(box) * want / 2
        south, north = cy - half, cy + half
    elif ratio > want:  # too tall: more longitude
        half = (north - south) / want / _cos(box) / 2
        west, east = cx - half, cx + half
    side = INSET_SHARE * frame_w
    return (west, south, east, north), side / math.sqrt(want), side * math.sqrt(want)


def _display_boxes(ax: Axes, boxes: list[BBox]) -> np.ndarray:
    """(n, 4) display-pixel x0, y0, x1, y1 of lon/lat boxes."""
    if not boxes:
        return np.empty((0, 4))
    arr = np.asarray(boxes, dtype=float)
    lo = ax.transData.transform(arr[:, :2])
    hi = ax.transData.transform(arr[:, 2:])
    return np.column_stack([lo, hi])


def _obstacles(ax: Axes, plan: MapPlan, renderer: object) -> np.ndarray:
    """What an inset should not cover, display px: features, events (±6 px) and labels."""
    boxes = [f.geometry.bounds for p in plan.layers for f in p.features if not f.geometry.is_empty]
    if plan.spec.show_events and len(plan.events):
        lon, lat = plan.events["longitude"], plan.events["latitude"]
        boxes += [(x, y, x, y) for x, y in zip(lon, lat, strict=True) if x == x and y == y]
    out = _display_boxes(ax, boxes)
    out[:, :2] -= 6
    out[:, 2:] += 6
    labels = [
        t.get_window_extent(renderer) for t in ax.texts if str(t.get_gid()).startswith("rm-label")
    ]
    if labels:
        out = np.vstack([out, [[b.x0, b.y0, b.x1, b.y1] for b in labels]])
    return out


def _overlap(boxes: np.ndarray, x0: float, y0: float, x1: float, y1: float) -> float:
    """The summed overlap area (px²) of ``boxes`` with one rectangle."""
    if len(boxes) == 0:
        return 0.0
    w = np.clip(np.minimum(boxes[:, 2], x1) - np.maximum(boxes[:, 0], x0), 0, None)
    h = np.clip(np.minimum(boxes[:, 3], y1) - np.maximum(boxes[:, 1], y0), 0, None)
    return float((w * h).sum())


def _best_spot(
    frame: Bbox, size: tuple[float, float], blocked: list[Bbox], soft: np.ndarray
) -> Bbox | None:
    """The candidate box of ``size`` inside ``frame`` that touches no ``blocked`` box and
    covers least of ``soft``, nearer an edge on a tie; None when nothing is free."""
    w, h = size
    xs = np.linspace(frame.x0 + EDGE_PX, frame.x1 - EDGE_PX - w, GRID)
    ys = np.linspace(frame.y0 + EDGE_PX, frame.y1 - EDGE_PX - h, GRID)
    best: tuple[float, Bbox] | None = None
    for x in xs:
        for y in ys:
            box = Bbox.from_bounds(x, y, w, h)
            if any(box.overlaps(b) for b in blocked):
                continue
            edge = min(x - frame.x0, frame.x1 - x - w) + min(y - frame.y0, frame.y1 - y - h)
            cost = _overlap(soft, box.x0, box.y0, box.x1, box.y1) + edge
            if best is None or cost < best[0]:
                best = (cost, box)
    return best[1] if best else None


def place_insets(ax: Axes, plan: MapPlan, renderer: object, avoid: list[Bbox]) -> list[PlacedInset]:
    """A box inside the map for each of the plan's insets, clear of ``avoid`` (display
    boxes: the scale bar), of each other and of the box a detail inset enlarges; an inset
    with no free place is left out (the map stays readable without it)."""
    if not plan.insets or (w := ax.get_window_extent(renderer).width) < MIN_MAP_PX:
        return []
    frame = ax.get_window_extent(renderer)
    soft = _obstacles(ax, plan, renderer)
    blocked = [b.expanded(1.02, 1.02) for b in avoid]
    placed = []
    for inset in plan.insets:
        extent, iw, ih = shaped(inset.bbox, w)
        own = (
            [Bbox(_display_boxes(ax, [inset.mark])[0].reshape(2, 2))]
            if inset.kind == "detail"
            else []
        )
        box = _best_spot(frame, (iw, ih), blocked + own, soft)
        if box is not None:
            blocked.append(box.expanded(1.05, 1.05))
            placed.append(PlacedInset(inset, extent, box))
    return placed


def draw_insets(fig: Figure, ax: Axes, plan: MapPlan, placed: list[PlacedInset], s: float) -> None:
    """Each placed inset as small axes over the map: the region's countries, a detail's
    layers and leader box, the locator's red box around the main map's extent (lon/lat
    degrees, as the axes' limits hold it)."""
    to_fig = fig.transFigure.inverted()
    for item in placed:
        inset, (west, south, east, north) = item.inset, item.extent
        (x0, y0), (x1, y1) = to_fig.transform(
            [[item.box.x0, item.box.y0], [item.box.x1, item.box.y1]]
        )
        sub = fig.add_axes((x0, y0, x1 - x0, y1 - y0), zorder=ax.get_zorder() + 1)
        sub.set_gid(f"rm-inset-{inset.kind}")
        sub.set_facecolor(SEA_COLOR)
        sub.set_xticks([])
        sub.set_yticks([])
        for spine in sub.spines.values():
            spine.set_color(INK)
            spine.set_linewidth(0.9 * s)
        draw_basemap(sub, plan.dataset, 0.5 * s)
        if inset.kind == "detail":
            draw_layers(sub, [p for p in plan.layers if p.layer.theatre == inset.theatre], 0.8 * s)
            _outline(ax, inset.mark, INK, 0.7 * s, "rm-inset-leader")
        else:
            view = _at_least(ax.get_xlim(), ax.get_ylim(), item, MIN_VIEW_PX * s * fig.dpi / 100)
            _outline(sub, view, VIEW_RED, 1.3 * s, "rm-inset-view")
        sub.set_xlim(west, east)
        sub.set_ylim(south, north)
        sub.text(0.03, 0.97, tex(inset.title), transform=sub.transAxes, ha="left", va="top",
                 fontsize=6.5 * s, color=INK, usetex=False, zorder=12, bbox=_PLATE,
                 gid="rm-inset-title")  # fmt: skip


def _at_least(xlim: tuple, ylim: tuple, item: PlacedInset, px: float) -> BBox:
    """The main map's extent (lon/lat degrees) as a box on the locator, grown about its
    centre to ``px`` display pixels a side where smaller: a view of a few kilometres
    would otherwise be a red dot a reader misses."""
    (west, east), (south, north) = xlim, ylim
    i_west, i_south, i_east, i_north = item.extent
    min_w = px * (i_east - i_west) / item.box.width
    min_h = px * (i_north - i_south) / item.box.height
    cx, cy = (west + east) / 2, (south + north) / 2
    half_w, half_h = max(east - west, min_w) / 2, max(north - south, min_h) / 2
    return (cx - half_w, cy - half_h, cx + half_w, cy + half_h)


def _outline(ax: Axes, box: BBox, color: str, lw: float, gid: str) -> None:
    """An unfilled rectangle around a lon/lat box, above the map's contents."""
    west, south, east, north = box
    ax.add_patch(
        Rectangle(
            (west, south),
            east - west,
            north - south,
            fill=False,
            edgecolor=color,
            linewidth=lw,
            zorder=9,
            gid=gid,
        )  # fmt: skip
    )
