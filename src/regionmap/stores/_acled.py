"""ACLED's API (acleddata.com, 2025 on): OAuth tokens, paged events and the deletions list.

The flow ACLED documents ("Getting started", "ACLED endpoint", "Deleted endpoint"):

- ``POST {base}/oauth/token`` with a form of ``username`` (the myACLED e-mail),
  ``password``, ``grant_type=password`` and ``client_id=acled`` answers JSON with an
  ``access_token`` (24 hours) and a ``refresh_token`` (14 days); the same URL with
  ``grant_type=refresh_token`` and ``refresh_token`` gives a new pair.
- ``GET {base}/api/acled/read?_format=json&limit=N&page=P&…`` with the header
  ``Authorization: Bearer <access_token>`` answers ``{"status": 200, "success": true,
  "count": n, "data": [rows]}``, each row ACLED's export columns as strings; a page with
  fewer than ``limit`` rows is the last.
- ``GET {base}/api/deleted/read`` pages the same way; its rows are ``event_id_cnty`` and
  ``deleted_timestamp`` (Unix seconds).

A 401 on a data request means the access token expired: the client refreshes once (or
logs in again when the refresh token is refused) and repeats the request. Neither the
password nor a token is ever put in a message, a URL or a log line; they travel only in
the POST body and the Authorization header.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path

from regionmap._atomic import atomic_open
from regionmap._errors import RegionmapError
from regionmap._settings import read_setting
from regionmap.events import ACLED_ID

CLIENT_ID = "acled"
DEFAULT_URL = "https://acleddata.com"
ACLED_PAGE_ROWS = 5000  # ACLED's own default page size
TIMEOUT_S = 120  # a 5,000-row page can take a minute on ACLED's side
# ACLED's `country` names for the places regionmap maps (maritime events have the sea's
# name as their country since 2025).
ACLED_COUNTRIES = (
    "Armenia", "Azerbaijan", "Georgia", "Libya", "Russia", "Syria", "Turkey", "Ukraine",
    "Black Sea",
)  # fmt: skip


class AcledError(RegionmapError):
    """ACLED's API refused or failed; one line, never holding a password or a token."""


def acled_url() -> str:
    """The API's base URL: ``$REGIONMAP_ACLED_URL`` (tests point it at a local server)."""
    return (read_setting("REGIONMAP_ACLED_URL") or DEFAULT_URL).rstrip("/")


