"""regionmap dashboard: start the Streamlit app on 127.0.0.1 and open the browser once it
answers."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import webbrowser
from pathlib import Path

from regionmap import GEODATA_ENV, MAX_UPLOAD_MB, setting
from regionmap.cli._store import add_store_option, check_store
from regionmap.stores import STORE_ENV

DASHBOARD_APP = Path(__file__).resolve().parents[3] / "dashboard" / "app.py"
DASHBOARD_SERVE = DASHBOARD_APP.with_name("serve.py")  # streamlit run, with a warm start


EVENTS_ENV = setting("REGIONMAP_EVENTS").name  # read by dashboard/cache.py


LOOPBACK = ("127.0.0.1", "localhost", "::1")


HEALTH_PATH = "/_stcore/health"  # Streamlit answers "ok" here once it serves pages


def _dashboard_url(address: str, port: int) -> str:
    host = "127.0.0.1" if address in ("0.0.0.0", "::") else address
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{port}"


def _open_when_ready(url: str, server: subprocess.Popen, timeout_s: float = 60.0) -> None:
    """Open the user's browser once the server answers its health check.

    Streamlit can open the browser itself, but only when it is not headless, and then it
    first asks for an e-mail address on a fresh machine (and exits 255 with stdin closed).
    So Streamlit always runs headless and this thread opens the page instead; where there is
    no browser (a server, ``BROWSER=none``) ``webbrowser`` returns False and nothing happens.
    """
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url + HEALTH_PATH, timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        return
    with contextlib.suppress(Exception):  # a broken browser setting must not stop the server
        webbrowser.open(url, new=2)


def cmd_dashboard(args: argparse.Namespace) -> int:
    if args.address not in LOOPBACK:
        print(
            f"regionmap: warning: listening on {args.address}: anyone who can reach this "
            "machine can open the dashboard (XSRF protection stays on)",
            file=sys.stderr,
        )
    env = dict(os.environ)
    if args.geodata:
        env[GEODATA_ENV] = str(Path(args.geodata).resolve())
    if args.events:
        events = Path(args.events)
        if not events.is_file():
            print(f"regionmap: {events}: no such events file", file=sys.stderr)
            return 2
        env[EVENTS_ENV] = str(events.resolve())
    if args.store:
        check_store(args.store)  # a wrong URL fails here, in one line
        env[STORE_ENV] = args.store
    command = [
        sys.executable, str(DASHBOARD_SERVE),
        "--server.address", args.address,
        "--server.port", str(args.port),
        # Always headless: a non-headless Streamlit asks for an e-mail on its first run.
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.enableStaticServing", "true",
        "--server.enableXsrfProtection", "true",
        "--server.enableWebsocketCompression", "true",
        "--server.maxUploadSize", str(MAX_UPLOAD_MB),
        # An analyst's local tool: no "Deploy" button, no developer menu.
        "--client.toolbarMode", "minimal",
    ]  # fmt: skip
    url = _dashboard_url(args.address, args.port)
    busy = _port_in_use(args.address, args.port)
    if busy:
        print(f"regionmap: {busy}; choose another with --port N", file=sys.stderr)
        return 1
    print(f"regionmap: dashboard at {url}", file=sys.stderr)
    # stdin is never the terminal's: nothing in the server may wait for an answer.
    # Streamlit looks for the static folder once, at start; the app fills it on its first
    # run. Made here, the first start no longer warns "no static folder found".
    (DASHBOARD_APP.parent / "static").mkdir(exist_ok=True)
    server = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL)
    # A service manager or a desktop session stops us with SIGTERM or SIGHUP: the server
    # goes with us, or it would live on, orphaned, and answer the next start's browser.
    # The handler only passes the signal on: the main thread, waiting on the server, sees
    # it exit and cleans up (waiting inside the handler would contend for Popen's lock).
    previous = {
        signum: signal.signal(signum, lambda *_: _signal(server))
        for signum in (signal.SIGTERM, signal.SIGHUP)
    }
    if not args.no_browser:
        threading.Thread(
            target=_open_when_ready, args=(url, server), name="regionmap-browser", daemon=True
        ).start()
    try:
        code = server.wait()
    except KeyboardInterrupt:
        code = 0
    finally:
        _stop(server)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return code if code >= 0 else 0


def _signal(server: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        server.send_signal(signal.SIGTERM)


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def _port_in_use(address: str, port: int) -> str:
    """Why the dashboard cannot listen on ``address:port`` ('' when it can)."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((address, port))
        except OSError as exc:
            return f"cannot listen on {address}:{port} ({exc.strerror or exc})"
    return ""


def add_dashboard(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """regionmap dashboard: the Streamlit app on 127.0.0.1."""
    p = sub.add_parser("dashboard", parents=[common], help="start the dashboard on 127.0.0.1")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument(
        "--no-browser",
        "--headless",
        dest="no_browser",
        action="store_true",
        help="do not open a browser (--headless is the same)",
    )
    p.add_argument(
        "--events",
        metavar="FILE",
        help="an events CSV (an ACLED export, any size) shown beside the curated events",
    )
    p.add_argument(
        "--address",
        default="127.0.0.1",
        help="listen here instead of 127.0.0.1 (other addresses print a warning)",
    )
    add_store_option(p)
    p.set_defaults(func=cmd_dashboard)
