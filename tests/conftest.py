"""Shared fixtures: the real geodata folder and small geometries built in code."""

from __future__ import annotations

from pathlib import Path

import pytest

import regionmap

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def catalog() -> regionmap.Catalog:
    return regionmap.load_catalog(ROOT / "geodata")


@pytest.fixture(scope="session")
def layers(catalog):
    return regionmap.load_layers(catalog)


@pytest.fixture(scope="session")
def events(catalog):
    return regionmap.load_events(catalog)
