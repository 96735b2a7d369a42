"""Playback in the browser (#13 §1): the window stepped through by the page itself, with no
Streamlit rerun per frame; and what the page is given for it."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest

import regionmap
from regionmap._synthetic import write_synthetic_csv
from regionmap.web import render_map

from . import test_browser as ui
from .browser_support import dashboard_server, require_browser

EPOCH = dt.date(1970, 1, 1)


@pytest.fixture(scope="module")
def dataset() -> regionmap.Dataset:
    return regionmap.load_dataset()


def _page(fmap) -> str:
    return fmap.get_root().render()


def test_the_page_ships_frames_and_feature_dates_only_with_playback(dataset):
    spec = regionmap.ViewSpec.default(dataset.catalog).replace(
        start=dt.date(2020, 1, 1), end=dt.date(2023, 12, 31)
    )
    plain = _page(render_map(spec, dataset))
    assert "allFrames" not in plain  # no play control: exports leave it out
    assert '"rm_t"' not in plain
    page = _page(render_map(spec, dataset, playback=True))
    frames = re.search(r"var allFrames = (\{.*?\}), first", page).group(1)
    months = re.search(r'"month": \[([^\]]*)\]', frames).group(1).split(", ")
    assert len(months) == 48  # January 2020 to December 2023
    assert EPOCH + dt.timedelta(days=int(months[0])) == dt.date(2020, 1, 31)
    assert EPOCH + dt.timedelta(days=int(months[-1])) == dt.date(2023, 12, 31)
    # The Lachin road: in force from 10 November 2020, closed (a stopping status) from 2023
    lachin = dataset.layers["lachin-corridor"].frame
    road = lachin[lachin["status_periods"].astype(str).str.contains("closed")].iloc[0]
    start = (dt.date.fromisoformat(road["valid_from"]) - EPOCH).days
    assert re.search(rf'"rm_t": \[{start}, -?\d+, \[\[\d+, (\d+|null)\]', page)


@pytest.fixture
def page(browser):
    """A page that fails its test on any console or page error (`test_browser.Watch`)."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    pg = context.new_page()
    watch = ui.Watch(pg)
    yield pg
    context.close()
    assert watch.problems == [], watch.problems


@pytest.fixture(scope="module")
def server():
    require_browser()
    with dashboard_server() as url:
        yield url


def _state(page) -> tuple[str, int, str]:
    """The frame's date label, the markers drawn and the legend's count text."""
    return ui.in_map(
        page,
        """return [document.querySelector('[data-testid=rm-playback-date]').textContent,
                   window.regionmapEvents.getLayers().length,
                   document.querySelector('.rm-legend-count').textContent];""",
    )


def _day(label: str) -> dt.date:
    return dt.datetime.strptime(label, "%d %B %Y").date()


@pytest.mark.browser
def test_play_advances_the_date_and_markers_without_a_rerun_per_frame(page, server, events):
    sent: list[float] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda _: sent.append(time.monotonic())))
    frame = ui.open_map(page, server)
    ui.wait_until(page, lambda: _state(page)[1] == len(events.frame))  # the first view: all
    page.wait_for_timeout(2000)  # the component's first report has gone
    frame.get_by_test_id("rm-speed").select_option("2")
    frame.get_by_test_id("rm-step").select_option("year")
    slider = frame.get_by_test_id("rm-frame")
    slider.focus()
    slider.press("End")
    for _ in range(14):  # dragged back to 2012: the years ahead have events
        slider.press("ArrowLeft")
    page.wait_for_timeout(500)
    before = len(sent)
    frame.get_by_test_id("rm-play").click()
    seen = []
    for _ in range(10):  # 2.5 s or more at 2 frames a second: 14 years are left
        page.wait_for_timeout(250)
        seen.append(_state(page))
    during = len(sent) - before
    assert frame.get_by_test_id("rm-playback").get_attribute("data-playing") == "1"
    frame.get_by_test_id("rm-play").click()  # pause
    assert frame.get_by_test_id("rm-playback").get_attribute("data-playing") == "0"
    labels = [s[0] for s in seen]
    days = [_day(x) for x in labels]
    assert len(set(labels)) >= 3 and days == sorted(days), labels
    assert len({s[1] for s in seen}) >= 2, seen  # the drawn markers changed
    for label, n, count in seen:  # the legend follows (a sample may fall between the two)
        assert count.startswith(f"{n:,} events") or _day(count.split("up to ")[-1]) != _day(label)
    assert during < len(set(labels)) - 1, (during, labels)  # no rerun message per frame
    stopped = _state(page)[0]
    page.wait_for_timeout(1200)
    assert _state(page)[0] == stopped
    ui.wait_until(page, lambda: f"to={_day(stopped).isoformat()}" in page.url)


