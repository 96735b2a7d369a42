"""The plan's labels on the print map, where the plan placed them.

Owns: turning a `regionmap._labels.Label` (CSS pixels, an anchor side) into matplotlib
text: points are 0.75 CSS px, scaled like the rest of the page; a white halo keeps names
legible over lines and fills; a missing name in the view's language shows in italics.

Must not: choose or move labels (the plan did, for both renderers). It leaves out a label
the page cannot hold whole: the plan placed it inside the view's box, and a narrower page
or an inset may cut it ("nia" for Armenia at an atlas page's edge).
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.transforms import Bbox, offset_copy

from regionmap._labels import Label
from regionmap.plot._text import tex

PT_PER_PX = 0.75  # a CSS pixel is 1/96 inch, a point 1/72
TOWN_DOT_PX = 2.5  # a town's dot radius, CSS pixels (the web map's .rm-town-dot)
# (horizontal alignment, vertical alignment, x sign, y sign) per side of the point
ALIGN = {
    "center": ("center", "center", 0, 0),
    "right": ("left", "center", 1, 0),
    "left": ("right", "center", -1, 0),
    "above": ("center", "bottom", 0, 1),
    "below": ("center", "top", 0, -1),
}
COLORS = {"place": "#222222", "country": "#555555", "town": "#333333"}


def draw_labels(ax: Axes, labels: Sequence[Label], s: float) -> None:
    """Each label at its point (lon, lat degrees) with its offset, above every layer.

    The white halo is a separate text beneath: text drawn with a path effect loses its
    words in an SVG (only outlines remain), the plain text on top keeps them findable."""
    halo = [patheffects.Stroke(linewidth=2.2 * s, foreground="white")]
    for label in labels:
        ha, va, sx, sy = ALIGN[label.anchor]
        d = label.offset_px * PT_PER_PX * s
        where = offset_copy(ax.transData, fig=ax.figure, x=sx * d, y=sy * d, units="points")
        style = {
            "transform": where,
            "ha": ha,
            "va": va,
            "fontsize": label.font_px * PT_PER_PX * s,
            "fontweight": "bold" if label.kind == "country" else "normal",
            "fontstyle": "italic" if label.fallback else "normal",
            "clip_on": True,
            "usetex": False,
        }
        text = tex(label.text)
        if label.dot:  # a town's dot comes with its name, as on the web map
            ax.plot(
                [label.lon], [label.lat], marker="o", markersize=2 * TOWN_DOT_PX * PT_PER_PX * s,
                markerfacecolor="#444444", markeredgecolor="white", markeredgewidth=0.6 * s,
                zorder=8.9, gid="rm-town-dot", clip_on=True,
            )  # fmt: skip
        ax.text(
            label.lon, label.lat, text, color="white", path_effects=halo, zorder=9,
            gid=f"rm-label-{label.kind}-halo", **style,
        )  # fmt: skip
        ax.text(
            label.lon, label.lat, text, color=COLORS[label.kind], zorder=9.1,
            gid=f"rm-label-{label.kind}", **style,
        )  # fmt: skip


def drop_cut_labels(ax: Axes, renderer: object, covered: Sequence[Bbox]) -> int:
    """Remove the plan's labels (text and halo) that the axes' frame cuts or that lie
    under one of ``covered`` (display boxes: the insets); returns how many went.

    Call once the axes have their final place and limits."""
    frame = ax.get_window_extent(renderer)
    gone = 0
    for text in list(ax.texts):
        if not str(text.get_gid()).startswith("rm-label"):
            continue
        box = text.get_window_extent(renderer)
        cut = box.x0 < frame.x0 or box.x1 > frame.x1 or box.y0 < frame.y0 or box.y1 > frame.y1
        if cut or any(box.overlaps(c) for c in covered):
            text.remove()
            gone += 1
    return gone
