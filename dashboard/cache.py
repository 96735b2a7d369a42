"""The dashboard's only cache: loaded data, keyed by the files' sizes and times.

A `folium.Map` is never cached (it draws blank when reused); the data behind it is, and
is reloaded when a file under geodata/ changes while the dashboard runs.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import streamlit as st

import regionmap

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
STATIC_URL = "/app/static/"


def _key() -> tuple[str, tuple]:
    """The data folder, sizes and times of its files and of the extra events file, and the
    store and cache folder the data comes through (settings a test may change in-process)."""
    geodata = str(regionmap.default_geodata_dir())
    stamp = regionmap.dataset_stamp(geodata)
    stamp += ((regionmap.read_setting("REGIONMAP_STORE"), str(regionmap.user_data_dir())),)
    events = regionmap.read_setting("REGIONMAP_EVENTS")
    if events:
        path = Path(events)
        stat = path.stat() if path.is_file() else None
        stamp += ((str(path), stat.st_mtime_ns if stat else 0, stat.st_size if stat else -1),)
    return geodata, stamp


@st.cache_resource(show_spinner="Loading layers and events…", max_entries=4)
def _load(geodata: str, stamp: tuple) -> regionmap.Dataset:
    return regionmap.load_dataset(
        geodata,
        cache_dir=regionmap.user_data_dir() / "cache",
        events_file=regionmap.read_setting("REGIONMAP_EVENTS"),
        store=regionmap.read_setting("REGIONMAP_STORE"),
    )


@st.cache_resource(show_spinner=False, max_entries=4)
def _assets(data_id: int, _data: regionmap.Dataset) -> regionmap.Assets:
    """Leaflet and friends from the XStatic packages, and the basemap, as static files."""
    regionmap.install_assets(STATIC)
    name = regionmap.basemap_file(_data, STATIC)
    return regionmap.Assets(base_url=STATIC_URL, basemap_url=STATIC_URL + name)


def dataset() -> regionmap.Dataset:
    return _load(*_key())


def assets(data: regionmap.Dataset) -> regionmap.Assets:
    """Keyed by the loaded dataset object, which the cache keeps while files are unchanged."""
    return _assets(id(data), data)


@st.cache_resource(show_spinner="Checking your files…", max_entries=8)
def _with_user(
    geodata: str, stamp: tuple, key: tuple, _files: dict[str, bytes]
) -> tuple[regionmap.Dataset, list[regionmap.UserFile]]:
    """The dataset with the user's files on top, and what was read of each file."""
    return regionmap.with_user_files(_load(geodata, stamp), _files)


def dataset_with_user_files(
    files: dict[str, bytes],
) -> tuple[regionmap.Dataset, list[regionmap.UserFile]]:
    if not files:
        return dataset(), []
    key = tuple((name, hashlib.sha256(data).hexdigest()) for name, data in files.items())
    return _with_user(*_key(), key, files)


@st.cache_resource(show_spinner=False, max_entries=8)
def _options(data_id: int, _data: regionmap.Dataset) -> dict[str, list[str]]:
    return _data.event_choices()


def event_options(data: regionmap.Dataset) -> dict[str, list[str]]:
    """Filter choices, computed once per loaded dataset (a million events take a second)."""
    return _options(id(data), data)


@st.cache_data
def page_style() -> str:
    """The dashboard's CSS (``style.css``): the map takes the screen, no label is cut."""
    return (HERE / "style.css").read_text(encoding="utf-8")
