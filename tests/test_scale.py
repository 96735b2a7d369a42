"""ACLED scale: the synthetic generator, the columnar store, aggregated rendering."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import shutil

import numpy as np
import pandas as pd
import pytest
import shapely

import regionmap
from regionmap._store import load_store
from regionmap._synthetic import land, synthetic_events, write_synthetic_csv
from regionmap.web import aggregate_events

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
    assert set(a["event_type"]) == set(regionmap._synthetic.EVENT_TYPES)


FILTERS = [
    regionmap.EventFilter(),
    regionmap.EventFilter(start=dt.date(2015, 1, 1), end=dt.date(2016, 12, 31)),
    regionmap.EventFilter(event_types=("Battles", "Protests")),
    regionmap.EventFilter(actors=("Wagner Group",), theatres=("libya",)),
    regionmap.EventFilter(
        start=dt.date(2020, 1, 1), event_types=("Battles",), bbox=(35.0, 35.0, 42.0, 38.0)
    ),
]


def reference_filter(path, catalog, f: regionmap.EventFilter) -> list[str]:
    """The filter written out row by row in plain Python over the raw CSV, independent of
    pandas and of regionmap's own filter code: the store must agree with it exactly."""
    out = []
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            day = dt.datetime.strptime(row["event_date"], "%d %B %Y").date()
            first, last = acled_interval(day, row["time_precision"])
            lon, lat = float(row["longitude"]), float(row["latitude"])
            theatre = next(
                (t.id for t in catalog.theatres if inside(t.bbox, lon, lat)), ""
            )  # ACLED rows take the first theatre whose box holds them
            if (f.start and last < f.start) or (f.end and first > f.end):
                continue
            if f.event_types and row["event_type"] not in f.event_types:
                continue
            if f.actors and not {row["actor1"], row["actor2"]} & set(f.actors):
                continue
            if f.theatres and theatre not in f.theatres:
                continue
            if f.bbox and not inside(f.bbox, lon, lat):
                continue
            out.append(row["event_id_cnty"])
    return out


def acled_interval(day: dt.date, precision: str) -> tuple[dt.date, dt.date]:
    """ACLED's time_precision by hand: 2 = the Saturday-Friday week holding the day,
    3 = the calendar month holding it, 1 = the day."""
    if precision == "2":
        saturday = day - dt.timedelta(days=(day.weekday() - 5) % 7)
        return saturday, saturday + dt.timedelta(days=6)
    if precision == "3":
        following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return day.replace(day=1), following - dt.timedelta(days=1)
    return day, day


def inside(bbox, lon: float, lat: float) -> bool:
    w, s, e, n = bbox
    return w <= lon <= e and s <= lat <= n


@pytest.mark.parametrize("event_filter", FILTERS)
def test_store_filters_equal_a_row_by_row_reference(synthetic_csv, catalog, tmp_path, event_filter):
    expected = reference_filter(synthetic_csv, catalog, event_filter)
    store = load_store(synthetic_csv, catalog, tmp_path)
    cached = load_store(synthetic_csv, catalog, tmp_path)
    dataset_order = regionmap.events.by_date(cached.frame)
    for frame in (store.frame, cached.frame, dataset_order):
        got = regionmap.apply_filter(frame, event_filter)["event_id"]
        assert sorted(got) == sorted(expected)
    assert len(expected) > 0


