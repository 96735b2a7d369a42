"""How things look on the print map: the decisions, kept apart from the drawing.

Owns: the inactive rule (a feature is active when its validity overlaps the date window),
the look of an active or an inactive feature (colours, fill, width, dash pattern), the
land's colours, each event type's colour, marker and size, the halo of an imprecise place,
and the page's colours. Widths and marker sizes are in points and grow with the figure's
scale ``s``; web styles are in CSS pixels, converted with ``PX_TO_PT``.

Must not: touch a figure or axes or build artists; `_geometry` and `_legend` draw with
these values. The web map's equivalents (``INACTIVE_COLOR``, ``HALO_RADIUS_M``,
``symbol_for``) are imported here and nowhere else in ``plot``, so that a shared map plan
and ``symbology`` module can replace this module's decisions in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.colors import to_rgba

from regionmap.catalog import Style
from regionmap.compose import in_window
from regionmap.symbology import HALO_RADIUS_M, INACTIVE_COLOR, symbol_for

RGBA = tuple[float, float, float, float]

PX_TO_PT = 0.72  # a Leaflet CSS pixel at 100 dpi-equivalent, in points
MARKERS = {"circle": "o", "square": "s", "diamond": "D", "triangle": "^", "star": "*"}
SEA_COLOR = "#e4edf3"
LAND_COLOR = "#f3f1ea"  # the basemap's fill when its style has none
INK = "#222222"
MUTED = "#555555"
HALO_FACE = to_rgba("#000000", 0.06)
HALO_EDGE = "#666666"
HALO_DASH = (0, (3, 3))
HOLLOW_EDGE = "#444444"  # the legend's sample of a span (its events are hollow)
INACTIVE_KEY_STYLE = Style(weight=3.0)  # the legend's sample of "not in force"
HALO_PRECISIONS = tuple(HALO_RADIUS_M)  # the geo_precision codes that get a halo


def _value(v: object) -> object:
    """None for the empty values a GeoJSON/CSV column may hold (NaN, NA, '')."""
    if v is None or v == "":
        return None
    try:
        return None if pd.isna(v) else v
    except (TypeError, ValueError):
        return v


def active_in_window(frame: pd.DataFrame, start: dt.date | None, end: dt.date | None) -> np.ndarray:
    """The inactive rule: which features existed at some time in the window.

    Parameters
    ----------
    frame : DataFrame
        A layer's features; optional ``valid_from`` and ``valid_to`` columns (ISO dates,
        empty when open). A missing column counts as empty.
    start, end : date or None
        The window; None is open.

    Returns
    -------
    ndarray of bool, shape (len(frame),)
        True where the feature is in force in the window (drawn in its own style).
    """
    froms = frame["valid_from"] if "valid_from" in frame else [None] * len(frame)
    tos = frame["valid_to"] if "valid_to" in frame else [None] * len(frame)
    return np.array(
        [in_window(_value(a), _value(b), start, end) for a, b in zip(froms, tos, strict=True)],
        dtype=bool,
    )


def dashes(dash: str, lw_pt: float, px: float) -> tuple[float, tuple[float, ...]] | str:
    """A Leaflet dashArray ("8 6", pixels) as a matplotlib dash tuple; ``px`` points a pixel.

    matplotlib multiplies dash lengths by the line width (``lines.scale_dashes``), so
    divide first to keep the pattern in pixels as on the web map.
    """
    try:
        values = [float(v) * px for v in dash.replace(",", " ").split()]
    except ValueError:
        values = []
    if not values or not any(values):
        return "solid"
    if len(values) % 2:
        values *= 2
    scale = lw_pt if mpl.rcParams["lines.scale_dashes"] and lw_pt > 0 else 1.0
    return (0.0, tuple(v / scale for v in values))


@dataclass(frozen=True)
class Look:
    """Resolved drawing properties for one layer, active or not in force."""

    edge: RGBA
    face: RGBA
    lw: float  # points
    linestyle: object  # "solid" or a matplotlib dash tuple
    marker_size: float  # points, diameter


def feature_look(style: Style, active: bool, s: float) -> Look:
    """The web map's feature style, in points, scaled with the figure like its text.

    Parameters
    ----------
    style : Style
        The layer's catalog style (CSS pixels, colours, Leaflet dash pattern).
    active : bool
        False draws the inactive look: grey, thinner, dashed "4 6", a faint fill only
        where the style fills.
    s : float
        The figure's scale (1 at 1600 × 1000 pixels).
    """
    px = PX_TO_PT * s
    diameter = 2 * style.radius * px
    if not active:
        lw = max(1.0, style.weight * 0.6) * px
        return Look(
            edge=to_rgba(INACTIVE_COLOR, 0.7),
            face=to_rgba(INACTIVE_COLOR, 0.08 if style.fill_opacity else 0.0),
            lw=lw,
            linestyle=dashes("4 6", lw, px),
            marker_size=diameter,
        )
    lw = style.weight * px
    return Look(
        edge=to_rgba(style.color, 0.95),
        face=to_rgba(style.fill_color or style.color, style.fill_opacity),
        lw=lw,
        linestyle=dashes(style.dash, lw, px),
        marker_size=diameter,
    )


def land_face(style: Style) -> RGBA:
    """The basemap's fill colour: its style's, else ``LAND_COLOR``; opaque unless styled."""
    return to_rgba(style.fill_color or LAND_COLOR, style.fill_opacity or 1.0)


def land_width(style: Style, s: float) -> float:
    """The basemap's outline width in points."""
    return style.weight * PX_TO_PT * s


def event_symbol(event_type: str) -> tuple[str, str]:
    """(colour, shape) of an event type's marker, as on the web map."""
    return symbol_for(event_type)


def event_marker(shape: str) -> str:
    """The matplotlib marker for a web map shape name; a circle for an unknown one."""
    return MARKERS.get(shape, "o")


def event_marker_size(shape: str, base: float) -> float:
    """Marker diameter in points: stars larger, squares and diamonds smaller than ``base``."""
    return base * (1.35 if shape == "star" else 0.9 if shape in ("square", "diamond") else 1.0)


def halo_radius_km(geo_precision: int) -> float:
    """Radius of the halo around an event placed with ``geo_precision`` (0 for none)."""
    return HALO_RADIUS_M.get(int(geo_precision), 0) / 1000
