"""The sidebar: time window, layers, your data, basemap, events filters, and the count of
events shown.

Owns these widgets and their keys (``preset:<id>``, ``window``, ``compare``,
``compare_window``, ``layer:<id>``, ``zoom:<theatre>``, ``uploads``, ``keep_uploads``,
``remove:<n>``, ``basemap``, ``lang``, ``show_events``, ``types``, ``actors``,
``theatres``) and the user's files in session state (``user_files``). It writes the view
only through `view`; it must not build the `ViewSpec`, draw the map, or read or check a
file itself (`regionmap` does).
"""

from __future__ import annotations

import cache
import streamlit as st

import regionmap
from panels import md_literal, view
from regionmap import PRESETS

PROBLEMS_LISTED = 20  # of one uploaded file, in the sidebar


# ---------------------------------------------------------------- your files


def user_files(store: object = None) -> dict[str, bytes]:
    """The user's files by name: on a session's first run, those kept from earlier ones;
    with a shared store, also those another dashboard on it kept since."""
    state = st.session_state
    if "user_files" not in state:
        state["user_files"] = regionmap.kept_user_files(store)
    elif regionmap.is_shared_store(store):
        state["user_files"] = {
            **state["user_files"],
            **regionmap.kept_user_files(store, state["user_files"]),
        }
    state["_store"] = store  # for the callbacks below, which run before the script
    return state["user_files"]


def _add_uploads() -> None:
    """Each upload under a name of its own: a second "export.kml" becomes "export (2).kml"."""
    state = st.session_state
    state.pop("restore_warnings", None)  # the files it named may be these
    for upload in state.get("uploads") or []:
        data = upload.getvalue()
        name = regionmap.unique_name(upload.name, data, state["user_files"])
        if state.get("keep_uploads"):
            name = regionmap.keep_user_file(data, name, state.get("_store"))
        state["user_files"] = {**state["user_files"], name: data}


def _keep_files() -> None:
    """Ticked after the uploads: keep the files already added too, not only later ones."""
    state = st.session_state
    if not state.get("keep_uploads"):
        return
    kept = {}
    for name, data in state["user_files"].items():
        kept[regionmap.keep_user_file(data, name, state.get("_store"))] = data
    state["user_files"] = kept


def _remove_upload(name: str) -> None:
    state = st.session_state
    state["user_files"] = {k: v for k, v in state["user_files"].items() if k != name}
    regionmap.forget_user_file(name, state.get("_store"))


# ---------------------------------------------------------------- sections


def _time_window(days: view.Days) -> None:
    side = st.sidebar
    side.subheader("Time window")
    for col, preset in zip(side.columns(len(PRESETS)), PRESETS, strict=True):
        col.button(
            preset.short,
            key=f"preset:{preset.id}",
            help=preset.label,
            on_click=view.set_window,
            args=(preset.start, preset.end, days),
            width="stretch",
        )
    side.slider(
        "Events and layers in force between",
        min_value=days.first,
        max_value=days.last,
        key="window",
        format="YYYY-MM-DD",
    )
    start, end = st.session_state.get("window", (days.first, days.last))
    # the rule of ViewSpec.layer_window, said where the window is set (a new user read
    # "in force between 1921 and 2021" and expected the 1994 line in colour)
    side.caption(
        f"From the first record: layers as they stood on {end:%d %B %Y}."
        if start <= days.first
        else "Layers in force at any time in the window are drawn in colour."
    )
    side.toggle(
        "Compare with another window",
        key="compare",
        on_change=view.start_compare,
        args=(days,),
        help="Two maps side by side, the same view at two windows; kept in the URL.",
    )
    if st.session_state.get("compare"):
        side.slider(
            "Second window",
            min_value=days.first,
            max_value=days.last,
            key="compare_window",
            format="YYYY-MM-DD",
        )


def _layers(data: regionmap.Dataset) -> None:
    catalog = data.catalog
    st.sidebar.subheader("Layers")
    unavailable = data.unavailable()
    for theatre in catalog.theatres:
        # folded: six theatres open would push the events filters a screen down. The label
        # stays fixed: a label that changed with the ticks would fold the group again.
        with st.sidebar.expander(theatre.title, expanded=False):
            for layer in (s for s in catalog.layers if s.theatre == theatre.id):
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
                on_click=view.override_position,
                args=regionmap.fit_view(theatre.bbox),
                width="stretch",
            )


