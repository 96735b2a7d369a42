"""The offline vector basemap (Natural Earth), and tile basemaps for users who are online."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import folium

from regionmap._atomic import atomic_write_text
from regionmap._dataset import Dataset
from regionmap._spec import BASEMAPS, ViewSpec
from regionmap.web._assets import Assets
from regionmap.web._elements import BasemapLayer

TILES = {
    "osm": (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "&copy; OpenStreetMap contributors",
    ),
    "carto-light": (
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png",
        "&copy; OpenStreetMap contributors &copy; CARTO",
    ),
    "esri-imagery": (
        "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
        "Tiles &copy; Esri",
    ),
}


def add_basemap(fmap: folium.Map, spec: ViewSpec, dataset: Dataset, assets: Assets) -> None:
    """The vector basemap under everything (fetched from ``assets.basemap_url`` or inline),
    and the tile basemap the view asks for on top of it."""
    layers = [s for s in dataset.catalog.layers if s.role == "basemap"]
    if layers and len(dataset.display[layers[0].id]):
        styles = [
            {
                "color": layer.style.color,
                "weight": layer.style.weight,
                "fillColor": layer.style.fill_color,
                "fillOpacity": layer.style.fill_opacity,
            }
            for layer in layers
        ]
        region = dataset.catalog.region_bbox
        if assets.basemap_url:
            BasemapLayer(styles, url=assets.basemap_url, region=region).add_to(fmap)
        else:
            BasemapLayer(styles, data=basemap_geojson(dataset), region=region).add_to(fmap)
    if spec.basemap in TILES:
        url, attribution = TILES[spec.basemap]
        folium.TileLayer(url, attr=attribution, name=BASEMAPS[spec.basemap]).add_to(fmap)


def basemap_geojson(dataset: Dataset) -> dict:
    """The drawn basemap as compact GeoJSON: geometry; ``s``, the index of its layer among
    the basemap layers (countries, lakes, rivers) where it is not the first; and ``z``,
    the first zoom it is drawn at, where it has one (rivers, by rank)."""
    features = []
    layers = [s for s in dataset.catalog.layers if s.role == "basemap"]
    for i, layer in enumerate(layers):
        frame = dataset.display[layer.id]
        zooms = frame["min_zoom"] if "min_zoom" in frame else [None] * len(frame)
        for geom, zoom in zip(frame.geometry, zooms, strict=True):
            if geom.geom_type == "Point":  # towns: drawn with their labels (MapLabels)
                continue
            props = {"s": i} if i else {}
            if zoom is not None and zoom == zoom:  # NaN-safe
                props["z"] = int(zoom)
            features.append(
                {"type": "Feature", "geometry": geom.__geo_interface__, "properties": props}
            )
    return {"type": "FeatureCollection", "features": features}


def basemap_file(dataset: Dataset, dest: str | Path) -> str:
    """Write the basemap into ``dest`` under a content-hashed name; return the name."""
    text = json.dumps(basemap_geojson(dataset), separators=(",", ":"))
    name = f"basemap-{hashlib.sha256(text.encode()).hexdigest()[:12]}.geojson"
    target = Path(dest) / name
    if not target.exists():
        atomic_write_text(target, text)
    return name
