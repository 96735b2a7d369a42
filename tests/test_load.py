"""Loading and validating layer files: good features load, bad ones are named."""

import json

import pytest

import regionmap
from regionmap._errors import LayerError

from .conftest import DATA

LIBYA = (10.0, 26.0, 25.0, 33.5)


def test_good_layer_loads_clean():
    result = regionmap.read_layer(DATA / "good_layer.geojson", LIBYA)
    assert result.ok
    assert list(result.frame["id"]) == ["tripoli"]
    assert result.frame.crs.to_epsg() == 4326


def test_self_intersecting_polygon_is_named_and_the_rest_loads():
    result = regionmap.read_layer(DATA / "self_intersecting.geojson", LIBYA)
    assert [str(p) for p in result.problems] == [
        f"{DATA / 'self_intersecting.geojson'}: feature #2 (id bowtie): "
        "invalid geometry: Self-intersection[16.5 31.5]"
    ]
    assert list(result.frame["id"]) == ["tripoli"]


def test_swapped_lat_lon_is_caught_with_a_theatre_box():
    result = regionmap.read_layer(DATA / "swapped_latlon.geojson", LIBYA)
    (problem,) = result.problems
    assert problem.where == "feature #2 (id tripoli-swapped)"
    assert "latitude and longitude swapped" in problem.message


def test_swapped_lat_lon_is_caught_without_confining():
    result = regionmap.read_layer(DATA / "swapped_latlon.geojson", (9, 25, 52, 47), confine=False)
    assert len(result.problems) == 1 and "swapped" in result.problems[0].message


def test_missing_property_is_named():
    result = regionmap.read_layer(DATA / "missing_property.geojson", LIBYA)
    (problem,) = result.problems
    assert problem.message == "missing property 'source'"
    assert "no-source" in problem.where


def test_not_json_raises_with_line():
    with pytest.raises(LayerError, match=r"not_json.geojson: not JSON: .* at line 2"):
        regionmap.read_layer(DATA / "not_json.geojson")


def _write(tmp_path, doc, name="layer.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


def _feature(coords, **props):
    base = {
        "id": "x",
        "name": "x",
        "kind": "site",
        "description": "",
        "source": "s",
        "source_url": "",
        "as_of": "2026-01-01",
        "valid_from": "",
        "valid_to": "",
        "legal_basis": "",
        "status": "approximate",
        "precision_m": 10,
    }
    base.update(props)
    return {
        "type": "Feature",
        "properties": base,
        "geometry": {"type": "Point", "coordinates": coords},
    }


def test_json_but_not_geojson(tmp_path):
    path = _write(tmp_path, {"hello": "world"})
    with pytest.raises(LayerError, match="expected a FeatureCollection, got None"):
        regionmap.read_layer(path)


def test_projected_coordinates_without_crs_are_refused(tmp_path):
    path = _write(
        tmp_path, {"type": "FeatureCollection", "features": [_feature([3689000, 4350000])]}
    )
    (problem,) = regionmap.read_layer(path).problems
    assert (
        "not longitude/latitude" in problem.message and "declare the layer's CRS" in problem.message
    )


def test_declared_crs_is_reprojected(tmp_path):
    from pyproj import Transformer

    x, y = Transformer.from_crs(4326, 3857, always_xy=True).transform(33.5418, 36.1442)
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
        "features": [_feature([x, y])],
    }
    result = regionmap.read_layer(_write(tmp_path, doc))
    assert result.ok
    point = result.frame.geometry[0]
    assert (point.x, point.y) == pytest.approx((33.5418, 36.1442), abs=1e-6)


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"as_of": "2020-13-45"}, "as_of '2020-13-45' is not a date"),
        ({"kind": "blob"}, "kind 'blob' is not one of"),
        ({"status": "maybe"}, "status 'maybe' is not one of"),
        ({"precision_m": "far"}, "precision_m must be a number"),
        ({"valid_from": "2021-01-01", "valid_to": "2020-01-01"}, "valid_to is before valid_from"),
        ({"name": ""}, "property 'name' is empty"),
    ],
)
def test_property_contract(tmp_path, props, message):
    path = _write(
        tmp_path, {"type": "FeatureCollection", "features": [_feature([13.2, 32.9], **props)]}
    )
    (problem,) = regionmap.read_layer(path).problems
    assert message in problem.message


def test_duplicate_ids_and_null_geometry(tmp_path):
    null = {**_feature([0, 0], id="n"), "geometry": None}
    doc = {
        "type": "FeatureCollection",
        "features": [_feature([13.2, 32.9]), _feature([13.3, 32.9]), null],
    }
    problems = regionmap.read_layer(_write(tmp_path, doc)).problems
    assert [p.message for p in problems] == ["no geometry", "duplicate id 'x'"]


def test_missing_file():
    with pytest.raises(LayerError, match="file not found"):
        regionmap.read_layer(DATA / "nope.geojson")
