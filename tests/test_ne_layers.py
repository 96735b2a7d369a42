"""Natural Earth's rivers and disputed lines: the clips, the layers and both renderers."""

from __future__ import annotations

import datetime as dt
import shutil

import geopandas as gpd
import pytest
import shapely
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from shapely.geometry import LineString

import regionmap
from regionmap import _nelayers as ne
from regionmap import _netowns
from regionmap._labels import view_zoom
from regionmap._plan import MapPlan
from regionmap.cli import main
from regionmap.plot._geometry import draw_basemap
from regionmap.web import basemap_geojson

from .conftest import ROOT

REGION = (9.0, 25.0, 52.0, 53.0)


@pytest.fixture(scope="module")
def dataset():
    return regionmap.load_dataset(ROOT / "geodata")


def _rivers_shp(tmp_path):
    shp = tmp_path / "ne_10m_rivers_lake_centerlines.shp"
    gpd.GeoDataFrame(
        {
            "name": ["Kiz?lirmak", "Van centre line", "Amur"],
            "scalerank": [7.0, 9.0, 2.0],
            "featurecla": ["River", "Lake Centerline", "River"],
        },
        geometry=[
            LineString([(33.0, 39.0), (36.0, 41.5), (53.0, 41.6)]),  # crosses the east edge
            LineString([(42.8, 38.6), (43.2, 38.7)]),
            LineString([(127.0, 50.0), (135.0, 48.0)]),  # far outside
        ],
        crs="EPSG:4326",
    ).to_file(shp)
    return shp


def test_a_rivers_clip_keeps_rivers_in_the_region_with_their_names_mended(tmp_path):
    shp = _rivers_shp(tmp_path)
    features = ne.clip_natural_earth_file(ne.RIVERS, shp, REGION)
    assert [f["properties"]["name"] for f in features] == ["Kızılırmak"]  # not the lake line
    assert max(x for x, _ in features[0]["geometry"]["coordinates"]) == 52.0  # cut at 52°E
    geodata = tmp_path / "geodata"
    shutil.copytree(ROOT / "geodata", geodata)
    args = ["build-geodata", "--geodata", str(geodata), "--natural-earth-rivers"]
    assert main([*args, str(shp)]) == 0
    built = gpd.read_file(geodata / "layers" / "rivers.geojson")
    assert list(built["name"]) == ["Kızılırmak"] and list(built["min_zoom"]) == [6]
    assert main(["build-geodata", "--geodata", str(geodata), "--check"]) == 0


def test_a_file_of_the_wrong_kind_is_refused_by_name(tmp_path):
    with pytest.raises(regionmap.DataError, match="expected Natural Earth towns"):
        ne.clip_natural_earth_file(ne.TOWNS, _rivers_shp(tmp_path), REGION)
    with pytest.raises(regionmap.DataError, match="cannot read it as Natural Earth disputed"):
        ne.clip_natural_earth_file(ne.DISPUTED, tmp_path / "missing.gpkg", REGION)


def test_shipped_rivers_come_in_by_rank(dataset):
    rivers = dataset.layers["rivers"].frame.set_index("name")
    assert {"Aras", "Kür", "Euphrates", "Firat", "Dicle", "Kızılırmak", "Don"} <= set(rivers.index)
    assert rivers.loc["Euphrates", "min_zoom"] <= 4 < rivers.loc["Aras", "min_zoom"] <= 7
    assert not rivers.index.str.contains("?", regex=False).any()


def test_the_web_basemap_adds_rivers_from_their_zoom(dataset):
    doc = basemap_geojson(dataset)
    rivers = [f for f in doc["features"] if "z" in f["properties"]]
    assert len(rivers) == len(dataset.display["rivers"]) and {
        f["properties"]["s"] for f in rivers
    } == {2}
    page = regionmap.render_map(regionmap.ViewSpec.default(dataset.catalog), dataset)
    assert "map.on('zoomend', show)" in page.get_root().render()


def test_the_print_map_draws_more_rivers_closer_in(dataset):
    counts = []
    for zoom in (None, 4, 9):
        ax = Figure().add_subplot()
        draw_basemap(ax, dataset, 1.0, zoom)
        counts.append(
            sum(len(c.get_segments()) for c in ax.collections if isinstance(c, LineCollection))
        )
    assert counts[0] == 0 < counts[1] < counts[2]


