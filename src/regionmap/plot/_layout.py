"""The page: title, subtitle, caption and footer around the map, and the legend beside it.

Owns: the page's fixed distances (`Page`, inches), the text blocks wrapped to the page's
width (`Blocks`), the legend placement loop that finds room for map and legend together
(`fit_map_and_legend`), putting the axes where that loop left them with their furniture
(`finish_map`), and writing the page's text (`draw_text`).

The legend stands beside a landscape map and below a portrait one (or one whose legend is
too tall to stand beside it, even with its text shrunk to 5 pt). The legend is measured,
and its "off the map" line depends on the extent, which depends on the room the legend
leaves: hence a loop. A legend too long for the page keeps its first rows and says how
many more there are.

Must not: draw the map's contents (that is `_geometry`), decide the legend's entries (that
is `_legend`) or a look (that is `_look`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend import Legend

from regionmap._catalog import BBox, LayerSpec
from regionmap._dataset import Dataset
from regionmap._errors import ExportError
from regionmap._plan import MapPlan
from regionmap._spec import ViewSpec
from regionmap.plot._extent import axes_size, map_extent, off_map
from regionmap.plot._furniture import graticule, scale_bar, theatre_labels
from regionmap.plot._geometry import Drawn
from regionmap.plot._insets import draw_insets, place_insets
from regionmap.plot._labels import drop_cut_labels
from regionmap.plot._legend import (
    LEGEND_FS,
    MIN_LEGEND_ROWS,
    cut_entries,
    legend_entries,
    merge_entries,
    place_legend,
)
from regionmap.plot._look import INK, MUTED
from regionmap.plot._text import Measure, subtitle, tex


@dataclass(frozen=True)
class Page:
    """The figure, ``fig_w`` × ``fig_h`` inches at scale ``s``, and its fixed distances.

    ``size`` is the size asked for, in pixels at 100 dpi, for error messages.
    """

    size: tuple[int, int]
    fig_w: float
    fig_h: float
    s: float

    @property
    def margin(self) -> float:
        return 0.3 * self.s

    @property
    def text_w(self) -> float:
        return self.fig_w - 2 * self.margin

    @property
    def left(self) -> float:
        """Where the axes start: the margin and room for the latitude labels."""
        return self.margin + 0.42 * self.s

    @property
    def gap(self) -> float:
        return 0.25 * self.s

    @property
    def panel_gap(self) -> float:
        """Between two map panels: room for the right one's latitude labels."""
        return self.left - self.margin + self.gap

    @property
    def tick_h(self) -> float:
        """The longitude labels' height under the axes."""
        return 7.5 * self.s * 1.4 / 72 + 0.2 * self.s

    @property
    def below_cols(self) -> int:
        """Columns of a legend below the map: one per 3 inches (at scale 1), 1 to 3."""
        return max(1, min(3, int(self.text_w // (3.0 * self.s))))


@dataclass(frozen=True)
class Blocks:
    """The page's text, wrapped to its width, with font sizes (points) and heights (inches)."""

    title: list[str]
    sub: list[str]
    cap: list[str]
    foot: list[str]
    title_fs: float
    sub_fs: float
    cap_fs: float
    foot_fs: float
    title_h: float
    top_h: float  # margin, title and subtitle: where the map starts from the top
    cap_h: float
    foot_h: float


@dataclass(frozen=True)
class Content:
    """What is on the map, which the layout places but does not change."""

    spec: ViewSpec
    dataset: Dataset
    events: pd.DataFrame
    basemap: LayerSpec | None
    drawn: Drawn
    plan: MapPlan
    other: Content | None = None  # a compare window's panel, right of this one


def _panels(content: Content) -> int:
    return 1 if content.other is None else 2


@dataclass(frozen=True)
class Placement:
    """Where the layout put the map: extent (degrees) and axes box (inches from the
    figure's left and bottom), the legend beside (``side``) or below, and its height."""

    extent: BBox
    ax_x: float
    ax_w: float
    ax_h: float
    ax_top: float
    side: bool
    legend_h: float = 0.0


def text_blocks(
    page: Page,
    spec: ViewSpec,
    dataset: Dataset,
    title: str,
    events: pd.DataFrame,
    caption: Sequence[str] | None,
    generated: str | None,
    measure: Measure,
) -> Blocks:
    """Title, subtitle, caption and footer (sources, as-of, date generated), wrapped."""
    s, text_w = page.s, page.text_w
    title_fs, sub_fs, cap_fs, foot_fs = 17 * s, 10 * s, 9 * s, 7 * s
    title_lines = measure.wrap(title, text_w, title_fs, bold=True)
    sub_lines = measure.wrap(subtitle(spec, events), text_w, sub_fs)
    cap_lines = [w for line in (caption or []) for w in measure.wrap(line, text_w, cap_fs)]
    catalog = dataset.catalog
    sources = "; ".join(src.title for src in catalog.sources)
    attribution = f"Sources: {sources}. © regionmap, data as of {catalog.as_of}."
    foot_lines = measure.wrap(attribution, text_w, foot_fs)
    foot_lines.append(f"Generated on {generated or dt.date.today().isoformat()} with regionmap.")
    title_h = len(title_lines) * title_fs * 1.22 / 72 + 0.06 * s
    return Blocks(
        title=title_lines,
        sub=sub_lines,
        cap=cap_lines,
        foot=foot_lines,
        title_fs=title_fs,
        sub_fs=sub_fs,
        cap_fs=cap_fs,
        foot_fs=foot_fs,
        title_h=title_h,
        top_h=page.margin
        + title_h
        + (len(sub_lines) + (spec.compare is not None)) * sub_fs * 1.25 / 72  # panel titles
        + 0.2 * s,
        cap_h=len(cap_lines) * cap_fs * 1.3 / 72 + 0.12 * s if cap_lines else 0.0,
        foot_h=len(foot_lines) * foot_fs * 1.3 / 72 + 0.08 * s,
    )


def _room(
    page: Page, blocks: Blocks, side: bool, legend_h: float
) -> tuple[float, int, float, float]:
    """(legend column width, legend columns, map room width, map room height), inches."""
    s, fig_w, fig_h, margin = page.s, page.fig_w, page.fig_h, page.margin
    top_h, foot_h, cap_h, tick_h = blocks.top_h, blocks.foot_h, blocks.cap_h, page.tick_h
    if side:
        column_in, ncols = min(3.4 * s, fig_w * 0.34), 1
        room_w = fig_w - page.left - column_in - margin - page.gap
        room_h = fig_h - top_h - foot_h - cap_h - tick_h - margin
    else:
        ncols = page.below_cols
        column_in = page.text_w / ncols
        room_w = fig_w - page.left - margin
        room_h = fig_h - top_h - foot_h - cap_h - tick_h - margin - legend_h - page.gap
    return column_in, ncols, room_w, room_h


def _map_box(
    page: Page, blocks: Blocks, content: Content, side: bool, room: tuple[float, float]
) -> Placement:
    """The extent for the room and the axes that show it, under the title; with a compare
    panel, the extent of each of two panels sharing the room and the box of both."""
    room_w, room_h = room
    n, gap = _panels(content), page.panel_gap
    panel_w = (room_w - (n - 1) * gap) / n
    extent = map_extent(content.spec, content.dataset, room_h / panel_w)
    ax_w, ax_h = axes_size(extent, panel_w, room_h)
    ax_w = n * ax_w + (n - 1) * gap
    ax_x = page.left if side else page.left + (room_w - ax_w) / 2
    return Placement(extent, ax_x, ax_w, ax_h, page.fig_h - blocks.top_h, side)


def _anchor(page: Page, placed: Placement) -> tuple[float, float]:
    """The legend's upper-left corner, figure fraction: right of the map, else below it."""
    if placed.side:
        return ((placed.ax_x + placed.ax_w + page.gap) / page.fig_w, placed.ax_top / page.fig_h)
    below = placed.ax_top - placed.ax_h - page.tick_h - page.gap / 2
    return (page.margin / page.fig_w, below / page.fig_h)


def _too_small(page: Page) -> ExportError:
    return ExportError(f"the figure {page.size} is too small for the map and its text")


def fit_map_and_legend(
    fig: Figure, page: Page, blocks: Blocks, content: Content, measure: Measure
) -> Placement:
    """Find the map's extent and box and place the legend, in at most 12 rounds.

    Raises
    ------
    ExportError
        When the page has no room for a map of at least 1 × 1 inch beside its text, even
        with the legend cut to its first ``MIN_LEGEND_ROWS`` rows.
    """
    side = page.fig_w / page.fig_h >= 1.2
    legend: Legend | None = None
    legend_h, shrink = 0.0, 1.0
    keep: int | None = None  # legend rows kept when all of them leave no room for the map
    entries: list = []
    placed: Placement | None = None
    for _ in range(12):
        column_in, ncols, room_w, room_h = _room(page, blocks, side, legend_h)
        if room_w < 1 or room_h < 1:
            # A legend of many layers and event types: keep its first rows and say how many
            # more there are, rather than refuse the map; below that, the page is too small.
            if side or legend is None or (keep is not None and keep <= MIN_LEGEND_ROWS):
                raise _too_small(page)
            keep = max(MIN_LEGEND_ROWS, (keep or len(entries)) * 2 // 3)
            legend_h = 0.0
            continue
        placed = _map_box(page, blocks, content, side, (room_w, room_h))
        off = off_map(content.events, placed.extent)
        full = legend_entries(content.plan, off, placed.extent)
        if content.other is not None:  # one legend for both panels
            other = content.other
            full = merge_entries(
                full,
                legend_entries(other.plan, off_map(other.events, placed.extent), placed.extent),
            )
        entries = cut_entries(full, keep)
        if legend is not None:
            legend.remove()
        anchor = _anchor(page, placed)
        legend = place_legend(fig, entries, anchor, column_in, ncols, page.s, measure, shrink)
        measured = legend.get_window_extent(measure.renderer).height / fig.dpi
        if side:
            beside = page.fig_h - blocks.top_h - blocks.foot_h - blocks.cap_h - page.margin
            if measured <= beside:
                legend_h = measured
                break
            # Too tall to stand beside the map: smaller text, down to 5 pt; then fewer rows
            # (a small landscape page has no room below a map); else below it.
            shrink *= beside / measured * 0.97
            if LEGEND_FS * page.s * shrink < 5.0:
                shrink = 5.0 / (LEGEND_FS * page.s)
                if keep is None or keep > MIN_LEGEND_ROWS:
                    keep = max(MIN_LEGEND_ROWS, (keep or len(entries)) * 2 // 3)
                    continue
                side, shrink, legend_h, keep = False, 1.0, measured / page.below_cols, None
            continue
        if abs(measured - legend_h) < 0.02:
            break
        legend_h = measured
    if placed is None:
        raise _too_small(page)
    return dataclasses.replace(placed, side=side, legend_h=legend_h)


def panel_placements(page: Page, placed: Placement, content: Content) -> list[Placement]:
    """Each map panel's own box within ``placed``, left to right (one without compare)."""
    n, gap = _panels(content), page.panel_gap
    width = (placed.ax_w - (n - 1) * gap) / n
    return [
        dataclasses.replace(placed, ax_x=placed.ax_x + i * (width + gap), ax_w=width)
        for i in range(n)
    ]


def finish_map(ax: Axes, page: Page, placed: Placement, content: Content, measure: Measure) -> None:
    """Put the axes where the layout left them, then graticule, scale bar, the plan's
    insets (`_insets`) and the theatres' names."""
    fig_w, fig_h, s = page.fig_w, page.fig_h, page.s
    west, south, east, north = placed.extent
    ax_x, ax_w, ax_h, ax_top = placed.ax_x, placed.ax_w, placed.ax_h, placed.ax_top
    ax.set_position((ax_x / fig_w, (ax_top - ax_h) / fig_h, ax_w / fig_w, ax_h / fig_h))
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / math.cos(math.radians((south + north) / 2)), adjustable="datalim")
    graticule(ax, s)
    bar = scale_bar(ax, placed.extent, (ax_w, ax_h), s)
    ax.apply_aspect()
    avoid = [bar.get_window_extent(measure.renderer)]
    # insets inside the map, clear of the scale bar; the legend and title are outside it
    insets = place_insets(ax, content.plan, measure.renderer, avoid)
    draw_insets(ax.get_figure(), ax, content.plan, insets, s)
    avoid += [item.box for item in insets]
    drop_cut_labels(ax, measure.renderer, [item.box for item in insets])
    # the plan's place and country labels came first: a theatre's name gives way to them
    avoid += [
        text.get_window_extent(measure.renderer)
        for text in ax.texts
        if str(text.get_gid()).startswith("rm-label")
    ]
    theatre_labels(ax, content.spec, content.dataset, s, measure.renderer, avoid)


def draw_text(fig: Figure, page: Page, blocks: Blocks, placed: Placement) -> None:
    """Title and subtitle on top, the caption under map or legend, the footer at the bottom."""
    fig_h, s, margin = page.fig_h, page.s, page.margin
    text_kw = dict(usetex=False, ha="left", va="top", transform=fig.transFigure)
    x = margin / page.fig_w
    y = fig_h - margin
    fig.text(x, y / fig_h, tex("\n".join(blocks.title)), fontsize=blocks.title_fs,
             fontweight="bold", color=INK, linespacing=1.1, **text_kw)  # fmt: skip
    fig.text(x, (y - blocks.title_h) / fig_h, tex("\n".join(blocks.sub)), fontsize=blocks.sub_fs,
             color=MUTED, linespacing=1.15, **text_kw)  # fmt: skip
    ax_top, ax_h, legend_h = placed.ax_top, placed.ax_h, placed.legend_h
    if placed.side:
        y = min(ax_top - ax_h - page.tick_h, ax_top - legend_h - 0.1 * s)
    else:
        y = ax_top - ax_h - page.tick_h - legend_h - page.gap
    if blocks.cap:
        fig.text(x, y / fig_h, tex("\n".join(blocks.cap)), fontsize=blocks.cap_fs, color=INK,
                 linespacing=1.2, **text_kw)  # fmt: skip
    # The footer sits at the bottom of the page, whatever room the map left over.
    fig.text(x, (margin + blocks.foot_h - 0.04 * s) / fig_h, tex("\n".join(blocks.foot)),
             fontsize=blocks.foot_fs, color=MUTED, linespacing=1.2, **text_kw)  # fmt: skip
