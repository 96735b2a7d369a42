"""Load test with real browsers: concurrent sessions against one dashboard, loopback only.

On the 2-core machine Chromium itself saturates the CPU beyond about 8 pages (20 pages:
page loads time out at 30 s while 9 sessions run), so this runs 6 sessions by default;
benchmarks/load_ws.py holds 20 sessions at the websocket level instead.

Each session toggles its own layer and moves its own time window for the duration, then
checks that what it sees is its own view (no state leaks between sessions). The server's
resident memory is sampled throughout. Run: `.venv/bin/python benchmarks/load.py [N] [S]`.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser_support import (  # noqa: E402
    CHROMIUM_ARGS,
    chromium_path,
    dashboard_server,
    server_rss_mb,
)

FRAME = "iframe[title='streamlit_folium.st_folium']"
LAYERS = [
    ("kars-borders", "Treaty borders (Moscow and Kars, 1921)"),
    ("kars-places", "Places the treaties settled"),
    ("lachin-corridor", "Lachin corridor (5 km)"),
    ("syria-border", "Turkey–Syria border"),
    ("akkuyu-plant", "Akkuyu nuclear power plant"),
    ("libya-front", "Sirte–Jufra line"),
    ("libya-places", "Places of the proxy war"),
]


STAGGER_S = 4.0  # sessions open one after another (a first draw costs ~2.5 s of CPU)
PAUSE_MS = 1500  # between one session's actions


async def idle(page) -> None:
    """Wait until Streamlit has finished the session's last rerun."""
    for _ in range(120):
        if await page.get_by_test_id("stStatusWidget").count() == 0:
            return
        await page.wait_for_timeout(500)


async def session(browser, url: str, index: int, seconds: float, stats: dict) -> None:
    await asyncio.sleep(index * STAGGER_S)
    layer_id, label = LAYERS[index % len(LAYERS)]
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(f"HTTP {r.status}") if r.status >= 400 else None)
    await page.goto(url)
    frame = page.frame_locator(FRAME)
    await frame.locator("path.rm-layer-kars-borders").first.wait_for(
        state="attached", timeout=120_000
    )
    # the theatres' layer groups start folded: unfold them all (the clicks below need them)
    for summary in await page.locator(
        "[data-testid=stSidebarUserContent] [data-testid=stExpander] summary"
    ).all():
        await summary.click()
    actions = 0
    deadline = time.monotonic() + seconds
    thumb = page.get_by_role("slider").last
    while time.monotonic() < deadline:
        await page.get_by_text(label, exact=True).click()
        await idle(page)
        await thumb.focus()
        await thumb.press("PageDown" if actions % 2 else "PageUp")
        actions += 1
        await page.wait_for_timeout(PAUSE_MS)
    # end with this session's layer off (odd number of clicks), window moved
    if actions % 2 == 0:
        await page.get_by_text(label, exact=True).click()
    await idle(page)
    await page.wait_for_timeout(2000)
    checked = await page.get_by_role("checkbox", name=label).is_checked()
    others_on = [
        await page.get_by_role("checkbox", name=other).is_checked()
        for lid, other in LAYERS
        if lid != layer_id
    ]
    drawn = None
    for _ in range(60):  # after a rerun the old and the new map may briefly both exist
        if await page.locator(FRAME).count() == 1:
            try:
                drawn = await frame.locator("body").evaluate(
                    "(_, id) => document.querySelectorAll('path.rm-layer-' + id).length",
                    layer_id,
                    timeout=5_000,
                )
                break
            except Exception:  # the iframe was replaced while we asked
                pass
        await page.wait_for_timeout(500)
    leak = checked or not all(others_on) or drawn != 0 or "layers=" not in page.url
    stats["sessions"].append(
        {
            "index": index,
            "actions": actions,
            "errors": errors,
            "leak": bool(leak),
            "layer": layer_id,
        }
    )
    await context.close()


async def run(url: str, port: int, sessions: int, seconds: float) -> dict:
    from playwright.async_api import async_playwright

    stats: dict = {"sessions": [], "rss_mb": []}

    async def sample() -> None:
        while True:
            stats["rss_mb"].append(round(server_rss_mb(port), 1))
            await asyncio.sleep(5)

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        sampler = asyncio.create_task(sample())

        async def guarded(i: int) -> None:
            try:
                await session(browser, url, i, seconds, stats)
            except Exception as exc:  # count it, keep the other sessions going
                stats["sessions"].append(
                    {"index": i, "actions": 0, "errors": [repr(exc)[:300]], "leak": True}
                )

        await asyncio.gather(*(guarded(i) for i in range(sessions)))
        sampler.cancel()
        await browser.close()
    return stats


def main() -> int:
    sessions = int(sys.argv[1]) if len(sys.argv) > 1 else 6
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 80
    if chromium_path() is None:
        print("no Chromium: load test skipped", file=sys.stderr)
        return 1
    with dashboard_server() as url:
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        t0 = time.monotonic()
        stats = asyncio.run(run(url, port, sessions, seconds))
        elapsed = time.monotonic() - t0
    per = stats["sessions"]
    errors = sum(len(s["errors"]) for s in per)
    leaks = sum(s["leak"] for s in per)
    rss = stats["rss_mb"]
    summary = {
        "sessions": len(per),
        "seconds_each": seconds,
        "concurrent_for_s": round(seconds - (sessions - 1) * STAGGER_S, 1),
        "wall_s": round(elapsed, 1),
        "actions": sum(s["actions"] for s in per),
        "errors": errors,
        "sessions_with_leaked_state": leaks,
        "rss_mb_first": rss[0] if rss else None,
        "rss_mb_max": max(rss) if rss else None,
        "rss_mb_last": rss[-1] if rss else None,
        "rss_mb_median": statistics.median(rss) if rss else None,
    }
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "load.json").write_text(json.dumps({"summary": summary, **stats}, indent=2))
    for key, value in summary.items():
        print(f"{key:<28} {value}")
    if errors:
        print(json.dumps([s["errors"][:3] for s in per if s["errors"]][:5], indent=1))
    return 0 if errors == 0 and leaks == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
