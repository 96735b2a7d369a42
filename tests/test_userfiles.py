"""A user's own layer files as analysts have them (tests/data/userfiles, its README).

Expected values were worked out by hand from the inputs: the folders and tables in each
file, the names as written, the features after a MultiGeometry is split, the ids that
python-slugify's transliteration gives.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import zipfile

import pytest
import shapely

import regionmap
from regionmap._layerfiles import LDID_CODEPAGES, guess_encoding

from .conftest import ROOT

FILES = ROOT / "tests" / "data" / "userfiles"
TURKISH = ["Iğdır", "Şırnak", "Çıldır Gölü", "Ağrı Dağı"]


@pytest.fixture(scope="module")
def dataset():
    return regionmap.load_dataset(ROOT / "geodata")


def _upload(dataset, *names: str, renamed: dict[str, str] | None = None):
    renamed = renamed or {}
    files = {renamed.get(n, n): (FILES / n).read_bytes() for n in names}
    return regionmap.with_user_files(dataset, files)


# ---------------------------------------------------------------- one rule for one file


def test_geometry_only_file_is_a_valid_user_layer_in_validate_and_upload(dataset):
    path = FILES / "country_top_level_id.geojson"
    proc = subprocess.run(
        [sys.executable, "-m", "regionmap", "validate", str(path)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    merged, (read,) = _upload(dataset, "country_top_level_id.geojson")
    assert read.problems == [] and read.error == ""
    ((layer_id, _),) = read.layers
    frame = merged.layers[layer_id].frame
    row = frame.iloc[0]
    # what the file gives is kept; what it lacks is filled honestly
    assert (row["id"], row["name"], row["kind"]) == ("ARM", "Armenia", "area")
    assert row["source"] == "your file country_top_level_id.geojson"
    assert row["status"] == "unknown" and row["valid_from"] == "" and row["as_of"] == ""
    popup = regionmap.web.feature_popup(row, merged.catalog.layer(layer_id))
    assert "<th>Status</th><td>unknown</td>" in popup
    assert "<th>Precision</th><td><i>not given</i></td>" in popup and "± " not in popup


def test_strict_validate_lists_what_is_missing_and_knows_the_top_level_id():
    path = FILES / "country_top_level_id.geojson"
    proc = subprocess.run(
        [sys.executable, "-m", "regionmap", "validate", "--strict", str(path)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 1
    (line,) = proc.stdout.strip().splitlines()
    assert "feature #1 (id ARM): missing property 'kind', 'description', 'source'" in line
    assert "'id'" not in line and "'name'" not in line


def test_a_file_inside_the_geodata_folder_is_held_to_the_contract(tmp_path):
    geodata = tmp_path / "geodata"
    subprocess.run(["cp", "-r", str(ROOT / "geodata"), str(geodata)], check=True)
    stray = geodata / "layers" / "mine.geojson"
    stray.write_bytes((FILES / "country_top_level_id.geojson").read_bytes())
    problems = regionmap.check_path(regionmap.load_catalog(geodata), stray)
    assert any("missing property 'kind'" in p.message for p in problems)


# ---------------------------------------------------------------- every layer, every folder


def test_every_kml_folder_is_a_layer_and_a_multigeometry_is_split(dataset):
    merged, (read,) = _upload(dataset, "kars_folders.kml")
    assert read.error == "" and read.problems == []
    layers = {merged.catalog.layer(i).title: r for i, r in read.layers}
    assert [len(r.frame) for r in layers.values()] == [2, 1, 2]
    assert list(layers) == [
        "kars_folders.kml — Sınır kapıları (yours)",
        "kars_folders.kml — Demiryolu (yours)",
        "kars_folders.kml — Alan (yours)",
    ]
    ids = [i for i, _ in read.layers]
    assert ids == [
        "user-kars-folders-sinir-kapilari",
        "user-kars-folders-demiryolu",
        "user-kars-folders-alan",
    ]
    ani = merged.layers[ids[2]].frame
    assert list(ani.geom_type) == ["Point", "Polygon"] and list(ani["name"]) == ["Ani", "Ani"]
    crossings = merged.layers[ids[0]].frame
    assert list(crossings["name"]) == ["Doğu Kapı", "Alican"]
    assert crossings["description"].iloc[0] == "Closed since 1993\nsource: press reports"
    railway = merged.layers[ids[1]].frame.iloc[0]  # a KML TimeSpan is the feature's validity
    assert (railway["valid_from"], railway["valid_to"]) == ("1899-01-01", "1993-04-03")
    spec = regionmap.ViewSpec.default(merged.catalog).replace(
        layers=(ids[1],), start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31)
    )
    (planned,) = regionmap.MapPlan.from_view(spec, merged).layers
    assert not planned.features[0].active  # drawn grey and dashed in a 2020 window
    assert read.notes[0].startswith("3 layers: 'Sınır kapıları' (2 features), 'Demiryolu'")
    assert any(
        "GeometryCollection, split into 2 features (Point, Polygon)" in n for n in read.notes
    )


def test_every_geopackage_table_is_a_layer(dataset):
    merged, (read,) = _upload(dataset, "kars_two_layers.gpkg")
    assert [(r.layer, len(r.frame)) for _, r in read.layers] == [("districts", 2), ("roads", 1)]
    districts = merged.layers["user-kars-two-layers-districts"].frame
    # no "name" column: the first *name*-like column is not there either, so ADM2_TR stays
    # an attribute and the features are numbered
    assert list(districts["ADM2_TR"]) == ["Kağızman", "Sarıkamış"]
    assert list(merged.layers["user-kars-two-layers-roads"].frame["name"]) == ["D 080"]


def test_read_layer_keeps_every_layer_in_one_frame():
    result = regionmap.read_layer(FILES / "kars_two_layers.gpkg", contract=False)
    assert list(result.frame["source_layer"]) == ["districts", "districts", "roads"]
    assert result.notes[0] == "2 layers: 'districts' (2 features), 'roads' (1 feature)"


def test_validate_reads_every_layer_and_says_so():
    proc = subprocess.run(
        [sys.executable, "-m", "regionmap", "validate", str(FILES / "kars_folders.kml")],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "3 layers: 'Sınır kapıları' (2 features), 'Demiryolu' (1 feature)" in proc.stderr
    assert "Traceback" not in proc.stderr


# ---------------------------------------------------------------- Shapefile encodings


@pytest.mark.parametrize(
    ("name", "layer", "said"),
    [
        ("shp_cp1254_cpg.zip", "places", "text encoding CP1254 (from places.cpg)"),
        ("shp_cp1254_ldid.zip", "harita/places", "language driver byte 0xca"),
        ("shp_cp1254_bare.zip", "Yeni klasör/places", "text encoding cp1254 assumed"),
    ],
)
def test_turkish_names_in_windows_1254_come_out_right(name, layer, said):
    (result,) = regionmap.read_layers(FILES / name, contract=False)
    assert list(result.frame["ad"]) == TURKISH
    assert result.layer == layer
    assert any(said in note for note in result.notes), result.notes


def test_russian_names_in_windows_1251_come_out_right():
    (result,) = regionmap.read_layers(FILES / "shp_cp1251_bare.zip", contract=False)
    assert list(result.frame["ad"]) == ["Ростов-на-Дону", "Новороссийск", "Краснодар"]
    assert "cp1251 assumed" in result.notes[0]


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Iğdır", "cp1254"),
        ("Gümüşhane Ağrı Muş", "cp1254"),
        ("Ağdam Şuşa Laçın Füzuli", "cp1254"),
        ("Ереван", "cp1251"),
        ("Ростов-на-Дону Краснодар", "cp1251"),
        ("حلب دمشق القامشلي", "cp1256"),
        ("München Köln", "cp1252"),
    ],
)
def test_undeclared_encodings_are_guessed_for_this_region(text, codec):
    assert text.encode(codec).decode(guess_encoding(text.encode(codec))) == text


def test_every_language_driver_byte_reads_its_code_page(tmp_path):
    """Text written in the code page a language-driver byte names comes back as written."""
    import geopandas as gpd

    for ldid, codec in LDID_CODEPAGES.items():
        # ends in ASCII: glibc's stateful CP1255 decoder holds back a final Hebrew letter
        text = bytes(range(0xE0, 0xF0)).decode(codec, errors="ignore")[:6] + " 1"
        frame = gpd.GeoDataFrame(
            {"ad": [text, "a wider field than the text"]},
            geometry=[shapely.Point(43, 40), shapely.Point(44, 40)],
            crs=4326,
        )
        folder = tmp_path / f"ldid{ldid:02x}"
        folder.mkdir()
        frame.to_file(folder / "t.shp", encoding=codec)
        (folder / "t.cpg").unlink(missing_ok=True)
        dbf = bytearray((folder / "t.dbf").read_bytes())
        dbf[29] = ldid
        (folder / "t.dbf").write_bytes(bytes(dbf))
        (result,) = regionmap.read_layers(folder / "t.shp", contract=False)
        assert result.frame["ad"].iloc[0] == text, (hex(ldid), codec)
        assert f"{codec} (from the DBF's language driver byte 0x{ldid:02x})" in result.notes[0]


def test_zip_without_shapefile_says_what_it_holds(dataset):
    data = _zip({"notes/readme.txt": b"hello", "table.csv": b"a,b\n"})
    read = regionmap.read_user_file(data, "export.zip", dataset)
    assert read.error == "export.zip: no Shapefile (.shp) in the zip; it holds .csv, .txt"


def _zip(members: dict[str, bytes]) -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


# ---------------------------------------------------------------- drawing keeps shapes


def test_small_buildings_keep_their_shape_when_drawn(dataset):
    merged, (read,) = _upload(dataset, "lachin_osm_small.geojson")
    ((layer_id, _),) = read.layers
    stored = merged.layers[layer_id].frame.set_index("id").geometry
    drawn = merged.display[layer_id].set_index(merged.layers[layer_id].frame["id"]).geometry
    for fid in ("way/2", "way/3"):  # 20 × 12 m and 60 × 60 m
        assert shapely.get_num_coordinates(drawn[fid]) == 5  # four corners, closed
        # every drawn corner within 1% of the building's size of the stored one
        size = max(stored[fid].bounds[2] - stored[fid].bounds[0],
                   stored[fid].bounds[3] - stored[fid].bounds[1])  # fmt: skip
        assert stored[fid].hausdorff_distance(drawn[fid]) <= 0.01 * size
    # nested Overpass values reach popups and exports as JSON text
    town = merged.layers[layer_id].frame.set_index("id").loc["node/1"]
    assert json.loads(town["@relations"])[0]["reltags"]["name"] == "Laçın rayonu"


# ---------------------------------------------------------------- names


def test_files_named_in_any_script_get_distinct_readable_ids(dataset):
    data = (FILES / "country_top_level_id.geojson").read_bytes()
    files = {
        "Карабах.geojson": data,
        "Լաչին.geojson": data,
        "لاتشين.geojson": data,
        "Laçın koridoru.geojson": data,
        "karabakh.geojson": data,
    }
    merged, read = regionmap.with_user_files(dataset, files)
    ids = [i for f in read for i, _ in f.layers]
    assert ids == [
        "user-karabakh",
        "user-lach-in",
        "user-ltshyn",
        "user-lacin-koridoru",
        "user-karabakh-2",
    ]
    titles = [merged.catalog.layer(i).title for i in ids]
    assert titles[0] == "Карабах.geojson (yours)" and titles[2] == "لاتشين.geojson (yours)"


def test_saving_never_overwrites_another_file(tmp_path, monkeypatch):
    monkeypatch.setenv("REGIONMAP_USER_DATA", str(tmp_path))
    first = regionmap.save_user_file(b"one", "Лачинский коридор.geojson")
    second = regionmap.save_user_file(b"two", "Лачинский коридор.geojson")
    again = regionmap.save_user_file(b"one", "Лачинский коридор.geojson")
    assert first.name == "Лачинский коридор.geojson"
    assert second.name == "Лачинский коридор (2).geojson"
    assert again == first
    assert [p.read_bytes() for p in regionmap.saved_user_files()] == [b"two", b"one"]


def test_unique_name_for_a_second_upload_of_the_same_name():
    taken = {"export.kml": b"a"}
    assert regionmap.unique_name("export.kml", b"a", taken) == "export.kml"
    assert regionmap.unique_name("export.kml", b"b", taken) == "export (2).kml"
    assert regionmap.unique_name("../x/Ağrı.KML", b"c", taken) == "Ağrı.kml"


def test_messages_never_show_the_servers_temporary_paths(dataset):
    broken = (FILES / "kars_folders.kml").read_bytes()[:300]
    for name, data in [
        ("broken.kml", broken),
        ("broken.gpkg", b"SQLite format 3\x00" + b"0" * 200),
    ]:
        read = regionmap.read_user_file(data, name, dataset)
        text = read.error + " ".join(map(str, read.problems)) + " ".join(read.notes)
        assert text.startswith(name) or not read.error
        assert "/tmp" not in text and "regionmap-upload" not in text, text


PORTS_KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>Black Sea ports</name>
<Folder><name>Limanlar</name>
<Placemark><name>Odesa</name>
  <Point><coordinates>30.7326,46.4825,0</coordinates></Point></Placemark>
<Placemark><name>Typed wrong</name>
  <Point><coordinates>abc,def</coordinates></Point></Placemark>
<Placemark><name>Samsun</name>
  <Point><coordinates>36.3361,41.2867</coordinates></Point></Placemark>
<Placemark><name>Latitude first</name>
  <Point><coordinates>41.0,95.2</coordinates></Point></Placemark>
</Folder>
<Folder><name>Hatlar</name>
<Placemark><name>Half a line</name>
  <LineString><coordinates>29.0,41.0 30.7,x</coordinates></LineString></Placemark>
<Placemark><name>Route</name>
  <LineString><coordinates>29.0,41.0 30.7,46.4</coordinates></LineString></Placemark>
</Folder></Document></kml>
"""


