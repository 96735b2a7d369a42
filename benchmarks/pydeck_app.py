"""What a user would otherwise pick for a million points in Streamlit: every event as a
point of a deck.gl ScatterplotLayer in `st.pydeck_chart` (deck.gl ships inside Streamlit;
``map_provider=None`` needs no tiles, so it runs offline). Not part of regionmap; only
benchmarks/stores_dashboard.py runs it, with PYDECK_EVENTS naming the events CSV.

The frame sent is the usual one for a tooltip: position, type, date and place per event
(the notes and the other columns are left out, which is kinder than passing the whole
frame, as many do).
"""

import os

import pandas as pd
import pydeck as pdk
import streamlit as st

COLOURS = {  # one per ACLED type, as a person would pick them
    "Battles": [200, 30, 30],
    "Explosions/Remote violence": [240, 120, 0],
    "Violence against civilians": [120, 0, 120],
    "Protests": [30, 100, 200],
    "Riots": [0, 150, 150],
    "Strategic developments": [90, 90, 90],
}


@st.cache_data
def events(path: str) -> pd.DataFrame:
    frame = pd.read_csv(
        path,
        usecols=["event_date", "event_type", "location", "latitude", "longitude"],
        dtype={"event_type": str, "location": str, "event_date": str},
    )
    for i, channel in enumerate("rgb"):
        values = {name: rgb[i] for name, rgb in COLOURS.items()}
        frame[channel] = frame["event_type"].map(values).fillna(0).astype("uint8")
    return frame


st.set_page_config(layout="wide")
st.title("pydeck baseline")
frame = events(os.environ["PYDECK_EVENTS"])
layer = pdk.Layer(
    "ScatterplotLayer",
    data=frame,
    get_position="[longitude, latitude]",
    get_fill_color="[r, g, b]",
    get_radius=2000,
    radius_min_pixels=1,
    pickable=True,
)
deck = pdk.Deck(
    layers=[layer],
    initial_view_state=pdk.ViewState(latitude=38, longitude=34, zoom=4),
    map_provider=None,
    map_style=None,
    tooltip={"text": "{event_type}\n{event_date}, {location}"},
)
st.pydeck_chart(deck, height=620)
st.caption(f"{len(frame):,} events")