def test_each_disputed_line_is_dated_and_cited(dataset):
    lines = {}
    for layer in ("kars-disputed", "lachin-nkao", "lachin-contact-1994", "syria-disputed",
                  "blacksea-disputed"):  # fmt: skip
        for row in dataset.layers[layer].frame.to_dict("records"):
            lines[row["id"]] = row
    assert len(lines) == 8
    for row in lines.values():
        assert row["valid_from"] and "Natural Earth" in row["source"] and "http" in row["source"]
    assert (lines["line-karabakh-1994"]["valid_from"], lines["line-karabakh-1994"]["valid_to"]) == (
        "1994-05-12",
        "2020-09-27",
    )
    assert lines["line-donbas-2015"]["valid_to"] == "2022-02-23"
    assert lines["line-golan"]["valid_to"] == "" and lines["line-nkao"]["valid_to"] == "2023-09-20"


@pytest.mark.parametrize(
    ("day", "in_force"),
    [(dt.date(2019, 6, 1), {"line-nkao", "line-karabakh-1994"}), (dt.date(2026, 11, 29), set())],
)
def test_the_karabakh_lines_are_in_force_only_in_their_periods(dataset, day, in_force):
    spec = regionmap.ViewSpec.default(dataset.catalog).replace(start=day, end=day)
    plan = MapPlan.from_view(spec, dataset)
    active = {
        f.record["id"]
        for p in plan.layers
        if p.layer.id.startswith("lachin-")
        for f in p.features
        if f.active and str(f.record["id"]).startswith("line-")
    }
    assert active == in_force


def test_a_disputed_line_that_matches_nothing_names_its_entry(tmp_path):
    entry = {"id": "line-nowhere", "layer": "x", "ne_name": "Georgian claim",
             "within": [10.0, 26.0, 11.0, 27.0], "date_sources": ""}  # fmt: skip
    with pytest.raises(regionmap.DataError, match="line-nowhere") as exc:
        ne.disputed_lines(ROOT / "geodata", [entry], tmp_path / "zones.toml")
    assert "no 'Georgian claim' line within" in str(exc.value)


def test_towns_carry_todays_names_and_leave_curated_places_their_own(dataset):
    towns = dataset.layers["towns"].frame.set_index("name")
    assert {"Kyiv", "Dnipro", "Odesa", "Kropyvnytskyi", "Şanlıurfa", "Istanbul"} <= set(towns.index)
    assert not {"Kiev", "Dnipropetrovsk", "Odessa", "Kirovohrad", "Stepanakert"} & set(towns.index)
    assert towns.loc["Dnipro", "label_source"].startswith("Verkhovna Rada")
    # and from the trial: Turkish letters, a 2008 renaming, Natural Earth's wrong entries
    assert towns.loc["Istanbul", "label_tr"] == "İstanbul" and "Şirvan" in towns.index
    assert not {"Agdam", "Hatay", "Antioch", "Al Qamishli", "Adapazari"} & set(towns.index)
    assert towns.loc["Şanlıurfa", "label_tr"] == "Şanlıurfa" and towns.loc["Kyiv", "label_tr"] == ""
    # a geonameid of a neighbouring place is not taken for the town's name
    assert _netowns.current_name("Nazran", "Russia", 1, {"1": {"name": "Magas"}})[0] == "Nazran"


def test_a_view_names_the_towns_its_zoom_suits_in_both_renderers(dataset):
    spec = regionmap.frame_view(regionmap.ViewSpec.default(dataset.catalog), dataset.catalog,
                                theatre="kars")  # fmt: skip
    plan = MapPlan.from_view(spec, dataset)
    towns = {label.text for label in plan.labels if label.kind == "town"}
    assert {"Tbilisi", "Yerevan"} <= towns
    ranks = dataset.display["towns"].set_index("label_en")["min_zoom"]
    zoom = view_zoom(spec.center, spec.zoom, plan.bounds)[4]
    assert all(ranks[t] <= zoom for t in towns)
    html = regionmap.render_map(spec, dataset).get_root().render()
    assert "Yerevan" in html and "rm-town-dot" in html
    svg = regionmap.snapshot_bytes(spec, dataset, "svg").decode()
    assert "Yerevan" in svg and 'id="rm-town-dot' in svg
    turkish = MapPlan.from_view(spec.replace(lang="tr"), dataset)
    fallback = {label.text: label.fallback for label in turkish.labels if label.kind == "town"}
    assert fallback["Yerevan"] is True  # no Turkish name here: English, in italics


