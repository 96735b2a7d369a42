"""Lakes on the offline basemap: the clip, the derived layer, and both renderers."""

from __future__ import annotations

import shutil

import geopandas as gpd
import pytest
from matplotlib.colors import to_hex
from shapely.geometry import Point, box

import regionmap
from regionmap import _nelayers as ne
from regionmap.cli import main
from regionmap.web import basemap_geojson

from .conftest import ROOT


@pytest.fixture(scope="module")
def dataset():
    return regionmap.load_dataset(ROOT / "geodata")


def test_clip_keeps_the_region_cut_and_rounded(tmp_path):
    shp = tmp_path / "ne_10m_lakes.shp"
    frame = gpd.GeoDataFrame(
        geometry=[
            Point(43.0, 38.6).buffer(0.3),  # Van, inside
            box(51.5, 40.0, 53.0, 41.0),  # across the east edge: cut at 52°E
            Point(100.0, 50.0).buffer(0.5),  # Baikal, outside
        ],
        crs="EPSG:4326",
    )
    frame.to_file(shp)
    features = ne.clip_natural_earth_file(ne.LAKES, shp, (9.0, 25.0, 52.0, 47.0))
    assert len(features) == 2
    east = max(features, key=lambda f: f["geometry"]["coordinates"][0][0][0])
    assert max(x for x, _ in east["geometry"]["coordinates"][0]) == 52.0
    geodata = tmp_path / "geodata"
    shutil.copytree(ROOT / "geodata", geodata)
    assert (
        main(["build-geodata", "--geodata", str(geodata), "--natural-earth-lakes", str(shp)]) == 0
    )
    built = gpd.read_file(geodata / "layers" / "lakes.geojson")
    assert list(built["id"]) == ["lake-1", "lake-2"]
    assert main(["build-geodata", "--geodata", str(geodata), "--check"]) == 0


def test_clip_refuses_what_is_not_lakes(tmp_path):
    shp = tmp_path / "points.shp"
    gpd.GeoDataFrame(geometry=[Point(43.0, 38.6)], crs="EPSG:4326").to_file(shp)
    with pytest.raises(regionmap.DataError, match="expected Natural Earth lakes"):
        ne.clip_natural_earth_file(ne.LAKES, shp, (9.0, 25.0, 52.0, 47.0))


def test_shipped_lakes_hold_van_sevan_and_urmia(dataset):
    frame = dataset.layers["lakes"].frame
    for name, lon, lat in (("Van", 42.9, 38.6), ("Sevan", 45.3, 40.35), ("Urmia", 45.5, 37.7)):
        assert frame.contains(Point(lon, lat)).any(), name


def test_web_basemap_draws_lakes_in_their_own_style(dataset):
    doc = basemap_geojson(dataset)
    water = [f for f in doc["features"] if f["properties"].get("s") == 1]
    assert len(water) == len(dataset.display["lakes"]) == 55
    spec = regionmap.ViewSpec.default(dataset.catalog)
    page = regionmap.render_map(spec, dataset).get_root().render()
    assert '"fillColor": "#e4edf3"' in page and "styles[f.properties.s || 0]" in page


def test_print_map_draws_lakes_over_the_land(dataset):
    from matplotlib.collections import PatchCollection
    from matplotlib.figure import Figure

    from regionmap.plot._geometry import draw_basemap

    ax = Figure().add_subplot()
    assert draw_basemap(ax, dataset, 1.0).id == "basemap"
    fills = [to_hex(c.get_facecolor()[0]) for c in ax.collections if isinstance(c, PatchCollection)]
    assert fills == ["#f3f1ea", "#e4edf3"]
