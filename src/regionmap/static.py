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
import textwrap
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
from matplotlib.lines import Line2D
from matplotlib.patches import Ellipse, FancyBboxPatch, Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.ticker import FuncFormatter, MaxNLocator
from pyproj import Geod

from regionmap.catalog import LayerSpec, Style
from regionmap.compose import in_window
from regionmap.dataset import Dataset
from regionmap.errors import ExportError
from regionmap.render import HALO_RADIUS_M, INACTIVE_COLOR, symbol_for, theatres_bbox
from regionmap.spec import ViewSpec

FORMATS = ("png", "svg", "pdf")
VIEW_KEY = "regionmap:view"
DEFAULT_TITLE = "Where Russia and Turkey meet"

PX_TO_PT = 0.72  # a Leaflet CSS pixel at 100 dpi-equivalent, in points
REFERENCE_MAP_HEIGHT_PX = 620  # the dashboard's map height: what a centre + zoom showed
MARKERS = {"circle": "o", "square": "s", "diamond": "D", "triangle": "^", "star": "*"}
SEA_COLOR = "#e4edf3"
INK = "#222222"
MUTED = "#555555"
_GEOD = Geod(ellps="WGS84")


# ---------------------------------------------------------------- text


def _tex(text: object) -> str:
    """Data text, printed literally: ``$`` would start mathtext."""
    return str(text).replace("$", r"\$")


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def window_text(spec: ViewSpec) -> str:
    """The date window in words, as the snapshot titles say it."""
    if spec.start is None and spec.end is None:
        return "all dates"
    if spec.start is None:
        return f"up to {_day(spec.end)}"  # type: ignore[arg-type]
    if spec.end is None:
        return f"from {_day(spec.start)}"
    return f"{_day(spec.start)} – {_day(spec.end)}"


def map_title(spec: ViewSpec) -> str:
    return spec.title or f"{DEFAULT_TITLE}: events {window_text(spec)}"


def _wrap(text: str, width_in: float, fontsize: float, em: float = 0.52) -> list[str]:
    """Wrap to a width in inches: DejaVu Sans averages about half an em per glyph (more bold)."""
    chars = max(20, int(width_in * 72 / (fontsize * em)))
    return textwrap.wrap(text, chars, break_on_hyphens=False) or [""]


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
    parts = list(shapely.get_parts(geom))
    if (
        len(parts) == 1
        and parts[0].geom_type not in ("GeometryCollection",)
        and not (parts[0].geom_type.startswith("Multi"))
    ):
        return parts
    return [single for part in parts for single in _singles(part)]


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


def _dashes(dash: str, lw_pt: float) -> tuple[float, tuple[float, ...]] | str:
    """A Leaflet dashArray ("8 6", pixels) as a matplotlib dash tuple.

    matplotlib multiplies dash lengths by the line width (``lines.scale_dashes``), so
    divide first to keep the pattern in pixels as on the web map.
    """
    try:
        values = [float(v) * PX_TO_PT for v in dash.replace(",", " ").split()]
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


def _look(style: Style, active: bool) -> _Look:
    """The web map's `_feature_style`, in points."""
    diameter = 2 * style.radius * PX_TO_PT
    if not active:
        lw = max(1.0, style.weight * 0.6) * PX_TO_PT
        return _Look(
            edge=to_rgba(INACTIVE_COLOR, 0.7),
            face=to_rgba(INACTIVE_COLOR, 0.08 if style.fill_opacity else 0.0),
            lw=lw,
            linestyle=_dashes("4 6", lw),
            marker_size=diameter,
        )
    lw = style.weight * PX_TO_PT
    return _Look(
        edge=to_rgba(style.color, 0.95),
        face=to_rgba(style.fill_color or style.color, style.fill_opacity),
        lw=lw,
        linestyle=_dashes(style.dash, lw),
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
            linewidths=min(look.lw, 1.6),
            zorder=5 + z,
        )


