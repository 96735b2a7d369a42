"""Argument types and helpers shared by the commands (argparse ``type=`` callables raise
`argparse.ArgumentTypeError`, which argparse turns into a usage error, exit 2)."""

from __future__ import annotations

import argparse
import datetime as dt

from regionmap import Catalog, load_catalog


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


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    try:
        west, south, east, north = (float(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError("bbox is WEST,SOUTH,EAST,NORTH in degrees") from None
    return (west, south, east, north)


def parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not WIDTHxHEIGHT, e.g. 1600x1000") from None
    if not (100 <= width <= 8000 and 100 <= height <= 8000):
        raise argparse.ArgumentTypeError("width and height must be 100..8000 pixels")
    return width, height
