"""Rewrite docs/atlas-<page>.png: each atlas page's map as the print renderer draws it.

`.venv/bin/python docs/atlas_pngs.py` (or `make docs-atlas`). The pages are
`regionmap._atlas.atlas_pages` of the shipped geodata, every event up to today, drawn at
the atlas's A4 size (1169 x 827 at 100 dpi) with their captions; a PNG over `MAX_KB` is
reduced to 256 colours (the maps use far fewer), which keeps every line and letter.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image
from PIL.PngImagePlugin import PngInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import regionmap  # noqa: E402
from regionmap._atlas import ATLAS_PAGE_PX, atlas_pages  # noqa: E402
from regionmap._atomic import atomic_write_bytes  # noqa: E402
from regionmap.plot import render_static  # noqa: E402

MAX_KB = 300


def page_png(spec: regionmap.ViewSpec, data: regionmap.Dataset, caption: tuple[str, ...]) -> bytes:
    """One page's map as a PNG of at most `MAX_KB` where 256 colours allow it."""
    buf = io.BytesIO()
    render_static(spec, data, buf, "png", size=ATLAS_PAGE_PX, dpi=100, caption=caption)
    if buf.tell() <= MAX_KB * 1024:
        return buf.getvalue()
    image = Image.open(io.BytesIO(buf.getvalue()))
    small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    small.save(out, "PNG", optimize=True, pnginfo=_text_chunks(image))
    return out.getvalue()


def _text_chunks(image: Image.Image) -> PngInfo:
    """The source PNG's text chunks (its view spec among them), for the smaller copy."""
    info = PngInfo()
    for key, value in image.text.items():
        info.add_text(key, value)
    return info


def main() -> int:
    data = regionmap.load_dataset()
    pages = atlas_pages(data)
    names = ["region"] + [t.id for t in data.catalog.theatres]
    for name, page in zip(names, pages, strict=True):
        path = ROOT / "docs" / f"atlas-{name}.png"
        atomic_write_bytes(path, page_png(page.spec, data, page.caption))
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size / 1024:,.0f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
