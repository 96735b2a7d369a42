"""events and snapshot: what a view shows, as files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from regionmap import (
    ANIMATION_STEPS,
    AUTO_STEP,
    FORMATS,
    LANGS,
    EventFilter,
    ExportError,
    SnapshotOptions,
    ViewError,
    ViewSpec,
    apply_filter,
    atomic_write_text,
    load_dataset,
    load_events,
    read_events,
    read_view,
    snapshot,
    view_from_args,
    write_atlas,
)
from regionmap.cli._args import (
    add_framing_arguments,
    catalog_of,
    framing_from_args,
    parse_bbox,
    parse_date,
    parse_list,
    parse_note,
    parse_size,
)
from regionmap.cli._store import add_store_option, events_from_store, print_progress
from regionmap.events import to_csv, to_geojson


def cmd_events(args: argparse.Namespace) -> int:
    if args.start and args.end and args.start > args.end:
        print(f"regionmap events: --from {args.start} is after --to {args.end}", file=sys.stderr)
        return 2
    catalog = catalog_of(args)
    f = EventFilter(
        start=args.start,
        end=args.end,
        event_types=args.event_types,
        actors=args.actors,
        theatres=args.theatres,
        bbox=args.bbox,
    )
    stored = events_from_store(args, f, catalog)
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
        lang=args.lang,
        compare=_compare_window(args),
        annotations=(*(base.annotations if base else ()), *args.note) if args.note else None,
    )
    try:
        spec = framing_from_args(spec, dataset.catalog, args, args.size or SnapshotOptions().size)
    except ViewError as exc:  # a framing the options cannot give: a usage error
        print(f"regionmap snapshot: {exc}", file=sys.stderr)
        return 2
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


def _compare_window(args: argparse.Namespace) -> tuple | None:
    """``--compare-from``/``--compare-to`` as a compare window (an end not given is open);
    None without either, which keeps a ``--view``'s own."""
    if args.compare_start is None and args.compare_end is None:
        return None
    return (args.compare_start, args.compare_end)


def cmd_atlas(args: argparse.Namespace) -> int:
    """The atlas; ``--theatre`` (or ``--theatres``) chooses the pages, ``--theatre``,
    ``--bbox`` or ``--center`` with ``--zoom`` frames the overview."""
    dataset = load_dataset(args.geodata, store=args.store)
    try:
        frame = framing_from_args(ViewSpec.default(dataset.catalog), dataset.catalog, args)
    except ViewError as exc:
        print(f"regionmap atlas: {exc}", file=sys.stderr)
        return 2
    theatres = (*args.theatres, *([args.theatre] if args.theatre else []))
    out = write_atlas(
        dataset,
        args.out,
        start=args.start,
        end=args.end,
        theatres=theatres,
        frame=frame if frame.zoom is not None else None,
        annotations=args.note or (),
        progress=None if args.quiet else _page_progress,
    )
    print(f"wrote {out} ({out.stat().st_size:,} bytes)", file=sys.stderr)
    return 0


def _page_progress(done: int, total: int) -> None:
    print_progress(done, total, "pages")


def _frame_progress(done: int, total: int) -> None:
    """An animation's frames drawn so far, one line on stderr rewritten in place."""
    print_progress(done, total, "frames")


def add_output_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """events, snapshot: what a view shows, as files."""
    p = sub.add_parser("events", parents=[common], help="filter events, print CSV or GeoJSON")
    p.add_argument("--input", metavar="FILE", help="another events CSV (ours or an ACLED export)")
    p.add_argument("--from", dest="start", type=parse_date, metavar="DATE")
    p.add_argument("--to", dest="end", type=parse_date, metavar="DATE")
    p.add_argument("--event-types", type=parse_list, default=(), metavar="A,B")
    p.add_argument("--actors", type=parse_list, default=(), metavar="A,B")
    p.add_argument("--theatres", type=parse_list, default=(), metavar="A,B")
    p.add_argument("--bbox", type=parse_bbox, metavar="W,S,E,N")
    p.add_argument("--format", choices=("csv", "geojson"), default="csv")
    p.add_argument("--out", "-o", metavar="FILE", help="write here (atomically) instead of stdout")
    add_store_option(p)
    p.set_defaults(func=cmd_events)

    p = sub.add_parser("snapshot", parents=[common], help="export the map: png, html, svg, …")
    p.add_argument(
        "--out", "-o", required=True, metavar="FILE", help="format follows the extension"
    )
    p.add_argument("--format", choices=FORMATS)
    p.add_argument("--layers", type=parse_list, metavar="A,B", help="visible layers (default: all)")
    p.add_argument("--from", dest="start", type=parse_date, metavar="DATE")
    p.add_argument("--to", dest="end", type=parse_date, metavar="DATE")
    p.add_argument("--event-types", type=parse_list, metavar="A,B")
    p.add_argument(
        "--compare-from",
        dest="compare_start",
        type=parse_date,
        metavar="DATE",
        help="a second window beside the first (print map: two panels, one legend)",
    )
    p.add_argument("--compare-to", dest="compare_end", type=parse_date, metavar="DATE")
    p.add_argument("--view", metavar="VIEW", help="a view JSON, or a snapshot carrying one")
    p.add_argument("--size", type=parse_size, default=(1600, 1000), metavar="WxH")
    p.add_argument("--scale", type=float, default=1.0, help="pixel ratio, e.g. 2 for print")
    p.add_argument("--title")
    p.add_argument("--lang", choices=tuple(LANGS), help="the labels' language (default: en)")
    p.add_argument(
        "--note", type=parse_note, action="append", metavar="LAT,LON:TEXT",
        help="a note drawn on the map (repeatable; added to the --view's annotations)",
    )  # fmt: skip
    p.add_argument(
        "--renderer",
        choices=("browser", "static"),
        help="browser (default for png) or static, the print map (default for gif, mp4, webm)",
    )
    p.add_argument(
        "--step",
        choices=(AUTO_STEP, *ANIMATION_STEPS),
        default=AUTO_STEP,
        help="an animation's frame step (auto: days up to 92 days, weeks up to a year, then "
        "months, years past 240 months)",
    )
    p.add_argument(
        "--fps", type=float, default=SnapshotOptions.fps, help="an animation's frames a second"
    )
    add_framing_arguments(p)
    add_store_option(p)
    p.set_defaults(func=cmd_snapshot)

    p = sub.add_parser(
        "atlas", parents=[common], help="a PDF: the overview, a page per theatre, the sources"
    )
    p.add_argument("--out", "-o", required=True, metavar="FILE.pdf")
    p.add_argument("--from", dest="start", type=parse_date, metavar="DATE")
    p.add_argument("--to", dest="end", type=parse_date, metavar="DATE")
    p.add_argument(
        "--theatres", type=parse_list, default=(), metavar="A,B", help="only these (default: all)"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--note", type=parse_note, action="append", metavar="LAT,LON:TEXT",
        help="a note drawn on every page that shows its place (repeatable)",
    )  # fmt: skip
    add_framing_arguments(p)
    add_store_option(p)
    p.set_defaults(func=cmd_atlas)
