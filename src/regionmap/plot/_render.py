"""`ViewSpec` + `Dataset` -> a print map (PNG, SVG, PDF) drawn with matplotlib.

The web map cannot go into a report as it is: it has no scale bar, no north arrow, no
graticule and no sources on the page. The print map draws the same layers, styles and
events on plain lon/lat axes, with all of that furniture, and writes the view spec into
the file's metadata so a figure in a report can be reopened as the view it came from.

Owns: the entry points `render_static` and `render_pixels` (checking their arguments, the
figure and its scale, the order of the steps) and the file's metadata.

Must not: use pyplot, which keeps global figures and state that a long-running dashboard
(one thread per session) must not share: only `Figure` and the Agg canvas are used. For
the same reason no rcParams are changed; every text sets ``usetex=False`` itself and data
text has ``$`` escaped (`_text.tex`) so matplotlib's mathtext never interprets it.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import BinaryIO

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from regionmap._dataset import Dataset
from regionmap._errors import ExportError
from regionmap._labels import view_zoom
from regionmap._plan import MapPlan
from regionmap._spec import ViewSpec
from regionmap._symbology import SEA_COLOR
from regionmap.plot._annotations import draw_annotations
from regionmap.plot._extent import REFERENCE_MAP_HEIGHT_PX
from regionmap.plot._geometry import (
    draw_basemap,
    draw_events,
    draw_overlays,
    draw_variant_labels,
)
from regionmap.plot._labels import draw_labels
from regionmap.plot._layout import (
    Content,
    Page,
    draw_text,
    finish_map,
    fit_map_and_legend,
    panel_placements,
    text_blocks,
)
from regionmap.plot._look import INK
from regionmap.plot._text import Measure, map_title, panel_title, tex

FORMATS = ("png", "svg", "pdf")
VIEW_KEY = "regionmap:view"


def _metadata(fmt: str, title: str, spec_json: str) -> dict[str, str]:
    """The file's title and the view spec JSON, where each format keeps such text."""
    if fmt == "png":
        return {VIEW_KEY: spec_json, "Title": title, "Software": "regionmap"}
    if fmt == "svg":
        return {"Title": title, "Description": spec_json}
    return {"Title": title, "Subject": spec_json, "Creator": "regionmap"}


def _page(size: tuple[int, int], fmt: str) -> Page:
    """The figure for ``size`` pixels at 100 dpi, checked, with its scale."""
    if fmt not in FORMATS:
        raise ExportError(f"static maps are {', '.join(FORMATS)}, not {fmt!r}")
    width_px, height_px = int(size[0]), int(size[1])
    if width_px < 300 or height_px < 200:
        raise ExportError(f"a static map needs at least 300 x 200 pixels, got {size}")
    fig_w, fig_h = width_px / 100, height_px / 100
    if fmt == "png":  # a hair more, so that int(inches * dpi) cannot fall a pixel short
        fig_w, fig_h = (width_px + 1e-3) / 100, (height_px + 1e-3) / 100
    s = max(0.75, min(2.0, math.sqrt(width_px * height_px / (1600 * 1000))))
    return Page(size, fig_w, fig_h, s)


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
    """Draw the view as a print map and write it to ``out``.

    Text, lines and markers scale with the size, so a small figure looks like a reduced
    default rather than a crowded one. The legend sits beside a landscape map and below a
    portrait one. The map is plate carrée (lon/lat degrees, EPSG:4326) with the aspect of
    its middle latitude.

    Parameters
    ----------
    spec : ViewSpec
        What to show: layers, date window, filters, and the extent (a centre and zoom,
        else the theatres). Its JSON goes into the file's metadata (PNG text chunk
        ``VIEW_KEY``, SVG ``Description``, PDF ``Subject``).
    dataset : Dataset
        The catalog, layers (drawn from ``dataset.display``) and events.
    out : binary file
        Where the file is written; it is not closed.
    fmt : {"png", "svg", "pdf"}
        The file format.
    size : tuple of int, default (1600, 1000)
        (width, height) in pixels at 100 dpi: the figure is size / 100 inches, and a PNG
        is exactly size * dpi / 100 pixels. At least 300 × 200.
    dpi : int, default 200
        Dots per inch of a PNG (and of raster parts of SVG and PDF).
    caption : sequence of str, optional
        Lines printed under the map, each wrapped to the page's width.
    generated : str, optional
        The date in the footer's "Generated on ..."; today (ISO) when None.

    Raises
    ------
    ExportError
        If ``fmt`` is not one of `FORMATS`, ``size`` is below 300 × 200 pixels, or the
        page has no room for the map beside its text.
    """
    page = _page(size, fmt)
    fig = _draw(spec, dataset, page, dpi, caption, generated)
    metadata = _metadata(fmt, map_title(spec), spec.to_json())
    fig.savefig(out, format=fmt, dpi=dpi, metadata=metadata)


