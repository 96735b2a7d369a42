"""Two dates side by side (issue 13, item 4): the compare window in the view spec and its
URL, the dashboard's two maps, the print map's two panels under one legend, the CLI."""

import datetime as dt
import io
import re

import pytest

import regionmap
from regionmap import ViewError, ViewSpec
from regionmap.plot import render_static

from .test_cli import run
from .test_dashboard import markers, start

# The Lachin corridor moved to the new road on 26-30 August 2022 (event RM0046).
BEFORE, AFTER = dt.date(2022, 8, 29), dt.date(2022, 8, 30)


@pytest.fixture(scope="module")
def dataset():
    return regionmap.load_dataset()


@pytest.fixture(scope="module")
def lachin(catalog) -> ViewSpec:
    """The Lachin events up to 29 August 2022, compared with those from 30 August on."""
    return ViewSpec.default(catalog).replace(
        theatres=("lachin",), end=BEFORE, compare=(AFTER, None)
    )


def test_json_round_trip_keeps_the_compare_window(lachin):
    assert '"compare": ["2022-08-30", null]' in lachin.to_json()
    assert ViewSpec.from_json(lachin.to_json()) == lachin
    closed = lachin.replace(compare=(None, dt.date(2020, 11, 10)))
    assert ViewSpec.from_json(closed.to_json()).compare == (None, dt.date(2020, 11, 10))


def test_a_spec_written_before_compare_still_reads_as_no_compare(catalog):
    old = '{"layers": ["lachin-corridor"], "start": null, "end": "2021-03-23"}'
    spec = ViewSpec.from_json(old)
    assert spec.compare is None and spec.window_views() == (spec,)


def test_url_round_trip_keeps_the_compare_window(lachin, catalog):
    query = lachin.to_query(catalog)
    assert query["cfrom"] == "2022-08-30" and query["cto"] == ""
    assert ViewSpec.from_query(query, catalog) == (lachin, [])
    # "every date" is a window too: both ends open, still a compare
    every = lachin.replace(compare=(None, None))
    assert ViewSpec.from_query(every.to_query(catalog), catalog)[0].compare == (None, None)
    assert "cfrom" not in ViewSpec.default(catalog).to_query(catalog)


def test_bad_compare_windows_are_refused_or_warned(lachin, catalog):
    with pytest.raises(ViewError, match=r"compare window starts \(2023-01-01\) after"):
        lachin.replace(compare=(dt.date(2023, 1, 1), dt.date(2022, 1, 1))).check(catalog)
    with pytest.raises(ViewError, match="compare must be"):
        ViewSpec.from_json('{"layers": [], "compare": "2022-08-30"}')
    spec, warnings = ViewSpec.from_query({"cfrom": "30/08/2022"}, catalog)
    assert spec.compare is None and warnings == [
        "compare window ignored: cfrom=30/08/2022 cto=None"
    ]
    spec, warnings = ViewSpec.from_query({"cfrom": "2023-01-01", "cto": "2022-01-01"}, catalog)
    assert spec.compare is None and "compare is off" in warnings[0]


def test_window_views_share_everything_but_the_dates(lachin):
    first, second = lachin.window_views()
    assert (first.start, first.end, second.start, second.end) == (None, BEFORE, AFTER, None)
    assert first.compare is None and second.compare is None
    assert second.replace(start=None, end=BEFORE) == first
    assert lachin.compare_text().startswith("up to 29 August 2022 compared with 30 August 2022")


def _folium_maps(at) -> list[dict]:
    import json

    return [
        json.loads(c.proto.json_args)
        for c in at.get("component_instance")
        if "folium" in c.proto.component_name
    ]


def test_dashboard_compare_toggle_draws_two_maps_and_keeps_both_windows_in_the_url(lachin, dataset):
    at = start({"theatres": "lachin", "to": BEFORE.isoformat()})
    assert len(_folium_maps(at)) == 1 and "cfrom" not in at.query_params
    at.toggle(key="compare").set_value(True).run()
    assert not at.exception, at.exception
    # switched on, the second window starts the day after the first ends, open to today
    assert at.query_params["to"] == "2022-08-29"
    assert at.query_params["cfrom"] == "2022-08-30" and at.query_params["cto"] == ""
    maps = _folium_maps(at)
    assert len(maps) == 2
    counts = [m["script"].count('"eid": ') for m in maps]
    first, second = lachin.window_views()
    expected = [len(dataset.visible_events(first)), len(dataset.visible_events(second))]
    assert counts == expected and counts[0] != counts[1] and min(counts) > 0
    titles = [m.value for m in at.markdown]
    assert any("up to 29 August 2022" in t and f"{counts[0]} events" in t for t in titles)
    assert any("30 August 2022 –" in t and f"{counts[1]} events" in t for t in titles)
    assert "compared with 30 August 2022" in at.subheader[0].value
    # the second window's slider moves the second map alone
    at.slider(key="compare_window").set_value((AFTER, dt.date(2023, 4, 22))).run()
    assert at.query_params["cto"] == "2023-04-22"
    assert [m["script"].count('"eid": ') for m in _folium_maps(at)][0] == counts[0]
    at.toggle(key="compare").set_value(False).run()
    assert "cfrom" not in at.query_params and len(_folium_maps(at)) == 1
    assert markers(at) == counts[0]


