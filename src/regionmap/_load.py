"""Read one layer file into a GeoDataFrame in EPSG:4326, keeping the good features.

GeoJSON is parsed here rather than handed to GDAL so that one broken feature is reported
by number and id while its neighbours still load; other vector formats go through pyogrio
(`regionmap._layerfiles`), every layer of them.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
import shapely.geometry
from pyproj import CRS
from pyproj.exceptions import CRSError

from regionmap._catalog import BBox, Catalog, LayerSpec
from regionmap._errors import LayerError, Problem
from regionmap._layerfiles import plain_columns, read_gdal_layers, split_collections
from regionmap._validate import REQUIRED, split_valid

WGS84 = "EPSG:4326"
GEOJSON_SUFFIXES = (".geojson", ".json")
MAX_LAYER_BYTES = 50_000_000  # 50 MB, the limit README and the dashboard state


@dataclass
class LayerResult:
    """The usable features of one file and everything wrong with the rest."""

    path: str
    frame: gpd.GeoDataFrame
    problems: list[Problem] = field(default_factory=list)
    layer: str = ""  # the layer's name inside a multi-layer file (GeoPackage table, KML folder)
    notes: list[str] = field(default_factory=list)  # what was found or assumed, not wrong

    @property
    def ok(self) -> bool:
        return not self.problems


def _empty_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"geometry": []}, geometry="geometry", crs=WGS84)


def _declared_crs(doc: dict, path: str) -> CRS:
    """The legacy GeoJSON `crs` member if there is one; RFC 7946 says WGS84 otherwise."""
    member = doc.get("crs")
    if member is None:
        return CRS.from_user_input(WGS84)
    name = member.get("properties", {}).get("name") if isinstance(member, dict) else None
    try:
        return CRS.from_user_input(name)
    except (CRSError, TypeError):
        raise LayerError(path, f"unknown crs {member!r}") from None


_DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2,
          "MultiPolygon": 3}  # fmt: skip


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _geometry_problem(geometry: object, collections: bool = False) -> str | None:
    """What is wrong with a GeoJSON geometry object before shapely sees it (shapely would
    quietly close rings and turn strings into numbers). A GeometryCollection is checked
    member by member where ``collections`` allows it (user layers split them later)."""
    if not isinstance(geometry, dict):
        return "geometry is not an object"
    kind = geometry.get("type")
    if kind == "GeometryCollection":
        if not collections:
            return "GeometryCollection is not supported; split it into features"
        members = geometry.get("geometries")
        if not isinstance(members, list):
            return "GeometryCollection has no 'geometries' list"
        for member in members:
            problem = _geometry_problem(member, collections)
            if problem:
                return f"in a GeometryCollection: {problem}"
        return None
    if kind not in _DEPTH:
        return f"unknown geometry type {kind!r}"
    coords = geometry.get("coordinates")
    if coords is None:
        return "geometry has no coordinates (null)"

    def check(value: object, depth: int) -> str | None:
        if depth == 0:
            if not isinstance(value, list) or not value:
                return "empty position"
            if not all(_is_number(v) for v in value):
                return f"position {value!r} holds something other than numbers"
            if len(value) not in (2, 3):
                return (
                    f"position has {len(value)} numbers; expected [longitude, latitude] "
                    "or [longitude, latitude, elevation]"
                )
            return None
        if not isinstance(value, list):
            return f"coordinates nested wrongly for a {kind}"
        for item in value:
            problem = check(item, depth - 1)
            if problem:
                return problem
        return None

    problem = check(coords, _DEPTH[kind])
    if problem:
        return problem
    rings = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    for polygon in rings:
        for i, ring in enumerate(polygon):
            if len(ring) < 4:
                return f"ring {i + 1} has {len(ring)} positions; a closed ring needs at least 4"
            if ring[0] != ring[-1]:
                return f"ring {i + 1} is not closed (its first and last positions differ)"
    return None


def _features_from_geojson(
    path: Path, text: str, contract: bool
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    where = str(path)
    try:
        doc = json.loads(text, parse_constant=lambda c: math.nan)
    except json.JSONDecodeError as exc:
        msg = f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        raise LayerError(where, msg) from None
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        doc = {"type": "FeatureCollection", "features": [doc]}
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        got = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        raise LayerError(where, f"not GeoJSON: expected a FeatureCollection, got {got!r}")
    features = doc.get("features")
    if not isinstance(features, list):
        raise LayerError(where, "not GeoJSON: 'features' is not a list")
    crs = _declared_crs(doc, where)

    problems: list[Problem] = []
    rows: list[dict] = []
    geoms: list = []
    kept: list[int] = []  # file positions: later checks name a feature by its place in the file
    for i, feature in enumerate(features):
        label = f"feature #{i + 1}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(Problem(where, label, "not a GeoJSON Feature object"))
            continue
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            problems.append(Problem(where, label, "'properties' is not an object"))
            continue
        fid = props.get("id", feature.get("id"))
        if fid not in (None, ""):
            label = f"{label} (id {fid})"
        given = set(props) | ({"id"} if feature.get("id") is not None else set())
        absent = [k for k in REQUIRED if k not in given] if contract else []
        if absent:
            names = ", ".join(repr(k) for k in absent)
            problems.append(Problem(where, label, f"missing property {names}"))
            continue
        geometry = feature.get("geometry")
        if geometry is None:
            problems.append(Problem(where, label, "no geometry"))
            continue
        problem = _geometry_problem(geometry, collections=not contract)
        if problem:
            problems.append(Problem(where, label, problem))
            continue
        try:
            geom = shapely.geometry.shape(geometry)
        except Exception as exc:  # shapely raises many types for malformed input
            problems.append(Problem(where, label, f"malformed geometry: {exc}"))
            continue
        if geom.has_z:
            geom = shapely.force_2d(geom)
        row = {k: v for k, v in props.items() if k != "geometry"}
        if "id" not in row and feature.get("id") is not None:
            row["id"] = feature["id"]
        rows.append(row)
        geoms.append(geom)
        kept.append(i)
    frame = gpd.GeoDataFrame(rows, geometry=geoms, crs=crs, index=kept) if rows else _empty_frame()
    return frame, problems


def _to_wgs84(frame: gpd.GeoDataFrame, path: str) -> gpd.GeoDataFrame:
    if frame.crs is None or CRS.from_user_input(frame.crs).equals(CRS.from_user_input(WGS84)):
        return frame if frame.crs is not None else frame.set_crs(WGS84)
    try:
        return frame.to_crs(WGS84)
    except Exception as exc:  # pyproj errors vary with the CRS pair
        raise LayerError(path, f"cannot reproject from {frame.crs} to {WGS84}: {exc}") from None


def _check_file(path: Path) -> None:
    where = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise LayerError(where, "file not found") from None
    if size > MAX_LAYER_BYTES:
        raise LayerError(
            where, f"file is {size / 1e6:.0f} MB; the limit is {MAX_LAYER_BYTES / 1e6:.0f} MB"
        )
    if size == 0:
        raise LayerError(where, "file is empty")


def _raw_layers(path: Path, contract: bool) -> list[tuple[str, gpd.GeoDataFrame, list, list]]:
    """(layer name, frame in the file's CRS, problems, notes) for each layer of the file."""
    where = str(path)
    if path.suffix.lower() in GEOJSON_SUFFIXES:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise LayerError(where, f"not UTF-8 text (byte {exc.start})") from None
        frame, problems = _features_from_geojson(path, text, contract)
        return [("", frame, problems, [])]
    out = []
    for raw in read_gdal_layers(path):
        frame = raw.frame
        if frame.crs is None:
            frame = frame.set_crs(WGS84, allow_override=True)
        if frame.geometry.has_z.any():
            frame = frame.set_geometry(shapely.force_2d(frame.geometry.values))
        out.append((raw.name, frame, [], list(raw.notes)))
    return out


def read_layers(
    path: str | Path,
    bbox: BBox | None = None,
    *,
    contract: bool = True,
    confine: bool = True,
) -> list[LayerResult]:
    """Every layer of a file, each with its good features, problems and notes.

    GeoJSON has one layer; a GeoPackage one per table, a KML/KMZ one per folder, a zip
    one per Shapefile inside it. Features come back in EPSG:4326, (longitude, latitude).

    ``bbox`` (west, south, east, north in degrees) is where the features should lie. With
    ``confine`` a feature outside it is a problem; without, ``bbox`` only catches swapped
    latitude and longitude. ``contract=True`` holds every feature to the full provenance
    contract (DESIGN.md §2, the shipped geodata); ``contract=False`` is the rule for a
    user's own file: geometry is all it needs, and a GeometryCollection is split into its
    parts (with a note) instead of refused.

    Raises
    ------
    LayerError
        The file is missing, empty, over 50 MB or not readable as a whole; a problem with
        one feature is a `Problem` in its layer's result instead.
    """
    path = Path(path)
    where = str(path)
    _check_file(path)
    raws = _raw_layers(path, contract)
    results = []
    for name, frame, problems, notes in raws:
        frame, more_notes = plain_columns(frame, drop_empty=not contract)
        notes += more_notes
        if not contract:
            frame, split = split_collections(frame)
            notes += split
        frame = _to_wgs84(frame, where)
        good, more = split_valid(frame, where, bbox, contract=contract, confine=confine)
        problems = problems + more
        if len(raws) > 1:
            problems = [replace(p, where=f"layer {name!r}, {p.where}") for p in problems]
        results.append(LayerResult(where, good.reset_index(drop=True), problems, name, notes))
    return results


def describe_layers(results: list[LayerResult]) -> str:
    """ "3 layers: 'Checkpoints' (1 feature), 'Road' (1 feature), 'Area' (2 features)"."""
    found = ", ".join(
        f"{r.layer!r} ({len(r.frame)} feature{'' if len(r.frame) == 1 else 's'})" for r in results
    )
    return f"{len(results)} layers: {found}"


def read_layer(
    path: str | Path,
    bbox: BBox | None = None,
    *,
    contract: bool = True,
    confine: bool = True,
) -> LayerResult:
    """All of a file as one layer; see `read_layers` for the arguments and errors.

    A file of several layers (GeoPackage tables, KML folders) comes back as one frame with
    a ``source_layer`` column naming each feature's layer, so nothing is dropped.
    """
    return merge_layers(read_layers(path, bbox, contract=contract, confine=confine))


def merge_layers(results: list[LayerResult]) -> LayerResult:
    """Several layers of one file as one result, a ``source_layer`` column naming each
    feature's layer; one layer comes back as it is."""
    if len(results) == 1:
        return results[0]
    frames = [r.frame.assign(source_layer=r.layer) for r in results if len(r.frame)]
    frame = (
        gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=WGS84)
        if frames
        else _empty_frame()
    )
    notes = [describe_layers(results)]
    notes += [f"layer {r.layer!r}: {n}" for r in results for n in r.notes]
    problems = [p for r in results for p in r.problems]
    return LayerResult(results[0].path, frame, problems, "", notes)


def read_catalog_layer(catalog: Catalog, layer: LayerSpec | str) -> LayerResult:
    spec = catalog.layer(layer) if isinstance(layer, str) else layer
    return read_layer(catalog.root / spec.file, catalog.bbox_for(spec))


def load_layers(catalog: Catalog) -> dict[str, LayerResult]:
    """Every catalogued layer; a broken one is a result with problems, not an exception.

    Parameters
    ----------
    catalog : Catalog
        What to load (`load_catalog`); files are read from ``catalog.root / layers``.

    Returns
    -------
    dict of str to LayerResult
        By layer id: a GeoDataFrame in EPSG:4326, (longitude, latitude) degrees,
        unsimplified (measure on these), and the problems found (file, feature, problem).
        Never raises for bad data: a missing or broken file is an empty frame with problems.
    """
    results: dict[str, LayerResult] = {}
    for spec in catalog.layers:
        try:
            results[spec.id] = read_catalog_layer(catalog, spec)
        except LayerError as exc:
            results[spec.id] = LayerResult(
                exc.path, _empty_frame(), [Problem(exc.path, exc.where, exc.message)]
            )
    return results