def render_pixels(
    spec: ViewSpec,
    dataset: Dataset,
    *,
    size: tuple[int, int] = (1600, 1000),
    dpi: int = 100,
    caption: Sequence[str] | None = None,
    generated: str | None = None,
) -> np.ndarray:
    """The print map `render_static` draws as a PNG, as pixels: an (height, width, 3) uint8
    RGB array of size * dpi / 100 pixels. An animation's frames take this path: encoding
    each frame as a PNG and decoding it again cost about a tenth of a frame's time.
    Arguments and errors as `render_static`'s."""
    fig = _draw(spec, dataset, _page(size, "png"), dpi, caption, generated)
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()


def _panel(
    fig: Figure, spec: ViewSpec, dataset: Dataset, size_px: tuple[int, int], s: float
) -> tuple[Axes, Content]:
    """One window's map drawn on new axes; the layout places the axes afterwards."""
    events = dataset.visible_events(spec) if spec.show_events else dataset.events.frame.iloc[:0]
    plan = MapPlan.from_view(spec, dataset, events=events, size_px=size_px)
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    ax.set_facecolor(SEA_COLOR)
    zoom = view_zoom(spec.center, spec.zoom, plan.bounds)[4]  # rivers come in by rank
    basemap = draw_basemap(ax, dataset, s, zoom)
    drawn = draw_overlays(ax, plan, s)
    if spec.show_events:
        draw_events(ax, events, s, plan)
    draw_variant_labels(ax, plan, s)
    draw_labels(ax, plan.labels, s)
    draw_annotations(ax, plan.annotations, s)
    return ax, Content(spec, dataset, events, basemap, drawn, plan)


def _draw(
    spec: ViewSpec,
    dataset: Dataset,
    page: Page,
    dpi: int,
    caption: Sequence[str] | None,
    generated: str | None,
) -> Figure:
    """The whole page drawn on a figure with an Agg canvas, not yet rendered: one map, or
    with a compare window two panels side by side, each titled with its window, and one
    legend for both."""
    fig = Figure(figsize=(page.fig_w, page.fig_h), dpi=dpi, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    measure = Measure(canvas.get_renderer(), fig.dpi)

    views = spec.window_views()
    # every event (paper does not pan); halos judged on a map as tall as the frame a centre
    # and zoom show (`map_extent`) and no wider than a panel's share of the page allows
    frame = REFERENCE_MAP_HEIGHT_PX
    size_px = (round(frame * min(1.0, page.fig_w / len(views) / page.fig_h)), frame)
    # The maps' contents do not depend on where the axes end up: draw them first.
    panels = [_panel(fig, view, dataset, size_px, page.s) for view in views]
    (_, content), *rest = panels
    if rest:
        content = dataclasses.replace(content, other=rest[0][1])
    blocks = text_blocks(
        page, spec, dataset, map_title(spec), content.events, caption, generated, measure
    )

    placed = fit_map_and_legend(fig, page, blocks, content, measure)
    for (ax, panel), box in zip(panels, panel_placements(page, placed, content), strict=True):
        finish_map(ax, page, box, panel, measure)
        if rest:
            ax.set_title(tex(panel_title(panel.spec, panel.events)), loc="left", usetex=False,
                         fontsize=blocks.sub_fs, color=INK, gid="rm-panel-title")  # fmt: skip
    draw_text(fig, page, blocks, placed)
    return fig
