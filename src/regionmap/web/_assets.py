"""Leaflet, jQuery and MarkerCluster from the XStatic packages: served locally or inlined.

Nothing is fetched from a CDN: the dashboard serves the packages' own files as static
files (copied, since Streamlit refuses symlinks), and an exported page carries them as
data: URIs, so the map draws with no network. Leaflet.draw, the dashboard's drawing
toolbar, has no XStatic package; the PyPI package django-leaflet ships its 1.0.4 release
files (byte for byte npm's ``leaflet-draw@1.0.4`` dist), so they come from there, read as
plain files (nothing of Django is imported), and are served the same way: no third-party
JS or CSS is committed here.
"""

from __future__ import annotations

import base64
import importlib.util
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import xstatic.pkg.jquery
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster


def _leaflet_draw_dir() -> Path:
    """The folder of Leaflet.draw's built files in the installed django-leaflet package
    (``leaflet/static/leaflet/draw``), found without importing it."""
    spec = importlib.util.find_spec("leaflet")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("django-leaflet is missing: pip install 'django-leaflet>=0.34'")
    return Path(next(iter(spec.submodule_search_locations))) / "static" / "leaflet" / "draw"


# a BASE_DIR like an XStatic package's
LEAFLET_DRAW = SimpleNamespace(BASE_DIR=str(_leaflet_draw_dir()))
DRAW_IMAGES = "spritesheet*"  # the toolbar's icons; its folder also holds Leaflet's markers


@dataclass(frozen=True)
class Asset:
    package: object
    name: str
    kind: str  # "js" or "css"
    group: str = "map"  # "map": every map; "cluster", "draw": only maps that use them


ASSETS: tuple[Asset, ...] = (
    Asset(xstatic.pkg.leaflet, "leaflet.js", "js"),
    Asset(xstatic.pkg.jquery, "jquery.min.js", "js"),
    Asset(xstatic.pkg.leaflet_markercluster, "leaflet.markercluster.js", "js", "cluster"),
    Asset(LEAFLET_DRAW, "leaflet.draw.js", "js", "draw"),
    Asset(xstatic.pkg.leaflet, "leaflet.css", "css"),
    Asset(xstatic.pkg.leaflet_markercluster, "MarkerCluster.css", "css", "cluster"),
    Asset(xstatic.pkg.leaflet_markercluster, "MarkerCluster.Default.css", "css", "cluster"),
    Asset(LEAFLET_DRAW, "leaflet.draw.css", "css", "draw"),
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
    shutil.copytree(  # the stylesheets' images/
        Path(xstatic.pkg.leaflet.BASE_DIR) / "images", dest / "images", dirs_exist_ok=True
    )
    for image in (Path(LEAFLET_DRAW.BASE_DIR) / "images").glob(DRAW_IMAGES):
        shutil.copyfile(image, dest / "images" / image.name)
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

    def links(self, kind: str, group: str = "map") -> list[tuple[str, str]]:
        """(name, URL) of the ``kind`` ("js", "css") assets of ``group``, as folium's
        ``default_js`` / ``default_css`` want them."""
        return [(a.name, self.url(a)) for a in ASSETS if a.kind == kind and a.group == group]

    def js(self) -> list[tuple[str, str]]:
        return self.links("js")

    def css(self) -> list[tuple[str, str]]:
        return self.links("css")

    def cluster_js(self) -> list[tuple[str, str]]:
        return self.links("js", "cluster")

    def cluster_css(self) -> list[tuple[str, str]]:
        return self.links("css", "cluster")
