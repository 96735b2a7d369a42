"""What is in the shared store, for `regionmap store stats`: kept apart from
`regionmap.stores._postgis` (the connection and the queries) to keep each module short."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from regionmap.stores._pgsql import EVENTS, FILES


class StoreStats:
    """The stats half of `regionmap.stores._postgis.PostgisStore`."""

    masked: str
    _cursor: Callable[[], AbstractContextManager[Any]]
    check: Callable[[], None]

    def stats(self) -> dict:
        """What is in the store: events per origin and theatre, date range, sizes, files."""
        self.check()
        with self._cursor() as cur:
            cur.execute("SELECT postgis_lib_version()")
            postgis = cur.fetchone()[0]
            cur.execute(
                f'SELECT origin, count(*), min("start"), max("start") FROM {EVENTS} '
                "GROUP BY origin ORDER BY origin"
            )
            origins = cur.fetchall()
            cur.execute(f"SELECT theatre, count(*) FROM {EVENTS} GROUP BY theatre ORDER BY theatre")
            theatres = cur.fetchall()
            cur.execute(
                f"SELECT pg_total_relation_size('{EVENTS}'), "
                f"(SELECT count(*) FROM {FILES}), "
                f"(SELECT coalesce(sum(length(data)), 0) FROM {FILES})"
            )
            size, files, file_bytes = cur.fetchone()
        return {
            "url": self.masked,
            "postgis": postgis,
            "events": sum(n for _, n, _, _ in origins),
            "origins": [
                {"origin": o, "events": n, "first": str(a), "last": str(b)}
                for o, n, a, b in origins
            ],
            "theatres": {t or "(none)": n for t, n in theatres},
            "table_bytes": int(size),
            "files": int(files),
            "file_bytes": int(file_bytes),
        }