def test_dashboard_opens_a_shared_compare_link_as_two_maps(lachin, catalog):
    at = start(lachin.to_query(catalog))
    assert at.toggle(key="compare").value is True
    assert at.slider(key="compare_window").value[0] == AFTER
    first, second = _folium_maps(at)
    assert first["returned_objects"] == ["last_active_drawing", "all_drawings", "center", "zoom"]
    assert second["returned_objects"] == []  # panning the second alone reruns nothing
    # the first map was panned: on the rerun the second is drawn where the first is
    at.session_state["map"] = {"center": {"lat": 39.7, "lng": 46.6}, "zoom": 9.25}
    at.run()
    first, second = _folium_maps(at)
    # at the same quarter zoom: it was cut to a whole zoom, so the maps opened at 9.25 and 9
    assert "center: [39.7, 46.6]" in second["script"] and '"zoom": 9.25,' in second["script"]
    assert "center: [39.7, 46.6]" not in first["script"]  # the first stays as the browser has it


def _svg(spec: ViewSpec, dataset) -> str:
    out = io.BytesIO()
    render_static(spec, dataset, out, "svg", size=(1600, 1000))
    return out.getvalue().decode("utf-8")


def test_print_map_draws_two_panels_with_their_windows_and_one_legend(lachin, dataset):
    svg = _svg(lachin, dataset)
    assert len(re.findall(r'id="axes_\d+"', svg)) == 2
    assert len(re.findall(r'id="legend_\d+"', svg)) == 1
    first, second = lachin.window_views()
    n_first, n_second = len(dataset.visible_events(first)), len(dataset.visible_events(second))
    assert f"<!-- up to 29 August 2022 · {n_first} events -->" in svg
    assert re.search(rf"<!-- 30 August 2022 – \d+ \w+ \d{{4}} · {n_second} events -->", svg)
    # one legend for both: an event type seen only after the move is in it, once
    types_first = set(dataset.visible_events(first)["event_type"])
    only_after = set(dataset.visible_events(second)["event_type"]) - types_first
    for event_type in types_first | only_after:
        assert svg.count(f"<!-- {event_type} -->") == 1, event_type
    # the view, compare window included, travels in the file
    assert regionmap.read_view(svg.encode(), "map.svg") == lachin


def test_without_compare_the_print_map_has_one_panel(lachin, dataset):
    svg = _svg(lachin.replace(compare=None), dataset)
    assert len(re.findall(r'id="axes_\d+"', svg)) == 1
    assert "compared with" not in svg


def test_cli_snapshot_compare_round_trip(tmp_path, lachin):
    out = tmp_path / "lachin.svg"
    proc = run(
        "snapshot", "--out", str(out), "--theatre", "lachin", "--to", "2022-08-29",
        "--compare-from", "2022-08-30",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    spec = regionmap.read_view(out.read_bytes(), str(out))
    assert (spec.end, spec.compare) == (BEFORE, (AFTER, None))
    assert len(re.findall(r'id="axes_\d+"', out.read_text())) == 2
    again = tmp_path / "again.pdf"
    proc = run("snapshot", "--out", str(again), "--view", str(out), "--compare-to", "2023-09-30")
    assert proc.returncode == 0, proc.stderr
    assert regionmap.read_view(again.read_bytes(), str(again)).compare == (
        None,
        dt.date(2023, 9, 30),
    )
    proc = run("snapshot", "--out", str(tmp_path / "bad.svg"), "--compare-from", "2022-13-01")
    assert proc.returncode == 2 and "'2022-13-01' is not a date" in proc.stderr


def test_html_snapshot_draws_the_first_window_and_says_so(lachin, dataset):
    page = regionmap.snapshot_bytes(lachin, dataset, "html").decode("utf-8")
    first = lachin.window_views()[0]
    assert page.count('"eid": ') == len(dataset.visible_events(first))
    assert "The map shows the first window" in page


def test_dashboard_export_of_a_compare_view_is_the_two_panel_print_map(lachin, catalog):
    at = start(lachin.to_query(catalog))
    at.selectbox(key="export_format").set_value("svg").run()
    at.button(key="export_go").click().run()
    assert not at.exception and not at.error
    name, payload, _, _ = at.session_state["export_file"]
    assert name.endswith(".svg") and len(re.findall(rb'id="axes_\d+"', payload)) == 2
    assert regionmap.read_view(payload, name).compare == (AFTER, None)


def test_compare_from_a_window_open_to_today_starts_a_year_earlier():
    """The first view runs to today: switched on, compare is the same window a year
    earlier, not the first window again."""
    at = start({"theatres": "lachin"})
    at.toggle(key="compare").set_value(True).run()
    assert not at.exception, at.exception
    first, second = at.slider(key="window").value, at.slider(key="compare_window").value
    assert second[0] == first[0] and (first[1] - second[1]).days == 365
    heading = at.subheader[0].value
    assert f"compared with up to {second[1].day} " in heading and str(second[1].year) in heading
