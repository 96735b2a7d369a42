"""`regionmap store refresh-acled` against a local server that answers like ACLED's API.

The server (127.0.0.1, a thread, shut down after each test) serves tests/data/
acled_sample.csv's five crafted rows the way ACLED's JSON API does (every value a string,
``page``/``limit`` paging), the OAuth token endpoint (password and refresh grants), and the
deletions endpoint. Its first access token stops working after one data request, as an
expired one would: the client must refresh and repeat. Nothing reaches the network.
"""

from __future__ import annotations

import contextlib
import csv
import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import regionmap
from regionmap.cli import main
from regionmap.stores import PostgisStore
from regionmap.stores._acled import AcledClient, AcledError

from .conftest import ROOT
from .pg_support import scratch_database

USER = "analyst@example.org"
PASSWORD = "Pa55-word-never-shown"
SAMPLE = ROOT / "tests" / "data" / "acled_sample.csv"
DELETED = ["SYR90002", "XXX00000"]  # one we hold, one we never had


class FakeAcled:
    """What the server holds and what it was asked, in order."""

    def __init__(self, refuse_refresh: bool = False) -> None:
        with SAMPLE.open(encoding="utf-8", newline="") as handle:
            self.rows = list(csv.DictReader(handle))
        self.refuse_refresh = refuse_refresh
        self.log: list[tuple[str, ...]] = []
        self.tokens: dict[str, int] = {}  # access token -> data requests it may still make
        self.refresh_tokens: set[str] = set()
        self.issued = 0

    def grant(self, form: dict[str, str]) -> tuple[int, dict]:
        kind = form.get("grant_type", "")
        self.log.append(("token", kind))
        if form.get("client_id") != "acled":
            return 400, {"error": "invalid_client"}
        if kind == "password" and (form.get("username"), form.get("password")) == (USER, PASSWORD):
            pass
        elif kind == "refresh_token" and form.get("refresh_token") in self.refresh_tokens:
            if self.refuse_refresh:
                return 400, {"error": "invalid_grant", "error_description": "expired"}
        else:
            return 401, {"error": "invalid_grant", "error_description": "Invalid credentials"}
        self.issued += 1
        access, refresh = f"access-{self.issued}", f"refresh-{self.issued}"
        self.tokens[access] = 1 if self.issued == 1 else 1000  # the first one "expires"
        self.refresh_tokens.add(refresh)
        return 200, {
            "token_type": "Bearer",
            "expires_in": 86400,
            "access_token": access,
            "refresh_token": refresh,
        }

    def read(self, path: str, query: dict[str, str], bearer: str) -> tuple[int, dict]:
        page, limit = int(query.get("page", 1)), int(query.get("limit", 5000))
        self.log.append((path, str(page)))
        if self.tokens.get(bearer, 0) <= 0:
            return 401, {"message": "Unauthorized"}
        self.tokens[bearer] -= 1
        if path == "/api/deleted/read":
            data = [{"event_id_cnty": i, "deleted_timestamp": "1700000000"} for i in DELETED]
        else:
            countries = set(query.get("country", "").split("|"))
            data = [r for r in self.rows if r["country"] in countries]
        chunk = data[(page - 1) * limit : page * limit]
        return 200, {"status": 200, "success": True, "count": len(chunk), "data": chunk}


@contextlib.contextmanager
def acled_server(fake: FakeAcled) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, body: dict) -> None:
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            length = int(self.headers.get("Content-Length", 0))
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            if self.path != "/oauth/token":
                self._answer(404, {"message": "not found"})
                return
            self._answer(*fake.grant(form))

        def do_GET(self) -> None:  # noqa: N802
            url = urllib.parse.urlsplit(self.path)
            bearer = self.headers.get("Authorization", "").removeprefix("Bearer ")
            self._answer(*fake.read(url.path, dict(urllib.parse.parse_qsl(url.query)), bearer))

        def log_message(self, *args) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def fake(monkeypatch):
    fake = FakeAcled()
    with acled_server(fake) as url:
        monkeypatch.setenv("REGIONMAP_ACLED_URL", url)
        monkeypatch.setenv("REGIONMAP_ACLED_USER", USER)
        monkeypatch.setenv("REGIONMAP_ACLED_PASSWORD", PASSWORD)
        yield fake


def _secrets_absent(text: str) -> None:
    assert PASSWORD not in text and "access-" not in text and "refresh-" not in text


