"""The shared store: PostgreSQL with PostGIS, for a team's events and saved files.

One table of events keyed by the source's own id (``origin`` + ``event_id``: ACLED's
``event_id_cnty``, ours ``event_id``), a point geometry in EPSG:4326 with a GiST index,
B-tree indexes on the start and end days and on the event type; a table of the files users
chose to keep (layers or events, as uploaded). Several dashboard processes share one store.
The connection URL is never printed with its password (`regionmap.stores._base.mask_url`).
"""

from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence

import pandas as pd

from regionmap.events import EventFilter, by_date
from regionmap.stores._base import (
    FULL_COLUMNS,
    NO_FILTER,
    TEXT_COLUMNS,
    StoreError,
    day,
    grid_frame,
    grid_parts_sql,
    grid_sql,
    mask_url,
    quote,
    scrub,
    where_sql,
)
from regionmap.stores._pgfiles import KeptFiles
from regionmap.stores._pgsql import (
    CONNECT_TIMEOUT_S,
    DAYS,
    EVENTS,
    IMPORT_CHUNK,
    SPATIAL,
    WORK_MEM,
    copy_text,
    ddl,
    first_line,
    typed,
)
from regionmap.stores._pgstats import StoreStats


def is_postgres_url(text: str) -> bool:
    return text.startswith(("postgresql://", "postgres://"))


def origin_of(format_label: str) -> str:
    """The namespace of a file's ids: "acled", "ucdp" or "regionmap" (ours, user files)."""
    label = format_label.lower()
    for name in ("acled", "ucdp"):
        if name in label:
            return name
    return "regionmap"


