"""What a person sees and clicks: Playwright driving Debian's Chromium against the
dashboard on 127.0.0.1. Every test fails on any console error, page error, failed
request or HTTP error, not only on a missing element."""

from __future__ import annotations

import os
import re

import pytest

import regionmap

from .browser_support import ROOT, dashboard_server, require_browser

pytestmark = pytest.mark.browser
FRAME = "iframe[title='streamlit_folium.st_folium']"
THEATRE_LAYERS = [
    "kars-borders",
    "lachin-corridor",
    "syria-zones",
    "akkuyu-plant",
    "libya-front",
    "blacksea",
]


@pytest.fixture(scope="session")
def server():
    require_browser()
    with dashboard_server() as url:
        yield url


class Watch:
    """Everything that went wrong on a page."""

    def __init__(self, page) -> None:
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        page.on(
            "console",
            lambda m: (
                self.problems.append(f"console error: {m.text}") if m.type == "error" else None
            ),
        )
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("requestfailed", self._failed)
        page.on(
            "response",
            lambda r: (
                self.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None
            ),
        )
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def _failed(self, request) -> None:
        # Streamlit replaces the map's iframe when a rerun lands while it still loads: the
        # browser aborts the old load (its page, or a file it fetches from the app's own
        # static folder: the basemap, the drawing toolbar's icons). Nothing is missing from
        # the page (a missing file answers 404, which `response` records); anything else is.
        own = "/component/" in request.url or "/app/static/" in request.url
        if own and "ERR_ABORTED" in (request.failure or ""):
            return
        self.problems.append(f"failed: {request.url} {request.failure}")


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    pg = context.new_page()
    watch = Watch(pg)
    pg.watch = watch
    yield pg
    context.close()
    assert watch.problems == [], watch.problems
    assert watch.dialogs == [], watch.dialogs


def open_map(page, url: str):
    page.goto(url)
    frame = page.frame_locator(FRAME)
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=60_000)
    frame.locator("[data-testid=rm-legend]").wait_for(state="attached", timeout=30_000)
    return frame


def in_map(page, body: str, arg=None):
    """Run JavaScript inside the map's iframe; ``arg`` is passed as ``arg``."""
    locator = page.frame_locator(FRAME).locator("body")
    return locator.evaluate(f"(_, arg) => {{ {body} }}", arg, timeout=5_000)


def layer_paths(page, layer_id: str) -> int:
    return in_map(
        page, "return document.querySelectorAll('path.rm-layer-' + arg).length;", layer_id
    )


def event_count(page) -> int:
    return in_map(
        page,
        """let n = 0; for (const k of Object.keys(window)) {
             const v = window[k];
             if (v && window.L && L.MarkerClusterGroup && v instanceof L.MarkerClusterGroup) {
               n += v.getLayers().length; } }
           return n;""",
    )


def open_group(page, theatre_title: str) -> None:
    """Unfold a theatre's group of layers in the sidebar (they start folded)."""
    sidebar = page.get_by_test_id("stSidebarUserContent")
    sidebar.get_by_text(theatre_title, exact=True).click()
    page.wait_for_timeout(300)


def wait_until(page, predicate, timeout_s: float = 30.0) -> None:
    import time

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except Exception:  # the iframe is being replaced; try again
            pass
        page.wait_for_timeout(200)
    raise AssertionError("condition not met in time")


def test_page_loads_and_draws_all_six_theatres(page, server):
    open_map(page, server)
    for layer_id in THEATRE_LAYERS:
        wait_until(page, lambda layer_id=layer_id: layer_paths(page, layer_id) > 0)
    assert event_count(page) > 20
    if os.environ.get("REGIONMAP_UPDATE_SCREENSHOT") == "1":
        page.wait_for_timeout(1500)
        page.screenshot(path=str(ROOT / "docs" / "dashboard.png"))


def test_toggling_a_layer_in_the_sidebar_changes_the_drawn_paths(page, server):
    open_map(page, server)
    wait_until(page, lambda: layer_paths(page, "kars-borders") == 3)
    open_group(page, "Kars borders")
    page.get_by_text("Treaty borders (Moscow and Kars, 1921)").click()
    # while the map is being replaced every count is briefly 0: wait for the new map
    wait_until(
        page,
        lambda: layer_paths(page, "kars-borders") == 0 and layer_paths(page, "akkuyu-plant") > 0,
    )
    wait_until(page, lambda: "layers=" in page.url)  # the share URL follows
    page.get_by_text("Treaty borders (Moscow and Kars, 1921)").click()
    wait_until(page, lambda: layer_paths(page, "kars-borders") == 3)


