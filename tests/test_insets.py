"""Insets: a locator on a close print map, detail maps for theatres too small at region scale."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from matplotlib.patches import FancyBboxPatch
from shapely.geometry import LineString, Point, box

import regionmap
from regionmap._atlas import atlas_pages
from regionmap._insets import DETAIL_MIN_PX, LOCATOR_TITLE, feature_size_m
from regionmap._plan import MapPlan
from regionmap.plot._insets import MIN_MAP_PX, MIN_VIEW_PX
from regionmap.plot._render import _draw, _page

from .conftest import ROOT

SIZES = [(1600, 1000), (1169, 827), (800, 1100), (600, 400)]


@pytest.fixture(scope="module")
def dataset():
    return regionmap.load_dataset(ROOT / "geodata")


def lachin(dataset) -> regionmap.ViewSpec:
    """The issue's view: the Lachin corridor at zoom 10, 1 January 2020 – today."""
    base = regionmap.ViewSpec.default(dataset.catalog)
    return base.replace(center=(39.65, 46.55), zoom=10, start=dt.date(2020, 1, 1), end=None)


def drawn(spec, dataset, size=(1600, 1000)):
    fig = _draw(spec, dataset, _page(size, "png"), 100, None, None)
    fig.canvas.draw()
    return fig


def insets_of(fig, kind: str) -> list:
    return [ax for ax in fig.axes if ax.get_gid() == f"rm-inset-{kind}"]


def test_a_strip_reads_by_its_width_a_line_by_its_length_a_point_not_at_all():
    strip = box(46.0, 39.0, 46.06, 39.5)  # about 5 km wide, 55 km long at 39°N
    assert feature_size_m(strip) == pytest.approx(
        2 * 5.2e3 * 55.3e3 / (2 * (5.2e3 + 55.3e3)), rel=0.05
    )
    assert feature_size_m(LineString([(30, 40), (32, 40)])) == pytest.approx(170.6e3, rel=0.01)
    assert feature_size_m(LineString()) is None
    assert feature_size_m(Point(33.5, 36.1)) is None


def test_the_lachin_view_has_a_locator_whose_box_holds_the_view(dataset):
    plan = MapPlan.from_view(lachin(dataset), dataset)
    assert [i.kind for i in plan.insets] == ["locator"]
    locator = plan.insets[0]
    assert locator.bbox == dataset.catalog.region_bbox
    west, south, east, north = locator.mark
    assert west < 46.55 < east and south < 39.65 < north
    assert east - west < 1.5  # the view's box, not the region's


def test_the_print_map_draws_the_locator_with_a_red_box_around_its_extent(dataset):
    fig = drawn(lachin(dataset), dataset)
    (sub,) = insets_of(fig, "locator")
    (red,) = [p for p in sub.patches if p.get_gid() == "rm-inset-view"]
    main = fig.axes[0]
    (x0, x1), (y0, y1) = main.get_xlim(), main.get_ylim()
    rx, ry, rw, rh = red.get_x(), red.get_y(), red.get_width(), red.get_height()
    assert rx <= x0 and rx + rw >= x1 and ry <= y0 and ry + rh >= y1
    assert rx < 46.55 < rx + rw and ry < 39.65 < ry + rh
    (sx0, sx1), (sy0, sy1) = sub.get_xlim(), sub.get_ylim()
    assert sx0 <= rx and rx + rw <= sx1 and sy0 <= ry and ry + rh <= sy1  # seen whole
    shown = red.get_window_extent(fig.canvas.get_renderer())  # the view is 4 px on it
    assert min(shown.width, shown.height) >= MIN_VIEW_PX - 0.5  # grown to be seen
    assert insets_of(fig, "detail") == []


