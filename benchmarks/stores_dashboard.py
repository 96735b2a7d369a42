"""The dashboard itself on each store, in headless Chromium: page open to map, a filter
change ("2020 war") to map redrawn, bytes sent for it, server memory after and at peak.

    .venv/bin/python benchmarks/stores_dashboard.py [--rows 1000000]

The same synthetic ACLED file as benchmarks/stores.py, passed as ``--events`` beside the
curated events: through the pandas store (today's default), through ``--store duckdb``,
and imported into a scratch PostGIS database used with ``--store URL``. The first start
(validation into the Parquet copy, or the import) is done before the timed runs. Beside
them, what a user would otherwise pick: benchmarks/pydeck_app.py, every event a point in
``st.pydeck_chart`` (page open to points drawn, bytes, memory; it has no filters). Writes
benchmarks/results/stores_dashboard.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "benchmarks" / "results"
FIGURES = (
    ("first page open → map, new server", "first_start_page_to_map_s", ".2f", " s"),
    ("page open → map, warm server", "page_open_to_map_s", ".2f", " s"),
    ("bytes sent for a page open", "bytes_page_open", ",.0f", " B"),
    ('"2020 war" clicked → map redrawn', "filter_change_to_map_s", ".2f", " s"),
    ("bytes sent for that change", "bytes_after_filter_change", ",.0f", " B"),
    ("server memory after that", "server_rss_mb", ",.0f", " MB"),
    ("server memory at peak", "server_peak_rss_mb", ",.0f", " MB"),
)


def figures(env: dict[str, str], geodata: Path, user_data: Path) -> dict:
    from benchmarks.scale import browser_figures

    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        return browser_figures(geodata, user_data)
    except Exception as exc:  # one engine failing still leaves the others' figures
        return {"error": f"{type(exc).__name__}: {exc}"}
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


DECK = "[data-testid=stDeckGlJsonChart]"


def wait_points(page, timeout_s: float = 900) -> None:
    """Until deck.gl has drawn points: the chart's pixels (a screenshot, as composited; a
    WebGL canvas cannot be read back) differ from its blank background in many places.

    Raises RuntimeError with Streamlit's message when it refused to send the chart."""
    import io
    import time

    from PIL import Image

    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        chart = page.locator(DECK)
        if chart.count() and chart.first.locator("canvas").count():
            shot = Image.open(io.BytesIO(chart.first.screenshot(timeout=60_000))).convert("L")
            if sum(shot.histogram()[:200]) > 2000:  # points, not a white canvas
                return
        refused = page.locator("[data-testid=stAlertContentError], [data-testid=stException]")
        if refused.count():
            raise RuntimeError(" ".join(refused.first.inner_text().split())[:200])
        page.wait_for_timeout(50)
    raise TimeoutError("no points drawn")