class AcledClient:
    """A logged-in session with ACLED's API.

    Parameters
    ----------
    username, password : str
        The myACLED account's e-mail and password (sent once, in the token request).
    base_url : str, optional
        Default `acled_url()`.

    Raises
    ------
    AcledError
        On first use, when the login is refused or the server cannot be reached.
    """

    def __init__(self, username: str, password: str, base_url: str | None = None) -> None:
        if not username or not password:
            raise AcledError(
                "ACLED needs an account: set REGIONMAP_ACLED_USER and REGIONMAP_ACLED_PASSWORD"
            )
        self.base_url = (base_url or acled_url()).rstrip("/")
        self._username = username
        self._password = password
        self._access: str | None = None
        self._refresh: str | None = None
        self.logins = 0  # token grants so far (password or refresh): tests and messages
        self.refreshes = 0

    def __repr__(self) -> str:
        return f"AcledClient({self._username!r} at {self.base_url})"

    # ------------------------------------------------------------------ tokens

    def _grant(self, form: dict[str, str]) -> None:
        body = urllib.parse.urlencode({**form, "client_id": CLIENT_ID}).encode()
        request = urllib.request.Request(
            f"{self.base_url}/oauth/token",
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        answer = self._open(request, "login")
        try:
            self._access = str(answer["access_token"])
            self._refresh = answer.get("refresh_token") or self._refresh
        except (KeyError, TypeError):
            raise AcledError(
                f"{self.base_url}/oauth/token: no access_token in the answer"
            ) from None
        self.logins += 1

    def login(self) -> None:
        """Get a token pair with the password (``grant_type=password``)."""
        self._grant(
            {"username": self._username, "password": self._password, "grant_type": "password"}
        )

    def refresh(self) -> None:
        """A new token pair from the refresh token; a refused one means logging in again."""
        self.refreshes += 1
        if self._refresh is None:
            self.login()
            return
        try:
            self._grant({"grant_type": "refresh_token", "refresh_token": self._refresh})
        except _Unauthorized:
            self._refresh = None
            self.login()

    # ------------------------------------------------------------------ requests

    def _open(self, request: urllib.request.Request, what: str) -> dict:
        """JSON from ``request``; HTTP and network failures as one `AcledError` line."""
        where = request.full_url.split("?", 1)[0]
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            detail = _error_text(exc)
            if exc.code in (400, 401, 403) and what == "login":
                raise _Unauthorized(f"{where}: login refused ({exc.code}): {detail}") from None
            if exc.code == 401:
                raise _Unauthorized(f"{where}: {exc.code} {detail}") from None
            raise AcledError(f"{where}: HTTP {exc.code}: {detail}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise AcledError(f"cannot reach {where}: {reason}") from None
        try:
            return json.loads(raw)
        except ValueError:
            raise AcledError(f"{where}: the answer is not JSON ({raw[:60]!r}…)") from None

    def get(self, path: str, params: dict[str, str]) -> dict:
        """``GET {base}{path}?params`` as JSON, logged in; one refresh and retry on 401."""
        if self._access is None:
            self.login()
        url = f"{self.base_url}{path}?{urllib.parse.urlencode(params)}"
        for attempt in (1, 2):
            request = urllib.request.Request(
                url, headers={"Authorization": f"Bearer {self._access}"}
            )
            try:
                return self._open(request, "data")
            except _Unauthorized as exc:
                if attempt == 2:
                    raise AcledError(f"{exc} (after a token refresh)") from None
                self.refresh()
        raise AssertionError("unreachable")

    def pages(
        self, path: str, params: dict[str, str], limit: int = ACLED_PAGE_ROWS
    ) -> Iterator[list]:
        """The rows of every page of ``path`` (``page`` = 1, 2, …) until a short page."""
        page = 1
        while True:
            answer = self.get(
                path, {**params, "_format": "json", "limit": str(limit), "page": str(page)}
            )
            if answer.get("success") is False or int(answer.get("status", 200)) >= 400:
                raise AcledError(f"{self.base_url}{path}: {_messages(answer)}")
            rows = answer.get("data") or []
            if rows:
                yield rows
            if len(rows) < limit:
                return
            page += 1

    def events(
        self,
        countries: tuple[str, ...] = ACLED_COUNTRIES,
        since: dt.date | None = None,
        limit: int = ACLED_PAGE_ROWS,
    ) -> Iterator[list[dict]]:
        """Pages of events (ACLED's columns, as strings) in ``countries``, on or after
        ``since`` (``event_date``) when given."""
        params = {"country": "|".join(countries)}
        if since is not None:
            params |= {"event_date": since.isoformat(), "event_date_where": ">="}
        yield from self.pages("/api/acled/read", params, limit)

    def deleted(self, since: dt.date | None = None, limit: int = ACLED_PAGE_ROWS) -> list[str]:
        """ACLED ids deleted (on or after ``since``, a UTC day, when given)."""
        params: dict[str, str] = {}
        if since is not None:
            stamp = dt.datetime(since.year, since.month, since.day, tzinfo=dt.UTC).timestamp()
            params = {"deleted_timestamp": str(int(stamp)), "deleted_timestamp_where": ">="}
        ids: list[str] = []
        for rows in self.pages("/api/deleted/read", params, limit):
            ids.extend(str(r[ACLED_ID]) for r in rows if r.get(ACLED_ID))
        return ids


class _Unauthorized(AcledError):
    """A 401 (or a refused login): the caller may refresh and retry."""


def _error_text(exc: urllib.error.HTTPError) -> str:
    """What an HTTP error's JSON body says (``error_description``, ``message``…)."""
    try:
        body = json.loads(exc.read() or b"{}")
    except (ValueError, OSError):
        return exc.reason or "error"
    return _messages(body) if isinstance(body, dict) else str(exc.reason)


def _messages(answer: dict) -> str:
    for key in ("error_description", "message", "messages", "error"):
        if answer.get(key):
            value = answer[key]
            return "; ".join(map(str, value)) if isinstance(value, list) else str(value)
    return "no message"


def acled_rows_csv(rows: list[dict], columns: list[str] | None = None) -> str:
    """Rows of ACLED's API as the CSV ACLED's export gives (its columns, first seen order)."""
    names = list(columns or [])
    for row in rows:
        names.extend(k for k in row if k not in names)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=names, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: "" if v is None else v for k, v in r.items()} for r in rows)
    return out.getvalue()


def refresh_acled_file(
    path: str | Path, pages: Iterable[list[dict]], deleted: list[str]
) -> tuple[int, int, int]:
    """Bring an ACLED CSV at ``path`` up to date: rows from ``pages`` replace those with
    the same ``event_id_cnty`` or are added, the ``deleted`` ids are removed; written
    atomically (a new file if there was none). Returns (fetched, deleted, rows now).

    Raises
    ------
    AcledError
        The existing file is not an ACLED CSV (no event_id_cnty column).
    """
    path = Path(path)
    rows: dict[str, dict] = {}
    columns: list[str] = []
    if path.exists():
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = list(reader.fieldnames or [])
            if ACLED_ID not in columns:
                raise AcledError(f"{path}: no {ACLED_ID} column; not an ACLED CSV to refresh")
            rows = {r[ACLED_ID]: r for r in reader}
    fetched = 0
    for page in pages:
        for row in page:
            rows[str(row[ACLED_ID])] = row
        fetched += len(page)
    gone = [i for i in deleted if rows.pop(i, None) is not None]
    with atomic_open(path, "w", encoding="utf-8") as handle:
        handle.write(acled_rows_csv(list(rows.values()), columns))
    return fetched, len(gone), len(rows)