def test_moving_the_date_range_changes_the_markers(page, server, events):
    open_map(page, server)
    wait_until(page, lambda: event_count(page) == len(events.frame))  # the first view: all
    page.get_by_role("button", name="Article").click()
    article = (events.frame["start"] <= "2021-03-23").sum()
    wait_until(page, lambda: event_count(page) == article)
    wait_until(page, lambda: "to=2021-03-23" in page.url)
    before = event_count(page)
    thumb = page.get_by_role("slider").last
    thumb.focus()
    thumb.press("End")  # the end of the window to the last day: every event
    wait_until(page, lambda: event_count(page) == len(events.frame))
    assert event_count(page) != before
    assert "to=" not in page.url or re.search(r"to=(&|$)", page.url)


def test_clicking_the_akkuyu_plant_shows_its_details(page, server):
    frame = open_map(page, server)
    wait_until(page, lambda: layer_paths(page, "akkuyu-plant") > 0)
    page.get_by_text("Show events").click()  # event markers sit on top of the plant
    wait_until(page, lambda: event_count(page) == 0)
    open_group(page, "Akkuyu")
    page.get_by_role("button", name="Zoom to Akkuyu").click()
    wait_until(page, lambda: in_map(page, "return window.regionmapMap.getZoom();") >= 7)
    page.wait_for_timeout(500)
    plant = in_map(
        page,
        """let found = null; window.regionmapLayers['akkuyu-plant'].eachLayer(l => {
             if (l.feature.properties.rm_id === 'akkuyu-site-npp') {
               const p = window.regionmapMap.latLngToContainerPoint(l.getLatLng());
               found = [p.x, p.y]; } }); return found;""",
    )
    box = page.locator(FRAME).bounding_box()
    page.mouse.click(box["x"] + plant[0], box["y"] + plant[1])
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    assert "Akkuyu Nuclear Power Plant" in text
    assert "VVER-1200" in text and "Rosatom" in text
    # the panel below the map shows its provenance too
    page.get_by_text("Open source").wait_for(timeout=20_000)


def test_event_popups_assembled_in_the_browser_match_the_library(page, server):
    """The map ships popup parts; the page must join them exactly as `event_popup` does."""
    open_map(page, server)
    wait_until(page, lambda: event_count(page) > 20)
    drawn = in_map(
        page,
        """return window.regionmapEvents.getLayers().map(
             m => [m.getTooltip().getContent(), m.getPopup().getContent()]);""",
    )
    data = regionmap.load_dataset()
    shown = data.visible_events(regionmap.ViewSpec.default(data.catalog))
    expected = {
        (
            regionmap.web.tip_html(regionmap.web.event_fields(row)),
            regionmap.web.event_popup(row),
        )
        for row in shown.to_dict("records")
    }
    assert len(drawn) == len(shown)
    assert {tuple(pair) for pair in drawn} == expected


def test_a_shared_url_restores_its_view(page, server):
    query = "?layers=kars-borders,syria-zones&from=2019-10-01&to=2020-12-31&c=39.0000,42.0000&z=6"
    open_map(page, server + query)
    wait_until(page, lambda: layer_paths(page, "kars-borders") == 3)
    assert layer_paths(page, "akkuyu-plant") == 0 and layer_paths(page, "syria-zones") > 0
    centre = in_map(
        page,
        "const c = window.regionmapMap.getCenter();"
        " return [c.lat, c.lng, window.regionmapMap.getZoom()];",
    )
    assert centre[0] == pytest.approx(39.0, abs=0.05)  # one pixel at zoom 6 is ~0.02°
    assert centre[1] == pytest.approx(42.0, abs=0.05)
    assert centre[2] == 6
    open_group(page, "Akkuyu")
    assert page.get_by_role("checkbox", name="Akkuyu nuclear power plant").is_checked() is False
    assert "2019-10-01" in page.get_by_role("slider").first.get_attribute("aria-valuetext")


def test_no_request_leaves_loopback(page, server):
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    open_map(page, server)
    page.wait_for_timeout(1000)
    outside = [
        u for u in seen if not u.startswith(("http://127.0.0.1", "data:", "blob:", "about:"))
    ]
    assert outside == []


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    from .hostile import hostile_geodata

    require_browser()
    geodata = hostile_geodata(tmp_path_factory.mktemp("hostile"))
    with dashboard_server(env={"REGIONMAP_GEODATA": str(geodata)}) as url:
        yield url, geodata


OPEN_EVERYTHING = """
  const map = window.regionmapMap; let opened = 0;
  Object.values(window.regionmapLayers || {}).forEach(g => g.eachLayer(l => {
    l.openTooltip(); l.openPopup(); opened++; }));
  if (window.regionmapEvents) { window.regionmapEvents.eachLayer(m => {
    window.regionmapEvents.zoomToShowLayer(m, () => {}); m.openTooltip(); m.openPopup();
    opened++; }); }
  return opened;
"""


