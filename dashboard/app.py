"""regionmap dashboard (placeholder until the dashboard issue lands): lists the layers."""

import streamlit as st

import regionmap

catalog = regionmap.load_catalog()
st.set_page_config(page_title="regionmap", layout="wide")
st.title(catalog.title)
results = regionmap.load_layers(catalog)
st.table(
    [
        {"layer": s.id, "title": s.title, "features": len(results[s.id].frame)}
        for s in catalog.layers
    ]
)
