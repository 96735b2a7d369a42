"""The command line as users script it: output, exit codes, one-line errors."""

import json
import os
import re
import subprocess
import sys

import pytest

from regionmap.cli import main

from .conftest import DATA, ROOT


def run(*args, env=None):
    """Run the real console entry point in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "regionmap", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_validate_shipped_geodata_exits_0():
    proc = run("validate")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == ""


def test_validate_broken_files_names_each_problem_and_exits_1():
    files = [
        "self_intersecting.geojson",
        "swapped_latlon.geojson",
        "missing_property.geojson",
        "not_json.geojson",
        "good_layer.geojson",
    ]
    proc = run("validate", "--strict", *[str(DATA / f) for f in files])
    assert proc.returncode == 1
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 4
    assert (
        "self_intersecting.geojson: feature #2 (id bowtie): invalid geometry: Self-intersection"
        in lines[0]
    )
    assert "swapped_latlon.geojson: feature #2 (id tripoli-swapped):" in lines[1]
    assert "swapped" in lines[1]
    assert (
        "missing_property.geojson: feature #2 (id no-source): missing property 'source'" in lines[2]
    )
    assert "not_json.geojson: not JSON" in lines[3]
    assert "Traceback" not in proc.stderr


def test_validate_checks_a_users_file_by_the_user_layer_rule():
    """Geometry is all a user's layer needs; missing provenance is not a problem there."""
    proc = run("validate", str(DATA / "missing_property.geojson"))
    assert proc.returncode == 0, proc.stdout
    assert "(layers held to geometry only, the user-layer rule)" in proc.stderr


def test_validate_bad_events_file():
    proc = run("validate", str(DATA / "events_bad_rows.csv"))
    assert proc.returncode == 1
    assert "events_bad_rows.csv: line 3, column event_date:" in proc.stdout


def test_missing_geodata_dir_is_one_line(tmp_path):
    proc = run("layers", "--geodata", str(tmp_path))
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0
    assert "no catalog.toml here" in proc.stderr


def test_geodata_env_var_is_honoured(tmp_path):
    proc = run("layers", env={"REGIONMAP_GEODATA": str(tmp_path)})
    assert proc.returncode == 1 and str(tmp_path) in proc.stderr


def test_layers_lists_every_catalogued_layer(catalog):
    proc = run("layers")
    assert proc.returncode == 0
    for spec in catalog.layers:
        assert spec.id in proc.stdout
    # the columns stay in line past the longest id ("lachin-contact-1994" broke them)
    starts = {re.match(r"\S+\s+", line).end() for line in proc.stdout.splitlines()}
    assert len(starts) == 1, starts


def test_stats_prints_measured_beside_official():
    proc = run("stats")
    assert proc.returncode == 0
    row = next(line for line in proc.stdout.splitlines() if "border-tur-arm" in line)
    assert "311 km" in row and "km" in row


def test_build_geodata_check_passes_on_committed_layers():
    proc = run("build-geodata", "--check")
    assert proc.returncode == 0, proc.stdout
    assert proc.stderr.startswith("ok: ") and "layers match their sources" in proc.stderr


def test_events_2020_geojson(events):
    proc = run("events", "--from", "2020-01-01", "--to", "2020-12-31", "--format", "geojson")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["type"] == "FeatureCollection"
    frame = events.frame
    in_2020 = frame[(frame["end"] >= "2020-01-01") & (frame["start"] <= "2020-12-31")]
    assert sorted(f["properties"]["event_id"] for f in doc["features"]) == sorted(
        in_2020["event_id"]
    )
    for feature in doc["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert (
            lon == feature["properties"]["longitude"] and lat == feature["properties"]["latitude"]
        )


