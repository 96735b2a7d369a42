"""regionmap: the places where Russia and Turkey meet, as cited layers and dated events.

The public API is what this module exports; the dashboard and the CLI use nothing else.
"""

from regionmap.audit import check_geodata, check_path
from regionmap.build import build_layers, stale_layers, write_layers
from regionmap.catalog import Catalog, LayerSpec, SourceSpec, Style, TheatreSpec, load_catalog
from regionmap.compose import (
    corridor,
    geodesic_area_km2,
    geodesic_length_km,
    measure,
    shared_border,
    simplify_for_display,
    strip_along,
)
from regionmap.errors import (
    CatalogError,
    DataError,
    EventError,
    ExportError,
    LayerError,
    Problem,
    RegionmapError,
    ViewError,
)
from regionmap.events import (
    EventFilter,
    EventResult,
    apply_filter,
    filter_actors,
    filter_bbox,
    filter_time,
    filter_values,
    load_events,
    read_events,
)
from regionmap.load import LayerResult, load_layers, read_layer

__version__ = "0.1.0"

__all__ = [
    "Catalog",
    "EventFilter",
    "EventResult",
    "apply_filter",
    "check_path",
    "filter_actors",
    "filter_bbox",
    "filter_time",
    "filter_values",
    "load_events",
    "read_events",
    "CatalogError",
    "DataError",
    "EventError",
    "ExportError",
    "LayerError",
    "LayerResult",
    "LayerSpec",
    "Problem",
    "RegionmapError",
    "SourceSpec",
    "Style",
    "TheatreSpec",
    "ViewError",
    "build_layers",
    "check_geodata",
    "corridor",
    "geodesic_area_km2",
    "geodesic_length_km",
    "load_catalog",
    "load_layers",
    "measure",
    "read_layer",
    "shared_border",
    "simplify_for_display",
    "stale_layers",
    "strip_along",
    "write_layers",
]
