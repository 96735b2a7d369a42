"""The user's annotations on the web map, and the dashboard's tool to draw them.

`AnnotationLayer` draws a plan's annotations (script in ``templates/annotations.js``):
escaped text lines and their placement travel as JSON made safe by `script_json`.
`DrawTools` is folium's Leaflet.draw control with its files served from here, not a CDN.
"""

from __future__ import annotations

from collections.abc import Sequence

from folium.plugins import Draw

from regionmap._annotations import ANNOTATION_COLOR, PlannedAnnotation
from regionmap.web._assets import Assets
from regionmap.web._elements import ScriptElement, _script
from regionmap.web._escape import escape, script_json


class AnnotationLayer(ScriptElement):
    """Notes, marked points and arrows above every layer, not clickable (they are the
    user's own marks). Each mark's SVG path has the class ``rm-annotation-<kind>``, each
    text box ``rm-annotation-box``; the group is ``window.regionmapAnnotations``."""

    _template = _script("annotations.js")

    def __init__(self, annotations: Sequence[PlannedAnnotation]) -> None:
        super().__init__()
        self._name = "AnnotationLayer"
        rows = []
        for planned in annotations:
            a = planned.annotation
            rows.append(
                {
                    "kind": a.kind,
                    "at": [a.lat, a.lon],  # Leaflet's order: (lat, lon)
                    "to": [a.to_lat, a.to_lon] if a.kind == "arrow" else None,
                    "label": [planned.label_at[1], planned.label_at[0]],
                    "anchor": planned.anchor,
                    "lines": [escape(line) for line in planned.lines],
                }
            )
        self.rows_json = script_json(rows, ensure_ascii=False)
        self.color_json = script_json(ANNOTATION_COLOR)


class DrawTools(Draw):
    """Leaflet.draw's toolbar with a marker (a note or point) and a line (an arrow) only,
    no editing in the map (the dashboard's panel edits and deletes), its files from
    ``assets`` (`regionmap.web._assets`: local or inlined, never a CDN). streamlit-folium
    returns what is drawn as ``all_drawings``."""

    def __init__(self, assets: Assets) -> None:
        line = {"shapeOptions": {"color": ANNOTATION_COLOR, "weight": 3}}
        off = dict.fromkeys(("polygon", "rectangle", "circle", "circlemarker"), False)
        super().__init__(
            show_geometry_on_click=False,
            draw_options={"polyline": line, "marker": True, **off},
            edit_options={"edit": False, "remove": False},
        )
        self.default_js = assets.links("js", "draw")
        self.default_css = assets.links("css", "draw")
