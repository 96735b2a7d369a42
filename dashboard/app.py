"""regionmap dashboard: read widgets -> build a ViewSpec -> call regionmap -> draw.

No geometry, parsing or styling here; all of that is in the `regionmap` package.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import sys
import time

import altair as alt
import cache
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import regionmap
from regionmap import PRESETS, ViewSpec

RUN_STARTED = time.perf_counter()
st.set_page_config(page_title="regionmap — Russia and Turkey", page_icon="🗺️", layout="wide")

STATE = st.session_state
STORE = cache.dataset().store  # a shared store keeps files for every dashboard on it
if "user_files" not in STATE:  # files kept from earlier sessions
    STATE["user_files"] = regionmap.kept_user_files(STORE)
elif regionmap.is_shared_store(STORE):  # and those another dashboard kept since
    STATE["user_files"] = {
        **STATE["user_files"],
        **regionmap.kept_user_files(STORE, STATE["user_files"]),
    }
data, user_files = cache.dataset_with_user_files(STATE["user_files"])
assets = cache.assets(data)
catalog = data.catalog
events = data.events.frame
FIRST_DAY = dt.date(1921, 1, 1)
LAST_DAY = max(dt.date.today(), events["start"].max().date() if len(events) else FIRST_DAY)


# ---------------------------------------------------------------- state <-> URL


def _apply_spec(spec: ViewSpec) -> None:
    """Put a spec into the widgets' session state (first run, or a restored view)."""
    for layer in catalog.layers:
        if layer.role != "basemap":
            STATE[f"layer:{layer.id}"] = layer.id in spec.layers
    STATE["basemap"] = spec.basemap
    STATE["window"] = (spec.start or FIRST_DAY, spec.end or LAST_DAY)
    STATE["types"] = list(spec.event_types)
    STATE["actors"] = list(spec.actors)
    STATE["theatres"] = list(spec.theatres)
    STATE["show_events"] = spec.show_events


if "initialised" not in STATE:
    url_spec, url_warnings = ViewSpec.from_query(st.query_params.to_dict(), catalog)
    _apply_spec(url_spec)
    STATE["url_warnings"] = url_warnings
    STATE["initialised"] = True


def _set_window(start: dt.date | None, end: dt.date | None) -> None:
    STATE["window"] = (start or FIRST_DAY, end or LAST_DAY)


def _zoom_to(theatre_id: str) -> None:
    STATE["view_override"] = regionmap.fit_view(catalog.theatre(theatre_id).bbox)


def _restore() -> None:
    """A snapshot was dropped on the uploader: bring back the view it carries."""
    upload = STATE.get("restore")
    if upload is None:
        return
    try:
        restored = regionmap.read_view(upload.getvalue(), upload.name).check(catalog)
    except regionmap.RegionmapError as exc:
        STATE["restore_error"] = str(exc)
        return
    STATE.pop("restore_error", None)
    _apply_spec(restored)
    STATE["view_override"] = (restored.center, restored.zoom)


def _add_uploads() -> None:
    """Each upload under a name of its own: a second "export.kml" becomes "export (2).kml"."""
    for upload in STATE.get("uploads") or []:
        data = upload.getvalue()
        name = regionmap.unique_name(upload.name, data, STATE["user_files"])
        if STATE.get("keep_uploads"):
            name = regionmap.keep_user_file(data, name, STORE)
        STATE["user_files"] = {**STATE["user_files"], name: data}


def _remove_upload(name: str) -> None:
    STATE["user_files"] = {k: v for k, v in STATE["user_files"].items() if k != name}
    regionmap.forget_user_file(name, STORE)


