"""One suite for every store: the pandas filters, DuckDB and PostGIS keep the same rows.

The data: the curated events (spans, open-ended spans, month and year precision) and
2,000 synthetic ACLED rows. The PostGIS half runs against a scratch database
(`tests.pg_support`); it skips without PostgreSQL unless REGIONMAP_REQUIRE_POSTGIS=1.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import regionmap
from regionmap._dataset import LIGHT_COLUMNS
from regionmap._synthetic import write_synthetic_csv
from regionmap.events import merge_events, read_events
from regionmap.stores import DuckStore, PostgisStore, StoreError, mask_url
from regionmap.stores._base import FULL_COLUMNS
from regionmap.web import aggregate_events, cell_size_deg

from .conftest import ROOT
from .pg_support import scratch_database

EF = regionmap.EventFilter


@pytest.fixture(scope="module")
def acled_csv(tmp_path_factory, catalog):
    return write_synthetic_csv(tmp_path_factory.mktemp("stores") / "acled.csv", 2_000, catalog)


SPANS = (
    "event_id,event_date,date_start,date_end,time_precision,event_type,actor1,actor2,"
    "latitude,longitude,theatre,source\n"
    "SP1,,2023-01-01,,1,Strategic developments,Military Forces of Russia (2000-),,"
    "39.9,41.3,kars,test\n"
    "SP2,2019-05-01,,,3,Battles,Wagner Group,,32.9,13.2,libya,test\n"
    "SP3,,2025-05-31,2025-06-01,1,Protests,Protesters (Turkey),,36.1,33.5,akkuyu,test\n"
)


@pytest.fixture(scope="module")
def parts(acled_csv, catalog, tmp_path_factory):
    """(curated frame with an open span and more added, ACLED frame), validated."""
    spans = tmp_path_factory.mktemp("spans") / "spans.csv"
    spans.write_text(SPANS, encoding="utf-8")
    ours = read_events(ROOT / "geodata" / "events.csv", catalog)
    extra = read_events(spans, catalog)
    theirs = read_events(acled_csv, catalog)
    assert ours.ok and theirs.ok and extra.ok, extra.problems
    assert len(extra.frame) == 3
    return merge_events([ours.frame, extra.frame]), theirs.frame


@pytest.fixture(scope="module")
def frame(parts):
    """Every event in one pandas frame: the reference."""
    return merge_events(list(parts))


@pytest.fixture(scope="module")
def duck(frame, tmp_path_factory):
    path = tmp_path_factory.mktemp("duck") / "events.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    store = DuckStore(path)
    yield store
    store.close()


@pytest.fixture(scope="module")
def pg_url():
    with scratch_database() as url:
        yield url


@pytest.fixture(scope="module")
def postgis(pg_url, parts):
    store = PostgisStore(pg_url)
    store.init()
    ours, theirs = parts
    store.upsert(ours, "regionmap")
    store.upsert(theirs, "acled")
    yield store
    store.close()


def _edge(frame) -> tuple[float, float]:
    row = frame[frame["event_id"] == "SYN0000042"].iloc[0]
    return float(row["longitude"]), float(row["latitude"])


def filters(frame) -> dict[str, EF]:
    lon, lat = _edge(frame)
    return {
        "everything": EF(),
        "2020 war": EF(start=dt.date(2020, 9, 27), end=dt.date(2020, 11, 10)),
        "one day inside open spans": EF(start=dt.date(2025, 6, 1), end=dt.date(2025, 6, 1)),
        "from a day on (open end)": EF(start=dt.date(2024, 6, 12)),
        "up to a day (open start)": EF(end=dt.date(1994, 5, 12)),
        "month-precision ends": EF(start=dt.date(2015, 12, 31), end=dt.date(2015, 12, 31)),
        "types": EF(event_types=("Battles", "Protests")),
        "actor on either side": EF(actors=("Wagner Group", "Military Forces of Turkey (2016-)")),
        "theatres": EF(theatres=("kars", "lachin")),
        "bbox": EF(bbox=(40.0, 38.0, 47.0, 42.0)),
        "bbox edges inclusive": EF(bbox=(lon, lat, lon + 0.5, lat + 0.5)),
        "bbox edges inclusive (east, north)": EF(bbox=(lon - 0.5, lat - 0.5, lon, lat)),
        "window + type + bbox": EF(
            start=dt.date(2015, 1, 1),
            end=dt.date(2016, 12, 31),
            event_types=("Battles",),
            bbox=(35.0, 35.0, 45.0, 42.0),
        ),
        "empty: west > east": EF(bbox=(45.0, 38.0, 40.0, 42.0)),
        "empty: no such type": EF(event_types=("No such type",)),
        "empty: before everything": EF(start=dt.date(1800, 1, 1), end=dt.date(1800, 12, 31)),
    }


NAMES = list(filters(pd.DataFrame({"event_id": ["SYN0000042"], "longitude": [0], "latitude": [0]})))


def _rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Comparable rows: the contract's columns, text as text, ordered by id."""
    out = frame[list(FULL_COLUMNS)].astype(str)
    return out.sort_values("event_id", ignore_index=True)


