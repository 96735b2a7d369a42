"""`ViewSpec` + `Dataset` -> `folium.Map`: the only module that builds web maps.

Every string that reaches the map passes through `escape` (HTML-escaped, then ``$`` and
backtick, because folium puts popups inside JavaScript template strings); only http(s)
links become clickable. Leaflet, jQuery and MarkerCluster come from the XStatic packages,
either as URLs the dashboard serves locally or inlined for a self-contained file, so the
map draws with no network.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import folium
import folium.plugins
import numpy as np
import pandas as pd
import xstatic.pkg.jquery
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template
from jinja2.utils import htmlsafe_json_dumps

from regionmap.atomic import atomic_write_text
from regionmap.catalog import LayerSpec, Style
from regionmap.compose import in_window
from regionmap.dataset import Dataset
from regionmap.spec import BASEMAPS, ViewSpec

# ---------------------------------------------------------------- escaping


def escape(text: object) -> str:
    """Safe inside HTML *and* inside a JavaScript template string."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    return html.escape(str(text), quote=True).replace("$", "&#36;").replace("`", "&#96;")


def safe_url(url: object) -> str | None:
    """The URL if it is http(s) with a host, else None (no javascript:, data:, …)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def link(text: object, url: object) -> str:
    """An escaped link when the URL is http(s); otherwise the escaped text alone."""
    href = safe_url(url)
    if href is None:
        return escape(text)
    return f'<a href="{escape(href)}" target="_blank" rel="noopener noreferrer">{escape(text)}</a>'


def sources_html(sources: object, urls: object) -> str:
    """Our CSVs list several sources separated by ' | ', URLs in the same order."""
    names = [s.strip() for s in str(sources or "").split(" | ") if s.strip()]
    hrefs = [u.strip() for u in str(urls or "").split(" | ")]
    items = [link(name, hrefs[i] if i < len(hrefs) else "") for i, name in enumerate(names)]
    return "; ".join(items)


def script_json(value: object) -> str:
    """JSON safe inside a <script> element, and safe from a second Jinja pass.

    <, >, & and ' are escaped for HTML. branca compiles every rendered script *again* as
    a Jinja template, so a '{{' in data would run as a template expression on the server
    (an event titled '{{ cycler.__init__.__globals__.os.popen(...) }}' would run a shell
    command). Structural JSON never contains '{{', '{%' or '{#', so escaping those pairs
    only touches strings, and JSON reads them back unchanged.
    """
    text = str(htmlsafe_json_dumps(value))
    return text.replace("{{", "{\\u007b").replace("{%", "{\\u0025").replace("{#", "{\\u0023")


def template_safe_html(text: str) -> str:
    """HTML text that a Jinja pass leaves alone: braces as character references."""
    return text.replace("{", "&#123;").replace("}", "&#125;")


# ---------------------------------------------------------------- assets


@dataclass(frozen=True)
class Asset:
    package: object
    name: str
    kind: str  # "js" or "css"


ASSETS: tuple[Asset, ...] = (
    Asset(xstatic.pkg.leaflet, "leaflet.js", "js"),
    Asset(xstatic.pkg.jquery, "jquery.min.js", "js"),
    Asset(xstatic.pkg.leaflet_markercluster, "leaflet.markercluster.js", "js"),
    Asset(xstatic.pkg.leaflet, "leaflet.css", "css"),
    Asset(xstatic.pkg.leaflet_markercluster, "MarkerCluster.css", "css"),
    Asset(xstatic.pkg.leaflet_markercluster, "MarkerCluster.Default.css", "css"),
)


def asset_path(asset: Asset) -> Path:
    return Path(asset.package.BASE_DIR) / asset.name


def install_assets(dest: str | Path) -> Path:
    """Copy the XStatic files (real files: Streamlit refuses symlinks) into ``dest``."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for asset in ASSETS:
        src = asset_path(asset)
        target = dest / asset.name
        if not target.exists() or target.stat().st_size != src.stat().st_size:
            shutil.copyfile(src, target)
    images = Path(xstatic.pkg.leaflet.BASE_DIR) / "images"
    shutil.copytree(images, dest / "images", dirs_exist_ok=True)
    return dest


def _data_uri(asset: Asset) -> str:
    """An asset as a data: URI; a stylesheet's own images are inlined into it too."""
    path = asset_path(asset)
    data = path.read_bytes()
    if asset.kind == "js":
        return f"data:text/javascript;base64,{base64.b64encode(data).decode('ascii')}"

    def inline_image(match: re.Match) -> str:
        image = path.parent / match.group(1)
        if not image.is_file():
            return match.group(0)
        return f"url(data:image/png;base64,{base64.b64encode(image.read_bytes()).decode('ascii')})"

    css = re.sub(r"url\(['\"]?(images/[\w.-]+\.png)['\"]?\)", inline_image, data.decode("utf-8"))
    return f"data:text/css;base64,{base64.b64encode(css.encode('utf-8')).decode('ascii')}"