@pytest.mark.parametrize("event_filter", FILTERS)
def test_store_filters_equal_the_plain_filters(synthetic_csv, catalog, tmp_path, event_filter):
    plain = regionmap.apply_filter(
        regionmap.read_events(synthetic_csv, catalog).frame, event_filter
    )
    store = load_store(synthetic_csv, catalog, tmp_path)
    cached = load_store(synthetic_csv, catalog, tmp_path)
    assert not store.from_cache and cached.from_cache
    in_date_order = regionmap.events.by_date(plain)  # the store keeps events as they are shown
    for s in (store, cached):
        assert list(s.query(event_filter)["event_id"]) == list(in_date_order["event_id"])
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
    assert args["returned_objects"] == ["last_active_drawing", "all_drawings", "bounds", "zoom"]
    at.multiselect(key="theatres").set_value(["akkuyu"]).run()
    at.multiselect(key="types").set_value(["Riots"]).run()
    assert not at.sidebar.info or "one by one" in at.sidebar.info[0].value
    args = __import__("json").loads(
        next(
            c for c in at.get("component_instance") if "folium" in c.proto.component_name
        ).proto.json_args
    )
    assert args["returned_objects"] == ["last_active_drawing", "all_drawings"]  # panning: none


def _leaflet_bounds(lat: float, lon: float, zoom: int, width: int, height: int) -> dict:
    """The bounds Leaflet reports for a map of this size centred at (lat, lon)."""
    import math

    scale = 256 * 2**zoom / (2 * math.pi)  # pixels per Mercator radian
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    def lat_at(pixels: float) -> float:
        return math.degrees(math.atan(math.sinh(y + pixels / scale)))

    half_lon = math.degrees(width / 2 / scale)
    return {
        "_southWest": {"lat": lat_at(-height / 2), "lng": lon - half_lon},
        "_northEast": {"lat": lat_at(height / 2), "lng": lon + half_lon},
    }


def test_the_map_stays_where_it_reported_itself(synthetic_csv):
    """The aggregated view re-centres on the bounds the map returns. Their mean latitude is
    south of the centre (Web Mercator), so each rerun drew the map further south, which
    reported new bounds: an endless rerun loop (58 s and 7.8 MB for one filter change)."""
    import re

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
    at.session_state["user_files"] = {"acled-10k.csv": synthetic_csv.read_bytes()}
    at.run()
    at.button(key="preset:all").click().run()
    at.session_state["map"] = {"bounds": _leaflet_bounds(37.2303, 28.7402, 4, 1200, 620), "zoom": 4}
    at.run()
    assert not at.exception
    script = next(c for c in at.get("component_instance") if "folium" in c.proto.component_name)
    centre = re.search(r"center: \[([-\d.]+), ([-\d.]+)\]", script.proto.json_args)
    assert centre, "no map centre in the component's script"
    assert abs(float(centre[1]) - 37.2303) < 0.01 and abs(float(centre[2]) - 28.7402) < 0.01


# ---------------------------------------------------------------- large files, read in chunks


def test_chunked_read_equals_one_chunk(catalog, tmp_path, monkeypatch):
    """Reading 50 rows at a time gives the same events and the same problems, in line
    order, as reading the file at once; a repeat across chunks is still caught."""
    frame = synthetic_events(300, catalog, seed=5)
    frame.loc[10, "latitude"] = "north"  # a bad row in the first chunk
    frame.loc[260, "event_id_cnty"] = frame.loc[3, "event_id_cnty"]  # repeat, 5 chunks later
    frame.loc[120, "event_date"] = "31 February 2020"
    path = tmp_path / "acled.csv"
    frame.to_csv(path, index=False)
    whole = regionmap.read_events(path, catalog)
    monkeypatch.setattr(regionmap.events, "CHUNK_ROWS", 50)
    chunked = regionmap.read_events(path, catalog)
    assert [str(p) for p in chunked.problems] == [str(p) for p in whole.problems]
    assert [p.where for p in whole.problems] == [
        "line 12, column latitude",
        "line 122, column event_date",
        "line 262, column event_id",
    ]
    assert chunked.frame.astype(str).equals(whole.frame.astype(str))
    assert len(whole.frame) == 297


def test_repeating_text_is_categorical_and_csv_still_neutralises_formulas(catalog):
    frame = regionmap.events.compact(
        synthetic_events(1_000, catalog, seed=2).assign(actor1='=HYPERLINK("x")')
    )
    assert isinstance(frame["actor1"].dtype, pd.CategoricalDtype)
    back = pd.read_csv(io.StringIO(regionmap.events.to_csv(frame)), dtype=str)
    assert (back["actor1"] == '\'=HYPERLINK("x")').all()


