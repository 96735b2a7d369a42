"""regionmap: the places where Russia and Turkey meet, as cited layers and dated events.

The public API is what this module exports; the dashboard and the CLI use nothing else.
"""

from regionmap._animate import ANIMATION_FORMATS, frame_dates
from regionmap._animate import STEPS as ANIMATION_STEPS
from regionmap.audit import check_geodata, check_path
from regionmap.build import build_layers, stale_layers, write_layers
from regionmap.catalog import (
    Catalog,
    LayerSpec,
    SourceSpec,
    Style,
    TheatreSpec,
    default_geodata_dir,
    load_catalog,
)
from regionmap.compose import (
    corridor,
    geodesic_area_km2,
    geodesic_length_km,
    measure,
    shared_border,
    simplify_for_display,
    strip_along,
)
from regionmap.dataset import Dataset, load_dataset
from regionmap.dataset import stamp as dataset_stamp
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
    earliest,
    filter_actors,
    filter_bbox,
    filter_time,
    filter_values,
    load_events,
    read_events,
)
from regionmap.events import actors as event_actors
from regionmap.export import (
    EXPORT_FORMATS,
    FORMATS,
    VIEW_FILE_SUFFIXES,
    ExportFormat,
    SnapshotOptions,
    snapshot,
    snapshot_bytes,
)
from regionmap.load import LayerResult, load_layers, read_layer, read_layers
from regionmap.plan import MAX_MARKERS, MapPlan, event_mode
from regionmap.provenance import clicked_feature_id, format_date, provenance_rows
from regionmap.settings import ENVIRONMENT, MAP_HEIGHT_PX, read_setting
from regionmap.spec import BASEMAPS, PRESETS, ViewSpec, fit_view
from regionmap.store import EventStore, load_store
from regionmap.stores import DuckStore, PostgisStore, StoreError, mask_url, open_postgis
from regionmap.stores.kept import forget_user_file, keep_user_file, kept_user_files
from regionmap.stores.kept import is_shared as is_shared_store
from regionmap.userdata import (
    MAX_UPLOAD_MB,
    USER_FILE_SUFFIXES,
    UserFile,
    read_user_events,
    read_user_file,
    read_user_layer,
    read_user_layers,
    safe_name,
    save_user_file,
    saved_user_files,
    unique_name,
    user_data_dir,
    user_layer_id,
    user_layer_ids,
    user_provenance,
    with_user_data,
    with_user_files,
)
from regionmap.viewfiles import read_animation, read_view
from regionmap.web import (
    Assets,
    basemap_file,
    escape,
    event_when,
    install_assets,
    render_map,
    safe_url,
)

__version__ = "0.1.0"

__all__ = [
    "MAX_MARKERS",
    "ENVIRONMENT",
    "MAP_HEIGHT_PX",
    "read_setting",
    "MapPlan",
    "event_mode",
    "MAX_UPLOAD_MB",
    "USER_FILE_SUFFIXES",
    "read_user_events",
    "read_user_file",
    "read_user_layer",
    "read_user_layers",
    "UserFile",
    "unique_name",
    "user_layer_ids",
    "user_provenance",
    "with_user_files",
    "read_layers",
    "safe_name",
    "save_user_file",
    "saved_user_files",
    "user_data_dir",
    "user_layer_id",
    "with_user_data",
    "FORMATS",
    "ANIMATION_FORMATS",
    "ANIMATION_STEPS",
    "frame_dates",
    "read_animation",
    "EXPORT_FORMATS",
    "ExportFormat",
    "VIEW_FILE_SUFFIXES",
    "SnapshotOptions",
    "read_view",
    "snapshot",
    "snapshot_bytes",
    "Assets",
    "basemap_file",
    "BASEMAPS",
    "Dataset",
    "PRESETS",
    "ViewSpec",
    "dataset_stamp",
    "default_geodata_dir",
    "escape",
    "event_actors",
    "earliest",
    "EventStore",
    "load_store",
    "DuckStore",
    "PostgisStore",
    "StoreError",
    "mask_url",
    "open_postgis",
    "forget_user_file",
    "keep_user_file",
    "kept_user_files",
    "is_shared_store",
    "event_when",
    "fit_view",
    "clicked_feature_id",
    "format_date",
    "provenance_rows",
    "install_assets",
    "load_dataset",
    "render_map",
    "safe_url",
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
