"""ACLED scale: the synthetic generator, the columnar store, aggregated rendering."""

from __future__ import annotations

import datetime as dt

import pytest
import shapely

import regionmap
from regionmap.render import aggregate_events
from regionmap.store import load_store
from regionmap.synthetic import land, synthetic_events, write_synthetic_csv

from .conftest import ROOT


@pytest.fixture(scope="module")
def synthetic_csv(tmp_path_factory, catalog):
    path = tmp_path_factory.mktemp("scale") / "acled-10k.csv"
    return write_synthetic_csv(path, 10_000, catalog, seed=3)


def test_generator_is_seeded_and_puts_events_on_land(catalog):
    a = synthetic_events(2_000, catalog, seed=11)
    b = synthetic_events(2_000, catalog, seed=11)
    assert a.equals(b)
    assert not a.equals(synthetic_events(2_000, catalog, seed=12))
    lon, lat = a["longitude"].astype(float), a["latitude"].astype(float)
    assert shapely.contains_xy(land(catalog), lon.to_numpy(), lat.to_numpy()).all()
    assert {"event_id_cnty", "event_date", "geo_precision", "fatalities"} <= set(a.columns)
    assert set(a["event_type"]) == set(regionmap.synthetic.EVENT_TYPES)


FILTERS = [
    regionmap.EventFilter(),
    regionmap.EventFilter(start=dt.date(2015, 1, 1), end=dt.date(2016, 12, 31)),
    regionmap.EventFilter(event_types=("Battles", "Protests")),
    regionmap.EventFilter(actors=("Wagner Group",), theatres=("libya",)),
    regionmap.EventFilter(
        start=dt.date(2020, 1, 1), event_types=("Battles",), bbox=(35.0, 35.0, 42.0, 38.0)
    ),
]


@pytest.mark.parametrize("event_filter", FILTERS)
def test_store_filters_equal_the_plain_filters(synthetic_csv, catalog, tmp_path, event_filter):
    plain = regionmap.apply_filter(
        regionmap.read_events(synthetic_csv, catalog).frame, event_filter
    )
    store = load_store(synthetic_csv, catalog, tmp_path)
    cached = load_store(synthetic_csv, catalog, tmp_path)
    assert not store.from_cache and cached.from_cache
    for s in (store, cached):
        assert list(s.query(event_filter)["event_id"]) == list(plain["event_id"])
    assert len(plain) > 0


def test_aggregation_counts_every_event_once(synthetic_csv, catalog):
    frame = load_store(synthetic_csv, catalog).frame
    for zoom in (4, 6, 9):
        cells = aggregate_events(frame, zoom)
        assert cells["count"].sum() == len(frame)
    assert len(aggregate_events(frame, 9)) > len(aggregate_events(frame, 4))


def test_many_events_render_as_counts_and_few_as_markers(synthetic_csv, catalog):
    dataset = regionmap.load_dataset(ROOT / "geodata")
    frame = load_store(synthetic_csv, catalog).frame
    spec = regionmap.ViewSpec.default(dataset.catalog)
    page = regionmap.render_map(spec, dataset, events=frame).get_root().render()
    assert '"eid": ' not in page and "regionmapEventCells" in page and "Aggregated" in page
    few = frame.head(regionmap.MAX_MARKERS)
    page = regionmap.render_map(spec, dataset, events=few).get_root().render()
    assert page.count('"eid": ') == regionmap.MAX_MARKERS
    assert regionmap.event_mode(regionmap.MAX_MARKERS + 1) == "aggregated"


def test_dashboard_says_which_mode_is_on(synthetic_csv):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
    at.session_state["user_files"] = {"acled-10k.csv": synthetic_csv.read_bytes()}
    at.run()
    assert not at.exception
    at.button(key="preset:all").click().run()
    info = " ".join(i.value for i in at.sidebar.info)
    assert "Aggregated view" in info
    script = next(c for c in at.get("component_instance") if "folium" in c.proto.component_name)
    args = __import__("json").loads(script.proto.json_args)
    assert args["returned_objects"] == ["last_object_clicked_popup", "bounds", "zoom"]
    at.multiselect(key="theatres").set_value(["akkuyu"]).run()
    at.multiselect(key="types").set_value(["Riots"]).run()
    assert not at.sidebar.info or "one by one" in at.sidebar.info[0].value
    args = __import__("json").loads(
        next(
            c for c in at.get("component_instance") if "folium" in c.proto.component_name
        ).proto.json_args
    )
    assert args["returned_objects"] == ["last_object_clicked_popup"]  # panning reruns nothing
