"""Pure geometry: shared borders, metric buffers, strips along a border, geodesic measures,
and the deterministic GeoJSON text the layer files are written in.

Nothing here reads or writes files. Distances are built in a local metric CRS (an
azimuthal equidistant projection centred on the shape) and measured on the WGS84
ellipsoid, so a '5 km corridor' is 5 km on the ground wherever it lies.
"""

from __future__ import annotations

import json
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.geometry
from pyproj import CRS, Geod, Transformer
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

WGS84 = CRS.from_epsg(4326)
_GEOD = Geod(ellps="WGS84")


def local_metric_crs(geom: BaseGeometry) -> CRS:
    """An azimuthal equidistant CRS centred on ``geom``: metres, little distortion nearby."""
    c = geom.centroid
    return CRS.from_proj4(
        f"+proj=aeqd +lat_0={c.y:.6f} +lon_0={c.x:.6f} +datum=WGS84 +units=m +no_defs"
    )


def _transform(geom: BaseGeometry, src: CRS, dst: CRS) -> BaseGeometry:
    t = Transformer.from_crs(src, dst, always_xy=True)
    return shapely.transform(geom, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))


def to_metric(geom: BaseGeometry, crs: CRS) -> BaseGeometry:
    return _transform(geom, WGS84, crs)


def from_metric(geom: BaseGeometry, crs: CRS, max_segment_m: float = 500.0) -> BaseGeometry:
    """Back to lon/lat, densified first: a long straight edge in metres is curved in degrees."""
    return _transform(shapely.segmentize(geom, max_segment_m), crs, WGS84)


def shared_border(a: BaseGeometry, b: BaseGeometry) -> BaseGeometry:
    """The land boundary two country polygons share, merged into as few lines as possible.

    Natural Earth's admin-0 polygons are topologically consistent (neighbours share their
    vertices), so the intersection of the two boundaries is the border itself.

    Parameters
    ----------
    a, b : shapely geometry
        Country (Multi)Polygons in EPSG:4326, (longitude, latitude) degrees, from the same
        topologically consistent source (Natural Earth admin-0).

    Returns
    -------
    shapely geometry
        A (Multi)LineString in the same CRS; empty when the two do not touch.
    """
    common = shapely.intersection(a.boundary, b.boundary)
    lines = [
        g for g in shapely.get_parts(common) if g.geom_type in ("LineString", "MultiLineString")
    ]
    if not lines:
        return shapely.LineString()
    return shapely.line_merge(shapely.union_all(lines))


def geodesic_length_km(geom: BaseGeometry) -> float:
    """Length on the WGS84 ellipsoid, in kilometres; for polygons, the perimeter.

    Parameters
    ----------
    geom : BaseGeometry
        In EPSG:4326, (longitude, latitude) degrees. Measure the stored geometry, not the
        simplified one drawn: Natural Earth 1:10m already runs short of official figures.

    Returns
    -------
    float
        Kilometres along the ellipsoid (pyproj's Geod, Karney's algorithm).
    """
    return abs(_GEOD.geometry_length(geom)) / 1000.0


def geodesic_area_km2(geom: BaseGeometry) -> float:
    """Area on the WGS84 ellipsoid, in square kilometres, whatever the ring orientation.

    ``geom`` is in EPSG:4326, (longitude, latitude) degrees; lines have no area (0).

    Parameters
    ----------
    geom : shapely geometry
        (Multi)Polygon in EPSG:4326, (longitude, latitude) degrees.

    Returns
    -------
    float
        Square kilometres on the WGS84 ellipsoid (pyproj's ``Geod``); 0 for lines and points.
    """
    area, _ = _GEOD.geometry_area_perimeter(geom)
    return abs(area) / 1e6


def corridor(route: BaseGeometry, width_m: float) -> BaseGeometry:
    """A band ``width_m`` wide centred on ``route``, with square ends: width x length.

    Parameters
    ----------
    route : BaseGeometry
        A line in EPSG:4326, (longitude, latitude) degrees.
    width_m : float
        The band's full width in metres (the Lachin corridor: 5,000).

    Returns
    -------
    BaseGeometry
        A valid polygon in EPSG:4326, buffered in a local transverse Mercator CRS so the
        width is true on the ground, its edges densified every 500 m on the way back.
    """
    crs = local_metric_crs(route)
    band = to_metric(route, crs).buffer(width_m / 2.0, cap_style="flat", join_style="round")
    return shapely.make_valid(from_metric(band, crs))


