"""The geodata pipeline: sources in, the catalogued layer files out, byte for byte the same.

Inputs live in ``geodata/sources/``: a Natural Earth clip, ``curated.toml`` (cited points
and lines) and ``zones.toml`` (how borders, corridors and strips are derived from them).
Every derived figure (length, area, depth) is measured here on unsimplified geometry and
stored on the feature, so the map can show it beside the official one.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import shapely
import shapely.geometry

from regionmap import _compose as compose
from regionmap import _nelayers as ne
from regionmap import _netowns
from regionmap._atomic import atomic_write_text
from regionmap._catalog import Catalog
from regionmap._errors import DataError

NE_FILE = "sources/naturalearth_admin0.geojson"
CURATED_FILE = "sources/curated.toml"
ZONES_FILE = "sources/zones.toml"
NE_COLUMNS = ["ADM0_A3", "ISO_A3", "NAME_EN", "NAME_TR", "NAME_RU", "TYPE", "WIKIDATAID"]
NE_CITATION = (
    "Natural Earth 1:10m Cultural Vectors, Admin 0 – Countries, v5.1.1 "
    "(German point of view edition)"
)
NE_URL = "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/10m-admin-0-countries/"
BASEMAP_TOLERANCE_DEG = 0.01
LAYER_DIGITS = 6
BASEMAP_DIGITS = 4
CONTRACT = (
    "id", "name", "kind", "description", "source", "source_url", "as_of",
    "valid_from", "valid_to", "legal_basis", "status", "precision_m",
)  # fmt: skip


@dataclass(frozen=True)
class Sources:
    countries: gpd.GeoDataFrame  # indexed by ADM0_A3, full resolution
    curated: dict[str, dict]  # by feature id
    official: dict[str, dict]  # official border lengths by id
    zones: dict
    as_of: str


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(path, "source file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError(path, f"not valid TOML: {exc}") from None


def clip_natural_earth(zip_path: str | Path, out: str | Path, bbox: tuple[float, ...]) -> int:
    """Refresh the committed Natural Earth clip from the distribution's zip; returns rows."""
    world = gpd.read_file(f"zip://{Path(zip_path).resolve()}", encoding="utf-8")
    clipped = world[NE_COLUMNS + ["geometry"]].copy()
    clipped["geometry"] = clipped.geometry.clip_by_rect(*bbox)
    clipped = clipped[~clipped.geometry.is_empty].sort_values("ADM0_A3").reset_index(drop=True)
    clipped["geometry"] = compose.round_coordinates(clipped.geometry, LAYER_DIGITS)
    features = [
        {"type": "Feature", "properties": {c: row[c] for c in NE_COLUMNS}, "geometry": geom}
        for row, geom in zip(clipped.to_dict("records"), clipped.geometry, strict=True)
    ]
    atomic_write_text(
        out, compose.dumps_features(features, LAYER_DIGITS, name="naturalearth_admin0")
    )
    return len(features)


def read_sources(root: Path) -> Sources:
    ne_path = root / NE_FILE
    countries = gpd.read_file(ne_path)
    if "ADM0_A3" not in countries.columns:
        raise DataError(ne_path, "expected Natural Earth's ADM0_A3 column")
    countries = countries.set_index("ADM0_A3")
    curated_doc = _read_toml(root / CURATED_FILE)
    curated = {}
    for i, f in enumerate(curated_doc.get("feature", [])):
        if "id" not in f:
            raise DataError(root / CURATED_FILE, "feature has no id", f"feature #{i + 1}")
        curated[f["id"]] = f
    official = {o["id"]: o for o in curated_doc.get("official_length", [])}
    zones = _read_toml(root / ZONES_FILE)
    return Sources(countries, curated, official, zones, zones.get("as_of", ""))