def test_the_region_view_details_lachin_and_syria_but_not_akkuyu(dataset):
    plan = MapPlan.from_view(regionmap.ViewSpec.default(dataset.catalog), dataset)
    details = {i.theatre: i for i in plan.insets if i.kind == "detail"}
    assert not [i for i in plan.insets if i.kind == "locator"]
    # the 5 km corridor and the 9 km patrol strips; Akkuyu is points (markers stay
    # legible), Kars, Libya and the Black Sea are lines 150-600 km long
    assert set(details) == {"lachin", "syria"}
    assert details["lachin"].title == "Lachin corridor"
    west, south, east, north = details["lachin"].bbox
    assert west < 46.55 < east and south < 39.65 < north
    assert east - west < 1.0  # the corridor's box, not the whole theatre's


def test_a_closer_region_view_needs_no_detail_inset(dataset):
    """At zoom 8 over the corridor's country the corridor is wider than DETAIL_MIN_PX."""
    spec = regionmap.ViewSpec.default(dataset.catalog).replace(center=(39.9, 46.3), zoom=8)
    plan = MapPlan.from_view(spec, dataset)
    assert DETAIL_MIN_PX > 0 and [i.kind for i in plan.insets] == ["locator"]


def test_each_detail_inset_shows_its_theatres_layers_and_a_leader_box(dataset):
    fig = drawn(regionmap.ViewSpec.default(dataset.catalog), dataset)
    subs = insets_of(fig, "detail")
    titles = sorted(t.get_text() for sub in subs for t in sub.texts)
    assert titles == ["Lachin corridor", "Northeast Syria patrol zones"]
    assert all(sub.collections for sub in subs)  # basemap and the theatre's layers
    leaders = [p for p in fig.axes[0].patches if p.get_gid() == "rm-inset-leader"]
    assert len(leaders) == 2


def _extent(artist, renderer):
    return artist.get_window_extent(renderer)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("view", ["region", "lachin"])
def test_insets_never_cover_the_legend_the_scale_bar_or_the_title(dataset, size, view):
    spec = lachin(dataset) if view == "lachin" else regionmap.ViewSpec.default(dataset.catalog)
    fig = drawn(spec, dataset, size)
    renderer = fig.canvas.get_renderer()
    main = fig.axes[0]
    subs = insets_of(fig, "locator") + insets_of(fig, "detail")
    frame = _extent(main, renderer)
    assert subs or frame.width < MIN_MAP_PX, "no inset drawn"
    legend = _extent(fig.legends[0], renderer)
    (bar,) = [p for p in main.patches if isinstance(p, FancyBboxPatch)]
    furniture = [legend, _extent(bar, renderer), _extent(fig.texts[0], renderer)]
    boxes = [_extent(sub, renderer) for sub in subs]
    for i, inset in enumerate(boxes):
        assert frame.x0 <= inset.x0 and inset.x1 <= frame.x1
        assert frame.y0 <= inset.y0 and inset.y1 <= frame.y1
        assert not any(inset.overlaps(other) for other in furniture)
        assert not any(inset.overlaps(other) for other in boxes[i + 1 :])


def test_the_svg_names_each_inset(dataset):
    svg = regionmap.snapshot_bytes(regionmap.ViewSpec.default(dataset.catalog), dataset, "svg")
    text = svg.decode("utf-8")
    titles = re.findall(r'<g id="rm-inset-title[^"]*">.*?<!-- (.*?) -->', text, re.S)
    assert sorted(titles) == ["Lachin corridor", "Northeast Syria patrol zones"]
    close = regionmap.snapshot_bytes(lachin(dataset), dataset, "svg").decode("utf-8")
    assert re.findall(r'<g id="rm-inset-title[^"]*">.*?<!-- (.*?) -->', close, re.S) == [
        LOCATOR_TITLE
    ]


def test_the_atlas_theatre_pages_carry_locators(dataset):
    pages = atlas_pages(dataset)
    kinds = {p.title: [i.kind for i in MapPlan.from_view(p.spec, dataset).insets] for p in pages}
    assert kinds["Lachin corridor"] == ["locator"]
    assert kinds["Akkuyu"] == ["locator"]
    assert "detail" in kinds[pages[0].title]  # the overview details the small theatres
