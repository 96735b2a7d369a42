"""Every setting regionmap reads from the environment, and the tunables worth knowing, in one
place: name, default and what it does. The README's "Settings" table lists the same
entries, and a test holds the two (and every ``REGIONMAP_*`` name in the code) together.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    """An environment variable: its name, its default (as a user reads it) and its use."""

    name: str
    default: str
    help: str


ENVIRONMENT: tuple[Setting, ...] = (
    Setting(
        "REGIONMAP_GEODATA",
        "./geodata, else the folder beside the package",
        "The geodata folder every command and the dashboard read (also `--geodata DIR`).",
    ),
    Setting(
        "REGIONMAP_USER_DATA",
        "$XDG_DATA_HOME/regionmap, else ~/.local/share/regionmap",
        'Where "Keep my files" saves uploads, and the Parquet cache of large event files.',
    ),
    Setting(
        "REGIONMAP_EVENTS",
        "(none)",
        "An events CSV shown beside the curated events; `regionmap dashboard --events FILE` "
        "sets it for the dashboard it starts.",
    ),
    Setting(
        "REGIONMAP_STORE",
        "(none)",
        "A shared event store: a postgresql:// URL (PostGIS), or duckdb for a large "
        "--events file queried from its Parquet copy (also `--store`).",
    ),
    Setting(
        "REGIONMAP_ACLED_USER",
        "(none)",
        "The myACLED e-mail `regionmap store refresh-acled` logs in with (also `--user`).",
    ),
    Setting(
        "REGIONMAP_ACLED_PASSWORD",
        "(none)",
        "Its password (asked for at a terminal when unset); never printed, never an option.",
    ),
    Setting(
        "REGIONMAP_ACLED_URL",
        "https://acleddata.com",
        "ACLED's API: /oauth/token, /api/acled/read, /api/deleted/read (tests use a local server).",
    ),
    Setting(
        "REGIONMAP_CHROMIUM",
        "chromium, chromium-browser or google-chrome on PATH",
        "The Chromium that draws PNG snapshots as seen and runs the browser tests.",
    ),
    Setting(
        "REGIONMAP_REQUIRE_BROWSER",
        "0",
        "Tests: 1 makes a missing Chromium a failure instead of a skip (CI sets it).",
    ),
    Setting(
        "REGIONMAP_REQUIRE_POSTGIS",
        "0",
        "Tests: 1 makes a missing PostgreSQL/PostGIS a failure instead of a skip (CI sets it).",
    ),
    Setting(
        "REGIONMAP_TEST_PG",
        "postgresql://regionmap_test:…@127.0.0.1:5432/postgres",
        "Tests: the PostgreSQL server the store tests make their scratch databases on.",
    ),
    Setting(
        "REGIONMAP_UPDATE_SCREENSHOT",
        "0",
        "Tests: 1 rewrites docs/dashboard.png from the browser test's screenshot.",
    ),
    Setting(
        "REGIONMAP_PROFILE",
        "0",
        "Dashboard: 1 prints each rerun's server time to stderr (benchmarks/run.py reads it).",
    ),
)

# Tunables: fixed numbers that shape what a user sees; each module imports its own here.
MAP_HEIGHT_PX = 620  # the dashboard's map; the print map frames a centre + zoom the same
MAX_UPLOAD_MB = 50  # a file added in the dashboard; a larger events file: --events FILE


def setting(name: str) -> Setting:
    """The registered setting called ``name``; raises KeyError for an unknown one, so a
    misspelt name fails loudly instead of silently reading nothing."""
    for entry in ENVIRONMENT:
        if entry.name == name:
            return entry
    raise KeyError(f"{name} is not a regionmap setting")


def read_setting(name: str) -> str | None:
    """The value of a registered environment variable, or None where it is unset or empty."""
    return os.environ.get(setting(name).name) or None
