"""Leaflet, jQuery and MarkerCluster from the XStatic packages: served locally or inlined.

No third-party JavaScript or CSS is committed or fetched from a CDN: the dashboard serves
the packages' own files as static files (copied, since Streamlit refuses symlinks), and an
exported page carries them as data: URIs, so the map draws with no network.
"""

from __future__ import annotations

import base64
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import xstatic.pkg.jquery
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster


@dataclass(frozen=True)
class Asset:
    package: object
    name: str
    kind: str  # "js" or "css"


ASSETS: tuple[Asset, ...] = (
    Asset(xstatic.pkg.leaflet, "leaflet.js", "js"),
    Asset(xstatic.pkg.jquery, "jquery.min.js", "js"),
    Asset(xstatic.pkg.leaflet_markercluster, "leaflet.markercluster.js", "js"),
    Asset(xstatic.pkg.leaflet, "leaflet.css", "css"),
    Asset(xstatic.pkg.leaflet_markercluster, "MarkerCluster.css", "css"),
    Asset(xstatic.pkg.leaflet_markercluster, "MarkerCluster.Default.css", "css"),
)


def asset_path(asset: Asset) -> Path:
    return Path(asset.package.BASE_DIR) / asset.name


def install_assets(dest: str | Path) -> Path:
    """Copy the XStatic files (real files: Streamlit refuses symlinks) into ``dest``."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for asset in ASSETS:
        src = asset_path(asset)
        target = dest / asset.name
        if not target.exists() or target.stat().st_size != src.stat().st_size:
            shutil.copyfile(src, target)
    images = Path(xstatic.pkg.leaflet.BASE_DIR) / "images"
    shutil.copytree(images, dest / "images", dirs_exist_ok=True)
    return dest


def _data_uri(asset: Asset) -> str:
    """An asset as a data: URI; a stylesheet's own images are inlined into it too."""
    path = asset_path(asset)
    data = path.read_bytes()
    if asset.kind == "js":
        return f"data:text/javascript;base64,{base64.b64encode(data).decode('ascii')}"

    def inline_image(match: re.Match) -> str:
        image = path.parent / match.group(1)
        if not image.is_file():
            return match.group(0)
        return f"url(data:image/png;base64,{base64.b64encode(image.read_bytes()).decode('ascii')})"

    css = re.sub(r"url\(['\"]?(images/[\w.-]+\.png)['\"]?\)", inline_image, data.decode("utf-8"))
    return f"data:text/css;base64,{base64.b64encode(css.encode('utf-8')).decode('ascii')}"


@dataclass(frozen=True)
class Assets:
    """Where the map's scripts and styles come from: a local URL prefix, or inlined."""

    base_url: str = "/app/static/"
    inline: bool = False
    basemap_url: str = ""  # fetch the basemap from here; empty: embed it

    def url(self, asset: Asset) -> str:
        if not self.inline:
            return self.base_url + asset.name
        return _data_uri(asset)

    def js(self) -> list[tuple[str, str]]:
        return [(a.name, self.url(a)) for a in ASSETS if a.kind == "js" and "cluster" not in a.name]

    def css(self) -> list[tuple[str, str]]:
        return [
            (a.name, self.url(a)) for a in ASSETS if a.kind == "css" and "Cluster" not in a.name
        ]

    def cluster_js(self) -> list[tuple[str, str]]:
        return [(a.name, self.url(a)) for a in ASSETS if a.kind == "js" and "cluster" in a.name]

    def cluster_css(self) -> list[tuple[str, str]]:
        return [(a.name, self.url(a)) for a in ASSETS if a.kind == "css" and "Cluster" in a.name]
