"""Snapshots for reports: PNG as seen (headless Chromium), self-contained HTML, print maps
(matplotlib), animations (GIF, MP4, WebM; `regionmap._animate`) and the data behind them;
each file carries its view spec so it can be reopened. Every write is atomic: a failed
export leaves nothing behind.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime as dt
import html as html_lib
import importlib.util
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from branca.element import Element

from regionmap._animate import (
    ANIMATION_FORMATS,
    DEFAULT_FPS,
    DrawFrame,
    Progress,
    animation_bytes,
)
from regionmap._atomic import atomic_write_bytes
from regionmap._catalog import Catalog
from regionmap._chromium import NO_CHROMIUM, capture_png, chromium_path
from regionmap._datafiles import csv_snapshot, geojson_snapshot, sources_markdown
from regionmap._dataset import Dataset
from regionmap._errors import ExportError
from regionmap._spec import ViewSpec
from regionmap._viewfiles import VIEW_KEY, with_png_text
from regionmap.web import Assets, render_map, stylesheet, template_safe_html

FORMATS = ("png", "html", "svg", "pdf", "geojson", "csv", "zip", *ANIMATION_FORMATS)
EXTENSIONS = {".png": "png", ".html": "html", ".htm": "html", ".svg": "svg", ".pdf": "pdf",
              ".geojson": "geojson", ".csv": "csv", ".zip": "zip", ".gif": "gif",
              ".mp4": "mp4", ".webm": "webm"}  # fmt: skip


@dataclass(frozen=True)
class ExportFormat:
    """One way to export a view, as the dashboard offers it: ``format`` (one of `FORMATS`)
    drawn by ``renderer`` ("browser" or "static"), chosen by ``key`` (the dashboard's
    ``export_format`` value), shown as ``label``, downloaded as ``mime``."""

    key: str
    label: str
    mime: str
    format: str
    renderer: str = "browser"


EXPORT_FORMATS = (
    ExportFormat("png", "PNG, as seen", "image/png", "png"),
    ExportFormat("png-static", "PNG print map (no browser needed)", "image/png", "png", "static"),
    ExportFormat("html", "HTML, interactive, offline", "text/html", "html"),
    ExportFormat("svg", "SVG print map", "image/svg+xml", "svg"),
    ExportFormat("pdf", "PDF print map", "application/pdf", "pdf"),
    ExportFormat("geojson", "GeoJSON data", "application/geo+json", "geojson"),
    ExportFormat("csv", "CSV data", "text/csv", "csv"),
    ExportFormat("zip", "Bundle (PNG, data, sources)", "application/zip", "zip"),
    ExportFormat("gif", "GIF animation, step by step", "image/gif", "gif", "static"),
    ExportFormat("mp4", "MP4 video (H.264), step by step", "video/mp4", "mp4", "static"),
    ExportFormat("webm", "WebM video (VP9), step by step", "video/webm", "webm", "static"),
)
# The files `read_view` takes a view back from.
VIEW_FILE_SUFFIXES = (".png", ".html", ".svg", ".pdf", ".json", ".zip", ".gif", ".mp4", ".webm")


@dataclass(frozen=True)
class SnapshotOptions:
    """How a snapshot is drawn: ``size`` (width, height) in CSS pixels, ``scale`` the pixel
    ratio, ``title`` over the view's own, ``renderer`` "browser" or "static" (None: the
    format's own, the browser for PNG and the print map for animations), and for
    animations the ``step`` ("day", "week", "month", "year") and ``fps`` (frames a second)."""

    size: tuple[int, int] = (1600, 1000)
    scale: float = 1.0
    title: str = ""
    renderer: str | None = None
    step: str = "auto"  # or one of ANIMATION_STEPS
    fps: float = DEFAULT_FPS


def format_for(path: str | Path, fmt: str | None = None) -> str:
    """The format asked for, or the one the file name implies."""
    if fmt:
        if fmt not in FORMATS:
            raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        raise ExportError(
            f"cannot tell the format from {Path(path).name!r}; give --format ({', '.join(FORMATS)})"
        )
    return EXTENSIONS[suffix]


# ---------------------------------------------------------------- captions and sources


def snapshot_title(spec: ViewSpec, options: SnapshotOptions) -> str:
    return (
        options.title or spec.title or f"Where Russia and Turkey meet: events {spec.compare_text()}"
    )


def layers_text(spec: ViewSpec, catalog: Catalog) -> str:
    """Which layers the map shows, short: "all 19", "all but A; B", else their titles.
    The legend names each drawn layer; a caption listing all nineteen took four lines and
    left a 600 × 400 page no room for the map."""
    overlays = [s for s in catalog.layers if s.role != "basemap"]
    shown = [s.title for s in overlays if s.id in spec.layers]
    hidden = [s.title for s in overlays if s.id not in spec.layers]
    if not shown:
        return "none"
    if not hidden:
        return f"all {len(shown)}"
    return f"all but {'; '.join(hidden)}" if len(hidden) < len(shown) else "; ".join(shown)


def caption_lines(spec: ViewSpec, dataset: Dataset, options: SnapshotOptions) -> list[str]:
    """Title, window, layers, filters, as-of and sources: what every image carries."""
    catalog = dataset.catalog
    filters = [
        f"{label}: {', '.join(values)}"
        for label, values in (
            ("types", spec.event_types),
            ("actors", spec.actors),
            ("theatres", spec.theatres),
        )
        if values
    ]
    views = spec.window_views()
    counts = [len(dataset.visible_events(v)) if spec.show_events else 0 for v in views]
    windows = " · compared with ".join(
        f"{view.window_text()} · {n:,} event{'' if n == 1 else 's'}"
        for view, n in zip(views, counts, strict=True)
    )
    return [
        snapshot_title(spec, options),
        f"Window: {windows}" + (f" · filters: {'; '.join(filters)}" if filters else ""),
        "Layers: " + layers_text(spec, catalog),
        f"Data as of {catalog.as_of} · Sources: "
        + "; ".join(s.title for s in catalog.sources)
        + " · regionmap",
    ]


# ---------------------------------------------------------------- formats


# A browser page holds one map: with a compare window it draws the first and says so.
COMPARE_NOTE = (
    "The map shows the first window; the print map (SVG, PDF, PNG print map) draws both "
    "side by side."
)
# The exported page's title block and caption, in CSS pixels (web/templates/snapshot.css).
TITLE_PX, CAPTION_PX = 64, 76


def _caption_html(lines: list[str]) -> str:
    """The title block (title, window and count) and the caption (layers, sources)."""
    head, window, *rest = (html_lib.escape(line) for line in lines)
    body = "".join(f"<div>{line}</div>" for line in rest)
    return (
        f'<header id="rm-title" data-testid="rm-title"><h1>{head}</h1>{window}</header>'
        f'<footer id="rm-caption" data-testid="rm-caption">{body}</footer>'
    )


def html_snapshot(spec: ViewSpec, dataset: Dataset, options: SnapshotOptions) -> str:
    """One self-contained page: scripts, styles and data inline; opens with no network.

    A title block, the map (its legend fitted inside it, every row named) and a caption,
    as the browser PNG shows them; the map is ``options.size`` less the two bands. With a
    compare window the map is the first window's and the caption says so (`COMPARE_NOTE`)."""
    width, height = options.size
    map_px = (width, max(100, height - TITLE_PX - CAPTION_PX))
    fmap = render_map(
        spec.window_views()[0], dataset, Assets(inline=True), layer_control=True,
        animate=False, size_px=map_px, page=True,
    )  # fmt: skip
    root = fmap.get_root()
    # branca compiles an Element's text as a Jinja template: braces must not reach it raw
    view = template_safe_html(html_lib.escape(spec.to_json(), quote=True))
    title = template_safe_html(html_lib.escape(snapshot_title(spec, options)))
    root.header.add_child(Element(f'<meta name="{VIEW_KEY}" content="{view}">'))
    root.header.add_child(Element(f"<title>{title}</title>"))
    root.header.add_child(Element(stylesheet("snapshot.css")))  # our file: no user text
    lines = caption_lines(spec, dataset, options)
    if spec.compare is not None:
        lines.append(COMPARE_NOTE)
    caption = template_safe_html(_caption_html(lines))
    root.html.add_child(Element(caption))
    return root.render()