@pytest.mark.browser
def test_dragging_to_the_first_frame_greys_layers_not_yet_in_force(page, server):
    frame = ui.open_map(page, server)
    frame.get_by_test_id("rm-step").select_option("year")
    grey = "return [...document.querySelectorAll('path.rm-layer-syria-zones')].filter(p => p.getAttribute('stroke') === '#9e9e9e').length;"  # noqa: E501
    drawn = ui.layer_paths(page, "syria-zones")
    assert drawn and ui.in_map(page, grey) < drawn  # today: the zones in force are coloured
    slider = frame.get_by_test_id("rm-frame")
    slider.focus()
    slider.press("Home")  # the first year: before every zone
    ui.wait_until(page, lambda: ui.in_map(page, grey) == drawn)
    label = _state(page)[0]
    assert _day(label) < dt.date(1930, 1, 1) and _state(page)[1] < 5
    ui.wait_until(page, lambda: f"to={_day(label).isoformat()}" in page.url)
    slider.press("End")
    ui.wait_until(page, lambda: ui.in_map(page, grey) < drawn)


def test_a_line_that_ended_is_grey_in_later_frames_of_an_open_window(page, server):
    """The window runs from the first record to today (open start): a frame's day alone
    decides, as a reload at that day does. The 1994 Karabakh line (to 27 Sep 2020) was
    drawn in force in a 2023 frame (a new user's trial)."""
    frame = ui.open_map(page, server)
    frame.get_by_test_id("rm-step").select_option("year")
    grey = "return [...document.querySelectorAll('path.rm-layer-lachin-contact-1994')].filter(p => p.getAttribute('stroke') === '#9e9e9e').length;"  # noqa: E501
    drawn = ui.layer_paths(page, "lachin-contact-1994")
    assert drawn and ui.in_map(page, grey) == drawn  # today: ended
    slider = frame.get_by_test_id("rm-frame")
    slider.focus()
    slider.press("End")
    for _ in range(7):  # the frame of 2019, when the line held
        slider.press("ArrowLeft")
    ui.wait_until(page, lambda: _day(_state(page)[0]).year == 2019)
    ui.wait_until(page, lambda: ui.in_map(page, grey) == 0)
    for _ in range(4):  # 2023: ended
        slider.press("ArrowRight")
    ui.wait_until(page, lambda: _day(_state(page)[0]).year == 2023)
    ui.wait_until(page, lambda: ui.in_map(page, grey) == drawn)


@pytest.fixture(scope="module")
def big_server(catalog, tmp_path_factory):
    """The dashboard on 3,000 synthetic events besides the curated ones: grid cells."""
    require_browser()
    csv = write_synthetic_csv(tmp_path_factory.mktemp("cube") / "s.csv", 3_000, catalog)
    with dashboard_server({"REGIONMAP_EVENTS": str(csv), "REGIONMAP_STORE": ""}) as url:
        yield url


CELL = """const l = window.regionmapEventCells.rmCells[arg];  // drawn, or hidden at 0
  return [l._map ? l.rmCount : 0,
          document.querySelector('.rm-legend-count').textContent,
          document.querySelector('[data-testid=rm-playback-date]').textContent];"""
