"""The README's commands exist as written: each documented option is in the command's --help.

A user copies these lines; an option renamed in the code and not in the README (or the
other way round) fails here rather than in their terminal.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from .conftest import ROOT


def _documented() -> dict[str, set[str]]:
    """Options the README's command block gives each command ("store import" is one;
    "dashboard|events|snapshot --store URL" gives --store to all three)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Command line", 1)[1].split("```", 2)[1]
    commands: dict[str, set[str]] = {}
    current: list[str] = []
    for line in block.splitlines():
        line = line.split("#", 1)[0]
        match = re.match(r"\s*regionmap ([a-z|-]+)(?: ([a-z]+)\b)?", line)
        if match:
            names, sub = match.group(1).split("|"), match.group(2)
            current = [f"{n} {sub}" if n == "store" and sub else n for n in names]
        for name in current:
            commands.setdefault(name, set()).update(re.findall(r"--[a-z][a-z-]*", line))
    return commands


DOCUMENTED = _documented()


def test_the_readme_documents_every_command():
    assert set(DOCUMENTED) <= set(_subcommands())
    assert len(DOCUMENTED) >= 7


def _choices(parser) -> dict:
    return next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction").choices


def _subcommands() -> dict:
    """Every command's parser by name, "store import" and its kin included."""
    from regionmap.cli import build_parser

    out = dict(_choices(build_parser()))
    for name, parser in list(out.items()):
        if any(a.__class__.__name__ == "_SubParsersAction" for a in parser._actions):
            out.update({f"{name} {sub}": p for sub, p in _choices(parser).items()})
    return out


@pytest.mark.parametrize("command", sorted(DOCUMENTED))
def test_documented_options_exist(command):
    text = _subcommands()[command].format_help()
    every = set() if " " in command else {"--geodata"}  # a store URL needs no geodata
    for option in DOCUMENTED[command] | every:
        assert option in text, f"regionmap {command}: {option} is documented, not in --help"


def test_help_runs_as_a_user_types_it():
    proc = subprocess.run(
        [sys.executable, "-m", "regionmap", "snapshot", "--help"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0 and "--renderer" in proc.stdout, proc.stderr
