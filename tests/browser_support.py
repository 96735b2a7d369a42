"""A dashboard server and a headless Chromium for the browser tests and benchmarks.

The server listens on 127.0.0.1 only and is started under `timeout`, so it stops by
itself even if the test run dies. Chromium is Debian's (/usr/bin/chromium) or the one
named by $REGIONMAP_CHROMIUM; Playwright drives it.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from regionmap._chromium import CHROMIUM_ARGS, chromium_path

__all__ = [
    "CHROMIUM_ARGS",
    "ROOT",
    "chromium_path",
    "dashboard_server",
    "offline_page",
    "require_browser",
    "server_rss_mb",
]

ROOT = Path(__file__).resolve().parents[1]
SERVER_LIFETIME_S = 1200


def require_browser() -> str:
    """The Chromium to use; skips the test without one, fails under CI's strict flag."""
    import pytest

    path = chromium_path()
    if path is None:
        if os.environ.get("REGIONMAP_REQUIRE_BROWSER") == "1":
            pytest.fail("REGIONMAP_REQUIRE_BROWSER=1 but no Chromium found")
        pytest.skip("no Chromium (apt-get install chromium)")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def dashboard_server(
    env: dict | None = None, log: Path | None = None, app: Path | None = None
) -> Iterator[str]:
    """Start `regionmap dashboard` (or plain `streamlit run app`, for the benchmarks' naive
    baseline) on a free loopback port; yield its URL.

    The server's stderr goes to ``log`` if given (benchmarks read timings from it).
    """
    port = free_port()
    command = ["timeout", str(SERVER_LIFETIME_S), sys.executable]
    if app is None:
        command += ["-m", "regionmap", "dashboard", "--no-browser", "--port", str(port)]
    else:
        command += ["-m", "streamlit", "run", str(app), "--server.port", str(port)]
        command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
        command += ["--browser.gatherUsageStats", "false"]
    err = open(log, "w") if log else subprocess.PIPE  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=err,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                said = proc.stderr.read().decode() if proc.stderr else ""
                raise RuntimeError(f"dashboard did not start on {url}: {said[-2000:]}")
            time.sleep(0.3)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
        if log:
            err.close()


@contextlib.contextmanager
def offline_page(browser, path: Path) -> Iterator[tuple[object, list[str]]]:
    """An exported page opened from disk with no network, once its map is drawn; yields the
    Playwright page and the problems seen (failed requests, console errors, page errors,
    dialogs: an alert() from injected text is one)."""
    problems: list[str] = []
    context = browser.new_context(offline=True)
    try:
        page = context.new_page()
        page.on("requestfailed", lambda r: problems.append(f"failed {r.url[:80]}"))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.goto(path.as_uri())
        page.wait_for_function("document.body.getAttribute('data-regionmap-ready') === '1'")
        yield page, problems
    finally:
        context.close()


def server_rss_mb(port: int, field: str = "VmRSS") -> float:
    """Resident memory of the Streamlit process listening on ``port`` (for load tests);
    ``field="VmHWM"`` gives its peak since it started."""
    out = subprocess.run(
        ["pgrep", "-f", "--", f"server.port {port}"], capture_output=True, text=True
    )
    total = 0.0
    for pid in out.stdout.split():
        with contextlib.suppress(OSError):
            command = Path(f"/proc/{pid}/cmdline").read_text()
            if "streamlit" in command or "serve.py" in command:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith(f"{field}:"):
                        total += int(line.split()[1]) / 1024
    return total
