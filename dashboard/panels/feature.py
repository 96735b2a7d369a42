"""The selected feature: its name, layer and provenance, beside the map.

Owns nothing in session state. It is handed the clicked feature's GeoJSON (from `map`),
looks it up by id in the dataset and shows the rows `regionmap.provenance_rows` gives.
Must not read popup HTML, format dates or decide which facts a feature shows: the library
does, so the panel, the popup and the exports say the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

import regionmap
from panels import md_literal


def draw(data: regionmap.Dataset, clicked: Mapping[str, Any] | None, at: dt.date | None) -> None:
    """``clicked`` is the feature as the map returned it; ``at`` picks the status in force."""
    st.subheader("Selected")
    feature_id = regionmap.clicked_feature_id(clicked)
    found = data.feature(feature_id) if feature_id else None
    if found is None:
        st.caption("Click a border, zone or place on the map to see its provenance here.")
        return
    layer_id, props = found
    layer = data.catalog.layer(layer_id)
    st.markdown(f"**{md_literal(props['name'])}**")
    st.caption(layer.title)
    rows = regionmap.provenance_rows(props, layer, at)
    st.table(pd.DataFrame({"": [text for _, text in rows]}, index=[label for label, _ in rows]))
    url = regionmap.safe_url(props.get("source_url"))
    if url:
        st.link_button("Open source", url)
