"""Headless Chromium for PNG snapshots exactly as the web map draws them.

Finds a Chromium (``$REGIONMAP_CHROMIUM``, the system's, Playwright's) and drives it with
Playwright, offline, until the map says it is drawn. Nothing here knows what a map is.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path

from regionmap._errors import ExportError
from regionmap._settings import read_setting, setting

CHROMIUM_ENV = setting("REGIONMAP_CHROMIUM").name
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
]  # fmt: skip
NO_CHROMIUM = (
    "PNG export needs Chromium and none was found (set REGIONMAP_CHROMIUM, or install it: "
    "sudo apt-get install chromium); --renderer static draws a PNG without a browser"
)


# Interactive controls mean nothing on paper; the legend, scale and caption stay.
PNG_HIDE = ".rm-tool,.leaflet-control-zoom,.leaflet-control-layers{display:none!important}"


def chromium_path() -> str | None:
    """$REGIONMAP_CHROMIUM, then the usual system paths, then Playwright's own browser."""
    for candidate in (
        read_setting(CHROMIUM_ENV),
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        shutil.which("chromium"),
        shutil.which("google-chrome"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    with contextlib.suppress(Exception):
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            path = p.chromium.executable_path
            if path and Path(path).exists():
                return path
    return None


def capture_png(
    page_html: str, browser_path: str, size: tuple[int, int], scale: float = 1.0
) -> bytes:
    """Open a page in headless Chromium, offline, and screenshot it once it is drawn.

    ``size`` is the viewport (width, height) in CSS pixels and ``scale`` the device pixel
    ratio, so the PNG is size × scale pixels. The page must set ``data-regionmap-ready``
    on its body when drawn (the web map does).

    Raises
    ------
    ExportError
        Chromium failed to start or to render the page within 30 s.
    """
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    width, height = size
    with tempfile.TemporaryDirectory(prefix="regionmap-") as tmp:
        page_path = Path(tmp) / "snapshot.html"
        page_path.write_text(page_html, encoding="utf-8")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=browser_path, args=CHROMIUM_ARGS)
                try:
                    context = browser.new_context(
                        viewport={"width": width, "height": height},
                        device_scale_factor=scale,
                        offline=True,
                    )
                    page = context.new_page()
                    page.goto(page_path.as_uri())
                    page.wait_for_function(
                        "document.body.getAttribute('data-regionmap-ready') === '1'", timeout=30_000
                    )
                    two_frames = "() => new Promise(r => requestAnimationFrame(() => "
                    two_frames += "requestAnimationFrame(r)))"
                    page.add_style_tag(content=PNG_HIDE)
                    page.evaluate(two_frames)
                    png = page.screenshot(type="png")
                finally:
                    browser.close()
        except PlaywrightError as exc:
            raise ExportError(
                f"Chromium could not render the snapshot: {exc.message.splitlines()[0]}"
            ) from None
    return png