def _md(text: str) -> str:
    """A file's name or a note as literal text in Streamlit's Markdown (no links, no HTML)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", text)


def _reset() -> None:
    _apply_spec(ViewSpec.default(catalog))
    STATE["view_override"] = (None, None)


# ---------------------------------------------------------------- sidebar

side = st.sidebar
side.title("regionmap")
side.caption("Where Russia and Turkey meet: five theatres, one map.")
for warning in STATE.get("url_warnings", []):
    side.warning(f"Shared link: {warning}")

side.subheader("Time window")
preset_cols = side.columns(len(PRESETS))
for col, preset in zip(preset_cols, PRESETS, strict=True):
    col.button(
        preset.short,
        key=f"preset:{preset.id}",
        help=preset.label,
        on_click=_set_window,
        args=(preset.start, preset.end),
        width="stretch",
    )
side.slider(
    "Events and layers in force between",
    min_value=FIRST_DAY,
    max_value=LAST_DAY,
    key="window",
    format="YYYY-MM-DD",
)

side.subheader("Layers")
unavailable = data.unavailable()
for theatre in catalog.theatres:
    group = [s for s in catalog.layers if s.theatre == theatre.id]
    with side.expander(theatre.title, expanded=True):
        for layer in group:
            st.checkbox(
                layer.title,
                key=f"layer:{layer.id}",
                help=layer.description,
                disabled=layer.id in unavailable,
            )
            if layer.id in unavailable:
                st.caption(f"⚠️ unavailable: {unavailable[layer.id]}")
        st.button(
            f"Zoom to {theatre.title}",
            key=f"zoom:{theatre.id}",
            on_click=_zoom_to,
            args=(theatre.id,),
            width="stretch",
        )
with side.expander("Your data", expanded=bool(STATE["user_files"])):
    st.file_uploader(
        "Add layers (GeoJSON, GeoPackage, KML/KMZ, zipped Shapefile) or events (CSV: ACLED, "
        "UCDP GED, ours)",
        type=[s.lstrip(".") for s in regionmap.USER_FILE_SUFFIXES],
        accept_multiple_files=True,
        key="uploads",
        on_change=_add_uploads,
        help=f"Up to {regionmap.MAX_UPLOAD_MB} MB a file. Checked like our own data.",
    )
    st.checkbox(
        "Keep my files for the next session",
        key="keep_uploads",
        help="Saved in the shared store, for every dashboard on it."
        if regionmap.is_shared_store(STORE)
        else f"Saved in {regionmap.user_data_dir()}, never inside geodata/.",
    )
    for index, user_file in enumerate(user_files):
        st.markdown(f"**{_md(user_file.name)}**")
        if user_file.error:
            st.error(user_file.error)
        for layer_id, result in user_file.layers:
            if f"layer:{layer_id}" not in STATE:
                STATE[f"layer:{layer_id}"] = True
            spec = catalog.layer(layer_id)
            st.checkbox(_md(f"{spec.title}: {len(result.frame)} features"), key=f"layer:{layer_id}")
        for note in user_file.notes:
            st.caption(f"ℹ️ {_md(note)}")
        problems = [str(p) for p in user_file.problems]
        if problems:
            st.caption(f"⚠️ {len(problems)} problems; the rest is shown:")
            st.code("\n".join(problems[:20]) + ("\n…" if len(problems) > 20 else ""))
        st.button("Remove", key=f"remove:{index}", on_click=_remove_upload, args=(user_file.name,))
side.radio(
    "Basemap",
    options=list(regionmap.BASEMAPS),
    format_func=regionmap.BASEMAPS.get,
    key="basemap",
    help="The offline basemap always draws; the others need the internet.",
)

side.subheader("Events")
side.toggle("Show events", key="show_events")
options = cache.event_options(data)
side.multiselect("Event type", options["types"], key="types")
side.multiselect("Actor", options["actors"], key="actors")
side.multiselect(
    "Theatre",
    list(catalog.theatre_ids),
    format_func=lambda t: catalog.theatre(t).title,
    key="theatres",
)
side.button("Reset view", on_click=_reset, width="stretch")

# ---------------------------------------------------------------- the spec

start, end = STATE["window"]
if "view_override" in STATE:
    center, zoom = STATE.pop("view_override")
else:
    position, _ = ViewSpec.from_query(
        {k: v for k, v in st.query_params.to_dict().items() if k in ("c", "z")}, catalog
    )
    center, zoom = position.center, position.zoom
spec = ViewSpec(
    layers=tuple(
        s.id for s in catalog.layers if s.role != "basemap" and STATE.get(f"layer:{s.id}")
    ),
    basemap=STATE["basemap"],
    start=None if start <= FIRST_DAY else start,
    end=None if end >= LAST_DAY else end,
    event_types=tuple(STATE["types"]),
    actors=tuple(STATE["actors"]),
    theatres=tuple(STATE["theatres"]),
    show_events=STATE["show_events"],
    center=center,
    zoom=zoom,
)
st.query_params.from_dict(spec.to_query(catalog))

# With a store (DuckDB, PostGIS) the events are counted, gridded and paged in SQL: the app
# holds the cells and the first rows, never the whole selection.
SQL = data.store is not None
event_filter = spec.event_filter()
cells = None
if not spec.show_events:
    shown, n_shown = events.iloc[0:0], 0
elif SQL:
    shown, n_shown = None, data.count_events(event_filter)
else:
    shown = data.visible_events(spec, light=True)
    n_shown = len(shown)
side.markdown(f"**{n_shown:,} of {data.event_count():,} events shown**")
mode = regionmap.event_mode(n_shown)
returned = ["last_object_clicked_popup"]
if mode == "aggregated":
    # counts per cell follow the map: panning and zooming rerun, in this mode only
    returned += ["bounds", "zoom"]
    last = STATE.get("map") or {}
    bounds, last_zoom = last.get("bounds"), last.get("zoom")
    sw, ne = (bounds or {}).get("_southWest") or {}, (bounds or {}).get("_northEast") or {}
    # bounds from a map not yet laid out are a point: filtering by them would hide everything
    if last_zoom and ne.get("lat", 0) > sw.get("lat", 0) and ne.get("lng", 0) > sw.get("lng", 0):
        in_view = regionmap.EventFilter(bbox=(sw["lng"], sw["lat"], ne["lng"], ne["lat"]))
        spec = spec.replace(
            center=(round((sw["lat"] + ne["lat"]) / 2, 4), round((sw["lng"] + ne["lng"]) / 2, 4)),
            zoom=int(last_zoom),
        )
        if SQL:
            event_filter = dataclasses.replace(event_filter, bbox=in_view.bbox)
            n_shown = data.count_events(event_filter)
        else:
            shown = regionmap.apply_filter(shown, in_view)
            n_shown = len(shown)
        mode = regionmap.event_mode(n_shown)
    side.info(
        f"Aggregated view: {n_shown:,} events in the map as counts per cell. "
        f"Filter or zoom in below {regionmap.MAX_MARKERS:,} to see each event."
        if mode == "aggregated"
        else f"{n_shown:,} events in this part of the map, shown one by one."
    )
TABLE_ROWS = 1000
if SQL and spec.show_events:
    shown = data.first_light(event_filter, TABLE_ROWS * 5)  # the most any panel shows
    if mode == "aggregated":
        cells = data.event_cells(event_filter, spec.zoom or 5)

# ---------------------------------------------------------------- main

window_text = (
    f"events up to {spec.end:%-d %B %Y}"
    if spec.start is None and spec.end
    else f"events {spec.start or FIRST_DAY:%-d %b %Y} – {spec.end or LAST_DAY:%-d %b %Y}"
)
st.subheader("Where Russia and Turkey meet: " + window_text)
st.caption(
    f"Kars borders · Lachin corridor · NE Syria patrol zones · Akkuyu · Libya — "
    f"{len(spec.layers)} layers, {n_shown} events · data as of {catalog.as_of} · "
    "click any feature for its sources"
)
PROBLEMS_SHOWN = 200
if data.problems:
    with st.expander(f"⚠️ {len(data.problems):,} data problems (the rest of the map works)"):
        # an ACLED file can have thousands of bad rows: list the first, point to the rest
        for problem in data.problems[:PROBLEMS_SHOWN]:
            st.text(str(problem))
        if len(data.problems) > PROBLEMS_SHOWN:
            st.caption(
                f"… and {len(data.problems) - PROBLEMS_SHOWN:,} more: "
                "`regionmap validate FILE` lists them all."
            )

map_col, info_col = st.columns([4, 1])
with map_col:
    fmap = regionmap.render_map(
        spec, data, assets, events=shown, cells=cells, n_events=n_shown if SQL else None
    )
    clicked = st_folium(
        fmap,
        key="map",
        height=620,
        use_container_width=True,
        returned_objects=returned,
    )

with info_col:
    st.subheader("Selected")
    popup = (clicked or {}).get("last_object_clicked_popup") or ""
    match = re.search(r"ID\s*([\w.:-]+)\s*$", popup.strip())
    found = data.feature(match.group(1)) if match else None
    if found is None:
        st.caption("Click a border, zone or place on the map to see its provenance here.")
    else:
        layer_id, props = found
        st.markdown(f"**{props['name']}**")
        st.caption(catalog.layer(layer_id).title)
        facts = {
            "Source": props.get("source"),
            "As of": props.get("as_of"),
            "Valid": f"{props.get('valid_from') or '…'} – {props.get('valid_to') or 'now'}",
            "Legal basis": props.get("legal_basis") or "—",
            "Status": props.get("status"),
            "Precision": f"± {props.get('precision_m')} m",
        }
        if "measured" in props:
            facts["Measured"] = f"{props['measured']:.1f} {props['measured_unit']} (geodesic)"
        official = props.get("official_length_km")
        if official is not None and official == official:
            facts["Official"] = f"{official:.0f} km ({props.get('official_source')})"
        st.table(pd.DataFrame({"": list(facts.values())}, index=list(facts.keys())))
        url = regionmap.safe_url(props.get("source_url"))
        if url:
            st.link_button("Open source", url)

EXPORT_MIME = {
    "png": "image/png",
    "png-static": "image/png",
    "html": "text/html",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "geojson": "application/geo+json",
    "csv": "text/csv",
    "zip": "application/zip",
}
with info_col, st.expander("Export snapshot"):
    fmt = st.selectbox(
        "Format",
        list(EXPORT_MIME),
        key="export_format",
        format_func=lambda f: {
            "png": "PNG, as seen",
            "png-static": "PNG print map (no browser needed)",
            "html": "HTML, interactive, offline",
            "svg": "SVG print map",
            "pdf": "PDF print map",
            "geojson": "GeoJSON data",
            "csv": "CSV data",
            "zip": "Bundle (PNG, data, sources)",
        }[f],
    )
    size_label = st.selectbox("Size", ["1600x1000", "1200x800", "2400x1500", "1000x1000"])
    scale = st.radio("Pixel ratio", [1, 2], horizontal=True, key="export_scale")
    export_title = st.text_input(
        "Title", key="export_title", placeholder="Where Russia and Turkey meet…"
    )
    if st.button("Prepare snapshot", key="export_go", width="stretch"):
        width, height = (int(v) for v in size_label.split("x"))
        renderer = "static" if fmt == "png-static" else "browser"
        kind = fmt.removesuffix("-static")
        options = regionmap.SnapshotOptions((width, height), scale, export_title, renderer)
        with st.spinner("Rendering the snapshot…"):
            try:
                payload = regionmap.snapshot_bytes(spec, data, kind, options)
            except regionmap.RegionmapError as exc:
                STATE.pop("export_file", None)
                st.error(f"Export failed: {exc}")
            else:
                STATE["export_file"] = (f"regionmap-{dt.date.today()}.{kind}", payload, fmt)
    if "export_file" in STATE:
        name, payload, kind = STATE["export_file"]
        st.download_button(
            f"Download {name} ({len(payload) / 1024:,.0f} KB)",
            payload,
            file_name=name,
            mime=EXPORT_MIME[kind],
            key="export_download",
            width="stretch",
        )
    st.file_uploader(
        "Restore a view from a snapshot",
        type=["png", "html", "svg", "json", "zip"],
        key="restore",
        on_change=_restore,
    )
    if "restore_error" in STATE:
        st.error(STATE["restore_error"])

# Only the chosen panel is built: a hidden chart would still cost every rerun.
below = st.segmented_control(
    "Below the map",
    ["Events", "Timeline", "Layers and sources"],
    default="Events",
    key="below",
    label_visibility="collapsed",
)
if below == "Events":
    if n_shown > TABLE_ROWS:
        st.caption(
            f"The first {TABLE_ROWS:,} of {n_shown:,} events by date; export CSV for all of them."
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
elif below == "Timeline":
    if n_shown > TABLE_ROWS * 5:
        st.caption(f"The first {TABLE_ROWS * 5:,} of {n_shown:,} events by date.")
    if len(shown):
        first = data.first_events(shown, TABLE_ROWS * 5)
        chart_data = first.assign(
            theatre_title=first["theatre"].map(lambda t: catalog.theatre(t).title if t else ""),
            end_clipped=first["end"].clip(upper=pd.Timestamp(LAST_DAY)),
        )[["title", "start", "end_clipped", "theatre_title", "event_type"]]
        chart = (
            alt.Chart(chart_data)
            .mark_bar(height=10)
            .encode(
                x=alt.X("start:T", title=None),
                x2="end_clipped:T",
                y=alt.Y("theatre_title:N", title=None),
                color=alt.Color("event_type:N", title="Event type"),
                tooltip=["title", "start", "event_type"],
            )
            .properties(height=260)
        )
        st.altair_chart(chart, width="stretch")
    else:
        st.caption("No event in the current filter.")
elif below == "Layers and sources":
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

if os.environ.get("REGIONMAP_PROFILE") == "1":  # read by benchmarks/run.py
    print(f"regionmap-rerun-ms {1000 * (time.perf_counter() - RUN_STARTED):.1f}", file=sys.stderr)
