"""The theatre atlas: one PDF for a report, an overview page, a page per theatre and the
sources, each map page carrying the view it was drawn from.

A journalist asked for "the six places on paper" gets, in one file, what the dashboard
shows one view at a time: each theatre framed to its bounding box with its own layers and
events in the window, legend, scale bar, north arrow, sources line and the date its facts
were last checked. Pages are drawn by the print renderer (`regionmap.plot`) and joined with
pypdf, which also writes the outline (bookmarks) and each page's view spec.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from regionmap._annotations import Annotation
from regionmap._atomic import atomic_write_bytes
from regionmap._dataset import Dataset
from regionmap._errors import ExportError, ViewError
from regionmap._spec import ViewSpec, fit_view

ATLAS_PAGE_PX = (1169, 827)  # A4 landscape, 297 x 210 mm, at 100 dpi
PAGE_VIEW_KEY = "/RegionmapView"  # a page's view spec, JSON, in its page dictionary
SOURCES_TITLE = "Sources"


@dataclass(frozen=True)
class AtlasPage:
    """One map page: its title (also its bookmark), the view drawn, and its caption lines."""

    title: str
    spec: ViewSpec
    caption: tuple[str, ...] = ()


def atlas_pages(
    dataset: Dataset,
    start: dt.date | None = None,
    end: dt.date | None = None,
    theatres: Sequence[str] = (),
    frame: ViewSpec | None = None,
    annotations: Sequence[Annotation] = (),
) -> list[AtlasPage]:
    """The overview and one page per theatre (all, or those named), in the catalog's order.

    Parameters
    ----------
    dataset : Dataset
        The catalog, layers and events.
    start, end : datetime.date, optional
        The window of every page; None leaves that side open (``end`` None: up to today).
    theatres : sequence of str
        Theatre ids to give a page; empty gives every theatre one.
    frame : ViewSpec, optional
        Its centre and zoom frame the overview (`regionmap.frame_view`); None fits the region.
    annotations : sequence of Annotation
        Notes and arrows (lon/lat) drawn on every page where its map reaches them.

    Raises
    ------
    ViewError
        A theatre id the catalog does not have.
    """
    catalog = dataset.catalog
    unknown = [t for t in theatres if t not in catalog.theatre_ids]
    if unknown:
        raise ViewError(
            f"unknown theatre {', '.join(unknown)}; the theatres are "
            f"{', '.join(catalog.theatre_ids)}"
        )
    chosen = [t for t in catalog.theatres if not theatres or t.id in theatres]
    fresh = dataset.theatre_freshness()
    overview = ViewSpec.default(catalog).replace(
        start=start, end=end, annotations=tuple(annotations)
    )
    window = overview.window_text()
    if frame is not None:
        overview = overview.replace(center=frame.center, zoom=frame.zoom)
    pages = [
        AtlasPage(
            f"The region: events {window}",
            overview.replace(
                title=f"Where Russia and Turkey meet: events {overview.window_text()}"
            ),
            (f"{len(chosen)} theatres follow, one a page.",),
        )
    ]
    for theatre in chosen:
        layers = tuple(s.id for s in catalog.layers if s.theatre == theatre.id and s.visible)
        center, zoom = fit_view(theatre.bbox)
        spec = overview.replace(
            layers=layers,
            theatres=(theatre.id,),
            center=center,
            zoom=zoom,
            title=f"{theatre.title}: events {window}",
        )
        caption = [theatre.description] if theatre.description else []
        if fresh.get(theatre.id):
            caption.append(f"Facts in this theatre last checked {fresh[theatre.id]}.")
        pages.append(AtlasPage(theatre.title, spec, tuple(caption)))
    return pages


def _sources(dataset: Dataset, pages: list[AtlasPage]) -> list[tuple[str, list[str]]]:
    """The catalog's sources, then each theatre's citations (features and events)."""
    catalog = dataset.catalog
    sections = [
        (
            "Data sets",
            [f"{s.title} ({s.licence}) {s.url}".strip() for s in catalog.sources],
        )
    ]
    for page in pages[1:]:
        cited: list[str] = []
        for layer_id in page.spec.layers:
            frame = dataset.layers[layer_id].frame
            for column in ("source", "source_url"):
                if column in frame:
                    cited += [str(v) for v in frame[column] if isinstance(v, str) and v]
        events = dataset.visible_events(page.spec)
        if "source" in events:
            cited += [str(v) for v in events["source"] if isinstance(v, str) and v]
        sections.append((page.title, list(dict.fromkeys(cited))))
    return sections


def render_atlas(
    dataset: Dataset,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    theatres: Sequence[str] = (),
    frame: ViewSpec | None = None,
    annotations: Sequence[Annotation] = (),
    generated: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """The atlas as PDF bytes (see `write_atlas`)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    # matplotlib, here and not at import: a dashboard server starts 0.5 s sooner without it
    from regionmap.plot import render_static
    from regionmap.plot._pages import render_text_pages

    pages = atlas_pages(dataset, start, end, theatres, frame, annotations)
    generated = generated or dt.date.today().isoformat()
    writer = PdfWriter()
    total = len(pages) + 1
    for k, page in enumerate(pages):
        buffer = io.BytesIO()
        render_static(
            page.spec, dataset, buffer, "pdf", size=ATLAS_PAGE_PX, caption=page.caption,
            generated=generated,
        )  # fmt: skip
        before = len(writer.pages)
        writer.append(PdfReader(buffer))
        writer.pages[before][NameObject(PAGE_VIEW_KEY)] = TextStringObject(page.spec.to_json())
        writer.add_outline_item(title=page.title, page_number=before)
        if progress is not None:
            progress(k + 1, total)
    footer = f"regionmap atlas · data as of {dataset.catalog.as_of} · generated {generated}"
    first_source = len(writer.pages)
    for pdf in render_text_pages(SOURCES_TITLE, _sources(dataset, pages), ATLAS_PAGE_PX, footer):
        writer.append(PdfReader(io.BytesIO(pdf)))
    writer.add_outline_item(title=SOURCES_TITLE, page_number=first_source)
    if progress is not None:
        progress(total, total)
    writer.add_metadata(
        {
            "/Title": f"regionmap atlas: events {pages[0].spec.window_text()}",
            "/Subject": pages[0].spec.to_json(),  # `read_view` gives the overview
            "/Creator": "regionmap",
        }
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def write_atlas(
    dataset: Dataset,
    out: str | Path,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    theatres: Sequence[str] = (),
    frame: ViewSpec | None = None,
    annotations: Sequence[Annotation] = (),
    generated: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Write the theatre atlas to ``out`` (a PDF, written atomically).

    Pages: the overview (every layer, the whole region), one per theatre (its layers and
    its events in the window, framed to its bounding box, with the date its facts were
    last checked), then the sources (the data sets and every citation, theatre by theatre).
    Each map page has a bookmark and its view spec JSON under ``PAGE_VIEW_KEY`` in its page
    dictionary (`read_atlas_views`); the document's Subject holds the overview's, so
    ``regionmap snapshot --view atlas.pdf`` reopens the overview.

    Parameters
    ----------
    dataset : Dataset
        The catalog, layers and events.
    out : str or Path
        The file to write; a ``.pdf`` suffix is required.
    start, end : datetime.date, optional
        The window of every page; None leaves that side open.
    theatres : sequence of str
        Theatre ids to include; empty includes all.
    frame : ViewSpec, optional
        Its centre and zoom frame the overview page; None fits the whole region.
    annotations : sequence of Annotation
        The view's notes and arrows (lon/lat), drawn on every page whose map reaches them.
    generated : str, optional
        The date in the footers; today (ISO) when None.
    progress : callable, optional
        Called as ``progress(pages_done, pages_total)`` after each page.

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    ExportError
        ``out`` is not a .pdf.
    ViewError
        A theatre id the catalog does not have.
    """
    out = Path(out)
    if out.suffix.lower() != ".pdf":
        raise ExportError(f"{out}: an atlas is a PDF; name it .pdf")
    data = render_atlas(
        dataset,
        start=start,
        end=end,
        theatres=theatres,
        frame=frame,
        annotations=annotations,
        generated=generated,
        progress=progress,
    )
    atomic_write_bytes(out, data)
    return out


def read_atlas_views(data: bytes) -> list[tuple[str, ViewSpec | None]]:
    """Each page's bookmark title (or "") and view spec (None for the sources pages).

    Raises
    ------
    ViewError
        The bytes are not a PDF, or a page's view spec does not parse.
    """
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        titles = {reader.get_destination_page_number(o): o.title for o in reader.outline}
        views = [page.get(PAGE_VIEW_KEY) for page in reader.pages]
    except (PdfReadError, ValueError) as exc:
        raise ViewError(f"not a readable PDF: {exc}") from None
    return [
        (titles.get(k, ""), ViewSpec.from_json(str(v)) if v is not None else None)
        for k, v in enumerate(views)
    ]
