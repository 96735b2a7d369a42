"""Argument types and helpers shared by the commands (argparse ``type=`` callables raise
`argparse.ArgumentTypeError`, which argparse turns into a usage error, exit 2)."""

from __future__ import annotations

import argparse
import datetime as dt
import math

from regionmap import (
    MAP_HEIGHT_PX,
    Annotation,
    BBox,
    Catalog,
    LatLon,
    ViewError,
    ViewSpec,
    check_bbox,
    frame_view,
    load_catalog,
)


def catalog_of(args: argparse.Namespace) -> Catalog:
    """The catalog of ``--geodata`` (default ``$REGIONMAP_GEODATA``, else ./geodata)."""
    return load_catalog(args.geodata)


def count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def parse_list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not WIDTHxHEIGHT, e.g. 1600x1000") from None
    if not (100 <= width <= 8000 and 100 <= height <= 8000):
        raise argparse.ArgumentTypeError("width and height must be 100..8000 pixels")
    return width, height


def _numbers(text: str, count: int, shape: str) -> tuple[float, ...]:
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        values = ()
    if len(values) != count or not all(math.isfinite(v) for v in values):
        raise argparse.ArgumentTypeError(f"{text!r} is not {shape} in degrees")
    return values


def parse_bbox(text: str) -> BBox:
    """argparse type: "W,S,E,N" degrees as (west, south, east, north), checked."""
    try:
        return check_bbox(_numbers(text, 4, "WEST,SOUTH,EAST,NORTH"))
    except ViewError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def parse_center(text: str) -> LatLon:
    """argparse type: "LAT,LON" degrees as (latitude, longitude)."""
    lat, lon = _numbers(text, 2, "LAT,LON")
    return lat, lon


def add_framing_arguments(parser: argparse.ArgumentParser) -> None:
    """``--theatre ID | --bbox W,S,E,N | --center LAT,LON`` and ``--zoom Z`` on a command;
    `framing_from_args` applies what was given."""
    group = parser.add_argument_group("framing (one of)").add_mutually_exclusive_group()
    group.add_argument("--theatre", metavar="ID", help="fit a theatre's box (see `layers`)")
    group.add_argument("--bbox", type=parse_bbox, metavar="W,S,E,N", help="fit a box, degrees")
    group.add_argument(
        "--center", type=parse_center, metavar="LAT,LON", help="centre; needs --zoom"
    )
    parser.add_argument(
        "--zoom", type=float, metavar="Z", help="Web Mercator zoom 1..18, quarter steps (6.5)"
    )


def framing_from_args(
    spec: ViewSpec,
    catalog: Catalog,
    args: argparse.Namespace,
    page_px: tuple[int, int] | None = None,
) -> ViewSpec:
    """``spec`` framed by the options `add_framing_arguments` added (`frame_view`).

    A box is fitted to a map as tall as the dashboard's and shaped like the page
    ``page_px`` (width, height) it is drawn on, not to a square: the wide Syria theatre
    was framed at zoom 6 on a square and its snapshot showed Libya to Iran."""
    aspect = 1.0
    if page_px is not None:
        aspect = min(2.0, max(1.0, page_px[0] / max(page_px[1], 1)))
    return frame_view(
        spec,
        catalog,
        theatre=getattr(args, "theatre", None),
        bbox=getattr(args, "bbox", None),
        center=getattr(args, "center", None),
        zoom=getattr(args, "zoom", None),
        size_px=(round(MAP_HEIGHT_PX * aspect), MAP_HEIGHT_PX),
    )


def parse_note(text: str) -> Annotation:
    """``--note "LAT,LON:text"``: a note at a place (latitude first, as people write
    places); without ``:text`` a marked point."""
    where, _, words = text.partition(":")
    lat, lon = _numbers(where, 2, "LAT,LON")
    try:
        return Annotation("note" if words.strip() else "point", lon, lat, words)
    except ViewError as exc:
        raise argparse.ArgumentTypeError(f"--note {text!r}: {exc}") from None
