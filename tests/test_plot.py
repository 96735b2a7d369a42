"""The print map: exact pixel size, real content, furniture, and the view spec in metadata."""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import io
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from PIL import Image
from pypdf import PdfReader

import regionmap
from regionmap import plot
from regionmap._errors import ExportError
from regionmap._plan import theatres_bbox
from regionmap.plot import VIEW_KEY, _layout, _legend, _look, map_extent, render_static

from .conftest import ROOT

KARS_RED = (0xB2, 0x18, 0x2B)
DC = "{http://purl.org/dc/elements/1.1/}"

ARTICLE_DAY = dt.date(2021, 3, 23)  # the "Article" preset


@pytest.fixture(scope="module")
def dataset(catalog) -> regionmap.Dataset:
    return regionmap.load_dataset(ROOT / "geodata")


@pytest.fixture(scope="module")
def spec(dataset) -> regionmap.ViewSpec:
    # the article's window, so titles and the drawn layers stay the same day after day
    return regionmap.ViewSpec.default(dataset.catalog).replace(end=ARTICLE_DAY)


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


def test_pixels_are_the_png_without_the_file(spec, dataset, default_png):
    """`render_pixels` (an animation's frames) draws what `render_static` writes."""
    rgb = plot.render_pixels(spec, dataset, size=(1600, 1000), dpi=100, generated="2025-01-02")
    assert rgb.shape == (1000, 1600, 3) and rgb.dtype == np.uint8
    assert np.abs(rgb.astype(int) - pixels(default_png)).max() <= 1
    other = plot.render_pixels(spec.replace(end=None), dataset, size=(1600, 1000), dpi=100)
    assert np.abs(other.astype(int) - pixels(default_png)).mean() > 0.1


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
    text = " ".join(pdf.pages[0].extract_text().split())  # lines wrap where the page says
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


def test_too_small_a_figure_is_refused_with_its_size(spec, dataset):
    with pytest.raises(ExportError, match=r"at least 300 x 200 pixels, got \(200, 200\)"):
        draw(spec, dataset, size=(200, 200))
    with pytest.raises(ExportError, match=r"the figure \(300, 200\) is too small for the map"):
        draw(spec, dataset, size=(300, 200))
    with pytest.raises(ExportError, match=r"static maps are png, svg, pdf, not 'jpg'"):
        draw(spec, dataset, "jpg")


def many_types(dataset, n=40) -> regionmap.Dataset:
    frame = dataset.events.frame.copy()
    frame["event_type"] = [f"Type {i % n:02d}" for i in range(len(frame))]
    return dataclasses.replace(dataset, events=dataclasses.replace(dataset.events, frame=frame))


def test_a_legend_too_long_for_the_page_keeps_its_first_rows(spec, dataset, monkeypatch):
    kept = []
    cut = _layout.cut_entries
    monkeypatch.setattr(
        _layout, "cut_entries", lambda entries, keep: kept.append(keep) or cut(entries, keep)
    )
    png = draw(spec.replace(start=None, end=None), many_types(dataset), size=(400, 400))
    assert Image.open(io.BytesIO(png)).size == (400, 400)
    assert kept[-1] is not None and kept[-1] >= _legend.MIN_LEGEND_ROWS


# ---------------------------------------------------------------- the package


PLOT_PUBLIC = ["FORMATS", "VIEW_KEY", "map_extent", "map_title", "render_pixels", "render_static"]
PLOT_DIR = ROOT / "src" / "regionmap" / "plot"


def test_plot_exports_a_sorted_pinned_list_and_nothing_else():
    assert plot.__all__ == sorted(plot.__all__) == PLOT_PUBLIC
    public = {name for name in vars(plot) if not name.startswith("_")}
    assert public == set(PLOT_PUBLIC)
    assert all(path.name.startswith("_") for path in PLOT_DIR.glob("*.py"))


