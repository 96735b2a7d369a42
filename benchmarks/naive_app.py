"""The naive baseline the benchmarks compare against: the usual way to put these layers and
events on a Streamlit map (full-resolution GeoJSON, one folium Marker per event in a
MarkerCluster, default st_folium). Not part of regionmap; only benchmarks/ runs it."""

import json
import os
from pathlib import Path

import folium
import folium.plugins
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

ROOT = Path(__file__).resolve().parents[1]
geodata = Path(os.environ.get("REGIONMAP_GEODATA", ROOT / "geodata"))

fmap = folium.Map(location=[36, 30], zoom_start=5)
countries = json.loads((geodata / "sources" / "naturalearth_admin0.geojson").read_text())
folium.GeoJson(countries, name="countries").add_to(fmap)
for path in sorted((geodata / "layers").glob("*.geojson")):
    if path.stem == "basemap":
        continue
    folium.GeoJson(
        json.loads(path.read_text(encoding="utf-8")),
        name=path.stem,
        tooltip=folium.GeoJsonTooltip(fields=["name"]),
        popup=folium.GeoJsonPopup(fields=["name", "description", "source"]),
    ).add_to(fmap)
events = pd.read_csv(geodata / "events.csv", dtype=str, keep_default_na=False)
if "event_id_cnty" in events:
    events["title"] = events["event_type"] + " — " + events["location"]
limit = os.environ.get("NAIVE_UNTIL")
if limit:  # the naive view of the article's window, to compare like with like
    dates = pd.to_datetime(
        events["event_date"].where(events["event_date"] != "", events.get("date_start", "")),
        errors="coerce",
        format="mixed",
    )
    events = events[dates <= limit]
cluster = folium.plugins.MarkerCluster().add_to(fmap)
for row in events.itertuples():
    folium.Marker(
        [float(row.latitude), float(row.longitude)],
        tooltip=row.title,
        popup=row.notes,
    ).add_to(cluster)
folium.LayerControl().add_to(fmap)
st.title("naive baseline")
st_folium(fmap, width=1200, height=620)
