"""Annotations (#16 §8): the model, its JSON and URL forms, and every export drawing them."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest

import regionmap
from regionmap import Annotation, ViewError, ViewSpec
from regionmap import _export as export
from regionmap._annotations import annotations_query, plan_annotations
from regionmap._export import SnapshotOptions

from .conftest import ROOT

HOSTILE = "<script>alert(1)</script> $x$ {{ 7*7 }}"
NOTES = (
    Annotation("note", 43.0956, 40.6013, "Russian checkpoint moved here, 2022-08-30"),
    Annotation("arrow", 45.0, 38.9, "Лачинский коридор", 46.55, 39.6),
    Annotation("point", 33.5437, 36.1444),
    Annotation("note", 16.59, 31.2, "سرت"),
    Annotation("note", 36.5, 36.8, HOSTILE),
)


@pytest.fixture(scope="module")
def dataset():
    return regionmap.load_dataset(ROOT / "geodata")


@pytest.fixture(scope="module")
def spec(dataset):
    return ViewSpec.default(dataset.catalog).replace(annotations=NOTES)


# ------------------------------------------------------------------ the model


def test_the_view_json_round_trips_annotations(spec):
    again = ViewSpec.from_json(spec.to_json())
    assert again == spec and again.annotations == NOTES
    assert spec.to_dict()["annotations"][1] == {
        "kind": "arrow", "at": [45.0, 38.9], "to": [46.55, 39.6], "text": "Лачинский коридор",
    }  # fmt: skip
    old = json.loads(spec.to_json())
    del old["annotations"]  # a view saved before annotations existed
    assert ViewSpec.from_dict(old).annotations == ()


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        ({"kind": "note", "at": [200, 40], "text": "x"}, "longitude must be between -180 and 180"),
        ({"kind": "note", "at": [40, -91], "text": "x"}, "latitude must be between -90 and 90"),
        ({"kind": "note", "at": [40, "north"], "text": "x"}, "latitude must be a number"),
        ({"kind": "note", "at": [40], "text": "x"}, r"'at' must be \[lon, lat\]"),
        ({"kind": "circle", "at": [40, 40]}, "unknown kind 'circle'"),
        ({"kind": "note", "at": [40, 40], "text": "x" * 201}, "201 characters long; at most 200"),
        ({"kind": "note", "at": [40, 40]}, "a note needs text"),
        ({"kind": "arrow", "at": [40, 40]}, "an arrow needs its end"),
        ({"kind": "arrow", "at": [40, 40], "to": [40, 40]}, "starts and ends at the same"),
        ({"kind": "point", "at": [40, 40], "to": [41, 40]}, "only an arrow has an end"),
        ({"kind": "note", "at": [40, 40], "text": "a\x00b"}, "control characters"),
        ({"kind": "note", "at": [40, 40], "colour": "red"}, r"unknown keys \['colour'\]"),
    ],
)
def test_a_bad_annotation_is_refused_naming_its_index_and_problem(spec, item, problem):
    data = spec.to_dict()
    data["annotations"] = [data["annotations"][0], item]
    with pytest.raises(ViewError, match=rf"^annotation 1: .*{problem}"):
        ViewSpec.from_dict(data)


def test_a_view_file_with_bad_annotations_is_one_clear_error(tmp_path, spec):
    data = spec.to_dict()
    data["annotations"] = {"kind": "note"}
    with pytest.raises(ViewError, match="annotations must be a list"):
        ViewSpec.from_dict(data)
    data["annotations"] = [NOTES[0].to_dict()] * 101
    with pytest.raises(ViewError, match="at most 100"):
        ViewSpec.from_dict(data)


def test_drawings_become_notes_points_and_arrows():
    point = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [43.1, 40.6]}}
    line = {"geometry": {"type": "LineString", "coordinates": [[44, 38], [45, 39], [46, 39.5]]}}
    assert Annotation.from_drawing(point, " Kars ") == Annotation("note", 43.1, 40.6, "Kars")
    assert Annotation.from_drawing(point).kind == "point"
    arrow = Annotation.from_drawing(line, "to Lachin")
    assert (arrow.kind, arrow.lon, arrow.lat, arrow.to_lon, arrow.to_lat) == (
        "arrow",
        44,
        38,
        46,
        39.5,
    )  # fmt: skip: the head is at the last vertex
    square = {"geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 1], [0, 0]]]}}
    with pytest.raises(ViewError, match="only points and lines"):
        Annotation.from_drawing(square)
    assert Annotation("note", 43.123456789, 40.0, "x").lon == 43.12346  # about a metre
    assert NOTES[0].replace_text("").kind == "point"
    assert NOTES[2].replace_text("Akkuyu").kind == "note"
    assert NOTES[1].replace_text("").kind == "arrow"


def test_the_plan_puts_text_beside_points_and_behind_arrows(spec, dataset):
    plan = regionmap.MapPlan.from_view(spec, dataset)
    assert [p.annotation for p in plan.annotations] == list(NOTES)
    east, west = plan_annotations([NOTES[1], Annotation("arrow", 46, 39, "", 45, 38)])
    assert east.anchor == "left" and east.label_at == (45.0, 38.9)  # text at the tail
    assert west.anchor == "right"
    (long_note,) = plan_annotations([Annotation("note", 1, 1, "word " * 30)])
    assert len(long_note.lines) > 1 and all(len(line) <= 32 for line in long_note.lines)


# ------------------------------------------------------------------ the URL


def test_the_url_carries_annotations_while_short(spec, catalog):
    query = spec.to_query(catalog)
    assert json.loads(query["ann"])[1] == ["a", 45.0, 38.9, 46.55, 39.6, "Лачинский коридор"]
    back, warnings = ViewSpec.from_query(query, catalog)
    assert warnings == [] and back.annotations == NOTES and spec.annotations_in_url()


def test_a_long_list_is_left_out_of_the_url_and_the_view_keeps_it(catalog):
    many = tuple(Annotation("note", 40 + i / 10, 40, "Ж" * 60) for i in range(8))
    spec = ViewSpec.default(catalog).replace(annotations=many)
    assert len(quote(json.dumps([["n", 40, 40, "Ж" * 60]] * 8), safe="")) > 1500
    assert "ann" not in spec.to_query(catalog) and not spec.annotations_in_url()
    assert annotations_query(many) is None
    assert ViewSpec.from_json(spec.to_json()).annotations == many  # the view file keeps them
    assert ViewSpec.default(catalog).annotations_in_url()  # none: nothing is left out


@pytest.mark.parametrize("bad", ["not json", '[["x",1,2]]', '[["n",500,2,"t"]]', '{"a":1}'])
def test_a_bad_ann_parameter_warns_and_the_rest_of_the_link_opens(catalog, bad):
    spec, warnings = ViewSpec.from_query({"ann": bad, "lang": "ru"}, catalog)
    assert spec.annotations == () and spec.lang == "ru"
    assert len(warnings) == 1 and warnings[0].startswith("annotations in the link ignored")


# ------------------------------------------------------------------ the exports


def _svg_texts(svg: str) -> list[str]:
    """Every line of text in a print SVG (matplotlib writes each as a comment before its
    glyphs, escaped for XML)."""
    return re.findall(r"<!-- (.*?) -->", svg)


@pytest.fixture(scope="module")
def svg(spec, dataset):
    return export.snapshot_bytes(spec, dataset, "svg", SnapshotOptions(size=(900, 600))).decode()


def test_the_print_map_draws_notes_and_arrows_with_their_text_escaped(svg, spec):
    ET.fromstring(svg)  # still well-formed with hostile text
    texts = " ".join(_svg_texts(svg))
    assert "Russian checkpoint moved here," in texts and "2022-08-30" in texts
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in texts and "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt; $x$ {{" in _svg_texts(svg)  # wrapped
    assert "Лачинский коридор" in texts
    assert "\ufe95\ufeae\ufeb3" in texts  # "سرت" shaped and in display order (test_plot)
    assert svg.count('id="rm-annotation-arrow"') == 1  # the line with its head
    assert svg.count('id="rm-annotation-note"') == 3 and svg.count('id="rm-annotation-point"') == 1
    assert regionmap.read_view(svg.encode()) == spec


@pytest.mark.parametrize("fmt", ["pdf", "png"])
def test_print_pdf_and_png_carry_the_annotations_in_their_view(spec, dataset, fmt):
    options = SnapshotOptions(size=(900, 600), renderer="static")
    data = export.snapshot_bytes(spec, dataset, fmt, options)
    assert regionmap.read_view(data).annotations == NOTES


def test_print_text_is_never_mathtext(spec, dataset):
    from matplotlib import cbook
    from matplotlib.figure import Figure

    from regionmap.plot._annotations import draw_annotations

    ax = Figure().add_subplot()
    draw_annotations(ax, plan_annotations(spec.annotations), 1.0)
    texts = [t.get_text() for t in ax.texts if t.get_gid() == "rm-annotation-text"]
    assert len(texts) == 4 and r"\$x\$" in texts[-1]
    assert not any(cbook.is_math_text(t) for t in texts)


def test_an_annotated_print_map_differs_from_the_plain_one_where_the_note_is(spec, dataset):
    """Red pixels appear in the note's box: the arrow and dots are really drawn."""
    import numpy as np
    from PIL import Image

    options = SnapshotOptions(size=(900, 600), renderer="static")
    plain = export.snapshot_bytes(spec.replace(annotations=()), dataset, "png", options)
    marked = export.snapshot_bytes(spec, dataset, "png", options)
    a, b = (
        np.asarray(Image.open(io.BytesIO(d)).convert("RGB")).astype(int) for d in (plain, marked)
    )
    red = (np.abs(b - [0xC0, 0x39, 0x2B]).max(axis=2) < 20) & (np.abs(a - b).max(axis=2) > 40)
    assert red.sum() > 50


