"""The plan's labels on the print map, where the plan placed them.

Owns: turning a `regionmap._labels.Label` (CSS pixels, an anchor side) into matplotlib
text: points are 0.75 CSS px, scaled like the rest of the page; a white halo keeps names
legible over lines and fills; a missing name in the view's language shows in italics.

Must not: choose or move labels (the plan did, for both renderers).
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.transforms import offset_copy

from regionmap._labels import Label
from regionmap.plot._text import tex

PT_PER_PX = 0.75  # a CSS pixel is 1/96 inch, a point 1/72
# (horizontal alignment, vertical alignment, x sign, y sign) per side of the point
ALIGN = {
    "center": ("center", "center", 0, 0),
    "right": ("left", "center", 1, 0),
    "left": ("right", "center", -1, 0),
    "above": ("center", "bottom", 0, 1),
    "below": ("center", "top", 0, -1),
}
COLORS = {"place": "#222222", "country": "#555555"}


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
        ax.text(label.lon, label.lat, text, color="white", path_effects=halo, zorder=9, **style)
        ax.text(
            label.lon, label.lat, text, color=COLORS[label.kind], zorder=9.1,
            gid=f"rm-label-{label.kind}", **style,
        )  # fmt: skip
