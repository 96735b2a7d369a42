"""regionmap: the places where Russia and Turkey meet, as cited layers and dated events.

The public API is what this module exports; the dashboard and the CLI use nothing else.
"""

from regionmap._animate import ANIMATION_FORMATS, ANIMATION_STEPS, frame_dates
from regionmap._annotations import (
    ANNOTATION_KINDS,
    ANNOTATION_URL_MAX,
    MAX_ANNOTATION_TEXT,
    Annotation,
)
from regionmap._atlas import read_atlas_views, render_atlas, write_atlas
from regionmap._atomic import atomic_write_text
from regionmap._audit import check_geodata, check_path, files_to_check
from regionmap._build import NE_FILE, build_layers, clip_natural_earth, stale_layers, write_layers
from regionmap._catalog import (
    GEODATA_ENV,
    BBox,
    Catalog,
    LatLon,
    LayerSpec,
    SourceSpec,
    Style,
    TheatreSpec,
    default_geodata_dir,
    load_catalog,
)
from regionmap._compose import (
    corridor,
    geodesic_area_km2,
    geodesic_length_km,
    measure,
    shared_border,
    simplify_for_display,
    strip_along,
)
from regionmap._dataset import Dataset, load_dataset
from regionmap._dataset import stamp as dataset_stamp
from regionmap._errors import (
    CatalogError,
    DataError,
    EventError,
    ExportError,
    LayerError,
    Problem,
    RegionmapError,
    ViewError,
)
from regionmap._export import (
    EXPORT_FORMATS,
    FORMATS,
    VIEW_FILE_SUFFIXES,
    ExportFormat,
    SnapshotOptions,
    snapshot,
    snapshot_bytes,
)
from regionmap._framing import check_bbox, frame_view, halo_decision, view_size_m
from regionmap._insets import Inset
from regionmap._labels import Label
from regionmap._lakes import refresh_lakes
from regionmap._load import LayerResult, load_layers, read_layer, read_layers
from regionmap._plan import MAX_MARKERS, MapPlan, event_mode
from regionmap._provenance import clicked_feature_id, format_date, provenance_rows
from regionmap._settings import ENVIRONMENT, MAP_HEIGHT_PX, read_setting, setting
from regionmap._spec import BASEMAPS, LANGS, PRESETS, ViewSpec, fit_view
from regionmap._status import theatre_freshness
from regionmap._store import EventStore, load_store
from regionmap._userdata import (
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
from regionmap._viewfiles import read_animation, read_view, view_from_args
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
from regionmap.stores import DuckStore, PostgisStore, StoreError, mask_url, open_postgis
from regionmap.stores._kept import forget_user_file, keep_user_file, kept_user_files
from regionmap.stores._kept import is_shared as is_shared_store
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
    "ANIMATION_FORMATS",
    "ANIMATION_STEPS",
    "ANNOTATION_KINDS",
    "ANNOTATION_URL_MAX",
    "BASEMAPS",
    "ENVIRONMENT",
    "EXPORT_FORMATS",
    "FORMATS",
    "GEODATA_ENV",
    "LANGS",
    "MAP_HEIGHT_PX",
    "MAX_ANNOTATION_TEXT",
    "MAX_MARKERS",
    "MAX_UPLOAD_MB",
    "NE_FILE",
    "PRESETS",
    "USER_FILE_SUFFIXES",
    "VIEW_FILE_SUFFIXES",
    "Annotation",
    "Assets",
    "BBox",
    "Catalog",
    "CatalogError",
    "DataError",
    "Dataset",
    "DuckStore",
    "EventError",
    "EventFilter",
    "EventResult",
    "EventStore",
    "ExportError",
    "ExportFormat",
    "Inset",
    "Label",
    "LatLon",
    "LayerError",
    "LayerResult",
    "LayerSpec",
    "MapPlan",
    "PostgisStore",
    "Problem",
    "RegionmapError",
    "SnapshotOptions",
    "SourceSpec",
    "StoreError",
    "Style",
    "TheatreSpec",
    "UserFile",
    "ViewError",
    "ViewSpec",
    "apply_filter",
    "atomic_write_text",
    "basemap_file",
    "build_layers",
    "check_bbox",
    "check_geodata",
    "check_path",
    "clicked_feature_id",
    "clip_natural_earth",
    "corridor",
    "dataset_stamp",
    "default_geodata_dir",
    "earliest",
    "escape",
    "event_actors",
    "event_mode",
    "event_when",
    "files_to_check",
    "filter_actors",
    "filter_bbox",
    "filter_time",
    "filter_values",
    "fit_view",
    "forget_user_file",
    "format_date",
    "frame_dates",
    "frame_view",
    "geodesic_area_km2",
    "geodesic_length_km",
    "halo_decision",
    "install_assets",
    "is_shared_store",
    "keep_user_file",
    "kept_user_files",
    "load_catalog",
    "load_dataset",
    "load_events",
    "load_layers",
    "load_store",
    "mask_url",
    "measure",
    "open_postgis",
    "provenance_rows",
    "read_animation",
    "read_atlas_views",
    "read_events",
    "read_layer",
    "read_layers",
    "read_setting",
    "read_user_events",
    "read_user_file",
    "read_user_layer",
    "read_user_layers",
    "read_view",
    "refresh_lakes",
    "render_atlas",
    "render_map",
    "safe_name",
    "safe_url",
    "save_user_file",
    "saved_user_files",
    "setting",
    "shared_border",
    "simplify_for_display",
    "snapshot",
    "snapshot_bytes",
    "stale_layers",
    "strip_along",
    "theatre_freshness",
    "unique_name",
    "user_data_dir",
    "user_layer_id",
    "user_layer_ids",
    "user_provenance",
    "view_from_args",
    "view_size_m",
    "with_user_data",
    "with_user_files",
    "write_atlas",
    "write_layers",
]
