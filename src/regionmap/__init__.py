"""regionmap: the places where Russia and Turkey meet, as cited layers and dated events.

The public API is what this module exports; the dashboard and the CLI use nothing else.
"""

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
from regionmap.load import LayerResult, check_geodata, load_layers, read_layer

__version__ = "0.1.0"

__all__ = [
    "Catalog",
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
