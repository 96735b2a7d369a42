"""regionmap benchmarks: one command (`make bench`), a table on stdout, JSON in results/.

Dashboard figures (issue targets on the 2-core machine):
  map drawn after the page opens <= 2.5 s; sidebar toggle -> map redrawn <= 0.5 s;
  server time per rerun <= 100 ms; bytes sent for the default view <= 400 KB.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser_support import CHROMIUM_ARGS, chromium_path, dashboard_server  # noqa: E402

FRAME = "iframe[title='streamlit_folium.st_folium']"
RESULTS = ROOT / "benchmarks" / "results"


def _layer_paths(page, layer_id: str) -> int:
    return (
        page.frame_locator(FRAME)
        .locator("body")
        .evaluate("(_, id) => document.querySelectorAll('path.rm-layer-' + id).length", layer_id)
    )


def _wait(page, predicate, timeout_s: float = 30.0) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout_s:
        try:
            if predicate():
                return time.perf_counter() - start
        except Exception:  # iframe being replaced
            pass
        page.wait_for_timeout(10)
    raise TimeoutError("condition not met")


def bench_dashboard(repeats: int = 5) -> dict:
    from playwright.sync_api import sync_playwright

    server_log = RESULTS / "server.log"
    results: dict = {}
    started = time.perf_counter()
    with (
        dashboard_server(env={"REGIONMAP_PROFILE": "1"}, log=server_log) as url,
        sync_playwright() as p,
    ):
        results["server_start_s"] = time.perf_counter() - started
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        drawn, toggles, ws_bytes, http_bytes = [], [], [], []
        for i in range(repeats):
            context = browser.new_context(viewport={"width": 1500, "height": 1000})
            page = context.new_page()
            frames: list[int] = []
            responses: list[int] = []
            page.on(
                "websocket",
                lambda ws, frames=frames: ws.on(
                    "framereceived",
                    lambda payload: frames.append(len(payload) if payload else 0),
                ),
            )
            page.on(
                "requestfinished",
                lambda r, responses=responses: responses.append(
                    (r.sizes() or {}).get("responseBodySize", 0)
                ),
            )
            t0 = time.perf_counter()
            page.goto(url)
            page.frame_locator(FRAME).locator("path.rm-layer-kars-borders").first.wait_for(
                state="attached", timeout=60_000
            )
            drawn.append(time.perf_counter() - t0)
            page.wait_for_timeout(1500)
            ws_bytes.append(sum(frames))
            http_bytes.append(sum(responses))
            # toggle a layer off and on, timing click -> paths changed
            # the theatres' layer groups start folded: unfold Kars borders
            page.get_by_test_id("stSidebarUserContent").get_by_text(
                "Kars borders", exact=True
            ).click()
            label = page.get_by_text("Treaty borders (Moscow and Kars, 1921)")
            for expected in (0, 3):
                t1 = time.perf_counter()
                label.click()
                _wait(
                    page,
                    lambda e=expected, pg=page: (
                        _layer_paths(pg, "kars-borders") == e
                        and _layer_paths(pg, "akkuyu-plant") > 0
                    ),
                )
                toggles.append(time.perf_counter() - t1)
            context.close()
            if i == 0:
                results["first_visit_drawn_s"] = drawn[0]
        browser.close()
    reruns = [
        float(line.split()[-1])
        for line in server_log.read_text().splitlines()
        if line.startswith("regionmap-rerun-ms")
    ]
    results.update(
        {
            "map_drawn_after_page_open_s": statistics.median(drawn),
            "toggle_to_redrawn_s": statistics.median(toggles),
            "toggle_to_redrawn_max_s": max(toggles),
            "server_rerun_ms_median": statistics.median(reruns),
            "server_rerun_ms_p90": sorted(reruns)[int(0.9 * (len(reruns) - 1))],
            "reruns_measured": len(reruns),
            "websocket_bytes_default_view": statistics.median(ws_bytes),
            "http_bytes_first_visit": max(http_bytes),
        }
    )
    return results


def bench_render() -> dict:
    import regionmap
    from regionmap.web import map_summary

    dataset = regionmap.load_dataset(ROOT / "geodata")
    spec = regionmap.ViewSpec.default(dataset.catalog)
    times = []
    for _ in range(10):
        t0 = time.perf_counter()
        fmap = regionmap.render_map(spec, dataset)
        html = fmap.get_root().render()
        times.append(time.perf_counter() - t0)
    summary = map_summary(fmap)
    return {
        "render_map_and_html_ms": 1000 * statistics.median(times),
        "map_html_bytes": len(html.encode()),
        "map_markers": summary["markers"],
    }


def bench_snapshots(repeats: int = 3) -> dict:
    """Snapshot timings at 1600x1000, each through the public API: the default view, and
    the Lachin view (theatre framed at zoom 10, 2020 to today: dated variants, halos and
    "approximate" events, the fitted legend)."""
    import datetime as dt

    import regionmap
    from regionmap._chromium import chromium_path as find_chromium

    dataset = regionmap.load_dataset(ROOT / "geodata")
    spec = regionmap.ViewSpec.default(dataset.catalog)
    window = spec.replace(start=dt.date(2020, 1, 1), end=None)
    lachin = regionmap.frame_view(window, dataset.catalog, theatre="lachin", zoom=10)
    options = regionmap.SnapshotOptions(size=(1600, 1000))
    static = regionmap.SnapshotOptions(size=(1600, 1000), renderer="static")
    jobs = {
        "snapshot_html_s": (spec, "html", options),
        "snapshot_static_png_s": (spec, "png", static),
        "snapshot_lachin_static_png_s": (lachin, "png", static),
        "snapshot_lachin_svg_s": (lachin, "svg", options),
    }
    if find_chromium():
        jobs["snapshot_png_browser_s"] = (spec, "png", options)
        jobs["snapshot_lachin_png_browser_s"] = (lachin, "png", options)
    out = {}
    for key, (view, fmt, opts) in jobs.items():
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            regionmap.snapshot_bytes(view, dataset, fmt, opts)
            times.append(time.perf_counter() - t0)
        out[key] = statistics.median(times)
    return out


TARGETS = {
    "snapshot_png_browser_s": ("<=", 3.0),
    "snapshot_static_png_s": ("<=", 1.0),
    "snapshot_html_s": ("<=", 0.5),
    "snapshot_lachin_png_browser_s": ("<=", 3.0),
    "snapshot_lachin_static_png_s": ("<=", 1.0),
    "map_drawn_after_page_open_s": ("<=", 2.5),
    "toggle_to_redrawn_s": ("<=", 0.5),
    "server_rerun_ms_median": ("<=", 100),
    "websocket_bytes_default_view": ("<=", 400_000),
}


def main() -> int:
    """All groups, or those named on the command line (render, snapshots, dashboard)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    asked = set(sys.argv[1:]) or {"render", "snapshots", "dashboard"}
    results = {"machine": f"{os.cpu_count()} cores", "when": time.strftime("%Y-%m-%d %H:%M")}
    if "render" in asked:
        results["render"] = bench_render()
    if "snapshots" in asked:
        results["snapshots"] = bench_snapshots()
    if "dashboard" in asked and chromium_path():
        results["dashboard"] = bench_dashboard()
    elif "dashboard" in asked:
        print("no Chromium: dashboard figures skipped", file=sys.stderr)
    name = "latest" if len(asked) == 3 else "latest-" + "-".join(sorted(asked))
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2))
    print(f"{'figure':<34} {'value':>14}  target")
    for group in ("render", "snapshots", "dashboard"):
        for key, value in results.get(group, {}).items():
            op, target = TARGETS.get(key, ("", None))
            verdict = ""
            if target is not None:
                verdict = f"{op} {target}  " + ("ok" if value <= target else "MISSED")
            shown = f"{value:,.3f}" if isinstance(value, float) else f"{value:,}"
            print(f"{key:<34} {shown:>14}  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
