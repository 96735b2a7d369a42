"""regionmap dashboard: read widgets -> build a ViewSpec -> call regionmap -> draw.

This script only puts the panels in page order and hands each what it needs; every panel's
docstring (in ``panels/``) says what it owns. No geometry, parsing or styling here or in a
panel: all of that is in the `regionmap` package. `cache.py` is the only cache.
"""

from __future__ import annotations

import sys
import time

import cache
import streamlit as st
from panels import annotations, export, feature, sidebar, tables, view
from panels import map as map_panel

import regionmap

RUN_STARTED = time.perf_counter()
st.set_page_config(page_title="regionmap — Russia and Turkey", page_icon="🗺️", layout="wide")
st.html(f"<style>{cache.page_style()}</style>")  # the frame: dashboard/style.css

store = cache.dataset().store  # a shared store keeps files for every dashboard on it
data, user_files = cache.dataset_with_user_files(sidebar.user_files(store))
assets = cache.assets(data)
days = view.Days.of(data)
view.initialise(data.catalog, days)

sidebar.draw(data, user_files, days)
spec = view.spec_from_state(data.catalog, days)
view.publish(spec, data.catalog)
events = map_panel.events_to_draw(spec, data)
sidebar.event_counts(
    events.matching, data.event_count(), events.follows_map, events.in_map, events.mode
)

map_panel.heading(events.spec, data, events)
returned = map_panel.draw(events, data, assets)  # the whole width: the map is the page
if annotations.take_drawings(map_panel.drawn_features(returned)):
    st.rerun()  # the new mark joins the view: the map, the URL and the exports show it
feature_col, export_col = st.columns([3, 2], gap="large")
with feature_col:
    feature.draw(data, map_panel.clicked_feature(returned), events.spec.end)
with export_col:
    annotations.draw(spec)
    export.draw(events.spec, data, days)
tables.draw(data, events.shown, events.in_map, days)

if regionmap.read_setting("REGIONMAP_PROFILE") == "1":  # read by benchmarks/run.py
    print(f"regionmap-rerun-ms {1000 * (time.perf_counter() - RUN_STARTED):.1f}", file=sys.stderr)
