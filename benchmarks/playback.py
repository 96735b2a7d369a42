"""Playback benchmark (issue 13 §1, §2): frames per second of the map's play control in
headless Chromium, with the curated events; 3,000 synthetic events (948 in the window with
the curated ones: near the 1,000 the map draws as markers at most); and 100,000 synthetic
ones, drawn as grid cells that play through the space–time cube (`regionmap.web._cube`),
in the 2019-2024 window and over the synthetic events' whole span (2005-2024). For the
cells it reports the cube's bytes in the page (base64) per step.

`.venv/bin/python benchmarks/playback.py` (part of `make bench`). Each case renders the
dashboard's map as a standalone page (inline scripts, so no server) for its window, then
in the page steps through every frame of a month and a week step (where the page offers
them): ``draw`` each frame and wait for the browser's next animation frame (so layout
and paint are counted). Headless Chromium paces animation frames at 60 per second, so
60 fps is the ceiling; the script time per frame is reported beside it. Writes
benchmarks/results/playback.json.
Target (issue 13): >= 20 fps.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import regionmap  # noqa: E402
from regionmap._chromium import CHROMIUM_ARGS, chromium_path  # noqa: E402
from regionmap._synthetic import write_synthetic_csv  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
WINDOW = (dt.date(2019, 1, 1), dt.date(2024, 12, 31))
SPAN = (dt.date(2005, 1, 1), dt.date(2024, 12, 31))  # the synthetic events' 20 years
STEPS = ("month", "week")
TARGET_FPS = 20.0
STEP_THROUGH = """async () => {
  const pb = window.regionmapPlayback, frames = pb.frames();
  const next = () => new Promise(r => requestAnimationFrame(() => r()));
  let script = 0; await next();
  const t0 = performance.now();
  for (let k = 0; k < frames.length; k++) {
    const s = performance.now(); pb.draw(k); script += performance.now() - s; await next();
  }
  return [frames.length, performance.now() - t0, script,
          window.regionmapEvents ? window.regionmapEvents.getLayers().length : 0,
          window.regionmapEventCells ? window.regionmapEventCells.getLayers().length : 0];
}"""


def page_html(data: regionmap.Dataset, window: tuple[dt.date, dt.date] = WINDOW) -> str:
    spec = regionmap.ViewSpec.default(data.catalog).replace(start=window[0], end=window[1])
    fmap = regionmap.render_map(spec, data, regionmap.Assets(inline=True), playback=True)
    return fmap.get_root().render()


def cube_bytes(html: str) -> dict[str, int]:
    """Bytes of each step's cube in the page (its base64 arrays); empty without cells."""
    found = re.search(r"cube = (\{.*?\}|null);\n", html)
    cube = json.loads(found.group(1)) if found else None
    return {step: sum(len(a[0]) for a in arrays.values()) for step, arrays in (cube or {}).items()}


def measure(html: str, browser, tmp: Path) -> dict:
    """Frames, fps and script ms per frame of each step through one page."""
    path = tmp / "page.html"
    path.write_text(html, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 800})
    page.goto(path.as_uri())
    page.wait_for_selector("[data-testid=rm-playback-date]", timeout=120_000)
    out: dict = {"page_bytes": len(html.encode("utf-8")), "cube_bytes": cube_bytes(html)}
    offered = page.eval_on_selector_all(
        "[data-testid=rm-step] option", "os => os.map(o => o.value)"
    )
    for step in STEPS:
        if step not in offered:
            continue
        page.select_option("[data-testid=rm-step]", step)
        frames, ms, script_ms, markers, cells = page.evaluate(STEP_THROUGH)
        out[step] = {
            "frames": frames,
            "fps": round(frames / (ms / 1000), 1),
            "script_ms_per_frame": round(script_ms / frames, 2),
            "markers_at_end": markers,
            "cells_at_end": cells,
        }
    page.close()
    return out


def main() -> int:
    from playwright.sync_api import sync_playwright

    RESULTS.mkdir(parents=True, exist_ok=True)
    catalog = regionmap.load_catalog(ROOT / "geodata")
    cases = {
        "curated": (None, WINDOW),
        "synthetic 3,000": (3000, WINDOW),
        "synthetic 100,000": (100_000, WINDOW),
        "100,000, 2005-2024": (100_000, SPAN),
    }
    result = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=list(CHROMIUM_ARGS))
        for name, (n, window) in cases.items():
            csv = None
            if n is not None:
                csv = Path(tmp) / f"synthetic-{n}.csv"
                if not csv.exists():
                    write_synthetic_csv(csv, n, catalog, seed=7)
            data = regionmap.load_dataset(ROOT / "geodata", events_file=csv)
            result[name] = measure(page_html(data, window), browser, Path(tmp))
        browser.close()
    result["load_average_1min"] = round(os.getloadavg()[0], 1)  # a shared machine: say how busy
    (RESULTS / "playback.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"{'case':<20}{'step':<7}{'frames':>7}{'fps':>7}{'script ms':>10}{'markers':>9}"
        f"{'cells':>7}{'cube B':>9}"
    )
    cases_done = {k: v for k, v in result.items() if isinstance(v, dict)}
    for name, r in cases_done.items():
        for step in (s for s in STEPS if s in r):
            s = r[step]
            print(
                f"{name:<20}{step:<7}{s['frames']:>7}{s['fps']:>7}"
                f"{s['script_ms_per_frame']:>10}{s['markers_at_end']:>9}{s['cells_at_end']:>7}"
                f"{r['cube_bytes'].get(step, 0):>9}"
            )
    worst = min(r[s]["fps"] for r in cases_done.values() for s in STEPS if s in r)
    print(f"slowest: {worst} fps (target >= {TARGET_FPS}); load {result['load_average_1min']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
