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
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Command line", 1)[1].split("```", 2)[1]
    commands: dict[str, set[str]] = {}
    current = ""
    for line in block.splitlines():
        line = line.split("#", 1)[0]
        match = re.match(r"\s*regionmap ([a-z-]+)", line)
        if match:
            current = match.group(1)
        if current:
            commands.setdefault(current, set()).update(re.findall(r"--[a-z][a-z-]*", line))
    return commands


DOCUMENTED = _documented()


def test_the_readme_documents_every_command():
    assert set(DOCUMENTED) <= set(_subcommands())
    assert len(DOCUMENTED) >= 7


def _subcommands():
    from regionmap.cli import build_parser

    parser = build_parser()
    return next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction").choices


@pytest.mark.parametrize("command", sorted(DOCUMENTED))
def test_documented_options_exist(command):
    text = _subcommands()[command].format_help()
    for option in DOCUMENTED[command] | {"--geodata"}:
        assert option in text, f"regionmap {command}: {option} is documented, not in --help"


def test_help_runs_as_a_user_types_it():
    proc = subprocess.run(
        [sys.executable, "-m", "regionmap", "snapshot", "--help"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0 and "--renderer" in proc.stdout, proc.stderr