def png_snapshot(spec: ViewSpec, dataset: Dataset, options: SnapshotOptions) -> bytes:
    """The map as the dashboard draws it, captured by headless Chromium once it is drawn."""
    if options.renderer == "static":
        return static_snapshot(spec, dataset, options, "png")
    browser_path = chromium_path()
    if browser_path is None:
        raise ExportError(NO_CHROMIUM)
    if importlib.util.find_spec("playwright") is None:
        raise ExportError("PNG export needs the playwright package (pip install playwright)")
    page_html = html_snapshot(spec, dataset, options)
    # Playwright's sync API refuses to run where an asyncio loop runs (a test session's
    # browser, some hosts); a fresh thread has none.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        job = pool.submit(capture_png, page_html, browser_path, options.size, options.scale)
        png = job.result()
    return with_png_text(png, {VIEW_KEY: spec.to_json(), "Title": snapshot_title(spec, options)})


def _print_args(spec: ViewSpec, dataset: Dataset, options: SnapshotOptions) -> dict:
    """The print map's size, dpi, caption and footer date for these options."""
    return {
        "size": options.size,
        "dpi": round(100 * options.scale),
        # the print map draws the title and the sources itself; the caption adds the rest
        "caption": caption_lines(spec, dataset, options)[1:3],
        "generated": dt.date.today().isoformat(),
    }


