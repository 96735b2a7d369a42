"""`ViewSpec` + `Dataset` -> a print map (PNG, SVG, PDF) drawn with matplotlib.

The web map cannot go into a report as it is: it has no scale bar, no north arrow, no
graticule and no sources on the page. This module draws the same layers, styles and
events on plain lon/lat axes, with all of that furniture, and writes the view spec into
the file's metadata so a figure in a report can be reopened as the view it came from.

Only `Figure` and the Agg canvas are used, never pyplot: pyplot keeps global figures
and state that a long-running dashboard (one thread per session) must not share. For
the same reason no rcParams are changed; every text sets ``usetex=False`` itself and
data text has ``$`` escaped so matplotlib's mathtext never interprets it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import BinaryIO

import matplotlib as mpl
import numpy as np
import pandas as pd
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Ellipse, FancyBboxPatch, Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.patheffects import withStroke
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import Bbox
from pyproj import Geod

from regionmap.catalog import LayerSpec, Style
from regionmap.compose import in_window
from regionmap.dataset import Dataset
from regionmap.errors import ExportError
from regionmap.render import HALO_RADIUS_M, INACTIVE_COLOR, symbol_for, theatres_bbox
from regionmap.spec import MAP_HEIGHT_PX, ViewSpec

FORMATS = ("png", "svg", "pdf")
VIEW_KEY = "regionmap:view"
DEFAULT_TITLE = "Where Russia and Turkey meet"

PX_TO_PT = 0.72  # a Leaflet CSS pixel at 100 dpi-equivalent, in points
REFERENCE_MAP_HEIGHT_PX = MAP_HEIGHT_PX  # the dashboard's map: what a centre + zoom showed
MARKERS = {"circle": "o", "square": "s", "diamond": "D", "triangle": "^", "star": "*"}
SEA_COLOR = "#e4edf3"
LEGEND_FS = 8.5
INK = "#222222"
MUTED = "#555555"
_GEOD = Geod(ellps="WGS84")


# ---------------------------------------------------------------- text


def _tex(text: object) -> str:
    """Data text, printed literally: ``$`` would start mathtext."""
    return str(text).replace("$", r"\$")


def map_title(spec: ViewSpec) -> str:
    if spec.title:
        return spec.title
    if spec.start is None and spec.end is None:
        return f"{DEFAULT_TITLE}: all events"
    return f"{DEFAULT_TITLE}: events {spec.window_text()}"


class _Measure:
    """Wraps text to a width in inches, measured with the figure's renderer.

    Words are measured once each and summed with the width of a space: laying out every
    candidate line costs a FreeType call each and made wrapping half the render time.
    """

    def __init__(self, renderer: object, dpi: float) -> None:
        self.renderer = renderer
        self.dpi = dpi
        self._cache: dict[tuple[str, float, bool], float] = {}

    def width(self, text: str, fontsize: float, bold: bool = False) -> float:
        key = (text, fontsize, bold)
        if key not in self._cache:
            prop = FontProperties(size=fontsize, weight="bold" if bold else "normal")
            w, _, _ = self.renderer.get_text_width_height_descent(text, prop, ismath=False)
            self._cache[key] = w / self.dpi
        return self._cache[key]

    def wrap(self, text: str, width_in: float, fontsize: float, bold: bool = False) -> list[str]:
        space = self.width("a a", fontsize, bold) - 2 * self.width("a", fontsize, bold)
        lines: list[str] = []
        for paragraph in str(text).splitlines() or [""]:
            current: list[str] = []
            used = 0.0
            for word in paragraph.split():
                w = self.width(word, fontsize, bold)
                if current and used + space + w > width_in:
                    lines.append(" ".join(current))
                    current, used = [word], w
                else:
                    used += (space if current else 0.0) + w
                    current.append(word)
            lines.append(" ".join(current))
        return lines


def _deg(value: float, pos: str, neg: str) -> str:
    v = round(value, 4)
    body = f"{abs(v):g}°"
    return body if v == 0 else body + (pos if v > 0 else neg)


# ---------------------------------------------------------------- extent


def _merc(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _inv_merc(y: float) -> float:
    return math.degrees(math.atan(math.sinh(y)))


def map_extent(
    spec: ViewSpec, dataset: Dataset, box_ratio: float
) -> tuple[float, float, float, float]:
    """(west, south, east, north) of the map for axes ``box_ratio`` high/wide.

    A centre and zoom from the web map frame what the dashboard showed: its map is
    ``REFERENCE_MAP_HEIGHT_PX`` tall, so the same zoom gives the same north-south span
    here whatever the output size; the width follows the figure's aspect. Without them
    the five theatres are framed, grown to the axes' shape but kept inside the catalog's
    region (beyond it there is no basemap, which would read as sea); when the region is
    too small for that, the axes shrink instead.
    """
    if spec.center is not None and spec.zoom is not None:
        lat, lon = spec.center
        world = 256 * 2.0**spec.zoom
        half_y = REFERENCE_MAP_HEIGHT_PX / 2 * 2 * math.pi / world
        yc = _merc(max(-85.0, min(85.0, lat)))
        south, north = _inv_merc(yc - half_y), _inv_merc(yc + half_y)
        half_lon = REFERENCE_MAP_HEIGHT_PX / box_ratio / 2 * 360 / world
        west, east = lon - half_lon, lon + half_lon
        pad, region = 0.0, None
    else:
        west, south, east, north = theatres_bbox(dataset.catalog)
        pad, region = 0.03, dataset.catalog.region_bbox
    cx, cy = (west + east) / 2, (south + north) / 2
    dx, dy = (east - west) * (1 + 2 * pad), (north - south) * (1 + 2 * pad)
    cos_lat = max(0.05, math.cos(math.radians(cy)))
    # On axes with aspect 1/cos(lat) a box w wide shows w * ratio * cos(lat) of latitude.
    if dy < dx * box_ratio * cos_lat:
        dy = dx * box_ratio * cos_lat
    else:
        dx = dy / (box_ratio * cos_lat)
    if region is not None:
        r_west, r_south, r_east, r_north = region
        dx, dy = min(dx, r_east - r_west), min(dy, r_north - r_south)
        cx = min(max(cx, r_west + dx / 2), r_east - dx / 2)
        cy = min(max(cy, r_south + dy / 2), r_north - dy / 2)
    south, north = max(-89.0, cy - dy / 2), min(89.0, cy + dy / 2)
    return (cx - dx / 2, south, cx + dx / 2, north)


# ---------------------------------------------------------------- geometry


def _singles(geom: object) -> list:
    """Polygons, lines and points out of any (multi/collection) geometry."""
    if geom is None or shapely.is_empty(geom):
        return []
    if geom.geom_type.startswith("Multi") or geom.geom_type == "GeometryCollection":
        return [single for part in geom.geoms for single in _singles(part)]
    return [geom]


def _polygon_path(poly: shapely.Polygon) -> MplPath:
    """Exterior counter-clockwise, holes clockwise: holes stay holes under nonzero fill."""
    poly = shapely.orient_polygons(poly)
    verts, codes = [], []
    for ring in (poly.exterior, *poly.interiors):
        xy = np.asarray(ring.coords)[:, :2]
        if len(xy) < 4:
            continue
        c = np.full(len(xy), MplPath.LINETO, dtype=MplPath.code_type)
        c[0], c[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
        verts.append(xy)
        codes.append(c)
    if not verts:
        return MplPath(np.empty((0, 2)))
    return MplPath(np.concatenate(verts), np.concatenate(codes))


@dataclass
class _Parts:
    polygons: list[MplPath]
    lines: list[np.ndarray]
    points: list[tuple[float, float]]


def _split(geoms: Iterable[object]) -> _Parts:
    out = _Parts([], [], [])
    for geom in geoms:
        for part in _singles(geom):
            kind = part.geom_type
            if kind == "Polygon":
                out.polygons.append(_polygon_path(part))
            elif kind in ("LineString", "LinearRing"):
                out.lines.append(np.asarray(part.coords)[:, :2])
            elif kind == "Point":
                out.points.append((part.x, part.y))
    return out


# ---------------------------------------------------------------- styles


def _dashes(dash: str, lw_pt: float, px: float) -> tuple[float, tuple[float, ...]] | str:
    """A Leaflet dashArray ("8 6", pixels) as a matplotlib dash tuple; ``px`` points a pixel.

    matplotlib multiplies dash lengths by the line width (``lines.scale_dashes``), so
    divide first to keep the pattern in pixels as on the web map.
    """
    try:
        values = [float(v) * px for v in dash.replace(",", " ").split()]
    except ValueError:
        values = []
    if not values or not any(values):
        return "solid"
    if len(values) % 2:
        values *= 2
    scale = lw_pt if mpl.rcParams["lines.scale_dashes"] and lw_pt > 0 else 1.0
    return (0.0, tuple(v / scale for v in values))


@dataclass(frozen=True)
class _Look:
    """Resolved drawing properties for one layer, active or not in force."""

    edge: tuple[float, float, float, float]
    face: tuple[float, float, float, float]
    lw: float
    linestyle: object
    marker_size: float  # points, diameter


def _look(style: Style, active: bool, s: float) -> _Look:
    """The web map's `_feature_style`, in points, scaled with the figure like its text."""
    px = PX_TO_PT * s
    diameter = 2 * style.radius * px
    if not active:
        lw = max(1.0, style.weight * 0.6) * px
        return _Look(
            edge=to_rgba(INACTIVE_COLOR, 0.7),
            face=to_rgba(INACTIVE_COLOR, 0.08 if style.fill_opacity else 0.0),
            lw=lw,
            linestyle=_dashes("4 6", lw, px),
            marker_size=diameter,
        )
    lw = style.weight * px
    return _Look(
        edge=to_rgba(style.color, 0.95),
        face=to_rgba(style.fill_color or style.color, style.fill_opacity),
        lw=lw,
        linestyle=_dashes(style.dash, lw, px),
        marker_size=diameter,
    )