def test_store_cache_keeps_the_problems_and_the_format(catalog, tmp_path):
    frame = synthetic_events(500, catalog, seed=4)
    frame.loc[7, "longitude"] = "east"
    path = tmp_path / "acled.csv"
    frame.to_csv(path, index=False)
    first = load_store(path, catalog, tmp_path / "cache")
    again = load_store(path, catalog, tmp_path / "cache")
    assert again.from_cache and again.format == first.format == "ACLED"
    assert again.problems == first.problems and len(first.problems) == 1
    assert again.frame.equals(first.frame)
    # an edit to the file is a new cache key: the change is seen, not the stale copy
    path.write_text(path.read_text().replace("east", "36.0"))
    edited = load_store(path, catalog, tmp_path / "cache")
    assert not edited.from_cache and edited.problems == []
    # a corrupt cache file is rebuilt, not trusted
    for cached in (tmp_path / "cache").iterdir():
        cached.write_bytes(b"not parquet")
    assert not load_store(path, catalog, tmp_path / "cache").from_cache


def test_dataset_reads_a_large_events_file_through_the_store(catalog, tmp_path, monkeypatch):
    geodata = tmp_path / "geodata"
    shutil.copytree(ROOT / "geodata", geodata)
    synthetic_events(2_000, catalog, seed=6).to_csv(geodata / "events.csv", index=False)
    monkeypatch.setattr(regionmap._dataset, "STORE_MIN_BYTES", 0)
    plain = regionmap.load_dataset(geodata)
    stored = regionmap.load_dataset(geodata, cache_dir=tmp_path / "cache")
    cached = regionmap.load_dataset(geodata, cache_dir=tmp_path / "cache")
    assert any((tmp_path / "cache").glob("*.parquet"))
    for data in (plain, stored, cached):
        assert data.events.frame["start"].is_monotonic_increasing
        assert list(data.events.frame["event_id"]) == list(plain.events.frame["event_id"])


def test_earliest_is_the_first_rows_by_date(catalog):
    frame = regionmap.events.compact(
        regionmap.events.events_from_table(
            synthetic_events(3_000, catalog, seed=8).rename(columns={"event_id_cnty": "event_id"}),
            range(2, 3_002),
            "x.csv",
            catalog,
            acled=True,
        )[0]
    )
    expected = frame.sort_values("start", kind="stable").head(100)
    assert list(regionmap.earliest(frame, 100)["event_id"]) == list(expected["event_id"])
    ordered = regionmap.events.by_date(frame)
    assert list(regionmap.earliest(ordered, 100)["event_id"]) == list(expected["event_id"])