def _check_same(reference: pd.DataFrame, got: pd.DataFrame) -> None:
    assert sorted(got["event_id"].astype(str)) == sorted(reference["event_id"].astype(str))
    pd.testing.assert_frame_equal(_rows(got), _rows(reference))


@pytest.mark.parametrize("name", NAMES)
def test_duckdb_keeps_what_the_pandas_filters_keep(frame, duck, name):
    f = filters(frame)[name]
    reference = regionmap.apply_filter(frame, f)
    got = duck.query(f)
    _check_same(reference, got)
    assert duck.count(f) == len(reference)
    if name.startswith("empty"):
        assert len(got) == 0
    else:
        assert len(got) > 0, "a filter meant to keep something kept nothing"


@pytest.mark.parametrize("name", NAMES)
def test_postgis_keeps_what_the_pandas_filters_keep(frame, postgis, name):
    f = filters(frame)[name]
    reference = regionmap.apply_filter(frame, f)
    _check_same(reference, postgis.query(f))
    assert postgis.count(f) == len(reference)


@pytest.mark.parametrize(
    "name", ["everything", "bbox", "window + type + bbox", "empty: west > east"]
)
@pytest.mark.parametrize("zoom", [4, 7])
@pytest.mark.parametrize("engine", ["duck", "postgis"])
def test_grid_counts_are_the_same_in_every_store(frame, request, engine, name, zoom):
    f = filters(frame)[name]
    reference = aggregate_events(regionmap.apply_filter(frame, f), zoom)
    for store in (request.getfixturevalue(engine),):
        got = store.grid(f, cell_size_deg(zoom))
        assert got["count"].tolist() == reference["count"].tolist(), store.engine
        assert got["type"].tolist() == list(reference["type"]), store.engine
        assert got["lon"].to_numpy() == pytest.approx(reference["lon"].to_numpy())
        assert got["lat"].to_numpy() == pytest.approx(reference["lat"].to_numpy())


@pytest.mark.parametrize("engine", ["duck", "postgis"])
def test_projection_order_limit_and_rows_by_id(frame, request, engine):
    f = EF(event_types=("Battles",))
    reference = regionmap.apply_filter(frame, f).sort_values(["start", "event_id"])
    for store in (request.getfixturevalue(engine),):
        light = store.query(f, LIGHT_COLUMNS, limit=10)
        assert set(light.columns) == set(LIGHT_COLUMNS)
        assert "notes" not in light.columns and len(light) == 10
        assert light["event_id"].tolist() == reference["event_id"].head(10).tolist()
        full = store.rows(light["event_id"])
        assert full["event_id"].tolist() == light["event_id"].tolist()
        assert {"notes", "title", "source"} <= set(full.columns)
        assert "year" in full.columns  # ACLED's extra columns come back
        assert store.choices()["types"] == sorted(frame["event_type"].astype(str).unique())


@pytest.mark.parametrize("engine", ["duck", "postgis"])
def test_rows_narrowed_by_their_days_and_known_ids(frame, request, engine):
    """`rows` with the days the ids start on returns what pandas holds for them, and none
    outside those days; `known` says which ids the store has, reading only ids."""
    store = request.getfixturevalue(engine)
    light = store.query(EF(start=dt.date(2015, 1, 1)), LIGHT_COLUMNS, limit=40)
    days = (light["start"].min(), light["start"].max())
    reference = frame[frame["event_id"].isin(set(light["event_id"]))]
    full = store.rows(light["event_id"], days)
    assert full["event_id"].tolist() == light["event_id"].tolist()
    _check_same(reference, full)
    later = frame[frame["start"] > days[1]]["event_id"].iloc[0]
    assert later not in set(store.rows([*light["event_id"], later], days)["event_id"])
    assert store.rows([later])["event_id"].tolist() == [later]
    asked = [*light["event_id"].head(5), "RM-NO-SUCH-ID", later]
    assert store.known(asked) == {*light["event_id"].head(5), later}
    assert store.known(asked) == {*light["event_id"].head(5), later}  # DuckDB: kept
    assert store.known([]) == set() and store.known(["RM-NO-SUCH-ID"]) == set()


