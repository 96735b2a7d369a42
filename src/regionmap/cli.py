"""The `regionmap` command: a thin layer over the public API.

Library errors become one line on stderr and an exit code (0 done, 1 problems found or
export failed, 2 usage); bad input never ends in a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import webbrowser
from collections.abc import Sequence
from pathlib import Path

from regionmap import build
from regionmap._animate import STEPS as ANIMATION_STEPS
from regionmap.atomic import atomic_write_text
from regionmap.audit import check_geodata, check_path, files_to_check
from regionmap.catalog import GEODATA_ENV, Catalog, load_catalog
from regionmap.compose import measure
from regionmap.dataset import load_dataset
from regionmap.errors import ExportError, RegionmapError
from regionmap.events import (
    EventFilter,
    apply_filter,
    load_events,
    read_events,
    to_csv,
    to_geojson,
)
from regionmap.export import FORMATS, SnapshotOptions, snapshot
from regionmap.load import load_layers
from regionmap.settings import read_setting, setting
from regionmap.status import theatre_freshness
from regionmap.stores import commands as store_commands
from regionmap.stores.base import STORE_ENV
from regionmap.userdata import MAX_UPLOAD_MB
from regionmap.viewfiles import read_view, view_from_args

DASHBOARD_APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
DASHBOARD_SERVE = DASHBOARD_APP.with_name("serve.py")  # streamlit run, with a warm start
EVENTS_ENV = setting("REGIONMAP_EVENTS").name  # read by dashboard/cache.py


def _catalog(args: argparse.Namespace) -> Catalog:
    return load_catalog(args.geodata)


def cmd_layers(args: argparse.Namespace) -> int:
    catalog = _catalog(args)
    results = load_layers(catalog)
    print(f"{'id':<18} {'theatre':<8} {'features':>8}  {'as_of':<10}  title")
    for spec in catalog.layers:
        result = results[spec.id]
        frame = result.frame
        as_of = str(frame["as_of"].max()) if "as_of" in frame and len(frame) else "-"
        flag = f"  ({len(result.problems)} problems)" if result.problems else ""
        print(
            f"{spec.id:<18} {spec.theatre or spec.role:<8} {len(frame):>8}  {as_of:<10}  "
            f"{spec.title}{flag}"
        )
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    catalog = _catalog(args)
    notes: list[str] = []
    if args.paths:
        paths = files_to_check(args.paths)
        problems = [
            p for path in paths for p in check_path(catalog, path, strict=args.strict, notes=notes)
        ]
        rule = (
            "the full provenance contract" if args.strict else "geometry only, the user-layer rule"
        )
        layers = [p for p in paths if p.suffix.lower() not in (".csv", ".tsv", ".txt")]
        checked = _count(len(paths), "file") + (f" (layers held to {rule})" if layers else "")
    else:
        problems = check_geodata(catalog)
        checked = f"{catalog.root} ({len(catalog.layers)} layers)"
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{_count(len(problems), 'problem')} in {checked}", file=sys.stderr)
        return 1
    print(f"ok: {checked}", file=sys.stderr)
    return 0


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def cmd_build(args: argparse.Namespace) -> int:
    catalog = _catalog(args)
    if args.natural_earth:
        rows = build.clip_natural_earth(
            args.natural_earth, catalog.root / build.NE_FILE, catalog.region_bbox
        )
        print(f"clipped {rows} countries into {catalog.root / build.NE_FILE}")
    if args.check:
        stale = build.stale_layers(catalog)
        for path in stale:
            print(f"{path}: stale (run `regionmap build-geodata`)")
        return 1 if stale else 0
    changed = build.write_layers(catalog)
    for path in changed:
        print(f"wrote {path}")
    print(f"{len(catalog.layers)} layers, {len(changed)} changed", file=sys.stderr)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    catalog = _catalog(args)
    results = load_layers(catalog)
    print(f"{'layer':<16} {'feature':<28} {'measured':>12} {'official':>10} {'diff':>7}  source")
    for spec in catalog.layers:
        if spec.role == "basemap":
            continue
        table = measure(results[spec.id].frame)
        for row in table.itertuples(index=False):
            unit = "km" if row.measure == "length_km" else "km²"
            official = f"{row.official:.0f} km" if row.official == row.official else "-"
            diff = f"{row.difference_pct:+.0f}%" if row.official == row.official else ""
            print(
                f"{spec.id:<16} {row.id:<28} {row.value:>9.1f} {unit:<3}"
                f"{official:>10} {diff:>7}  {row.official_source or ''}"
            )
    print(f"\n{'theatre':<16} {'newest checked fact':<20} title")
    for theatre_id, newest in theatre_freshness(catalog, results).items():
        title = catalog.theatre(theatre_id).title
        print(f"{theatre_id:<16} {newest or '-':<20} {title}")
    print("measured: geodesic (WGS84) on the unsimplified layer geometry", file=sys.stderr)
    print("newest checked fact: latest as-of of a status period or *_as_of", file=sys.stderr)
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def _list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _bbox(text: str) -> tuple[float, float, float, float]:
    try:
        west, south, east, north = (float(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError("bbox is WEST,SOUTH,EAST,NORTH in degrees") from None
    return (west, south, east, north)


def cmd_events(args: argparse.Namespace) -> int:
    catalog = _catalog(args)
    f = EventFilter(
        start=args.start,
        end=args.end,
        event_types=args.event_types,
        actors=args.actors,
        theatres=args.theatres,
        bbox=args.bbox,
    )
    stored = store_commands.events_from_store(args, f, catalog)
    if stored is not None:
        chosen, total, problems = stored
    else:
        result = read_events(args.input, catalog) if args.input else load_events(catalog)
        if args.input:  # what an analyst's file was read as, and what the reading noticed
            print(f"{result.path}: read as {result.format}", file=sys.stderr)
            for note in result.notes:
                print(f"{result.path}: {note}", file=sys.stderr)
        chosen, total, problems = apply_filter(result.frame, f), len(result.frame), result.problems
    for problem in problems:
        print(problem, file=sys.stderr)
    text = to_geojson(chosen) + "\n" if args.format == "geojson" else to_csv(chosen)
    if args.out:
        atomic_write_text(args.out, text)
    else:
        sys.stdout.write(text)
    print(f"{len(chosen)} of {total} events", file=sys.stderr)
    return 1 if problems else 0


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not WIDTHxHEIGHT, e.g. 1600x1000") from None
    if not (100 <= width <= 8000 and 100 <= height <= 8000):
        raise argparse.ArgumentTypeError("width and height must be 100..8000 pixels")
    return width, height


def cmd_snapshot(args: argparse.Namespace) -> int:
    dataset = load_dataset(args.geodata, store=args.store)
    base = None
    if args.view:
        try:
            base = read_view(Path(args.view).read_bytes(), args.view)
        except OSError as exc:
            raise ExportError(f"{args.view}: cannot read: {exc.strerror}") from None
        base, missing = base.without_missing_layers(dataset.catalog)
        for warning in missing:
            print(f"regionmap: {args.view}: {warning}", file=sys.stderr)
    spec = view_from_args(
        dataset,
        base,
        layers=args.layers,
        start=args.start,
        end=args.end,
        event_types=args.event_types,
        title=args.title,
    )
    options = SnapshotOptions(
        size=args.size,
        scale=args.scale,
        title=args.title or "",
        renderer=args.renderer,
        step=args.step,
        fps=args.fps,
    )
    out = snapshot(spec, dataset, args.out, args.format, options, _frame_progress)
    print(f"wrote {out} ({out.stat().st_size:,} bytes)", file=sys.stderr)
    return 0


def _frame_progress(done: int, total: int) -> None:
    """An animation's frames drawn so far, one line on stderr rewritten in place."""
    bar = "=" * (24 * done // total)
    end = "\n" if done >= total else ""
    print(f"\rframes [{bar:<24}] {done}/{total}", end=end, file=sys.stderr, flush=True)


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
        store_commands.check_store(args.store)  # a wrong URL fails here, in one line
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
    ]  # fmt: skip
    url = _dashboard_url(args.address, args.port)
    busy = _port_in_use(args.address, args.port)
    if busy:
        print(f"regionmap: {busy}; choose another with --port N", file=sys.stderr)
        return 1
    print(f"regionmap: dashboard at {url}", file=sys.stderr)
    # stdin is never the terminal's: nothing in the server may wait for an answer.
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