def test_aggregation_matches_a_plain_groupby(synthetic_csv, catalog):
    frame = load_store(synthetic_csv, catalog).frame
    cells = aggregate_events(frame, 6).sort_values(["lon", "lat"]).reset_index(drop=True)
    size = regionmap.web.cell_size_deg(6)
    keyed = frame.assign(
        ix=(frame["longitude"] // size).astype(int),
        iy=(frame["latitude"] // size).astype(int),
        type=frame["event_type"].astype(str),
    )
    groups = keyed.groupby(["ix", "iy"])
    expected = (
        pd.DataFrame(
            {
                "count": groups.size(),
                "lon": groups["longitude"].mean(),
                "lat": groups["latitude"].mean(),
                "type": groups["type"].agg(lambda t: sorted(t.mode())[0]),
            }
        )
        .sort_values(["lon", "lat"])
        .reset_index(drop=True)
    )
    assert cells["count"].tolist() == expected["count"].tolist()
    assert cells["type"].tolist() == expected["type"].tolist()
    assert np.allclose(cells[["lon", "lat"]], expected[["lon", "lat"]])


def test_legend_says_how_many_events_and_when(synthetic_csv, catalog):
    dataset = regionmap.load_dataset(ROOT / "geodata")
    frame = load_store(synthetic_csv, catalog).frame
    spec = regionmap.ViewSpec.default(dataset.catalog).replace(end=dt.date(2021, 3, 23))
    plan = regionmap.MapPlan.from_view(spec, dataset, events=frame)
    html = regionmap.web.legend_html(plan)
    assert f"<b>{len(frame):,} events</b> · up to 23 March 2021" in html


def test_dashboard_shows_an_analysts_events_file_beside_the_curated_ones(
    tmp_path, catalog, monkeypatch
):
    """`regionmap dashboard --events FILE`: the file's events join the curated ones, its bad
    rows are listed, and an edit to it while the dashboard runs is picked up."""
    from streamlit.testing.v1 import AppTest

    frame = synthetic_events(3_000, catalog, seed=9)
    frame.loc[5, "latitude"] = "north"
    path = tmp_path / "acled.csv"
    frame.to_csv(path, index=False)
    monkeypatch.setenv("REGIONMAP_EVENTS", str(path))
    curated = len(regionmap.load_events(catalog).frame)
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120).run()
    assert not at.exception
    at.button(key="preset:all").click().run()
    shown = at.sidebar.markdown[-1].value
    assert f"of {curated + 2_999:,} events shown" in shown, shown
    problems = " ".join(t.value for t in at.text)
    assert "acled.csv: line 7, column latitude" in problems
    frame.head(1_000).to_csv(path, index=False)  # the analyst replaces the file
    at.run()
    assert f"of {curated + 999:,} events shown" in at.sidebar.markdown[-1].value


def test_thousands_of_bad_rows_are_listed_in_part_and_counted(tmp_path, catalog, monkeypatch):
    from streamlit.testing.v1 import AppTest

    frame = synthetic_events(1_000, catalog, seed=10)
    frame.loc[:249, "latitude"] = "north"
    path = tmp_path / "acled.csv"
    frame.to_csv(path, index=False)
    monkeypatch.setenv("REGIONMAP_EVENTS", str(path))
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120).run()
    assert not at.exception
    listed = [t.value for t in at.text if "acled.csv" in t.value]
    assert len(listed) == 200 and listed[0].startswith(f"{path}: line 2, column latitude")
    assert any("… and 50 more" in c.value for c in at.caption)
    assert any("250 data problems" in e.label for e in at.expander)


def test_a_bad_row_still_claims_its_id_in_a_later_chunk(catalog, tmp_path, monkeypatch):
    frame = synthetic_events(6, catalog, seed=12)
    frame.loc[0, "latitude"] = "abc"
    frame.loc[4, "event_id_cnty"] = frame.loc[0, "event_id_cnty"]
    path = tmp_path / "acled.csv"
    frame.to_csv(path, index=False)
    whole = regionmap.read_events(path, catalog)
    monkeypatch.setattr(regionmap.events, "CHUNK_ROWS", 1)
    chunked = regionmap.read_events(path, catalog)
    for result in (whole, chunked):
        assert [p.where for p in result.problems] == [
            "line 2, column latitude",
            "line 6, column event_id",
        ]
        assert len(result.frame) == 4


