"""The user's annotations on the print map: notes, marked points and arrows.

Owns: drawing a `regionmap._annotations.PlannedAnnotation` with matplotlib: a point as a
red ringed dot, an arrow as a line with its head at its end (``annotate``), the text in a
white box on the side the plan chose. Text goes through `_text.tex` (``$`` stays a dollar
sign, Arabic is shaped) and keeps its words in an SVG (no path effects).

Must not: choose where text goes (the plan did, for both renderers).
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.transforms import offset_copy

from regionmap._annotations import ANNOTATION_COLOR as COLOR
from regionmap._annotations import PlannedAnnotation
from regionmap.plot._labels import PT_PER_PX
from regionmap.plot._text import tex

FONT_PX = 13  # the text's size in CSS pixels, as on the web map
ZORDER = 10  # above labels (9): the user's own marks are the point of the figure


def draw_annotations(ax: Axes, annotations: Sequence[PlannedAnnotation], s: float) -> None:
    """Each annotation at its lon/lat degrees (the axes are plate carrée, EPSG:4326), clipped
    to the map; ``s`` scales lines and text with the page. SVG ids: ``rm-annotation-<kind>``
    on each mark, ``rm-annotation-text`` on each text."""
    for planned in annotations:
        a = planned.annotation
        gid = f"rm-annotation-{a.kind}"
        if a.kind == "arrow":
            arrow = ax.annotate(
                "", xy=(a.to_lon, a.to_lat), xytext=(a.lon, a.lat), xycoords="data",
                arrowprops={"arrowstyle": "-|>", "color": COLOR, "lw": 2.2 * s,
                            "mutation_scale": 18 * s, "shrinkA": 0, "shrinkB": 0},
                annotation_clip=False, zorder=ZORDER, gid=gid,
            )  # fmt: skip
            arrow.arrow_patch.set_clip_on(True)
            arrow.arrow_patch.set_clip_path(ax.patch)
            arrow.arrow_patch.set_gid(gid)
        else:
            ax.plot([a.lon], [a.lat], marker="o", markersize=8 * s, color=COLOR, gid=gid,
                    markeredgecolor="white", markeredgewidth=1.5 * s, zorder=ZORDER)  # fmt: skip
        if planned.lines:
            _text(ax, planned, s)


def _text(ax: Axes, planned: PlannedAnnotation, s: float) -> None:
    """The boxed text beside its point, on the plan's side of it."""
    sign = 1 if planned.anchor == "right" else -1
    where = offset_copy(ax.transData, fig=ax.figure, x=sign * 8 * s, y=0, units="points")
    ax.text(
        *planned.label_at, "\n".join(tex(line) for line in planned.lines), transform=where,
        ha="left" if sign > 0 else "right", va="center",
        fontsize=FONT_PX * PT_PER_PX * s, color="#111111", usetex=False, clip_on=True,
        bbox={"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": COLOR,
              "linewidth": 1.2 * s, "alpha": 0.95},
        zorder=ZORDER + 0.1, gid="rm-annotation-text",
    )  # fmt: skip
