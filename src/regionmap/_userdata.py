"""The user's own layers and events: validated like ours, kept apart from geodata/.

One rule for a user's file, in the dashboard and in `regionmap validate PATH` alike: it
needs geometry and nothing else. Provenance it lacks is filled in honestly (the source is
the file's name, the status "unknown", no dates) and shown as such. Uploads are checked
with the same loaders (problems per feature or row, the good part kept), limited in size,
and, if the user asks, saved atomically in a user data folder (``$REGIONMAP_USER_DATA``,
else ``$XDG_DATA_HOME/regionmap``) for the next session; a shipped file is never written,
and a kept file never overwrites another.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from slugify import slugify

from regionmap._atomic import atomic_write_bytes
from regionmap._catalog import LayerSpec, Style
from regionmap._dataset import Dataset, display_frame
from regionmap._errors import DataError, EventError, LayerError, Problem, RegionmapError
from regionmap._load import LayerResult, describe_layers, merge_layers, read_layers
from regionmap._settings import MAX_UPLOAD_MB, read_setting, setting
from regionmap.events import EventResult, merge_events, read_events
from regionmap.events._frames import first_seen

USER_DATA_ENV = setting("REGIONMAP_USER_DATA").name
LAYER_SUFFIXES = (".geojson", ".json", ".gpkg", ".kml", ".kmz", ".zip")
EVENT_SUFFIXES = (".csv",)
USER_FILE_SUFFIXES = LAYER_SUFFIXES + EVENT_SUFFIXES  # what the dashboard's uploader takes
USER_STYLE = Style(color="#c51b7d", weight=3.0, fill_color="#f1b6da", fill_opacity=0.35)
UNKNOWN_STATUS = "unknown"  # what a user's feature that says nothing of its status shows
_KIND_OF_GEOMETRY = {
    "Point": "site", "MultiPoint": "site", "LineString": "line", "MultiLineString": "line",
    "Polygon": "area", "MultiPolygon": "area",
}  # fmt: skip
# Columns that name a feature, compared without case: English, KML's Name, Turkish "ad"/"adı",
# Russian "название", then any column with "name" in it, then HDX's ADM1_EN and the like.
_NAME_WORDS = ("name", "title", "label", "ad", "adi", "adı", "isim", "название", "name:en")


def user_data_dir() -> Path:
    env = read_setting(USER_DATA_ENV)
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "regionmap"


def safe_name(name: str) -> str:
    """A file name with no folders and no surprises, keeping its letters in any script.

    "../../Лачинский коридор.GeoJSON" becomes "Лачинский коридор.geojson": path parts,
    control characters and characters that are not allowed in Windows file names go;
    Cyrillic, Armenian, Arabic and Turkish letters stay (NFC-normalised)."""
    base = unicodedata.normalize("NFC", re.split(r"[\\/]", name)[-1])
    stem, suffix = os.path.splitext(base)
    stem = re.sub(r'[\x00-\x1f\x7f<>:"|?*]+', " ", stem).strip(" .")
    stem = re.sub(r"\s+", " ", stem)[:80] or "upload"
    return stem + suffix.lower()


def _ascii_name(name: str) -> str:
    """The name for a temporary copy handed to GDAL: ASCII only, suffix kept."""
    stem, suffix = os.path.splitext(safe_name(name))
    return (slugify(stem) or "upload") + suffix


def unique_name(name: str, data: bytes, taken: Mapping[str, bytes]) -> str:
    """``name`` if free (or holding these very bytes), else "name (2).ext", "name (3).ext"…

    Two different files called "export.kml" both stay; the same file twice is one."""
    name = safe_name(name)
    stem, suffix = os.path.splitext(name)
    candidate, n = name, 1
    while candidate in taken and taken[candidate] != data:
        n += 1
        candidate = f"{stem} ({n}){suffix}"
    return candidate


def _check_size(data: bytes, name: str, error: type[DataError]) -> None:
    if len(data) > MAX_UPLOAD_MB * 1_000_000:
        raise error(name, f"file is {len(data) / 1e6:.0f} MB; the limit is {MAX_UPLOAD_MB} MB")


def _scrub(text: str, tmp: str, name: str) -> str:
    """A message with the server's temporary path replaced by the user's file name."""
    return text.replace(tmp, name).replace(name + "/" + _ascii_name(name), name)


def _as_user_file(result: LayerResult, tmp: str, name: str) -> LayerResult:
    return dataclasses.replace(
        result,
        path=name,
        problems=[
            dataclasses.replace(p, path=name, message=_scrub(p.message, tmp, name))
            for p in result.problems
        ],
        notes=[_scrub(n, tmp, name) for n in result.notes],
    )


def read_user_layers(
    data: bytes, name: str, region: tuple[float, float, float, float]
) -> list[LayerResult]:
    """Every layer of an uploaded file: GeoJSON, GeoPackage, KML/KMZ or zipped Shapefile.

    Held to the user-layer rule (geometry only; see `regionmap._load.read_layers`), in
    EPSG:4326. ``region`` (west, south, east, north) only catches swapped coordinates.
    Messages name ``name``, never the temporary copy GDAL reads.

    Raises
    ------
    LayerError
        Unsupported type, over `MAX_UPLOAD_MB`, or unreadable as a whole.
    """
    suffix = Path(name).suffix.lower()
    if suffix not in LAYER_SUFFIXES:
        raise LayerError(name, f"unsupported file type {suffix or '(none)'}; use {LAYER_SUFFIXES}")
    _check_size(data, name, LayerError)
    with tempfile.TemporaryDirectory(prefix="regionmap-upload-") as tmp:
        path = Path(tmp) / _ascii_name(name)
        path.write_bytes(data)
        try:
            results = read_layers(path, region, contract=False, confine=False)
        except LayerError as exc:
            raise LayerError(name, _scrub(exc.message, str(path), name), exc.where) from None
        return [_as_user_file(r, str(path), name) for r in results]


def read_user_layer(
    data: bytes, name: str, region: tuple[float, float, float, float]
) -> LayerResult:
    """An uploaded file as one layer (several layers joined, a ``source_layer`` column
    naming each feature's); see `read_user_layers`."""
    return merge_layers(read_user_layers(data, name, region))


def read_user_events(data: bytes, name: str, dataset: Dataset) -> EventResult:
    """Events from an uploaded CSV: ours or an ACLED export."""
    _check_size(data, name, EventError)
    with tempfile.TemporaryDirectory(prefix="regionmap-upload-") as tmp:
        path = Path(tmp) / _ascii_name(name)
        path.write_bytes(data)
        try:
            result = read_events(path, dataset.catalog)
        except EventError as exc:
            raise EventError(name, _scrub(exc.message, str(path), name), exc.where) from None
    result.path = name
    result.problems = [
        dataclasses.replace(p, path=name, message=_scrub(p.message, str(path), name))
        for p in result.problems
    ]
    return result


def save_user_file(data: bytes, name: str) -> Path:
    """Keep an upload for the next session: atomically, never inside geodata/, never over
    another file (a different file of the same name is kept as "name (2).ext").

    Returns the path written (or the existing copy of these same bytes)."""
    folder = user_data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    existing = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    target = folder / unique_name(name, data, existing)
    if target.name not in existing:
        atomic_write_bytes(target, data)
    return target


def saved_user_files() -> list[Path]:
    folder = user_data_dir()
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in USER_FILE_SUFFIXES
    )


