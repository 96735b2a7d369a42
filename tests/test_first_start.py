"""The README's first command on a machine where Streamlit has never run.

It failed there: Streamlit asked for an e-mail address (no ``~/.streamlit/``), and with no
terminal and stdin closed it exited 255 before serving a page. Here the dashboard starts as
a desktop launcher or a script would start it: a fresh HOME, stdin closed, no controlling
terminal (a new session), and a "browser" that records the page it was asked to open.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fresh_start(tmp_path: Path, *extra: str) -> tuple[bool, str, Path]:
    home = tmp_path / "home"
    home.mkdir()
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "fake-browser"
    browser.write_text(f'#!/bin/sh\nprintf "%s" "$1" > {opened}\n')
    browser.chmod(browser.stat().st_mode | stat.S_IEXEC)
    port = _free_port()
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("STREAMLIT_", "XDG_", "DISPLAY"))
    }
    env.update(HOME=str(home), BROWSER=str(browser))
    log = (tmp_path / "log").open("w")
    proc = subprocess.Popen(
        ["timeout", "60", sys.executable, "-m", "regionmap", "dashboard", "--port", str(port),
         *extra],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,  # no controlling terminal, as from a launcher or a service
    )  # fmt: skip
    healthy = False
    try:
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/_stcore/health", timeout=2
                ) as answer:
                    healthy = answer.read() == b"ok"
                    break
            except OSError:
                time.sleep(0.3)
        # The browser is opened right after the health check answers.
        for _ in range(20):
            if opened.exists() or "--no-browser" in extra:
                break
            time.sleep(0.2)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
        log.close()
    said = (tmp_path / "log").read_text()
    assert not (home / ".streamlit" / "credentials.toml").exists() or "mail" not in said.lower()
    return healthy, said, opened


def test_fresh_machine_no_terminal_serves_and_opens_the_browser(tmp_path):
    healthy, said, opened = _fresh_start(tmp_path)
    assert healthy, f"no answer on the health endpoint; the server said: {said[-1500:]}"
    assert "email" not in said.lower() and "e-mail" not in said.lower()
    assert opened.exists(), "the user's browser was not opened"
    assert opened.read_text().startswith("http://127.0.0.1:")


@pytest.mark.parametrize("flag", ["--no-browser", "--headless"])
def test_fresh_machine_without_a_browser(tmp_path, flag):
    healthy, said, opened = _fresh_start(tmp_path, flag)
    assert healthy, said[-1500:]
    assert not opened.exists()


def test_stopping_regionmap_dashboard_stops_its_server(tmp_path):
    """A service manager sends SIGTERM to the process it started, not to its children."""
    home = tmp_path / "home"
    home.mkdir()
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "regionmap", "dashboard", "--no-browser", "--port", str(port)],
        cwd=ROOT, env={**os.environ, "HOME": str(home)}, stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/_stcore/health"
    try:
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        proc.send_signal(signal.SIGTERM)  # to regionmap only, not to its process group
        proc.wait(timeout=20)
        time.sleep(0.5)
        with pytest.raises(OSError):
            urllib.request.urlopen(url, timeout=2)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
