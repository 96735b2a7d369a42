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
    ("file never seen: command → map", "first_seen_command_to_map_s", ".2f", " s"),
    ("file never seen: page open → map", "first_seen_page_to_map_s", ".2f", " s"),
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
        first = first_seen_figures(env, geodata) if env.get("REGIONMAP_EVENTS") else {}
        return {**first, **browser_figures(geodata, user_data)}
    except Exception as exc:  # one engine failing still leaves the others' figures
        return {"error": f"{type(exc).__name__}: {exc}"}
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def first_seen_figures(env: dict[str, str], geodata: Path) -> dict:
    """The first map of a file the dashboard has never seen (no Parquet copy yet: every row
    is validated first), from `regionmap dashboard` started, and from the page opened as
    soon as the server answers (what the README's command does)."""
    import time

    from playwright.sync_api import sync_playwright

    from benchmarks.scale import open_map
    from tests.browser_support import dashboard_server

    with tempfile.TemporaryDirectory(prefix="regionmap-first-seen-") as user_data:
        env = {**env, "REGIONMAP_GEODATA": str(geodata), "REGIONMAP_USER_DATA": user_data}
        with sync_playwright() as p:
            t0 = time.perf_counter()
            with dashboard_server(env=env) as url:
                browser, _, _, page_s = open_map(url, p)
                command_s = time.perf_counter() - t0
                browser.close()
    return {"first_seen_command_to_map_s": command_s, "first_seen_page_to_map_s": page_s}


def pydeck_figures(csv: Path, max_message_mb: int | None = None) -> dict:
    """benchmarks/pydeck_app.py on its own server: page open to points drawn (the first
    visit reads the CSV; the second is served from st.cache_data) and server memory.
    ``max_message_mb`` raises Streamlit's ``server.maxMessageSize`` (200 MB by default),
    which a million points exceed; the size of the message is in Streamlit's refusal."""
    import re
    import time

    from benchmarks.deck_cdp import page_to_points
    from tests.browser_support import dashboard_server, server_rss_mb

    out: dict = {}
    env = {"PYDECK_EVENTS": str(csv)}
    if max_message_mb:
        env["STREAMLIT_SERVER_MAX_MESSAGE_SIZE"] = str(max_message_mb)
    app = ROOT / "benchmarks" / "pydeck_app.py"
    with dashboard_server(env=env, app=app) as url:
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        for visit in ("first_start_page_to_map_s", "page_open_to_map_s"):
            t0 = time.perf_counter()
            try:
                out[visit] = page_to_points(url)
            except RuntimeError as exc:
                out["error"] = f"refused after {time.perf_counter() - t0:.0f} s: {exc}"
                size = re.search(r"Data of size ([\d.]+) MB", str(exc))
                out["message_mb"] = float(size[1]) if size else None
                break
        out["server_rss_mb"] = round(server_rss_mb(port), 1)
        out["server_peak_rss_mb"] = round(server_rss_mb(port, "VmHWM"), 1)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--engines", default="pandas,duckdb,postgis,pydeck,pydeck-1GB")
    args = parser.parse_args()

    import regionmap
    from regionmap._synthetic import write_synthetic_csv
    from regionmap.events import read_events
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