def user_layer_id(name: str, layer: str = "") -> str:
    """A readable id for a user's layer, in ASCII whatever the file name's script:
    "Лачинский коридор.geojson" gives "user-lachinskii-koridor" (transliterated by
    python-slugify); a layer inside a multi-layer file adds its own name. Two files whose
    ids meet are told apart by `user_layer_ids`."""
    stem = slugify(Path(safe_name(name)).stem) or "layer"
    return "user-" + stem + (f"-{slugify(layer) or 'layer'}" if layer else "")


def user_layer_ids(keys: Iterable[tuple[str, str]]) -> list[str]:
    """Distinct ids for (file name, layer name) pairs, in order; a repeat gets "-2", "-3"."""
    out: list[str] = []
    for name, layer in keys:
        base = user_layer_id(name, layer)
        candidate, n = base, 1
        while candidate in out:
            n += 1
            candidate = f"{base}-{n}"
        out.append(candidate)
    return out


def _first_text_column(frame: gpd.GeoDataFrame) -> str | None:
    columns = [c for c in frame.columns if c != frame.geometry.name and isinstance(c, str)]
    for word in _NAME_WORDS:
        for col in columns:
            if col.casefold() == word:
                return col
    for test in (lambda c: "name" in c, lambda c: c.endswith("_en")):
        for col in columns:
            if test(col.casefold()):
                return col
    return None