def _contract(entry: dict, defaults: dict) -> dict:
    """Properties in contract order first, then any extra attributes in source order."""
    merged = {**defaults, **entry}
    props = {k: merged.get(k, "") for k in CONTRACT}
    skip = set(CONTRACT) | {"geometry", "coordinates", "layer", "theatre_layer"}
    props.update({k: v for k, v in merged.items() if k not in skip})
    return props


def _curated_geometry(entry: dict, path: Path) -> shapely.Geometry:
    coords = entry.get("coordinates")
    kind = entry.get("geometry", "point")
    try:
        if kind == "point":
            return shapely.Point(coords)
        if kind == "line":
            return shapely.LineString(coords)
    except (TypeError, ValueError, shapely.errors.GEOSException) as exc:
        raise DataError(path, f"bad coordinates: {exc}", f"feature {entry['id']}") from None
    raise DataError(path, f"geometry must be 'point' or 'line', got {kind!r}", entry["id"])


def _country(src: Sources, code: str) -> shapely.Geometry:
    try:
        return src.countries.geometry[code]
    except KeyError:
        raise DataError(NE_FILE, f"no country {code!r} in the Natural Earth clip") from None


def _point(src: Sources, ref: str | float, root: Path) -> shapely.Point:
    entry = src.curated.get(str(ref))
    if entry is None:
        raise DataError(root / ZONES_FILE, f"no curated feature {ref!r}")
    return _curated_geometry(entry, root / CURATED_FILE)


def _meridian(src: Sources, ref: str | float, root: Path) -> float:
    return float(ref) if isinstance(ref, int | float) else _point(src, ref, root).x


def _exclusion(src: Sources, entry: dict, root: Path) -> shapely.Geometry | None:
    """Discs around the places a zone's text leaves out (Qamishli, Shusha)."""
    holes = [
        compose.disc(p.x, p.y, ex["radius_m"])
        for ex in entry.get("exclude", [])
        for p in [_point(src, ex["point"], root)]
    ]
    return shapely.union_all(holes) if holes else None


def _derive_borders(
    src: Sources, root: Path, out: list[tuple[str, dict, shapely.Geometry]]
) -> dict[str, shapely.Geometry]:
    """Shared borders of Natural Earth countries, measured; returns them by id."""
    borders: dict[str, shapely.Geometry] = {}
    for entry in src.zones.get("border", []):
        a, b = entry["countries"]
        line = compose.shared_border(_country(src, a), _country(src, b))
        if line.is_empty:
            raise DataError(root / ZONES_FILE, f"{a} and {b} share no border", entry["id"])
        borders[entry["id"]] = line
        props = {
            "source": NE_CITATION,
            "source_url": NE_URL,
            "as_of": src.as_of,
            "precision_m": 1000,
            "kind": "border",
        }
        official = src.official.get(entry.get("official", ""))
        extra = {"length_km": round(compose.geodesic_length_km(line), 1)}
        if official:
            extra |= {
                "official_length_km": official["length_km"],
                "official_source": official["source"],
                "official_source_url": official.get("source_url", ""),
                "official_note": official.get("note", ""),
            }
        fields = {k: v for k, v in entry.items() if k not in ("countries", "official")}
        out.append((entry["layer"], _contract({**fields, **extra}, props), line))
    return borders