def _value(v: object) -> object:
    """None for the empty values a GeoJSON/CSV column may hold (NaN, NA, '')."""
    if v is None or v == "":
        return None
    try:
        return None if pd.isna(v) else v
    except (TypeError, ValueError):
        return v


# ---------------------------------------------------------------- drawing


def _draw_parts(ax, parts: _Parts, look: _Look, z: float) -> None:
    if parts.polygons:
        ax.add_collection(
            PatchCollection(
                [PathPatch(p) for p in parts.polygons],
                facecolors=[look.face],
                edgecolors=[look.edge],
                linewidths=look.lw,
                linestyles=[look.linestyle],
                joinstyle="round",
                zorder=3 + z,
            ),
            autolim=False,
        )
    if parts.lines:
        ax.add_collection(
            LineCollection(
                parts.lines,
                colors=[look.edge],
                linewidths=look.lw,
                linestyles=[look.linestyle],
                capstyle="round",
                joinstyle="round",
                zorder=4 + z,
            ),
            autolim=False,
        )
    if parts.points:
        xy = np.asarray(parts.points)
        ax.scatter(
            xy[:, 0],
            xy[:, 1],
            s=look.marker_size**2,
            marker="o",
            facecolors=[look.face],
            edgecolors=[look.edge],
            linewidths=min(look.lw, look.marker_size / 6),
            zorder=5 + z,
        )


