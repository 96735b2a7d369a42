"""The public API is pinned, and the layering of DESIGN.md §1 is enforced, not hoped for."""

import ast
from pathlib import Path

import regionmap

from .conftest import ROOT

PUBLIC = [
    "LANGS", "Inset", "Label", "Annotation", "ANNOTATION_KINDS", "ANNOTATION_URL_MAX",
    "MAX_ANNOTATION_TEXT",
    "Assets", "BASEMAPS", "Catalog", "CatalogError", "DataError", "Dataset", "EventError",
    "EventFilter", "EventResult", "ExportError", "FORMATS", "LayerError", "LayerResult",
    "LayerSpec", "PRESETS", "Problem", "RegionmapError", "SnapshotOptions", "SourceSpec",
    "Style", "TheatreSpec", "ViewError", "ViewSpec", "apply_filter", "basemap_file",
    "build_layers", "check_geodata", "check_path", "corridor", "dataset_stamp",
    "default_geodata_dir", "escape", "event_actors", "event_when", "filter_actors",
    "filter_bbox", "filter_time", "filter_values", "fit_view", "geodesic_area_km2",
    "geodesic_length_km", "install_assets", "load_catalog", "load_dataset", "load_events",
    "load_layers", "measure", "read_events", "read_layer", "read_view", "render_map",
    "safe_url", "shared_border", "simplify_for_display", "snapshot", "snapshot_bytes",
    "stale_layers", "strip_along", "write_layers", "MAX_UPLOAD_MB", "read_user_events",
    "read_user_layer", "safe_name", "save_user_file", "saved_user_files", "user_data_dir",
    "user_layer_id", "with_user_data", "MAX_MARKERS", "event_mode",
    "earliest", "EventStore", "load_store", "MapPlan", "ENVIRONMENT",
    "MAP_HEIGHT_PX", "read_setting", "read_layers", "read_user_file",
    "read_user_layers",
    "UserFile", "USER_FILE_SUFFIXES", "unique_name", "user_layer_ids", "user_provenance",
    "with_user_files", "EXPORT_FORMATS", "ExportFormat", "VIEW_FILE_SUFFIXES",
    "clicked_feature_id", "format_date", "provenance_rows",
    "DuckStore", "PostgisStore", "StoreError", "mask_url", "open_postgis",
    "forget_user_file", "keep_user_file", "kept_user_files", "is_shared_store",
    "GEODATA_ENV", "NE_FILE", "atomic_write_text", "clip_natural_earth", "files_to_check",
    "setting", "theatre_freshness", "theatres_bbox", "view_from_args",
    "read_atlas_views", "render_atlas", "write_atlas",
    "refresh_lakes", "refresh_natural_earth_file", "frame_view", "view_size_m", "halo_decision",
    "BBox", "LatLon", "check_bbox",
    "ZOOM_STEP", "zoom_value",
    "ANIMATION_FORMATS", "ANIMATION_STEPS", "AUTO_STEP", "frame_dates", "read_animation",
]  # fmt: skip
# public packages: each has a curated __all__; every module inside them is private
PACKAGES = ("cli", "events", "plot", "stores", "web")
MAP_BUILDERS = {"_export.py"}  # and the web/ package


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_public_api_is_pinned():
    assert sorted(regionmap.__all__) == sorted(PUBLIC)
    for name in PUBLIC:
        assert hasattr(regionmap, name), name


def _public_names(module) -> set[str]:
    """What ``from module import *`` would not hide: every name without a leading _."""
    ignore = {"annotations"}  # `from __future__ import annotations` binds it
    return {n for n in vars(module) if not n.startswith("_")} - ignore


def test_nothing_leaks_beyond_all():
    """A name reachable without an underscore is in __all__, or it is a public package."""
    import importlib

    assert _public_names(regionmap) - set(PACKAGES) == set(regionmap.__all__)
    for name in PACKAGES:
        package = importlib.import_module(f"regionmap.{name}")
        leaked = _public_names(package) - set(package.__all__)
        assert leaked == set(), f"regionmap.{name} leaks {sorted(leaked)}"
        assert package.__all__ == sorted(package.__all__, key=_all_order), name


def _all_order(name: str) -> tuple[int, str]:
    """ruff's RUF022 order: CONSTANTS, then Classes, then functions."""
    kind = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return (kind, name)


def test_every_module_is_private():
    """Only the package's own files and the public packages have names without an _."""
    src = ROOT / "src" / "regionmap"
    public = []
    for path in sorted(src.rglob("*.py")):
        parts = path.relative_to(src).with_suffix("").parts
        if parts[-1] in ("__init__", "__main__"):
            parts = parts[:-1]
        if parts and parts not in [(p,) for p in PACKAGES] and not parts[-1].startswith("_"):
            public.append("/".join(parts))
    assert public == []


def test_cli_uses_only_public_names():
    """The CLI is a user of the library like any other (issue 12)."""
    allowed = {"regionmap", *(f"regionmap.{p}" for p in PACKAGES)}
    for path in sorted((ROOT / "src" / "regionmap" / "cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("regionmap"):
                if node.module.startswith("regionmap.cli"):
                    continue  # its own modules
                assert node.module in allowed, f"{path.name}: from {node.module}"
                if node.module == "regionmap":
                    hidden = [a.name for a in node.names if a.name not in PUBLIC]
                    assert hidden == [], f"{path.name}: {hidden}"
            elif isinstance(node, ast.ImportFrom) and node.level:
                raise AssertionError(f"{path.name}: a relative import")


def test_library_never_imports_streamlit_and_only_render_and_export_import_folium():
    for path in sorted((ROOT / "src" / "regionmap").rglob("*.py")):
        imported = _imports(path)
        assert not any(n.split(".")[0] == "streamlit" for n in imported), path.name
        if path.name not in MAP_BUILDERS and path.parent.name != "web":
            assert not any(n.split(".")[0] == "folium" for n in imported), path.name


def test_dashboard_uses_only_public_names():
    paths = sorted((ROOT / "dashboard").rglob("*.py"))
    assert any(p.parent.name == "panels" for p in paths)  # the panels are checked too
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("regionmap."), f"{path.name}: {node.module}"
                if node.module == "regionmap":
                    assert all(a.name in PUBLIC for a in node.names), path.name
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "regionmap"
            ):
                assert node.attr in PUBLIC, f"{path.name}: regionmap.{node.attr}"
        assert not any(
            n.split(".")[0] in ("shapely", "geopandas", "pyproj") for n in _imports(path)
        )


def test_no_function_over_80_lines():
    """A function that long does several jobs; split it (issue 12). Its docstring does
    not count: a full NumPy docstring must not push a function over."""
    long = []
    for path in sorted((ROOT / "src" / "regionmap").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                first = node.body[0]
                if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                    lines -= first.end_lineno - first.lineno + 1  # a docstring is not code
                if lines >= 80:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({lines})")
    assert long == []


def test_no_module_over_about_400_lines():
    """A module that long holds several jobs; split it, or say in its docstring why it is
    one piece (issue 12)."""
    long = []
    for path in sorted((ROOT / "src" / "regionmap").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        doc = ast.get_docstring(ast.parse(text)) or ""
        if len(text.splitlines()) > 420 and "one piece" not in doc:
            long.append(f"{path.relative_to(ROOT)} ({len(text.splitlines())} lines)")
    assert long == []
