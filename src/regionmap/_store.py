"""An event store for ACLED-scale files: validate once, keep a columnar copy, filter fast.

The first load of a large CSV is validated row by row like any other; the good rows and
the list of bad ones are then kept as Parquet in a cache folder, keyed by the file's path,
size and modification time and by the catalog's theatres, so later loads (a restarted
dashboard) take a fraction of a second and still report the same problems. Filtering uses
the same functions as the curated CSV (`regionmap.events.apply_filter`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import pickle
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from regionmap._atomic import atomic_open
from regionmap._catalog import Catalog
from regionmap._errors import EventError, Problem, RegionmapError
from regionmap.events import EventFilter, EventResult, apply_filter, by_date, read_events

_META = b"regionmap"
CACHE_VERSION = 4  # bump when the cached frame's columns, types or meaning change (4: ACLED
# time_precision 2/3 as a week/month containing the date)


@dataclass
class EventStore:
    frame: pd.DataFrame  # one row per event, text that repeats as categories
    problems: list[Problem]
    source: str
    from_cache: bool = False
    format: str = "regionmap"
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.frame)

    def query(self, f: EventFilter) -> pd.DataFrame:
        return apply_filter(self.frame, f)

    def result(self) -> EventResult:
        return EventResult(self.source, self.frame, self.problems, self.format, self.notes)


def _cache_path(path: Path, catalog: Catalog, cache_dir: Path) -> Path:
    """Keyed by the file and by what its checks depend on: the theatres' ids and boxes."""
    stat = path.stat()
    theatres = [(t.id, t.bbox) for t in catalog.theatres]
    key = f"{CACHE_VERSION}|{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{theatres}"
    return cache_dir / f"{_prefix(path)}{hashlib.sha256(key.encode()).hexdigest()[:16]}.parquet"


def _prefix(path: Path) -> str:
    """Shared by every cached version of one file, so the outdated ones can be removed."""
    return f"events-{hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:8]}-"


def _remove_older(cached: Path, path: Path) -> None:
    for old in cached.parent.glob(f"{_prefix(path)}*.parquet"):
        if old.name.split(".")[0] != cached.name.split(".")[0]:
            with contextlib.suppress(OSError):
                old.unlink()


def _problems_path(cached: Path) -> Path:
    # a table of its own: a million problems do not fit in Parquet's metadata
    return cached.with_suffix(".problems.parquet")


def _write(cached: Path, result: EventResult) -> None:
    """The problems first, then the events: a cache is used only when both are there."""
    cached.parent.mkdir(parents=True, exist_ok=True)
    problems = pa.table(
        {
            "path": [p.path for p in result.problems],
            "where": [p.where for p in result.problems],
            "message": [p.message for p in result.problems],
        },
        schema=pa.schema([("path", pa.string()), ("where", pa.string()), ("message", pa.string())]),
    )
    with atomic_open(_problems_path(cached), "wb", encoding=None) as handle:
        pq.write_table(problems, handle)
    table = pa.Table.from_pandas(result.frame, preserve_index=False)
    meta = json.dumps({"format": result.format, "notes": result.notes}).encode()
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), _META: meta})
    with atomic_open(cached, "wb", encoding=None) as handle:
        pq.write_table(table, handle, row_group_size=ROW_GROUP_ROWS)


# Row groups of this many rows (pyarrow writes a million by default): the copy is in date
# order, so a DuckDB query skips groups outside its days by their statistics, and reads a
# complete row by decompressing 100k rows' columns, not 1M (at 1M the DuckDB store's
# queries held 185 MB over its open, 120 MB with these).
ROW_GROUP_ROWS = 100_000

REQUIRED = ("event_id", "start", "end", "latitude", "longitude", "event_type", "theatre")


