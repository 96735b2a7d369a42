"""Annotations in a real browser: drawn with the toolbar in the dashboard, shown from a
link, and in an exported page opened offline; the toolbar's files come from the local
server, never a CDN."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

import regionmap
from regionmap import Annotation
from regionmap import _export as export

from .browser_support import ROOT, offline_page
from .test_browser import FRAME, in_map, open_map, page, server, wait_until  # noqa: F401

pytestmark = pytest.mark.browser
HOSTILE = "<script>alert(1)</script> $x$"
BOXES = "return [...document.querySelectorAll('.rm-annotation-box')].map(b => b.textContent);"
ARROWS = "return document.querySelectorAll('path.rm-annotation-arrow').length;"


def test_a_linked_view_shows_its_annotations_and_the_toolbar_loads_locally(page, server):  # noqa: F811
    asked: list[str] = []
    page.on("response", lambda r: asked.append(f"{r.status} {r.url}"))
    rows = [["n", 43.1, 40.6, HOSTILE], ["a", 45, 38.9, 46.5, 39.6, "Лачин"]]
    open_map(page, server + "?ann=" + quote(json.dumps(rows, ensure_ascii=False)))
    wait_until(page, lambda: len(in_map(page, BOXES)) == 2)
    assert sorted(in_map(page, BOXES)) == sorted([HOSTILE, "Лачин"])  # text, not markup
    assert in_map(page, ARROWS) == 1
    assert in_map(page, "return document.querySelectorAll('.rm-annotation-head').length;") == 1
    toolbar = "return document.querySelectorAll('.leaflet-draw-draw-marker').length;"
    assert in_map(page, toolbar) == 1
    draw_files = [a for a in asked if "leaflet.draw" in a or "spritesheet" in a]
    assert any(a.endswith("/app/static/leaflet.draw.js") for a in draw_files), asked
    assert all(a.startswith("200 http://127.0.0.1") for a in draw_files), draw_files
    assert all("127.0.0.1" in a or " data:" in a or " blob:" in a for a in asked), asked


def test_a_marker_drawn_with_the_toolbar_becomes_a_note_in_the_map_and_link(page, server):  # noqa: F811
    frame = open_map(page, server)
    box = page.get_by_label("Text for the next mark")
    box.fill("Russian checkpoint moved here, 2022-08-30")
    box.press("Enter")
    page.wait_for_timeout(1500)  # the rerun for the typed text
    frame = page.frame_locator(FRAME)
    frame.locator(".leaflet-draw-draw-marker").click()
    frame.locator(".leaflet-container").first.click(position={"x": 500, "y": 300})
    wait_until(page, lambda: in_map(page, BOXES) == ["Russian checkpoint moved here,2022-08-30"])
    wait_until(page, lambda: "ann=" in page.url)
    spec, warnings = regionmap.ViewSpec.from_query(
        {k: v[0] for k, v in _query(page.url).items()}, regionmap.load_catalog(ROOT / "geodata")
    )
    assert warnings == [] and [a.text for a in spec.annotations] == [
        "Russian checkpoint moved here, 2022-08-30"
    ]
    assert page.get_by_role("button", name="Delete").count() == 1


def _query(url: str) -> dict[str, list[str]]:
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(url).query)


def test_an_exported_page_shows_its_annotations_offline(browser, tmp_path):
    dataset = regionmap.load_dataset(ROOT / "geodata")
    notes = (Annotation("note", 33.54, 36.14, HOSTILE), Annotation("arrow", 30, 42, "", 32, 43))
    spec = regionmap.ViewSpec.default(dataset.catalog).replace(annotations=notes)
    path = export.snapshot(spec, dataset, tmp_path / "map.html")
    with offline_page(browser, path) as (pg, problems):
        texts = pg.evaluate(f"() => {{ {BOXES} }}")
        arrows = pg.evaluate(f"() => {{ {ARROWS} }}")
        visible = pg.locator(".rm-annotation-box").first.is_visible()
    assert problems == []
    assert texts == [HOSTILE] and arrows == 1 and visible


def test_the_browser_png_draws_them_and_carries_them(tmp_path):
    """The PNG "as seen" (headless Chromium) has the red marks where the plain one has
    none, and reopens as the annotated view."""
    import io

    import numpy as np
    from PIL import Image

    dataset = regionmap.load_dataset(ROOT / "geodata")
    plain = regionmap.ViewSpec.default(dataset.catalog).replace(center=(39.5, 44.5), zoom=7)
    # the arrow in the west of the map: the legend takes the south-east corner
    notes = (
        Annotation("note", 43.0956, 40.6013, HOSTILE),
        Annotation("arrow", 42, 38.6, "", 43.4, 39.3),
    )
    options = export.SnapshotOptions(size=(800, 600))
    shots = [export.snapshot_bytes(s, dataset, "png", options)
             for s in (plain, plain.replace(annotations=notes))]  # fmt: skip
    a, b = (np.asarray(Image.open(io.BytesIO(d)).convert("RGB")).astype(int) for d in shots)
    red = (np.abs(b - [0xC0, 0x39, 0x2B]).max(axis=2) < 24) & (np.abs(a - b).max(axis=2) > 40)
    assert red.sum() > 200
    assert regionmap.read_view(shots[1]).annotations == notes
