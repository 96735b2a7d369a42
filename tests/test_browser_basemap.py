"""The offline basemap in a real browser: rivers by rank as the map zooms, towns' dots."""

from __future__ import annotations

import pytest

import regionmap
from regionmap import _export as export

from .browser_support import ROOT, offline_page

pytestmark = pytest.mark.browser
RIVERS = (
    "() => [...document.querySelectorAll('path')]"
    ".filter(p => p.getAttribute('stroke') === '#6d9fc8').length"
)


def test_rivers_join_the_offline_map_as_it_zooms_in(browser, tmp_path):
    """Rivers come in by rank: the Euphrates at the region's zoom, the Aras from zoom 7,
    as the print map draws them; the towns' names come with their dots."""
    dataset = regionmap.load_dataset(ROOT / "geodata")
    spec = regionmap.ViewSpec.default(dataset.catalog).replace(center=(40.0, 44.0), zoom=4)
    path = export.snapshot(spec, dataset, tmp_path / "map.html")
    with offline_page(browser, path) as (pg, problems):
        wide = pg.evaluate(RIVERS)
        pg.evaluate("() => window.regionmapMap.setZoom(8, {animate: false})")
        pg.wait_for_function(f"() => ({RIVERS})() > {wide}")
        close = pg.evaluate(RIVERS)
        dots = pg.evaluate("() => document.querySelectorAll('.rm-town-dot').length")
    assert problems == []
    assert 0 < wide < close and dots > 0
