"""Report-grade maps (issue 16, items 2, 3, 6, 7) on the Lachin view: the Lachin corridor
theatre at zoom 10, 1 January 2020 – today. Halos stay legible, the 2020 and 2022 routes
carry their periods, framing comes from the command line, and the browser PNG's legend
lies inside the image."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from html import unescape

import numpy as np
import pytest
from matplotlib.collections import PatchCollection

import regionmap
from regionmap._export import SnapshotOptions, html_snapshot
from regionmap._plan import MapPlan
from regionmap._symbology import HALO_MAX_SHARE, HALO_RADIUS_M, halo_share
from regionmap.cli import main

from .conftest import ROOT

PERIODS = ("Nov 2020 – Aug 2022", "Aug 2022 – Sep 2023")  # the 2020 route, the 2022 bypass


@pytest.fixture(scope="module")
def dataset():
    return regionmap.load_dataset(ROOT / "geodata")


@pytest.fixture(scope="module")
def lachin(dataset):
    spec = regionmap.ViewSpec.default(dataset.catalog).replace(start=dt.date(2020, 1, 1), end=None)
    return regionmap.frame_view(spec, dataset.catalog, theatre="lachin", zoom=10)


# ---------------------------------------------------------------- framing (item 6)


def test_a_theatre_frames_its_box_and_a_zoom_replaces_the_fitted_one(dataset, lachin):
    west, south, east, north = dataset.catalog.theatre("lachin").bbox
    lat, lon = lachin.center
    assert south < lat < north and west < lon < east and lachin.zoom == 10
    fitted = regionmap.frame_view(lachin.replace(center=None, zoom=None), dataset.catalog,
                                  theatre="lachin")  # fmt: skip
    assert fitted.center == lachin.center and fitted.zoom == 9  # 1.7° wide: 619 px at zoom 9


@pytest.mark.parametrize(
    ("framing", "problem"),
    [
        ({"theatre": "kars", "bbox": (40, 39, 44, 42)}, "one way"),
        ({"center": (39.7, 46.6)}, "needs --zoom"),
        ({"theatre": "atlantis"}, "unknown theatre 'atlantis'"),
        ({"bbox": (47, 39, 46, 40)}, "west 47.0 must be less than east 46.0"),
        ({"center": (95, 46), "zoom": 9}, "LAT,LON"),
        ({"zoom": 30}, "zoom must be 1..18"),
    ],
)
def test_a_framing_the_options_cannot_give_says_why(dataset, framing, problem):
    spec = regionmap.ViewSpec.default(dataset.catalog)
    with pytest.raises(regionmap.ViewError, match=re.escape(problem)):
        regionmap.frame_view(spec, dataset.catalog, **framing)


def test_snapshot_frames_from_the_command_line(tmp_path, capsys):
    out = tmp_path / "lachin.svg"
    code = main(["snapshot", "--out", str(out), "--theatre", "lachin", "--zoom", "10",
                 "--from", "2020-01-01", "--geodata", str(ROOT / "geodata")])  # fmt: skip
    assert code == 0
    view = regionmap.read_view(out.read_bytes(), out.name)
    assert view.zoom == 10 and view.center == (39.7026, 46.65)
    out = tmp_path / "box.svg"
    geodata = ["--geodata", str(ROOT / "geodata")]
    assert main(["snapshot", "--out", str(out), "--bbox", "46.2,39.4,47.0,40.0", *geodata]) == 0
    view = regionmap.read_view(out.read_bytes(), out.name)
    assert (view.center, view.zoom) == ((39.7007, 46.6), 10)  # 0.8° wide: 582 px at zoom 10
    assert (
        main(["snapshot", "--out", str(tmp_path / "c.svg"), "--center", "39.7,46.6", *geodata]) == 2
    )
    assert "--center needs --zoom" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["snapshot", "--out", "x.svg", "--theatre", "kars", "--center", "40,43"])
    assert exc.value.code == 2


def test_a_wide_theatre_is_framed_for_the_pages_shape(tmp_path):
    """Syria's box is 7.1° by 2.8°: fitted to a square it got zoom 6 and the snapshot
    showed Libya to Iran; fitted to the 1600 × 1000 page's shape it gets zoom 7.5 (in
    the web map's quarter steps), and a tall page still gets the square's fit."""
    geodata = ["--geodata", str(ROOT / "geodata")]
    zooms = []
    for size in ("1600x1000", "800x1000"):
        out = tmp_path / f"syria-{size}.svg"
        args = ["snapshot", "--out", str(out), "--theatre", "syria", "--size", size, *geodata]
        assert main(args) == 0
        zooms.append(regionmap.read_view(out.read_bytes(), out.name).zoom)
    assert zooms == [7.5, 6.75]


def test_zooms_go_in_the_web_maps_quarter_steps(tmp_path):
    """Whole zooms framed the Black Sea theatre at 5, a third of the map's width to
    spare; in quarter steps (the web map's zoomSnap) it is 5.75. A fractional zoom keeps
    through the URL and the embedded view; a whole one stays a whole number."""
    catalog = regionmap.load_catalog(ROOT / "geodata")
    assert regionmap.fit_view(catalog.theatre("blacksea").bbox, 992, 620)[1] == 5.75
    assert regionmap.zoom_value("6.3") == 6.25 and regionmap.zoom_value(5.0) == 5
    assert isinstance(regionmap.zoom_value(5.0), int)
    for bad in ("nan", "inf", "six"):
        with pytest.raises(ValueError):
            regionmap.zoom_value(bad)
    spec = regionmap.ViewSpec(layers=("lachin-corridor",), center=(39.7, 46.6), zoom=9.75)
    assert spec.to_query(catalog)["z"] == "9.75"
    back, warnings = regionmap.ViewSpec.from_query(spec.to_query(catalog), catalog)
    assert (back.zoom, warnings) == (9.75, [])
    assert regionmap.ViewSpec.from_json(spec.to_json()).zoom == 9.75
    assert regionmap.ViewSpec(layers=(), center=(39.7, 46.6), zoom=9).to_query(catalog)["z"] == "9"
    out = tmp_path / "blacksea.svg"
    assert main(["snapshot", "--out", str(out), "--theatre", "blacksea", "--zoom", "6.5",
                 "--geodata", str(ROOT / "geodata")]) == 0  # fmt: skip
    assert regionmap.read_view(out.read_bytes(), out.name).zoom == 6.5


def test_the_offline_web_map_greys_the_ground_beyond_its_basemap(dataset, tmp_path):
    """Offline the land lies on the sea's colour, and beyond the region the basemap is
    clipped to the ground is greyed and edged, so Moscow does not float on a grey sea."""
    html = regionmap.snapshot_bytes(regionmap.ViewSpec.default(dataset.catalog), dataset, "html")
    page = html.decode()
    assert '"sea": "#e4edf3"' in page and '"outside": "#d6d6d6"' in page
    assert '"region": [9.0, 25.0, 52.0, 53.0]' in page and "rm-outside" in page


# ---------------------------------------------------------------- halos (item 2)


def _halo_total(plan: MapPlan, radius: int = 15_000) -> float:
    """The share of the plan's map that the distinct ``radius`` halos near its centre
    would cover, counted here from the markers within a radius of the view's ground."""
    lat, lon = plan.spec.center
    width, height = regionmap.view_size_m(plan.spec, plan.bounds)
    m_lon = 111_320 * math.cos(math.radians(lat))
    places = {
        (round(e.longitude, 4), round(e.latitude, 4))
        for e in plan.markers.itertuples()
        if plan.halo_m(e.geo_precision) == radius or plan.approximate_m(e.geo_precision) == radius
        if abs(e.longitude - lon) * m_lon <= width / 2 + radius
        and abs(e.latitude - lat) * 110_574 <= height / 2 + radius
    }
    return len(places) * halo_share(radius, (width, height))


def test_the_plan_draws_no_halo_over_a_quarter_of_the_map(dataset, lachin):
    assert HALO_MAX_SHARE <= 0.25  # the ceiling
    plan = MapPlan.from_view(lachin, dataset)
    assert plan.halos == {} and plan.approximate == {2: 15_000, 3: 60_000}
    rows = {r.kind: r.label for r in plan.legend()}
    assert "halo" not in rows and rows["approximate"].startswith("approximate place (± 15 / 60 km)")
    # a step out, at zoom 9, each 15 km halo takes under 1/20 of the map, but the three
    # places near the corridor together take more: they would bury it, so none is drawn
    plan = MapPlan.from_view(lachin.replace(zoom=9), dataset)
    assert plan.halos == {} and _halo_total(plan) > HALO_MAX_SHARE
    # at zoom 8 the 15 km halos together fit and are drawn; the 60 km ones would not
    wider = lachin.replace(zoom=8)
    plan = MapPlan.from_view(wider, dataset)
    assert plan.halos == {2: 15_000} and plan.approximate == {3: 60_000}
    assert 0 < _halo_total(plan) <= HALO_MAX_SHARE
    rows = {r.kind: r.label for r in plan.legend()}
    assert rows["halo"] == "imprecise place (15 km halo)"
    assert rows["approximate"].startswith("approximate place (± 60 km)")
    # at region scale both halos are small: both drawn, no approximate row
    region = MapPlan.from_view(lachin.replace(center=None, zoom=None), dataset)
    assert region.halos == HALO_RADIUS_M and not region.approximate


def test_the_web_map_draws_the_plans_halos_and_approximate_icons(dataset, lachin):
    view_spec = lachin.replace(zoom=9)  # on a wide screen the 15 km halos fit, 60 km do not
    fmap = regionmap.render_map(view_spec, dataset, size_px=(1600, 860))
    layer = next(c for c in fmap._children.values() if type(c).__name__ == "EventLayer")
    plan = MapPlan.from_view(view_spec, dataset, size_px=(1600, 860))
    assert plan.halos == {2: 15_000} and plan.approximate == {3: 60_000}
    by_id = plan.markers.set_index("event_id")["geo_precision"].astype(int)
    view = regionmap.view_size_m(view_spec, plan.bounds, (1600, 860))
    for event in layer.events:
        precision = by_id[unescape(event["eid"])]
        share = halo_share(event["halo"], view)
        assert share <= HALO_MAX_SHARE, (event["eid"], share)
        assert event["halo"] == (15_000 if precision == 2 else 0)
        assert ("± 60 km" in layer.icons[event["icon"]]) == (precision == 3)


@pytest.mark.parametrize("size", [(1600, 1000), (700, 1100)])  # landscape, portrait page
def test_the_print_map_draws_no_halo_over_a_quarter_of_its_extent(
    dataset, lachin, monkeypatch, size
):
    from regionmap.plot import _render

    drawn = []
    finish = _render.finish_map
    monkeypatch.setattr(_render, "finish_map", lambda ax, *a: (drawn.append(ax), finish(ax, *a)))
    wider = lachin.replace(zoom=8)  # at 10 every halo is drawn approximate (a twentieth)
    svg = regionmap.snapshot_bytes(wider, dataset, "svg", SnapshotOptions(size=size)).decode()
    (ax,) = drawn
    (west, east), (south, north) = ax.get_xlim(), ax.get_ylim()
    # halos lie beneath the layers (zorder 3 and up), so they never hide the corridor
    halos = [c for c in ax.collections if isinstance(c, PatchCollection) and c.zorder == 2.5]
    sizes = [np.ptp(p.vertices, axis=0) for c in halos for p in c.get_paths()]
    assert sizes  # the 15 km halos are drawn ...
    for width, height in sizes:
        share = math.pi / 4 * width * height / ((east - west) * (north - south))
        assert share <= HALO_MAX_SHARE, share
    assert "± 60 km" in svg  # ... the 60 km places are drawn approximate


# ---------------------------------------------------------------- dated variants (item 3)


def test_the_2020_and_2022_routes_carry_their_periods_and_differ(dataset, lachin):
    plan = MapPlan.from_view(lachin, dataset)
    (corridor,) = [p for p in plan.layers if p.layer.id == "lachin-corridor"]
    by_id = {f.record["id"]: f for f in corridor.features}
    old, new = by_id["lachin-corridor-2020"], by_id["lachin-corridor-2022"]
    assert (old.period, new.period) == PERIODS and old.older and not new.older
    assert old.look != new.look and old.look.dash and not new.look.dash
    labels = [v.text for v in plan.variant_labels() if v.layer_id == "lachin-corridor"]
    assert sorted(labels) == sorted(PERIODS)
    variants = [r for r in plan.legend() if r.kind == "variant"]
    assert [r.label for r in variants] == [f"{corridor.layer.title}: {p}" for p in PERIODS]
    # places (points) with their own dates, and zones that coexist, are not variants
    assert not any(f.period for p in plan.layers if p.layer.id != "lachin-corridor"
                   for f in p.features)  # fmt: skip


def test_at_region_scale_the_legend_alone_tells_the_periods(dataset, lachin):
    plan = MapPlan.from_view(lachin.replace(center=None, zoom=None), dataset)
    assert not plan.variant_labels()  # the corridor is a few pixels long
    assert [r.label.split(": ")[1] for r in plan.legend() if r.kind == "variant"] == list(PERIODS)


def test_one_period_in_the_window_is_no_variant(dataset, lachin):
    plan = MapPlan.from_view(lachin.replace(start=dt.date(2024, 1, 1)), dataset)
    assert not plan.variant_labels() and not any(r.kind == "variant" for r in plan.legend())


def test_svg_and_html_exports_carry_both_periods(dataset, lachin):
    svg = regionmap.snapshot_bytes(lachin, dataset, "svg").decode()
    page = html_snapshot(lachin, dataset, SnapshotOptions())
    for period in PERIODS:
        assert svg.count(period) >= 2, period  # on the map and in the legend
        # the page's data travels as JSON (non-ASCII escaped): on the map and in the legend
        assert page.count(json.dumps(period)[1:-1]) >= 2, period
        assert json.dumps(f"Lachin corridor (5 km): {period}")[1:-1] in page


# ---------------------------------------------------------------- the browser PNG (item 7)


@pytest.mark.parametrize("size", [(1600, 1000), (900, 600)])
def test_the_exported_pages_legend_lies_inside_the_image(browser, dataset, lachin, tmp_path, size):
    """The page the browser PNG is taken of, at the PNG's size: a title block on top, the
    legend's box inside the map (so inside the image), every layer named."""
    path = tmp_path / "lachin.html"
    regionmap.snapshot(lachin, dataset, path, options=SnapshotOptions(size=size))
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, offline=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_function("document.body.getAttribute('data-regionmap-ready') === '1'")
    box = page.locator("[data-testid=rm-legend]").bounding_box()
    mapbox = page.locator(".folium-map").bounding_box()
    title = page.locator("[data-testid=rm-title]").bounding_box()
    legend_text = page.locator("[data-testid=rm-legend]").inner_text()
    fitted = page.locator("[data-testid=rm-legend]").get_attribute("data-fitted")
    font = page.locator("#rm-title h1").evaluate("h => getComputedStyle(h).fontFamily")
    context.close()
    assert not errors, errors
    assert fitted == "ok"
    assert box["x"] >= 0 and box["x"] + box["width"] <= size[0]
    assert box["y"] >= 0 and box["y"] + box["height"] <= size[1]
    assert mapbox["y"] <= box["y"] and box["y"] + box["height"] <= mapbox["y"] + mapbox["height"]
    assert title["y"] == 0 and title["y"] + title["height"] <= mapbox["y"] + 1
    assert "serif" not in font.replace("sans-serif", "")
    for name in ("Lachin corridor (5 km)", *PERIODS):
        assert name in legend_text, name
    # rows of layers drawing nothing in view are hidden, as the print legend leaves them
    for name in ("Treaty borders (Moscow and Kars, 1921)", "Sirte–Jufra line", "Libya"):
        assert name not in legend_text, name


def test_the_print_legend_names_only_what_the_map_draws(dataset, lachin):
    """At zoom 9 on the corridor the print legend explains the Lachin layers
    in view and leaves out Libya's, Syria's, Akkuyu's and the Black Sea's; the region's
    map keeps them all."""
    from regionmap.plot._extent import map_extent

    plan = MapPlan.from_view(lachin.replace(zoom=9), dataset)
    extent = map_extent(plan.spec, dataset, 1.0)
    near = {r.label for r in plan.legend(extent=extent) if r.kind in ("theatre", "layer")}
    assert {"Lachin corridor", "Lachin corridor (5 km)"} <= near
    assert not near & {"Libya", "Sirte–Jufra line", "Akkuyu", "Black Sea and Ukraine"}
    # event types only drawn off the map are not keyed either
    from regionmap.plot._extent import off_map

    events = dataset.visible_events(plan.spec)
    full = MapPlan.from_view(plan.spec, dataset, events=events)
    off = off_map(full.events, extent)
    keyed = {r.label for r in full.legend(off, extent) if r.kind == "event_type"}
    drawn = set(full.events.loc[~off, "event_type"].astype(str))
    assert keyed == drawn and len(keyed) < len(full.event_types)
    whole = {r.label for r in plan.legend() if r.kind == "theatre"}
    assert {"Libya", "Akkuyu", "Black Sea and Ukraine"} <= whole
    svg = regionmap.snapshot_bytes(lachin.replace(zoom=9), dataset, "svg").decode()
    assert "Sirte–Jufra line" not in svg.split("Layers:")[0] and "Lachin corridor (5 km)" in svg


HALO_SHARES = """() => {
  const m = document.querySelector('.folium-map').getBoundingClientRect();
  return [...document.querySelectorAll('path.rm-halo')]
    .filter(p => getComputedStyle(p).strokeOpacity !== '0')
    .map(p => p.getBoundingClientRect())
    .filter(b => b.width > 0 && b.right > m.left && b.left < m.right && b.bottom > m.top
                 && b.top < m.bottom)
    .filter((b, i, all) => all.findIndex(o => Math.round(o.x) === Math.round(b.x)
                 && Math.round(o.y) === Math.round(b.y)) === i)  // stacked discs: one
    .map(b => {
                return Math.PI / 4 * b.width * b.height / (m.width * m.height); });
}"""


def test_no_halo_in_the_browser_covers_a_quarter_of_the_map_even_zoomed_in(
    browser, dataset, lachin, tmp_path
):
    """The exported page of the whole region (15 and 60 km halos both drawn), then zoomed
    in on the Lachin corridor in the browser: the halos still shown in view together
    cover at most `HALO_MAX_SHARE` of the map, and none at zoom 10, where they would bury
    the corridor."""
    path = tmp_path / "region.html"
    regionmap.snapshot(lachin.replace(center=None, zoom=None), dataset, path)
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, offline=True)
    page = context.new_page()
    page.goto(path.as_uri())
    page.wait_for_function("document.body.getAttribute('data-regionmap-ready') === '1'")
    shown = {}
    for zoom in (None, 8, 10):
        if zoom is not None:
            page.evaluate(
                "z => window[Object.keys(window).find(k => k.startsWith('map_'))]"
                ".setView([39.7026, 46.65], z)",
                zoom,
            )
            page.wait_for_timeout(300)
        shown[zoom] = page.evaluate(HALO_SHARES)
    context.close()
    assert len(shown[None]) > len(shown[8]) > 0 and shown[10] == [], shown
    assert sum(shown[8]) <= HALO_MAX_SHARE, shown[8]
    assert max(shown[None]) <= HALO_MAX_SHARE
