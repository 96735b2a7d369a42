"""Drawing the map's contents on lon/lat axes: basemap, overlay layers and events.

Owns: turning shapely geometries into matplotlib paths and line arrays (holes stay holes),
drawing them as collections in catalog order with the looks `_look` decides (inactive
under active), the event markers and their halos, and recording what was drawn for the
legend (`Drawn`). Coordinates are degrees lon/lat (EPSG:4326), as `Dataset.display` holds.

Must not: decide a look, a marker or the inactive rule (that is `_look`), set the axes'
limits or position (that is `_layout`), or change the axes' data limits: every collection
is added with ``autolim=False`` so the extent stays the layout's choice.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.colors import to_rgba
from matplotlib.patches import Ellipse, PathPatch
from matplotlib.path import Path as MplPath

from regionmap._catalog import Catalog, LayerSpec
from regionmap._dataset import Dataset
from regionmap._plan import MapPlan, PlannedLayer
from regionmap._symbology import APPROX_RING_PX, approx_text
from regionmap.plot._look import (
    HALO_DASH,
    HALO_EDGE,
    HALO_FACE,
    PX_TO_PT,
    Look,
    event_marker,
    event_marker_size,
    event_symbol,
    land_face,
    land_width,
    print_look,
)

# ---------------------------------------------------------------- parts and paths


def singles(geom: object) -> list:
    """Polygons, lines and points out of any (multi/collection) geometry; [] if empty."""
    if geom is None or shapely.is_empty(geom):
        return []
    if geom.geom_type.startswith("Multi") or geom.geom_type == "GeometryCollection":
        return [single for part in geom.geoms for single in singles(part)]
    return [geom]


def polygon_path(poly: shapely.Polygon) -> MplPath:
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
class Parts:
    """Geometries split by kind: polygon paths, (n, 2) lon/lat line arrays, (lon, lat) points."""

    polygons: list[MplPath]
    lines: list[np.ndarray]
    points: list[tuple[float, float]]

    def kinds(self) -> set[str]:
        """The kinds present, as the legend names them: "polygon", "line", "point"."""
        present = (("polygon", self.polygons), ("line", self.lines), ("point", self.points))
        return {kind for kind, items in present if items}


def split(geoms: Iterable[object]) -> Parts:
    """Every single part of ``geoms`` (shapely, lon/lat), by kind; empty ones dropped."""
    out = Parts([], [], [])
    for geom in geoms:
        for part in singles(geom):
            kind = part.geom_type
            if kind == "Polygon":
                out.polygons.append(polygon_path(part))
            elif kind in ("LineString", "LinearRing"):
                out.lines.append(np.asarray(part.coords)[:, :2])
            elif kind == "Point":
                out.points.append((part.x, part.y))
    return out


# ---------------------------------------------------------------- drawing


def draw_parts(ax: Axes, parts: Parts, look: Look, z: float) -> None:
    """Polygons, then lines, then points in ``look``, at zorder 3, 4 and 5 plus ``z``."""
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


def basemap_layer(catalog: Catalog) -> LayerSpec | None:
    """The catalog's basemap layer (role "basemap"), or None."""
    return next((spec for spec in catalog.layers if spec.role == "basemap"), None)


def draw_basemap(
    ax: Axes, dataset: Dataset, s: float, zoom: float | None = None
) -> LayerSpec | None:
    """The land at zorder 1, then the further basemap layers on it (lakes, rivers), each
    in its catalog style; a feature with a first zoom (``min_zoom``: rivers, by rank) only
    from ``zoom`` on (a Web Mercator zoom; None draws none of them), as the web map does.
    Returns the first layer, or None when there is none or it is empty."""
    layer = basemap_layer(dataset.catalog)
    if layer is None or len(dataset.display.get(layer.id, ())) == 0:
        return None
    others = [x for x in dataset.catalog.layers if x.role == "basemap" and x.id != layer.id]
    for z, each in enumerate([layer, *others]):
        frame = dataset.display.get(each.id)
        if frame is None or len(frame) == 0:
            continue
        if "min_zoom" in frame:
            frame = frame[frame["min_zoom"].le(zoom)] if zoom is not None else frame.iloc[:0]
        parts = split(frame.geometry)
        if parts.polygons:
            ax.add_collection(
                PatchCollection(
                    [PathPatch(p) for p in parts.polygons],
                    facecolors=[land_face(each.style)],
                    edgecolors=[each.style.color],
                    linewidths=land_width(each.style, s),
                    joinstyle="round",
                    zorder=1 + z / 10,
                ),
                autolim=False,
            )
        if parts.lines:
            ax.add_collection(
                LineCollection(
                    parts.lines,
                    colors=[each.style.color],
                    linewidths=land_width(each.style, s),
                    capstyle="round",
                    joinstyle="round",
                    zorder=1 + z / 10,
                ),
                autolim=False,
            )
    return layer


@dataclass
class Drawn:
    """What ended up on the map, for the legend."""

    kinds: dict[str, set[str]] = field(default_factory=dict)  # layer id -> {"polygon", ...}
    inactive: bool = False  # some feature was drawn in the inactive look


def draw_overlays(ax: Axes, plan: MapPlan, s: float) -> Drawn:
    """The plan's layers in the plan's looks, inactive features under active ones (older
    dated variants under newer), layers in catalog order."""
    return draw_layers(ax, plan.layers, s)


