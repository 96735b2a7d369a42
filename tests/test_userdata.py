"""The user's own files: other formats and projections, size limits, kept apart, drawn."""

from __future__ import annotations

import io
import json
import zipfile

import geopandas as gpd
import pytest
import shapely

import regionmap
from regionmap._errors import EventError, LayerError

from .conftest import DATA, ROOT

REGION = (9.0, 25.0, 52.0, 47.0)
# Sirte and Misrata, with a name and nothing else: users' layers need not follow our contract
POINTS = gpd.GeoDataFrame(
    {"name": ["Sirte", "Misrata"]},
    geometry=[shapely.Point(16.5887, 31.2089), shapely.Point(15.0925, 32.3754)],
    crs=4326,
)


@pytest.fixture(scope="module")
def dataset():
    return regionmap.load_dataset(ROOT / "geodata")


def _bytes(frame: gpd.GeoDataFrame, driver: str, suffix: str, tmp_path) -> bytes:
    path = tmp_path / f"layer{suffix}"
    frame.to_file(path, driver=driver)
    return path.read_bytes()


def _close(result, expected=POINTS):
    got = sorted((round(g.x, 4), round(g.y, 4)) for g in result.frame.geometry)
    want = sorted((round(g.x, 4), round(g.y, 4)) for g in expected.geometry)
    return got == want


def test_geopackage_in_utm_is_reprojected(tmp_path):
    data = _bytes(POINTS.to_crs(32633), "GPKG", ".gpkg", tmp_path)
    result = regionmap.read_user_layer(data, "libya utm.gpkg", REGION)
    assert result.problems == [] and _close(result)


def test_geojson_with_declared_web_mercator_is_reprojected(tmp_path):
    doc = json.loads(POINTS.to_crs(3857).to_json())
    doc["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    result = regionmap.read_user_layer(json.dumps(doc).encode(), "mercator.geojson", REGION)
    assert result.problems == [] and _close(result)


def test_zipped_shapefile_and_kml_load(tmp_path):
    folder = tmp_path / "shp"
    folder.mkdir()
    POINTS.to_file(folder / "towns.shp")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for part in folder.iterdir():
            z.write(part, part.name)
    assert _close(regionmap.read_user_layer(buffer.getvalue(), "towns.zip", REGION))
    kml = _bytes(POINTS, "KML", ".kml", tmp_path)
    assert _close(regionmap.read_user_layer(kml, "towns.kml", REGION))


def test_projected_coordinates_without_crs_are_refused_with_a_reason():
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Point", "coordinates": [1468000, 3880000]},
            }
        ],
    }
    result = regionmap.read_user_layer(json.dumps(doc).encode(), "utm.geojson", REGION)
    (problem,) = result.problems
    assert problem.path == "utm.geojson" and "not longitude/latitude" in problem.message


def test_size_limit_and_unsupported_type():
    big = b" " * (regionmap.MAX_UPLOAD_MB * 1024 * 1024 + 1)
    with pytest.raises(LayerError, match=r"big.geojson: file is 52 MB; the limit is 50 MB"):
        regionmap.read_user_layer(big, "big.geojson", REGION)
    with pytest.raises(LayerError, match=r"map.docx: unsupported file type .docx"):
        regionmap.read_user_layer(b"x", "map.docx", REGION)


def test_broken_upload_names_the_file_not_a_temp_path():
    with pytest.raises(LayerError) as exc:
        regionmap.read_user_layer(b"{ nope", "mine.geojson", REGION)
    assert str(exc.value).startswith("mine.geojson: not JSON")


def test_acled_upload_joins_the_events(dataset):
    data = (DATA / "acled_sample.csv").read_bytes()
    events = regionmap.read_user_events(data, "acled.csv", dataset)
    merged = regionmap.with_user_data(dataset, {}, [events])
    assert len(merged.events.frame) == len(dataset.events.frame) + 5
    assert len(dataset.events.frame) == 83  # the base is not mutated
    with pytest.raises(EventError, match="bad.csv: not UTF-8"):
        regionmap.read_user_events(b"\xff\xfe\x00", "bad.csv", dataset)


def test_user_layer_is_drawn_with_escaped_names(dataset, tmp_path):
    frame = POINTS.assign(name=["<img src=x onerror=alert(1)>", "Misrata"])
    data = frame.to_json().encode()
    result = regionmap.read_user_layer(data, "my towns.geojson", REGION)
    merged = regionmap.with_user_data(dataset, {"my towns.geojson": result}, [])
    layer_id = regionmap.user_layer_id("my towns.geojson")
    assert layer_id == "user-my-towns"
    spec = regionmap.ViewSpec.default(merged.catalog)
    assert layer_id in spec.layers
    page = regionmap.render_map(spec, merged).get_root().render()
    assert "user-my-towns" in page and "<img src=x" not in page


def test_kept_files_go_to_the_user_folder_never_geodata(tmp_path, monkeypatch):
    monkeypatch.setenv("REGIONMAP_USER_DATA", str(tmp_path / "mine"))
    path = regionmap.save_user_file(b"event_id\n", "../../geodata/events.csv")
    assert path == tmp_path / "mine" / "events.csv"
    assert regionmap.saved_user_files() == [path]
    shipped = (ROOT / "geodata" / "events.csv").read_bytes()
    assert shipped.startswith(b"event_id,")


def test_one_export_uploaded_twice_counts_each_event_once(tmp_path):
    """An ACLED file and its renamed copy: the events are kept once, and the second file
    says how many repeated."""
    dataset = regionmap.load_dataset(ROOT / "geodata")
    data = (ROOT / "tests" / "data" / "acled_sample.csv").read_bytes()
    once, _ = regionmap.with_user_files(dataset, {"acled.csv": data})
    twice, read = regionmap.with_user_files(dataset, {"acled.csv": data, "Сирия_экспорт.csv": data})
    assert len(twice.events.frame) == len(once.events.frame) > len(dataset.events.frame)
    assert twice.events.frame["event_id"].is_unique
    added = len(once.events.frame) - len(dataset.events.frame)
    assert f"{added} events repeat ids already loaded" in " ".join(read[1].notes)
    # "0 events read as ACLED" above that line read as if nothing was read (a trial)
    assert read[1].notes[0] == "0 events added, read as ACLED"
    assert read[0].notes[0] == f"{added} events added, read as ACLED"
    assert not any("repeat" in n for n in read[0].notes)
