"""Framing a view: a theatre, a bounding box or a centre and zoom, and the ground it covers.

`frame_view` turns the command line's ``--theatre ID``, ``--bbox W,S,E,N`` and
``--center LAT,LON --zoom Z`` into a `ViewSpec`'s centre and zoom; `add_framing_arguments`
gives any command (``snapshot``, an atlas) the same options, so they are parsed and
checked in one place. `view_size_m` says how much ground a view's map shows, which the map
plan needs to keep precision halos legible.
"""

from __future__ import annotations

import math

import pandas as pd

from regionmap._catalog import BBox, Catalog, LatLon
from regionmap._errors import ViewError
from regionmap._settings import MAP_HEIGHT_PX
from regionmap._spec import ViewSpec, fit_view, zoom_value
from regionmap._symbology import HALO_MAX_SHARE, HALO_RADIUS_M, halo_share

EQUATOR_M = 40_075_016.686  # the Web Mercator world's width at zoom 0, metres
M_PER_DEG_LAT = 110_574.0
M_PER_DEG_LON = 111_320.0  # at the equator; times cos(latitude)
# A framed view fits a square map as tall as the dashboard's: the print map frames a
# centre and zoom at that height, the browser PNG is larger, so both show the whole box.
FRAME_PX = (MAP_HEIGHT_PX, MAP_HEIGHT_PX)


def view_size_m(
    spec: ViewSpec, bounds: BBox, size_px: tuple[int, int] | None = None
) -> tuple[float, float]:
    """(width, height) in metres of ground a view's map shows, near its centre.

    Parameters
    ----------
    spec : ViewSpec
        With ``center`` (lat, lon) and ``zoom`` set, the map shows ``size_px`` pixels at
        that Web Mercator zoom; without them it is fitted to ``bounds``.
    bounds : BBox
        (west, south, east, north) in degrees, what a view without a centre shows.
    size_px : (int, int), optional
        The map's (width, height) in CSS pixels; default a square `MAP_HEIGHT_PX` high,
        the smallest map a view is drawn on (the dashboard's, the print map's frame).
    """
    width_px, height_px = size_px or FRAME_PX
    if spec.center is not None and spec.zoom is not None:
        lat = max(-85.0, min(85.0, spec.center[0]))
        per_px = EQUATOR_M * math.cos(math.radians(lat)) / (256 * 2.0**spec.zoom)
        return width_px * per_px, height_px * per_px
    west, south, east, north = bounds
    cos_lat = max(0.05, math.cos(math.radians((south + north) / 2)))
    return (east - west) * M_PER_DEG_LON * cos_lat, (north - south) * M_PER_DEG_LAT


def check_bbox(bbox: tuple[float, ...]) -> BBox:
    """``bbox`` as (west, south, east, north) degrees, or `ViewError` saying what is wrong.

    Parameters
    ----------
    bbox : tuple of float
        (west, south, east, north) in degrees, EPSG:4326.

    Returns
    -------
    BBox
        The same four numbers as floats.

    Raises
    ------
    ViewError
        Not four numbers, west ≥ east, south ≥ north, or outside ±180° / ±90°.
    """
    if len(bbox) != 4:
        raise ViewError(f"a bbox is WEST,SOUTH,EAST,NORTH in degrees, got {len(bbox)} numbers")
    west, south, east, north = (float(v) for v in bbox)
    if not (-180 <= west < east <= 180):
        raise ViewError(f"bbox: west {west} must be less than east {east}, both in -180..180")
    if not (-90 <= south < north <= 90):
        raise ViewError(f"bbox: south {south} must be less than north {north}, both in -90..90")
    return west, south, east, north