def _add_dashboard(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
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
    store_commands.add_store_option(p)
    p.set_defaults(func=cmd_dashboard)


def _add_data_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """layers, validate, build-geodata: what the geodata folder holds."""
    p = sub.add_parser("layers", parents=[common], help="list layers: id, features, as_of")
    p.set_defaults(func=cmd_layers)

    p = sub.add_parser(
        "validate", parents=[common], help="check layer files (default: the whole geodata folder)"
    )
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument(
        "--strict",
        action="store_true",
        help="hold PATHs to the full provenance contract of geodata/ (files inside the "
        "geodata folder always are); by default a file is checked as a user layer",
    )
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("build-geodata", parents=[common], help="regenerate geodata/layers")
    p.add_argument("--check", action="store_true", help="exit 1 if committed layers are stale")
    p.add_argument(
        "--natural-earth",
        metavar="ZIP",
        help="refresh sources/naturalearth_admin0.geojson from Natural Earth's admin-0 zip",
    )
    p.set_defaults(func=cmd_build)


def _add_output_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """events, snapshot, stats: what a view shows, as files and figures."""
    p = sub.add_parser("events", parents=[common], help="filter events, print CSV or GeoJSON")
    p.add_argument("--input", metavar="FILE", help="another events CSV (ours or an ACLED export)")
    p.add_argument("--from", dest="start", type=_date, metavar="DATE")
    p.add_argument("--to", dest="end", type=_date, metavar="DATE")
    p.add_argument("--event-types", type=_list, default=(), metavar="A,B")
    p.add_argument("--actors", type=_list, default=(), metavar="A,B")
    p.add_argument("--theatres", type=_list, default=(), metavar="A,B")
    p.add_argument("--bbox", type=_bbox, metavar="W,S,E,N")
    p.add_argument("--format", choices=("csv", "geojson"), default="csv")
    p.add_argument("--out", metavar="FILE", help="write here (atomically) instead of stdout")
    store_commands.add_store_option(p)
    p.set_defaults(func=cmd_events)

    p = sub.add_parser("snapshot", parents=[common], help="export the map: png, html, svg, …")
    p.add_argument("--out", required=True, metavar="FILE", help="format follows the extension")
    p.add_argument("--format", choices=FORMATS)
    p.add_argument("--layers", type=_list, metavar="A,B", help="visible layers (default: all)")
    p.add_argument("--from", dest="start", type=_date, metavar="DATE")
    p.add_argument("--to", dest="end", type=_date, metavar="DATE")
    p.add_argument("--event-types", type=_list, metavar="A,B")
    p.add_argument("--view", metavar="VIEW", help="a view JSON, or a snapshot carrying one")
    p.add_argument("--size", type=_size, default=(1600, 1000), metavar="WxH")
    p.add_argument("--scale", type=float, default=1.0, help="pixel ratio, e.g. 2 for print")
    p.add_argument("--title")
    p.add_argument(
        "--renderer",
        choices=("browser", "static"),
        help="browser (default for png) or static, the print map (default for gif, mp4, webm)",
    )
    p.add_argument(
        "--step", choices=ANIMATION_STEPS, default="month", help="an animation's frame step"
    )
    p.add_argument(
        "--fps", type=float, default=SnapshotOptions.fps, help="an animation's frames a second"
    )
    store_commands.add_store_option(p)
    p.set_defaults(func=cmd_snapshot)

    p = sub.add_parser("stats", parents=[common], help="geodesic lengths and areas per feature")
    p.set_defaults(func=cmd_stats)


def build_parser() -> argparse.ArgumentParser:
    """The command line; every command takes --geodata (default $REGIONMAP_GEODATA)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--geodata",
        metavar="DIR",
        default=read_setting(GEODATA_ENV),
        help=f"the geodata folder (default: ${GEODATA_ENV}, else ./geodata)",
    )
    parser = argparse.ArgumentParser(
        prog="regionmap", description="Where Russia and Turkey meet, on one map."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    _add_dashboard(sub, common)
    _add_data_commands(sub, common)
    _add_output_commands(sub, common)
    store_commands.add_parser(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except RegionmapError as exc:
        print(f"regionmap: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