def test_store_cache_follows_the_catalog_and_survives_a_million_problems(catalog, tmp_path):
    import dataclasses

    frame = synthetic_events(3_000, catalog, seed=13)
    path = tmp_path / "acled.csv"
    frame.to_csv(path, index=False)
    cache = tmp_path / "cache"
    load_store(path, catalog, cache)
    assert load_store(path, catalog, cache).from_cache
    moved = dataclasses.replace(
        catalog,
        theatres=tuple(dataclasses.replace(t, bbox=(0.0, 0.0, 1.0, 1.0)) for t in catalog.theatres),
    )
    fresh = load_store(path, moved, cache)  # theatres come from the boxes: not the old copy
    assert not fresh.from_cache and set(fresh.frame["theatre"].astype(str)) == {""}
    # every row bad: the problem list is kept beside the events, not in Parquet's metadata
    frame.assign(event_date="someday").to_csv(path, index=False)
    bad = load_store(path, catalog, cache)
    again = load_store(path, catalog, cache)
    assert again.from_cache and len(again.problems) == 3_000 and again.problems == bad.problems
    for sidecar in cache.glob("*.problems.parquet"):
        sidecar.unlink()
    assert not load_store(path, catalog, cache).from_cache  # half a cache is no cache
    assert len(list(cache.glob("*.parquet"))) == 2  # older copies of the file removed


def test_a_file_cut_inside_a_character_says_where(tmp_path, catalog):
    path = tmp_path / "cut.csv"
    path.write_bytes("event_id,title\nX,Türkiye\nY,Gürcistan".encode()[:-9] + b"\xc3")
    with pytest.raises(regionmap.EventError, match=r"not UTF-8 text \(.*byte \d+"):
        regionmap.read_events(path, catalog)


def test_merging_keeps_categories_and_date_order(catalog, tmp_path):
    paths = []
    for seed, actor in ((14, "Wagner Group"), (15, "Someone else entirely")):
        path = tmp_path / f"{seed}.csv"
        synthetic_events(500, catalog, seed=seed).assign(actor2=actor).to_csv(path, index=False)
        paths.append(path)
    a, b = (regionmap.read_events(p, catalog).frame for p in paths)
    merged = regionmap.events.merge_events([a, b])
    assert isinstance(merged["actor2"].dtype, pd.CategoricalDtype)
    assert merged["start"].is_monotonic_increasing and len(merged) == 1_000
    assert sorted(merged["actor2"].astype(str)) == sorted(
        list(a["actor2"].astype(str)) + list(b["actor2"].astype(str))
    )


def test_light_selection_gives_the_same_events_and_complete_rows_back(catalog, tmp_path):
    geodata = tmp_path / "geodata"
    shutil.copytree(ROOT / "geodata", geodata)
    synthetic_events(3_000, catalog, seed=16).to_csv(geodata / "events.csv", index=False)
    data = regionmap.load_dataset(geodata)
    spec = regionmap.ViewSpec.default(data.catalog).replace(event_types=("Battles",))
    full, light = data.visible_events(spec), data.visible_events(spec, light=True)
    assert list(light["event_id"]) == list(full["event_id"]) and "notes" not in light
    first = data.first_events(light, 50)
    expected = regionmap.earliest(full, 50)
    assert first.equals(expected) and "notes" in first


def test_a_big_file_is_checked_in_a_child_process_with_the_same_result(
    catalog, tmp_path, monkeypatch
):
    frame = synthetic_events(2_000, catalog, seed=17)
    frame.loc[3, "latitude"] = "north"
    path = tmp_path / "acled.csv"
    frame.to_csv(path, index=False)
    here = load_store(path, catalog, tmp_path / "here")
    monkeypatch.setattr(regionmap._store, "CHILD_MIN_BYTES", 0)
    children = []
    real = regionmap._store._build_in_child
    monkeypatch.setattr(
        regionmap._store, "_build_in_child", lambda *a: children.append(a) or real(*a)
    )
    there = load_store(path, catalog, tmp_path / "child")
    assert len(children) == 1 and there.from_cache
    assert there.frame.equals(here.frame) and there.problems == here.problems
    # a file the child cannot read is reported by the parent, as always
    (tmp_path / "bad.csv").write_text("no,columns\n1,2\n")
    with pytest.raises(regionmap.EventError, match="missing required columns"):
        load_store(tmp_path / "bad.csv", catalog, tmp_path / "child")