@dataclass(frozen=True)
class Assets:
    """Where the map's scripts and styles come from: a local URL prefix, or inlined."""

    base_url: str = "/app/static/"
    inline: bool = False
    basemap_url: str = ""  # fetch the basemap from here; empty: embed it

    def url(self, asset: Asset) -> str:
        if not self.inline:
            return self.base_url + asset.name
        return _data_uri(asset)

    def js(self) -> list[tuple[str, str]]:
        return [(a.name, self.url(a)) for a in ASSETS if a.kind == "js" and "cluster" not in a.name]

    def css(self) -> list[tuple[str, str]]:
        return [
            (a.name, self.url(a)) for a in ASSETS if a.kind == "css" and "Cluster" not in a.name
        ]

    def cluster_js(self) -> list[tuple[str, str]]:
        return [(a.name, self.url(a)) for a in ASSETS if a.kind == "js" and "cluster" in a.name]

    def cluster_css(self) -> list[tuple[str, str]]:
        return [(a.name, self.url(a)) for a in ASSETS if a.kind == "css" and "Cluster" in a.name]


# ---------------------------------------------------------------- symbols

# ACLED's event types; anything else draws as "Other".
EVENT_SYMBOLS: dict[str, tuple[str, str]] = {
    "Battles": ("#d7301f", "triangle"),
    "Explosions/Remote violence": ("#fc8d59", "star"),
    "Violence against civilians": ("#7f0000", "square"),
    "Protests": ("#3182bd", "circle"),
    "Riots": ("#756bb1", "circle"),
    "Strategic developments": ("#1b9e77", "diamond"),
}
OTHER_SYMBOL = ("#636363", "circle")
HALO_RADIUS_M = {2: 15_000, 3: 60_000}
INACTIVE_COLOR = "#9e9e9e"
TILES = {
    "osm": (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "&copy; OpenStreetMap contributors",
    ),
    "carto-light": (
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png",
        "&copy; OpenStreetMap contributors &copy; CARTO",
    ),
    "esri-imagery": (
        "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
        "Tiles &copy; Esri",
    ),
}


def symbol_for(event_type: str) -> tuple[str, str]:
    return EVENT_SYMBOLS.get(event_type, OTHER_SYMBOL)


def symbol_svg(color: str, shape: str, hollow: bool, size: int = 16) -> str:
    """A small inline SVG marker; hollow (white fill, thick outline) marks a span."""
    fill = "#ffffff" if hollow else color
    stroke_width = 3 if hollow else 1.5
    s = size
    shapes = {
        "circle": f'<circle cx="{s / 2}" cy="{s / 2}" r="{s / 2 - 2}"/>',
        "square": f'<rect x="2" y="2" width="{s - 4}" height="{s - 4}"/>',
        "diamond": f'<polygon points="{s / 2},1 {s - 1},{s / 2} {s / 2},{s - 1} 1,{s / 2}"/>',
        "triangle": f'<polygon points="{s / 2},1 {s - 1},{s - 2} 1,{s - 2}"/>',
        "star": (
            f'<polygon points="{s / 2},0 {s * 0.62},{s * 0.38} {s},{s * 0.38} {s * 0.69},{s * 0.6} '
            f"{s * 0.8},{s} {s / 2},{s * 0.76} {s * 0.2},{s} {s * 0.31},{s * 0.6} 0,{s * 0.38} "
            f'{s * 0.38},{s * 0.38}"/>'
        ),
    }
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{s}" height="{s}" viewBox="0 0 {s} {s}">'
        f'<g fill="{fill}" stroke="{color}" stroke-width="{stroke_width}">{shapes[shape]}</g></svg>'
    )


# ---------------------------------------------------------------- popups


def _row(label: str, value: str) -> str:
    return f"<tr><th>{escape(label)}</th><td>{value}</td></tr>" if value else ""


def _dates(valid_from: object, valid_to: object) -> str:
    start = escape(valid_from) or "…"
    end = escape(valid_to) or "now"
    return "" if start == "…" and end == "now" else f"{start} – {end}"


_CONTRACT_KEYS = {
    "id", "name", "kind", "description", "source", "source_url", "as_of", "valid_from",
    "valid_to", "legal_basis", "status", "precision_m", "geometry", "country",
    "length_km", "official_length_km", "official_source", "official_source_url",
    "official_note", "area_km2", "mean_width_km", "depth_km", "route_length_km", "width_km",
    "west_lon", "east_lon",
}  # fmt: skip


