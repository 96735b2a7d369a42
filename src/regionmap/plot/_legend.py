"""The print map's legend: which entries it has, and how they are drawn.

Owns, in two separate steps:

1. the decision, `legend_entries`: a plain list of `LegendEntry` (kind, label and the data
   the sample needs: a layer's style and drawn geometry kinds, an event type's colour and
   shape), one block per theatre, then the events, then the key. No matplotlib here: a
   shared map plan can hand over the same list, and a test can compare it with the web
   map's legend;
2. the drawing: `legend_handle` builds each entry's matplotlib sample, `place_legend` lays
   the legend out in the figure with its labels wrapped to a column width in inches.

Must not: decide where the legend goes on the page or how large it may be (that is
`_layout`), or decide a look (that is `_look`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from regionmap._catalog import BBox, Style
from regionmap._plan import MapPlan
from regionmap._symbology import APPROX_RING_PX
from regionmap.plot._look import (
    HALO_DASH,
    HALO_EDGE,
    HALO_FACE,
    HOLLOW_EDGE,
    INACTIVE_KEY_STYLE,
    INK,
    PX_TO_PT,
    event_marker,
    event_marker_size,
    feature_look,
    land_face,
    land_width,
)
from regionmap.plot._text import Measure, tex

LEGEND_FS = 8.5  # points, at scale 1
MIN_LEGEND_ROWS = 6  # a cut legend keeps at least this many rows

EntryKind = Literal[
    "header", "note", "layer", "event", "span", "halo", "basemap", "inactive", "approximate"
]


@dataclass(frozen=True)
class LegendEntry:
    """One legend row as data: what it shows, not how matplotlib draws it.

    ``header`` and ``note`` rows have no sample (a header is bold). ``layer``, ``basemap``
    and ``inactive`` rows carry a ``style``; a layer also the ``geometry`` kinds drawn
    ("polygon", "line", "point"). ``event`` rows carry the marker's ``color`` and
    ``shape`` (a web map shape name). ``span`` and ``halo`` rows are fixed samples.
    """

    kind: EntryKind
    label: str
    style: Style | None = None
    geometry: frozenset[str] = frozenset()
    color: str = ""
    shape: str = ""


# ---------------------------------------------------------------- the decision


def legend_entries(plan: MapPlan, off: pd.Series, extent: BBox | None = None) -> list[LegendEntry]:
    """`MapPlan.legend`'s rows, the web map's too, as the print legend's entries.

    Parameters
    ----------
    plan : MapPlan
        The view as planned: layers and the geometry kinds they draw, events, the key.
    off : Series of bool
        Marks the plan's events outside the printed extent, named so a reader knows.
    extent : (west, south, east, north), optional
        The printed extent in degrees: layers that draw nothing inside it are left out.

    Returns
    -------
    list of LegendEntry
        In legend order; one per plan row, except the web map's note on aggregated
        events, since the print map draws every event.
    """
    out: list[LegendEntry] = []
    for row in plan.legend(off, extent):
        if row.kind in ("theatre", "events", "key"):
            label = f"{row.label} · {row.detail}" if row.detail else row.label
            out.append(LegendEntry("header", label))
        elif row.kind == "layer" and row.layer is not None:
            style = row.look.as_style() if row.look is not None else row.layer.style
            out.append(LegendEntry("layer", row.label, style=style, geometry=row.kinds))
        elif row.kind == "variant" and row.look is not None:  # a dated variant's own look
            out.append(
                LegendEntry("layer", row.label, style=row.look.as_style(), geometry=row.kinds)
            )
        elif row.kind == "event_type" and row.symbol is not None:
            color, shape = row.symbol
            out.append(LegendEntry("event", row.label, color=color, shape=shape))
        elif row.kind == "basemap" and row.layer is not None:
            out.append(LegendEntry("basemap", row.label, style=row.layer.style))
        elif row.kind == "inactive":
            out.append(LegendEntry("inactive", row.label, style=INACTIVE_KEY_STYLE))
        elif row.kind in ("span", "halo", "note", "approximate"):
            out.append(LegendEntry(row.kind, row.label))
    return out


def merge_entries(first: list[LegendEntry], second: list[LegendEntry]) -> list[LegendEntry]:
    """One legend for two map panels: ``first``'s rows, and each row of ``second`` it lacks
    (same kind and label) after the last of ``first``'s rows of that kind, else at the end.
    Headers come from ``first`` only: the second's would repeat them with other counts."""
    out = list(first)
    seen = {(e.kind, e.label) for e in out}
    for entry in second:
        if entry.kind == "header" or (entry.kind, entry.label) in seen:
            continue
        seen.add((entry.kind, entry.label))
        same = [i for i, e in enumerate(out) if e.kind == entry.kind]
        out.insert(same[-1] + 1 if same else len(out), entry)
    return out