def test_xss_payloads_do_not_run_in_the_dashboard(page, hostile_server):
    url, _ = hostile_server
    open_map(page, url + "?from=&to=")
    wait_until(page, lambda: event_count(page) > 50)
    opened = in_map(page, OPEN_EVERYTHING)
    assert opened > 60
    page.wait_for_timeout(1000)
    page.get_by_text("Show events").click()  # a rerun, redrawn
    wait_until(page, lambda: event_count(page) == 0)
    assert page.evaluate("window.__xss") is None
    assert in_map(page, "return window.top.__xss === undefined;")
    assert page.watch.dialogs == []


def test_xss_payloads_do_not_run_in_an_exported_page(page, hostile_server, tmp_path):
    import regionmap

    _, geodata = hostile_server
    dataset = regionmap.load_dataset(geodata)
    spec = regionmap.ViewSpec.default(dataset.catalog).replace(start=None, end=None)
    path = regionmap.snapshot(spec, dataset, tmp_path / "hostile.html")
    page.goto(path.as_uri())
    page.wait_for_function("document.body.getAttribute('data-regionmap-ready') === '1'")
    assert page.evaluate("() => {" + OPEN_EVERYTHING + "}") > 60
    page.wait_for_timeout(1000)
    assert page.evaluate("window.__xss") is None
    assert "{{ 7*191 }}" in page.title() or "Where Russia" in page.title()


def test_offline_tile_basemap_fails_quietly_and_the_vector_basemap_shows(browser, server):
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    # no internet here anyway; make it certain, and send nothing beyond loopback
    context.route(
        re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort("internetdisconnected")
    )
    page = context.new_page()
    watch = Watch(page)
    try:
        open_map(page, server + "?basemap=osm")
        wait_until(
            page,
            lambda: (
                in_map(
                    page,
                    "return document.querySelectorAll('.leaflet-rm-basemap-pane path').length;",
                )
                > 20
            ),
        )
        assert layer_paths(page, "kars-borders") == 3
        assert in_map(page, "return document.querySelectorAll('img.leaflet-tile').length;") > 0
        page.wait_for_timeout(500)
        other = [p for p in watch.problems if "tile.openstreetmap.org" not in p]
        other = [p for p in other if "net::ERR_INTERNET_DISCONNECTED" not in p]
        assert other == []
    finally:
        context.close()


def test_uploading_a_layer_in_the_sidebar_draws_it(page, server, tmp_path):
    towns = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Hun"},
                "geometry": {"type": "Point", "coordinates": [15.9477, 29.1268]},
            },
            {
                "type": "Feature",
                "properties": {"name": "broken"},
                "geometry": {"type": "Point", "coordinates": [29.1268, 95.0]},
            },
        ],
    }
    path = tmp_path / "my bases.geojson"
    path.write_text(__import__("json").dumps(towns))
    open_map(page, server)
    page.get_by_text("Your data").click()
    sidebar = page.get_by_test_id("stSidebarUserContent")
    sidebar.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path))
    wait_until(page, lambda: layer_paths(page, "user-my-bases") == 1)
    page.get_by_text("1 problem; the rest is shown").wait_for(timeout=10_000)
    assert "latitude 95.0000 is out of range" in page.locator("[data-testid=stCode]").inner_text()


def test_restoring_a_view_from_a_snapshot(page, server, tmp_path):
    import regionmap

    dataset = regionmap.load_dataset(ROOT / "geodata")
    spec = regionmap.ViewSpec.default(dataset.catalog).replace(
        layers=("akkuyu-plant",), start=None, end=None
    )
    path = regionmap.snapshot(spec, dataset, tmp_path / "view.html")
    open_map(page, server)
    wait_until(page, lambda: layer_paths(page, "kars-borders") == 3)
    page.get_by_text("Export snapshot").click()
    main = page.get_by_test_id("stMainBlockContainer")
    main.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path))
    wait_until(
        page,
        lambda: layer_paths(page, "kars-borders") == 0 and layer_paths(page, "akkuyu-plant") > 0,
    )
    wait_until(page, lambda: "layers=akkuyu-plant" in page.url)