def _extra_rows(props: pd.Series | dict) -> str:
    """Attributes beyond the contract (units, owner, backed_by…), as label/value rows."""
    rows = []
    for key, value in dict(props).items():
        if key in _CONTRACT_KEYS or value is None or value == "" or value != value:
            continue
        rows.append(_row(str(key).replace("_", " ").capitalize(), escape(value)))
    return "".join(rows)


def _given(value: object) -> bool:
    return value is not None and value == value and str(value).strip() != ""


def feature_popup(props: pd.Series | dict, layer: LayerSpec) -> str:
    """A feature's provenance as an HTML table; every text escaped.

    A user's layer shows what its file did not say as "not given" (precision, as-of date),
    never an empty "± m"; the shipped layers always give them (DESIGN.md §2)."""
    get = props.get
    user = layer.role == "user"
    not_given = "<i>not given</i>" if user else ""
    precision = get("precision_m")
    precision_text = f"± {escape(precision)} m" if _given(precision) else not_given
    measured = ""
    if get("length_km") not in (None, "") and get("length_km") == get("length_km"):
        measured = f"{float(get('length_km')):.1f} km measured (Natural Earth 1:10m)"
        official = get("official_length_km")
        if official not in (None, "") and official == official:
            measured += f"; official {float(official):.0f} km ({escape(get('official_source'))})"
    elif get("area_km2") not in (None, "") and get("area_km2") == get("area_km2"):
        measured = f"{float(get('area_km2')):.1f} km² measured"
        if get("mean_width_km") == get("mean_width_km") and get("mean_width_km") is not None:
            measured += f"; mean width {float(get('mean_width_km')):.2f} km"
        if get("depth_km") == get("depth_km") and get("depth_km") is not None:
            measured += f"; depth {float(get('depth_km')):g} km"
    rows = "".join(
        [
            _row("Layer", escape(layer.title)),
            _row("Valid", _dates(get("valid_from"), get("valid_to"))),
            _row("Legal basis", escape(get("legal_basis"))),
            _row("Status", escape(get("status"))),
            _row("Measured", measured),
            _extra_rows(props),
            _row("Precision", precision_text),
            _row("Source", link(get("source"), get("source_url"))),
            _row("As of", escape(get("as_of")) if _given(get("as_of")) else not_given),
            _row("ID", escape(get("id"))),
        ]
    )
    return (
        f'<div class="rm-popup"><b>{escape(get("name"))}</b>'
        f"<p>{escape(get('description'))}</p><table>{rows}</table></div>"
    )


def event_when(row: pd.Series | dict) -> str:
    if row.get("is_span"):
        end = row.get("date_end") or "ongoing"
        return f"{row.get('date_start')} – {end}"
    precision = {2: " (month)", 3: " (year)"}.get(int(row.get("time_precision") or 1), "")
    return f"{row.get('event_date')}{precision}"


def event_fields(row: pd.Series | dict) -> list[str]:
    """The popup's parts, escaped: title, notes, when, where, type, actors, deaths, sources.

    The map ships these (each distinct text once) and assembles the popup in the browser
    exactly as `popup_html` does here: 1,500 markers cost 2.2 MB as finished HTML."""
    fatalities = row.get("fatalities")
    place_precision = {1: "exact", 2: "near", 3: "region only"}.get(
        int(row.get("geo_precision") or 1)
    )
    kind = " / ".join(str(t) for t in (row.get("event_type"), row.get("sub_event_type")) if t)
    return [
        escape(row.get("title")),
        escape(row.get("notes")),
        escape(event_when(row)),
        f"{escape(row.get('location'))}, {escape(row.get('country'))} ({place_precision})",
        escape(kind),
        " · ".join(escape(a) for a in (row.get("actor1"), row.get("actor2")) if a),
        "" if fatalities is None or pd.isna(fatalities) else escape(fatalities),
        sources_html(row.get("source"), row.get("source_url")),
    ]


POPUP_ROWS = ("When", "Where", "Type", "Actors", "Fatalities", "Sources")


def popup_html(fields: list[str], event_id: str) -> str:
    """An event's popup from its escaped parts (the map's JavaScript mirrors this)."""
    title, notes, *rest = fields
    rows = "".join(_row(label, value) for label, value in zip(POPUP_ROWS, rest, strict=True))
    return (
        f'<div class="rm-popup"><b>{title}</b><p>{notes}</p>'
        f"<table>{rows}{_row('ID', event_id)}</table></div>"
    )


def tip_html(fields: list[str]) -> str:
    return f"<b>{fields[0]}</b><br>{fields[2]}"


def event_popup(row: pd.Series | dict) -> str:
    return popup_html(event_fields(row), escape(row.get("event_id")))


# ---------------------------------------------------------------- map parts

