"""The registry of what exists: theatres, layers, the events file and the sources.

`geodata/catalog.toml` is data, not code, so users can point regionmap at their own
folder. It is parsed once into frozen specs; every later stage asks the catalog rather
than globbing the file system.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from regionmap._errors import CatalogError
from regionmap._settings import read_setting, setting

# Axis order is in the name: GeoJSON, shapely and boxes are (longitude, latitude); folium's
# `location` and the view's centre are (latitude, longitude). Degrees, WGS84 (EPSG:4326).
BBox = tuple[float, float, float, float]  # (west, south, east, north)
LonLat = tuple[float, float]  # (longitude, latitude)
LatLon = tuple[float, float]  # (latitude, longitude)

GEODATA_ENV = setting("REGIONMAP_GEODATA").name


@dataclass(frozen=True)
class Style:
    """How a layer is drawn; the same values drive the web map and the static map."""

    color: str = "#444444"
    weight: float = 2.0
    dash: str = ""
    fill_color: str = ""
    fill_opacity: float = 0.0
    radius: float = 6.0


@dataclass(frozen=True)
class SourceSpec:
    id: str
    title: str
    url: str
    licence: str
    file: str = ""


@dataclass(frozen=True)
class TheatreSpec:
    """One of the five places; its bbox frames 'zoom to theatre' and catches swapped lat/lon."""

    id: str
    title: str
    bbox: BBox
    description: str = ""


@dataclass(frozen=True)
class LayerSpec:
    id: str
    title: str
    file: str
    theatre: str = ""
    role: str = "overlay"  # "overlay" or "basemap"
    visible: bool = True
    description: str = ""
    sources: tuple[str, ...] = ()
    style: Style = field(default_factory=Style)
    # where its features may lie, when not its theatre's box: context beyond the theatre
    # (Natural Earth's breakaway lines of Georgia beside the Kars borders)
    bbox: BBox | None = None

    @property
    def group(self) -> str:
        return self.theatre or self.role


@dataclass(frozen=True)
class Catalog:
    root: Path
    title: str
    as_of: str
    region_bbox: BBox
    events_file: str
    theatres: tuple[TheatreSpec, ...]
    layers: tuple[LayerSpec, ...]
    sources: tuple[SourceSpec, ...]

    @property
    def path(self) -> Path:
        return self.root / "catalog.toml"

    @property
    def events_path(self) -> Path:
        return self.root / self.events_file

    def layer(self, layer_id: str) -> LayerSpec:
        for spec in self.layers:
            if spec.id == layer_id:
                return spec
        known = ", ".join(s.id for s in self.layers)
        raise CatalogError(self.path, f"no layer {layer_id!r}; known layers: {known}")

    def theatre(self, theatre_id: str) -> TheatreSpec:
        for spec in self.theatres:
            if spec.id == theatre_id:
                return spec
        known = ", ".join(t.id for t in self.theatres)
        raise CatalogError(self.path, f"no theatre {theatre_id!r}; known theatres: {known}")

    def layer_path(self, layer_id: str) -> Path:
        return self.root / self.layer(layer_id).file

    def bbox_for(self, layer: LayerSpec) -> BBox:
        """Where a layer's features may lie: its own box, its theatre's, else the region's."""
        if layer.bbox is not None:
            return layer.bbox
        if layer.theatre:
            return self.theatre(layer.theatre).bbox
        return self.region_bbox

    @property
    def theatre_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.theatres)


def default_geodata_dir() -> Path:
    """`$REGIONMAP_GEODATA`, else `./geodata`, else the folder shipped beside the package."""
    env = read_setting(GEODATA_ENV)
    if env:
        return Path(env)
    cwd = Path.cwd() / "geodata"
    if (cwd / "catalog.toml").is_file():
        return cwd
    return Path(__file__).resolve().parents[2] / "geodata"


