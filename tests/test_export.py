"""Snapshots: PNG as seen, self-contained HTML, the data behind them, atomic writes."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import zipfile

import numpy as np
import pytest
from PIL import Image, ImageChops

import regionmap
from regionmap import _export as export
from regionmap._errors import ExportError
from regionmap._export import SnapshotOptions

from .browser_support import offline_page, require_browser
from .conftest import ROOT

SMALL = SnapshotOptions(size=(800, 500))

ARTICLE_DAY = dt.date(2021, 3, 23)  # the "Article" preset


@pytest.fixture(scope="module")
def dataset():
    return regionmap.load_dataset(ROOT / "geodata")


@pytest.fixture(scope="module")
def spec(dataset):
    # the article's window, so titles and the drawn layers stay the same day after day
    return regionmap.ViewSpec.default(dataset.catalog).replace(end=ARTICLE_DAY)


@pytest.fixture(scope="module")
def png_default(dataset, spec):
    require_browser()
    return export.snapshot_bytes(spec, dataset, "png", SMALL)


def _image(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def _has_colour(image: Image.Image, hex_colour: str, tolerance: int = 12) -> bool:
    target = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])
    pixels = np.asarray(image).reshape(-1, 3).astype(int)
    return bool((np.abs(pixels - target) <= tolerance).all(axis=1).any())


@pytest.mark.browser
def test_png_has_the_size_and_the_layer_colours(png_default):
    image = _image(png_default)
    assert image.size == (800, 500)
    assert len(np.unique(np.asarray(image).reshape(-1, 3), axis=0)) > 50  # not blank
    for colour in ("#b2182b", "#5e3c99", "#8c510a"):  # Kars, Syria border, Sirte-Jufra
        assert _has_colour(image, colour), colour


@pytest.mark.browser
def test_png_scale_doubles_the_pixels(dataset, spec):
    data = export.snapshot_bytes(spec, dataset, "png", SnapshotOptions(size=(400, 300), scale=2))
    assert _image(data).size == (800, 600)


@pytest.mark.browser
def test_one_layer_png_differs_and_the_same_view_twice_is_near_identical(
    dataset, spec, png_default
):
    one = export.snapshot_bytes(spec.replace(layers=("akkuyu-plant",)), dataset, "png", SMALL)
    diff = ImageChops.difference(_image(png_default), _image(one)).getbbox()
    assert diff is not None
    again = export.snapshot_bytes(spec, dataset, "png", SMALL)
    delta = ImageChops.difference(_image(png_default), _image(again))
    changed = int((np.asarray(delta).max(axis=2) > 16).sum())
    assert changed / (800 * 500) < 0.001


@pytest.mark.browser
def test_view_read_back_from_png_equals_the_one_written(dataset, spec, png_default):
    assert regionmap.read_view(png_default) == spec
    custom = spec.replace(layers=("kars-borders",), title="Kars only", center=(40.5, 43.5), zoom=7)
    data = export.snapshot_bytes(custom, dataset, "png", SMALL)
    assert regionmap.read_view(data) == custom


@pytest.mark.browser
def test_html_snapshot_offline_shows_all_layers_with_no_failed_request(
    tmp_path, dataset, spec, browser
):
    path = export.snapshot(spec, dataset, tmp_path / "map.html")
    with offline_page(browser, path) as (page, problems):
        drawn = page.evaluate(
            "() => Object.fromEntries(Object.keys(window.regionmapLayers).map("
            "id => [id, document.querySelectorAll('path.rm-layer-' + id).length]))"
        )
        toggles = page.locator(".leaflet-control-layers-selector").count()
    assert problems == []
    assert set(drawn) == set(spec.layers) and all(n > 0 for n in drawn.values()), drawn
    assert toggles == len(spec.layers) + 1  # every layer and the events


def test_html_snapshot_is_self_contained_and_carries_its_view(dataset, spec):
    page = export.snapshot_bytes(spec, dataset, "html").decode()
    assert "/app/static" not in page
    assert not [u for u in regionmap.web.map_summary_urls(page)]  # no http(s) script or style
    assert regionmap.read_view(page.encode()) == spec
    assert "rm-caption" in page and "Window: up to 23 March 2021" in page


def test_geojson_holds_exactly_the_filtered_features(dataset, spec):
    view = spec.replace(layers=("kars-borders", "libya-front"), start=None, end=None)
    view = view.replace(theatres=("libya",))
    doc = json.loads(export.snapshot_bytes(view, dataset, "geojson"))
    features = [f for f in doc["features"] if f["properties"]["record"] == "feature"]
    events = [f for f in doc["features"] if f["properties"]["record"] == "event"]
    assert sorted(f["properties"]["id"] for f in features) == sorted(
        ["border-tur-arm", "border-tur-geo", "border-tur-aze", "libya-sirte-jufra-line"]
    )
    expected = dataset.events.frame[dataset.events.frame["theatre"] == "libya"]
    assert sorted(f["properties"]["event_id"] for f in events) == sorted(expected["event_id"])
    assert all(f["properties"]["source"] for f in doc["features"])
    lon, lat = events[0]["geometry"]["coordinates"]
    assert (
        lon == events[0]["properties"]["longitude"] and lat == events[0]["properties"]["latitude"]
    )


def test_csv_has_features_and_events_with_provenance(dataset, spec):
    text = export.snapshot_bytes(spec.replace(layers=("akkuyu-plant",)), dataset, "csv").decode()
    header = text.splitlines()[0].split(",")
    for column in ("record", "layer", "id", "source", "as_of", "wkt"):
        assert column in header
    assert "akkuyu-site-npp" in text and "RM0001" in text


def test_failed_write_leaves_nothing_and_says_why(tmp_path, dataset, spec, monkeypatch):
    with pytest.raises(ExportError, match="folder .* does not exist"):
        export.snapshot(spec, dataset, tmp_path / "missing" / "map.html")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):  # root ignores permissions: simulate a full disk

            def full(*_a, **_k):
                raise OSError(28, "No space left on device")

            monkeypatch.setattr(os, "fsync", full)
        with pytest.raises(ExportError, match="cannot write"):
            export.snapshot(spec, dataset, locked / "map.html")
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_unknown_format_and_extension(dataset, spec, tmp_path):
    with pytest.raises(ExportError, match="cannot tell the format from 'map.xyz'"):
        export.snapshot(spec, dataset, tmp_path / "map.xyz")
    with pytest.raises(ExportError, match="unknown format 'tiff'"):
        export.snapshot_bytes(spec, dataset, "tiff")


def test_png_without_chromium_says_how_to_fix_it(dataset, spec, monkeypatch):
    monkeypatch.setattr(export, "chromium_path", lambda: None)
    with pytest.raises(ExportError, match="apt-get install chromium.*--renderer static"):
        export.snapshot_bytes(spec, dataset, "png", SMALL)


def test_bundle_holds_png_data_view_and_sources(dataset, spec):
    data = export.snapshot_bytes(spec, dataset, "zip", SnapshotOptions(size=(600, 400)))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        assert names == {"map.png", "data.geojson", "data.csv", "view.json", "SOURCES.md"}
        assert regionmap.ViewSpec.from_json(z.read("view.json").decode()) == spec
        sources = z.read("SOURCES.md").decode()
        assert "Natural Earth" in sources and "GeoNames" in sources
        assert _image(z.read("map.png")).size[0] >= 600
    assert regionmap.read_view(data) == spec
