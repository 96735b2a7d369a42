"""Geometry composition on tiny shapes whose answers are known."""

import pytest
import shapely

from regionmap import _compose as compose


def test_shared_border_of_two_adjacent_squares():
    a = shapely.box(0, 0, 1, 1)
    b = shapely.box(1, 0, 2, 1)
    line = compose.shared_border(a, b)
    assert line.geom_type == "LineString"
    assert sorted(line.coords) == [(1.0, 0.0), (1.0, 1.0)]


def test_shared_border_is_empty_for_separate_polygons():
    assert compose.shared_border(shapely.box(0, 0, 1, 1), shapely.box(3, 0, 4, 1)).is_empty


def test_one_degree_of_latitude_is_about_111_km():
    # 1 deg of meridian arc at 40-41N on WGS84 is 111.04 km
    assert compose.geodesic_length_km(shapely.LineString([(43, 40), (43, 41)])) == pytest.approx(
        111.04, abs=0.05
    )


def test_corridor_is_as_wide_as_asked():
    route = shapely.LineString([(46.0, 39.5), (46.3, 39.6), (46.6, 39.8)])
    band = compose.corridor(route, 5000)
    width_km = compose.geodesic_area_km2(band) / compose.geodesic_length_km(route)
    assert width_km == pytest.approx(5.0, rel=0.02)
    assert band.buffer(1e-7).covers(route)


def test_strip_along_keeps_depth_band_and_meridians():
    country = shapely.box(38.0, 36.0, 41.0, 37.0)  # border along lat 37
    border = shapely.LineString([(38.0, 37.0), (41.0, 37.0)])
    strip = compose.strip_along(border, country, 10_000, (39.0, 40.0))
    assert compose.max_distance_m(strip, border) == pytest.approx(10_000, rel=0.01)
    west, _, east, north = strip.bounds
    assert west == pytest.approx(39.0) and east == pytest.approx(40.0)
    assert north <= 37.0 + 1e-9


def test_strip_excludes_a_place():
    country = shapely.box(38.0, 36.0, 41.0, 37.0)
    border = shapely.LineString([(38.0, 37.0), (41.0, 37.0)])
    hole = compose.disc(39.5, 36.97, 3000)
    strip = compose.strip_along(border, country, 10_000, (39.0, 40.0), exclude=hole)
    assert not strip.contains(shapely.Point(39.5, 36.97))
    assert strip.contains(shapely.Point(39.2, 36.97))


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        (("2020-01-01", "2020-12-31"), True),
        (("2023-01-01", None), False),
        ((None, "2020-11-09"), False),
        (("2022-08-26", "2022-08-26"), True),
    ],
)
def test_in_window_edges(window, expected):
    assert compose.in_window("2020-11-10", "2022-08-26", *window) is expected


def test_simplify_keeps_neighbours_gap_free():
    import geopandas as gpd

    wiggle = [(1 + 0.001 * (i % 2), i / 100) for i in range(101)]
    left = shapely.Polygon([(0, 0), *wiggle, (0, 1)])
    right = shapely.Polygon([(2, 0), (2, 1), *reversed(wiggle)])
    frame = gpd.GeoDataFrame(geometry=[left, right], crs=4326)
    out = compose.simplify_for_display(frame, 0.01, digits=5)
    assert shapely.get_num_coordinates(out.geometry).sum() < 50
    gap = shapely.area(out.geometry.union_all()) - shapely.area(out.geometry.values).sum()
    assert abs(gap) < 1e-9
    assert shapely.intersection(out.geometry[0], out.geometry[1]).length > 0.99
