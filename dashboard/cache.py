"""The dashboard's only cache: loaded data, keyed by the files' sizes and times.

A `folium.Map` is never cached (it draws blank when reused); the data behind it is, and
is reloaded when a file under geodata/ changes while the dashboard runs.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

import regionmap

STATIC = Path(__file__).resolve().parent / "static"
STATIC_URL = "/app/static/"


def _key() -> tuple[str, tuple]:
    geodata = str(regionmap.default_geodata_dir())
    return geodata, regionmap.dataset_stamp(geodata)


@st.cache_resource(show_spinner="Loading layers and events…", max_entries=4)
def _load(geodata: str, stamp: tuple) -> regionmap.Dataset:
    return regionmap.load_dataset(geodata)


@st.cache_resource(show_spinner=False, max_entries=4)
def _assets(geodata: str, stamp: tuple) -> regionmap.Assets:
    """Leaflet and friends from the XStatic packages, and the basemap, as static files."""
    regionmap.install_assets(STATIC)
    name = regionmap.basemap_file(_load(geodata, stamp), STATIC)
    return regionmap.Assets(base_url=STATIC_URL, basemap_url=STATIC_URL + name)


def dataset() -> regionmap.Dataset:
    return _load(*_key())


def assets() -> regionmap.Assets:
    return _assets(*_key())