def _draw_basemap(ax, dataset: Dataset, s: float) -> LayerSpec | None:
    layer = next((spec for spec in dataset.catalog.layers if spec.role == "basemap"), None)
    if layer is None or len(dataset.display.get(layer.id, ())) == 0:
        return None
    st = layer.style
    parts = _split(dataset.display[layer.id].geometry)
    ax.add_collection(
        PatchCollection(
            [PathPatch(p) for p in parts.polygons],
            facecolors=[to_rgba(st.fill_color or "#f3f1ea", st.fill_opacity or 1.0)],
            edgecolors=[st.color],
            linewidths=st.weight * PX_TO_PT * s,
            joinstyle="round",
            zorder=1,
        ),
        autolim=False,
    )
    return layer


@dataclass
class _Drawn:
    """What ended up on the map, for the legend."""

    kinds: dict[str, set[str]]  # layer id -> {"polygon", "line", "point"}
    inactive: bool = False


def _draw_overlays(ax, spec: ViewSpec, dataset: Dataset, s: float) -> _Drawn:
    drawn = _Drawn({})
    overlays = [
        layer
        for layer in dataset.catalog.layers
        if layer.role != "basemap" and layer.id in spec.layers
    ]
    for i, layer in enumerate(overlays):
        frame = dataset.display.get(layer.id)
        kinds: set[str] = set()
        drawn.kinds[layer.id] = kinds
        if frame is None or len(frame) == 0:
            continue
        froms = frame["valid_from"] if "valid_from" in frame else [None] * len(frame)
        tos = frame["valid_to"] if "valid_to" in frame else [None] * len(frame)
        active = np.array(
            [
                in_window(_value(a), _value(b), spec.start, spec.end)
                for a, b in zip(froms, tos, strict=True)
            ],
            dtype=bool,
        )
        geoms = np.asarray(frame.geometry.values)
        for flag in (False, True):
            chosen = geoms[active == flag]
            if len(chosen) == 0:
                continue
            parts = _split(chosen)
            if parts.polygons:
                kinds.add("polygon")
            if parts.lines:
                kinds.add("line")
            if parts.points:
                kinds.add("point")
            drawn.inactive |= not flag
            # Inactive under active; each kind of geometry in catalog order.
            z = i * 0.01 + (0.005 if flag else 0)
            _draw_parts(ax, parts, _look(layer.style, flag, s), z)
    return drawn


def _event_marker_size(shape: str, base: float) -> float:
    return base * (1.35 if shape == "star" else 0.9 if shape in ("square", "diamond") else 1.0)


