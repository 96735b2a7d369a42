"""Where the print map looks: its extent, the axes size that shows it, what falls outside.

Owns: the (west, south, east, north) extent in degrees for a view and an axes shape, the
size in inches of axes that show an extent undistorted, and which events lie off the map.
Extents are lon/lat degrees on plate carrée axes whose aspect is 1/cos(middle latitude).

Must not: draw, or know about the legend or text; the page layout (`_layout`) asks.
"""

from __future__ import annotations

import math

import pandas as pd

from regionmap._catalog import BBox
from regionmap._dataset import Dataset
from regionmap._plan import theatres_bbox
from regionmap._settings import MAP_HEIGHT_PX
from regionmap._spec import ViewSpec

REFERENCE_MAP_HEIGHT_PX = MAP_HEIGHT_PX  # the dashboard's map: what a centre + zoom showed


def _merc(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _inv_merc(y: float) -> float:
    return math.degrees(math.atan(math.sinh(y)))


def map_extent(spec: ViewSpec, dataset: Dataset, box_ratio: float) -> BBox:
    """The map's extent for axes ``box_ratio`` high/wide.

    A centre and zoom from the web map frame what the dashboard showed: its map is
    ``REFERENCE_MAP_HEIGHT_PX`` (620) pixels tall, so the same zoom gives the same
    north-south span here whatever the output size; the width follows the axes' shape.
    Without them the theatres are framed (3 % padding), grown to the axes' shape but kept
    inside the catalog's region (beyond it there is no basemap, which would read as sea);
    when the region is too small for that, the extent is cut to the region and the axes
    shrink instead (see `axes_size`).

    Parameters
    ----------
    spec : ViewSpec
        The view; ``spec.center`` is (lat, lon) in degrees and ``spec.zoom`` a Web
        Mercator zoom, used only when both are set.
    dataset : Dataset
        Its catalog gives the theatres' boxes and the region.
    box_ratio : float
        Height / width of the axes, in inches (> 0).

    Returns
    -------
    tuple of float
        (west, south, east, north) in degrees lon/lat (EPSG:4326); south and north are
        kept within ±89°.
    """
    if spec.center is not None and spec.zoom is not None:
        lat, lon = spec.center
        world = 256 * 2.0**spec.zoom
        half_y = REFERENCE_MAP_HEIGHT_PX / 2 * 2 * math.pi / world
        yc = _merc(max(-85.0, min(85.0, lat)))
        south, north = _inv_merc(yc - half_y), _inv_merc(yc + half_y)
        half_lon = REFERENCE_MAP_HEIGHT_PX / box_ratio / 2 * 360 / world
        west, east = lon - half_lon, lon + half_lon
        pad, region = 0.0, None
    else:
        west, south, east, north = theatres_bbox(dataset.catalog)
        pad, region = 0.03, dataset.catalog.region_bbox
    cx, cy = (west + east) / 2, (south + north) / 2
    dx, dy = (east - west) * (1 + 2 * pad), (north - south) * (1 + 2 * pad)
    cos_lat = max(0.05, math.cos(math.radians(cy)))
    # On axes with aspect 1/cos(lat) a box w wide shows w * ratio * cos(lat) of latitude.
    if dy < dx * box_ratio * cos_lat:
        dy = dx * box_ratio * cos_lat
    else:
        dx = dy / (box_ratio * cos_lat)
    if region is not None:
        r_west, r_south, r_east, r_north = region
        dx, dy = min(dx, r_east - r_west), min(dy, r_north - r_south)
        cx = min(max(cx, r_west + dx / 2), r_east - dx / 2)
        cy = min(max(cy, r_south + dy / 2), r_north - dy / 2)
    south, north = max(-89.0, cy - dy / 2), min(89.0, cy + dy / 2)
    return (cx - dx / 2, south, cx + dx / 2, north)


def axes_size(extent: BBox, room_w: float, room_h: float) -> tuple[float, float]:
    """The axes (width, height) in inches that show ``extent`` undistorted in the room.

    ``extent`` is (west, south, east, north) in degrees; ``room_w`` and ``room_h`` are the
    inches available. One side fills the room, the other follows the extent's shape.
    """
    west, south, east, north = extent
    ratio = (north - south) / ((east - west) * math.cos(math.radians((south + north) / 2)))
    if ratio > room_h / room_w:
        return room_h / ratio, room_h
    return room_w, room_w * ratio


def off_map(events: pd.DataFrame, extent: BBox) -> pd.Series:
    """True for each event (row) outside ``extent`` or without a usable position.

    ``events`` has ``longitude`` and ``latitude`` columns in degrees; ``extent`` is
    (west, south, east, north) in degrees. The result shares ``events``' index.
    """
    west, south, east, north = extent
    lon = pd.to_numeric(events["longitude"], errors="coerce")
    lat = pd.to_numeric(events["latitude"], errors="coerce")
    return ~(lon.between(west, east) & lat.between(south, north))
