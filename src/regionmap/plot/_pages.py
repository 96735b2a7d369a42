"""Pages of text for a report: the atlas's sources, drawn with the print map's fonts.

Owns: flowing titled sections of wrapped lines onto as many pages as they need.

Must not: decide what the text says (the atlas does) or use pyplot.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from regionmap.plot._text import Measure, tex

MARGIN_IN = 0.6
TITLE_PT = 16
HEAD_PT = 11
BODY_PT = 8.5
LINE = 1.45  # line height, in font sizes


def _lines(
    sections: Sequence[tuple[str, Sequence[str]]], width_in: float, measure: Measure
) -> list[tuple[str, float, bool]]:
    """Every line to print as (text, font size, bold), sections' heads included."""
    out: list[tuple[str, float, bool]] = []
    for head, items in sections:
        out.append((head, HEAD_PT, True))
        for item in items:
            wrapped = measure.wrap(f"• {item}", width_in - 0.2, BODY_PT)
            out.extend((text, BODY_PT, False) for text in wrapped)
        out.append(("", BODY_PT, False))
    return out


def render_text_pages(
    title: str,
    sections: Sequence[tuple[str, Sequence[str]]],
    size: tuple[int, int],
    footer: str = "",
) -> list[bytes]:
    """Sections of bulleted lines as one-page PDFs, as many as the text needs.

    Parameters
    ----------
    title : str
        Printed at the top of each page, with "(k of n)" when there are several.
    sections : sequence of (head, lines)
        Each head in bold, then its lines as bullets wrapped to the page's width.
    size : (int, int)
        The page in pixels at 100 dpi, like `regionmap.plot.render_static`'s ``size``.
    footer : str
        A line at the foot of every page (e.g. the date the data is as of).

    Returns
    -------
    list of bytes
        One PDF per page.
    """
    width_in, height_in = size[0] / 100, size[1] / 100
    fig = Figure(figsize=(width_in, height_in), dpi=100)
    measure = Measure(FigureCanvasAgg(fig).get_renderer(), fig.dpi)
    lines = _lines(sections, width_in - 2 * MARGIN_IN, measure)
    top = height_in - MARGIN_IN - TITLE_PT * LINE / 72 * 1.6
    bottom = MARGIN_IN + BODY_PT * LINE / 72 * 2
    pages: list[list[tuple[str, float, bool]]] = [[]]
    y = top
    for line in lines:
        step = line[1] * LINE / 72
        if y - step < bottom and pages[-1]:
            pages.append([])
            y = top
        pages[-1].append(line)
        y -= step
    return [
        _page(title, page, k, len(pages), (width_in, height_in), top, footer)
        for k, page in enumerate(pages, 1)
    ]


def _page(
    title: str,
    lines: list[tuple[str, float, bool]],
    k: int,
    n: int,
    size_in: tuple[float, float],
    top: float,
    footer: str,
) -> bytes:
    width_in, height_in = size_in
    fig = Figure(figsize=size_in, dpi=100, facecolor="white")
    FigureCanvasAgg(fig)
    heading = title if n == 1 else f"{title} ({k} of {n})"
    fig.text(
        MARGIN_IN / width_in,
        1 - MARGIN_IN / height_in,
        tex(heading),
        fontsize=TITLE_PT,
        fontweight="bold",
        va="top",
        usetex=False,
    )
    y = top
    for text, size, bold in lines:
        fig.text(
            MARGIN_IN / width_in,
            y / height_in,
            tex(text),
            fontsize=size,
            fontweight="bold" if bold else "normal",
            va="top",
            usetex=False,
        )
        y -= size * LINE / 72
    if footer:
        fig.text(
            MARGIN_IN / width_in,
            MARGIN_IN / 2 / height_in,
            tex(footer),
            fontsize=7,
            color="#555555",
            usetex=False,
        )
    out = io.BytesIO()
    fig.savefig(out, format="pdf", metadata={"Title": heading, "Creator": "regionmap"})
    return out.getvalue()
