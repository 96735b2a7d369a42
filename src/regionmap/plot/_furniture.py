"""The map's furniture: graticule, scale bar, north arrow and theatre labels.

Owns: the graticule (ticks in degrees, grid lines), the scale bar (true at the map's middle
latitude, measured on the WGS84 ellipsoid) with the north arrow in one box at the lower
left, and the theatre names placed so they do not collide. Positions inside the axes are
axes fractions; sizes are points scaled by ``s``.

Must not: draw map contents, set the axes' limits or position (call these once the layout
has fixed them), or decide which theatres are shown beyond the view's visible layers.
"""

from __future__ import annotations

import math

from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.patches import FancyBboxPatch, Rectangle
from matplotlib.patheffects import withStroke
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import Bbox
from pyproj import Geod

from regionmap._catalog import BBox
from regionmap._dataset import Dataset
from regionmap._framing import bbox_overlaps, union_bbox
from regionmap._spec import ViewSpec
from regionmap.plot._look import INK, MUTED
from regionmap.plot._text import deg, tex

_GEOD = Geod(ellps="WGS84")


def graticule(ax: Axes, s: float) -> None:
    """Ticks every 1, 2, 2.5, 5 or 10 × 10^n degrees, labelled ``41°N``, with a light grid."""
    locator = dict(nbins=8, steps=[1, 2, 2.5, 5, 10])
    ax.xaxis.set_major_locator(MaxNLocator(**locator))
    ax.yaxis.set_major_locator(MaxNLocator(**locator))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: deg(v, "E", "W")))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: deg(v, "N", "S")))
    ax.tick_params(labelsize=7.5 * s, colors=MUTED, length=3 * s, width=0.6, pad=2 * s)
    ax.set_axisbelow("line")  # grid over the basemap, under the overlays
    ax.grid(True, color="#9fb3c4", linewidth=0.4, alpha=0.8)
    for spine in ax.spines.values():
        spine.set_color("#555555")
        spine.set_linewidth(0.8)


def nice_km(target: float) -> float:
    """The largest 1, 2 or 5 x 10^n not above ``target`` (km); 1 for a target <= 0."""
    if target <= 0:
        return 1.0
    exp = math.floor(math.log10(target))
    for step in (5, 2, 1):
        if step * 10**exp <= target:
            return float(step * 10**exp)
    return float(10**exp)


def scale_bar(ax: Axes, extent: BBox, ax_size_in: tuple[float, float], s: float) -> FancyBboxPatch:
    """Scale bar and north arrow in one box at the lower left; returns the box.

    Four alternating segments about a fifth of the map wide, true at the map's middle
    latitude (a plate carrée's scale changes with latitude, so the label says where it
    holds).

    Parameters
    ----------
    ax : Axes
        The map, its limits already set to ``extent``.
    extent : tuple of float
        (west, south, east, north) in degrees lon/lat.
    ax_size_in : tuple of float
        The axes' (width, height) in inches, to size the box in inches.
    s : float
        The figure's scale.
    """
    west, south, east, north = extent
    mid = (south + north) / 2
    _, _, metres = _GEOD.inv(0.0, mid, 1.0, mid)
    km_per_deg = max(metres / 1000, 1e-6)
    length_km = nice_km((east - west) * km_per_deg * 0.2)
    bar = length_km / km_per_deg / (east - west)  # axes fraction
    fx, fy = 1 / ax_size_in[0], 1 / ax_size_in[1]  # axes fraction per inch
    pad, x0, y0 = 0.08 * s, 0.25 * s * fx, 0.2 * s * fy
    bar_y, bar_h = y0 + 0.16 * s * fy, 0.065 * s * fy
    top = bar_y + bar_h + 0.18 * s * fy
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
    _bar_segments(ax, x0, bar_y, bar, bar_h)
    _bar_labels(ax, (x0, y0, bar_y), (bar, bar_h), (fx, fy), length_km, mid, s)
    north_arrow(ax, arrow_x, y0, top, s)
    return box


def _bar_segments(ax: Axes, x0: float, bar_y: float, bar: float, bar_h: float) -> None:
    """Four segments, ink and white by turns, from ``x0`` (axes fractions)."""
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


def _bar_labels(
    ax: Axes,
    origin: tuple[float, float, float],
    bar_size: tuple[float, float],
    per_inch: tuple[float, float],
    length_km: float,
    mid: float,
    s: float,
) -> None:
    """0, half and full length above the bar, "km" after it, and where it is true below."""
    x0, y0, bar_y = origin
    bar, bar_h = bar_size
    fx, fy = per_inch
    text_kw = dict(transform=ax.transAxes, color=INK, usetex=False, zorder=11.2)
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
        f"true at {deg(round(mid, 1), 'N', 'S')}",
        ha="left",
        va="bottom",
        fontsize=6.5 * s,
        **{**text_kw, "color": MUTED},
    )


def north_arrow(ax: Axes, x: float, y0: float, y1: float, s: float) -> None:
    """North is up everywhere on lon/lat axes: an arrow from ``y0`` to an "N" at ``y1``.

    ``x``, ``y0`` and ``y1`` are axes fractions.
    """
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


def _drawn_bounds(theatre, spec: ViewSpec, dataset: Dataset) -> tuple[float, ...]:
    """The box of what the theatre's own visible layers draw (lon/lat degrees), else its
    bbox; not the context its layers with a box of their own bring (Natural Earth's lines
    of Abkhazia put "Kars borders" over the Caucasus).

    The catalog's bbox is where features may lie, drawn wide: the Black Sea theatre's runs
    south to 36.5°N, and a name put under it landed in the Mediterranean by Akkuyu."""
    boxes = [
        dataset.display[layer.id].total_bounds
        for layer in dataset.catalog.layers
        if layer.theatre == theatre.id
        and layer.bbox is None
        and layer.id in spec.layers
        and layer.id in dataset.display
        and len(dataset.display[layer.id])
    ]
    return union_bbox([tuple(b) for b in boxes]) or tuple(theatre.bbox)


def theatre_labels(
    ax: Axes, spec: ViewSpec, dataset: Dataset, s: float, renderer: object, avoid: list[Bbox]
) -> None:
    """Each shown theatre's name above its box, else below it, haloed so it reads over
    lines and fills; a name that would collide with another, or with ``avoid`` (display
    boxes: the scale bar, the north arrow), or leave the map is left out: the legend
    names it too. A theatre is shown when one of its layers is visible and draws
    within the map."""
    ax.apply_aspect()
    frame = ax.get_window_extent(renderer)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    taken = list(avoid)
    shown = {layer.theatre for layer in dataset.catalog.layers if layer.id in spec.layers}
    for theatre in dataset.catalog.theatres:
        if theatre.id not in shown:
            continue
        west, south, east, north = _drawn_bounds(theatre, spec, dataset)
        if not bbox_overlaps((west, south, east, north), (x0, y0, x1, y1)):
            continue  # drawn elsewhere: a name clamped to the map's edge points nowhere
        # above the box, else below it; at its middle, else a quarter in from either side
        # (a town's name may hold the middle: Istanbul's, under the Black Sea theatre)
        spots = [(y, va, west + (east - west) * f) for y, va in ((north, "bottom"), (south, "top"))
                 for f in (0.5, 0.25, 0.75)]  # fmt: skip
        for y, va, x in spots:
            x = min(max(x, x0), x1)
            if not y0 < y < y1:
                continue
            label = ax.text(
                x,
                y,
                tex(theatre.title),
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
