"""The dashboard's only cache: loaded data, keyed by the files' sizes and times.

A `folium.Map` is never cached (it draws blank when reused); the data behind it is, and
is reloaded when a file under geodata/ changes while the dashboard runs.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

import regionmap

STATIC = Path(__file__).resolve().parent / "static"


@st.cache_resource(show_spinner="Loading layers and events…", max_entries=4)
def _load(geodata: str, stamp: tuple) -> regionmap.Dataset:
    return regionmap.load_dataset(geodata)


def dataset() -> regionmap.Dataset:
    geodata = str(regionmap.default_geodata_dir())
    return _load(geodata, regionmap.dataset_stamp(geodata))


@st.cache_resource(show_spinner=False)
def static_assets() -> Path:
    """Leaflet and friends copied from the XStatic packages into ./static, once a process."""
    return regionmap.install_assets(STATIC)
