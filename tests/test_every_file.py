"""Every file in tests/data goes through everything a user can do with it.

Validate, upload, draw and every export format: the only exceptions allowed are
regionmap's own errors (a clear one-line refusal); anything else is a bug, whatever the
file holds. Each file alone goes through the web map and the HTML, GeoJSON and CSV
exports; the print renderer's formats (PNG, SVG, PDF, the zip bundle) and the browser's PNG
draw all of the files together, once each (a second a format, not a second a file).
"""

from __future__ import annotations

import contextlib

import pytest

import regionmap
from regionmap._errors import RegionmapError

from .conftest import DATA, ROOT

SUFFIXES = (".geojson", ".json", ".gpkg", ".kml", ".kmz", ".zip", ".csv")
FILES = sorted(p for p in DATA.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
SMALL = regionmap.SnapshotOptions(size=(1000, 700), renderer="static")


@pytest.fixture(scope="module")
def dataset():
    return regionmap.load_dataset(ROOT / "geodata")


def _merged(dataset, paths):
    files = {p.name: p.read_bytes() for p in paths}
    return regionmap.with_user_files(dataset, files)


def test_the_corpus_is_not_empty():
    kinds = {p.suffix.lower() for p in FILES}
    assert {".geojson", ".gpkg", ".kml", ".zip", ".csv"} <= kinds and len(FILES) >= 40


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(DATA)) for p in FILES])
def test_validate_upload_draw_and_export(path, dataset, catalog):
    with contextlib.suppress(RegionmapError):
        regionmap.check_path(catalog, path)
    merged, (read,) = _merged(dataset, [path])
    assert read.error or read.layers or read.events is not None
    if read.error:
        assert read.error.startswith(path.name), read.error
    spec = regionmap.ViewSpec.default(merged.catalog)
    regionmap.render_map(spec, merged).get_root().render()
    for fmt in ("html", "geojson", "csv"):
        data = regionmap.snapshot_bytes(spec, merged, fmt, SMALL)
        assert len(data) > 100, fmt
    if read.layers:
        assert regionmap.read_view(regionmap.snapshot_bytes(spec, merged, "html", SMALL))


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf", "zip"])
def test_every_file_at_once_in_the_print_formats(dataset, fmt):
    merged, read = _merged(dataset, FILES)
    spec = regionmap.ViewSpec.default(merged.catalog)
    assert all(layer in spec.layers for f in read for layer, _ in f.layers)
    options = regionmap.SnapshotOptions(renderer="static")  # 1600 × 1000: room for 38 layers
    assert len(regionmap.snapshot_bytes(spec, merged, fmt, options)) > 1000


@pytest.mark.browser
def test_every_file_at_once_in_the_browser_png(dataset):
    from .browser_support import require_browser

    require_browser()
    merged, read = _merged(dataset, FILES)
    spec = regionmap.ViewSpec.default(merged.catalog)
    png = regionmap.snapshot_bytes(
        spec, merged, "png", regionmap.SnapshotOptions(size=(800, 500), renderer="browser")
    )
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert sum(len(f.layers) for f in read) >= 15