_POPUP_CSS = """
<style>
.rm-popup {font: 12px/1.35 system-ui, sans-serif; max-width: 340px;}
.rm-popup p {margin: 4px 0 6px;}
.rm-popup th {text-align: left; vertical-align: top; padding-right: 6px; color: #555;}
.rm-legend {background: rgba(255,255,255,.92); padding: 4px 8px; font: 11px system-ui, sans-serif;
  border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3); max-height: 45vh; overflow: auto;}
.rm-legend summary {cursor: pointer; font-weight: bold;}
.rm-legend div {display: flex; align-items: center; gap: 4px; white-space: nowrap;}
.rm-legend .sw {display: inline-block; width: 14px; height: 10px; flex: none;}
.rm-tool {background: #fff; padding: 3px 6px; font: 12px system-ui, sans-serif; cursor: pointer;
  border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3);}
.rm-event-icon {background: none; border: none;}
</style>
"""


class MapTools(MacroElement):
    """Cursor coordinates, a distance tool, fullscreen and share-URL sync, in plain Leaflet.

    Written here rather than taken from folium's plugins because those load their code
    from CDNs, which fail offline.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  window.regionmapMap = map;
  function ctl(pos, html, onclick) {
    var C = L.Control.extend({onAdd: function () {
      var d = L.DomUtil.create('div', 'rm-tool'); d.innerHTML = html;
      L.DomEvent.disableClickPropagation(d);
      if (onclick) { L.DomEvent.on(d, 'click', function () { onclick(d); }); }
      return d; }});
    var c = new C({position: pos}); c.addTo(map); return c.getContainer();
  }
  var coords = ctl('bottomleft', 'lat –, lon –');
  coords.setAttribute('data-testid', 'rm-coords');
  map.on('mousemove', function (e) {
    coords.textContent = 'lat ' + e.latlng.lat.toFixed(4) + ', lon ' + e.latlng.lng.toFixed(4);
  });
  var measuring = false, pts = [], line = null;
  var measure = ctl('topleft', 'Measure distance', function (d) {
    measuring = !measuring; pts = [];
    if (line) { map.removeLayer(line); line = null; }
    d.innerHTML = measuring ? 'Click points… (click here to stop)' : 'Measure distance';
    map.getContainer().style.cursor = measuring ? 'crosshair' : '';
  });
  measure.setAttribute('data-testid', 'rm-measure');
  map.on('click', function (e) {
    if (!measuring) { return; }
    pts.push(e.latlng);
    if (line) { map.removeLayer(line); }
    line = L.polyline(pts, {color: '#000', dashArray: '4 4', weight: 2}).addTo(map);
    var m = 0; for (var i = 1; i < pts.length; i++) { m += pts[i - 1].distanceTo(pts[i]); }
    measure.innerHTML = (m / 1000).toFixed(1) + ' km (click here to stop)';
  });
  ctl('topleft', 'Full screen', function () {
    var el = map.getContainer();
    if (document.fullscreenElement) { document.exitFullscreen(); }
    else if (el.requestFullscreen) { el.requestFullscreen().catch(function () {}); }
  });
  map.on('moveend', function () {
    if (window.parent === window) { return; }  // a standalone page (an exported snapshot)
    try {
      var u = new URL(window.parent.location.href), c = map.getCenter();
      u.searchParams.set('c', c.lat.toFixed(4) + ',' + c.lng.toFixed(4));
      u.searchParams.set('z', String(map.getZoom()));
      window.parent.history.replaceState(window.parent.history.state, '', u.toString());
    } catch (err) { /* not embedded in the dashboard */ }
  });
  map.whenReady(function () { document.body.setAttribute('data-regionmap-ready', '1'); });
})();
{% endmacro %}
"""
    )


class OverlayLayer(MacroElement):
    """One catalogued layer as one element: escaped tooltip and popup HTML travel as JSON.

    Its SVG paths carry the class ``rm-layer-<id>`` and the layer is registered in
    ``window.regionmapLayers`` so a browser (a test, a snapshot) can tell what is drawn.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var radius = {{ this.radius_json }};
  var cls = {{ this.class_json }};
  var g = L.geoJSON({{ this.data_json }}, {
    style: function (f) { return f.properties.style; },
    pointToLayer: function (f, ll) {
      return L.circleMarker(ll, Object.assign({radius: radius}, f.properties.style));
    },
    onEachFeature: function (f, l) {
      l.bindTooltip(f.properties.tip, {sticky: true});
      var div = document.createElement('div');
      div.innerHTML = f.properties.popup;
      l.bindPopup(div, {maxWidth: 380});
    }
  }).addTo(map);
  g.eachLayer(function (l) {
    var el = l.getElement && l.getElement();
    if (el) { el.classList.add(cls); }
  });
  window.regionmapLayers = window.regionmapLayers || {};
  window.regionmapLayers[{{ this.id_json }}] = g;
})();
{% endmacro %}
"""
    )

    def __init__(self, layer_id: str, data: dict, radius: float) -> None:
        super().__init__()
        self._name = "OverlayLayer"
        self.data_json = script_json(data)  # once: the page is rendered more than once
        self.radius_json = script_json(radius)
        self.class_json = script_json(f"rm-layer-{layer_id}")
        self.id_json = script_json(layer_id)


