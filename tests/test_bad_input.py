"""Hostile and broken input: a precise RegionmapError or listed problem, never a crash."""

from __future__ import annotations

import contextlib
import json
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import regionmap
from regionmap._errors import RegionmapError

from .conftest import DATA

BAD = DATA / "bad"
LOADS = None
EXPECTED = {
    "not_json.geojson": "not JSON",
    "json_not_geojson.geojson": "expected a FeatureCollection, got None",
    "json_array.geojson": "got 'list'",
    "feature_without_geometry.geojson": "no geometry",
    "null_coordinates.geojson": "no coordinates (null)",
    "empty_coordinates.geojson": "empty position",
    "nan_coordinates.geojson": "coordinates contain NaN",
    "string_coordinates.geojson": "holds something other than numbers",
    "unclosed_ring.geojson": "ring 1 is not closed",
    "self_intersecting.geojson": "Self-intersection",
    "swapped_latlon.geojson": "latitude and longitude swapped",
    "projected_no_crs.geojson": "not longitude/latitude",
    "unknown_crs.geojson": "unknown crs",
    "three_d.geojson": LOADS,
    "four_numbers_position.geojson": "position has 4 numbers",
    "geometry_collection.geojson": "GeometryCollection is not supported",
    "unknown_geometry_type.geojson": "unknown geometry type 'Circle'",
    "duplicate_ids.geojson": "duplicate id 'x1'",
    "empty_file.geojson": "file is empty",
    "not_utf8.geojson": "not UTF-8 text",
    "events_bom.csv": LOADS,
    "events_semicolon.csv": LOADS,
    "events_newlines_quotes.csv": LOADS,
    "events_header_only.csv": LOADS,
    "events_latin1.csv": "not UTF-8 text (byte 194 is 0xc7)",
    "events_binary.csv": "not UTF-8 text",
    "events_missing_columns.csv": "missing required columns",
    "events_bad_dates.csv": "is not a real date",
    "events_ragged_rows.csv": "line 3: expected 13 fields, got 5",
    "events_unclosed_quote.csv": "line 3: expected 13 fields",
}


def outcome(path, catalog) -> list[str]:
    """Messages for a file: the error's, or the problems listed while loading."""
    try:
        if path.suffix == ".csv":
            result = regionmap.read_events(path, catalog)
        else:
            result = regionmap.read_layer(path, catalog.region_bbox, confine=False)
    except RegionmapError as exc:
        assert str(path) in str(exc)  # the message names the file
        return [str(exc)]
    return [str(p) for p in result.problems]


def test_every_corpus_file_is_described():
    files = {p.name for p in BAD.iterdir() if p.name != "README.md"}
    assert files == set(EXPECTED)
    readme = (BAD / "README.md").read_text()
    for name in files:
        assert f"`{name}`" in readme, name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_entry(name, catalog):
    messages = outcome(BAD / name, catalog)
    if EXPECTED[name] is LOADS:
        assert messages == []
    else:
        assert messages, f"{name} loaded without a word"
        assert any(EXPECTED[name] in m for m in messages), messages


def test_bad_dates_name_their_lines(catalog):
    messages = outcome(BAD / "events_bad_dates.csv", catalog)
    assert [m.split(": ")[1] for m in messages] == [
        "line 3, column event_date",
        "line 4, column event_date",
        "line 5, column event_date",
    ]


def test_three_d_drops_elevation(catalog):
    result = regionmap.read_layer(BAD / "three_d.geojson", catalog.region_bbox, confine=False)
    assert not result.frame.geometry.iloc[0].has_z


def test_a_100_mb_layer_is_refused_quickly(tmp_path):
    big = tmp_path / "big.geojson"
    with open(big, "wb") as f:
        f.truncate(100 * 1024 * 1024)  # sparse: no 100 MB written to disk
    with pytest.raises(
        regionmap.LayerError, match=r"big.geojson: file is 105 MB; the limit is 50 MB"
    ):
        regionmap.read_layer(big)