def draw_layers(ax: Axes, layers: Sequence[PlannedLayer], s: float) -> Drawn:
    """Planned layers as `draw_overlays` draws them: also an inset's few layers."""
    drawn = Drawn()
    for i, planned in enumerate(layers):
        kinds: set[str] = set()
        drawn.kinds[planned.layer.id] = kinds
        for flag in (False, True):
            for older in (True, False):
                chosen = [f for f in planned.features if f.active == flag and f.older == older]
                for look in dict.fromkeys(f.look for f in chosen):
                    parts = split(f.geometry for f in chosen if f.look == look)
                    kinds |= parts.kinds()
                    drawn.inactive |= not flag
                    # Inactive under active; each kind of geometry in catalog order.
                    z = i * 0.01 + (0.005 if flag else 0) + (0 if older else 0.002)
                    draw_parts(ax, parts, print_look(look, s), z)
    return drawn


def _ellipses(lon: np.ndarray, lat: np.ndarray, radius_m: np.ndarray) -> list[Ellipse]:
    """Discs true to their radius in metres, as lon/lat ellipses."""
    out = []
    for x, y, r in zip(lon, lat, radius_m, strict=True):
        if r:
            cos_lat = max(0.05, math.cos(math.radians(y)))
            out.append(Ellipse((x, y), 2 * r / 111_320 / cos_lat, 2 * r / 110_574))
    return out


def _draw_halos(ax: Axes, lon: np.ndarray, lat: np.ndarray, radius_m: np.ndarray, s: float):
    """Dashed discs around events placed approximately, where the plan draws halos."""
    halos = _ellipses(lon, lat, radius_m)
    if halos:
        ax.add_collection(
            PatchCollection(
                halos,
                facecolors=[HALO_FACE],
                edgecolors=[to_rgba(HALO_EDGE, 0.9)],
                linewidths=0.6 * s,
                linestyles=[HALO_DASH],
                zorder=2.5,  # beneath the layers (3-5): a disc never hides a corridor
            ),
            autolim=False,
        )


# A text's white plate, not a stroke: a stroked text reaches an SVG as bare paths, a plated
# one keeps its words (a reader, a search, a test finds them).
_PLATE = {"boxstyle": "round,pad=0.15", "facecolor": (1, 1, 1, 0.8), "edgecolor": "none"}


def _draw_approximate(ax: Axes, lon: np.ndarray, lat: np.ndarray, radius_m: np.ndarray, s: float):
    """A dashed ring of fixed size and "± N km" beside each event whose halo would bury
    the map (the plan's ``approximate``)."""
    mask = radius_m > 0
    if not mask.any():
        return
    ring = 2 * APPROX_RING_PX * PX_TO_PT * s
    ax.scatter(
        lon[mask], lat[mask], s=ring**2, marker="o", facecolors="none",
        edgecolors=[to_rgba("#444444", 0.95)], linewidths=1.1 * s, linestyles=[HALO_DASH],
        zorder=6,
    )  # fmt: skip
    for x, y, r in zip(lon[mask], lat[mask], radius_m[mask], strict=True):
        ax.annotate(
            approx_text(int(r)), (x, y), xytext=(ring / 2 + 1, -ring / 2),
            textcoords="offset points", fontsize=7 * s, color="#333333", usetex=False,
            zorder=7.6, annotation_clip=True, bbox=_PLATE,
        )  # fmt: skip


def draw_events(ax: Axes, events: pd.DataFrame, s: float, plan: MapPlan | None = None) -> None:
    """Markers by type (spans hollow), with the halos or the "approximate ± N km" rings
    ``plan`` decides for places known only roughly (none without a plan).

    ``events`` has ``longitude``, ``latitude`` (degrees), ``geo_precision``,
    ``event_type`` and ``is_span`` columns, as `Dataset.visible_events` returns.
    """
    if len(events) == 0:
        return
    lon = events["longitude"].astype(float).to_numpy()
    lat = events["latitude"].astype(float).to_numpy()
    precision = events["geo_precision"].to_numpy()
    if plan is not None:
        _draw_halos(ax, lon, lat, np.array([plan.halo_m(p) for p in precision]), s)
        _draw_approximate(ax, lon, lat, np.array([plan.approximate_m(p) for p in precision]), s)
    types = events["event_type"].astype(str).to_numpy()
    spans = events["is_span"].fillna(False).astype(bool).to_numpy()
    base = 9.0 * s
    for event_type in sorted(set(types)):
        color, shape = event_symbol(event_type)
        for hollow in (False, True):
            mask = (types == event_type) & (spans == hollow)
            if not mask.any():
                continue
            size = event_marker_size(shape, base)
            ax.scatter(
                lon[mask],
                lat[mask],
                s=size**2,
                marker=event_marker(shape),
                facecolors="#ffffff" if hollow else color,
                edgecolors=color if hollow else "#ffffff",
                linewidths=1.6 * s if hollow else 0.6 * s,
                zorder=7.5 if hollow else 7,
            )


def draw_variant_labels(ax: Axes, plan: MapPlan, s: float) -> None:
    """Each dated variant's period on the map, in its layer's ink, haloed in white."""
    colors = {f.period: f.look.color for p in plan.layers for f in p.features if f.period}
    for label in plan.variant_labels():
        ax.annotate(
            label.text, (label.lon, label.lat), xytext=(6, 6 if label.older else -12),
            textcoords="offset points", fontsize=7.5 * s, fontweight="bold", usetex=False,
            color=colors.get(label.text, "#222222"), zorder=8, annotation_clip=True, bbox=_PLATE,
        )  # fmt: skip