def test_events_acled_input_to_file(tmp_path):
    out = tmp_path / "out.csv"
    proc = run(
        "events",
        "--input",
        str(DATA / "acled_sample.csv"),
        "--theatres",
        "syria",
        "--out",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr
    text = out.read_text()
    assert "SYR90001" in text and "LBY90003" not in text
    assert "2 of 5 events" in proc.stderr


def test_out_has_the_short_form_o(tmp_path):
    """`-o FILE`, as most tools take it, was refused as a missing --out (a trial)."""
    out = tmp_path / "war.csv"
    assert main(["events", "--from", "2020-09-27", "--to", "2020-11-10", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("event_id,")


def test_bad_date_flag_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["events", "--from", "2020-13-45"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    # one line, the mistake and where help is, not the ten lines of usage before it
    assert err == (
        "regionmap events: error: argument --from: '2020-13-45' is not a date YYYY-MM-DD "
        "(see 'regionmap events --help')\n"
    )


def test_snapshot_html_format_from_extension(tmp_path):
    out = tmp_path / "kars.html"
    proc = run("snapshot", "--out", str(out), "--layers", "kars-borders", "--title", "Kars")
    assert proc.returncode == 0, proc.stderr
    page = out.read_text()
    assert "<title>Kars</title>" in page and "border-tur-arm" in page


def test_snapshot_bad_layer_is_one_line(tmp_path):
    proc = run("snapshot", "--out", str(tmp_path / "x.html"), "--layers", "nope")
    assert proc.returncode == 1
    assert proc.stderr.strip() == (
        "regionmap: unknown layers ['nope']; known: "
        + str(sorted(s.id for s in __import__("regionmap").load_catalog(ROOT / "geodata").layers))
    )
    assert not (tmp_path / "x.html").exists()


def test_snapshot_png_without_chromium_says_so(tmp_path, monkeypatch, capsys):
    import regionmap._export

    monkeypatch.setattr(regionmap._export, "chromium_path", lambda: None)
    code = main(["snapshot", "--out", str(tmp_path / "map.png")])
    err = capsys.readouterr().err.strip()
    assert code == 1 and "\n" not in err
    assert "apt-get install chromium" in err and "--renderer static" in err
    assert list(tmp_path.iterdir()) == []


def test_snapshot_view_file_restores_a_view(tmp_path):
    view = tmp_path / "view.json"
    view.write_text(
        json.dumps({"layers": ["akkuyu-plant"], "start": "2018-01-01", "end": "2021-12-31"})
    )
    out = tmp_path / "akkuyu.geojson"
    proc = run("snapshot", "--view", str(view), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(out.read_text())
    layers = {f["properties"].get("layer") for f in doc["features"]}
    assert layers == {"akkuyu-plant", None}  # features of the one layer, and events


class FakeServer:
    """Stands in for the Streamlit process: records its command and environment."""

    calls: list[tuple[list[str], dict]] = []

    def __init__(self, command, env, stdin):
        assert stdin == subprocess.DEVNULL  # the server never reads the terminal
        FakeServer.calls.append((command, env))

    def poll(self):
        return 0

    def terminate(self):
        pass

    def wait(self, timeout=None):
        return 0


@pytest.fixture
def fake_server(monkeypatch):
    from regionmap.cli import _dashboard

    FakeServer.calls = []
    monkeypatch.setattr(_dashboard.subprocess, "Popen", FakeServer)
    return FakeServer.calls


def _free_port() -> str:
    import socket

    with socket.socket() as s:  # the tests must not need 8501 free: a user's dashboard may run
        s.bind(("127.0.0.1", 0))
        return str(s.getsockname()[1])


def test_dashboard_warns_before_listening_beyond_loopback(fake_server, capsys):
    port = _free_port()
    assert main(["dashboard", "--no-browser", "--port", port]) == 0
    command = fake_server[0][0]
    assert command[command.index("--server.address") + 1] == "127.0.0.1"
    assert command[command.index("--server.headless") + 1] == "true"
    assert "--server.enableXsrfProtection" in command
    err = capsys.readouterr().err
    assert f"dashboard at http://127.0.0.1:{port}" in err and "warning" not in err
    assert main(["dashboard", "--headless", "--address", "0.0.0.0", "--port", _free_port()]) == 0
    assert "warning: listening on 0.0.0.0" in capsys.readouterr().err


def test_dashboard_is_headless_even_when_it_opens_a_browser(fake_server):
    """Streamlit's own browser opening brings its first-run e-mail prompt with it."""
    port = _free_port()
    assert main(["dashboard", "--port", port]) == 0
    command = fake_server[0][0]
    assert command[command.index("--server.headless") + 1] == "true"
    assert command[command.index("--server.port") + 1] == port


def test_dashboard_takes_a_large_events_file(fake_server, capsys, tmp_path):
    assert main(["dashboard", "--headless", "--events", str(tmp_path / "missing.csv")]) == 2
    assert "missing.csv: no such events file" in capsys.readouterr().err and fake_server == []
    events = tmp_path / "acled.csv"
    events.write_text("event_id_cnty\n")
    assert main(["dashboard", "--headless", "--events", str(events), "--port", _free_port()]) == 0
    assert fake_server[0][1]["REGIONMAP_EVENTS"] == str(events.resolve())


def test_dashboard_refuses_a_port_in_use(fake_server, capsys):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["dashboard", "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in err and "choose another with --port" in err
    assert fake_server == []  # no server started, and no browser sent to the old one


def test_a_view_with_layers_not_loaded_is_restored_without_them(tmp_path):
    view = tmp_path / "view.json"
    view.write_text(json.dumps({"layers": ["akkuyu-plant", "user-karabakh"], "basemap": "vector"}))
    out = tmp_path / "akkuyu.geojson"
    proc = run("snapshot", "--view", str(view), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "layers not loaded, left out: user-karabakh (your own files" in proc.stderr
    layers = {f["properties"].get("layer") for f in json.loads(out.read_text())["features"]}
    assert "akkuyu-plant" in layers


def test_validate_a_folder_checks_every_file_in_it(tmp_path):
    userfiles = DATA / "userfiles"
    proc = run("validate", str(userfiles))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    files = [p for p in userfiles.iterdir() if p.suffix in (".kml", ".gpkg", ".zip", ".geojson")]
    assert f"ok: {len(files)} files" in proc.stderr
    assert "kars_folders.kml: 3 layers" in proc.stderr


def test_validate_says_what_an_events_file_was_read_as_and_refuses_other_files(tmp_path):
    proc = run("validate", str(DATA / "acled_sample.csv"))
    assert "acled_sample.csv: read as ACLED" in proc.stderr
    notes = tmp_path / "notes.md"
    notes.write_text("# not a map\n")
    proc = run("validate", str(notes))
    assert proc.returncode == 1 and "not a file regionmap reads" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_a_geojson_given_as_events_is_named_for_what_it_is():
    proc = run("events", "--input", str(DATA / "userfiles" / "country_top_level_id.geojson"))
    assert proc.returncode == 1
    assert "this is JSON (a GeoJSON layer?), not an events CSV" in proc.stderr


def test_events_window_backwards_is_a_usage_error(capsys):
    assert main(["events", "--from", "2021-01-01", "--to", "2020-01-01"]) == 2
    err = capsys.readouterr().err
    assert "--from 2021-01-01 is after --to 2020-01-01" in err


def test_a_password_with_an_at_sign_is_never_printed(capsys):
    """libpq read "ss:w0rd@127.0.0.1" as the host and its error printed "ss": a piece of
    the password. Now the URL is refused first, with the fix."""
    url = "postgresql://ana:p@ss:w0rd@127.0.0.1/db"
    assert main(["store", "stats", url]) == 1
    err = capsys.readouterr().err
    assert "%40" in err and "w0rd" not in err and "p@ss" not in err and "host" not in err