def strip_along(
    border: BaseGeometry,
    country: BaseGeometry,
    depth_m: float,
    lon_range: tuple[float, float] | None = None,
    exclude: BaseGeometry | None = None,
) -> BaseGeometry:
    """The part of ``country`` within ``depth_m`` of ``border``, optionally between two meridians.

    This is how the Sochi memorandum describes its zones: a depth measured from the border
    into Syria, between named towns (taken as meridians), with places left out.

    Parameters
    ----------
    border, country : BaseGeometry
        A line and a polygon in EPSG:4326, (longitude, latitude) degrees.
    depth_m : float
        Metres from the border, measured in a local metric CRS.
    lon_range : (float, float), optional
        (west, east) longitudes in degrees bounding the strip.
    exclude : BaseGeometry, optional
        Areas left out (a town the memorandum excepts).

    Returns
    -------
    BaseGeometry
        A valid (multi)polygon in EPSG:4326; empty where nothing is left.
    """
    crs = local_metric_crs(border)
    band = from_metric(to_metric(border, crs).buffer(depth_m, join_style="round"), crs)
    strip = shapely.intersection(band, country)
    if lon_range is not None:
        west, east = lon_range
        s, n = -90.0, 90.0
        strip = shapely.intersection(strip, shapely.box(west, s, east, n))
    if exclude is not None:
        strip = shapely.difference(strip, exclude)
    polys = [g for g in shapely.get_parts(strip) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.make_valid(shapely.union_all(polys)) if polys else shapely.Polygon()


def max_distance_m(geom: BaseGeometry, to: BaseGeometry) -> float:
    """How far the farthest point of ``geom`` lies from ``to`` (Hausdorff-style, metres)."""
    crs = local_metric_crs(to)
    g, t = to_metric(geom, crs), to_metric(to, crs)
    coords = shapely.points(shapely.get_coordinates(g))
    return float(shapely.distance(coords, t).max())


def disc(lon: float, lat: float, radius_m: float) -> BaseGeometry:
    """A circle of ``radius_m`` on the ground around a point."""
    p = shapely.Point(lon, lat)
    crs = local_metric_crs(p)
    return from_metric(to_metric(p, crs).buffer(radius_m, quad_segs=16), crs)


def in_window(
    valid_from: object, valid_to: object, start: object | None, end: object | None
) -> bool:
    """Whether a thing that existed from ``valid_from`` to ``valid_to`` overlaps a window.

    Empty bounds are open: no ``valid_to`` means still current.
    """
    lo = valid_from or None
    hi = valid_to or None
    if end is not None and lo is not None and str(lo) > str(end):
        return False
    return not (start is not None and hi is not None and str(hi) < str(start))


# Drawing may move a vertex by at most this share of the feature's own size (its bbox's
# longer side), so a 20 m building keeps its corners at every zoom while a country is
# simplified by the full tolerance. 1/100 is under a pixel until the feature is 100 px wide.
DISPLAY_RELATIVE_TOLERANCE = 0.01
MIN_GRID_DEG = 1e-6  # about 0.1 m: finer digits say nothing on any map


def simplify_for_display(
    frame: gpd.GeoDataFrame, tolerance: float, digits: int = 5
) -> gpd.GeoDataFrame:
    """Fewer vertices for the browser, neighbours kept gap-free, coordinates rounded.

    ``tolerance`` (in the CRS's units, degrees for EPSG:4326) and the rounding to
    ``digits`` decimals apply in full only to features large enough for them not to show:
    each feature is simplified and rounded by at most `DISPLAY_RELATIVE_TOLERANCE` of its
    own extent, so the error relative to the feature is the same at every scale it is drawn
    at. Large polygons are simplified as one coverage so shared edges move together; the
    rest alone. Measurements are never taken on the result.

    Parameters
    ----------
    frame : GeoDataFrame
        Features in EPSG:4326, (longitude, latitude) degrees.
    tolerance : float
        The largest vertex move, in degrees, for features large enough to hide it.
    digits : int, default 5
        Decimals kept in coordinates (5 ≈ 1 m).

    Returns
    -------
    GeoDataFrame
        A copy with simplified geometry, same CRS, same rows and columns. For drawing only:
        measure on the unsimplified frame.
    """
    out = frame.copy()
    geoms = out.geometry
    values = np.asarray(geoms.values)
    bounds = shapely.bounds(values)
    extent = np.nan_to_num(np.maximum(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1]))
    own = extent * DISPLAY_RELATIVE_TOLERANCE
    tol = np.minimum(tolerance, own)
    polygonal = geoms.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
    coverage = polygonal & (own >= tolerance)
    simplified = values.copy()
    if coverage.any():
        simplified[coverage] = geoms[coverage].simplify_coverage(tolerance).values
    rest = ~coverage & (tol > 0)
    if rest.any():
        simplified[rest] = shapely.simplify(values[rest], tol[rest], preserve_topology=True)
    grid = np.clip(own, MIN_GRID_DEG, 10.0**-digits)
    rounded = shapely.set_precision(simplified, grid)
    out[out.geometry.name] = gpd.GeoSeries(rounded, index=geoms.index, crs=geoms.crs)
    return out


