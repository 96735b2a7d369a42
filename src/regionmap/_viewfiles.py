"""A view carried inside a snapshot file, and read back from it.

PNGs carry it as a text chunk, HTML as a meta element, SVG and PDF in their metadata, a
bundle as ``view.json``, an animation (GIF, MP4, WebM) in its comment together with its
step and every frame's date: a figure in a report reopens as the view it came from.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import io
import json
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

from regionmap._dataset import Dataset
from regionmap._errors import ViewError
from regionmap._spec import ViewSpec

VIEW_KEY = "regionmap:view"
_MATROSKA = b"\x1a\x45\xdf\xa3"  # WebM's EBML header


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


def animation_comment(spec: ViewSpec, step: str, dates: list[dt.date]) -> str:
    """One line of JSON an animation carries: the view, the step and each frame's date.
    ASCII only (``\\u`` escapes): a GIF comment has no declared encoding, and ffmpeg's
    arguments and output follow the process locale."""
    body = {VIEW_KEY: spec.to_dict(), "step": step, "frames": [d.isoformat() for d in dates]}
    return json.dumps(body, ensure_ascii=True, separators=(",", ":"))


def _video_comment(data: bytes) -> str:
    """The ``comment`` tag of an MP4 or WebM, read by the ffmpeg imageio-ffmpeg carries
    (its ffmetadata output escapes ``=;#\\`` and newlines with a backslash)."""
    import imageio_ffmpeg

    with tempfile.TemporaryDirectory(prefix="regionmap-") as tmp:
        path = Path(tmp) / "video"
        path.write_bytes(data)
        cmd = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path)]
        cmd += ["-f", "ffmetadata", "-"]
        proc = subprocess.run(cmd, capture_output=True, timeout=60, check=False)
    text = proc.stdout.decode("utf-8", errors="replace")
    match = re.search(r"^comment=((?:[^\\\n]|\\.)*)$", text, re.M | re.I | re.S)
    return re.sub(r"\\(.)", r"\1", match.group(1), flags=re.S) if match else ""


def _animation_text(data: bytes) -> str | None:
    """The comment of a GIF, MP4 or WebM ("" when it has none); None for other files."""
    if data[:6] in (b"GIF87a", b"GIF89a"):
        from PIL import Image

        comment = Image.open(io.BytesIO(data)).info.get("comment", b"")
        return comment.decode("utf-8", errors="replace")
    if data[4:8] == b"ftyp" or data[:4] == _MATROSKA:
        return _video_comment(data)
    return None


def read_animation(data: bytes, name: str = "") -> tuple[ViewSpec, str, list[dt.date]]:
    """The view, the step and the frames' dates an animation carries.

    Raises
    ------
    ViewError
        ``data`` is not a GIF, MP4 or WebM, or carries no regionmap animation.
    """
    text = _animation_text(data)
    label = name or "animation"
    if text is None:
        raise ViewError(f"{label}: not a GIF, MP4 or WebM")
    try:
        body = json.loads(text)
        spec = ViewSpec.from_dict(body[VIEW_KEY])
        return spec, body["step"], [dt.date.fromisoformat(d) for d in body["frames"]]
    except (ValueError, KeyError, TypeError):
        raise ViewError(f"{label}: carries no regionmap view") from None


def read_view(data: bytes, name: str = "") -> ViewSpec:
    """The view spec a snapshot carries (PNG, HTML, SVG, PDF, view JSON, a bundle zip, or an
    animation: GIF, MP4, WebM).

    Raises
    ------
    ViewError
        The file carries no view, or the view does not parse.
    """
    if _animation_text(data) is not None:
        return read_animation(data, name)[0]
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
    """A view from command-line options: ``base`` (or the default view) with every change
    that is not None applied, then checked against the catalog.

    Parameters
    ----------
    dataset : Dataset
        Its catalog checks layer and theatre ids.
    base : ViewSpec, optional
        A view read from a file (``--view``); None starts from `ViewSpec.default`.
    **changes
        ViewSpec fields (``layers``, ``start``, ``end``, ``event_types``, ``title``,
        ``lang``, …); None leaves a field as it is.

    Returns
    -------
    ViewSpec

    Raises
    ------
    ViewError
        An unknown layer, theatre, basemap or language, or a window that ends before it
        starts.
    """
    spec = base or ViewSpec.default(dataset.catalog)
    return spec.replace(**{k: v for k, v in changes.items() if v is not None}).check(
        dataset.catalog
    )
