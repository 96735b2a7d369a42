"""Page open to deck.gl points drawn, timed over Chromium's DevTools protocol directly.

Playwright's driver is sent every websocket frame the page receives; a million points are
one 262 MB frame, which runs the driver (Node) out of memory. Here only the Page and
Runtime commands travel: the page is opened, then polled for the chart's canvas, whose
pixels (a screenshot, as composited: a WebGL canvas cannot be read back) show the points.
"""

from __future__ import annotations

import base64
import io
import json
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from regionmap._chromium import CHROMIUM_ARGS, chromium_path

# Debian's Chromium draws WebGL in software only when allowed to
ARGS = [*CHROMIUM_ARGS, "--headless", "--enable-unsafe-swiftshader", "--window-size=1500,1000"]
CHART = """(() => {
  if (document.querySelector('[data-testid=stException],[data-testid=stAlertContentError]'))
    return {refused: document.querySelector(
      '[data-testid=stException],[data-testid=stAlertContentError]').innerText};
  const c = document.querySelector('[data-testid=stDeckGlJsonChart] canvas');
  if (!c) return null;
  const r = c.getBoundingClientRect();
  return {x: r.x, y: r.y, width: r.width, height: r.height, scale: 1};
})()"""


class _Session:
    def __init__(self, ws) -> None:
        self.ws, self.n = ws, 0

    def call(self, method: str, **params) -> dict:
        self.n += 1
        self.ws.send(json.dumps({"id": self.n, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.n:
                return message.get("result", {})


def _debugger_url(profile: Path, deadline: float) -> str:
    port_file = profile / "DevToolsActivePort"
    while not (port_file.exists() and port_file.read_text().strip()):
        if time.perf_counter() > deadline:
            raise TimeoutError("Chromium did not start")
        time.sleep(0.1)
    port = int(port_file.read_text().split()[0])
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=10) as answer:
        targets = json.load(answer)
    return next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")


def page_to_points(url: str, timeout_s: float = 900) -> float:
    """Seconds from opening ``url`` to points on the deck.gl chart.

    Raises RuntimeError with Streamlit's message when it refused to send the chart, and
    TimeoutError when nothing was drawn in ``timeout_s``."""
    from PIL import Image
    from websockets.sync.client import connect

    with tempfile.TemporaryDirectory(prefix="regionmap-cdp-") as profile:
        command = [chromium_path(), *ARGS, f"--user-data-dir={profile}"]
        command += ["--remote-debugging-port=0", "about:blank"]
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.perf_counter() + 60
            with connect(_debugger_url(Path(profile), deadline), max_size=None) as ws:
                session = _Session(ws)
                t0 = time.perf_counter()
                session.call("Page.navigate", url=url)
                while time.perf_counter() - t0 < timeout_s:
                    box = session.call("Runtime.evaluate", expression=CHART, returnByValue=True)
                    box = box.get("result", {}).get("value")
                    if box and "refused" in box:
                        raise RuntimeError(" ".join(box["refused"].split())[:200])
                    if box and box["width"] > 0:
                        shot = session.call("Page.captureScreenshot", format="png", clip=box)
                        image = Image.open(io.BytesIO(base64.b64decode(shot["data"])))
                        if sum(image.convert("L").histogram()[:200]) > 2000:  # not blank
                            return time.perf_counter() - t0
                    time.sleep(0.05)
            raise TimeoutError("no points drawn")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