def _draw_events(ax, events: pd.DataFrame, s: float) -> None:
    """Markers by type (spans hollow), with dashed halos where the place is approximate."""
    if len(events) == 0:
        return
    lon = events["longitude"].astype(float).to_numpy()
    lat = events["latitude"].astype(float).to_numpy()
    precision = pd.to_numeric(events["geo_precision"], errors="coerce").fillna(1).astype(int)
    halos = []
    for x, y, p in zip(lon, lat, precision, strict=True):
        radius_km = HALO_RADIUS_M.get(int(p), 0) / 1000
        if radius_km:
            cos_lat = max(0.05, math.cos(math.radians(y)))
            halos.append(
                Ellipse((x, y), 2 * radius_km / (111.32 * cos_lat), 2 * radius_km / 110.57)
            )
    if halos:
        ax.add_collection(
            PatchCollection(
                halos,
                facecolors=[to_rgba("#000000", 0.06)],
                edgecolors=[to_rgba("#666666", 0.9)],
                linewidths=0.6 * s,
                linestyles=[(0, (3, 3))],
                zorder=6,
            ),
            autolim=False,
        )
    types = events["event_type"].astype(str).to_numpy()
    spans = events["is_span"].fillna(False).astype(bool).to_numpy()
    base = 9.0 * s
    for event_type in sorted(set(types)):
        color, shape = symbol_for(event_type)
        for hollow in (False, True):
            mask = (types == event_type) & (spans == hollow)
            if not mask.any():
                continue
            size = _event_marker_size(shape, base)
            ax.scatter(
                lon[mask],
                lat[mask],
                s=size**2,
                marker=MARKERS.get(shape, "o"),
                facecolors="#ffffff" if hollow else color,
                edgecolors=color if hollow else "#ffffff",
                linewidths=1.6 * s if hollow else 0.6 * s,
                zorder=7.5 if hollow else 7,
            )


# ---------------------------------------------------------------- furniture


def _nice_km(target: float) -> float:
    """The largest 1, 2 or 5 x 10^n not above ``target``."""
    if target <= 0:
        return 1.0
    exp = math.floor(math.log10(target))
    for step in (5, 2, 1):
        if step * 10**exp <= target:
            return float(step * 10**exp)
    return float(10**exp)


def _scale_bar(
    ax, extent: tuple[float, float, float, float], ax_size_in: tuple[float, float], s: float
) -> FancyBboxPatch:
    """Scale bar and north arrow in one box at the lower left.

    Four alternating segments, true at the map's middle latitude (a plate carrée's scale
    changes with latitude, so the label says where it holds).
    """
    west, south, east, north = extent
    mid = (south + north) / 2
    _, _, metres = _GEOD.inv(0.0, mid, 1.0, mid)
    km_per_deg = max(metres / 1000, 1e-6)
    length_km = _nice_km((east - west) * km_per_deg * 0.2)
    bar = length_km / km_per_deg / (east - west)  # axes fraction
    fx, fy = 1 / ax_size_in[0], 1 / ax_size_in[1]  # axes fraction per inch
    pad, x0, y0 = 0.08 * s, 0.25 * s * fx, 0.2 * s * fy
    bar_y, bar_h = y0 + 0.16 * s * fy, 0.065 * s * fy
    top = bar_y + bar_h + 0.18 * s * fy
    text_kw = dict(transform=ax.transAxes, color=INK, usetex=False, zorder=11.2)
    arrow_x = x0 + bar + 0.52 * s * fx
    box = ax.add_patch(
        FancyBboxPatch(
            (x0 - pad * fx, y0 - pad * fy),
            arrow_x - x0 + (0.12 * s + 2 * pad) * fx,
            top - y0 + 2 * pad * fy,
            boxstyle="round,pad=0,rounding_size=0.004",
            mutation_aspect=fy / fx,
            transform=ax.transAxes,
            facecolor=to_rgba("#ffffff", 0.85),
            edgecolor="#bbbbbb",
            linewidth=0.5,
            zorder=11,
        )
    )
    for k in range(4):
        ax.add_patch(
            Rectangle(
                (x0 + k * bar / 4, bar_y),
                bar / 4,
                bar_h,
                transform=ax.transAxes,
                facecolor=INK if k % 2 == 0 else "#ffffff",
                edgecolor=INK,
                linewidth=0.6,
                zorder=11.1,
            )
        )
    for pos, value in ((0, 0), (0.5, length_km / 2), (1, length_km)):
        ax.text(
            x0 + pos * bar,
            bar_y + bar_h + 0.04 * s * fy,
            f"{value:g}",
            ha="center",
            va="bottom",
            fontsize=7.5 * s,
            **text_kw,
        )
    ax.text(
        x0 + bar + 0.07 * s * fx,
        bar_y + bar_h / 2,
        "km",
        ha="left",
        va="center",
        fontsize=7.5 * s,
        **text_kw,
    )
    ax.text(
        x0,
        y0,
        f"true at {_deg(round(mid, 1), 'N', 'S')}",
        ha="left",
        va="bottom",
        fontsize=6.5 * s,
        **{**text_kw, "color": MUTED},
    )
    _north_arrow(ax, arrow_x, y0, top, s)
    return box