def _draw_basemap(ax, dataset: Dataset) -> LayerSpec | None:
    layer = next((s for s in dataset.catalog.layers if s.role == "basemap"), None)
    if layer is None or len(dataset.display.get(layer.id, ())) == 0:
        return None
    st = layer.style
    parts = _split(dataset.display[layer.id].geometry)
    ax.add_collection(
        PatchCollection(
            [PathPatch(p) for p in parts.polygons],
            facecolors=[to_rgba(st.fill_color or "#f3f1ea", st.fill_opacity or 1.0)],
            edgecolors=[st.color],
            linewidths=st.weight * PX_TO_PT,
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


def _draw_overlays(ax, spec: ViewSpec, dataset: Dataset) -> _Drawn:
    drawn = _Drawn({})
    overlays = [s for s in dataset.catalog.layers if s.role != "basemap" and s.id in spec.layers]
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
            _draw_parts(ax, parts, _look(layer.style, flag), i * 0.01 + (0.005 if flag else 0))
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
                linewidths=0.6,
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


def _scale_bar(ax, extent: tuple[float, float, float, float], ax_h_in: float, s: float) -> None:
    """Four alternating segments, true at the map's middle latitude (it is a plate carrée)."""
    west, south, east, north = extent
    mid = (south + north) / 2
    _, _, metres = _GEOD.inv(0.0, mid, 1.0, mid)
    km_per_deg = max(metres / 1000, 1e-6)
    length_km = _nice_km((east - west) * km_per_deg * 0.2)
    frac = length_km / km_per_deg / (east - west)
    x0, y0 = 0.03, 0.045
    bar_h = 0.06 * s / ax_h_in
    text_kw = dict(transform=ax.transAxes, fontsize=7.5 * s, color=INK, usetex=False, zorder=11.2)
    ax.add_patch(
        FancyBboxPatch(
            (x0 - 0.012, y0 - 0.02),
            frac + 0.024 + 0.06,
            bar_h + 0.02 + 0.16 * s / ax_h_in + 0.02 * s / ax_h_in + 0.01,
            boxstyle="round,pad=0.004,rounding_size=0.006",
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
                (x0 + k * frac / 4, y0),
                frac / 4,
                bar_h,
                transform=ax.transAxes,
                facecolor=INK if k % 2 == 0 else "#ffffff",
                edgecolor=INK,
                linewidth=0.6,
                zorder=11.1,
            )
        )
    label_y = y0 + bar_h + 0.012 * s / ax_h_in * 10
    for pos, value in ((0, 0), (0.5, length_km / 2), (1, length_km)):
        ax.text(x0 + pos * frac, label_y, f"{value:g}", ha="center", va="bottom", **text_kw)
    ax.text(x0 + frac + 0.01, y0 + bar_h / 2, "km", ha="left", va="center", **text_kw)
    ax.text(
        x0,
        y0 - 0.006,
        f"scale true at {_deg(round(mid, 1), 'N', 'S')}",
        ha="left",
        va="top",
        **{**text_kw, "fontsize": 6.5 * s, "color": MUTED},
    )


def _north_arrow(ax, ax_h_in: float, s: float) -> None:
    x, top = 0.965, 0.955
    length = 0.5 * s / ax_h_in
    ax.annotate(
        "",
        xy=(x, top - 0.2 * s / ax_h_in),
        xytext=(x, top - 0.2 * s / ax_h_in - length),
        xycoords="axes fraction",
        textcoords="axes fraction",
        arrowprops=dict(
            arrowstyle=f"-|>,head_width={0.35 * s:.2f},head_length={0.8 * s:.2f}",
            color=INK,
            linewidth=1.6 * s,
        ),
        zorder=11,
    )
    ax.text(
        x,
        top,
        "N",
        transform=ax.transAxes,
        ha="center",
        va="top",
        fontsize=11 * s,
        fontweight="bold",
        color=INK,
        usetex=False,
        zorder=11,
        bbox=dict(boxstyle="circle,pad=0.15", facecolor=to_rgba("#ffffff", 0.8), edgecolor="none"),
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


def _layer_handle(layer: LayerSpec, kinds: set[str]) -> object:
    look = _look(layer.style, True)
    if kinds == {"point"}:
        return Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=min(look.marker_size, 10),
            markerfacecolor=look.face,
            markeredgecolor=look.edge,
            markeredgewidth=min(look.lw, 1.6),
        )
    if "polygon" in kinds and layer.style.fill_opacity:
        return Patch(
            facecolor=look.face, edgecolor=look.edge, linewidth=look.lw, linestyle=look.linestyle
        )
    return Line2D(
        [], [], color=look.edge, linewidth=look.lw, linestyle=look.linestyle, solid_capstyle="butt"
    )


def _header() -> Patch:
    return Patch(facecolor="none", edgecolor="none")


def _legend(
    fig: Figure,
    spec: ViewSpec,
    dataset: Dataset,
    basemap: LayerSpec | None,
    drawn: _Drawn,
    events: pd.DataFrame,
    extent: tuple[float, float, float, float],
    anchor: tuple[float, float],
    width_in: float,
    s: float,
) -> None:
    """One block per theatre with its layers, then the event symbols, then the keys."""
    fs = 8.0 * s
    handles: list[object] = []
    labels: list[str] = []
    bold: set[int] = set()

    def add(handle: object, label: str, header: bool = False) -> None:
        lines = _wrap(label, width_in - 0.75 * s, fs)
        if header:
            bold.add(len(labels))
        handles.append(handle)
        labels.append(_tex("\n".join(lines)))

    catalog = dataset.catalog
    unavailable = dataset.unavailable()
    grouped: dict[str, list[LayerSpec]] = {}
    for layer in catalog.layers:
        if layer.role != "basemap" and layer.id in drawn.kinds:
            grouped.setdefault(layer.theatre, []).append(layer)
    titles = {t.id: t.title for t in catalog.theatres}
    for theatre_id, layers in grouped.items():
        add(_header(), titles.get(theatre_id, theatre_id or "Other layers"), header=True)
        for layer in layers:
            kinds = drawn.kinds[layer.id]
            label = layer.title + (" (unavailable)" if layer.id in unavailable else "")
            add(_layer_handle(layer, kinds or {"line"}), label)
    if spec.show_events:
        west, south, east, north = extent
        lon = events["longitude"].astype(float)
        lat = events["latitude"].astype(float)
        outside = int((~(lon.between(west, east) & lat.between(south, north))).sum())
        beyond = f", {outside} beyond the map edge" if outside else ""
        add(_header(), f"Events ({len(events)}{beyond})", header=True)
        for event_type in sorted(set(events["event_type"].astype(str))) if len(events) else []:
            color, shape = symbol_for(event_type)
            add(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker=MARKERS.get(shape, "o"),
                    markersize=_event_marker_size(shape, 7.5 * s),
                    markerfacecolor=color,
                    markeredgecolor="#ffffff",
                    markeredgewidth=0.5 * s,
                ),
                event_type,
            )
        if len(events) == 0:
            add(_header(), "none in this window")
        if len(events) and events["is_span"].fillna(False).astype(bool).any():
            add(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="o",
                    markersize=7 * s,
                    markerfacecolor="#ffffff",
                    markeredgecolor="#444444",
                    markeredgewidth=1.5 * s,
                ),
                "span (start – end), hollow",
            )
        precision = pd.to_numeric(events.get("geo_precision"), errors="coerce")
        if len(events) and precision.isin(list(HALO_RADIUS_M)).any():
            add(
                Patch(
                    facecolor=to_rgba("#000000", 0.06),
                    edgecolor="#666666",
                    linewidth=0.6,
                    linestyle=(0, (3, 3)),
                ),
                "imprecise place (15 / 60 km halo)",
            )
    add(_header(), "Key", header=True)
    if basemap is not None:
        st = basemap.style
        add(
            Patch(
                facecolor=to_rgba(st.fill_color or "#f3f1ea", st.fill_opacity or 1.0),
                edgecolor=st.color,
                linewidth=st.weight * PX_TO_PT,
            ),
            basemap.title,
        )
    if drawn.inactive:
        look = _look(Style(weight=3.0), False)
        add(
            Line2D([], [], color=look.edge, linewidth=look.lw, linestyle=look.linestyle),
            "not in force in the window (grey, dashed)",
        )
    legend = fig.legend(
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=anchor,
        bbox_transform=fig.transFigure,
        frameon=False,
        fontsize=fs,
        title="Legend",
        title_fontproperties={"size": 9.5 * s, "weight": "bold"},
        alignment="left",
        handlelength=2.2,
        handleheight=1.0,
        handletextpad=0.6,
        labelspacing=0.45,
        borderaxespad=0.0,
        borderpad=0.0,
    )
    for i, text in enumerate(legend.get_texts()):
        text.set_usetex(False)
        if i in bold:
            text.set_fontweight("bold")
            text.set_color(INK)
    legend.get_title().set_usetex(False)


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
    exactly size * dpi / 100 pixels; fonts and margins scale with the size so a small
    figure is as legible as the default. The view spec JSON goes into the metadata.
    """
    if fmt not in FORMATS:
        raise ExportError(f"static maps are {', '.join(FORMATS)}, not {fmt!r}")
    width_px, height_px = int(size[0]), int(size[1])
    if width_px < 200 or height_px < 150:
        raise ExportError(f"a static map needs at least 200 x 150 pixels, got {size}")
    # A hair over size/100 so that int(inches * dpi) cannot fall one pixel short.
    fig_w, fig_h = (width_px + 1e-3) / 100, (height_px + 1e-3) / 100
    s = max(0.55, min(2.0, min(width_px / 1600, height_px / 1000)))
    fig = Figure(figsize=(fig_w, fig_h), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)

    title = map_title(spec)
    catalog = dataset.catalog
    events = dataset.visible_events(spec) if spec.show_events else dataset.events.frame.iloc[:0]

    # ---- vertical budget, in inches
    margin = 0.3 * s
    title_fs, sub_fs, cap_fs, foot_fs = 17 * s, 10 * s, 9 * s, 7 * s
    legend_w = min(3.4 * s, fig_w * 0.32)
    text_w = fig_w - 2 * margin
    sub = _subtitle(spec, dataset, events)
    sub_lines = _wrap(sub, text_w, sub_fs)
    title_lines = _wrap(title, text_w, title_fs, em=0.62)
    top_h = margin + len(title_lines) * title_fs * 1.25 / 72
    top_h += 0.06 * s + len(sub_lines) * sub_fs * 1.3 / 72 + 0.2 * s
    cap_lines = [w for line in (caption or []) for w in _wrap(line, text_w, cap_fs)]
    sources = "; ".join(src.title for src in catalog.sources)
    attribution = f"Sources: {sources}. © regionmap, data as of {catalog.as_of}."
    foot_lines = _wrap(attribution, text_w, foot_fs)
    foot_lines.append(f"Generated on {generated or dt.date.today().isoformat()} with regionmap.")
    tick_h = 7.5 * s * 1.4 / 72 + 0.12 * s
    bottom_h = margin + len(foot_lines) * foot_fs * 1.35 / 72 + 0.08 * s
    if cap_lines:
        bottom_h += len(cap_lines) * cap_fs * 1.35 / 72 + 0.12 * s
    bottom_h += tick_h
    left = margin + 0.42 * s
    ax_w = fig_w - left - legend_w - margin - 0.25 * s
    ax_h = fig_h - top_h - bottom_h
    if ax_w < 1 or ax_h < 1:
        raise ExportError(f"the figure {size} is too small for the map and its text")

    ax = fig.add_axes((left / fig_w, bottom_h / fig_h, ax_w / fig_w, ax_h / fig_h))
    ax.set_facecolor(SEA_COLOR)
    extent = map_extent(spec, dataset, ax_h / ax_w)
    west, south, east, north = extent
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / math.cos(math.radians((south + north) / 2)), adjustable="box")
    ax.set_anchor("C")

    basemap = _draw_basemap(ax, dataset)
    drawn = _draw_overlays(ax, spec, dataset)
    if spec.show_events:
        _draw_events(ax, events, s)
    _graticule(ax, s)
    _scale_bar(ax, extent, ax_h, s)
    _north_arrow(ax, ax_h, s)
    _legend(
        fig,
        spec,
        dataset,
        basemap,
        drawn,
        events,
        extent,
        anchor=((left + ax_w + 0.25 * s) / fig_w, 1 - top_h / fig_h),
        width_in=legend_w,
        s=s,
    )

    # ---- text blocks
    y = fig_h - margin
    text_kw = dict(usetex=False, ha="left", va="top", transform=fig.transFigure)
    fig.text(
        margin / fig_w,
        y / fig_h,
        _tex("\n".join(title_lines)),
        fontsize=title_fs,
        fontweight="bold",
        color=INK,
        linespacing=1.1,
        **text_kw,
    )
    y -= len(title_lines) * title_fs * 1.25 / 72 + 0.06 * s
    fig.text(
        margin / fig_w,
        y / fig_h,
        _tex("\n".join(sub_lines)),
        fontsize=sub_fs,
        color=MUTED,
        linespacing=1.2,
        **text_kw,
    )
    y = bottom_h - tick_h - 0.06 * s
    if cap_lines:
        fig.text(
            margin / fig_w,
            y / fig_h,
            _tex("\n".join(cap_lines)),
            fontsize=cap_fs,
            color=INK,
            linespacing=1.25,
            **text_kw,
        )
        y -= len(cap_lines) * cap_fs * 1.35 / 72 + 0.12 * s
    fig.text(
        margin / fig_w,
        y / fig_h,
        _tex("\n".join(foot_lines)),
        fontsize=foot_fs,
        color=MUTED,
        linespacing=1.25,
        **text_kw,
    )

    fig.savefig(out, format=fmt, dpi=dpi, metadata=_metadata(fmt, title, spec.to_json()))


def _subtitle(spec: ViewSpec, dataset: Dataset, events: pd.DataFrame) -> str:
    """The window and the filters: what decides which features are grey and which events show."""
    parts = [f"Date window: {window_text(spec)}"]
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