def test_plot_never_imports_pyplot_folium_or_streamlit():
    for path in sorted(PLOT_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in ("folium", "streamlit"), (path.name, name)
                assert not name.startswith("matplotlib.pyplot"), (path.name, name)


def test_plot_modules_and_functions_stay_small():
    for path in sorted(PLOT_DIR.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert len(source.splitlines()) <= 400, path.name
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno - node.lineno < 80, (path.name, node.name)


# ---------------------------------------------------------------- legend entries


def test_legend_entries_are_plain_data_in_legend_order(spec, dataset):
    view = spec.replace(layers=("kars-borders", "syria-zones"))
    events = dataset.visible_events(view)
    plan = regionmap.MapPlan.from_view(view, dataset, events=events)
    off = pd.Series(False, index=events.index)
    entries = _legend.legend_entries(plan, off)
    kinds = [e.kind for e in entries]
    assert kinds[:3] == ["header", "layer", "header"]
    assert entries[0].label.startswith(dataset.catalog.theatre("kars").title + " · as of ")
    assert entries[1].label == dataset.catalog.layer("kars-borders").title
    assert entries[1].geometry == {"line"}
    assert entries[3].geometry == {"line", "polygon"}  # zones and the M4 corridor line
    assert entries[4].label == f"Events ({len(events)})"
    types = [e.label for e in entries if e.kind == "event"]
    assert types == sorted(set(events["event_type"]))
    assert all(e.color.startswith("#") and e.shape for e in entries if e.kind == "event")
    assert [e.label for e in entries if e.kind == "header"][-1] == "Key"
    for entry in entries:  # data a map plan hands over: no matplotlib objects
        for value in vars(entry).values():
            assert isinstance(value, str | frozenset | regionmap.Style | type(None)), value


def test_legend_entries_name_the_events_off_the_map(spec, dataset):
    view = spec.replace(layers=())
    events = dataset.visible_events(view)
    plan = regionmap.MapPlan.from_view(view, dataset, events=events)
    off = pd.Series(False, index=events.index)
    off.iloc[:2] = True
    entries = _legend.legend_entries(plan, off)
    assert entries[0] == _legend.LegendEntry("header", f"Events ({len(events)}; 2 off the map)")
    notes = [e.label for e in entries if e.kind == "note"]
    assert len(notes) == 1 and notes[0].startswith("off the map: ")


def test_cut_entries_keeps_the_first_rows_and_counts_the_rest():
    entries = [_legend.LegendEntry("note", str(i)) for i in range(10)]
    assert _legend.cut_entries(entries, None) == entries
    assert _legend.cut_entries(entries, 10) == entries
    cut = _legend.cut_entries(entries, 6)
    assert [e.label for e in cut[:6]] == [str(i) for i in range(6)]
    assert cut[6].label.startswith("… 4 more legend rows")


@pytest.mark.parametrize(
    ("entry", "artist"),
    [
        (_legend.LegendEntry("header", "A"), Patch),
        (_legend.LegendEntry("note", "a"), Patch),
        (_legend.LegendEntry("layer", "a", regionmap.Style(), frozenset({"point"})), Line2D),
        (_legend.LegendEntry("layer", "a", regionmap.Style(), frozenset({"line"})), Line2D),
        (
            _legend.LegendEntry(
                "layer", "a", regionmap.Style(fill_opacity=0.2), frozenset({"polygon"})
            ),
            Patch,
        ),
        (_legend.LegendEntry("event", "a", color="#ff0000", shape="star"), Line2D),
        (_legend.LegendEntry("span", "a"), Line2D),
        (_legend.LegendEntry("halo", "a"), Patch),
        (_legend.LegendEntry("basemap", "a", regionmap.Style()), Patch),
        (_legend.LegendEntry("inactive", "a", regionmap.Style(weight=3.0)), Line2D),
    ],
)
def test_each_legend_entry_gets_its_sample(entry, artist):
    assert type(_legend.legend_handle(entry, 1.0)) is artist


def test_look_of_an_inactive_feature_is_grey_and_dashed():
    style = regionmap.Style(color="#b2182b", weight=3.0, fill_opacity=0.3)
    active, inactive = _look.feature_look(style, True, 1.0), _look.feature_look(style, False, 1.0)
    assert active.linestyle == "solid" and active.edge[0] > 0.6
    assert inactive.edge[:3] == pytest.approx((0x9E / 255,) * 3)
    assert inactive.linestyle != "solid" and inactive.lw < active.lw


def test_arabic_text_is_shaped_and_in_reading_order(spec, dataset):
    """Matplotlib lays letters left to right one by one: Arabic came out reversed and
    unjoined. The print map shapes it and puts it in display order first."""
    from regionmap.plot._text import tex

    assert tex("سرت") == "\ufe95\ufeae\ufeb3"  # teh, reh final; seen initial: left to right
    assert tex("Sirte (سرت) $") == "Sirte (\ufe95\ufeae\ufeb3) \\$"
    assert tex("Kars") == "Kars"
    svg = draw(spec.replace(title="ليبيا: سرت"), dataset, "svg", size=(800, 500)).decode()
    assert "\ufe95\ufeae\ufeb3 :\ufe8e\ufef4\ufe92\ufef4\ufedf" in svg


def test_a_theatre_name_sits_by_what_the_theatre_draws(spec, dataset, monkeypatch):
    """The Black Sea theatre's box runs south to 36.5°N: a name put under it (when the view
    cut the box's north edge) landed in the Mediterranean by Akkuyu."""
    from regionmap.plot import _furniture

    (theatre,) = [t for t in dataset.catalog.theatres if t.id == "blacksea"]
    west, south, east, north = _furniture._drawn_bounds(theatre, spec, dataset)
    assert south >= 40.0 and theatre.bbox[1] < 37  # the Dardanelles, not the box's edge
    placed = []
    original = _furniture.theatre_labels

    def spy(ax, *args):
        original(ax, *args)
        placed.extend(t for t in ax.texts if t.get_text() == "Black Sea and Ukraine")

    from regionmap.plot import _layout

    monkeypatch.setattr(_layout, "theatre_labels", spy)
    draw(spec.replace(center=(40.0, 32.0), zoom=6), dataset, "png", size=(1200, 800))
    assert placed and all(t.get_position()[1] >= 40.0 for t in placed)