def _bbox(value: object, path: Path, where: str) -> BBox:
    ok = isinstance(value, list) and len(value) == 4
    ok = ok and all(isinstance(v, int | float) for v in value)  # type: ignore[union-attr]
    if not ok:
        raise CatalogError(path, f"bbox must be [west, south, east, north], got {value!r}", where)
    west, south, east, north = (float(v) for v in value)  # type: ignore[union-attr]
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise CatalogError(path, f"bbox {value!r} is not west < east, south < north", where)
    return (west, south, east, north)


def _require(table: dict, key: str, path: Path, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CatalogError(path, f"missing or empty {key!r}", where)
    return value


def load_catalog(geodata: str | Path | None = None) -> Catalog:
    """Parse and check `catalog.toml`; the files it names are checked by `validate`.

    Parameters
    ----------
    geodata : str or Path, optional
        The geodata folder holding ``catalog.toml``; None: ``$REGIONMAP_GEODATA``, else
        ``./geodata``, else the one shipped beside the package.

    Returns
    -------
    Catalog
        Frozen specs: theatres (each with a ``bbox`` as (west, south, east, north) degrees,
        EPSG:4326), layers, sources, the region's bbox and the as-of date.

    Raises
    ------
    CatalogError
        No ``catalog.toml``, invalid TOML, a missing key, a bbox not west < east and
        south < north; names the file, the entry and the problem.
    """
    root = Path(geodata) if geodata is not None else default_geodata_dir()
    path = root / "catalog.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogError(path, "no catalog.toml here (is --geodata the right folder?)") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CatalogError(path, f"not valid TOML: {exc}") from None

    sources = tuple(
        SourceSpec(
            id=_require(s, "id", path, f"source {i + 1}"),
            title=_require(s, "title", path, f"source {i + 1}"),
            url=s.get("url", ""),
            licence=s.get("licence", ""),
            file=s.get("file", ""),
        )
        for i, s in enumerate(data.get("source", []))
    )
    theatres = tuple(
        TheatreSpec(
            id=_require(t, "id", path, f"theatre {i + 1}"),
            title=_require(t, "title", path, f"theatre {i + 1}"),
            bbox=_bbox(t.get("bbox"), path, f"theatre {t.get('id', i + 1)}"),
            description=t.get("description", ""),
        )
        for i, t in enumerate(data.get("theatre", []))
    )
    theatre_ids = {t.id for t in theatres}
    source_ids = {s.id for s in sources}
    layers = []
    seen: set[str] = set()
    for i, entry in enumerate(data.get("layer", [])):
        where = f"layer {entry.get('id', i + 1)}"
        layer_id = _require(entry, "id", path, where)
        if layer_id in seen:
            raise CatalogError(path, f"duplicate layer id {layer_id!r}", where)
        seen.add(layer_id)
        theatre = entry.get("theatre", "")
        if theatre and theatre not in theatre_ids:
            raise CatalogError(path, f"unknown theatre {theatre!r}", where)
        unknown = [s for s in entry.get("sources", []) if s not in source_ids]
        if unknown:
            raise CatalogError(path, f"unknown sources {unknown}", where)
        role = entry.get("role", "overlay")
        if role not in ("overlay", "basemap"):
            raise CatalogError(path, f"role must be 'overlay' or 'basemap', got {role!r}", where)
        try:
            style = Style(**entry.get("style", {}))
        except TypeError as exc:
            raise CatalogError(path, f"bad style: {exc}", where) from None
        layers.append(
            LayerSpec(
                id=layer_id,
                title=_require(entry, "title", path, where),
                file=_require(entry, "file", path, where),
                theatre=theatre,
                role=role,
                visible=bool(entry.get("visible", True)),
                description=entry.get("description", ""),
                sources=tuple(entry.get("sources", [])),
                style=style,
                bbox=_bbox(entry["bbox"], path, where) if "bbox" in entry else None,
            )
        )
    return Catalog(
        root=root,
        title=data.get("title", "regionmap"),
        as_of=data.get("as_of", ""),
        region_bbox=_bbox(data.get("region_bbox", [9, 25, 52, 47]), path, "region_bbox"),
        events_file=data.get("events", "events.csv"),
        theatres=theatres,
        layers=tuple(layers),
        sources=sources,
    )
