"""The user's own layers and events: validated like ours, kept apart from geodata/.

Uploads are checked with the same loaders (problems per feature or row, the good part
kept), limited in size, and, if the user asks, saved atomically in a user data folder
(``$REGIONMAP_USER_DATA``, else ``$XDG_DATA_HOME/regionmap``) for the next session; a
shipped file is never written.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tempfile
from pathlib import Path

from regionmap.atomic import atomic_write_bytes
from regionmap.catalog import LayerSpec, Style
from regionmap.dataset import Dataset, display_frame
from regionmap.errors import DataError, EventError, LayerError
from regionmap.events import EventResult, merge_events, read_events
from regionmap.load import LayerResult, read_layer

USER_DATA_ENV = "REGIONMAP_USER_DATA"
MAX_UPLOAD_MB = 50
LAYER_SUFFIXES = (".geojson", ".json", ".gpkg", ".kml", ".zip")
EVENT_SUFFIXES = (".csv",)
USER_STYLE = Style(color="#c51b7d", weight=3.0, fill_color="#f1b6da", fill_opacity=0.35)


def user_data_dir() -> Path:
    env = os.environ.get(USER_DATA_ENV)
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "regionmap"


def safe_name(name: str) -> str:
    """A file name with no folders and no surprises, keeping its suffix."""
    stem, suffix = os.path.splitext(os.path.basename(name))
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")[:60] or "upload"
    return stem + suffix.lower()


def _check_size(data: bytes, name: str, error: type[DataError]) -> None:
    if len(data) > MAX_UPLOAD_MB * 1_000_000:
        raise error(name, f"file is {len(data) / 1e6:.0f} MB; the limit is {MAX_UPLOAD_MB} MB")


def read_user_layer(
    data: bytes, name: str, region: tuple[float, float, float, float]
) -> LayerResult:
    """A layer from uploaded bytes: GeoJSON, GeoPackage, KML or a zipped Shapefile."""
    suffix = Path(name).suffix.lower()
    if suffix not in LAYER_SUFFIXES:
        raise LayerError(name, f"unsupported file type {suffix or '(none)'}; use {LAYER_SUFFIXES}")
    _check_size(data, name, LayerError)
    with tempfile.TemporaryDirectory(prefix="regionmap-upload-") as tmp:
        path = Path(tmp) / safe_name(name)
        path.write_bytes(data)
        try:
            result = read_layer(path, region, contract=False, confine=False)
        except LayerError as exc:
            raise LayerError(name, exc.message, exc.where) from None
    result.path = name
    result.problems = [dataclasses.replace(p, path=name) for p in result.problems]
    return result


def read_user_events(data: bytes, name: str, dataset: Dataset) -> EventResult:
    """Events from an uploaded CSV: ours or an ACLED export."""
    _check_size(data, name, EventError)
    with tempfile.TemporaryDirectory(prefix="regionmap-upload-") as tmp:
        path = Path(tmp) / safe_name(name)
        path.write_bytes(data)
        try:
            result = read_events(path, dataset.catalog)
        except EventError as exc:
            raise EventError(name, exc.message, exc.where) from None
    result.path = name
    result.problems = [dataclasses.replace(p, path=name) for p in result.problems]
    return result


def save_user_file(data: bytes, name: str) -> Path:
    """Keep an upload for the next session (atomically; never inside geodata/)."""
    folder = user_data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / safe_name(name)
    atomic_write_bytes(target, data)
    return target


def saved_user_files() -> list[Path]:
    folder = user_data_dir()
    if not folder.is_dir():
        return []
    suffixes = LAYER_SUFFIXES + EVENT_SUFFIXES
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in suffixes)


def user_layer_id(name: str) -> str:
    return "user-" + Path(safe_name(name)).stem.lower()


def with_user_data(
    dataset: Dataset, layers: dict[str, LayerResult], events: list[EventResult]
) -> Dataset:
    """The dataset plus the user's layers (group "Your data") and events; nothing mutated."""
    specs = []
    results = dict(dataset.layers)
    display = dict(dataset.display)
    for name, result in layers.items():
        layer_id = user_layer_id(name)
        frame = result.frame.copy()
        if "name" not in frame:
            frame["name"] = [f"{Path(name).name} #{i + 1}" for i in range(len(frame))]
        if "id" not in frame:
            frame["id"] = [f"{layer_id}-{i + 1}" for i in range(len(frame))]
        if "source" not in frame:
            frame["source"] = f"your file {Path(name).name}"
        specs.append(
            LayerSpec(
                id=layer_id,
                title=f"{Path(name).name} (yours)",
                file="",
                theatre="",
                role="user",
                description=f"Uploaded from {Path(name).name}",
                style=USER_STYLE,
            )
        )
        results[layer_id] = dataclasses.replace(result, frame=frame)
        display[layer_id] = display_frame(results[layer_id], basemap=False)
    frames = [dataset.events.frame] + [e.frame for e in events if len(e.frame)]
    merged = merge_events(frames)
    catalog = dataclasses.replace(dataset.catalog, layers=dataset.catalog.layers + tuple(specs))
    events_result = dataclasses.replace(dataset.events, frame=merged)
    return Dataset(catalog, results, display, events_result)
