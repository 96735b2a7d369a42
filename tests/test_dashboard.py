"""Dashboard logic through Streamlit's AppTest: what the map component receives."""

import datetime as dt
import json
import re
import shutil

import pytest
from streamlit.testing.v1 import AppTest

import regionmap

from .conftest import ROOT

APP = str(ROOT / "dashboard" / "app.py")


def start(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def map_args(at: AppTest) -> dict:
    (component,) = [c for c in at.get("component_instance") if "folium" in c.proto.component_name]
    return json.loads(component.proto.json_args)


def event_popups(script: str) -> list[dict]:
    """Each marker's tooltip and popup, assembled from the map's JSON as its JavaScript does."""
    text = json.loads(re.search(r"text = (\[.*?\]);\n", script).group(1))
    events = json.loads(re.search(r"var events = (\[.*?\]), labels", script).group(1))
    out = []
    for event in events:
        fields = [text[i] for i in event["f"]]
        out.append(
            {
                "tip": regionmap.web.tip_html(fields),
                "popup": regionmap.web.popup_html(fields, event["eid"]),
            }
        )
    return out


def markers(at: AppTest) -> int:
    return map_args(at)["script"].count('"eid": ')


def feature_ids(at: AppTest) -> set[str]:
    return set(re.findall(r'"rm_id": "([^"]+)"', map_args(at)["script"]))  # noqa: Q000


def shown_text(at: AppTest) -> str:
    return next(m.value for m in at.sidebar.markdown if "events shown" in m.value)


@pytest.fixture(scope="module")
def app():
    return start()


def test_first_view_shows_all_theatres_and_every_event_up_to_today(app, catalog, events):
    """The map is true on the day it is opened: the article's date is a preset, not the
    default (it showed the 2021 corridor and patrols as if they still held)."""
    ids = feature_ids(app)
    basemaps = {s.id for s in catalog.layers if s.role == "basemap"}  # countries, lakes
    for layer_id, result in regionmap.load_layers(catalog).items():
        if layer_id in basemaps:
            continue
        assert set(result.frame["id"]) <= ids, layer_id
    today = dt.datetime.now(dt.UTC).date()
    upto = events.frame[events.frame["start"].dt.date <= today]
    assert markers(app) == len(upto)
    assert shown_text(app) == f"**{len(upto)} of {len(events.frame)} events shown**"
    assert f"up to {today.day} {today:%B} {today.year}" in app.subheader[0].value


def test_the_article_preset_still_sets_the_article_window(app, events):
    app.button(key="preset:article").click().run()
    upto = events.frame[events.frame["start"] <= "2021-03-23"]
    assert markers(app) == len(upto)
    assert "up to 23 March 2021" in app.subheader[0].value
    app.button(key="preset:all").click().run()


def test_assets_are_local(app):
    args = map_args(app)
    assert args["js_links"] == [
        "/app/static/leaflet.js",
        "/app/static/jquery.min.js",
        "/app/static/leaflet.markercluster.js",
        "/app/static/leaflet.draw.js",  # the annotations' toolbar, served here, not a CDN's
    ]
    assert all(link.startswith("/app/static/") for link in args["css_links"])
    assert "/app/static/leaflet.draw.css" in args["css_links"]
    assert "https://" not in args["header"]
    # the clicked feature and what was drawn, no HTML
    assert args["returned_objects"] == ["last_active_drawing", "all_drawings"]


@pytest.mark.parametrize(
    "layer_id",
    [s.id for s in regionmap.load_catalog(ROOT / "geodata").layers if s.role != "basemap"],
)
def test_toggling_each_layer_adds_and_removes_it(catalog, layer_id):
    at = start()
    some_id = regionmap.load_layers(catalog)[layer_id].frame["id"].iloc[0]
    assert some_id in feature_ids(at)
    at.checkbox(key=f"layer:{layer_id}").uncheck().run()
    assert some_id not in feature_ids(at)
    assert at.query_params["layers"]  # the URL follows
    at.checkbox(key=f"layer:{layer_id}").check().run()
    assert some_id in feature_ids(at)


def test_date_range_changes_the_number_of_markers(events):
    at = start()
    before = markers(at)
    at.slider(key="window").set_value((dt.date(2020, 1, 1), dt.date(2020, 12, 31))).run()
    frame = events.frame
    in_2020 = frame[(frame["end"] >= "2020-01-01") & (frame["start"] <= "2020-12-31")]
    assert markers(at) == len(in_2020) != before
    assert at.query_params["from"] == "2020-01-01" and at.query_params["to"] == "2020-12-31"


@pytest.mark.parametrize("preset", regionmap.PRESETS, ids=lambda p: p.id)
def test_presets_run_without_exception(preset, events):
    at = start()
    at.button(key=f"preset:{preset.id}").click().run()
    assert not at.exception
    expected = regionmap.apply_filter(
        events.frame, regionmap.EventFilter(start=preset.start, end=preset.end)
    )
    assert markers(at) == len(expected)


def test_time_aware_layers_grey_out_outside_their_validity():
    at = start()
    at.slider(key="window").set_value((dt.date(2015, 1, 1), dt.date(2016, 12, 31))).run()
    script = map_args(at)["script"]
    # the Lachin corridor (2020-2022) is drawn, but inactive in 2015-2016
    assert "not in force in this window: 2020-11-10" in script


def test_filters_compose(events):
    at = start()
    at.button(key="preset:all").click().run()
    at.multiselect(key="types").set_value(["Strategic developments"]).run()
    at.multiselect(key="theatres").set_value(["syria"]).run()
    frame = events.frame
    expected = frame[
        (frame["event_type"] == "Strategic developments") & (frame["theatre"] == "syria")
    ]
    assert markers(at) == len(expected) > 0
    assert shown_text(at).startswith(f"**{len(expected)} of")
    assert at.query_params["theatres"] == "syria"


def test_url_parameters_round_trip(catalog):
    query = {
        "layers": "kars-borders,akkuyu-plant",
        "from": "2019-01-01",
        "to": "2020-12-31",
        "theatres": "syria,libya",
        "c": "39.5000,44.0000",
        "z": "7",
        "basemap": "vector",
    }
    at = start(query)
    ids = feature_ids(at)
    assert "border-tur-arm" in ids and "akkuyu-site-npp" in ids
    assert "lachin-town-lachin" not in ids
    assert at.slider(key="window").value == (dt.date(2019, 1, 1), dt.date(2020, 12, 31))
    assert at.multiselect(key="theatres").value == ["syria", "libya"]
    got = {k: at.query_params[k] for k in at.query_params}
    assert got == {k: v for k, v in query.items() if k != "basemap"}
    assert "[39.5, 44.0]" in map_args(at)["script"]


def test_bad_url_parameters_warn_and_still_draw():
    at = start({"layers": "kars-borders,nope", "from": "2020-13-45"})
    warnings = " ".join(w.value for w in at.sidebar.warning)
    assert "unknown layers ignored: nope" in warnings
    assert "'from' is not a date" in warnings
    assert "border-tur-arm" in feature_ids(at)


def test_zoom_to_theatre_frames_it(catalog):
    at = start()
    at.button(key="zoom:akkuyu").click().run()
    (lat, lon), zoom = regionmap.fit_view(catalog.theatre("akkuyu").bbox)
    assert at.query_params["c"] == f"{lat:.4f},{lon:.4f}" and at.query_params["z"] == str(zoom)


def test_hostile_event_text_is_escaped(tmp_path, monkeypatch):
    geodata = tmp_path / "geodata"
    shutil.copytree(ROOT / "geodata", geodata)
    events_csv = geodata / "events.csv"
    text = events_csv.read_text(encoding="utf-8")
    text = text.replace(
        "Treaty of Moscow (Treaty of Friendship and Brotherhood) signed",
        "<img src=x onerror=alert(1)> ${alert(2)} `x`",
        1,
    )
    events_csv.write_text(text, encoding="utf-8")
    monkeypatch.setenv("REGIONMAP_GEODATA", str(geodata))
    at = start()
    script = map_args(at)["script"]
    assert "<img src=x" not in script and "${alert(2)}" not in script and "`x`" not in script
    events = event_popups(script)
    (hostile,) = [e for e in events if "alert(1)" in e["tip"]]
    escaped = "&lt;img src=x onerror=alert(1)&gt; &#36;{alert(2)} &#96;x&#96;"
    assert escaped in hostile["tip"] and escaped in hostile["popup"]


def test_broken_layer_file_is_reported_and_the_rest_draws(tmp_path, monkeypatch):
    geodata = tmp_path / "geodata"
    shutil.copytree(ROOT / "geodata", geodata)
    (geodata / "layers" / "libya-front.geojson").write_text("{ not json")
    monkeypatch.setenv("REGIONMAP_GEODATA", str(geodata))
    at = start()
    assert at.checkbox(key="layer:libya-front").disabled
    assert any("unavailable: not JSON" in c.value for c in at.sidebar.caption)
    assert "border-tur-arm" in feature_ids(at)
    assert "libya-sirte-jufra-line" not in feature_ids(at)


def test_export_panel_prepares_a_download():
    at = start()
    at.selectbox(key="export_format").set_value("html").run()
    at.text_input(key="export_title").input("Kars <b>report</b>").run()
    at.button(key="export_go").click().run()
    assert not at.exception and not at.error
    buttons = at.get("download_button")
    assert len(buttons) == 1
    assert "regionmap-" in buttons[0].proto.label and ".html" in buttons[0].proto.label


def test_export_panel_prepares_the_theatre_atlas_for_the_window():
    at = start()
    at.button(key="preset:war2020").click().run()
    at.button(key="atlas_go").click().run()
    assert not at.exception and not at.error
    (button,) = [b for b in at.get("download_button") if "atlas" in b.proto.label]
    assert "regionmap-atlas-" in button.proto.label and ".pdf" in button.proto.label
    payload = at.session_state["atlas_file"][1]
    views = regionmap.read_atlas_views(payload)
    assert views[0][1].start == dt.date(2020, 9, 27)  # the window the map shows
    assert [t for t, _ in views if t][-1] == "Sources"


def test_export_errors_are_shown_plainly(monkeypatch):
    monkeypatch.setenv("REGIONMAP_CHROMIUM", "/nonexistent")
    import regionmap._export

    monkeypatch.setattr(regionmap._export, "chromium_path", lambda: None)
    at = start()
    at.selectbox(key="export_format").set_value("png").run()
    at.button(key="export_go").click().run()
    assert not at.exception
    assert any("Export failed" in e.value and "--renderer static" in e.value for e in at.error)


def test_the_feature_panel_shows_what_the_map_returned_for_a_click(monkeypatch):
    """The map returns the clicked layer as GeoJSON (``last_active_drawing``): its ``rm_id``
    names the feature, and the panel lists the library's provenance rows."""
    monkeypatch.syspath_prepend(str(ROOT / "dashboard"))

    def script():
        from panels import feature

        import regionmap

        data = regionmap.load_dataset()
        feature.draw(data, None, None)  # nothing clicked yet
        clicked = {"type": "Feature", "geometry": None, "properties": {"rm_id": "border-tur-arm"}}
        feature.draw(data, clicked, None)

    at = AppTest.from_function(script, default_timeout=60).run()
    assert not at.exception, at.exception
    assert "Click a border, zone or place" in at.caption[0].value
    data = regionmap.load_dataset()
    layer_id, props = data.feature("border-tur-arm")
    rows = regionmap.provenance_rows(props, data.catalog.layer(layer_id))
    (table,) = at.table
    assert list(table.value.index) == [label for label, _ in rows]
    assert list(table.value[""]) == [text for _, text in rows]
    assert len(at.get("link_button")) == 1  # "Open source"


def test_timeline_and_layers_panels_render():
    at = start()
    assert len(at.dataframe) == 1  # the events table by default
    at.segmented_control(key="below").set_value("Timeline").run()
    assert not at.exception and len(at.get("vega_lite_chart")) == 1
    at.segmented_control(key="below").set_value("Layers and sources").run()
    assert not at.exception and len(at.dataframe) == 1


def test_xss_payloads_reach_the_map_escaped(tmp_path, monkeypatch):
    from .hostile import PAYLOADS, hostile_geodata

    monkeypatch.setenv("REGIONMAP_GEODATA", str(hostile_geodata(tmp_path)))
    at = start()
    at.button(key="preset:all").click().run()
    script = map_args(at)["script"]
    for payload in PAYLOADS:
        if "<" in payload or "`" in payload or "${" in payload:
            assert payload not in script, payload
    assert 'href="javascript:' not in script
    events = event_popups(script)
    for event in events:
        for tag in ("<script", "<img", "<svg", "<iframe", "<details", '<a href="javascript'):
            assert tag not in event["tip"] and tag not in event["popup"], tag
    # branca re-reads rendered scripts as Jinja templates: data must not run as one
    assert "1337 jinja-ran" not in script  # what the payload would become if Jinja ran it
    assert any("{{ 7*191 }} {% if true %}jinja-ran{% endif %}" in e["popup"] for e in events)
    table = at.dataframe[0].value
    assert not table["link"].fillna("").str.startswith("javascript:").any()


def test_a_layer_file_broken_while_running_shows_unavailable(tmp_path, monkeypatch):
    geodata = tmp_path / "geodata"
    shutil.copytree(ROOT / "geodata", geodata)
    monkeypatch.setenv("REGIONMAP_GEODATA", str(geodata))
    at = start()
    assert "akkuyu-site-npp" in feature_ids(at)
    (geodata / "layers" / "akkuyu-plant.geojson").unlink()
    (geodata / "layers" / "libya-front.geojson").write_text('{"type": "FeatureCollection", "fea')
    at.run()
    assert not at.exception
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert "unavailable: file not found" in captions and "unavailable: not JSON" in captions
    assert "akkuyu-site-npp" not in feature_ids(at) and "border-tur-arm" in feature_ids(at)


def test_warm_start_fills_the_caches_the_app_reads(tmp_path, monkeypatch):
    """dashboard/serve.py loads the data through the app's own cache before the first visit,
    so that visit finds it loaded instead of loading it again."""
    import sys

    geodata = tmp_path / "geodata"
    shutil.copytree(ROOT / "geodata", geodata)  # a fresh cache key
    monkeypatch.setenv("REGIONMAP_GEODATA", str(geodata))
    monkeypatch.syspath_prepend(str(ROOT / "dashboard"))
    import cache
    import serve

    loads = []
    real = regionmap.load_dataset
    monkeypatch.setattr(regionmap, "load_dataset", lambda *a, **k: loads.append(a) or real(*a, **k))
    serve.warm()
    assert len(loads) == 1
    data = cache.dataset()
    assert len(loads) == 1 and len(data.events.frame) > 0
    at = start()
    assert len(loads) == 1 and not at.exception
    sys.modules.pop("serve", None)


def test_warm_start_with_a_store_never_asks_for_the_whole_selection(tmp_path, monkeypatch, capsys):
    """With a store the app gets counts, cells and a page of rows from SQL; the warm start
    once drew the first view through the plan, which fetched every light row (a 1.1 GB
    peak at 1M events). It now compiles the templates on the map without events."""
    import sys

    from regionmap._synthetic import write_synthetic_csv

    geodata = tmp_path / "geodata"
    shutil.copytree(ROOT / "geodata", geodata)
    events = write_synthetic_csv(tmp_path / "acled.csv", 300, regionmap.load_catalog(geodata))
    monkeypatch.setenv("REGIONMAP_GEODATA", str(geodata))
    monkeypatch.setenv("REGIONMAP_USER_DATA", str(tmp_path / "user"))
    monkeypatch.setenv("REGIONMAP_EVENTS", str(events))
    monkeypatch.setenv("REGIONMAP_STORE", "duckdb")
    monkeypatch.syspath_prepend(str(ROOT / "dashboard"))
    import serve

    def whole(*args, **kwargs):
        raise AssertionError("the whole selection was asked for")

    monkeypatch.setattr(regionmap.Dataset, "visible_events", whole)
    serve.warm()
    assert "warm start skipped" not in capsys.readouterr().err
    sys.modules.pop("serve", None)


def test_kept_files_in_any_script_and_every_kml_folder_are_layers(tmp_path, monkeypatch):
    """Files kept from an earlier session: two named in Cyrillic, a KML of three folders."""
    kept = tmp_path / "kept"
    kept.mkdir()
    userfiles = ROOT / "tests" / "data" / "userfiles"
    shape = (userfiles / "country_top_level_id.geojson").read_bytes()
    (kept / "Карабах.geojson").write_bytes(shape)
    (kept / "Лачинский коридор.geojson").write_bytes(shape.replace(b'"ARM"', b'"LAC"'))
    (kept / "kars_folders.kml").write_bytes((userfiles / "kars_folders.kml").read_bytes())
    monkeypatch.setenv("REGIONMAP_USER_DATA", str(kept))
    at = start()
    for layer_id in (
        "user-karabakh",
        "user-lachinskii-koridor",
        "user-kars-folders-sinir-kapilari",
        "user-kars-folders-demiryolu",
        "user-kars-folders-alan",
    ):
        assert at.checkbox(key=f"layer:{layer_id}").value, layer_id
    labels = [c.label for c in at.sidebar.checkbox if c.key and c.key.startswith("layer:user-")]
    assert any("Карабах" in label for label in labels)
    ids = feature_ids(at)
    assert {"ARM", "LAC"} <= ids  # both files drawn, neither replaced the other
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert "3 layers" in captions and "split into 2 features" in captions
    at.checkbox(key="layer:user-karabakh").uncheck().run()
    assert "ARM" not in feature_ids(at) and "LAC" in feature_ids(at)


def test_keep_my_files_ticked_after_adding_them_keeps_them(tmp_path, monkeypatch):
    kept = tmp_path / "kept"
    kept.mkdir()
    shape = (ROOT / "tests" / "data" / "userfiles" / "country_top_level_id.geojson").read_bytes()
    (kept / "Карабах.geojson").write_bytes(shape)
    monkeypatch.setenv("REGIONMAP_USER_DATA", str(kept))
    at = start()
    (kept / "Карабах.geojson").unlink()  # as if it had only been uploaded in this session
    at.session_state["user_files"] = {"Карабах.geojson": shape, "second.geojson": shape}
    at.checkbox(key="keep_uploads").check().run()
    assert not at.exception
    assert sorted(p.name for p in kept.iterdir()) == ["second.geojson", "Карабах.geojson"]


def test_label_language_is_chosen_in_the_sidebar_and_kept_in_the_url():
    at = start({"lang": "ru", "c": "39.6500,46.5500", "z": "10"})
    assert at.selectbox(key="lang").value == "ru"
    script = map_args(at)["script"]
    assert '"text": "Шуша"' in script and '"text": "Армения"' in script
    at.selectbox(key="lang").set_value("tr").run()
    assert at.query_params["lang"] == "tr"
    assert '"text": "Şuşa"' in map_args(at)["script"]


def test_export_panel_animates_the_window_and_restores_the_view_from_the_gif(monkeypatch):
    """A GIF month by month through the shown window (progress bar on the way); dropped back
    on "Restore a view", it brings that window back."""
    query = {"layers": "none", "from": "2019-07-01", "to": "2019-10-31", "theatres": "syria"}
    at = start(query)
    at.selectbox(key="export_format").set_value("gif").run()
    at.selectbox(key="export_step").set_value("month").run()
    at.slider(key="export_fps").set_value(4.0).run()
    at.text_input(key="export_title").input("Peace Spring").run()
    at.button(key="export_go").click().run()
    assert not at.exception and not at.error
    assert "Frame 4 of 4" in at.get("progress")[0].proto.text
    (button,) = at.get("download_button")
    assert ".gif" in button.proto.label
    payload = at.session_state["export_file"][1]
    shown, step, dates = regionmap.read_animation(payload)
    assert step == "month" and [d.isoformat() for d in dates] == [
        "2019-07-31", "2019-08-31", "2019-09-30", "2019-10-31"
    ]  # fmt: skip
    assert (shown.layers, shown.theatres, shown.title) == ((), ("syria",), "Peace Spring")

    monkeypatch.syspath_prepend(str(ROOT / "dashboard"))

    def restore(payload: bytes) -> None:
        import io

        import streamlit as st
        from panels import export, view

        import regionmap

        data = regionmap.load_dataset()
        days = view.Days.of(data)
        upload = io.BytesIO(payload)  # what st.file_uploader hands the callback: getvalue, name
        upload.name = "syria.gif"
        st.session_state["restore"] = upload
        export._restore(data.catalog, days)
        st.write(view.spec_from_state(data.catalog, days).to_json())

    at = AppTest.from_function(restore, args=(payload,), default_timeout=60).run()
    assert not at.exception, at.exception
    assert "restore_error" not in at.session_state
    restored = regionmap.ViewSpec.from_json(at.markdown[0].value)
    assert (restored.start, restored.end) == (dt.date(2019, 7, 1), dt.date(2019, 10, 31))
    assert (restored.layers, restored.theatres) == ((), ("syria",))


def test_a_prepared_file_is_offered_only_under_its_own_format_and_named_apart():
    """The print PNG downloads as regionmap-DATE-static.png (the PNG as seen is
    regionmap-DATE.png), and switching the format hides the file prepared for another."""
    at = start({"layers": "none", "theatres": "akkuyu"})
    at.selectbox(key="export_format").set_value("png-static").run()
    at.button(key="export_go").click().run()
    assert not at.exception and not at.error
    (button,) = at.get("download_button")
    assert f"regionmap-{dt.date.today()}-static.png" in button.proto.label
    at.selectbox(key="export_format").set_value("csv").run()
    assert not [b for b in at.get("download_button") if ".png" in b.proto.label]


def test_the_time_window_says_how_layers_are_judged():
    """An open start judges layers on the last day; a window with a start, on all of it."""
    at = start()
    captions = [c.value for c in at.sidebar.caption]
    assert any(c.startswith("From the first record: layers as they stood on") for c in captions)
    at = start({"from": "2019-01-01", "to": "2021-03-23"})
    captions = [c.value for c in at.sidebar.caption]
    assert "Layers in force at any time in the window are drawn in colour." in captions
