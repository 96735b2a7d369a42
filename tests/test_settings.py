"""The settings registry, the README's table and the code agree (datasette's SETTINGS way)."""

from __future__ import annotations

import re

import pytest

import regionmap
from regionmap._settings import ENVIRONMENT, setting

from .conftest import ROOT

NAME = re.compile(r"REGIONMAP_[A-Z_]+")


def _code_names() -> set[str]:
    found: set[str] = set()
    for folder in ("src", "dashboard", "tests", "benchmarks"):
        for path in (ROOT / folder).rglob("*.py"):
            found |= set(NAME.findall(path.read_text(encoding="utf-8")))
    for path in (ROOT / ".ci" / "run", ROOT / "Makefile"):
        found |= set(NAME.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_variable_the_code_names_is_registered():
    registered = {s.name for s in ENVIRONMENT}
    assert _code_names() <= registered, _code_names() - registered


def test_every_registered_variable_is_used_and_in_the_readme_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    used = _code_names()
    for entry in ENVIRONMENT:
        assert entry.name in used, f"{entry.name} is registered but nothing reads it"
        assert f"| `{entry.name}` | {entry.default} | {entry.help} |" in readme, entry.name


def test_an_unknown_name_fails_loudly(monkeypatch):
    misspelt = "REGIONMAP_" + "GEODTA"  # spelt in two, or the registry test would see it
    with pytest.raises(KeyError, match=f"{misspelt} is not a regionmap setting"):
        setting(misspelt)
    monkeypatch.setenv("REGIONMAP_EVENTS", "")
    assert regionmap.read_setting("REGIONMAP_EVENTS") is None
    monkeypatch.setenv("REGIONMAP_EVENTS", "/data/acled.csv")
    assert regionmap.read_setting("REGIONMAP_EVENTS") == "/data/acled.csv"
