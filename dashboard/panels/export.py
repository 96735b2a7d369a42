"""The snapshot panel: export what the map shows, or restore a view from a snapshot.

Owns the widgets ``export_format``, the size, ``export_scale``, ``export_title``, for
animations ``export_step`` and ``export_fps``, ``export_go``, ``export_download``,
``atlas_go``, ``atlas_download`` and ``restore``, and in session state the prepared files
(``export_file``, ``atlas_file``) and the last restore error (``restore_error``). The
formats, their labels
and MIME types come from `regionmap.EXPORT_FORMATS`, the files a view can be read back from
from `regionmap.VIEW_FILE_SUFFIXES`; the panel keeps no list of its own and writes no file.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

import regionmap
from panels import view

SIZES = ("1600x1000", "1200x800", "2400x1500", "1000x1000")  # pixels, width x height


def _restore(catalog: regionmap.Catalog, days: view.Days) -> None:
    """A snapshot was dropped on the uploader: bring back the view it carries."""
    state = st.session_state
    upload = state.get("restore")
    if upload is None:
        return
    try:
        restored, missing = regionmap.read_view(
            upload.getvalue(), upload.name
        ).without_missing_layers(catalog)
        restored = restored.check(catalog)
    except regionmap.RegionmapError as exc:
        state["restore_error"] = str(exc)
        return
    state.pop("restore_error", None)
    state["restore_warnings"] = missing
    view.apply_spec(restored, catalog, days)
    view.override_position(restored.center, restored.zoom)


def _animation_options() -> tuple[str, float]:
    """An animation's step and frames a second."""
    steps = [regionmap.AUTO_STEP, *regionmap.ANIMATION_STEPS]
    step = st.selectbox("Step", steps, index=0, key="export_step", help="auto: days up to 92 days, "
                        "weeks up to a year, then months, years past 240 months")  # fmt: skip
    fps = st.slider("Frames a second", 0.5, 10.0, 2.0, 0.5, key="export_fps")
    return step, fps


def _prepare(
    spec: regionmap.ViewSpec,
    data: regionmap.Dataset,
    choice: regionmap.ExportFormat,
    options: regionmap.SnapshotOptions,
) -> None:
    """Render the snapshot into session state, or show why it failed; an animation shows
    a progress bar, frame by frame."""
    state = st.session_state
    progress = None
    if choice.format in regionmap.ANIMATION_FORMATS:
        bar = st.progress(0.0, text="Drawing the frames…")

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=f"Frame {done} of {total}")

    with st.spinner("Rendering the snapshot…"):
        try:
            payload = regionmap.snapshot_bytes(spec, data, choice.format, options, progress)
        except regionmap.RegionmapError as exc:
            state.pop("export_file", None)
            st.error(f"Export failed: {exc}")
        else:
            # the key tells the two PNGs (as seen, print map) apart in a downloads folder
            tag = "" if choice.key == choice.format else "-" + choice.key.split("-", 1)[-1]
            name = f"regionmap-{dt.date.today()}{tag}.{choice.format}"
            state["export_file"] = (name, payload, choice.mime, choice.key)


def _atlas(spec: regionmap.ViewSpec, data: regionmap.Dataset) -> None:
    """The theatre atlas for the map's window: a PDF, a page per theatre, with progress."""
    state = st.session_state
    if st.button(
        "Prepare the theatre atlas (PDF)",
        key="atlas_go",
        width="stretch",
        help="The overview, a page per theatre and the sources, for this date window "
        "(with your annotations).",
    ):
        bar = st.progress(0.0, text="Drawing the atlas…")
        try:
            payload = regionmap.render_atlas(
                data,
                start=spec.start,
                end=spec.end,
                annotations=spec.annotations,
                progress=lambda done, total: bar.progress(
                    done / total, text=f"Page {done} of {total}"
                ),
            )
        except regionmap.RegionmapError as exc:
            state.pop("atlas_file", None)
            st.error(f"Atlas failed: {exc}")
        else:
            state["atlas_file"] = (f"regionmap-atlas-{dt.date.today()}.pdf", payload)
        bar.empty()
    if "atlas_file" in state:
        name, payload = state["atlas_file"]
        st.download_button(
            f"Download {name} ({len(payload) / 1024:,.0f} KB)",
            payload,
            file_name=name,
            mime="application/pdf",
            key="atlas_download",
            width="stretch",
        )


def draw(spec: regionmap.ViewSpec, data: regionmap.Dataset, days: view.Days) -> None:
    """The panel, folded: format, size, pixel ratio, title, prepare, download, restore."""
    choices = {f.key: f for f in regionmap.EXPORT_FORMATS}
    with st.expander("Export snapshot"):
        key = st.selectbox(
            "Format", list(choices), key="export_format", format_func=lambda k: choices[k].label
        )
        size = st.selectbox("Size", list(SIZES))
        scale = st.radio("Pixel ratio", [1, 2], horizontal=True, key="export_scale")
        title = st.text_input(
            "Title", key="export_title", placeholder="Where Russia and Turkey meet…"
        )
        choice = choices[key]
        step, fps = regionmap.SnapshotOptions.step, regionmap.SnapshotOptions.fps
        if choice.format in regionmap.ANIMATION_FORMATS:
            step, fps = _animation_options()
        width, height = (int(v) for v in size.split("x"))
        options = regionmap.SnapshotOptions(
            (width, height), scale, title, choice.renderer, step=step, fps=fps
        )
        if st.button("Prepare snapshot", key="export_go", width="stretch"):
            _prepare(spec, data, choice, options)
        prepared = st.session_state.get("export_file")
        if prepared is not None and prepared[3] == key:  # never another format's file
            name, payload, mime, _ = prepared
            st.download_button(
                f"Download {name} ({len(payload) / 1024:,.0f} KB)",
                payload,
                file_name=name,
                mime=mime,
                key="export_download",
                width="stretch",
            )
        _atlas(spec, data)
        st.file_uploader(
            "Restore a view from a snapshot",
            type=[s.lstrip(".") for s in regionmap.VIEW_FILE_SUFFIXES],
            key="restore",
            on_change=_restore,
            args=(data.catalog, days),
        )
        if "restore_error" in st.session_state:
            st.error(st.session_state["restore_error"])