def _theatre_labels(
    ax, spec: ViewSpec, dataset: Dataset, s: float, renderer: object, avoid: list[Bbox]
) -> None:
    """Each shown theatre's name above its box, else below it, haloed so it reads over
    lines and fills; a name that would collide with another, or with ``avoid`` (the
    scale bar, the north arrow), or leave the map is left out: the legend names it too."""
    ax.apply_aspect()
    frame = ax.get_window_extent(renderer)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    taken = list(avoid)
    shown = {layer.theatre for layer in dataset.catalog.layers if layer.id in spec.layers}
    for theatre in dataset.catalog.theatres:
        if theatre.id not in shown:
            continue
        west, south, east, north = theatre.bbox
        for y, va in ((north, "bottom"), (south, "top")):
            x = min(max((west + east) / 2, x0), x1)
            if not y0 < y < y1:
                continue
            label = ax.text(
                x,
                y,
                _tex(theatre.title),
                ha="center",
                va=va,
                fontsize=8.5 * s,
                fontstyle="italic",
                color="#333333",
                usetex=False,
                zorder=10,
                clip_on=True,
                path_effects=[withStroke(linewidth=2.5 * s, foreground=to_rgba("#ffffff", 0.85))],
            )
            box = label.get_window_extent(renderer).expanded(1.06, 1.15)
            shift = max(frame.x0 + 3 - box.x0, 0) or min(frame.x1 - 3 - box.x1, 0)
            if shift:
                box = box.translated(shift, 0)
                label.set_x(ax.transData.inverted().transform((box.x0 + box.width / 2, 0))[0])
            inside = frame.y0 < box.y0 and box.y1 < frame.y1 and box.width < frame.width
            if inside and not any(box.overlaps(other) for other in taken):
                taken.append(box)
                break
            label.remove()


def _north_arrow(ax, x: float, y0: float, y1: float, s: float) -> None:
    """North is up everywhere on lon/lat axes: an arrow from ``y0`` to an "N" at ``y1``."""
    ax.text(
        x,
        y1,
        "N",
        transform=ax.transAxes,
        ha="center",
        va="top",
        fontsize=10 * s,
        fontweight="bold",
        color=INK,
        usetex=False,
        zorder=11.2,
    )
    ax.annotate(
        "",
        xy=(x, y1),
        xytext=(x, y0),
        xycoords="axes fraction",
        textcoords="axes fraction",
        arrowprops=dict(
            arrowstyle=f"-|>,head_width={0.3 * s:.2f},head_length={0.7 * s:.2f}",
            color=INK,
            linewidth=1.4 * s,
            shrinkA=0,
            shrinkB=10 * s * 1.1,  # stop below the "N"
        ),
        zorder=11.2,
    )


def _graticule(ax, s: float) -> None:
    locator = dict(nbins=8, steps=[1, 2, 2.5, 5, 10])
    ax.xaxis.set_major_locator(MaxNLocator(**locator))
    ax.yaxis.set_major_locator(MaxNLocator(**locator))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _deg(v, "E", "W")))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _deg(v, "N", "S")))
    ax.tick_params(labelsize=7.5 * s, colors=MUTED, length=3 * s, width=0.6, pad=2 * s)
    ax.set_axisbelow("line")  # grid over the basemap, under the overlays
    ax.grid(True, color="#9fb3c4", linewidth=0.4, alpha=0.8)
    for spine in ax.spines.values():
        spine.set_color("#555555")
        spine.set_linewidth(0.8)


def _layer_handle(layer: LayerSpec, kinds: set[str], s: float) -> object:
    look = _look(layer.style, True, s)
    if kinds == {"point"}:
        size = min(look.marker_size, 10 * s)
        return Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=size,
            markerfacecolor=look.face,
            markeredgecolor=look.edge,
            markeredgewidth=min(look.lw, size / 6),
        )
    if "polygon" in kinds and layer.style.fill_opacity:
        return Patch(
            facecolor=look.face, edgecolor=look.edge, linewidth=look.lw, linestyle=look.linestyle
        )
    return Line2D(
        [], [], color=look.edge, linewidth=look.lw, linestyle=look.linestyle, solid_capstyle="butt"
    )


MIN_LEGEND_ROWS = 6


def _blank() -> Patch:
    return Patch(facecolor="none", edgecolor="none")


@dataclass(frozen=True)
class _Entry:
    handle: object
    label: str
    header: bool = False


