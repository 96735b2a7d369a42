"""A view carried inside a snapshot file, and read back from it.

PNGs carry it as a text chunk, HTML as a meta element, SVG and PDF in their metadata, a
bundle as ``view.json``: a figure in a report reopens as the view it came from.
"""

from __future__ import annotations

import html as html_lib
import io
import re
import zipfile

from regionmap._dataset import Dataset
from regionmap._errors import ViewError
from regionmap._spec import ViewSpec

VIEW_KEY = "regionmap:view"


def with_png_text(png: bytes, text: dict[str, str]) -> bytes:
    """Add text chunks (the view spec) to a PNG."""
    from PIL import Image, PngImagePlugin

    image = Image.open(io.BytesIO(png))
    info = PngImagePlugin.PngInfo()
    for key, value in text.items():
        info.add_itxt(key, value)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def read_view(data: bytes, name: str = "") -> ViewSpec:
    """The view spec a snapshot carries (PNG, HTML, SVG, PDF, view JSON or a bundle zip).

    Raises
    ------
    ViewError
        The file carries no view, or the view does not parse.
    """
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        from PIL import Image

        text = getattr(Image.open(io.BytesIO(data)), "text", {})
        if VIEW_KEY in text:
            return ViewSpec.from_json(text[VIEW_KEY])
        raise ViewError(f"{name or 'PNG'}: carries no regionmap view")
    if data[:5] == b"%PDF-":
        return _pdf_view(data, name)
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return ViewSpec.from_json(z.read("view.json").decode("utf-8"))
    text = data.decode("utf-8", errors="replace")
    match = re.search(rf'<meta name="{VIEW_KEY}" content="([^"]*)"', text)
    if match:
        return ViewSpec.from_json(html_lib.unescape(match.group(1)))
    match = re.search(r"<dc:description>(.*?)</dc:description>", text, re.S)
    if match:
        return ViewSpec.from_json(html_lib.unescape(match.group(1)))
    if text.lstrip().startswith("{"):
        return ViewSpec.from_json(text)
    raise ViewError(
        f"{name or 'file'}: carries no regionmap view (PNG, HTML, SVG, PDF, JSON or zip)"
    )


def _pdf_view(data: bytes, name: str) -> ViewSpec:
    """A print map's or an atlas's PDF: the view is the document's Subject (an atlas's
    overview; its pages' own views: `regionmap.read_atlas_views`)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        subject = (PdfReader(io.BytesIO(data)).metadata or {}).get("/Subject")
    except (PdfReadError, ValueError) as exc:
        raise ViewError(f"{name or 'PDF'}: not a readable PDF: {exc}") from None
    if not subject or not str(subject).lstrip().startswith("{"):
        raise ViewError(f"{name or 'PDF'}: carries no regionmap view")
    return ViewSpec.from_json(str(subject))


def view_from_args(dataset: Dataset, base: ViewSpec | None = None, **changes: object) -> ViewSpec:
    spec = base or ViewSpec.default(dataset.catalog)
    return spec.replace(**{k: v for k, v in changes.items() if v is not None}).check(
        dataset.catalog
    )
