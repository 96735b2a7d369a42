"""`regionmap store init|import|stats`: the shared PostGIS store from the command line.

Errors are `RegionmapError`s, printed by `regionmap.cli.main` as one line; a URL is only
ever printed masked.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

from regionmap import EventError, load_catalog, read_events, read_setting, user_data_dir
from regionmap.events import ACLED_ID
from regionmap.stores import (
    ACLED_COUNTRIES,
    ACLED_PAGE_ROWS,
    STORE_ENV,
    AcledClient,
    DuckStore,
    PostgisStore,
    StoreError,
    acled_rows_csv,
    mask_url,
    origin_of,
    refresh_acled_file,
)


def cmd_init(args: argparse.Namespace) -> int:
    store = PostgisStore(args.url)
    store.init()
    print(f"ready: {store.masked} (PostGIS, tables and indexes)", file=sys.stderr)
    return 0


def read_deletions(path: str | Path) -> list[str]:
    """Event ids from ACLED's deletions list (a CSV with an ``event_id_cnty`` column).

    Raises
    ------
    EventError
        The file cannot be read or has no such column.
    """
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if ACLED_ID not in (reader.fieldnames or []):
                raise EventError(path, f"no {ACLED_ID} column; found {reader.fieldnames}")
            return [row[ACLED_ID].strip() for row in reader if row[ACLED_ID].strip()]
    except OSError as exc:
        raise EventError(path, f"cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise EventError(path, "not UTF-8 text; save the file as UTF-8") from None


def cmd_import(args: argparse.Namespace) -> int:
    """Validate FILE like any events file, report its bad rows, upsert the good ones."""
    store = PostgisStore(args.into)
    store.check()
    catalog = load_catalog(args.geodata)
    progress = None if args.quiet else print_progress
    written, origin, problems = _import_file(store, args.file, catalog, progress)
    deleted = store.delete(read_deletions(args.deletions), "acled") if args.deletions else 0
    print(
        f"{written:,} events from {args.file} upserted into {store.masked} as {origin}"
        + (f"; {deleted:,} deleted" if args.deletions else "")
        + (f"; {problems:,} bad rows skipped" if problems else ""),
        file=sys.stderr,
    )
    return 1 if problems else 0


def _import_file(store: PostgisStore, path, catalog, progress) -> tuple[int, str, int]:
    """Validate an events file, print its bad rows, upsert the good ones: (rows written,
    origin, bad rows)."""
    result = read_events(path, catalog)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    origin = origin_of(result.format)
    written = store.upsert(result.frame, origin, progress=progress)
    return written, origin, len(result.problems)


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD day: {text!r}") from None


def _acled_client(args: argparse.Namespace) -> AcledClient:
    """The account from --user / $REGIONMAP_ACLED_USER and $REGIONMAP_ACLED_PASSWORD (or a
    prompt at a terminal): a password is never an option, so it stays out of `ps`."""
    import getpass

    user = args.user or read_setting("REGIONMAP_ACLED_USER")
    password = read_setting("REGIONMAP_ACLED_PASSWORD")
    if user and not password and sys.stdin.isatty():
        password = getpass.getpass(f"ACLED password for {user}: ")
    return AcledClient(user or "", password or "")


def cmd_refresh_acled(args: argparse.Namespace) -> int:
    """Fetch ACLED's events (paged) and deletions; upsert into a store or refresh a CSV."""
    client = _acled_client(args)
    countries = tuple(args.country or ACLED_COUNTRIES)
    pages = client.events(countries, args.since, args.page_rows)
    if args.out:
        pages = list(pages)  # all events first: a deletion made meanwhile still applies
        fetched, gone, total = refresh_acled_file(
            args.out, pages, client.deleted(args.deleted_since)
        )
        print(
            f"{fetched:,} ACLED events fetched, {gone:,} deleted; {args.out} holds {total:,}",
            file=sys.stderr,
        )
        return 0
    store = PostgisStore(args.into)
    store.check()
    catalog = load_catalog(args.geodata)
    written = problems = 0
    with tempfile.TemporaryDirectory(prefix="regionmap-acled-") as folder:
        page_csv = Path(folder) / "acled_page.csv"
        for rows in pages:
            page_csv.write_text(acled_rows_csv(rows), encoding="utf-8")
            n, _, bad = _import_file(store, page_csv, catalog, None)
            written, problems = written + n, problems + bad
            if not args.quiet:
                print(f"{written:,} ACLED events upserted", file=sys.stderr)
    deleted = store.delete(client.deleted(args.deleted_since), "acled")
    print(
        f"{written:,} ACLED events upserted into {store.masked}, {deleted:,} deleted"
        + (f"; {problems:,} bad rows skipped" if problems else ""),
        file=sys.stderr,
    )
    return 1 if problems else 0


