"""How things look on the print map: the decisions, kept apart from the drawing.

Owns: the inactive rule (a feature is active when its validity overlaps the date window),
the look of an active or an inactive feature (colours, fill, width, dash pattern), the
land's colours, each event type's colour, marker and size, the halo of an imprecise place,
and the page's colours. Widths and marker sizes are in points and grow with the figure's
scale ``s``; web styles are in CSS pixels, converted with ``PX_TO_PT``.

Must not: touch a figure or axes or build artists; `_geometry` and `_legend` draw with
these values. The web map's equivalents (``INACTIVE_COLOR``, the plan's halos,
``symbol_for``) are imported here and nowhere else in ``plot``, so that a shared map plan
and ``symbology`` module can replace this module's decisions in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib as mpl
from matplotlib.colors import to_rgba

from regionmap import _symbology as symbology
from regionmap._catalog import Style
from regionmap._symbology import symbol_for

RGBA = tuple[float, float, float, float]

PX_TO_PT = 0.72  # a Leaflet CSS pixel at 100 dpi-equivalent, in points
MARKERS = {"circle": "o", "square": "s", "diamond": "D", "triangle": "^", "star": "*"}
LAND_COLOR = "#f3f1ea"  # the basemap's fill when its style has none
INK = "#222222"
MUTED = "#555555"
HALO_FACE = to_rgba("#000000", 0.06)
HALO_EDGE = "#666666"
HALO_DASH = (0, (3, 3))
HOLLOW_EDGE = "#444444"  # the legend's sample of a span (its events are hollow)
INACTIVE_KEY_STYLE = Style(weight=3.0)  # the legend's sample of "not in force"


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
    """`regionmap._symbology.feature_look` (the web map's look and the inactive rule), in
    points, scaled with the figure like its text.

    Parameters
    ----------
    style : Style
        The layer's catalog style (CSS pixels, colours, Leaflet dash pattern).
    active : bool
        False draws the inactive look: grey, thinner, dashed, a faint fill only where the
        style fills.
    s : float
        The figure's scale (1 at 1600 × 1000 pixels).
    """
    return print_look(symbology.feature_look(style, active), s)


def print_look(look: symbology.Look, s: float) -> Look:
    """A plan's `regionmap._symbology.Look` (CSS pixels) in points at the figure's scale."""
    px = PX_TO_PT * s
    lw = look.weight * px
    return Look(
        edge=to_rgba(look.color, look.opacity),
        face=to_rgba(look.fill_color, look.fill_opacity),
        lw=lw,
        linestyle=dashes(look.dash, lw, px),
        marker_size=2 * look.radius * px,
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
