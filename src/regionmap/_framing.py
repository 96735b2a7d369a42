"""Framing a view: a theatre, a bounding box or a centre and zoom, and the ground it covers.

`frame_view` turns the command line's ``--theatre ID``, ``--bbox W,S,E,N`` and
``--center LAT,LON --zoom Z`` into a `ViewSpec`'s centre and zoom; `add_framing_arguments`
gives any command (``snapshot``, an atlas) the same options, so they are parsed and
checked in one place. `view_size_m` says how much ground a view's map shows, which the map
plan needs to keep precision halos legible.
"""

from __future__ import annotations

import math

from regionmap._catalog import BBox, Catalog, LatLon
from regionmap._errors import ViewError
from regionmap._settings import MAP_HEIGHT_PX
from regionmap._spec import ViewSpec, fit_view

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
    zoom: int | None = None,
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
    zoom : int, optional
        Web Mercator zoom 1–18; with a theatre or a box it replaces the fitted zoom.
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
    if zoom is not None and not 1 <= zoom <= 18:
        raise ViewError(f"zoom must be 1..18, got {zoom}")
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
