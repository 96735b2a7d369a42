"""ACLED-scale benchmarks: 10k / 100k / 1M synthetic events, each figure beside the naive
way in the same run. `.venv/bin/python benchmarks/scale.py [10000,100000,1000000]`.
Writes benchmarks/results/scale.json and prints a table."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

import regionmap  # noqa: E402
from regionmap._store import load_store  # noqa: E402
from regionmap._synthetic import write_synthetic_csv  # noqa: E402
from tests.browser_support import CHROMIUM_ARGS, chromium_path, dashboard_server  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
WINDOW = regionmap.EventFilter(
    start=dt.date(2015, 1, 1), end=dt.date(2016, 12, 31), event_types=("Battles",)
)
RESTARTS = 3  # page open -> map on a restarted server: the median of this many
NAIVE_MAX = 10_000  # one folium Marker per event: beyond this the naive map takes minutes


def timed(fn, repeats: int = 5) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), value


def geodata_with(events_csv: Path, tmp: Path) -> Path:
    """A copy of the shipped geodata whose events are the synthetic file."""
    geodata = tmp / "geodata"
    shutil.copytree(ROOT / "geodata", geodata)
    shutil.copyfile(events_csv, geodata / "events.csv")
    return geodata


def apptest_rerun_ms(app: Path, geodata: Path, extra_env: dict | None = None) -> tuple[float, int]:
    """Median wall time of a rerun, and the map component's payload in bytes."""
    from streamlit.testing.v1 import AppTest

    old = dict(os.environ)
    os.environ.update({"REGIONMAP_GEODATA": str(geodata), **(extra_env or {})})
    try:
        at = AppTest.from_file(str(app), default_timeout=600).run()
        if at.exception:
            raise RuntimeError(at.exception[0].message)
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            at.run()
            times.append(1000 * (time.perf_counter() - t0))
        comp = [c for c in at.get("component_instance") if "folium" in c.proto.component_name]
        payload = len(comp[0].proto.json_args.encode()) if comp else 0
        return statistics.median(times), payload
    finally:
        os.environ.clear()
        os.environ.update(old)


def naive_filter(frame: pd.DataFrame) -> pd.DataFrame:
    """The usual way: parse the date strings again on every query."""
    dates = pd.to_datetime(frame["event_date"], format="%d %B %Y", errors="coerce")
    keep = (dates >= "2015-01-01") & (dates <= "2016-12-31") & (frame["event_type"] == "Battles")
    return frame[keep]


def check_same_hits(hits: pd.DataFrame, naive_hits: pd.DataFrame) -> None:
    """Ours keeps what the naive filter keeps, plus only events dated to a week or a month
    (time_precision 2 or 3) whose week or month reaches into the window: regionmap reads
    those as the span ACLED means, the naive filter as one day."""
    ours, naive = set(hits["event_id"]), set(naive_hits["event_id_cnty"])
    assert naive <= ours, f"{len(naive - ours)} events the naive filter keeps are missing"
    extra = hits[hits["event_id"].isin(ours - naive)]
    assert (extra["time_precision"] > 1).all(), extra[["event_id", "time_precision"]]


FRAME = "iframe[title='streamlit_folium.st_folium']"


def wait_map(page, previous: str | None = None, timeout_s: float = 600) -> str:
    """Until the map has drawn its layers and its legend says something other than
    ``previous`` (st_folium redraws inside the same iframe); returns the legend's count."""
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        if page.locator(FRAME).count() == 1:
            frame = page.frame_locator(FRAME)
            try:
                frame.locator("path.rm-layer-kars-borders").first.wait_for(
                    state="attached", timeout=500
                )
                text = frame.locator(".rm-legend-count").first.text_content(timeout=500)
                if text and text != previous:
                    return text
            except Exception:  # not drawn yet, or replaced meanwhile
                pass
        page.wait_for_timeout(20)
    raise TimeoutError("map not drawn")


