"""Shared fixtures: the real geodata folder and small geometries built in code."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

import regionmap

ROOT = Path(__file__).resolve().parents[1]
# Never read or write a real user's kept files; dashboards started by tests inherit this.
os.environ["REGIONMAP_USER_DATA"] = tempfile.mkdtemp(prefix="regionmap-userdata-")
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


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (Playwright's sync API, main thread)."""
    from .browser_support import CHROMIUM_ARGS, require_browser

    path = require_browser()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()