def test_a_million_columns_header_is_refused(tmp_path, catalog):
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(10**6)) + "\n1\n")
    with pytest.raises(regionmap.EventError, match="header has 1000000 columns; at most 1000"):
        regionmap.read_events(wide, catalog)


# ---------------------------------------------------------------- property-based

numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**12), 10**12),
    st.just(None),
    st.text(max_size=5),
)
positions = st.lists(numbers, max_size=5)
coordinates = st.recursive(positions, lambda inner: st.lists(inner, max_size=4), max_leaves=20)
geometries = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(
                ["Point", "LineString", "Polygon", "MultiPolygon", "MultiPoint", "Blob"]
            ),
            "coordinates": coordinates,
        }
    ),
    st.dictionaries(st.text(max_size=4), numbers, max_size=3),
)
properties = st.one_of(
    st.none(),
    st.dictionaries(
        st.sampled_from(["id", "name", "kind", "source", "as_of", "status", "precision_m", "x"]),
        numbers,
        max_size=8,
    ),
)
features = st.one_of(
    st.fixed_dictionaries(
        {"type": st.just("Feature"), "geometry": geometries, "properties": properties}
    ),
    numbers,
)
documents = st.one_of(
    st.fixed_dictionaries(
        {"type": st.just("FeatureCollection"), "features": st.lists(features, max_size=6)}
    ),
    st.dictionaries(st.text(max_size=5), numbers, max_size=3),
    st.lists(numbers, max_size=3),
)
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(doc=documents)
def test_random_geojson_like_input_raises_only_regionmap_errors(tmp_path, doc):
    path = tmp_path / "random.geojson"
    path.write_text(json.dumps(doc, allow_nan=True))
    # any exception but a RegionmapError fails the test
    with contextlib.suppress(RegionmapError):
        result = regionmap.read_layer(path, (9, 25, 52, 47))
        assert result.frame.crs.to_epsg() == 4326


cells = st.text(alphabet=string.printable + "ÇşğİüÖ\"'", max_size=12)


@SETTINGS
@given(
    header=st.lists(
        st.sampled_from(
            [
                "event_id",
                "event_date",
                "date_start",
                "date_end",
                "latitude",
                "longitude",
                "event_type",
                "source",
                "theatre",
                "title",
                "x",
            ]  # fmt: skip
        ),
        max_size=10,
    ),
    rows=st.lists(st.lists(cells, max_size=11), max_size=6),
    raw=st.binary(max_size=200),
    use_raw=st.booleans(),
)
def test_random_csv_like_input_raises_only_regionmap_errors(
    tmp_path, catalog, header, rows, raw, use_raw
):
    path = tmp_path / "random.csv"
    if use_raw:
        path.write_bytes(raw)
    else:
        lines = [",".join(header)] + [",".join(r) for r in rows]
        path.write_text("\n".join(lines), encoding="utf-8")
    with contextlib.suppress(RegionmapError):
        result = regionmap.read_events(path, catalog)
        assert list(result.frame.columns[:3]) == ["event_id", "event_date", "date_start"]


def test_problems_keep_each_features_place_in_the_file(catalog, tmp_path):
    """A feature refused while reading (no geometry) does not renumber the ones after it:
    the bow-tie is the file's fourth feature, the point out of range its sixth."""
    point = {"type": "Point", "coordinates": [29.0, 41.0]}
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[28, 40], [29, 41], [29, 40], [28, 41], [28, 40]]],
    }
    geometries = [point, None, point, bowtie, None, {"type": "Point", "coordinates": [290.0, 41]}]
    features = [{"type": "Feature", "properties": {"name": f"f{i}"}, "geometry": g}
                for i, g in enumerate(geometries, start=1)]  # fmt: skip
    path = tmp_path / "numbered.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    result = regionmap.read_layer(path, catalog.region_bbox, contract=False, confine=False)
    said = [str(p) for p in result.problems]
    for n, what in ((2, "no geometry"), (4, "Self-intersection"), (5, "no geometry"),
                    (6, "coordinates out of range")):  # fmt: skip
        assert any(f"feature #{n}" in m and what in m for m in said), (n, said)
