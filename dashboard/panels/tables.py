"""Below the map: the events table, the timeline, or the layers and their sources.

Owns the ``below`` control; only the chosen view is built (a hidden chart would still cost
every rerun). Dates and links in the table come from `regionmap.event_when` and
`regionmap.safe_url`; the panel must not parse, filter or reformat event data itself.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

import regionmap
from panels import view

TABLE_ROWS = 1000  # events listed below the map
TIMELINE_ROWS = 5 * TABLE_ROWS  # events drawn on the timeline


def _events(data: regionmap.Dataset, shown: pd.DataFrame, count: int) -> None:
    if count > TABLE_ROWS:
        st.caption(
            f"The first {TABLE_ROWS:,} of {count:,} events by date; export CSV for all of them."
        )
    first = data.first_events(shown, TABLE_ROWS)
    table = first.assign(
        date=first.apply(regionmap.event_when, axis=1) if len(first) else [],
        link=first["source_url"].str.split(" | ", regex=False).str[0].map(regionmap.safe_url),
    )[["date", "title", "actor1", "actor2", "theatre", "source", "link"]]
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={"link": st.column_config.LinkColumn("link", display_text="open")},
    )


def _timeline(data: regionmap.Dataset, shown: pd.DataFrame, count: int, days: view.Days) -> None:
    if count > TIMELINE_ROWS:
        st.caption(f"The first {TIMELINE_ROWS:,} of {count:,} events by date.")
    if not len(shown):
        st.caption("No event in the current filter.")
        return
    catalog = data.catalog
    first = data.first_events(shown, TIMELINE_ROWS)
    chart_data = first.assign(
        theatre_title=first["theatre"].map(lambda t: catalog.theatre(t).title if t else ""),
        end_clipped=first["end"].clip(upper=pd.Timestamp(days.last)),
    )[["title", "start", "end_clipped", "theatre_title", "event_type"]]
    # The axis follows the events in the window, not the slider's century; theatre names
    # are never cut (Vega-Lite cuts labels at 180 px by default).
    domain = [first["start"].min(), chart_data["end_clipped"].max()]
    rows = chart_data["theatre_title"].nunique()
    chart = (
        alt.Chart(chart_data)
        .mark_bar(height=10, minBandSize=3)
        .encode(
            x=alt.X("start:T", title=None, scale=alt.Scale(domain=domain, nice=True)),
            x2="end_clipped:T",
            y=alt.Y("theatre_title:N", title=None, axis=alt.Axis(labelLimit=0)),
            color=alt.Color("event_type:N", title="Event type"),
            tooltip=["title", "start", "event_type"],
        )
        .properties(height=max(120, 40 * rows))
    )
    st.altair_chart(chart, width="stretch")


def _layers(data: regionmap.Dataset) -> None:
    catalog = data.catalog
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "layer": s.title,
                    "theatre": s.theatre or s.role,
                    "features": len(data.layers[s.id].frame),
                    "description": s.description,
                }
                for s in catalog.layers
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    st.markdown("Sources: " + "; ".join(f"{s.title} ({s.licence})" for s in catalog.sources))


def draw(data: regionmap.Dataset, shown: pd.DataFrame, count: int, days: view.Days) -> None:
    """Below the map: ``shown`` holds the events (with a store, the first of them) and
    ``count`` how many there are."""
    below = st.segmented_control(
        "Below the map",
        ["Events", "Timeline", "Layers and sources"],
        default="Events",
        key="below",
        label_visibility="collapsed",
    )
    if below == "Events":
        _events(data, shown, count)
    elif below == "Timeline":
        _timeline(data, shown, count, days)
    elif below == "Layers and sources":
        _layers(data)