def _legend_entries(
    spec: ViewSpec,
    dataset: Dataset,
    basemap: LayerSpec | None,
    drawn: _Drawn,
    events: pd.DataFrame,
    off: pd.Series,
    s: float,
) -> list[_Entry]:
    """One block per theatre with its layers, the event symbols, then the keys.

    ``off`` marks the events outside the map, named so a reader knows they exist.
    """
    catalog = dataset.catalog
    unavailable = dataset.unavailable()
    out: list[_Entry] = []
    grouped: dict[str, list[LayerSpec]] = {}
    for layer in catalog.layers:
        if layer.role != "basemap" and layer.id in drawn.kinds:
            grouped.setdefault(layer.theatre, []).append(layer)
    titles = {t.id: t.title for t in catalog.theatres}
    for theatre_id, layers in grouped.items():
        out.append(_Entry(_blank(), titles.get(theatre_id, theatre_id or "Other layers"), True))
        for layer in layers:
            label = layer.title + (" (unavailable)" if layer.id in unavailable else "")
            out.append(_Entry(_layer_handle(layer, drawn.kinds[layer.id] or {"line"}, s), label))
    if spec.show_events:
        beyond = f"; {int(off.sum())} off the map" if off.any() else ""
        out.append(_Entry(_blank(), f"Events ({len(events)}{beyond})", True))
        if len(events) == 0:
            out.append(_Entry(_blank(), "none in this window"))
        for event_type in sorted(set(events["event_type"].astype(str))):
            color, shape = symbol_for(event_type)
            marker = Line2D(
                [],
                [],
                linestyle="none",
                marker=MARKERS.get(shape, "o"),
                markersize=_event_marker_size(shape, 7.5 * s),
                markerfacecolor=color,
                markeredgecolor="#ffffff",
                markeredgewidth=0.5 * s,
            )
            out.append(_Entry(marker, event_type))
        if off.any():
            places = events.loc[off, "location"].fillna("?").astype(str).value_counts()
            named = [f"{p} ({n})" if n > 1 else p for p, n in places.head(5).items()]
            if len(places) > 5:
                named.append(f"{len(places) - 5} more places")
            out.append(_Entry(_blank(), f"off the map: {', '.join(named)}"))
        if events["is_span"].fillna(False).astype(bool).any():
            hollow = Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=7 * s,
                markerfacecolor="#ffffff",
                markeredgecolor="#444444",
                markeredgewidth=1.5 * s,
            )
            out.append(_Entry(hollow, "span (start – end), hollow"))
        precision = pd.to_numeric(events["geo_precision"], errors="coerce")
        if precision.isin(list(HALO_RADIUS_M)).any():
            halo = Patch(
                facecolor=to_rgba("#000000", 0.06),
                edgecolor="#666666",
                linewidth=0.6 * s,
                linestyle=(0, (3, 3)),
            )
            out.append(_Entry(halo, "imprecise place (15 / 60 km halo)"))
    out.append(_Entry(_blank(), "Key", True))
    if basemap is not None:
        st = basemap.style
        land = Patch(
            facecolor=to_rgba(st.fill_color or "#f3f1ea", st.fill_opacity or 1.0),
            edgecolor=st.color,
            linewidth=st.weight * PX_TO_PT * s,
        )
        out.append(_Entry(land, basemap.title))
    if drawn.inactive:
        look = _look(Style(weight=3.0), False, s)
        grey = Line2D([], [], color=look.edge, linewidth=look.lw, linestyle=look.linestyle)
        out.append(_Entry(grey, "not in force in the window (grey, dashed)"))
    return out


def _place_legend(
    fig: Figure,
    entries: list[_Entry],
    anchor: tuple[float, float],
    column_in: float,
    ncols: int,
    s: float,
    measure: _Measure,
    shrink: float = 1.0,
):
    """The legend, upper-left corner at ``anchor`` (figure fraction), labels wrapped to fit.

    ``shrink`` scales its text down when it would otherwise not fit beside the map.
    """
    fs = LEGEND_FS * s * shrink
    text_in = column_in - (2.2 + 0.6 + 1.2) * fs / 72  # handle, pad and column spacing
    labels = [_tex("\n".join(measure.wrap(e.label, text_in, fs, e.header))) for e in entries]
    legend = fig.legend(
        [e.handle for e in entries],
        labels,
        loc="upper left",
        bbox_to_anchor=anchor,
        bbox_transform=fig.transFigure,
        ncols=ncols,
        frameon=False,
        fontsize=fs,
        title="Legend",
        title_fontproperties={"size": 9.5 * s * shrink, "weight": "bold"},
        alignment="left",
        handlelength=2.2,
        handleheight=1.0,
        handletextpad=0.6,
        labelspacing=0.45,
        columnspacing=1.2,
        borderaxespad=0.0,
        borderpad=0.0,
    )
    for text, entry in zip(legend.get_texts(), entries, strict=True):
        text.set_usetex(False)
        if entry.header:
            text.set_fontweight("bold")
            text.set_color(INK)
    legend.get_title().set_usetex(False)
    return legend


# ---------------------------------------------------------------- metadata


def _metadata(fmt: str, title: str, spec_json: str) -> dict[str, str]:
    if fmt == "png":
        return {VIEW_KEY: spec_json, "Title": title, "Software": "regionmap"}
    if fmt == "svg":
        return {"Title": title, "Description": spec_json}
    return {"Title": title, "Subject": spec_json, "Creator": "regionmap"}


# ---------------------------------------------------------------- public