def _derive_corridors(
    src: Sources, root: Path, out: list[tuple[str, dict, shapely.Geometry]]
) -> None:
    """Corridors: a band of a given width along a curated route, measured."""
    for entry in src.zones.get("corridor", []):
        route_entry = src.curated[entry["route"]]
        route = _curated_geometry(route_entry, root / CURATED_FILE)
        poly = compose.corridor(route, entry["width_m"])
        if entry.get("clip_to"):
            country = _country(src, entry["clip_to"])
            poly = shapely.intersection(poly, country)
            route = shapely.intersection(route, country)
        exclude = _exclusion(src, entry, root)
        if exclude is not None:
            poly = shapely.difference(poly, exclude)
        fields = {k: v for k, v in entry.items() if k not in ("route", "clip_to", "exclude")}
        length_km = compose.geodesic_length_km(route)
        area_km2 = compose.geodesic_area_km2(poly)
        extra = {
            "width_km": entry["width_m"] / 1000,
            "route_length_km": round(length_km, 2),
            "area_km2": round(area_km2, 2),
            "mean_width_km": round(area_km2 / length_km, 2),
        }
        defaults = {
            "source": route_entry["source"],
            "source_url": route_entry.get("source_url", ""),
            "as_of": route_entry.get("as_of", src.as_of),
            "precision_m": route_entry.get("precision_m", 1000),
            "kind": "corridor",
        }
        out.append((entry["layer"], _contract({**fields, **extra}, defaults), poly))


def _derive_strips(
    src: Sources,
    root: Path,
    out: list[tuple[str, dict, shapely.Geometry]],
    borders: dict[str, shapely.Geometry],
) -> None:
    """Strips: the part of a country within a depth of a border, between meridians."""
    for entry in src.zones.get("strip", []):
        border = borders[entry["border"]]
        lon_range = (_meridian(src, entry["west"], root), _meridian(src, entry["east"], root))
        poly = compose.strip_along(
            border,
            _country(src, entry["country"]),
            entry["depth_m"],
            lon_range,
            _exclusion(src, entry, root),
        )
        fields = {
            k: v
            for k, v in entry.items()
            if k not in ("border", "country", "west", "east", "exclude")
        }
        extra = {
            "depth_km": entry["depth_m"] / 1000,
            "area_km2": round(compose.geodesic_area_km2(poly), 1),
            "west_lon": round(lon_range[0], 4),
            "east_lon": round(lon_range[1], 4),
        }
        defaults = {"as_of": src.as_of, "kind": "zone"}
        out.append((entry["layer"], _contract({**fields, **extra}, defaults), poly))


def _derive(src: Sources, root: Path) -> list[tuple[str, dict, shapely.Geometry]]:
    """Borders, corridors, strips and Natural Earth's disputed lines as (layer id,
    properties, geometry), in file order."""
    out: list[tuple[str, dict, shapely.Geometry]] = []
    borders = _derive_borders(src, root, out)
    _derive_corridors(src, root, out)
    _derive_strips(src, root, out, borders)
    out += ne.disputed_lines(root, src.zones.get("disputed_line", []), root / ZONES_FILE)
    return out


def build_layers(catalog: Catalog) -> dict[str, str]:
    """Every catalogued layer's GeoJSON text, derived from the sources; nothing is written.

    Parameters
    ----------
    catalog : Catalog
        Its ``root / sources`` holds the inputs: the Natural Earth clips (EPSG:4326),
        ``curated.toml`` (cited points and lines) and ``zones.toml`` (derivation rules).

    Returns
    -------
    dict of str to str
        Layer id to GeoJSON text (EPSG:4326, (longitude, latitude), 6 decimals; the
        basemap 4), deterministic: the same sources give the same bytes.

    Raises
    ------
    DataError
        A source file is missing, not valid TOML, or a curated feature is malformed
        (names the file, the feature and the problem).
    """
    root = catalog.root
    src = read_sources(root)
    features: dict[str, list[dict]] = {spec.id: [] for spec in catalog.layers}

    def add(layer_id: str, props: dict, geom: shapely.Geometry, where: str) -> None:
        if layer_id not in features:
            raise DataError(
                where, f"layer {layer_id!r} is not in catalog.toml", props.get("id", "")
            )
        features[layer_id].append({"type": "Feature", "properties": props, "geometry": geom})

    for layer_id, props, geom in _derive(src, root):
        add(layer_id, props, geom, str(root / ZONES_FILE))
    for entry in src.curated.values():
        geom = _curated_geometry(entry, root / CURATED_FILE)
        shape = "point" if geom.geom_type == "Point" else "line"
        props = _contract(
            entry, {"kind": "site" if shape == "point" else "line", "as_of": src.as_of}
        )
        target = src.zones.get("curated_layers", {}).get(entry.get("layer", ""), {}).get(shape)
        if target is None:
            raise DataError(
                root / ZONES_FILE,
                f"[curated_layers] names no layer for {shape}s of theatre {entry.get('layer')!r}",
                entry["id"],
            )
        add(target, props, geom, str(root / CURATED_FILE))

    for spec in catalog.layers:
        if spec.role == "basemap":
            if ne.LAKES.source in spec.sources:
                features[spec.id] = ne.lake_features(root)
            elif ne.RIVERS.source in spec.sources:
                features[spec.id] = ne.river_features(root)
            elif ne.TOWNS.source in spec.sources:
                path = root / CURATED_FILE
                curated = [(_curated_geometry(e, path), e) for e in src.curated.values()]
                features[spec.id] = _netowns.town_features(root, _netowns.curated_places(curated))
            else:
                features[spec.id] = _basemap_features(src, root)

    texts = {}
    for spec in catalog.layers:
        digits = BASEMAP_DIGITS if spec.role == "basemap" else LAYER_DIGITS
        texts[spec.id] = compose.dumps_features(features[spec.id], digits, name=spec.id)
    return texts