def cmd_stats(args: argparse.Namespace) -> int:
    stats = PostgisStore(args.url).stats()
    print(f"store      {stats['url']}  (PostGIS {stats['postgis']})")
    print(f"events     {stats['events']:,}  ({stats['table_bytes'] / 1e6:,.1f} MB with indexes)")
    for row in stats["origins"]:
        print(f"  {row['origin']:<10} {row['events']:>12,}  {row['first']} – {row['last']}")
    print("by theatre")
    for theatre, n in stats["theatres"].items():
        print(f"  {theatre:<10} {n:>12,}")
    print(f"kept files {stats['files']:,}  ({stats['file_bytes'] / 1e6:,.2f} MB)")
    return 0


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """The ``store`` command and its sub-commands."""
    store = sub.add_parser(
        "store",
        help="the shared PostGIS store: init, import, stats, refresh-acled",
        parents=[common],
    )
    ssub = store.add_subparsers(dest="store_command", required=True, metavar="STORE_COMMAND")
    p = ssub.add_parser("init", help="create PostGIS, the tables and indexes (safe to rerun)")
    p.add_argument("url", metavar="URL", help="postgresql://user:password@host:port/database")
    p.set_defaults(func=cmd_init)
    p = ssub.add_parser(
        "import", parents=[common], help="upsert an events CSV (ours or ACLED's) by its ids"
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--into", required=True, metavar="URL")
    p.add_argument("--deletions", metavar="CSV", help="ACLED's deleted events (event_id_cnty)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_import)
    p = ssub.add_parser("stats", help="what the store holds")
    p.add_argument("url", metavar="URL")
    p.set_defaults(func=cmd_stats)
    _add_refresh_parser(ssub, common)


def _add_refresh_parser(ssub: argparse._SubParsersAction, common) -> None:
    p = ssub.add_parser(
        "refresh-acled",
        parents=[common],
        help="fetch ACLED's events and deletions over its API (OAuth) into a store or a CSV",
        description="The account: --user or $REGIONMAP_ACLED_USER, the password from "
        "$REGIONMAP_ACLED_PASSWORD (or asked for at a terminal); the API at "
        "$REGIONMAP_ACLED_URL (default https://acleddata.com).",
    )
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--into", metavar="URL", help="upsert into this PostGIS store")
    target.add_argument("--out", "-o", metavar="FILE", help="write or bring up to date this CSV")
    p.add_argument("--user", metavar="EMAIL", help="the myACLED account's e-mail")
    p.add_argument(
        "--country",
        action="append",
        metavar="NAME",
        help=f"ACLED's country name, repeatable (default: {', '.join(ACLED_COUNTRIES)})",
    )
    p.add_argument("--since", type=_day, metavar="DAY", help="events on or after this day")
    p.add_argument(
        "--deleted-since", type=_day, metavar="DAY", help="deletions on or after this day"
    )
    p.add_argument(
        "--page-rows",
        type=int,
        default=ACLED_PAGE_ROWS,
        help=f"rows per API page (default {ACLED_PAGE_ROWS})",
    )
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    p.set_defaults(func=cmd_refresh_acled)


def add_store_option(parser: argparse.ArgumentParser) -> None:
    """``--store URL`` (default ``$REGIONMAP_STORE``) for dashboard, events and snapshot."""
    parser.add_argument(
        "--store",
        metavar="URL",
        default=os.environ.get(STORE_ENV) or None,
        help=f"a shared postgresql:// store, or 'duckdb' for a large --events file "
        f"(default: ${STORE_ENV})",
    )


def check_store(url: str | None) -> None:
    """Reach a PostGIS store once, so a wrong URL fails before anything starts."""
    if url and url != "duckdb":
        store = PostgisStore(url)
        try:
            store.check()
        finally:
            store.close()
    elif url not in (None, "duckdb"):
        raise StoreError(f"store {mask_url(url)!r}: give a postgresql:// URL or 'duckdb'")


def events_from_store(args: argparse.Namespace, f, catalog) -> tuple | None:
    """For `regionmap events --store`: (chosen rows, total, problems), or None without a
    store. A PostGIS store answers in SQL; with ``duckdb`` the ``--input`` file is queried
    from its validated Parquet copy (kept in the user data folder's cache)."""
    if not args.store:
        return None
    if args.store == "duckdb":
        if not args.input:
            return None
        duck = DuckStore.from_file(args.input, catalog, user_data_dir() / "cache")
        return duck.query(f), duck.count(), duck.problems
    store = PostgisStore(args.store)
    store.check()
    return store.query(f), store.count(), []


def print_progress(done: int, total: int, unit: str = "rows") -> None:
    """A one-line progress bar on stderr, rewritten in place."""
    width = 30
    filled = int(width * done / total) if total else width
    bar = "#" * filled + "-" * (width - filled)
    end = "\n" if done >= total else ""
    print(f"\r[{bar}] {done:,} of {total:,} {unit}", end=end, file=sys.stderr, flush=True)