class LayerToggles(MacroElement):
    """Leaflet's layer control over the drawn overlays and events, for standalone pages."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  var titles = {{ this.titles_json }}, overlays = {};
  var layers = window.regionmapLayers || {};
  Object.keys(layers).forEach(function (id) { overlays[titles[id] || id] = layers[id]; });
  if (window.regionmapEvents) { overlays[titles.events] = window.regionmapEvents; }
  L.control.layers(null, overlays, {collapsed: true, position: 'topright'})
    .addTo({{ this._parent.get_name() }});
})();
{% endmacro %}
"""
    )

    def __init__(self, titles: dict[str, str]) -> None:
        super().__init__()
        self._name = "LayerToggles"
        self.titles_json = script_json({k: escape(v) for k, v in titles.items()})


class Legend(MacroElement):
    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  var Legend = L.Control.extend({onAdd: function () {
    var d = L.DomUtil.create('div', 'rm-legend'); d.innerHTML = {{ this.html_json }};
    d.setAttribute('data-testid', 'rm-legend'); L.DomEvent.disableScrollPropagation(d);
    return d; }});
  new Legend({position: 'bottomright'}).addTo({{ this._parent.get_name() }});
})();
{% endmacro %}
"""
    )

    def __init__(self, html_text: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html_json = script_json(html_text)


def _swatch(layer: LayerSpec) -> str:
    st = layer.style
    if st.fill_opacity and not st.weight:
        return ""
    fill = escape(st.fill_color or st.color)
    line = escape(st.color)
    dash = "dashed" if st.dash else "solid"
    title = escape(layer.title)
    if st.radius and st.fill_opacity and st.weight == Style().weight and not st.dash:
        return (
            f'<span class="sw" title="{title}" style="width:10px;border-radius:50%;'
            f'background:{fill};border:1px solid {line}"></span>'
        )
    return (
        f'<span class="sw" title="{title}" style="background:{fill if st.fill_opacity else "none"};'
        f'border-bottom:3px {dash} {line}"></span>'
    )


def legend_html(
    spec: ViewSpec,
    dataset: Dataset,
    event_types: list[str],
    aggregated: bool = False,
    n_events: int | None = None,
) -> str:
    """What is on the map (events and window, so a screenshot says it), one row per
    theatre with a swatch per shown layer, then the event symbols."""
    parts = ["<details open><summary>Legend</summary>"]
    if spec.show_events and n_events is not None:
        parts.append(
            f'<div class="rm-legend-count"><b>{n_events:,} events</b> · '
            f"{escape(spec.window_text())}</div>"
        )
    for theatre in dataset.catalog.theatres:
        shown = [
            layer
            for layer in dataset.catalog.layers
            if layer.theatre == theatre.id and layer.id in spec.layers
        ]
        if shown:
            swatches = "".join(_swatch(layer) for layer in shown)
            parts.append(f"<div>{swatches}{escape(theatre.title)}</div>")
    if spec.show_events and event_types:
        for event_type in event_types:
            color, shape = symbol_for(event_type)
            parts.append(f"<div>{symbol_svg(color, shape, False, 12)}{escape(event_type)}</div>")
        parts.append(f"<div>{symbol_svg('#444', 'circle', True, 12)}span (start – end)</div>")
        if aggregated:
            parts.append(
                "<div><b>Aggregated</b>: circles count events per cell; filter or zoom in "
                "for single events</div>"
            )
        parts.append(
            '<div><span class="sw" style="width:12px;border-radius:50%;background:rgba(0,0,0,.12);'
            'border:1px dashed #666"></span>imprecise place (halo)</div>'
        )
    parts.append(
        f'<div style="color:{INACTIVE_COLOR}">grey, dashed: not in force in the window</div>'
    )
    return "".join(parts) + "</details>"


def _feature_style(layer: LayerSpec, active: bool) -> dict:
    st = layer.style
    if not active:
        return {
            "color": INACTIVE_COLOR,
            "weight": max(1.0, st.weight * 0.6),
            "dashArray": "4 6",
            "fillColor": INACTIVE_COLOR,
            "fillOpacity": 0.08 if st.fill_opacity else 0,
            "opacity": 0.7,
        }
    return {
        "color": st.color,
        "weight": st.weight,
        "dashArray": st.dash or None,
        "fillColor": st.fill_color or st.color,
        "fillOpacity": st.fill_opacity,
        "opacity": 0.95,
    }


def _layer_geojson(spec: ViewSpec, dataset: Dataset, layer: LayerSpec) -> dict:
    """Only escaped, display-ready properties reach the page: no raw data text."""
    shown = dataset.display[layer.id]
    stored = dataset.layers[layer.id].frame
    features = []
    for geom, props in zip(shown.geometry, stored.to_dict("records"), strict=True):
        active = in_window(props.get("valid_from"), props.get("valid_to"), spec.start, spec.end)
        when = _dates(props.get("valid_from"), props.get("valid_to"))
        tip = escape(props.get("name")) + (
            "" if active else f" <i>(not in force in this window: {when})</i>"
        )
        features.append(
            {
                "type": "Feature",
                "geometry": geom.__geo_interface__,
                "properties": {
                    "rm_id": escape(props.get("id")),
                    "tip": tip,
                    "popup": feature_popup(props, layer),
                    "style": _feature_style(layer, active),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _add_layer(fmap: folium.Map, spec: ViewSpec, dataset: Dataset, layer: LayerSpec) -> None:
    data = _layer_geojson(spec, dataset, layer)
    if data["features"]:
        OverlayLayer(layer.id, data, layer.style.radius).add_to(fmap)


def _basemap(fmap: folium.Map, spec: ViewSpec, dataset: Dataset, assets: Assets) -> None:
    layer = next((s for s in dataset.catalog.layers if s.role == "basemap"), None)
    if layer is not None and len(dataset.display[layer.id]):
        st = layer.style
        style = {
            "color": st.color,
            "weight": st.weight,
            "fillColor": st.fill_color,
            "fillOpacity": st.fill_opacity,
        }
        if assets.basemap_url:
            BasemapLayer(style, url=assets.basemap_url).add_to(fmap)
        else:
            BasemapLayer(style, data=basemap_geojson(dataset)).add_to(fmap)
    if spec.basemap in TILES:
        url, attribution = TILES[spec.basemap]
        folium.TileLayer(url, attr=attribution, name=BASEMAPS[spec.basemap]).add_to(fmap)


class EventLayer(JSCSSMixin):
    """All event markers as one element: a JSON list turned into clustered markers in JS.

    One element instead of a folium Marker (with Tooltip, Popup and DivIcon children) per
    event keeps the page small and its rendering fast. The popup's parts are escaped here
    and travel as JSON, each distinct text once; the browser joins them with fixed markup.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var icons = {{ this.icons_json }}, text = {{ this.text_json }};
  var events = {{ this.events_json }}, labels = {{ this.labels_json }};
  var cluster = L.markerClusterGroup({maxClusterRadius: 30, spiderfyOnMaxZoom: true});
  var halos = L.layerGroup();
  function row(label, value) {
    return value ? '<tr><th>' + label + '</th><td>' + value + '</td></tr>' : '';
  }
  events.forEach(function (e) {
    var f = e.f.map(function (i) { return text[i]; }), rows = '';
    for (var k = 0; k < labels.length; k++) { rows += row(labels[k], f[k + 2]); }
    var icon = L.divIcon({html: icons[e.icon], className: 'rm-event-icon',
                          iconSize: [16, 16], iconAnchor: [8, 8]});
    var m = L.marker([e.lat, e.lon], {icon: icon});
    m.bindTooltip('<b>' + f[0] + '</b><br>' + f[2]);
    m.bindPopup('<div class="rm-popup"><b>' + f[0] + '</b><p>' + f[1] + '</p><table>' + rows
                + row('ID', e.eid) + '</table></div>', {maxWidth: 380});
    cluster.addLayer(m);
    if (e.halo) {
      L.circle([e.lat, e.lon], {radius: e.halo, color: '#666', weight: 1, dashArray: '3 4',
        fill: true, fillColor: '#000', fillOpacity: 0.06, interactive: false}).addTo(halos);
    }
  });
  halos.addTo(map);
  cluster.addTo(map);
  window.regionmapEvents = cluster;
})();
{% endmacro %}
"""
    )

    def __init__(self, events: pd.DataFrame, assets: Assets) -> None:
        super().__init__()
        self._name = "EventLayer"
        self.default_js = assets.cluster_js()
        self.default_css = assets.cluster_css()
        keys: dict[tuple[str, bool], int] = {}
        self.icons: list[str] = []
        self.events: list[dict] = []
        text: dict[str, int] = {}  # each distinct text once: actors, places, sources repeat
        for row in events.to_dict("records"):
            color, shape = symbol_for(row["event_type"])
            key = (row["event_type"], bool(row["is_span"]))
            if key not in keys:
                keys[key] = len(self.icons)
                self.icons.append(symbol_svg(color, shape, key[1]))
            self.events.append(
                {
                    "eid": escape(row["event_id"]),
                    "lat": round(float(row["latitude"]), 5),
                    "lon": round(float(row["longitude"]), 5),
                    "icon": keys[key],
                    "halo": HALO_RADIUS_M.get(int(row["geo_precision"]), 0),
                    "f": [text.setdefault(part, len(text)) for part in event_fields(row)],
                }
            )
        self.text = list(text)
        self.events_json = script_json(self.events)
        self.text_json = script_json(self.text)
        self.icons_json = script_json(self.icons)
        self.labels_json = script_json([escape(label) for label in POPUP_ROWS])

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
MAX_MARKERS = 1000


def cell_size_deg(zoom: float) -> float:
    """Grid cell for aggregation: about 60 px on screen at ``zoom``."""
    return 360.0 / 2 ** (max(zoom, 1) + 3)


def aggregate_events(events: pd.DataFrame, zoom: float) -> pd.DataFrame:
    """Counts per grid cell, placed at the mean position of the cell's events, with the
    cell's most frequent event type (ties: the first by name). Pure numpy on integer codes:
    a million events take a few tens of milliseconds."""
    size = cell_size_deg(zoom)
    lon = events["longitude"].to_numpy(dtype=float)
    lat = events["latitude"].to_numpy(dtype=float)
    ix = np.floor(lon / size).astype(np.int64)
    iy = np.floor(lat / size).astype(np.int64)
    ix -= ix.min(initial=0)
    iy -= iy.min(initial=0)
    keys = ix * (iy.max(initial=0) + 1) + iy
    if len(keys) and keys.max() < 50_000_000:  # dense key range: bincount beats a sort
        used = np.bincount(keys) > 0
        cells = np.flatnonzero(used)
        cell = (np.cumsum(used) - 1)[keys]
    else:
        cells, cell = np.unique(keys, return_inverse=True)
    kinds = events["event_type"]
    if not isinstance(kinds.dtype, pd.CategoricalDtype):
        kinds = kinds.astype("category")
    names = np.asarray(kinds.cat.categories, dtype=object)
    codes = kinds.cat.codes.to_numpy(dtype=np.int64)
    count = np.bincount(cell, minlength=len(cells))
    per_type = np.bincount(cell * len(names) + codes, minlength=len(cells) * len(names))
    top = per_type.reshape(len(cells), len(names)).argmax(axis=1) if len(names) else []
    return pd.DataFrame(
        {
            "count": count,
            "lon": np.bincount(cell, weights=lon, minlength=len(cells)) / np.maximum(count, 1),
            "lat": np.bincount(cell, weights=lat, minlength=len(cells)) / np.maximum(count, 1),
            "type": names[top] if len(names) else np.array([], dtype=object),
        }
    )


class EventAggregateLayer(MacroElement):
    """Events as counts per grid cell: circles sized by count, coloured by the main type."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var cells = {{ this.cells_json }}, colors = {{ this.colors_json }};
  var g = L.layerGroup();
  cells.forEach(function (c) {
    L.circleMarker([c[1], c[0]], {radius: c[3], color: '#333', weight: 1,
      fillColor: colors[c[4]] || '#636363', fillOpacity: 0.7})
      .bindTooltip(c[2] + ' events; most: ' + c[5]).addTo(g);
  });
  g.addTo(map);
  window.regionmapEventCells = g;
})();
{% endmacro %}
"""
    )

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
        self.total = int(cells["count"].sum()) if len(cells) else 0


def event_mode(n_events: int) -> str:
    """'markers' (one per event) or 'aggregated' (counts per cell) for this many events."""
    return "markers" if n_events <= MAX_MARKERS else "aggregated"


class BasemapLayer(MacroElement):
    """The offline vector basemap: inline GeoJSON, or fetched once from a static URL so
    that a rerun of the dashboard does not resend it."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var style = {{ this.style_json }};
  var pane = map.createPane('rm-basemap');
  // under the tile pane (200): loaded tiles cover it, failed ones (offline) show it
  pane.style.zIndex = 150;
  function add(data) {
    L.geoJSON(data, {style: style, interactive: false, pane: 'rm-basemap'}).addTo(map);
  }
  {% if this.url %}
  fetch({{ this.url_json }}).then(function (r) { return r.json(); }).then(add);
  {% else %}
  add({{ this.data_json }});
  {% endif %}
})();
{% endmacro %}
"""
    )

    def __init__(self, style: dict, data: dict | None = None, url: str = "") -> None:
        super().__init__()
        self._name = "BasemapLayer"
        self.style_json = script_json(style)
        self.data_json = script_json(data) if data is not None else ""
        self.url = url
        self.url_json = script_json(url)


def basemap_geojson(dataset: Dataset) -> dict:
    """The drawn basemap as compact GeoJSON (geometry only)."""
    features = []
    for layer in dataset.catalog.layers:
        if layer.role != "basemap":
            continue
        features += [
            {"type": "Feature", "geometry": g.__geo_interface__, "properties": {}}
            for g in dataset.display[layer.id].geometry
        ]
    return {"type": "FeatureCollection", "features": features}


def basemap_file(dataset: Dataset, dest: str | Path) -> str:
    """Write the basemap into ``dest`` under a content-hashed name; return the name."""
    text = json.dumps(basemap_geojson(dataset), separators=(",", ":"))
    name = f"basemap-{hashlib.sha256(text.encode()).hexdigest()[:12]}.geojson"
    target = Path(dest) / name
    if not target.exists():
        atomic_write_text(target, text)
    return name


def theatres_bbox(catalog) -> tuple[float, float, float, float]:
    """The box around all five theatres: the first view."""
    boxes = [t.bbox for t in catalog.theatres] or [catalog.region_bbox]
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def render_map(
    spec: ViewSpec,
    dataset: Dataset,
    assets: Assets | None = None,
    events: pd.DataFrame | None = None,
    *,
    layer_control: bool = False,
    animate: bool = True,
    cells: pd.DataFrame | None = None,
    n_events: int | None = None,
) -> folium.Map:
    """Build the map for ``spec``. ``events`` may be passed when the caller filtered already;
    a light selection (`Dataset.visible_events(light=True)`) gets its full rows for markers.

    ``layer_control`` adds Leaflet's own layer toggles, for standalone pages; the dashboard
    leaves it out so its sidebar is the one place layers are switched. ``animate=False``
    makes the first frame final, for screenshots. ``cells`` (counts per grid cell made
    elsewhere, e.g. in SQL) and ``n_events`` (how many events the view has, when ``events``
    holds only the first of them) let a store-backed view skip the whole selection.
    """
    assets = assets or Assets()
    catalog = dataset.catalog
    if spec.center is not None and spec.zoom is not None:
        location, zoom = spec.center, spec.zoom
    else:
        location, zoom = None, None
    fmap = folium.Map(
        location=location,
        zoom_start=zoom or 5,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
    )
    # Without tiles folium sets no zoom range on the map itself; MarkerCluster needs one.
    # Quarter zoom steps let the first view frame the five theatres tightly.
    fmap.options.update(min_zoom=3, max_zoom=16, zoom_snap=0.25, zoom_delta=0.5)
    if not animate:
        fmap.options.update(zoom_animation=False, fade_animation=False, marker_zoom_animation=False)
    fmap.default_js = assets.js()
    fmap.default_css = assets.css()
    if location is None:
        w, s, e, n = theatres_bbox(catalog)
        fmap.fit_bounds([[s, w], [n, e]])
    fmap.get_root().header.add_child(Element(_POPUP_CSS))
    _basemap(fmap, spec, dataset, assets)
    for layer in catalog.layers:
        if layer.role == "basemap" or layer.id not in spec.layers:
            continue
        _add_layer(fmap, spec, dataset, layer)
    shown_types: list[str] = []
    chosen = dataset.events.frame.iloc[0:0]
    if spec.show_events:
        chosen = events if events is not None else dataset.visible_events(spec, light=True)
        n_events = len(chosen) if n_events is None else n_events
        if event_mode(n_events) == "markers" and "title" not in chosen:
            chosen = dataset.first_events(chosen, MAX_MARKERS)  # a light selection: full rows
        if event_mode(n_events) == "aggregated":
            cells = aggregate_events(chosen, spec.zoom or 5) if cells is None else cells
            EventAggregateLayer(cells).add_to(fmap)
        elif len(chosen):
            EventLayer(chosen, assets).add_to(fmap)
        shown_types = sorted(str(t) for t in chosen["event_type"].unique()) if len(chosen) else []
    n_events = len(chosen) if n_events is None else n_events
    aggregated = spec.show_events and event_mode(n_events) == "aggregated"
    Legend(legend_html(spec, dataset, shown_types, aggregated, n_events)).add_to(fmap)
    if layer_control:
        titles = {s.id: s.title for s in catalog.layers}
        titles["events"] = "Events"
        LayerToggles(titles).add_to(fmap)
    MapTools().add_to(fmap)
    return fmap


def map_summary(fmap: folium.Map) -> dict:
    """What a rendered map contains, for tests and benchmarks: counts by kind."""
    page = fmap.get_root().render()
    return {
        "markers": page.count('"eid": '),
        "geojson_layers": page.count("L.geoJson("),
        "bytes": len(page.encode("utf-8")),
        "external_urls": sorted(set(_urls(page))),
    }


def _urls(page: str) -> list[str]:
    return re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', page)
