"""Playback's space–time cube (#13 §2): counts per grid cell per frame, from pandas and from
the stores' SQL, and what the page is given of it."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import regionmap
from regionmap._animate import step_ends
from regionmap._synthetic import write_synthetic_csv
from regionmap.events import merge_events, read_events
from regionmap.stores import DuckStore, PostgisStore, store_cell_days
from regionmap.web import aggregate_events, cell_days, cell_size_deg, event_cube, render_map

from .conftest import ROOT
from .pg_support import scratch_database

EPOCH = dt.date(1970, 1, 1)
EF = regionmap.EventFilter


def _day(value: str) -> int:
    return (dt.date.fromisoformat(value) - EPOCH).days


def _frames(start: str, end: str, step: str) -> list[int]:
    return [(d - EPOCH).days for d in step_ends(dt.date.fromisoformat(start),
                                                 dt.date.fromisoformat(end), step)]  # fmt: skip


def _events(rows: list[tuple[float, float, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "longitude": [r[0] for r in rows],
            "latitude": [r[1] for r in rows],
            "start": pd.to_datetime([r[2] for r in rows]),
            "event_type": "Battles",
        }
    )


def test_boundaries_empty_steps_and_events_outside_the_window():
    size = 1.0
    frames = _frames("2020-01-01", "2020-04-15", "month")  # Jan, Feb, Mar, 1-15 Apr
    events = _events(
        [
            (40.5, 39.5, "2019-06-01"),  # before the window (a span that began earlier): first
            (40.5, 39.5, "2020-01-31"),  # the first frame's last day: in it
            (40.5, 39.5, "2020-02-01"),  # the next day: the second frame
            (40.5, 39.5, "2020-04-15"),  # the window's last day: the (cut) last frame
            (40.5, 39.5, "2020-04-16"),  # after the window: left out
            (-3.5, 39.5, "2020-01-15"),  # a cell west of the prime meridian (negative column)
            (41.0, 39.999, "2020-02-29"),  # on a cell's west edge: the cell east of it
        ]
    )
    cube = event_cube(cell_days(events, size), frames)
    assert cube.n_cells == 3  # columns -4, 40, 41 in that order (as aggregate_events)
    counts = cube.cumulative()
    assert counts.tolist() == [[1, 2, 0], [1, 3, 1], [1, 3, 1], [1, 4, 1]]
    assert np.diff(cube.offsets).tolist() == [2, 2, 0, 1]  # March is an empty step


def test_the_cube_is_a_plain_pandas_count_per_cell_and_frame(catalog, tmp_path):
    """Synthetic and curated events by month and by week: every frame's counts per cell
    equal a groupby of the events that started by that frame's day, cells in the order
    `aggregate_events` draws them (its counts are the last frame's when none lies after)."""
    synthetic = read_events(write_synthetic_csv(tmp_path / "s.csv", 3_000, catalog), catalog)
    curated = read_events(ROOT / "geodata" / "events.csv", catalog)
    events = merge_events([curated.frame, synthetic.frame])
    zoom = 5
    size = cell_size_deg(zoom)
    for step in ("month", "week", "year"):
        frames = _frames("2012-03-10", "2019-07-04", step)
        cube = event_cube(cell_days(events, size), frames)
        cumulative = cube.cumulative()
        ix = np.floor(events["longitude"].to_numpy(float) / size).astype(int)
        iy = np.floor(events["latitude"].to_numpy(float) / size).astype(int)
        keys = sorted(set(zip(ix, iy, strict=True)))
        assert cube.n_cells == len(keys)
        starts = (events["start"].dt.normalize() - pd.Timestamp(EPOCH)).dt.days.to_numpy()
        for k in sorted({0, 1, len(frames) // 2, len(frames) - 1}):
            upto = starts <= frames[k]
            plain = pd.Series(list(zip(ix[upto], iy[upto], strict=True))).value_counts()
            expected = [int(plain.get(key, 0)) for key in keys]
            assert cumulative[k].tolist() == expected, (step, k)
        assert cumulative[-1].sum() == int((starts <= frames[-1]).sum())
    everything = event_cube(cell_days(events, size), [_day("2100-01-01")])
    assert everything.cumulative()[-1].tolist() == aggregate_events(events, zoom)["count"].tolist()


def test_the_payload_is_base64_typed_arrays_that_read_back():
    events = _events([(40.5, 39.5, "2020-01-03")] * 300 + [(10.5, 9.5, "2020-03-01")])
    cube = event_cube(cell_days(events, 1.0), _frames("2020-01-01", "2020-03-31", "month"))
    payload = cube.payload()
    assert payload["count"][1] == 16  # 300 does not fit a byte
    assert payload["cell"][1] == 8 and payload["offsets"][1] == 8
    dtype = {8: "<u1", 16: "<u2", 32: "<u4"}
    back = {k: np.frombuffer(base64.b64decode(v[0]), dtype[v[1]]) for k, v in payload.items()}
    assert back["offsets"].tolist() == [0, 1, 1, 2]
    assert back["cell"].tolist() == [1, 0] and back["count"].tolist() == [300, 1]
    empty = event_cube(cell_days(events.iloc[0:0], 1.0), [1, 2])
    assert empty.n_cells == 0 and empty.cumulative().shape == (2, 0)


def test_an_aggregated_page_ships_the_cube_once_and_a_marker_page_none(catalog, tmp_path):
    csv = write_synthetic_csv(tmp_path / "s.csv", 5_000, catalog)  # ~1,500 in the window
    data = regionmap.load_dataset(ROOT / "geodata", events_file=csv)
    spec = regionmap.ViewSpec.default(data.catalog).replace(
        start=dt.date(2019, 1, 1), end=dt.date(2024, 12, 31)
    )
    page = render_map(spec, data, playback=True).get_root().render()
    shipped = json.loads(re.search(r"cube = (\{.*?\});\n", page).group(1))
    assert set(shipped) == {"day", "week", "month", "year"}  # small enough: every step
    month = shipped["month"]
    offsets = np.frombuffer(base64.b64decode(month["offsets"][0]), f"<u{month['offsets'][1] // 8}")
    assert len(offsets) == 72 + 1  # six years of months
    assert '"n": ' not in page and page.count("cube = ") == 1  # not an object per cell and step
    assert re.search(r"var counted = true,", page)  # the legend's count follows the frames
    narrow = spec.replace(start=dt.date(2024, 12, 1))  # a few hundred events: markers
    assert "cube = null" in render_map(narrow, data, playback=True).get_root().render()


# --------------------------------------------------------------------- the stores' SQL


@pytest.fixture(scope="module")
def frame(catalog, tmp_path_factory):
    csv = write_synthetic_csv(tmp_path_factory.mktemp("cube") / "acled.csv", 2_000, catalog)
    curated = read_events(ROOT / "geodata" / "events.csv", catalog)
    return merge_events([curated.frame, read_events(csv, catalog).frame])


@pytest.fixture(scope="module")
def duck(frame, tmp_path_factory):
    path = tmp_path_factory.mktemp("cube-duck") / "events.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    store = DuckStore(path)
    yield store
    store.close()


@pytest.fixture(scope="module")
def postgis(frame):
    with scratch_database() as url:
        store = PostgisStore(url)
        store.init()
        store.upsert(frame, "acled")
        yield store
        store.close()


FILTERS = {
    "everything": EF(),
    "window": EF(start=dt.date(2015, 1, 1), end=dt.date(2016, 12, 31)),
    "window + type + bbox": EF(
        start=dt.date(2010, 1, 1), event_types=("Battles",), bbox=(35.0, 35.0, 45.0, 42.0)
    ),
    "empty": EF(bbox=(45.0, 38.0, 40.0, 42.0)),
}


@pytest.mark.parametrize("name", list(FILTERS))
@pytest.mark.parametrize("engine", ["duck", "postgis"])
def test_stores_count_per_cell_and_day_as_pandas_does(frame, request, engine, name):
    f = FILTERS[name]
    size = cell_size_deg(5)
    reference = cell_days(regionmap.apply_filter(frame, f), size)
    got = store_cell_days(request.getfixturevalue(engine), f, size)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), reference.reset_index(drop=True))
    assert (len(got) == 0) == (name == "empty")
    frames = _frames("2012-01-01", "2020-12-31", "month")
    assert np.array_equal(
        event_cube(got, frames).cumulative(), event_cube(reference, frames).cumulative()
    )