def static_snapshot(spec: ViewSpec, dataset: Dataset, options: SnapshotOptions, fmt: str) -> bytes:
    """Print map drawn with matplotlib: no browser needed."""
    from regionmap.plot import render_static

    out = io.BytesIO()
    render_static(spec, dataset, out, fmt, **_print_args(spec, dataset, options))
    return out.getvalue()


def bundle_snapshot(spec: ViewSpec, dataset: Dataset, options: SnapshotOptions) -> bytes:
    """A zip of the PNG, the data, the view spec and the sources behind what is shown."""
    renderer = options.renderer if chromium_path() else "static"
    png = png_snapshot(
        spec, dataset, SnapshotOptions(options.size, options.scale, options.title, renderer)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("map.png", png)
        z.writestr("data.geojson", geojson_snapshot(spec, dataset))
        z.writestr("data.csv", csv_snapshot(spec, dataset))
        z.writestr("view.json", spec.to_json() + "\n")
        z.writestr("SOURCES.md", sources_markdown(spec, dataset))
    return out.getvalue()


def _frame_drawer(dataset: Dataset, options: SnapshotOptions) -> DrawFrame:
    """One animation frame's view -> PNG bytes: the print map unless the browser is asked
    for. The frame's view carries the title with its date, so the options' title goes."""
    from regionmap.plot import render_pixels

    if options.renderer == "browser":
        untitled = dataclasses.replace(options, title="")
        return lambda frame: png_snapshot(frame, dataset, untitled)
    return lambda frame: render_pixels(frame, dataset, **_print_args(frame, dataset, options))


def snapshot_bytes(
    spec: ViewSpec,
    dataset: Dataset,
    fmt: str,
    options: SnapshotOptions | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The snapshot in memory (the dashboard's download button uses this); ``progress(done,
    total)`` is called after each frame of an animation."""
    options = options or SnapshotOptions()
    spec.check(dataset.catalog)
    if fmt in ANIMATION_FORMATS:
        # a frame's title is the view's, with the frame's date added: the options' goes there
        spec = spec.replace(title=options.title) if options.title else spec
        spec = spec.window_views()[0]  # frames step through the first window
        draw = _frame_drawer(dataset, options)
        return animation_bytes(
            spec, dataset, fmt, draw, step=options.step, fps=options.fps, progress=progress
        )
    if fmt == "png":
        return png_snapshot(spec, dataset, options)
    if fmt == "html":
        return html_snapshot(spec, dataset, options).encode("utf-8")
    if fmt in ("svg", "pdf"):
        return static_snapshot(spec, dataset, options, fmt)
    if fmt == "geojson":
        return geojson_snapshot(spec, dataset).encode("utf-8")
    if fmt == "csv":
        return csv_snapshot(spec, dataset).encode("utf-8")
    if fmt == "zip":
        return bundle_snapshot(spec, dataset, options)
    raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def snapshot(
    spec: ViewSpec,
    dataset: Dataset,
    out: str | Path,
    fmt: str | None = None,
    options: SnapshotOptions | None = None,
    progress: Progress | None = None,
) -> Path:
    """Write a snapshot of a view to ``out``, atomically (a temporary file, then a rename).

    Parameters
    ----------
    spec : ViewSpec
        The view; it is carried inside the file (PNG text, HTML, SVG/PDF metadata, the
        bundle's view.json, an animation's comment) so `read_view` brings it back.
    dataset : Dataset
        What the view draws from.
    out : path
        The file to write; its folder must exist. A file already there is replaced only
        once the new one is complete.
    fmt : {"png", "html", "svg", "pdf", "geojson", "csv", "zip", "gif", "mp4", "webm"}, optional
        Default: from ``out``'s suffix.
    options : SnapshotOptions, optional
        Size in CSS pixels, pixel ratio, title, the renderer (browser or static), and an
        animation's step and frames per second.
    progress : callable, optional
        ``progress(done, total)`` after each frame of an animation.

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    ExportError
        Unknown format, missing folder, no Chromium for a browser PNG, an animation's
        window that cannot be stepped, or a failed encoding or write.
    """
    out = Path(out)
    fmt = format_for(out, fmt)
    if not out.parent.is_dir():
        raise ExportError(f"{out}: folder {out.parent} does not exist")
    data = snapshot_bytes(spec, dataset, fmt, options, progress)
    try:
        atomic_write_bytes(out, data)
    except OSError as exc:
        raise ExportError(f"{out}: cannot write: {exc.strerror or exc}") from None
    return out