def render_static(
    spec: ViewSpec,
    dataset: Dataset,
    out: BinaryIO,
    fmt: str,
    *,
    size: tuple[int, int] = (1600, 1000),
    dpi: int = 200,
    caption: Sequence[str] | None = None,
    generated: str | None = None,
) -> None:
    """Draw the view and write it to ``out`` as fmt in ("png", "svg", "pdf").

    ``size`` is in pixels at 100 dpi, so the figure is size/100 inches and a PNG is
    exactly size * dpi / 100 pixels. Text, lines and markers scale with the size, so a
    small figure looks like a reduced default rather than a crowded one. The legend sits
    beside a landscape map and below a portrait one. The view spec JSON goes into the
    file's metadata.
    """
    if fmt not in FORMATS:
        raise ExportError(f"static maps are {', '.join(FORMATS)}, not {fmt!r}")
    width_px, height_px = int(size[0]), int(size[1])
    if width_px < 300 or height_px < 200:
        raise ExportError(f"a static map needs at least 300 x 200 pixels, got {size}")
    fig_w, fig_h = width_px / 100, height_px / 100
    if fmt == "png":  # a hair more, so that int(inches * dpi) cannot fall a pixel short
        fig_w, fig_h = (width_px + 1e-3) / 100, (height_px + 1e-3) / 100
    s = max(0.75, min(2.0, math.sqrt(width_px * height_px / (1600 * 1000))))
    fig = Figure(figsize=(fig_w, fig_h), dpi=dpi, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    measure = _Measure(canvas.get_renderer(), fig.dpi)

    title = map_title(spec)
    catalog = dataset.catalog
    events = dataset.visible_events(spec) if spec.show_events else dataset.events.frame.iloc[:0]

    # ---- text blocks and their heights, in inches
    margin = 0.3 * s
    text_w = fig_w - 2 * margin
    title_fs, sub_fs, cap_fs, foot_fs = 17 * s, 10 * s, 9 * s, 7 * s
    title_lines = measure.wrap(title, text_w, title_fs, bold=True)
    sub_lines = measure.wrap(_subtitle(spec, events), text_w, sub_fs)
    cap_lines = [w for line in (caption or []) for w in measure.wrap(line, text_w, cap_fs)]
    sources = "; ".join(src.title for src in catalog.sources)
    attribution = f"Sources: {sources}. © regionmap, data as of {catalog.as_of}."
    foot_lines = measure.wrap(attribution, text_w, foot_fs)
    foot_lines.append(f"Generated on {generated or dt.date.today().isoformat()} with regionmap.")
    title_h = len(title_lines) * title_fs * 1.22 / 72 + 0.06 * s
    top_h = margin + title_h + len(sub_lines) * sub_fs * 1.25 / 72 + 0.2 * s
    cap_h = len(cap_lines) * cap_fs * 1.3 / 72 + 0.12 * s if cap_lines else 0.0
    foot_h = len(foot_lines) * foot_fs * 1.3 / 72 + 0.08 * s
    tick_h = 7.5 * s * 1.4 / 72 + 0.2 * s
    left = margin + 0.42 * s
    gap = 0.25 * s

    # ---- the map's contents do not depend on where the axes end up
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    ax.set_facecolor(SEA_COLOR)
    basemap = _draw_basemap(ax, dataset, s)
    drawn = _draw_overlays(ax, spec, dataset, s)
    if spec.show_events:
        _draw_events(ax, events, s)

    # ---- layout: the legend beside a landscape map, below a portrait one (or one whose
    # legend is too tall to stand beside it). The legend is measured, and its "off the
    # map" line depends on the extent, which depends on the room the legend leaves.
    side = fig_w / fig_h >= 1.2
    legend = None
    legend_h = 0.0
    shrink = 1.0
    keep: int | None = None  # legend rows kept when all of them leave no room for the map
    entries: list[_Entry] = []
    for _ in range(12):
        if side:
            column_in, ncols = min(3.4 * s, fig_w * 0.34), 1
            room_w = fig_w - left - column_in - margin - gap
            room_h = fig_h - top_h - foot_h - cap_h - tick_h - margin
        else:
            ncols = max(1, min(3, int(text_w // (3.0 * s))))
            column_in = text_w / ncols
            room_w = fig_w - left - margin
            room_h = fig_h - top_h - foot_h - cap_h - tick_h - margin - legend_h - gap
        if room_w < 1 or room_h < 1:
            # A legend of many layers and event types: keep its first rows and say how many
            # more there are, rather than refuse the map; below that, the page is too small.
            if side or legend is None or (keep is not None and keep <= MIN_LEGEND_ROWS):
                raise ExportError(f"the figure {size} is too small for the map and its text")
            keep = max(MIN_LEGEND_ROWS, (keep or len(entries)) * 2 // 3)
            legend_h = 0.0
            continue
        extent = map_extent(spec, dataset, room_h / room_w)
        ax_w, ax_h = _box(extent, room_w, room_h)
        ax_x = left if side else left + (room_w - ax_w) / 2
        ax_top = fig_h - top_h
        entries = _legend_entries(
            spec, dataset, basemap, drawn, events, _off_map(events, extent), s
        )
        if keep is not None and len(entries) > keep:
            more = len(entries) - keep
            entries = entries[:keep] + [
                _Entry(_blank(), f"… {more} more legend rows: see the HTML or GeoJSON export")
            ]
        if legend is not None:
            legend.remove()
        if side:
            anchor = ((ax_x + ax_w + gap) / fig_w, ax_top / fig_h)
        else:
            anchor = (margin / fig_w, (ax_top - ax_h - tick_h - gap / 2) / fig_h)
        legend = _place_legend(fig, entries, anchor, column_in, ncols, s, measure, shrink)
        measured = legend.get_window_extent(measure.renderer).height / fig.dpi
        if side:
            beside = fig_h - top_h - foot_h - cap_h - margin
            if measured <= beside:
                legend_h = measured
                break
            # Too tall to stand beside the map: smaller text, down to 5 pt, else below it.
            shrink *= beside / measured * 0.97
            if LEGEND_FS * s * shrink < 5.0:
                below_cols = max(1, min(3, int(text_w // (3.0 * s))))  # as the layout below
                side, shrink, legend_h = False, 1.0, measured / below_cols
            continue
        if abs(measured - legend_h) < 0.02:
            break
        legend_h = measured

    # ---- the map, packed under the title; height left over goes above the footer
    west, south, east, north = extent
    ax.set_position((ax_x / fig_w, (ax_top - ax_h) / fig_h, ax_w / fig_w, ax_h / fig_h))
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / math.cos(math.radians((south + north) / 2)), adjustable="datalim")
    _graticule(ax, s)
    bar = _scale_bar(ax, extent, (ax_w, ax_h), s)
    ax.apply_aspect()
    avoid = [bar.get_window_extent(measure.renderer)]
    _theatre_labels(ax, spec, dataset, s, measure.renderer, avoid)

    # ---- text
    text_kw = dict(usetex=False, ha="left", va="top", transform=fig.transFigure)
    x = margin / fig_w
    y = fig_h - margin
    fig.text(x, y / fig_h, _tex("\n".join(title_lines)), fontsize=title_fs, fontweight="bold",
             color=INK, linespacing=1.1, **text_kw)  # fmt: skip
    fig.text(x, (y - title_h) / fig_h, _tex("\n".join(sub_lines)), fontsize=sub_fs,
             color=MUTED, linespacing=1.15, **text_kw)  # fmt: skip
    if side:
        y = min(ax_top - ax_h - tick_h, ax_top - legend_h - 0.1 * s)
    else:
        y = ax_top - ax_h - tick_h - legend_h - gap
    if cap_lines:
        fig.text(x, y / fig_h, _tex("\n".join(cap_lines)), fontsize=cap_fs, color=INK,
                 linespacing=1.2, **text_kw)  # fmt: skip
    # The footer sits at the bottom of the page, whatever room the map left over.
    fig.text(x, (margin + foot_h - 0.04 * s) / fig_h, _tex("\n".join(foot_lines)),
             fontsize=foot_fs, color=MUTED, linespacing=1.2, **text_kw)  # fmt: skip
    fig.savefig(out, format=fmt, dpi=dpi, metadata=_metadata(fmt, title, spec.to_json()))


def _box(extent: tuple[float, float, float, float], room_w: float, room_h: float):
    """The axes size (inches) that shows ``extent`` undistorted within the room it has."""
    west, south, east, north = extent
    ratio = (north - south) / ((east - west) * math.cos(math.radians((south + north) / 2)))
    if ratio > room_h / room_w:
        return room_h / ratio, room_h
    return room_w, room_w * ratio


def _off_map(events: pd.DataFrame, extent: tuple[float, float, float, float]) -> pd.Series:
    west, south, east, north = extent
    lon = pd.to_numeric(events["longitude"], errors="coerce")
    lat = pd.to_numeric(events["latitude"], errors="coerce")
    return ~(lon.between(west, east) & lat.between(south, north))


def _subtitle(spec: ViewSpec, events: pd.DataFrame) -> str:
    """The window and the filters: what decides which features are grey and which events show."""
    parts = [f"Date window: {spec.window_text()}"]
    if spec.show_events:
        parts.append(f"{len(events)} events")
    else:
        parts.append("events hidden")
    for label, values in (
        ("types", spec.event_types),
        ("actors", spec.actors),
        ("theatres", spec.theatres),
    ):
        if values:
            parts.append(f"{label}: {', '.join(values)}")
    parts.append("layers not in force in the window are grey and dashed")
    return " · ".join(parts)
