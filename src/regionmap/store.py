"""An event store for ACLED-scale files: validate once, keep a columnar copy, filter fast.

The first load of a large CSV is validated row by row like any other; the good rows are
then kept as Parquet beside the user's data, keyed by the file's size and modification
time, so later loads take a fraction of a second. Filtering uses the same functions as
the curated CSV (`regionmap.events.apply_filter`) on a frame without a geometry column.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from regionmap.atomic import atomic_open
from regionmap.catalog import Catalog
from regionmap.errors import EventError, Problem
from regionmap.events import EventFilter, apply_filter, read_events

CATEGORICAL = ("event_type", "sub_event_type", "actor1", "actor2", "theatre", "country")


@dataclass
class EventStore:
    frame: pd.DataFrame  # one row per event, no geometry column
    problems: list[Problem]
    source: str
    from_cache: bool = False

    def __len__(self) -> int:
        return len(self.frame)

    def query(self, f: EventFilter) -> pd.DataFrame:
        return apply_filter(self.frame, f)


def _cache_path(path: Path, cache_dir: Path) -> Path:
    stat = path.stat()
    key = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    return cache_dir / f"events-{hashlib.sha256(key.encode()).hexdigest()[:16]}.parquet"


def _columnar(frame: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
    for column in CATEGORICAL:
        if column in out:
            out[column] = out[column].astype("category")
    return out


def load_store(
    path: str | Path, catalog: Catalog, cache_dir: str | Path | None = None
) -> EventStore:
    """Events from a large CSV (ours or ACLED's), through a Parquet cache when given one."""
    path = Path(path)
    if not path.is_file():
        raise EventError(path, "file not found")
    cached = _cache_path(path, Path(cache_dir)) if cache_dir else None
    if cached is not None and cached.is_file():
        return EventStore(pd.read_parquet(cached), [], str(path), from_cache=True)
    result = read_events(path, catalog)
    frame = _columnar(result.frame)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        with atomic_open(cached, "wb", encoding=None) as handle:
            frame.to_parquet(handle, index=False)
    return EventStore(frame, result.problems, str(path))