def _your_data(data: regionmap.Dataset, files: list[regionmap.UserFile]) -> None:
    state = st.session_state
    with st.sidebar.expander("Your data", expanded=bool(state["user_files"])):
        st.file_uploader(
            "Add layers (GeoJSON, GeoPackage, KML/KMZ, zipped Shapefile) or events (CSV: "
            "ACLED, UCDP GED, ours)",
            type=[s.lstrip(".") for s in regionmap.USER_FILE_SUFFIXES],
            accept_multiple_files=True,
            key="uploads",
            on_change=_add_uploads,
            help=f"Up to {regionmap.MAX_UPLOAD_MB} MB a file. Checked like our own data.",
        )
        st.checkbox(
            "Keep my files for the next session",
            key="keep_uploads",
            on_change=_keep_files,
            help="Saved in the shared store, for every dashboard on it."
            if regionmap.is_shared_store(state.get("_store"))
            else f"Saved in {regionmap.user_data_dir()}, never inside geodata/.",
        )
        for index, user_file in enumerate(files):
            st.markdown(f"**{md_literal(user_file.name)}**")
            if user_file.error:
                st.error(user_file.error)
            for layer_id, result in user_file.layers:
                if f"layer:{layer_id}" not in state:
                    state[f"layer:{layer_id}"] = True
                title = data.catalog.layer(layer_id).title
                st.checkbox(
                    md_literal(
                        f"{title}: {len(result.frame)} "
                        + ("feature" if len(result.frame) == 1 else "features")
                    ),
                    key=f"layer:{layer_id}",
                )
            for note in user_file.notes:
                st.caption(f"ℹ️ {md_literal(note)}")
            problems = [str(p) for p in user_file.problems]
            if problems:
                many = "s" if len(problems) != 1 else ""
                st.caption(f"⚠️ {len(problems)} problem{many}; the rest is shown:")
                more = "\n…" if len(problems) > PROBLEMS_LISTED else ""
                st.code("\n".join(problems[:PROBLEMS_LISTED]) + more)
            st.button(
                "Remove", key=f"remove:{index}", on_click=_remove_upload, args=(user_file.name,)
            )


def _events(data: regionmap.Dataset, days: view.Days) -> None:
    catalog = data.catalog
    side = st.sidebar
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
    side.button("Reset view", on_click=view.reset, args=(catalog, days), width="stretch")


def draw(data: regionmap.Dataset, files: list[regionmap.UserFile], days: view.Days) -> None:
    """Every control, top to bottom; the widgets' values land in session state."""
    side = st.sidebar
    side.title("regionmap")
    side.caption("Where Russia and Turkey meet: six theatres, one map.")
    for warning in st.session_state.get("restore_warnings", []):
        side.warning(f"Restored view: {warning}")
    for warning in st.session_state.get("url_warnings", []):
        side.warning(f"Shared link: {warning}")
    _time_window(days)
    _layers(data)
    _your_data(data, files)
    side.radio(
        "Basemap",
        options=list(regionmap.BASEMAPS),
        format_func=regionmap.BASEMAPS.get,
        key="basemap",
        help="The offline basemap always draws; the others need the internet.",
    )
    side.selectbox(
        "Label language",
        options=list(regionmap.LANGS),
        format_func=regionmap.LANGS.get,
        key="lang",
        help="Place and country names; where a name is missing, the English one in italics.",
    )
    _events(data, days)


def event_counts(matching: int, total: int, aggregated: bool, in_map: int, mode: str) -> None:
    """How many events the filters keep; in the aggregated view, how the map shows them."""
    side = st.sidebar
    side.markdown(f"**{matching:,} of {total:,} events shown**")
    if not aggregated:
        return
    side.info(
        f"Aggregated view: {in_map:,} events in the map as counts per cell. "
        f"Filter or zoom in below {regionmap.MAX_MARKERS:,} to see each event."
        if mode == "aggregated"
        else f"{in_map:,} events in this part of the map, shown one by one."
    )