def test_kml_coordinates_that_are_not_places_are_named_not_drawn_at_zero(dataset, tmp_path):
    """GDAL reads "abc,def" as the point (0, 0): such placemarks (words, a bad tuple in a
    line, a latitude past 90) are left without a place and reported by folder and number,
    with the reason; the file's other placemarks load."""
    path = tmp_path / "ports_bad_coordinates.kml"
    path.write_text(PORTS_KML, encoding="utf-8")
    merged, (read,) = regionmap.with_user_files(dataset, {path.name: path.read_bytes()})
    said = " | ".join([str(p) for p in read.problems] + list(read.notes))
    assert "feature #2: no geometry" in said and "feature #4: no geometry" in said, said
    assert "placemark #2 'Typed wrong': coordinates 'abc,def' is not numbers" in said
    assert "placemark #4 'Latitude first'" in said and "outside" in said
    assert "placemark #1 'Half a line': coordinates '30.7,x' is not numbers" in said
    frames = [merged.layers[i].frame for i, _ in read.layers]
    kept = sorted(name for f in frames for name in f["name"])
    assert kept == ["Odesa", "Route", "Samsun"]
    for frame in frames:  # nothing was put in the Gulf of Guinea
        assert not any(g.x == 0 and g.y == 0 for g in frame.geometry if g.geom_type == "Point")
    proc = subprocess.run(
        [sys.executable, "-m", "regionmap", "validate", str(path)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 1 and "layer 'Limanlar', feature #2: no geometry" in proc.stdout


def test_a_bad_placemark_right_under_a_nameless_document_is_named_too(dataset, tmp_path):
    """No folder and no document name: GDAL calls the layer after the file, and the
    placemark typed wrong is still reported, not drawn at (0, 0)."""
    path = tmp_path / "bad.kml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">'
        "<Document><Placemark><name>Bad</name><Point><coordinates>abc,def</coordinates>"
        "</Point></Placemark><Placemark><name>Kars</name><Point><coordinates>43.09,40.60"
        "</coordinates></Point></Placemark></Document></kml>",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "regionmap", "validate", str(path)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 1 and "feature #1: no geometry" in proc.stdout, proc.stdout
    assert "placemark #1 'Bad': coordinates 'abc,def' is not numbers" in proc.stderr