BIGGEST = """const c = window.regionmapEventCells.rmCells; let k = 0;
  c.forEach((l, j) => { if (l.rmCount > c[k].rmCount) { k = j; } }); return k;"""


@pytest.mark.browser
def test_cells_play_their_counts_without_a_rerun_per_frame(page, big_server):
    sent: list[float] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda _: sent.append(time.monotonic())))
    page.goto(big_server)
    # the map reports its bounds once (the cells follow the map) and the rerun replaces it:
    # wait until one map has stood for 5 s (a loaded machine takes a while)
    steady, deadline = 0, time.monotonic() + 90
    while steady < 10 and time.monotonic() < deadline:
        page.wait_for_timeout(500)
        steady = steady + 1 if page.locator(ui.FRAME).count() == 1 else 0
    frame = page.frame_locator(ui.FRAME)
    ui.wait_until(page, lambda: ui.in_map(page, "return window.regionmapEventCells.rmCells.length"))
    k = ui.in_map(page, BIGGEST)
    final = ui.in_map(page, CELL, k)
    frame.get_by_test_id("rm-step").select_option("year")
    slider = frame.get_by_test_id("rm-frame")
    slider.focus()
    slider.press("Home")  # the first year (the curated events' first): the cell is empty
    assert ui.in_map(page, CELL, k)[0] == 0
    slider.press("End")
    assert ui.in_map(page, CELL, k)[:2] == final[:2]  # the whole window again
    for _ in range(12):  # back to 2014: the synthetic events run 2005-2025
        slider.press("ArrowLeft")
    frame.get_by_test_id("rm-speed").select_option("2")
    page.wait_for_timeout(500)
    before = len(sent)
    frame.get_by_test_id("rm-play").click()
    seen = []
    for _ in range(10):  # 2.5 s or more at 2 frames a second
        page.wait_for_timeout(250)
        seen.append(ui.in_map(page, CELL, k))
    during = len(sent) - before
    frame.get_by_test_id("rm-play").click()  # pause
    counts = [s[0] for s in seen]
    labels = [s[2] for s in seen]
    assert counts == sorted(counts) and len(set(counts)) >= 2, seen  # the cell grew
    assert 0 < counts[0] < final[0], (counts, final)
    assert len({s[1] for s in seen}) >= 2, seen  # the legend's count followed
    assert during < len(set(labels)) - 1, (during, labels)  # no rerun message per frame


IN_VIEW = re.compile(r"Aggregated view: ([\d,]+) events in the map")


@pytest.mark.browser
def test_an_aggregated_map_is_drawn_once_and_a_pan_recounts_without_redrawing_it(page, big_server):
    """st_folium keys a map by its script, and the aggregated map was re-centred on each
    report of its bounds: every page open drew it four times, each in a new frame, and each
    pan drew it again. Now the first map stands, and a pan reruns only the counts."""
    page.goto(big_server)
    ui.wait_until(page, lambda: ui.in_map(page, "return window.regionmapEventCells.rmCells.length"))
    ui.in_map(page, "window.rmFirstFrame = true; return 1;")  # gone if the frame is replaced
    sidebar = page.get_by_test_id("stSidebarUserContent")
    ui.wait_until(page, lambda: IN_VIEW.search(sidebar.inner_text()))  # the bounds' count
    page.wait_for_timeout(3000)  # a report of the bounds and its rerun come and go
    assert ui.in_map(page, "return window.rmFirstFrame === true;")
    before = IN_VIEW.search(sidebar.inner_text())[1]
    ui.in_map(page, "window.regionmapMap.panBy([-450, 0], {animate: false}); return 1;")
    ui.wait_until(page, lambda: IN_VIEW.search(sidebar.inner_text())[1] != before)
    page.wait_for_timeout(1500)
    assert ui.in_map(page, "return window.rmFirstFrame === true;")  # the same map, panned