def frame_view(
    spec: ViewSpec,
    catalog: Catalog,
    *,
    theatre: str | None = None,
    bbox: BBox | None = None,
    center: LatLon | None = None,
    zoom: float | None = None,
    size_px: tuple[int, int] = FRAME_PX,
) -> ViewSpec:
    """``spec`` framed on a theatre's box, a bounding box, or a centre and zoom.

    Parameters
    ----------
    theatre : str, optional
        A catalog theatre id: its box is fitted (see `fit_view`).
    bbox : BBox, optional
        (west, south, east, north) in degrees (lon, lat order), fitted the same way.
    center : LatLon, optional
        (latitude, longitude) in degrees, as folium takes it; needs ``zoom``.
    zoom : float, optional
        Web Mercator zoom 1–18, rounded to quarter steps (`zoom_value`); with a theatre
        or a box it replaces the fitted zoom.
    size_px : (int, int)
        The map (width, height) in CSS pixels a box is fitted to.

    Returns
    -------
    ViewSpec
        ``spec`` with ``center`` and ``zoom`` set; unchanged when nothing is given.

    Raises
    ------
    ViewError
        More than one framing, an unknown theatre, a bad box, a centre without a zoom, or
        a centre or zoom out of range.
    """
    given = [
        name for name, v in (("--theatre", theatre), ("--bbox", bbox), ("--center", center)) if v
    ]
    if len(given) > 1:
        raise ViewError(f"frame the view one way: {' and '.join(given)} were both given")
    if zoom is not None:
        if not (isinstance(zoom, int | float) and 1 <= zoom <= 18):
            raise ViewError(f"zoom must be 1..18, got {zoom}")
        zoom = zoom_value(zoom)
    if theatre is not None:
        if theatre not in catalog.theatre_ids:
            raise ViewError(f"unknown theatre {theatre!r}; known: {', '.join(catalog.theatre_ids)}")
        bbox = catalog.theatre(theatre).bbox
    if bbox is not None:
        fitted_center, fitted_zoom = fit_view(check_bbox(tuple(bbox)), *size_px)
        return spec.replace(center=fitted_center, zoom=zoom or fitted_zoom)
    if center is not None:
        lat, lon = center
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ViewError(f"center is LAT,LON in degrees, got {lat},{lon}")
        if zoom is None:
            raise ViewError("--center needs --zoom Z (1..18)")
        return spec.replace(center=(float(lat), float(lon)), zoom=zoom)
    if zoom is not None:
        if spec.center is None:
            raise ViewError("--zoom needs --center LAT,LON, --theatre ID or --bbox W,S,E,N")
        return spec.replace(zoom=zoom)
    return spec


def union_bbox(boxes: list[BBox]) -> BBox | None:
    """The (west, south, east, north) box around ``boxes`` (degrees); None for none."""
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def bbox_overlaps(box: BBox | None, other: BBox) -> bool:
    """Whether two (west, south, east, north) boxes share ground; touching counts, and a
    missing ``box`` (a layer that draws nothing) never does."""
    if box is None:
        return False
    return box[0] <= other[2] and other[0] <= box[2] and box[1] <= other[3] and other[1] <= box[3]


def view_box(spec: ViewSpec, bounds: BBox, size_px: tuple[int, int] | None = None) -> BBox:
    """(west, south, east, north) degrees a view's map shows: ``bounds`` when it is fitted
    to them, else the ground of `view_size_m` around its centre."""
    if spec.center is None or spec.zoom is None:
        return bounds
    width, height = view_size_m(spec, bounds, size_px)
    lat, lon = spec.center
    half_lon = width / 2 / (M_PER_DEG_LON * max(0.05, math.cos(math.radians(lat))))
    half_lat = height / 2 / M_PER_DEG_LAT
    return (lon - half_lon, lat - half_lat, lon + half_lon, lat + half_lat)


def halo_decision(
    spec: ViewSpec,
    bounds: BBox,
    size_px: tuple[int, int] | None = None,
    events: pd.DataFrame | None = None,
) -> tuple[dict[int, int], dict[int, int]]:
    """Which precision halos a view's map can draw, and which it draws "approximate".

    Halos bury what they surround when together they cover more than `HALO_MAX_SHARE`
    of the map's area (`view_size_m`): three ±15 km discs over the 5 km Lachin corridor
    at zoom 9 each took under 1/20 of the map, and together hid it. So the halos of the
    places in view (``events``' distinct ``longitude``/``latitude``, degrees, whose disc
    reaches `view_box`) are summed, smallest radius first; a radius whose halos would
    take the sum past the share, and every larger one, is drawn "approximate ± N km" (a
    ring of fixed size) instead. Without ``events`` one halo of each radius is counted.

    Returns
    -------
    (dict, dict)
        {geo_precision: radius m} drawn as halos, {geo_precision: radius m} drawn
        approximate.
    """
    view_m = view_size_m(spec, bounds, size_px)
    west, south, east, north = view_box(spec, bounds, size_px)
    fits: dict[int, int] = {}
    total = 0.0
    for code, radius in sorted(HALO_RADIUS_M.items(), key=lambda kv: kv[1]):
        places = 1
        if events is not None and len(events):
            rows = events[pd.to_numeric(events["geo_precision"], errors="coerce") == code]
            pad_lat = radius / M_PER_DEG_LAT
            pad_lon = radius / (M_PER_DEG_LON * max(0.05, math.cos(math.radians(south))))
            lon, lat = rows["longitude"].astype(float), rows["latitude"].astype(float)
            near = lon.between(west - pad_lon, east + pad_lon)
            near &= lat.between(south - pad_lat, north + pad_lat)
            places = len(set(zip(lon[near].round(4), lat[near].round(4), strict=True)))
        total += places * halo_share(radius, view_m)
        if total > HALO_MAX_SHARE:
            break
        fits[code] = radius
    return fits, {p: r for p, r in HALO_RADIUS_M.items() if p not in fits}