def test_a_towns_dot_is_never_placed_under_an_earlier_label():
    from shapely.geometry import Point

    from regionmap._labels import Candidate, place_labels

    view = (40.0, 39.0, 46.0, 42.0, 8)
    first = Candidate("A long curated place name", False, "place", 0, Point(43.0, 40.5), 6.0)
    town = Candidate("Town", False, "town", 1, Point(43.08, 40.5), 2.5)  # under the text
    placed = place_labels([first, town], [], view)
    assert [label.text for label in placed] == ["A long curated place name"]


def test_one_event_is_one_event_not_one_events(dataset):
    from regionmap.plot._text import panel_title, subtitle
    from regionmap.web._legend import legend_html

    spec = regionmap.ViewSpec.default(dataset.catalog).replace(
        start=dt.date(2020, 11, 10), end=dt.date(2020, 11, 10), event_types=("Battles",)
    )
    events = dataset.visible_events(spec)
    assert len(events) == 1
    assert "· 1 event ·" in subtitle(spec, events) and panel_title(spec, events).endswith("1 event")
    assert "<b>1 event</b>" in legend_html(MapPlan.from_view(spec, dataset))
    from regionmap._export import SnapshotOptions, caption_lines

    assert "· 1 event" in caption_lines(spec, dataset, SnapshotOptions())[1]


def test_the_libya_map_names_its_cities_and_bases(dataset):
    """Tripoli, Misrata, Sirte and Benghazi were curated without labels, and Natural
    Earth's towns of the same names stood aside for them: the Libya map named none."""
    spec = regionmap.frame_view(regionmap.ViewSpec.default(dataset.catalog), dataset.catalog,
                                theatre="libya")  # fmt: skip
    names = {label.text for label in MapPlan.from_view(spec, dataset).labels}
    assert {"Tripoli", "Misrata", "Sirte", "Benghazi", "Al-Jufra air base"} <= names


def test_the_golan_heights_are_land_on_the_basemap(dataset):
    """Natural Earth's German edition assigns the Golan to no country: the map drew sea
    there (a new user's trial); the gap its neighbours leave is drawn as land, named."""
    from shapely.geometry import Point

    basemap = dataset.layers["basemap"].frame
    golan = basemap[basemap.contains(Point(35.8, 33.0))]
    assert list(golan["name"]) == ["Golan Heights"] and golan["name_tr"].iloc[0] == "Golan Tepeleri"
    # cut from the outlines as drawn (simplified), not the full ones: no water-coloured
    # slivers along its edges (a new user's trial)
    land = shapely.union_all(basemap.geometry.intersection(shapely.box(35.3, 32.4, 36.3, 33.6)))
    assert [shapely.Polygon(ring).area for part in getattr(land, "geoms", [land])
            for ring in part.interiors] == []  # fmt: skip


def test_a_town_under_an_events_marker_is_named_clear_of_it(dataset):
    """Ankara holds five events: its dot lay under their marker and every place for its
    name touched the marker, so the capital was never named (a new user's trial)."""
    spec = regionmap.ViewSpec.default(dataset.catalog).replace(center=(39.9, 32.85), zoom=7)
    (ankara,) = [x for x in MapPlan.from_view(spec, dataset).labels if x.text == "Ankara"]
    assert ankara.kind == "town" and not ankara.dot and ankara.offset_px >= 7.0


def test_an_ended_line_is_keyed_as_drawn_and_dots_read_apart_from_dashes(dataset):
    """On a map of today the 1994 line is drawn grey and dashed: its legend row says so;
    on a 2019 map the oblast's dashes and the line's dots are told apart in the web legend."""
    from regionmap.web._legend import legend_html

    today = MapPlan.from_view(regionmap.ViewSpec.default(dataset.catalog), dataset)
    (row,) = [r for r in today.legend() if r.layer and r.layer.id == "lachin-contact-1994"]
    assert row.look is not None and row.look.as_style().color != row.layer.style.color
    # grey both, but the line of contact stays dotted and the oblast dashed (a trial)
    (oblast,) = [r for r in today.legend() if r.layer and r.layer.id == "lachin-nkao"]
    assert row.look.dash == "2 3" and oblast.look.dash != row.look.dash
    day = dt.date(2019, 6, 1)
    then = MapPlan.from_view(today.spec.replace(start=day, end=day), dataset)
    (row,) = [r for r in then.legend() if r.layer and r.layer.id == "lachin-contact-1994"]
    assert row.look is None
    html = legend_html(then)
    assert "3px dotted #8c2d04" in html and "3px dashed #6a4c7d" in html