def round_coordinates(geoms: gpd.GeoSeries, digits: int) -> gpd.GeoSeries:
    """Round every coordinate (the last digits cost bytes and say nothing at map scale)."""
    rounded = shapely.set_precision(np.asarray(geoms.values), 10.0**-digits)
    return gpd.GeoSeries(rounded, index=geoms.index, crs=geoms.crs)


def measure(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """Geodesic length (lines) or area (polygons) of each feature, official figure beside.

    Measured on whatever geometry is passed in: pass the layer as stored (unsimplified).

    Parameters
    ----------
    frame : GeoDataFrame
        Features in EPSG:4326, (longitude, latitude) degrees; optional columns
        ``official_length_km`` and ``official_source`` give the published figure.

    Returns
    -------
    DataFrame
        One row per line or polygon: ``id``, ``name``, ``measure`` ("length_km" or
        "area_km2"), ``value`` (geodesic on the WGS84 ellipsoid, km or km²), ``official``,
        ``official_source`` and ``difference_pct`` (measured against official, in percent).
        Points are left out.
    """
    geoms = frame.geometry
    lines = geoms.geom_type.isin(["LineString", "MultiLineString"])
    polys = geoms.geom_type.isin(["Polygon", "MultiPolygon"])
    keep = lines | polys
    out = pd.DataFrame(
        {
            "id": frame.loc[keep, "id"] if "id" in frame else None,
            "name": frame.loc[keep, "name"] if "name" in frame else None,
            "measure": ["length_km" if is_line else "area_km2" for is_line in lines[keep]],
            "value": [
                geodesic_length_km(g) if is_line else geodesic_area_km2(g)
                for g, is_line in zip(geoms[keep], lines[keep], strict=True)
            ],
        }
    )
    official = frame.get("official_length_km")
    out["official"] = (
        pd.to_numeric(official[keep], errors="coerce") if official is not None else float("nan")
    )
    out["official_source"] = frame["official_source"][keep] if "official_source" in frame else ""
    out["difference_pct"] = (out["value"] - out["official"]) / out["official"] * 100.0
    return out.reset_index(drop=True)


def drop_small_parts(geoms: gpd.GeoSeries, min_area: float) -> gpd.GeoSeries:
    """Polygon parts smaller than ``min_area`` (in the CRS's units) removed, for drawing."""
    parts = geoms.explode(index_parts=False)
    keep = ~parts.geom_type.isin(["Polygon"]) | (shapely.area(parts.values) >= min_area)
    merged = parts[keep].groupby(level=0).agg(lambda g: shapely.union_all(g.values))
    out = geoms.copy()
    out[merged.index] = merged.values
    return out


def gap_at(areas: gpd.GeoSeries, lon: float, lat: float) -> Polygon | None:
    """The gap that ``areas`` (polygons, lon/lat) enclose around (lon, lat): the hole of
    their union holding that point, else None. Natural Earth's German edition assigns the
    Golan Heights to no country, and the map drew sea there."""
    point = shapely.Point(lon, lat)
    union = shapely.union_all(areas.values)
    for part in getattr(union, "geoms", [union]):
        for ring in getattr(part, "interiors", []):
            hole = Polygon(ring)
            if hole.contains(point):
                return hole
    return None


def _clean(value: object) -> object:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _rounded(obj: object, digits: int) -> object:
    if isinstance(obj, float):
        return round(obj, digits)
    if isinstance(obj, list | tuple):
        return [_rounded(o, digits) for o in obj]
    return obj


def dumps_features(features: list[dict], digits: int, name: str = "") -> str:
    """Deterministic GeoJSON: fixed key order, rounded coordinates, one feature a line."""
    lines = []
    for feature in features:
        geom = feature["geometry"]
        mapping = shapely.geometry.mapping(geom) if not isinstance(geom, dict) else geom
        geometry = {
            "type": mapping["type"],
            "coordinates": _rounded(mapping["coordinates"], digits),
        }
        props = {k: _clean(v) for k, v in feature["properties"].items()}
        body = {"type": "Feature", "properties": props, "geometry": geometry}
        lines.append(json.dumps(body, ensure_ascii=False, separators=(",", ":")))
    head = json.dumps({"type": "FeatureCollection", "name": name}, ensure_ascii=False)[:-1]
    return head + ', "features": [\n' + ",\n".join(lines) + "\n]}\n"