@pytest.mark.parametrize("engine", ["duck", "postgis"])
def test_a_store_has_no_length(request, engine):
    """Streamlit's usage statistics take len() of what a page passes to it (the sidebar
    keeps the store in session state): with a length, each rerun counted every event."""
    from collections.abc import Sized

    assert not isinstance(request.getfixturevalue(engine), Sized)


def test_the_stores_total_is_reused_for_a_while(pg_url, postgis, frame, monkeypatch):
    """The whole-table count beside the filter's (a sequential scan) is asked again only
    after `STORE_TOTAL_TTL_S`; another dashboard's import shows then."""
    import regionmap._dataset as dataset_module

    dataset = regionmap.load_dataset(ROOT / "geodata", store=pg_url)
    assert dataset.event_count() == len(frame)
    extra = frame[frame["event_id"] == "SYN0000007"].assign(event_id="SYN-TTL-1")
    postgis.upsert(extra, "acled")
    try:
        assert dataset.event_count() == len(frame)  # reused
        monkeypatch.setattr(dataset_module, "STORE_TOTAL_TTL_S", 0.0)
        assert dataset.event_count() == len(frame) + 1
    finally:
        postgis.delete(["SYN-TTL-1"])


def test_import_is_idempotent_and_deletions_apply(pg_url, parts, postgis):
    ours, theirs = parts
    before = postgis.count()
    assert postgis.upsert(theirs.head(100), "acled") == 100
    assert postgis.count() == before  # same ids: updated, not added
    assert postgis.delete(["SYN0000001", "SYN0000002", "no such id"]) == 2
    assert postgis.count() == before - 2
    postgis.upsert(theirs, "acled")
    assert postgis.count() == before


def test_dataset_with_a_store_shows_its_events_once_beside_the_curated(pg_url, postgis, frame):
    dataset = regionmap.load_dataset(ROOT / "geodata", store=pg_url)
    assert dataset.event_count() == len(frame)  # the curated rows are in the store too
    spec = regionmap.ViewSpec.default(dataset.catalog).replace(start=dt.date(2015, 1, 1))
    shown = dataset.visible_events(spec, light=True)
    reference = regionmap.apply_filter(frame, spec.event_filter())
    assert sorted(shown["event_id"]) == sorted(reference["event_id"])
    first = dataset.first_events(shown, 5)
    assert len(first) == 5 and "notes" in first.columns
    assert first["start"].is_monotonic_increasing


def test_duckdb_store_from_a_file_keeps_its_problems_and_reuses_its_copy(tmp_path, catalog):
    path = tmp_path / "acled.csv"
    write_synthetic_csv(path, 500, catalog, seed=5)
    text = path.read_text(encoding="utf-8").splitlines()
    text[3] = text[3].replace(",Battles,", ",,") if ",Battles," in text[3] else text[3]
    text.append(text[1])  # a repeated id
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    first = DuckStore.from_file(path, catalog, tmp_path / "cache")
    again = DuckStore.from_file(path, catalog, tmp_path / "cache")
    assert first.problems and [str(p) for p in first.problems] == [str(p) for p in again.problems]
    assert first.parquet == again.parquet and first.count() == again.count()
    reference = read_events(path, catalog)
    assert first.count() == len(reference.frame)


# ---------------------------------------------------------------- URLs and failures


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("postgresql://ana:s3cret@db:5432/ev", "postgresql://ana:***@db:5432/ev"),
        ("postgresql://ana@db/ev", "postgresql://ana@db/ev"),
        ("postgresql://db/ev?user=a&password=s3cret", "postgresql://db/ev?user=a&password=***"),
        ("postgres://a:p%40ss@h/d", "postgres://a:***@h/d"),
    ],
)
def test_passwords_are_masked(url, masked):
    assert mask_url(url) == masked


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "regionmap", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