def _ne_area(id_: str, name: str, description: str, status: str, **more: str) -> dict:
    """The contract fields of a basemap area drawn from the Natural Earth clip."""
    return {
        "id": id_,
        "name": name,
        "kind": "area",
        "description": description,
        "source": NE_CITATION,
        "source_url": NE_URL,
        "as_of": "2022-05-09",
        "valid_from": "",
        "valid_to": "",
        "legal_basis": "",
        "status": status,
        "precision_m": 1000,
        **more,
    }


def _basemap_features(src: Sources, root: Path) -> list[dict]:
    countries = src.countries.reset_index()
    simple = compose.simplify_for_display(countries, BASEMAP_TOLERANCE_DEG, BASEMAP_DIGITS)
    out = []
    for row, geom in zip(simple.to_dict("records"), simple.geometry, strict=True):
        name = row["NAME_EN"]
        props = _ne_area(
            f"country-{row['ADM0_A3'].lower()}",
            name,
            f"{name} ({row['TYPE']}), as drawn by Natural Earth.",
            "de facto",
            iso_a3=row["ADM0_A3"],
            name_tr=row["NAME_TR"],
            name_ru=row["NAME_RU"],
            wikidata=row["WIKIDATAID"],
        )
        out.append({"type": "Feature", "properties": props, "geometry": geom})
    for gap in src.zones.get("basemap_gap", []):  # land no country of the clip holds
        # cut from the drawn (simplified) outlines, so the gap meets its neighbours' edges
        hole = compose.gap_at(simple.geometry, *gap["point"])
        if hole is None:
            where = root / ZONES_FILE
            raise DataError(where, f"no gap between countries at {gap['point']}", gap["id"])
        g = {k: v for k, v in gap.items() if k != "point"}
        props = _ne_area(
            g.pop("id"), g.pop("name"), g.pop("description"), g.pop("status"), iso_a3="", **g
        )
        props["wikidata"] = ""
        out.append({"type": "Feature", "properties": props, "geometry": hole})
    return out


def write_layers(catalog: Catalog) -> list[Path]:
    """Regenerate every layer file; returns the files whose content changed."""
    changed = []
    for layer_id, text in build_layers(catalog).items():
        path = catalog.layer_path(layer_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            atomic_write_text(path, text)
            changed.append(path)
    return changed


def stale_layers(catalog: Catalog) -> list[Path]:
    """Layer files that differ from what the sources would build now."""
    stale = []
    for layer_id, text in build_layers(catalog).items():
        path = catalog.layer_path(layer_id)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
    return stale
