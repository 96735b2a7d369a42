"""How things look, decided once for every renderer: event symbols, halos, the inactive rule.

The web map (Leaflet) and the print map (matplotlib) each translate these into their own
idiom (a Leaflet style dict; matplotlib colours in points), so a PNG, an HTML page and a
print map of one view agree. Sizes are CSS pixels as Leaflet draws them; the print
renderer converts them to points. Nothing here draws.
"""

from __future__ import annotations

from dataclasses import dataclass

from regionmap._catalog import Style

# ACLED's event types; anything else (UCDP's types, a user's own) draws as "Other".
EVENT_SYMBOLS: dict[str, tuple[str, str]] = {
    "Battles": ("#d7301f", "triangle"),
    "Explosions/Remote violence": ("#fc8d59", "star"),
    "Violence against civilians": ("#7f0000", "square"),
    "Protests": ("#3182bd", "circle"),
    "Riots": ("#756bb1", "circle"),
    "Strategic developments": ("#1b9e77", "diamond"),
}
OTHER_SYMBOL = ("#636363", "circle")
# Halo radius in metres by ACLED geo_precision: 2 = near the named place, 3 = its region.
HALO_RADIUS_M = {2: 15_000, 3: 60_000}
INACTIVE_COLOR = "#9e9e9e"
INACTIVE_DASH = "4 6"  # CSS pixels, dash then gap
SPAN_LABEL = "span (start – end), hollow"
HALO_LABEL = "imprecise place (15 / 60 km halo)"
INACTIVE_LABEL = "not in force in the window (grey, dashed)"
AGGREGATED_LABEL = (
    "Aggregated: circles count events per grid cell; filter or zoom in for single events"
)


def symbol_for(event_type: str) -> tuple[str, str]:
    """``(colour, shape)`` of an event type's marker; shape is circle, square, diamond,
    triangle or star."""
    return EVENT_SYMBOLS.get(event_type, OTHER_SYMBOL)


@dataclass(frozen=True)
class Look:
    """One feature's stroke and fill, in CSS pixels: what both renderers draw.

    ``dash`` is a Leaflet ``dashArray`` ("8 6"; empty for solid); ``radius`` is a point
    feature's circle radius."""

    color: str
    weight: float
    dash: str
    fill_color: str
    fill_opacity: float
    opacity: float
    radius: float


def feature_look(style: Style, active: bool) -> Look:
    """A layer's style for a feature in force in the window, or the inactive rule's grey.

    A feature not in force in the window (before its ``valid_from``, after its
    ``valid_to``) is drawn grey, thinner and dashed, so a reader sees it existed but does
    not hold then; its fill nearly vanishes.
    """
    if not active:
        return Look(
            color=INACTIVE_COLOR,
            weight=max(1.0, style.weight * 0.6),
            dash=INACTIVE_DASH,
            fill_color=INACTIVE_COLOR,
            fill_opacity=0.08 if style.fill_opacity else 0.0,
            opacity=0.7,
            radius=style.radius,
        )
    return Look(
        color=style.color,
        weight=style.weight,
        dash=style.dash,
        fill_color=style.fill_color or style.color,
        fill_opacity=style.fill_opacity,
        opacity=0.95,
        radius=style.radius,
    )