def test_an_unreachable_store_is_one_line_without_the_password():
    url = "postgresql://ana:TopSecret99@127.0.0.1:1/events"
    done = _cli("store", "stats", url)
    assert done.returncode == 1
    assert "TopSecret99" not in done.stderr + done.stdout
    assert len(done.stderr.strip().splitlines()) == 1
    assert done.stderr.startswith("regionmap: cannot connect to postgresql://ana:***@")
    done = _cli("events", env={"REGIONMAP_STORE": url})
    assert done.returncode == 1 and "TopSecret99" not in done.stderr
    done = _cli("dashboard", "--no-browser", "--port", "8599", "--store", url)
    assert done.returncode == 1 and "TopSecret99" not in done.stderr  # never started
    assert done.stderr.strip().splitlines()[-1].startswith("regionmap: cannot connect")
    with pytest.raises(StoreError, match=r"^cannot connect to postgresql://ana:\*\*\*@"):
        regionmap.open_postgis(url)


def test_a_wrong_password_and_a_database_without_postgis_say_so(pg_url):
    user_part, rest = pg_url.split("@", 1)
    wrong = user_part.rsplit(":", 1)[0] + ":NotThePassword@" + rest
    done = _cli("store", "stats", wrong)
    assert done.returncode == 1 and "NotThePassword" not in done.stderr
    assert "password authentication failed" in done.stderr
    with scratch_database(with_postgis=False) as bare:
        done = _cli("store", "stats", bare)
        assert done.returncode == 1
        assert done.stderr.strip().endswith("PostGIS is not installed in this database")
        assert len(done.stderr.strip().splitlines()) == 1


def test_cli_init_import_stats_and_events(tmp_path, catalog):
    bad = ROOT / "tests" / "data" / "events_bad_rows.csv"
    with scratch_database() as url:
        assert _cli("store", "init", url).returncode == 0
        assert _cli("store", "init", url).returncode == 0  # safe to rerun
        done = _cli("store", "import", "geodata/events.csv", "--into", url)
        assert done.returncode == 0, done.stderr
        assert "rows" in done.stderr and "upserted" in done.stderr  # the progress bar
        again = _cli("store", "import", "geodata/events.csv", "--into", url, "--quiet")
        assert again.returncode == 0
        done = _cli("store", "import", str(bad), "--into", url, "--quiet")
        assert done.returncode == 1  # bad rows are listed, the good ones imported
        assert "line " in done.stderr and "bad rows skipped" in done.stderr
        stats = _cli("store", "stats", url)
        assert stats.returncode == 0 and "regionmap" in stats.stdout
        password = url.split("@")[0].rsplit(":", 1)[1]
        assert f":{password}@" not in stats.stdout + stats.stderr
        assert ":***@" in stats.stdout
        args = ("events", "--from", "2020-09-27", "--to", "2020-11-10")
        plain = _cli(*args, "--format", "csv")
        stored = _cli(*args, "--store", url)
        assert stored.returncode == 0, stored.stderr
        ids = sorted(pd.read_csv(pd.io.common.StringIO(plain.stdout))["event_id"])
        stored_ids = pd.read_csv(pd.io.common.StringIO(stored.stdout))["event_id"]
        assert set(ids) <= set(stored_ids)


# ---------------------------------------------------------------- two dashboards, one store