class PostgisStore(KeptFiles, StoreStats):
    """Events and kept files in PostgreSQL + PostGIS.

    Parameters
    ----------
    url : str
        ``postgresql://user:password@host:port/database`` (libpq's URL form; parameters
        such as ``sslmode`` pass through).

    Raises
    ------
    StoreError
        On first use, when the server cannot be reached, PostGIS is missing, or the
        tables were never made (``regionmap store init URL``); one line, password masked.

    No ``len()``, as `regionmap.stores.DuckStore` says: use `count`.
    """

    engine = "postgis"

    def __init__(self, url: str) -> None:
        if not is_postgres_url(url):
            raise StoreError(f"{mask_url(url)}: not a postgresql:// URL")
        if url.split("://", 1)[1].split("/", 1)[0].count("@") > 1:
            # libpq would read what follows the password's "@" as the host, and its error
            # would print that piece of the password
            user = url.split("://", 1)[1].split(":", 1)[0]
            raise StoreError(
                f"postgresql://{user}:***@…: the password holds an '@'; write it as %40 "
                "(percent-encode the password in a URL)"
            )
        self.url = url
        self.masked = mask_url(url)
        self._conn = None
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return f"PostgisStore({self.masked!r})"

    # ------------------------------------------------------------------ connection

    def _connect(self):
        import psycopg

        try:
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
            conn.execute("SET jit = off")  # compiling costs more than these queries save
            # a window's bitmap over 10M events went lossy in the default 4 MB and
            # rechecked 400k rows
            conn.execute(f"SET work_mem = '{WORK_MEM}'")
        except psycopg.Error as exc:
            reason = scrub(str(exc).strip().splitlines()[0] if str(exc).strip() else "", self.url)
            raise StoreError(f"cannot connect to {self.masked}: {reason}") from None
        return conn

    @contextlib.contextmanager
    def _cursor(self) -> Iterator:
        """A cursor on the store's one connection (reopened if it broke); driver errors
        become a `StoreError` with the URL masked."""
        import psycopg

        with self._lock:
            if self._conn is None or self._conn.closed:
                self._conn = self._connect()
            try:
                with self._conn.cursor() as cur:
                    yield cur
            except psycopg.errors.UndefinedTable:
                raise StoreError(
                    f"{self.masked}: no regionmap tables here; run `regionmap store init URL`"
                ) from None
            except psycopg.errors.UndefinedFunction as exc:
                if any(w in str(exc).lower() for w in ("st_", "geometry", "postgis")):
                    raise StoreError(
                        f"{self.masked}: PostGIS is not installed in this database"
                    ) from None
                raise StoreError(f"{self.masked}: {scrub(first_line(exc), self.url)}") from None
            except psycopg.OperationalError as exc:
                with contextlib.suppress(Exception):
                    self._conn.close()
                self._conn = None
                raise StoreError(
                    f"{self.masked}: connection lost: {scrub(first_line(exc), self.url)}"
                ) from None
            except psycopg.Error as exc:
                raise StoreError(f"{self.masked}: {scrub(first_line(exc), self.url)}") from None

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(Exception):
                    self._conn.close()
                self._conn = None

    # ------------------------------------------------------------------ set up

    def init(self) -> None:
        """Create PostGIS (if allowed), the tables and the indexes; safe to run again.

        Raises
        ------
        StoreError
            PostGIS is not available on the server, or this role may not create it.
        """
        import psycopg

        with self._lock:
            if self._conn is None or self._conn.closed:
                self._conn = self._connect()
            try:
                with self._conn.transaction(), self._conn.cursor() as cur:
                    for statement in ddl():
                        cur.execute(statement)
            except psycopg.errors.FeatureNotSupported as exc:
                raise StoreError(
                    f"{self.masked}: PostGIS is not installed on the server "
                    f"(Debian: apt-get install postgresql-15-postgis-3): {first_line(exc)}"
                ) from None
            except psycopg.errors.UndefinedFile:
                raise StoreError(
                    f"{self.masked}: PostGIS is not installed on the server "
                    "(Debian: apt-get install postgresql-15-postgis-3)"
                ) from None
            except psycopg.errors.InsufficientPrivilege as exc:
                raise StoreError(
                    f"{self.masked}: this role may not create the PostGIS extension; ask an "
                    f"administrator to run CREATE EXTENSION postgis ({first_line(exc)})"
                ) from None
            except psycopg.Error as exc:
                raise StoreError(f"{self.masked}: {scrub(first_line(exc), self.url)}") from None

    def check(self) -> None:
        """Raise `StoreError` unless the server answers and the tables are there."""
        with self._cursor() as cur:
            cur.execute("SELECT to_regclass(%s), to_regproc('postgis_version')", (EVENTS,))
            table, postgis = cur.fetchone()
        if postgis is None:
            raise StoreError(f"{self.masked}: PostGIS is not installed in this database")
        if table is None:
            raise StoreError(
                f"{self.masked}: no regionmap tables here; run `regionmap store init URL`"
            )

    # ------------------------------------------------------------------ writing events

    def upsert(
        self,
        frame: pd.DataFrame,
        origin: str = "regionmap",
        progress: Callable[[int, int], None] | None = None,
    ) -> int:
        """Insert or update validated events (a frame from `regionmap.events.read_events`),
        keyed by ``origin`` and ``event_id``: importing the same file twice changes nothing.

        Rows go in date order (so a window's rows share pages) over COPY into a staging
        table, ``IMPORT_CHUNK`` at a time, one transaction each; ``progress(done, total)``
        is called after each. Columns beyond the events
        contract (ACLED's ``year``, ``iso``…) are kept in a JSON column. Returns the
        number of rows written.
        """
        # in date order: a window's rows then share heap pages (at 10M, scattered rows
        # made the "2020 war" read 49,000 pages for 49,577 events)
        frame = by_date(frame)
        total = len(frame)
        extras = [c for c in frame.columns if c not in FULL_COLUMNS and c != "geometry"]
        names = [*FULL_COLUMNS, "extra"]
        assign = ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in names)
        done = 0
        with self._lock:
            for begin in range(0, max(total, 1), IMPORT_CHUNK):
                part = frame.iloc[begin : begin + IMPORT_CHUNK]
                if not len(part):
                    break
                text = copy_text(part, extras)
                with self._cursor() as cur, self._conn.transaction():
                    # an import can be rerun: no need to wait for each chunk to reach disk
                    cur.execute("SET LOCAL synchronous_commit = off")
                    columns = ", ".join(quote(c) for c in names)
                    cur.execute(
                        f"CREATE TEMP TABLE IF NOT EXISTS regionmap_stage AS "
                        f"SELECT {columns} FROM {EVENTS} WITH NO DATA"
                    )
                    cur.execute("TRUNCATE regionmap_stage")
                    forced = ", ".join(quote(c) for c in TEXT_COLUMNS)
                    with cur.copy(
                        f"COPY regionmap_stage ({columns}) FROM STDIN "
                        f"(FORMAT csv, FORCE_NOT_NULL ({forced}))"
                    ) as copy:
                        copy.write(text)
                    cur.execute(
                        f"INSERT INTO {EVENTS} (origin, {columns}, geom) "
                        f"SELECT %s, {columns}, "
                        "ST_SetSRID(ST_MakePoint(longitude, latitude), 4326) "
                        f"FROM regionmap_stage "
                        f"ON CONFLICT (origin, event_id) DO UPDATE SET {assign}, "
                        f"geom = EXCLUDED.geom, imported_at = now()",
                        (origin,),
                    )
                done += len(part)
                if progress is not None:
                    progress(done, total)
        return done

    def delete(self, event_ids: Iterable[str], origin: str = "acled") -> int:
        """Remove events by id (ACLED's deletions list); returns how many were there."""
        ids = [str(i) for i in event_ids]
        if not ids:
            return 0
        with self._cursor() as cur:
            cur.execute(
                f"DELETE FROM {EVENTS} WHERE origin = %s AND event_id = ANY(%s)", (origin, ids)
            )
            return cur.rowcount

    # ------------------------------------------------------------------ queries

    def count(self, f: EventFilter = NO_FILTER) -> int:
        where, params = where_sql(f, "%s", SPATIAL, DAYS)
        with self._cursor() as cur:
            cur.execute(f"SELECT count(*) FROM {EVENTS} WHERE {where}", params)
            return int(cur.fetchone()[0])

    def query(
        self,
        f: EventFilter = NO_FILTER,
        columns: Iterable[str] | None = None,
        limit: int | None = None,
    ) -> pd.DataFrame:
        """The events ``f`` keeps, oldest first (ties by event_id), in the pandas frame's
        types (dates as datetime64[ns] midnights, repeating text categorical).
        ``columns`` projects: only those travel from the server."""
        names = [c for c in (columns or FULL_COLUMNS) if c in FULL_COLUMNS]
        where, params = where_sql(f, "%s", SPATIAL, DAYS)
        sql = (
            f"SELECT {', '.join(quote(c) for c in names)} FROM {EVENTS} WHERE {where} "
            'ORDER BY "start", event_id'
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return self._copy_out(sql, params, names)

    def rows(self, event_ids: Iterable[str], days: tuple | None = None) -> pd.DataFrame:
        """Complete rows (extra columns included) for these ids, oldest first; ``days``
        (the first and last start among them) narrows the search as in `DuckStore.rows`."""
        ids = [str(i) for i in event_ids]
        names = [*FULL_COLUMNS, "extra"]
        where, params = "event_id = ANY(%s)", [ids]
        if days is not None:
            where += ' AND "start" >= %s AND "start" <= %s'
            params += [day(days[0]), day(days[1])]
        sql = (
            f"SELECT {', '.join(quote(c) for c in names)} FROM {EVENTS} "
            f'WHERE {where} ORDER BY "start", event_id'
        )
        with self._cursor() as cur:
            cur.execute(sql, params)
            records = cur.fetchall()
        frame = pd.DataFrame.from_records(records, columns=names)
        extra = pd.DataFrame(list(frame.pop("extra")), index=frame.index)
        if len(extra.columns):
            frame = pd.concat([frame, extra.astype(str)], axis=1)
        return typed(frame)

    def known(self, event_ids: Iterable[str]) -> set[str]:
        """Which of these ids the store holds (an index lookup; asked afresh each time,
        since another dashboard may import meanwhile)."""
        ids = sorted({str(i) for i in event_ids})
        if not ids:
            return set()
        with self._cursor() as cur:
            cur.execute(f"SELECT DISTINCT event_id FROM {EVENTS} WHERE event_id = ANY(%s)", (ids,))
            return {str(r[0]) for r in cur.fetchall()}

    def _copy_out(self, sql: str, params: Sequence, names: list[str]) -> pd.DataFrame:
        """A query's rows via COPY ... TO STDOUT as CSV: much faster than row tuples."""
        buffer = io.BytesIO()
        with self._cursor() as cur, cur.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)", params) as cp:
            for block in cp:
                buffer.write(block)
        buffer.seek(0)
        dtypes = {c: str for c in names if c in TEXT_COLUMNS}
        frame = pd.read_csv(
            buffer,
            names=names,
            header=None,
            dtype=dtypes,
            keep_default_na=False,
            na_values={c: [""] for c in names if c not in TEXT_COLUMNS},
        )
        return typed(frame)

    def grid_parts(self, f: EventFilter, cell_deg: float) -> pd.DataFrame:
        """Counts per cell and type; see `regionmap.stores._base.grid_parts_sql`."""
        where, params = where_sql(f, "%s", SPATIAL, DAYS)
        with self._cursor() as cur:
            cur.execute(grid_parts_sql(EVENTS, where, "%s"), [cell_deg, cell_deg, *params])
            records = cur.fetchall()
        return pd.DataFrame.from_records(records, columns=["ix", "iy", "type", "n", "slon", "slat"])

    def grid(self, f: EventFilter, cell_deg: float) -> pd.DataFrame:
        """Counts per grid cell of ``cell_deg`` degrees; see `regionmap.stores._base.grid_sql`."""
        where, params = where_sql(f, "%s", SPATIAL, DAYS)
        sql = grid_sql(EVENTS, where, "%s", collate='COLLATE "C"')
        with self._cursor() as cur:
            cur.execute(sql, [cell_deg, cell_deg, *params])
            records = cur.fetchall()
        cells = pd.DataFrame.from_records(records, columns=["count", "lon", "lat", "type"])
        return grid_frame(cells)

    def choices(self) -> dict[str, list[str]]:
        with self._cursor() as cur:
            cur.execute(f"SELECT DISTINCT event_type FROM {EVENTS}")
            types = [r[0] for r in cur.fetchall()]
            cur.execute(f"SELECT actor1 FROM {EVENTS} UNION SELECT actor2 FROM {EVENTS}")
            actors = [r[0] for r in cur.fetchall()]
        return {"types": sorted(t for t in types if t), "actors": sorted(a for a in actors if a)}

    def last_start(self) -> pd.Timestamp | None:
        with self._cursor() as cur:
            cur.execute(f'SELECT max("start") FROM {EVENTS}')
            value = cur.fetchone()[0]
        return pd.Timestamp(value) if value is not None else None
