"""The embedded store for large files: the validated Parquet copy, queried with DuckDB.

A large events file is validated once (as `regionmap._store.load_store` does) and kept as
Parquet in date order; DuckDB then reads only the columns and row groups a query needs
(projection and predicate pushdown), so a dashboard holds what it draws, not the file.
No DuckDB extension is loaded: bounding boxes use the longitude/latitude columns.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from regionmap import _store as parquet_store
from regionmap._catalog import Catalog
from regionmap._errors import EventError, Problem, RegionmapError
from regionmap.events import EventFilter, compact
from regionmap.stores._base import (
    FULL_COLUMNS,
    NO_FILTER,
    StoreError,
    day,
    grid_frame,
    grid_parts_sql,
    grid_sql,
    quote,
    where_sql,
)

DUCKDB_MEMORY_LIMIT = "400MB"  # DuckDB spills beyond this; the dashboard's own memory is apart


class DuckStore:
    """Events in a Parquet file, answered by DuckDB.

    Parameters
    ----------
    parquet : path
        A Parquet file with the columns of a validated events frame (`regionmap.events`):
        ``event_id``, ``start``/``end`` (timestamps, midnight), ``latitude``/``longitude``
        (degrees, EPSG:4326), ``event_type``, ``actor1``, ``actor2``, ``theatre``, ….
    problems : list of Problem
        What was wrong with the source file's rows (kept beside the copy).
    source : str
        The file the events came from, for messages.

    A store has no ``len()``: Streamlit takes the length of whatever a page hands it
    (its usage statistics), which made a count of every event on each rerun; `count`.
    """

    engine = "duckdb"

    def __init__(
        self,
        parquet: str | Path,
        problems: Sequence[Problem] = (),
        source: str = "",
        format: str = "regionmap",
    ) -> None:
        import duckdb  # imported here: only large files need it

        self.parquet = Path(parquet)
        self.problems = list(problems)
        self.source = source or str(parquet)
        self.format = format
        self._con = duckdb.connect(config={"memory_limit": DUCKDB_MEMORY_LIMIT, "threads": 2})
        self._lock = threading.Lock()
        self._known: dict[frozenset[str], set[str]] = {}
        self._relation = f"read_parquet({_literal(str(self.parquet))})"
        self.columns = tuple(pq.read_schema(self.parquet).names)

    # ------------------------------------------------------------------ opening

    @classmethod
    def from_file(cls, path: str | Path, catalog: Catalog, cache_dir: str | Path) -> DuckStore:
        """The store for an events CSV (ours or ACLED's): validated once into Parquet in
        ``cache_dir`` (reused while the file and the catalog's theatres are unchanged).

        Raises
        ------
        EventError
            The file is missing or has nothing usable.
        """
        path = Path(path)
        if not path.is_file():
            raise EventError(path, "file not found")
        cached = parquet_store._cache_path(path, catalog, Path(cache_dir))
        if not _readable(cached):
            built = path.stat().st_size >= parquet_store.CHILD_MIN_BYTES and (
                parquet_store._build_in_child(path, catalog, cached)
            )
            if not built:
                result = parquet_store._validated(path, catalog)
                parquet_store._write(cached, result)
                del result
                with contextlib.suppress(OSError):
                    parquet_store._remove_older(cached, path)
                pa.default_memory_pool().release_unused()
        problems, fmt = _problems_and_format(cached)
        return cls(cached, problems, str(path), fmt)

    # ------------------------------------------------------------------ queries

    def _run(self, sql: str, params: Sequence = ()) -> pa.Table:
        try:
            with self._lock:
                return self._con.sql(sql, params=list(params) or None).to_arrow_table()
        except Exception as exc:  # duckdb.Error and friends: one line, the file named
            raise StoreError(f"{self.parquet}: DuckDB query failed: {exc}") from None

    def count(self, f: EventFilter = NO_FILTER) -> int:
        """How many events ``f`` keeps."""
        where, params = where_sql(f, "?")
        table = self._run(f"SELECT count(*) AS n FROM {self._relation} WHERE {where}", params)
        return int(table.column("n")[0].as_py())

    def query(
        self,
        f: EventFilter = NO_FILTER,
        columns: Iterable[str] | None = None,
        limit: int | None = None,
    ) -> pd.DataFrame:
        """The events ``f`` keeps, oldest first (ties by event_id), as a pandas frame whose
        repeating text is categorical; ``columns`` projects (only those are read)."""
        names = [c for c in (columns or self.columns) if c in self.columns]
        where, params = where_sql(f, "?")
        sql = (
            f"SELECT {', '.join(quote(c) for c in names)} FROM {self._relation} "
            f'WHERE {where} ORDER BY "start", event_id'
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return _frame(self._run(sql, params))

    def rows(self, event_ids: Iterable[str], days: tuple | None = None) -> pd.DataFrame:
        """Complete rows for these ids (a page of markers or a table), oldest first.

        ``days`` (the first and last start among them, as the light rows give it) lets
        DuckDB skip the row groups outside those days; without it every row group's
        ids are read."""
        ids = [str(i) for i in event_ids]
        if not ids:
            return self.query(EventFilter(), limit=0)
        # the ids as one list parameter: a semi-join, twice as fast as 1,000 literals
        where, params = "event_id IN (SELECT unnest(?::VARCHAR[]))", [ids]
        if days is not None:
            where += ' AND "start" >= ? AND "start" <= ?'
            params += [day(days[0]), day(days[1])]
        sql = f'SELECT * FROM {self._relation} WHERE {where} ORDER BY "start", event_id'
        return _frame(self._run(sql, params))

    def known(self, event_ids: Iterable[str]) -> set[str]:
        """Which of these ids the store holds (only the id column is read; the file never
        changes under a store, so the answer is kept for the same ids)."""
        key = frozenset(str(i) for i in event_ids)
        if key not in self._known:
            if not key:
                return set()
            table = self._run(
                f"SELECT event_id FROM {self._relation} "
                "WHERE event_id IN (SELECT unnest(?::VARCHAR[]))",
                [sorted(key)],
            )
            self._known = {key: {str(i) for i in table.column(0).to_pylist()}}
        return set(self._known[key])

    def grid_parts(self, f: EventFilter, cell_deg: float) -> pd.DataFrame:
        """Counts per cell and type; see `regionmap.stores._base.grid_parts_sql`."""
        where, params = where_sql(f, "?")
        sql = grid_parts_sql(self._relation, where, "?")
        return self._run(sql, [cell_deg, cell_deg, *params]).to_pandas()

    def grid(self, f: EventFilter, cell_deg: float) -> pd.DataFrame:
        """Counts per grid cell of ``cell_deg`` degrees; see `regionmap.stores._base.grid_sql`."""
        where, params = where_sql(f, "?")
        sql = grid_sql(self._relation, where, "?")
        table = self._run(sql, [cell_deg, cell_deg, *params])
        return grid_frame(table.to_pandas())

    def choices(self) -> dict[str, list[str]]:
        """Event types and actors, for the filter widgets."""
        types = self._run(f"SELECT DISTINCT event_type FROM {self._relation}")
        actors = self._run(
            f"SELECT actor1 AS a FROM {self._relation} UNION SELECT actor2 FROM {self._relation}"
        )
        return {
            "types": sorted(str(t) for t in types.column(0).to_pylist() if t),
            "actors": sorted(str(a) for a in actors.column(0).to_pylist() if a),
        }

    def last_start(self) -> pd.Timestamp | None:
        table = self._run(f'SELECT max("start") AS m FROM {self._relation}')
        value = table.column("m")[0].as_py()
        return pd.Timestamp(value) if value is not None else None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._con.close()


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _readable(cached: Path) -> bool:
    return cached.is_file() and parquet_store._problems_path(cached).is_file()


def _problems_and_format(cached: Path) -> tuple[list[Problem], str]:
    try:
        listed = pq.read_table(parquet_store._problems_path(cached)).to_pydict()
        meta = pq.read_schema(cached).metadata or {}
        fmt = str(json.loads(meta[parquet_store._META])["format"])
    except (OSError, KeyError, ValueError, pa.ArrowException) as exc:
        raise RegionmapError(f"{cached}: the validated copy cannot be read: {exc}") from None
    rows = zip(listed["path"], listed["where"], listed["message"], strict=True)
    problems = [Problem(*row) for row in rows]
    return problems, fmt


def _frame(table: pa.Table) -> pd.DataFrame:
    """Arrow to pandas with text as categories where it repeats (as the pandas store keeps
    it); timestamps as datetime64[ns]."""
    frame = table.to_pandas(strings_to_categorical=False, self_destruct=True)
    for column in ("start", "end"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
    if "fatalities" in frame:
        frame["fatalities"] = frame["fatalities"].astype("Int64")
    order = [c for c in FULL_COLUMNS if c in frame.columns]
    frame = frame[order + [c for c in frame.columns if c not in order]]
    return compact(frame)