def test_refresh_into_a_file_pages_refreshes_the_token_and_applies_deletions(
    fake, tmp_path, capsys, catalog
):
    out = tmp_path / "acled.csv"
    args = ["store", "refresh-acled", "--out", str(out), "--page-rows", "3"]
    assert main(args) == 0
    # login, page 1, page 2 refused (expired), refresh, page 2 again, then deletions
    assert fake.log == [
        ("token", "password"),
        ("/api/acled/read", "1"),
        ("/api/acled/read", "2"),
        ("token", "refresh_token"),
        ("/api/acled/read", "2"),
        ("/api/deleted/read", "1"),
    ]
    result = regionmap.read_events(out, catalog)
    assert not result.problems
    assert sorted(result.frame["event_id"]) == ["ARM90004", "LBY90003", "SYR90001", "TUR90005"]
    err = capsys.readouterr().err
    assert "5 ACLED events fetched, 1 deleted" in err and "holds 4" in err
    _secrets_absent(err)

    # again, over a file holding an older version of a row: replaced, not doubled
    text = out.read_text(encoding="utf-8")
    out.write_text(text.replace("Crafted test row", "Old text"), encoding="utf-8")
    assert main([*args, "--country", "Syria"]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 4 and "Old text" not in next(
        r["notes"] for r in rows if r["event_id_cnty"] == "SYR90001"
    )
    assert "Old text" in next(r["notes"] for r in rows if r["event_id_cnty"] == "LBY90003")


def test_a_refused_refresh_token_logs_in_again(monkeypatch):
    fake = FakeAcled(refuse_refresh=True)
    with acled_server(fake) as url:
        client = AcledClient(USER, PASSWORD, url)
        pages = list(client.events(("Syria", "Libya"), limit=2))
    assert [len(p) for p in pages] == [2, 1]
    assert [e for e in fake.log if e[0] == "token"] == [
        ("token", "password"),
        ("token", "refresh_token"),
        ("token", "password"),
    ]
    assert PASSWORD not in repr(client)


def test_a_wrong_password_is_one_line_without_it(fake, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("REGIONMAP_ACLED_PASSWORD", "Wrong-" + PASSWORD)
    assert main(["store", "refresh-acled", "--out", str(tmp_path / "a.csv")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "login refused (401): Invalid credentials" in err
    assert not (tmp_path / "a.csv").exists()
    _secrets_absent(err)
    monkeypatch.delenv("REGIONMAP_ACLED_PASSWORD")
    with pytest.raises(AcledError, match="REGIONMAP_ACLED_PASSWORD"):
        AcledClient(USER, "")


def test_an_unreachable_api_and_a_file_that_is_not_acled_say_so(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("REGIONMAP_ACLED_URL", "http://127.0.0.1:1")
    monkeypatch.setenv("REGIONMAP_ACLED_USER", USER)
    monkeypatch.setenv("REGIONMAP_ACLED_PASSWORD", PASSWORD)
    assert main(["store", "refresh-acled", "--out", str(tmp_path / "a.csv")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("regionmap: cannot reach http://127.0.0.1:1/oauth/token")
    _secrets_absent(err)
    fake = FakeAcled()
    ours = tmp_path / "ours.csv"
    ours.write_text((ROOT / "geodata" / "events.csv").read_text(encoding="utf-8"))
    with acled_server(fake) as url:
        monkeypatch.setenv("REGIONMAP_ACLED_URL", url)
        assert main(["store", "refresh-acled", "--out", str(ours)]) == 1
    assert "no event_id_cnty column; not an ACLED CSV" in capsys.readouterr().err


def test_refresh_into_a_store_upserts_and_deletes(fake, capsys):
    with scratch_database() as url:
        PostgisStore(url).init()
        args = ["store", "refresh-acled", "--into", url, "--page-rows", "2", "--quiet"]
        assert main(args) == 0
        assert main(args) == 0  # idempotent: same rows, the deletion already applied
        store = PostgisStore(url)
        ids = sorted(store.query(columns=["event_id"])["event_id"])
        assert ids == ["ARM90004", "LBY90003", "SYR90001", "TUR90005"]
        assert store.stats()["origins"][0]["origin"] == "acled"
        store.close()
        err = capsys.readouterr().err
        assert "4 ACLED events upserted" not in err  # 5 fetched and upserted, 1 deleted
        assert "5 ACLED events upserted into postgresql://" in err and "1 deleted" in err
        _secrets_absent(err)