def pydeck_figures(csv: Path, max_message_mb: int | None = None) -> dict:
    """benchmarks/pydeck_app.py on its own server: page open to points drawn (the first
    visit reads the CSV; the second is served from st.cache_data), bytes over the
    websocket for a visit, server memory. ``max_message_mb`` raises Streamlit's
    ``server.maxMessageSize`` (200 MB by default), which a million points exceed."""
    import time

    from playwright.sync_api import sync_playwright

    from tests.browser_support import CHROMIUM_ARGS, chromium_path, dashboard_server, server_rss_mb

    out: dict = {}
    app = ROOT / "benchmarks" / "pydeck_app.py"
    env = {"PYDECK_EVENTS": str(csv)}
    if max_message_mb:
        env["STREAMLIT_SERVER_MAX_MESSAGE_SIZE"] = str(max_message_mb)
    with sync_playwright() as p, dashboard_server(env=env, app=app) as url:
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        # Debian's Chromium draws WebGL in software only when allowed to
        args = [*CHROMIUM_ARGS, "--enable-unsafe-swiftshader"]
        try:
            for visit in ("first_start_page_to_map_s", "page_open_to_map_s"):
                browser = p.chromium.launch(executable_path=chromium_path(), args=args)
                page = browser.new_page(viewport={"width": 1500, "height": 1000})
                frames: list[int] = []
                if not max_message_mb:  # a frame of hundreds of MB kills Playwright's driver
                    page.on(
                        "websocket",
                        lambda ws, f=frames: ws.on("framereceived", lambda d: f.append(len(d))),
                    )
                t0 = time.perf_counter()
                page.goto(url)
                try:
                    wait_points(page)
                finally:
                    out[visit] = time.perf_counter() - t0
                    out["bytes_page_open"] = sum(frames) or None
                page.wait_for_timeout(1000)
                out["bytes_page_open"] = sum(frames) or None
                browser.close()
        except RuntimeError as exc:
            out["error"] = str(exc)
        out["server_rss_mb"] = round(server_rss_mb(port), 1)
        out["server_peak_rss_mb"] = round(server_rss_mb(port, "VmHWM"), 1)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--engines", default="pandas,duckdb,postgis,pydeck,pydeck-1GB")
    args = parser.parse_args()

    import regionmap
    from regionmap.events import read_events
    from regionmap.synthetic import write_synthetic_csv
    from tests.pg_support import scratch_database

    catalog = regionmap.load_catalog(ROOT / "geodata")
    engines = args.engines.split(",")
    out: dict = {"date": dt.date.today().isoformat(), "rows": args.rows, "engines": {}}
    with tempfile.TemporaryDirectory(prefix="regionmap-stores-dash-") as tmp:
        tmp = Path(tmp)
        csv = write_synthetic_csv(tmp / "acled.csv", args.rows, catalog)
        user_data = tmp / "user"
        regionmap.load_store(csv, catalog, user_data / "cache")  # the Parquet copy, once
        base = {"REGIONMAP_EVENTS": str(csv), "REGIONMAP_STORE": ""}
        geodata = ROOT / "geodata"
        if "pandas" in engines:
            out["engines"]["pandas"] = figures(base, geodata, user_data)
            print("pandas", out["engines"]["pandas"], file=sys.stderr)
        if "duckdb" in engines:
            env = {**base, "REGIONMAP_STORE": "duckdb"}
            out["engines"]["duckdb"] = figures(env, geodata, user_data)
            print("duckdb", out["engines"]["duckdb"], file=sys.stderr)
        if "postgis" in engines:
            try:
                with scratch_database() as url:
                    store = regionmap.PostgisStore(url)
                    store.init()
                    store.upsert(read_events(csv, catalog).frame, "acled")
                    store.close()
                    env = {"REGIONMAP_EVENTS": "", "REGIONMAP_STORE": url}
                    out["engines"]["postgis"] = figures(env, geodata, user_data)
            except BaseException as exc:  # pytest.skip without PostgreSQL
                if isinstance(exc, KeyboardInterrupt):
                    raise
                out["engines"]["postgis"] = {"error": str(exc)}
            print("postgis", out["engines"]["postgis"], file=sys.stderr)
        for engine, limit in (("pydeck", None), ("pydeck-1GB", 1024)):
            if engine in engines:
                try:
                    out["engines"][engine] = pydeck_figures(csv, limit)
                except Exception as exc:
                    out["engines"][engine] = {"error": f"{type(exc).__name__}: {exc}"}
                print(engine, out["engines"][engine], file=sys.stderr)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "stores_dashboard.json").write_text(json.dumps(out, indent=2) + "\n")
    print(table(out))
    return 0


def table(out: dict) -> str:
    names = {
        "pandas": "pandas",
        "duckdb": "DuckDB",
        "postgis": "PostGIS",
        "pydeck": "st.pydeck_chart, every point",
        "pydeck-1GB": "the same, maxMessageSize 1 GB",
    }
    engines = [e for e in names if e in out["engines"]]
    lines = [
        f"Dashboard, {out['rows']:,} synthetic ACLED events, {out['date']}",
        "",
        "| figure | " + " | ".join(names[e] for e in engines) + " |",
        "|---" * (len(engines) + 1) + "|",
    ]
    for label, key, fmt, unit in FIGURES:
        cells = []
        for engine in engines:
            value = out["engines"][engine].get(key)
            cells.append(format(value, fmt) + unit if isinstance(value, int | float) else "—")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    for engine in engines:
        if "error" in out["engines"][engine]:
            lines.append(f"{names[engine]}: {out['engines'][engine]['error']}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
