"""A scratch PostGIS database for tests, created and dropped around them.

The tests connect over 127.0.0.1 with a password, as a dashboard would. The admin URL is
``$REGIONMAP_TEST_PG`` (default: role ``regionmap_test`` on 127.0.0.1:5432); when that role
does not exist and we are root on a machine with Debian's cluster (CI), it is created
through ``su postgres -c psql`` as a superuser (CREATE EXTENSION postgis needs one).
Without PostgreSQL the PostGIS tests skip, unless ``REGIONMAP_REQUIRE_POSTGIS=1`` (CI).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
from collections.abc import Iterator

import pytest

REQUIRE_ENV = "REGIONMAP_REQUIRE_POSTGIS"
ROLE = "regionmap_test"
ADMIN_URL = os.environ.get(
    "REGIONMAP_TEST_PG", f"postgresql://{ROLE}:{ROLE}@127.0.0.1:5432/postgres"
)


def unavailable(reason: str) -> None:
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"PostGIS required ({REQUIRE_ENV}=1) but {reason}")
    pytest.skip(f"no PostGIS: {reason}")


def _create_role() -> str | None:
    """As root with Debian's cluster: make the test role. Returns why not, or None."""
    if os.geteuid() != 0 or not shutil.which("su") or not shutil.which("psql"):
        return "the test role does not exist and we are not root to create it"
    sql = (
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') THEN "
        f"CREATE ROLE {ROLE} LOGIN SUPERUSER PASSWORD '{ROLE}'; END IF; END $$;"
    )
    done = subprocess.run(  # the SQL over stdin: no shell quoting of its $$
        ["su", "postgres", "-c", "psql -q -v ON_ERROR_STOP=1"],
        input=sql,
        capture_output=True,
        text=True,
        check=False,
    )
    return None if done.returncode == 0 else f"psql as postgres failed: {done.stderr.strip()}"


def _admin():
    psycopg = pytest.importorskip("psycopg")
    try:
        return psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "cannot connect"
        if "password authentication failed" not in str(exc) and "does not exist" not in str(exc):
            unavailable(f"PostgreSQL not reachable on 127.0.0.1:5432 ({first})")
        why = _create_role()
        if why:
            unavailable(why)
        try:
            return psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)
        except psycopg.OperationalError as again:
            unavailable(f"cannot connect after creating the role: {again}")
    return None


@contextlib.contextmanager
def scratch_database(with_postgis: bool = True) -> Iterator[str]:
    """A new database (PostGIS enabled unless told not to); dropped afterwards."""
    admin = _admin()
    name = f"regionmap_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    try:
        if with_postgis:
            import psycopg

            try:
                with psycopg.connect(url, autocommit=True) as conn:
                    conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
            except psycopg.Error as exc:
                unavailable(f"CREATE EXTENSION postgis failed: {exc}")
        yield url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