def test_two_dashboards_on_one_store_see_each_others_kept_files(pg_url, postgis, tmp_path):
    """Dashboard B is open; A keeps a layer file in the store (what its uploader does with
    "Keep my files" ticked); after a rerun, B shows it. Each has its own local folder."""
    from streamlit.testing.v1 import AppTest

    app = str(ROOT / "dashboard" / "app.py")
    env = {"REGIONMAP_STORE": pg_url, "REGIONMAP_USER_DATA": str(tmp_path / "b")}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        b = AppTest.from_file(app, default_timeout=120).run()
        assert not b.exception, b.exception
        assert not [c for c in b.sidebar.checkbox if (c.key or "").startswith("layer:user-")]
        shown = next(m.value for m in b.sidebar.markdown if "events shown" in m.value)
        assert f"of {postgis.count():,} events" in shown

        os.environ["REGIONMAP_USER_DATA"] = str(tmp_path / "a")
        a = AppTest.from_file(app, default_timeout=120).run()
        assert not a.exception, a.exception
        shape = (
            ROOT / "tests" / "data" / "userfiles" / "country_top_level_id.geojson"
        ).read_bytes()
        store = regionmap.open_postgis(pg_url)
        name = regionmap.keep_user_file(shape, "Карабах.geojson", store)
        assert name == "Карабах.geojson"
        assert not (tmp_path / "a").exists()  # kept in the store, not the local folder
        # a different file of the same name never replaces it
        other = regionmap.keep_user_file(shape.replace(b'"ARM"', b'"XYZ"'), name, store)
        assert other == "Карабах (2).geojson"

        b.run()
        assert not b.exception, b.exception
        kept = [c.key for c in b.sidebar.checkbox if (c.key or "").startswith("layer:user-")]
        assert "layer:user-karabakh" in kept and len(kept) == 2
        a.run()
        assert "layer:user-karabakh" in [c.key for c in a.sidebar.checkbox]
        regionmap.forget_user_file(other, store)
        regionmap.forget_user_file(name, store)
        assert regionmap.kept_user_files(store) == {}
        store.close()
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _app_with(env: dict[str, str], action=None):
    from streamlit.testing.v1 import AppTest

    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120).run()
        assert not at.exception, at.exception
        if action is not None:
            action(at)
            assert not at.exception, at.exception
        shown = next(m.value for m in at.sidebar.markdown if "events shown" in m.value)
        (component,) = [
            c for c in at.get("component_instance") if "folium" in c.proto.component_name
        ]
        return shown, json.loads(component.proto.json_args)["script"]
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.mark.parametrize("window", [None, ("2015-01-01", "2015-03-31")])
def test_dashboard_on_duckdb_draws_what_the_pandas_path_draws(acled_csv, tmp_path, window):
    """The same events file with and without `--store duckdb`: the same count and, in
    aggregated mode, the same cells (counts from SQL); in marker mode the same markers."""

    def narrow(at):
        if window is not None:
            at.slider(key="window").set_value(tuple(dt.date.fromisoformat(d) for d in window))
            at.run()

    base = {"REGIONMAP_EVENTS": str(acled_csv), "REGIONMAP_USER_DATA": str(tmp_path)}
    plain_text, plain_map = _app_with({**base, "REGIONMAP_STORE": ""}, narrow)
    duck_text, duck_map = _app_with({**base, "REGIONMAP_STORE": "duckdb"}, narrow)
    assert duck_text == plain_text
    cells = re.compile(r"var cells = (\[.*?\]), colors")
    markers = re.compile(r"var events = (\[.*?\]), labels")
    duck_markers = sorted(str(json.loads(m)) for m in markers.findall(duck_map))
    assert duck_markers == sorted(str(json.loads(m)) for m in markers.findall(plain_map))
    duck_cells = [c for m in cells.findall(duck_map) for c in json.loads(m)]
    plain_cells = [c for m in cells.findall(plain_map) for c in json.loads(m)]
    # counts, sizes and main types exactly; the mean position to 1e-3 degrees (SQL and
    # numpy add the same coordinates in another order, and the 4th decimal can round apart)
    assert [c[2:] for c in sorted(duck_cells)] == [c[2:] for c in sorted(plain_cells)]
    for d, p in zip(sorted(duck_cells), sorted(plain_cells), strict=True):
        assert abs(d[0] - p[0]) < 1e-3 and abs(d[1] - p[1]) < 1e-3
    assert cells.findall(duck_map) if window is None else markers.findall(duck_map)
    cube = re.compile(r"cube = (\{.*?\}|null);\n")  # playback's cube: from SQL the same
    assert cube.findall(duck_map) == cube.findall(plain_map)
    assert ("null" not in cube.findall(duck_map)) == (window is None)


def test_snapshot_with_a_store_exports_the_stores_events(postgis, pg_url, tmp_path):
    out = tmp_path / "shown.csv"
    done = _cli(
        "snapshot", "--out", str(out), "--from", "2015-01-01", "--to", "2015-12-31",
        "--store", pg_url,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    ids = set(pd.read_csv(out, dtype=str)["event_id"])
    expected = set(
        postgis.query(EF(start=dt.date(2015, 1, 1), end=dt.date(2015, 12, 31)))["event_id"]
    )
    assert expected and expected <= ids
