"""The web renderer: a map plan drawn with folium (Leaflet), for the dashboard and HTML.

Private modules by job: `_escape` (text into pages), `_assets` (Leaflet from XStatic),
`_popups` (provenance and event popups), `_symbols` (event markers as SVG), `_legend`,
`_elements` (the Leaflet elements, scripts in ``templates/``), `_cells` (grid counts),
`_cube` (grid counts per playback frame),
`_basemap`, `_playback` (the play control's frames), `_map` (drawing a plan). It
decides nothing about what is drawn: that is `regionmap._plan`'s job, shared with the
print renderer.
"""

from regionmap.web._assets import ASSETS, Asset, Assets, asset_path, install_assets
from regionmap.web._basemap import TILES, basemap_file, basemap_geojson
from regionmap.web._cells import aggregate_events, cell_size_deg
from regionmap.web._cube import EventCube, cell_days, event_cube
from regionmap.web._elements import stylesheet
from regionmap.web._escape import (
    escape,
    link,
    safe_url,
    script_json,
    sources_html,
    template_safe_html,
)
from regionmap.web._legend import legend_html
from regionmap.web._map import draw_plan, leaflet_style, map_summary, map_summary_urls, render_map
from regionmap.web._popups import (
    POPUP_ROWS,
    SHELLS,
    event_fields,
    event_popup,
    event_when,
    feature_popup,
    fill,
    popup_html,
    tip_html,
)
from regionmap.web._symbols import symbol_svg

__all__ = [
    "ASSETS",
    "POPUP_ROWS",
    "SHELLS",
    "TILES",
    "Asset",
    "Assets",
    "EventCube",
    "aggregate_events",
    "asset_path",
    "basemap_file",
    "basemap_geojson",
    "cell_days",
    "cell_size_deg",
    "draw_plan",
    "escape",
    "event_cube",
    "event_fields",
    "event_popup",
    "event_when",
    "feature_popup",
    "fill",
    "install_assets",
    "leaflet_style",
    "legend_html",
    "link",
    "map_summary",
    "map_summary_urls",
    "popup_html",
    "render_map",
    "safe_url",
    "script_json",
    "sources_html",
    "stylesheet",
    "symbol_svg",
    "template_safe_html",
    "tip_html",
]
