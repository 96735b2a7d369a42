"""The parser of every command, and `main`: errors become one line and an exit code."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from regionmap import GEODATA_ENV, RegionmapError, read_setting
from regionmap.cli import _store
from regionmap.cli._dashboard import add_dashboard
from regionmap.cli._data import add_data_commands
from regionmap.cli._output import add_output_commands


class _Parser(argparse.ArgumentParser):
    """A usage error in one line: argparse's ten lines of usage buried the mistake."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    """The command line; every command takes --geodata (default $REGIONMAP_GEODATA)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--geodata",
        metavar="DIR",
        default=read_setting(GEODATA_ENV),
        help=f"the geodata folder (default: ${GEODATA_ENV}, else ./geodata)",
    )
    parser = _Parser(prog="regionmap", description="Where Russia and Turkey meet, on one map.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    add_dashboard(sub, common)
    add_data_commands(sub, common)
    add_output_commands(sub, common)
    _store.add_parser(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv:  # no command at all: the list of commands, not an error about one
        parser.print_help(sys.stderr)
        return 2
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except RegionmapError as exc:
        print(f"regionmap: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