def test_the_html_export_draws_them_escaped(spec, dataset):
    page = export.snapshot_bytes(spec, dataset, "html").decode()
    assert "window.regionmapAnnotations" in page
    assert "<script>alert(1)" not in page and "{{ 7*7 }}" not in page
    assert "\\u0026lt;script\\u0026gt;alert(1)" in page  # escaped, inside JSON
    assert "\\u0026#36;x\\u0026#36;" in page  # "$": no template-string or mathtext surprise
    assert "Лачинский коридор" in page and "leaflet.draw" not in page  # no toolbar in exports
    assert regionmap.read_view(page.encode()) == spec


def test_cli_snapshot_draws_the_view_s_annotations_and_adds_notes(tmp_path, spec):
    view = tmp_path / "view.json"
    view.write_text(spec.to_json(), encoding="utf-8")
    out = tmp_path / "map.svg"
    cmd = [sys.executable, "-m", "regionmap", "snapshot", "--view", str(view), "--out", str(out)]
    cmd += ["--size", "800x500", "--note", "41.0,28.98:Istanbul talks"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    assert "Istanbul talks" in " ".join(_svg_texts(text))
    assert regionmap.read_view(out.read_bytes()).annotations == (
        *NOTES, Annotation("note", 28.98, 41.0, "Istanbul talks"),
    )  # fmt: skip
    bad = subprocess.run([*cmd[:-2], "--note", "91,20:x"], capture_output=True, text=True,
                         timeout=120, check=False)  # fmt: skip
    assert bad.returncode == 2 and "latitude must be between -90 and 90" in bad.stderr


# ------------------------------------------------------------------ the dashboard


def _panel_script():
    """The annotations panel between the view's state and the URL, as app.py runs it; the
    map's ``all_drawings`` come from session state (AppTest runs no browser)."""
    import streamlit as st
    from panels import annotations, view

    import regionmap

    data = regionmap.load_dataset()
    days = view.Days.of(data)
    view.initialise(data.catalog, days)
    if annotations.take_drawings(st.session_state.get("drawn", [])):
        st.session_state["reruns"] = st.session_state.get("reruns", 0) + 1
    spec = view.spec_from_state(data.catalog, days)
    annotations.draw(spec)
    view.publish(spec, data.catalog)


def _url_rows(at) -> list:
    value = at.query_params.get("ann") or "[]"
    return json.loads(value if isinstance(value, str) else value[0])


def test_dashboard_panel_adds_edits_and_deletes_annotations_and_the_url_follows(monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.syspath_prepend(str(ROOT / "dashboard"))
    at = AppTest.from_function(_panel_script, default_timeout=60).run()
    assert not at.exception and "ann" not in at.query_params
    point = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [43.0956, 40.6013]}}
    line = {"geometry": {"type": "LineString", "coordinates": [[45, 38.9], [46.55, 39.6]]}}
    at.text_input(key="ann_text").set_value(HOSTILE).run()
    at.session_state["drawn"] = [point]
    at.run().run()  # the map still reports the drawing on the next run: taken once
    assert [a.kind for a in at.session_state["annotations"]] == ["note"]
    assert at.session_state["annotations"][0].text == HOSTILE
    assert _url_rows(at) == [["n", 43.0956, 40.6013, HOSTILE]]
    assert at.text_input(key="ann_text").value == ""  # taken: the next mark needs its own
    at.session_state["drawn"] = [point, line]
    at.run()
    assert [a.kind for a in at.session_state["annotations"]] == ["note", "arrow"]
    assert _url_rows(at)[1] == ["a", 45, 38.9, 46.55, 39.6]
    edit = next(t for t in at.text_input if t.key.startswith("ann_edit:") and t.value == HOSTILE)
    edit.set_value("Russian checkpoint moved here, 2022-08-30").run()
    assert _url_rows(at)[0][3] == "Russian checkpoint moved here, 2022-08-30"
    delete = [b for b in at.button if b.key.startswith("ann_delete:")]
    assert len(delete) == 2
    delete[0].click().run()
    assert [a.kind for a in at.session_state["annotations"]] == ["arrow"]
    assert [row[0] for row in _url_rows(at)] == ["a"] and not at.exception
    assert at.session_state["reruns"] == 2
    square = {"geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 1], [0, 0]]]}}
    at.session_state["drawn"] = [square]
    at.run()
    assert "only points and lines" in at.warning[0].value


def test_dashboard_says_when_the_link_leaves_annotations_out(monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.syspath_prepend(str(ROOT / "dashboard"))
    at = AppTest.from_function(_panel_script, default_timeout=60).run()
    same_place = [Annotation("note", 40, 40, "first"), Annotation("note", 40, 40, "second")]
    at.session_state["annotations"] = [
        *(Annotation("note", 40 + i / 10, 41, "Ж" * 60) for i in range(8)),
        *same_place,
    ]
    at.run()
    assert not at.exception  # two marks at one place have a widget each
    assert len([t for t in at.text_input if t.key.startswith("ann_edit:")]) == 10
    assert "ann" not in at.query_params
    assert "the link leaves them out" in at.info[0].value


def test_dashboard_draws_a_linked_view_s_annotations_with_the_toolbar():
    from .test_dashboard import map_args, start

    at = start({"ann": json.dumps([["n", 43.1, 40.6, HOSTILE], ["a", 45, 38.9, 46.5, 39.6]])})
    script = map_args(at)["script"]
    assert "regionmapAnnotations" in script and "L.Control.Draw" in script
    assert "<script>alert(1)" not in script and "\\u0026lt;script\\u0026gt;" in script
    assert [a.kind for a in at.session_state["annotations"]] == ["note", "arrow"]
    assert any(t.value == HOSTILE for t in at.text_input if t.key.startswith("ann_edit:"))


def test_the_atlas_draws_the_notes_on_each_page_and_keeps_them(tmp_path):
    from pypdf import PdfReader

    from regionmap.cli import main

    out = tmp_path / "kars.pdf"
    note = "40.6013,43.0956:Kars fortress $x$"
    assert main(["atlas", "--out", str(out), "--theatres", "kars", "--quiet", "--note", note]) == 0
    views = [v for _, v in regionmap.read_atlas_views(out.read_bytes()) if v is not None]
    assert len(views) == 2  # the overview and Kars
    assert all(v.annotations == (Annotation("note", 43.0956, 40.6013, "Kars fortress $x$"),)
               for v in views)  # fmt: skip
    words = [page.extract_text() for page in PdfReader(out).pages[:2]]
    assert all("Kars fortress $x$" in text for text in words), words