def open_map(url: str, p) -> tuple[object, object, list[int], float]:
    """A fresh browser on ``url``; seconds from page open to map drawn."""
    browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    frames: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda d: frames.append(len(d))))
    t0 = time.perf_counter()
    page.goto(url)
    wait_map(page)
    return browser, page, frames, time.perf_counter() - t0


def browser_figures(geodata: Path, user_data: Path) -> dict:
    """Page open to first map on a new server (CSV validated), then on restarted servers
    (Parquet cache); on the last, a filter change to redrawn map, bytes it sent, memory."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import server_rss_mb

    out: dict = {}
    env = {"REGIONMAP_GEODATA": str(geodata), "REGIONMAP_USER_DATA": str(user_data)}
    with sync_playwright() as p:
        with dashboard_server(env=env) as url:
            browser, _, _, out["first_start_page_to_map_s"] = open_map(url, p)
            browser.close()
            port = int(url.rstrip("/").rsplit(":", 1)[1])
            out["first_start_peak_rss_mb"] = round(server_rss_mb(port, "VmHWM"), 1)
        opens, starts = [], []
        for attempt in range(RESTARTS):
            t0 = time.perf_counter()
            with dashboard_server(env=env) as url:
                starts.append(time.perf_counter() - t0)
                port = int(url.rstrip("/").rsplit(":", 1)[1])
                browser, page, frames, seconds = open_map(url, p)
                opens.append(seconds)
                if attempt < RESTARTS - 1:
                    browser.close()
                    continue
                page.wait_for_timeout(2000)
                legend = wait_map(page)
                out["bytes_page_open"] = sum(frames)
                frames.clear()
                t2 = time.perf_counter()
                page.get_by_role("button", name="2020 war").click()
                out["legend_after_filter"] = wait_map(page, previous=legend)
                out["filter_change_to_map_s"] = time.perf_counter() - t2
                page.wait_for_timeout(1000)
                out["bytes_after_filter_change"] = sum(frames)
                out["server_rss_mb"] = round(server_rss_mb(port), 1)
                out["server_peak_rss_mb"] = round(server_rss_mb(port, "VmHWM"), 1)
                browser.close()
        out["restart_server_s"] = statistics.median(starts)
        out["page_open_to_map_s"] = statistics.median(opens)
        out["page_open_to_map_max_s"] = max(opens)
    return out


def naive_browser_s(geodata: Path) -> float:
    """Page open to the naive map's markers drawn. Its CDN files are answered from the same
    local XStatic copies regionmap serves (others empty): this machine has no internet."""
    from playwright.sync_api import sync_playwright

    from regionmap.web import ASSETS, asset_path

    local = {asset.name: asset_path(asset) for asset in ASSETS}

    def answer(route) -> None:
        url = route.request.url
        if url.startswith("http://127.0.0.1"):
            route.continue_()
            return
        name = url.split("?")[0].rsplit("/", 1)[-1]
        if name in local:
            route.fulfill(path=str(local[name]))
        else:
            route.fulfill(status=200, body="")

    env = {"REGIONMAP_GEODATA": str(geodata)}
    app = ROOT / "benchmarks" / "naive_app.py"
    with sync_playwright() as p, dashboard_server(env=env, app=app) as url:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        page.route("**/*", answer)
        t0 = time.perf_counter()
        page.goto(url)
        page.frame_locator(FRAME).locator(".marker-cluster, .leaflet-marker-icon").first.wait_for(
            state="attached", timeout=600_000
        )
        seconds = time.perf_counter() - t0
        browser.close()
    return seconds


def main() -> int:
    sizes = [
        int(s) for s in (sys.argv[1] if len(sys.argv) > 1 else "10000,100000,1000000").split(",")
    ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    catalog = regionmap.load_catalog(ROOT / "geodata")
    dataset = regionmap.load_dataset(ROOT / "geodata")
    spec = regionmap.ViewSpec.default(dataset.catalog).replace(start=None, end=None)
    rows = {}
    for n in sizes:
        csv = RESULTS / f"synthetic-{n}.csv"
        if not csv.exists():
            write_synthetic_csv(csv, n, catalog, seed=7)
        r: dict = {}
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            store = load_store(csv, catalog, Path(tmp) / "cache")
            r["load_validated_s"] = time.perf_counter() - t0
            r["load_cached_s"], _ = timed(
                lambda tmp=tmp, csv=csv: load_store(csv, catalog, Path(tmp) / "cache"), 3
            )
            t0 = time.perf_counter()
            naive = pd.read_csv(csv, dtype=str, keep_default_na=False)
            r["naive_load_s"] = time.perf_counter() - t0
        r["filter_ms"], hits = timed(lambda s=store: s.query(WINDOW))
        r["filter_ms"] *= 1000
        r["naive_filter_ms"], naive_hits = timed(lambda f=naive: naive_filter(f))
        r["naive_filter_ms"] *= 1000
        r["filter_hits"] = len(hits)
        check_same_hits(hits, naive_hits)
        t0 = time.perf_counter()
        page = (
            regionmap.render_map(
                spec,
                dataset,
                regionmap.Assets(basemap_url="/app/static/basemap.geojson"),
                events=store.frame,
            )
            .get_root()
            .render()
        )
        r["render_s"] = time.perf_counter() - t0
        r["map_bytes"] = len(page.encode())
        with tempfile.TemporaryDirectory() as tmp:
            geodata = geodata_with(csv, Path(tmp))
            r["server_rerun_ms"], r["component_bytes"] = apptest_rerun_ms(
                ROOT / "dashboard" / "app.py",
                geodata,
                {"REGIONMAP_USER_DATA": str(Path(tmp) / "apptest")},
            )
            if n <= NAIVE_MAX:
                t0 = time.perf_counter()
                r["naive_rerun_ms"], r["naive_component_bytes"] = apptest_rerun_ms(
                    ROOT / "benchmarks" / "naive_app.py", geodata
                )
                r["naive_first_run_s"] = time.perf_counter() - t0
                if chromium_path():
                    r["naive_page_open_to_map_s"] = naive_browser_s(geodata)
            if chromium_path():
                r.update(browser_figures(geodata, Path(tmp) / "user"))
        rows[n] = r
        print(
            n,
            json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in r.items()}),
            flush=True,
        )

    # the default view (curated events), side by side with the naive way
    default: dict = {}
    ours_ms, ours_bytes = apptest_rerun_ms(ROOT / "dashboard" / "app.py", ROOT / "geodata")
    naive_ms, naive_bytes = apptest_rerun_ms(
        ROOT / "benchmarks" / "naive_app.py", ROOT / "geodata", {"NAIVE_UNTIL": "2021-03-23"}
    )
    default.update(
        rerun_ms=ours_ms,
        naive_rerun_ms=naive_ms,
        rerun_speedup=naive_ms / ours_ms,
        component_bytes=ours_bytes,
        naive_component_bytes=naive_bytes,
        bytes_ratio=naive_bytes / ours_bytes,
    )
    result = {"when": time.strftime("%Y-%m-%d %H:%M"), "sizes": rows, "default_view": default}
    (RESULTS / "scale.json").write_text(json.dumps(result, indent=2))
    print_table(result)
    return 0


def print_table(result: dict) -> None:
    """One row per figure, one column per size; the naive figure beside ours."""
    sizes = list(result["sizes"])
    keys = sorted({k for r in result["sizes"].values() for k in r})
    print(f"{'figure':<28}" + "".join(f"{int(n):>14,}" for n in sizes))
    for key in keys:
        cells = []
        for n in sizes:
            value = result["sizes"][n].get(key)
            cells.append(
                f"{value:>14,.3f}"
                if isinstance(value, float)
                else f"{value if value is not None else '-':>14}"
            )
        print(f"{key:<28}" + "".join(cells))
    print("default view (curated events), ours vs naive:")
    for key, value in result["default_view"].items():
        print(f"  {key:<26} {value:,.2f}")


if __name__ == "__main__":
    sys.exit(main())
