"""The map's own Leaflet elements: one folium element per layer, events as one element.

Each element's script is a template file in ``templates/`` (package data), rendered by
folium with the element as ``this``; every value the script reads is JSON made safe by
`script_json`. No JavaScript lives in Python strings here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from importlib.resources import files

import pandas as pd
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from regionmap._labels import Label
from regionmap._plan import MapPlan
from regionmap._symbology import (
    HALO_MAX_SHARE,
    OUTSIDE_COLOR,
    SEA_COLOR,
    approx_text,
    symbol_for,
)
from regionmap.web._assets import Assets
from regionmap.web._escape import escape, script_json
from regionmap.web._popups import POPUP_ROWS, SHELLS, event_fields, popup_html, tip_html
from regionmap.web._symbols import symbol_svg

TEMPLATES = files("regionmap.web") / "templates"


def _script(name: str) -> Template:
    """A template file as the ``script`` macro folium renders for an element."""
    body = (TEMPLATES / name).read_text(encoding="utf-8")
    return Template("{% macro script(this, kwargs) %}\n" + body + "{% endmacro %}\n")


def stylesheet(name: str = "map.css") -> str:
    """A CSS file of ``templates/`` as a <style> element: the map's own (popups, legend,
    tools), or ``snapshot.css`` (an exported page's title block and caption)."""
    return "\n<style>\n" + (TEMPLATES / name).read_text(encoding="utf-8") + "</style>\n"


class _Rendered(Element):
    """A macro's output as it is. branca wraps each in a new jinja2 Template, which parses
    every byte again: 21 templates and 90 ms of a map, more with many cells."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text.removesuffix("\n")  # as jinja2 renders it (keep_trailing_newline)

    def render(self, **kwargs: object) -> str:
        return self._text


class ScriptElement(MacroElement):
    """A MacroElement whose header, html and script go into the page as rendered."""

    def render(self, **kwargs: object) -> None:
        figure = self.get_root()
        macros = self._template.module.__dict__
        for part in ("header", "html", "script"):
            if macros.get(part) is not None:
                text = macros[part](self, kwargs)
                getattr(figure, part).add_child(_Rendered(text), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


class MapTools(ScriptElement):
    """Cursor coordinates, a distance tool, fullscreen, share-URL sync, and two maps of a
    page moving together (compare mode), in plain Leaflet.

    Written here rather than taken from folium's plugins because those load their code
    from CDNs, which fail offline.
    """

    _template = _script("map_tools.js")


class OverlayLayer(ScriptElement):
    """One catalogued layer as one element: escaped tooltip and popup HTML travel as JSON.

    Its SVG paths carry the class ``rm-layer-<id>`` and the layer is registered in
    ``window.regionmapLayers`` so a browser (a test, a snapshot) can tell what is drawn.
    """

    _template = _script("overlay_layer.js")

    def __init__(self, layer_id: str, data: dict, radius: float) -> None:
        super().__init__()
        self._name = "OverlayLayer"
        self.data_json = script_json(data)  # once: the page is rendered more than once
        self.radius_json = script_json(radius)
        self.class_json = script_json(f"rm-layer-{layer_id}")
        self.id_json = script_json(layer_id)


class MapLabels(ScriptElement):
    """The plan's labels as one element: escaped text and its placement travel as JSON,
    drawn as non-interactive Leaflet divIcons (styles in ``map.css``)."""

    _template = _script("map_labels.js")

    def __init__(self, labels: Sequence[Label]) -> None:
        super().__init__()
        self._name = "MapLabels"
        rows = [
            {
                "text": escape(label.text),
                "lat": round(label.lat, 5),
                "lon": round(label.lon, 5),
                "kind": label.kind,
                "anchor": label.anchor,
                "offset": round(label.offset_px, 1),
                "fallback": label.fallback,
                "dot": label.dot,
            }
            for label in labels
        ]
        self.labels_json = script_json(rows, ensure_ascii=False)


class LayerToggles(ScriptElement):
    """Leaflet's layer control over the drawn overlays and events, for standalone pages."""

    _template = _script("layer_toggles.js")

    def __init__(self, titles: dict[str, str]) -> None:
        super().__init__()
        self._name = "LayerToggles"
        self.titles_json = script_json({k: escape(v) for k, v in titles.items()})


class Legend(ScriptElement):
    """The legend control; ``fit`` (an exported page) grows it into columns, then shrinks
    its text, until all of it lies inside the map instead of scrolling."""

    _template = _script("legend.js")

    def __init__(self, html_text: str, fit: bool = False) -> None:
        super().__init__()
        self._name = "Legend"
        self.html_json = script_json(html_text)
        self.fit_json = script_json(fit)


EPOCH = dt.date(1970, 1, 1)  # day numbers count whole days from here (UTC)


def day_number(value: object) -> int | None:
    """A date (``date``, ``Timestamp`` or ISO text; a bare year means 1 January) as days
    since 1970-01-01; None for a blank or unreadable value (an open bound)."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return None
    try:
        stamp = pd.Timestamp(str(value)[:10])
    except (ValueError, TypeError):
        return None
    if pd.isna(stamp):
        return None
    return (stamp.date() - EPOCH).days


def _approximate(icon: str, radius_m: int) -> str:
    """An event icon, within a dashed ring and with "± N km" beside it when its place is
    too rough for a halo on this map (``radius_m`` > 0); styled in map.css."""
    if not radius_m:
        return icon
    text = escape(approx_text(radius_m))
    return (
        f'<span class="rm-approx"><span class="rm-approx-ring"></span>{icon}'
        f'<span class="rm-approx-text">{text}</span></span>'
    )


class VariantLabels(ScriptElement):
    """Each dated variant's period as a text label on the map, in its layer's ink."""

    _template = _script("variant_labels.js")

    def __init__(self, plan: MapPlan) -> None:
        super().__init__()
        self._name = "VariantLabels"
        colors = {f.period: f.look.color for p in plan.layers for f in p.features if f.period}
        labels = [
            [v.lat, v.lon, escape(v.text), colors.get(v.text, "#222"), v.older]
            for v in plan.variant_labels()
        ]
        self.labels_json = script_json(labels)


class EventLayer(JSCSSMixin, ScriptElement):
    """All event markers as one element: a JSON list turned into clustered markers in JS.

    One element instead of a folium Marker (with Tooltip, Popup and DivIcon children) per
    event keeps the page small and its rendering fast. The popup's parts are escaped here
    and travel as JSON, each distinct text once; the browser joins them with fixed markup.
    Halos, and the "approximate ± N km" icons of events whose halo would bury the map,
    are the ``plan``'s decision.
    """

    _template = _script("event_layer.js")

    def __init__(self, events: pd.DataFrame, assets: Assets, plan: MapPlan) -> None:
        super().__init__()
        self._name = "EventLayer"
        self.default_js = assets.cluster_js()
        self.default_css = assets.cluster_css()
        keys: dict[tuple[str, bool, int], int] = {}
        self.icons: list[str] = []
        self.events: list[dict] = []
        text: dict[str, int] = {}  # each distinct text once: actors, places, sources repeat
        for row in events.to_dict("records"):
            color, shape = symbol_for(row["event_type"])
            approx = plan.approximate_m(row["geo_precision"])
            key = (row["event_type"], bool(row["is_span"]), approx)
            if key not in keys:
                keys[key] = len(self.icons)
                self.icons.append(_approximate(symbol_svg(color, shape, key[1]), approx))
            self.events.append(
                {
                    "eid": escape(row["event_id"]),
                    "lat": round(float(row["latitude"]), 5),
                    "lon": round(float(row["longitude"]), 5),
                    "icon": keys[key],
                    "halo": plan.halo_m(row["geo_precision"]),
                    "f": [text.setdefault(part, len(text)) for part in event_fields(row)],
                    "t": [day_number(row["start"]), day_number(row["end"])],
                }
            )
        self.text = list(text)
        self.events_json = script_json(self.events)
        self.text_json = script_json(self.text)
        self.icons_json = script_json(self.icons)
        self.labels_json = script_json([escape(label) for label in POPUP_ROWS])
        self.shells_json = script_json(SHELLS)
        self.max_share_json = script_json(HALO_MAX_SHARE)

    def popups(self) -> list[tuple[str, str]]:
        """Each marker's (tooltip, popup) HTML, as the browser assembles them (for tests)."""
        out = []
        for event in self.events:
            fields = [self.text[i] for i in event["f"]]
            out.append((tip_html(fields), popup_html(fields, event["eid"])))
        return out


# Beyond this many events, counts per grid cell instead of markers. A marker with ACLED's
# usual notes (about 250 characters) costs about 470 bytes, so 1,000 of them, the layers
# and the events table stay under 1 MB a view; 2,000 would not (1.3 MB, measured).


class EventAggregateLayer(ScriptElement):
    """Events as counts per grid cell: circles sized by count, coloured by the main type,
    on one canvas; each circle's count is its ``rmCount`` (playback changes it)."""

    _template = _script("event_cells.js")

    def __init__(self, cells: pd.DataFrame) -> None:
        super().__init__()
        self._name = "EventAggregateLayer"
        types = sorted(set(cells["type"]))
        biggest = max(int(cells["count"].max()), 1) if len(cells) else 1
        rows = [
            [
                round(float(c.lon), 4),
                round(float(c.lat), 4),
                int(c.count),
                round(4 + 16 * (c.count / biggest) ** 0.5, 1),
                types.index(c.type),
                escape(c.type),
            ]
            for c in cells.itertuples()
        ]
        self.cells_json = script_json(rows)
        self.colors_json = script_json([symbol_for(t)[0] for t in types])
        self.biggest_json = script_json(biggest)
        self.total = int(cells["count"].sum()) if len(cells) else 0


class BasemapLayer(ScriptElement):
    """The offline vector basemap: inline GeoJSON, or fetched once from a static URL so
    that a rerun of the dashboard does not resend it."""

    _template = _script("basemap_layer.js")

    def __init__(
        self,
        styles: list[dict],
        data: dict | None = None,
        url: str = "",
        region: tuple[float, float, float, float] | None = None,
    ) -> None:
        super().__init__()
        self._name = "BasemapLayer"
        self.style_json = script_json(styles)  # one per basemap layer, by feature's ``s``
        # the sea under the land, and the ground beyond the (west, south, east, north)
        # region the basemap is clipped to, greyed so it does not read as sea
        self.sea_json = script_json({"sea": SEA_COLOR, "outside": OUTSIDE_COLOR, "region": region})
        self.data_json = script_json(data) if data is not None else ""
        self.url = url
        self.url_json = script_json(url)