def test_the_child_check_works_from_inside_the_dashboard(tmp_path, catalog, monkeypatch):
    """Under Streamlit the app script is __main__; the child must not run it again."""
    from streamlit.testing.v1 import AppTest

    path = tmp_path / "acled.csv"
    synthetic_events(1_500, catalog, seed=18).to_csv(path, index=False)
    monkeypatch.setenv("REGIONMAP_EVENTS", str(path))
    monkeypatch.setattr(regionmap._store, "CHILD_MIN_BYTES", 0)
    monkeypatch.setattr(regionmap._dataset, "STORE_MIN_BYTES", 0)
    built = []
    real = regionmap._store._build_in_child
    monkeypatch.setattr(regionmap._store, "_build_in_child", lambda *a: built.append(real(*a)))
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120).run()
    assert not at.exception and built and all(built)  # the curated file and the ACLED one


def _map_view(at) -> tuple[float, float, float]:
    """The aggregated map's centre and zoom as its script sets them."""
    import re

    component = next(c for c in at.get("component_instance") if "folium" in c.proto.component_name)
    script = __import__("json").loads(component.proto.json_args)["script"]
    found = re.search(r'center: \[([-\d.]+), ([-\d.]+)\].*?"zoom": ([\d.]+)', script, re.S)
    assert found, "no map centre in the component's script"
    return float(found[1]), float(found[2]), float(found[3])


def test_a_reported_view_keeps_the_map_and_a_chosen_one_moves_it(synthetic_csv):
    """The map reports its bounds on load and on each pan; drawn again for each (st_folium
    keys a map by its script) it loaded four times a page open. A report of the view as
    drawn, or panned within its cells, keeps the same map; a theatre chosen in the sidebar
    still frames that theatre."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
    at.session_state["user_files"] = {"acled-10k.csv": synthetic_csv.read_bytes()}
    at.run()
    at.button(key="preset:all").click().run()
    lat, lon, zoom = _map_view(at)
    for shift in (0.0, 3.0):  # as drawn, then panned 3 degrees east
        at.session_state["map"] = {
            "bounds": _leaflet_bounds(lat, lon + shift, int(zoom), 1000, 620),
            "zoom": zoom,
        }
        at.run()
        assert not at.exception
        assert _map_view(at) == (lat, lon, zoom)
    # the Black Sea's frame lies inside the map's bounds at about its zoom: still moved to
    at.button(key="zoom:blacksea").click().run()
    blacksea = _map_view(at)
    assert math.floor(blacksea[2]) == math.floor(zoom) and blacksea[:2] != (lat, lon), blacksea
    at.button(key="zoom:syria").click().run()
    syria = _map_view(at)
    assert abs(syria[0] - lat) > 1 and syria[2] > zoom, syria


def test_the_heading_the_legend_and_the_sidebar_give_one_count(synthetic_csv):
    """A trial found four counts on one screen: the heading gave the bounds' count, the
    legend the cells', the sidebar the filter's, the export the filter's. Now the filter's
    count everywhere, and the heading adds how many are in view."""
    import json
    import re

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
    at.session_state["user_files"] = {"acled-10k.csv": synthetic_csv.read_bytes()}
    at.run()
    at.button(key="preset:all").click().run()
    lat, lon, zoom = _map_view(at)
    at.session_state["map"] = {"bounds": _leaflet_bounds(lat, lon + 6, int(zoom), 1000, 620),
                               "zoom": zoom}  # fmt: skip
    at.run()
    assert not at.exception
    shown = " ".join(m.value for m in at.sidebar.markdown)
    matching = re.search(r"([\d,]+) of [\d,]+ events shown", shown)[1]
    caption = next(c.value for c in at.caption if "layers," in c.value)
    in_view = re.search(rf"{matching} events \(([\d,]+) in view\)", caption)
    assert in_view and in_view[1] != matching, caption
    component = next(c for c in at.get("component_instance") if "folium" in c.proto.component_name)
    script = json.loads(component.proto.json_args)["script"]
    assert re.search(rf"rm-legend-count.{{0,40}}?{matching} event", script), matching