class _Text(HTMLParser):
    """The text of an HTML fragment (KML descriptions are HTML): line breaks kept."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("br", "p", "div", "li", "tr"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(value: object) -> object:
    """``value`` as plain text if it holds HTML tags (a KML description), else as it is."""
    if not isinstance(value, str) or "<" not in value:
        return value
    parser = _Text()
    parser.feed(value)
    parser.close()
    return re.sub(r"\n\s*\n+", "\n", "".join(parser.parts)).strip()


def user_provenance(frame: gpd.GeoDataFrame, title: str, layer_id: str) -> gpd.GeoDataFrame:
    """A user's features with the provenance they lack filled in honestly.

    ``id`` and ``name`` from the file where it has them (KML's ``Name``, a Turkish ``ad``,
    any ``*name*`` column, HDX's ``ADM1_EN``), else numbered; a KML ``TimeSpan`` gives
    ``valid_from``/``valid_to``, and an HTML description becomes text; ``kind`` from the geometry;
    ``source`` the file's name; ``status`` "unknown"; dates, legal basis, source link and
    precision left empty, so popups and exports say "not given" rather than guess. Values
    the file gives are kept. Returns a new frame; the input is not changed.
    """
    out = frame.copy()
    n = len(out)
    numbered = pd.Series([f"{title} #{i + 1}" for i in range(n)], index=out.index, dtype=object)

    def fill(col: str, default: pd.Series | str) -> None:
        if col not in out.columns:
            out[col] = default
            return
        blank = out[col].isna() | (out[col].astype(str).str.strip() == "")
        if blank.any():
            values = out[col].astype(object)
            values[blank] = default[blank] if isinstance(default, pd.Series) else default
            out[col] = values

    for col in [c for c in out.columns if str(c).casefold() == "description"]:
        out[col] = out[col].map(html_to_text)
    for col, period in (("valid_from", "begin"), ("valid_to", "end")):  # a KML TimeSpan
        if col not in out.columns and period in out.columns:
            out[col] = out[period].map(lambda v: str(v)[:10] if isinstance(v, str) else "")
    name_col = _first_text_column(out)
    fill("name", out[name_col].astype(object) if name_col and name_col != "name" else numbered)
    fill("name", numbered)
    ids = pd.Series([f"{layer_id}-{i + 1}" for i in range(n)], index=out.index, dtype=object)
    fill("id", ids)
    out["id"] = out["id"].astype(str)
    repeated = out["id"].duplicated(keep=False)
    out.loc[repeated, "id"] = ids[repeated]
    kinds = out.geometry.geom_type.map(_KIND_OF_GEOMETRY).fillna("area")
    fill("kind", kinds)
    fill("source", f"your file {title}")
    fill("status", UNKNOWN_STATUS)
    for col in ("description", "source_url", "as_of", "valid_from", "valid_to", "legal_basis"):
        fill(col, "")
    if "precision_m" not in out.columns:
        out["precision_m"] = np.nan
    return out


@dataclass
class UserFile:
    """One file a user added, as read: its layers or its events, and what was said of it.

    ``layers`` pairs each layer id (as in the dataset's catalog) with its result; ``error``
    is set when the whole file was refused, and then nothing of it is drawn."""

    name: str
    layers: list[tuple[str, LayerResult]] = field(default_factory=list)
    events: EventResult | None = None
    error: str = ""

    @property
    def problems(self) -> list[Problem]:
        found = [p for _, r in self.layers for p in r.problems]
        return found + (self.events.problems if self.events is not None else [])

    @property
    def notes(self) -> list[str]:
        """What was found and assumed: layers and their features, encodings, formats."""
        out: list[str] = []
        if len(self.layers) > 1:
            found = describe_layers([r for _, r in self.layers])
            out.append(f"{found}; each is a layer of its own")
        for _, result in self.layers:
            prefix = f"{result.layer}: " if len(self.layers) > 1 else ""
            out += [prefix + note for note in result.notes]
            unsaid = [c for c in ("source", "status", "as_of") if c not in result.frame.columns]
            if unsaid and len(result.frame):
                out.append(
                    f"{prefix}{len(result.frame)} feature{'' if len(result.frame) == 1 else 's'}"
                    f"; the file gives no {', '.join(unsaid)}: shown as your file, status "
                    "unknown, dates not given"
                )
        if self.events is not None:
            n = len(self.events.frame)  # those whose ids were not loaded already
            out.append(f"{n:,} event{'' if n == 1 else 's'} added, read as {self.events.format}")
            out += list(getattr(self.events, "notes", []))
        return out


def read_user_file(data: bytes, name: str, dataset: Dataset) -> UserFile:
    """A layer file or an events CSV, whichever ``name``'s suffix says; never raises for
    bad input (a refused file carries its one-line reason in ``error``)."""
    try:
        if Path(name).suffix.lower() in EVENT_SUFFIXES:
            return UserFile(name, events=read_user_events(data, name, dataset))
        results = read_user_layers(data, name, dataset.catalog.region_bbox)
        return UserFile(name, layers=[("", r) for r in results])
    except RegionmapError as exc:
        return UserFile(name, error=str(exc))


def with_user_files(dataset: Dataset, files: Mapping[str, bytes]) -> tuple[Dataset, list[UserFile]]:
    """The dataset plus every user file (group "Your data"), and what was read of each.

    Files are read in the mapping's order; each layer gets an id from `user_layer_ids`,
    its file name as title (with the layer's name for a multi-layer file) and honest
    provenance from `user_provenance`. Nothing passed in is mutated.
    """
    read = [read_user_file(data, name, dataset) for name, data in files.items()]
    keys = [(f.name, r.layer if len(f.layers) > 1 else "") for f in read for _, r in f.layers]
    ids = iter(user_layer_ids(keys))
    for f in read:
        f.layers = [(next(ids), r) for _, r in f.layers]
    merged = _merge(dataset, [(f, i, r) for f in read for i, r in f.layers], read)
    return merged, read


def with_user_data(
    dataset: Dataset, layers: dict[str, LayerResult], events: list[EventResult]
) -> Dataset:
    """The dataset plus already-read layers (by file name) and events; nothing mutated."""
    files = [UserFile(name, layers=[("", r)]) for name, r in layers.items()]
    ids = iter(user_layer_ids((f.name, "") for f in files))
    entries = [(f, next(ids), r) for f in files for _, r in f.layers]
    return _merge(dataset, entries, [UserFile("", events=e) for e in events])


def _merge(
    dataset: Dataset, entries: list[tuple[UserFile, str, LayerResult]], files: list[UserFile]
) -> Dataset:
    specs = []
    results = dict(dataset.layers)
    display = dict(dataset.display)
    for file, layer_id, result in entries:
        title = Path(file.name).name + (f" — {result.layer}" if len(file.layers) > 1 else "")
        frame = user_provenance(result.frame, Path(file.name).name, layer_id)
        specs.append(
            LayerSpec(
                id=layer_id,
                title=f"{title} (yours)",
                file=file.name,
                theatre="",
                role="user",
                description=f"Your file {title}: {len(frame)} features",
                style=USER_STYLE,
            )
        )
        results[layer_id] = dataclasses.replace(result, frame=frame)
        display[layer_id] = display_frame(results[layer_id], basemap=False)
    seen = set(dataset.events.frame["event_id"].astype(str))
    for f in files:  # an event is counted once, whichever files hold it
        if f.events is not None and len(f.events.frame):
            fresh = first_seen(f.events.frame, seen)
            if (repeats := len(f.events.frame) - len(fresh)) > 0:
                note = f"{repeats} events repeat ids already loaded: each is kept once"
                f.events = dataclasses.replace(f.events, frame=fresh, notes=[*f.events.notes, note])
    events = [f.events for f in files if f.events is not None and len(f.events.frame)]
    merged = merge_events([dataset.events.frame] + [e.frame for e in events])
    catalog = dataclasses.replace(dataset.catalog, layers=dataset.catalog.layers + tuple(specs))
    events_result = dataclasses.replace(dataset.events, frame=merged)
    return Dataset(catalog, results, display, events_result, dataset.store)