def cut_entries(entries: list[LegendEntry], keep: int | None) -> list[LegendEntry]:
    """The first ``keep`` rows and a note of how many more, when there are more."""
    if keep is None or len(entries) <= keep:
        return entries
    more = len(entries) - keep
    note = f"… {more} more legend rows: see the HTML or GeoJSON export"
    return entries[:keep] + [LegendEntry("note", note)]


# ---------------------------------------------------------------- the drawing


def _blank() -> Patch:
    return Patch(facecolor="none", edgecolor="none")


def _layer_handle(style: Style, kinds: frozenset[str], s: float) -> Artist:
    """A dot for a layer of points, a patch for a filled one, else a line."""
    look = feature_look(style, True, s)
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
    if "polygon" in kinds and style.fill_opacity:
        return Patch(
            facecolor=look.face, edgecolor=look.edge, linewidth=look.lw, linestyle=look.linestyle
        )
    return Line2D(
        [], [], color=look.edge, linewidth=look.lw, linestyle=look.linestyle, solid_capstyle="butt"
    )


def _marker(marker: str, size: float, face: str, edge: str, width: float) -> Line2D:
    return Line2D(
        [],
        [],
        linestyle="none",
        marker=marker,
        markersize=size,
        markerfacecolor=face,
        markeredgecolor=edge,
        markeredgewidth=width,
    )


def legend_handle(entry: LegendEntry, s: float) -> Artist:
    """The matplotlib sample for ``entry`` at the figure's scale ``s``."""
    kind, style = entry.kind, entry.style or Style()
    if kind == "layer":
        return _layer_handle(style, entry.geometry, s)
    if kind == "event":
        size = event_marker_size(entry.shape, 7.5 * s)
        return _marker(event_marker(entry.shape), size, entry.color, "#ffffff", 0.5 * s)
    if kind == "span":
        return _marker("o", 7 * s, "#ffffff", HOLLOW_EDGE, 1.5 * s)
    if kind == "halo":
        return Patch(
            facecolor=HALO_FACE, edgecolor=HALO_EDGE, linewidth=0.6 * s, linestyle=HALO_DASH
        )
    if kind == "approximate":
        line = Line2D(
            [], [], linestyle="none", marker="o", markersize=2 * APPROX_RING_PX * PX_TO_PT * s
        )
        line.set_markerfacecolor("none")
        line.set_markeredgecolor(HALO_EDGE)
        return line
    if kind == "basemap":
        return Patch(
            facecolor=land_face(style), edgecolor=style.color, linewidth=land_width(style, s)
        )
    if kind == "inactive":
        look = feature_look(style, False, s)
        return Line2D([], [], color=look.edge, linewidth=look.lw, linestyle=look.linestyle)
    return _blank()


def place_legend(
    fig: Figure,
    entries: list[LegendEntry],
    anchor: tuple[float, float],
    column_in: float,
    ncols: int,
    s: float,
    measure: Measure,
    shrink: float = 1.0,
) -> Legend:
    """The legend, upper-left corner at ``anchor`` (figure fraction), labels wrapped to fit.

    ``column_in`` is each column's width in inches; ``shrink`` scales the legend's text
    down when it would otherwise not fit beside the map.
    """
    fs = LEGEND_FS * s * shrink
    text_in = column_in - (2.2 + 0.6 + 1.2) * fs / 72  # handle, pad and column spacing
    headers = [e.kind == "header" for e in entries]
    labels = [
        tex("\n".join(measure.wrap(e.label, text_in, fs, bold)))
        for e, bold in zip(entries, headers, strict=True)
    ]
    legend = fig.legend(
        [legend_handle(e, s) for e in entries],
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
    for text, header in zip(legend.get_texts(), headers, strict=True):
        text.set_usetex(False)
        if header:
            text.set_fontweight("bold")
            text.set_color(INK)
    legend.get_title().set_usetex(False)
    return legend