def _read(cached: Path, source: str) -> EventStore | None:
    """The cached store, or None when a cache file is missing or unreadable (then rebuilt)."""
    try:
        table = pq.read_table(cached)
        meta = json.loads((table.schema.metadata or {})[_META])
        listed = pq.read_table(_problems_path(cached)).to_pydict()
        problems = [
            Problem(*row)
            for row in zip(listed["path"], listed["where"], listed["message"], strict=True)
        ]
        # column by column, freeing Arrow's copy as it goes: one copy of a big file at a time
        frame = table.to_pandas(split_blocks=True, self_destruct=True)
        del table
        pa.default_memory_pool().release_unused()  # Arrow's pool keeps freed memory otherwise
        fmt = str(meta["format"])
        notes = [str(n) for n in meta.get("notes", [])]
    except (OSError, KeyError, TypeError, ValueError, pa.ArrowException):
        return None
    if not set(REQUIRED) <= set(frame.columns):
        return None
    return EventStore(frame, problems, source, from_cache=True, format=fmt, notes=notes)


# Files this large are first checked in a child process: the check's peak (1.75 GB for a
# million ACLED rows) is then gone with the child instead of staying in a long-lived
# dashboard server, which only reads the finished Parquet copy (about 1 GB at its peak).
CHILD_MIN_BYTES = 100_000_000  # about 400,000 ACLED rows; below, a child costs more than it saves


def _validated(path: Path, catalog: Catalog) -> EventResult:
    result = read_events(path, catalog)
    # kept in date order, as the dashboard shows it, so a cached load needs no sort
    return dataclasses.replace(result, frame=by_date(result.frame))


def _build(path: str, catalog: Catalog, cached: str) -> None:
    """In the child: validate and write the cache; an error leaves no cache behind, and the
    parent then reads the file itself and reports it."""
    with contextlib.suppress(RegionmapError):
        _write(Path(cached), _validated(Path(path), catalog))
        _remove_older(Path(cached), Path(path))


def _build_in_child(path: Path, catalog: Catalog, cached: Path) -> bool:
    """A fresh interpreter, not multiprocessing: under Streamlit, spawn would re-run the
    app script as the child's __main__. The job goes over stdin, pickled by us."""
    job = pickle.dumps((str(path), catalog, str(cached)))
    command = [sys.executable, "-c", "import regionmap._store as s; s._child()"]
    try:
        done = subprocess.run(command, input=job, capture_output=True, check=False)
    except OSError:  # no processes to spare: do it here instead
        return False
    return done.returncode == 0 and cached.is_file()


def _child() -> None:
    _build(*pickle.loads(sys.stdin.buffer.read()))


def load_store(
    path: str | Path, catalog: Catalog, cache_dir: str | Path | None = None
) -> EventStore:
    """Events from a large CSV (ours or ACLED's), through a Parquet cache when given one.

    Parameters
    ----------
    path : str or Path
        An events CSV (ours, ACLED's, UCDP GED, HDX); any size.
    catalog : Catalog
        Gives the theatres each event is placed in (by its longitude, latitude, EPSG:4326).
    cache_dir : str or Path, optional
        Where the validated Parquet copy is kept, keyed by the file's size and time; a
        second load reads it instead of validating again.

    Returns
    -------
    EventStore
        The validated frame (dates as datetime64 midnights, repeating text categorical)
        and the problems of the rows left out.

    Raises
    ------
    EventError
        The file is missing, unreadable, or not an events file (names the file).
    """
    path = Path(path)
    if not path.is_file():
        raise EventError(path, "file not found")
    cached = _cache_path(path, catalog, Path(cache_dir)) if cache_dir else None
    if cached is not None and cached.is_file():
        store = _read(cached, str(path))
        if store is not None:
            return store
    if (
        cached is not None
        and path.stat().st_size >= CHILD_MIN_BYTES
        and _build_in_child(path, catalog, cached)
    ):
        store = _read(cached, str(path))
        if store is not None:
            return store
    result = _validated(path, catalog)
    if cached is not None:
        # a cache that cannot be written only costs time on the next start
        with contextlib.suppress(OSError):
            _write(cached, result)
            _remove_older(cached, path)
        pa.default_memory_pool().release_unused()
    return EventStore(
        result.frame, result.problems, str(path), format=result.format, notes=result.notes
    )
