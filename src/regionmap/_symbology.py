"""How things look, decided once for every renderer: event symbols, halos, the inactive rule.

The web map (Leaflet) and the print map (matplotlib) each translate these into their own
idiom (a Leaflet style dict; matplotlib colours in points), so a PNG, an HTML page and a
print map of one view agree. Sizes are CSS pixels as Leaflet draws them; the print
renderer converts them to points. Nothing here draws.
"""

from __future__ import annotations

import dataclasses
import math
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
SEA_COLOR = "#e4edf3"  # both renderers: what the offline basemap's land lies on
# beyond the region the offline basemap is clipped to: no data, not sea
OUTSIDE_COLOR = "#d6d6d6"
INACTIVE_DASH = "4 6"  # CSS pixels, dash then gap
SPAN_LABEL = "span (start – end), hollow"
# The halos in view may together cover at most this share of the map's area: beyond it
# discs bury what they surround, so events are drawn "approximate ± N km" (a dashed ring
# of fixed size) instead. The ceiling is a quarter for one halo; at a quarter three
# 15 km halos buried the Lachin corridor at zoom 10 (a new user's report), and at a
# twentieth each they still did at zoom 9, so the share is for all of them together.
HALO_MAX_SHARE = 0.05
APPROX_RING_PX = 14  # the approximate style's ring radius, CSS pixels (map.css: .rm-approx-ring)
APPROX_DASH = "2 3"
# Older dated variants of a layer (the 2020 Lachin route beside the 2022 one): darker, and
# dashed where the layer is solid, so two periods never share one look.
VARIANT_DASH = "10 5"
VARIANT_DARKEN = 0.45
INACTIVE_LABEL = "not in force in the window (grey, dashed)"
AGGREGATED_LABEL = (
    "Aggregated: circles count events per grid cell; filter or zoom in for single events"
)


def halo_label(radii_m: list[int]) -> str:
    """The legend's halo row for the radii drawn, e.g. "imprecise place (15 km halo)"."""
    km = " / ".join(f"{r // 1000}" for r in sorted(radii_m))
    return f"imprecise place ({km} km halo)"


def approx_text(radius_m: int) -> str:
    """What an event too imprecise for a halo says beside its marker: "± 60 km"."""
    return f"± {radius_m // 1000} km"


def approx_label(radii_m: list[int]) -> str:
    """The legend's row for events drawn "approximate ± N km" instead of a halo."""
    km = " / ".join(f"{r // 1000}" for r in sorted(radii_m))
    return f"approximate place (± {km} km): dashed ring; its halo would bury the map"


def halo_share(radius_m: float, view_m: tuple[float, float]) -> float:
    """Share of a map ``view_m`` = (width, height) metres that a halo of ``radius_m``
    metres covers at most (its whole disc, wherever it lies)."""
    width, height = view_m
    return math.pi * radius_m**2 / max(width * height, 1.0)


def _darker(color: str, amount: float) -> str:
    """``color`` (#rrggbb) mixed ``amount`` (0..1) toward black."""
    r, g, b = (int(color.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return "#" + "".join(f"{round(c * (1 - amount)):02x}" for c in (r, g, b))


def variant_look(look: Look, older: bool) -> Look:
    """A dated variant's look: the newest period keeps ``look``; an older one is darker
    and dashed (dotted if the layer is dashed already), active or not in force."""
    if not older:
        return look
    dash = "1 5" if look.dash else VARIANT_DASH
    color = look.color if look.color == INACTIVE_COLOR else _darker(look.color, VARIANT_DARKEN)
    fill = look.fill_color
    if fill.startswith("#") and len(fill) == 7 and fill != INACTIVE_COLOR:
        fill = _darker(fill, VARIANT_DARKEN)
    return dataclasses.replace(look, color=color, dash=dash, fill_color=fill)


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

    def as_style(self) -> Style:
        """This look as a layer style, for a legend swatch drawn like a layer's."""
        return Style(
            self.color, self.weight, self.dash, self.fill_color, self.fill_opacity, self.radius
        )


def dotted(dash: str) -> bool:
    """Whether a dash pattern ("2 3", "6 4") reads as dots: its first dash 2 px or less."""
    parts = str(dash).replace(",", " ").split()
    return bool(parts) and float(parts[0]) <= 2


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
            # a dotted line stays dotted: out of force, the 1994 Karabakh line still reads
            # apart from the former oblast's dashes
            dash=style.dash if style.dash and dotted(style.dash) else INACTIVE_DASH,
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