def test_uploading_two_cyrillic_files_and_a_kml_of_folders(page, server, tmp_path):
    """They used to become one `upload.geojson`, and the second replaced the first."""
    userfiles = ROOT / "tests" / "data" / "userfiles"
    shape = (userfiles / "country_top_level_id.geojson").read_text()
    first, second = tmp_path / "Карабах.geojson", tmp_path / "Лачинский коридор.geojson"
    first.write_text(shape)
    second.write_text(shape.replace('"ARM"', '"LAC"'))
    open_map(page, server)
    page.get_by_text("Your data").click()
    sidebar = page.get_by_test_id("stSidebarUserContent")
    sidebar.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        [str(first), str(second), str(userfiles / "kars_folders.kml")]
    )
    wait_until(page, lambda: layer_paths(page, "user-karabakh") == 1)
    wait_until(page, lambda: layer_paths(page, "user-lachinskii-koridor") == 1)
    wait_until(page, lambda: layer_paths(page, "user-kars-folders-alan") == 2)
    text = sidebar.inner_text()
    assert "Карабах.geojson" in text and "Лачинский коридор.geojson" in text
    assert "Sınır kapıları" in text and "/tmp" not in text


def _cut_controls(page) -> list[str]:
    """Buttons, labels and fields whose text is cut (an ellipsis) or that end past the
    right edge of the window."""
    return page.evaluate(
        """() => {
          const out = [];
          const width = window.innerWidth;
          const shown = e => e.offsetParent !== null && e.getClientRects().length > 0;
          for (const e of document.querySelectorAll(
              'button, [data-testid=stWidgetLabel] p, input, [data-baseweb=select]')) {
            if (!shown(e)) continue;
            const r = e.getBoundingClientRect();
            const text = (e.innerText || e.value || e.placeholder || '').trim().slice(0, 40);
            if (r.right > width + 1) out.push('past the edge: ' + text);
            const p = e.matches('button') ? e.querySelector('p') : e;
            if (p && p.scrollWidth > p.clientWidth + 1 && text) out.push('cut: ' + text);
          }
          return out;
        }"""
    )


def test_the_page_fits_a_1400_by_900_screen(browser, server, tmp_path):
    """The map takes most of the width and the first screen; no control is cut off; no
    Deploy button or developer menu in a local analyst's tool (issue 16 §9)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    watch = Watch(page)
    try:
        open_map(page, server)
        box = page.locator(FRAME).bounding_box()
        assert box["width"] >= 0.7 * 1400, box  # it was 744 px beside a narrow column
        assert box["y"] + box["height"] <= 900, box  # all of it on the first screen
        assert page.get_by_text("Deploy", exact=True).count() == 0
        assert page.get_by_test_id("stMainMenu").count() == 0
        assert _cut_controls(page) == []
        page.get_by_text("Export snapshot").click()
        title = page.get_by_test_id("stMainBlockContainer").get_by_label("Title")
        title.wait_for()
        assert title.bounding_box()["width"] >= 300  # the title field was cut off
        page.get_by_text("Timeline", exact=True).click()
        page.get_by_test_id("stVegaLiteChart").wait_for(timeout=20_000)
        assert _cut_controls(page) == []
        page.screenshot(path=str(tmp_path / "dashboard-1400x900.png"), full_page=True)
    finally:
        context.close()
    assert watch.problems == [], watch.problems


def test_compare_maps_move_together_in_the_browser(page, server):
    """Compare mode's two maps: moving either moves the other at once, in the browser
    (read back in the same script, before any rerun could redraw them)."""
    page.goto(server + "?theatres=lachin&to=2022-08-29&cfrom=2022-08-30&cto=")
    frames = page.locator(FRAME)
    wait_until(page, lambda: frames.count() == 2, 90)
    bodies = [page.frame_locator(FRAME).nth(i).locator("body") for i in (0, 1)]
    for body in bodies:
        body.locator("[data-testid=rm-legend]").wait_for(state="attached", timeout=60_000)
    move_and_read_the_other = """(_, a) => {
      window.regionmapMap.setView([a[0], a[1]], a[2], {animate: false});
      const mine = window.regionmapSync;
      const others = [...window.parent.document.querySelectorAll('iframe')]
        .map(f => f.contentWindow.regionmapSync).filter(s => s && s !== mine);
      return others.map(s => [s.map.getCenter().lat, s.map.getCenter().lng, s.map.getZoom()]);
    }"""

    def moves_the_other(i: int, target: list[float]) -> bool:
        moved = bodies[i].evaluate(move_and_read_the_other, target)
        return len(moved) == 1 and moved[0] == pytest.approx(target, abs=0.01)

    # a rerun (the first map reports its view) may replace a map's frame while it loads:
    # each move is tried again until both maps stand, then must move the other at once
    for i, target in ((1, [39.5, 46.3, 11]), (0, [39.8, 46.7, 10])):
        wait_until(page, lambda i=i, target=target: moves_the_other(i, target), 60)
        page.wait_for_timeout(1500)
