"""The print map: exact pixel size, real content, furniture, and the view spec in metadata."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

import regionmap
from regionmap.errors import ExportError
from regionmap.plot import VIEW_KEY, map_extent, render_static
from regionmap.render import theatres_bbox

from .conftest import ROOT

KARS_RED = (0xB2, 0x18, 0x2B)
DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture(scope="module")
def dataset(catalog) -> regionmap.Dataset:
    return regionmap.load_dataset(ROOT / "geodata")


@pytest.fixture(scope="module")
def spec(dataset) -> regionmap.ViewSpec:
    return regionmap.ViewSpec.default(dataset.catalog)


def draw(spec, dataset, fmt="png", **kwargs) -> bytes:
    out = io.BytesIO()
    kwargs.setdefault("dpi", 100)
    render_static(spec, dataset, out, fmt, **kwargs)
    return out.getvalue()


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


@pytest.fixture(scope="module")
def default_png(spec, dataset) -> bytes:
    return draw(spec, dataset, size=(1600, 1000), dpi=100, generated="2025-01-02")


# ---------------------------------------------------------------- PNG


@pytest.mark.parametrize(
    ("size", "dpi", "expected"),
    [
        ((1600, 1000), 100, (1600, 1000)),
        ((800, 500), 200, (1600, 1000)),
        ((1000, 1250), 80, (800, 1000)),
    ],
)
def test_png_has_exactly_the_requested_pixel_size(spec, dataset, size, dpi, expected):
    png = draw(spec, dataset, size=size, dpi=dpi)
    assert Image.open(io.BytesIO(png)).size == expected


def test_default_size_is_1600_by_1000_at_200_dpi(spec, dataset):
    image = Image.open(io.BytesIO(draw(spec, dataset, dpi=200)))
    assert image.size == (3200, 2000)


def test_png_is_not_blank_and_draws_the_kars_border(default_png):
    px = pixels(default_png)
    assert px.std() > 10
    assert len(np.unique(px.reshape(-1, 3), axis=0)) > 200
    close = np.abs(px - np.array(KARS_RED)).max(axis=2) <= 16
    assert close.sum() > 100, "the Kars border colour #b2182b is missing"


def test_one_layer_differs_from_the_default(spec, dataset, default_png):
    one = draw(
        spec.replace(layers=("kars-borders",)),
        dataset,
        size=(1600, 1000),
        generated="2025-01-02",
    )
    a, b = pixels(default_png), pixels(one)
    assert a.shape == b.shape
    assert (np.abs(a - b).max(axis=2) > 30).sum() > 1000


def test_png_carries_the_view_spec(spec, dataset, default_png):
    text = Image.open(io.BytesIO(default_png)).text
    assert text[VIEW_KEY] == spec.to_json()
    assert regionmap.ViewSpec.from_json(text[VIEW_KEY]) == spec
    assert text["Software"] == "regionmap"
    assert text["Title"] == "Where Russia and Turkey meet: events up to 23 March 2021"


def test_png_view_spec_survives_non_latin_text(spec, dataset):
    odd = spec.replace(title="Карс – Kars ✓", center=(39.7, 46.5), zoom=9)
    text = Image.open(io.BytesIO(draw(odd, dataset, size=(800, 500)))).text
    assert text[VIEW_KEY] == odd.to_json()
    assert text["Title"] == "Карс – Kars ✓"


# ---------------------------------------------------------------- SVG and PDF


def test_svg_parses_and_carries_the_view_spec(spec, dataset):
    svg = draw(spec, dataset, "svg", size=(800, 500))
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    descriptions = [e.text for e in root.iter(f"{DC}description")]
    assert descriptions == [spec.to_json()]
    titles = [e.text for e in root.iter(f"{DC}title")]
    assert "Where Russia and Turkey meet: events up to 23 March 2021" in titles


def test_pdf_has_one_page_and_the_view_spec_as_subject(spec, dataset):
    pdf = PdfReader(io.BytesIO(draw(spec, dataset, "pdf")))
    assert len(pdf.pages) == 1
    assert pdf.metadata.subject == spec.to_json()
    assert pdf.metadata.creator == "regionmap"
    width, height = (float(v) for v in pdf.pages[0].mediabox[2:])
    assert (width, height) == (1152.0, 720.0)  # 16 x 10 inches


def test_pdf_shows_all_the_furniture(spec, dataset):
    pdf = PdfReader(
        io.BytesIO(
            draw(
                spec,
                dataset,
                "pdf",
                caption=["Figure 3. The five theatres.", "Second caption line."],
                generated="2025-01-02",
            )
        )
    )
    text = pdf.pages[0].extract_text()
    for expected in (
        "Where Russia and Turkey meet: events up to 23 March 2021",  # title
        "Date window: up to 23 March 2021",
        "Legend",
        "Treaty borders (Moscow and Kars, 1921)",  # a layer
        "Strategic developments",  # an event type
        "km",  # scale bar
        "N",  # north arrow
        "40°E",
        "35°N",  # graticule
        "Natural Earth 1:10m Admin 0",
        "© regionmap, data as of 2026-11-24",
        "Generated on 2025-01-02",
        "Figure 3. The five theatres.",
        "Second caption line.",
    ):
        assert expected in text, expected


# ---------------------------------------------------------------- text and options


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_markup_and_mathtext_in_a_title_print_literally(spec, dataset, fmt):
    odd = spec.replace(title="$x$ <b> 100$ & \\alpha")
    data = draw(odd, dataset, fmt, size=(800, 500), caption=["costs $5 and $6"])
    assert data
    if fmt == "pdf":
        text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
        assert "$x$ <b> 100$ & \\alpha" in text
        assert "costs $5 and $6" in text
    if fmt == "png":
        assert Image.open(io.BytesIO(data)).text["Title"] == odd.title


def test_events_hidden_and_an_empty_window_still_draw(spec, dataset):
    for view in (spec.replace(show_events=False), spec.replace(layers=(), event_types=("None",))):
        assert Image.open(io.BytesIO(draw(view, dataset, size=(800, 500)))).size == (800, 500)


def test_unknown_format_is_refused(spec, dataset):
    with pytest.raises(ExportError):
        draw(spec, dataset, "jpg")


def test_extent_frames_the_theatres_inside_the_region(spec, dataset):
    west, south, east, north = theatres_bbox(dataset.catalog)
    r_west, r_south, r_east, r_north = dataset.catalog.region_bbox
    x0, y0, x1, y1 = map_extent(spec, dataset, 0.6)
    assert x0 <= west and x1 >= east and y0 <= south and y1 >= north
    assert x0 >= r_west and x1 <= r_east and y0 >= r_south and y1 <= r_north


def test_extent_follows_centre_and_zoom(spec, dataset):
    near = map_extent(spec.replace(center=(39.7, 46.5), zoom=9), dataset, 0.6)
    far = map_extent(spec.replace(center=(39.7, 46.5), zoom=7), dataset, 0.6)
    assert near[0] < 46.5 < near[2] and near[1] < 39.7 < near[3]
    assert (far[2] - far[0]) == pytest.approx(4 * (near[2] - near[0]))
    assert near[2] - near[0] < 3
