"""Annotations: notes, marked points and arrows the user draws on the map for a report.

Owns the widgets ``ann_text`` (the text the next mark gets), ``ann_edit:<n>`` and
``ann_delete:<n>`` (one per annotation), and in session state ``ann_seen`` (the drawings
already taken, so a drawing the map still reports after a rerun is not added twice) and
``ann_problem``. The list itself is ``annotations``, kept with the view by `view`.
A drawing becomes an annotation through `regionmap.Annotation.from_drawing`: the panel
parses no geometry.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import streamlit as st

import regionmap
from panels import md_literal


def _key(annotation: regionmap.Annotation) -> str:
    """A widget key that follows an annotation, not its place in the list (a deletion
    shifts the places; an edit keeps the kind and points)."""
    return f"{annotation.lon},{annotation.lat},{annotation.to_lon},{annotation.to_lat}"


def take_drawings(drawings: list[Mapping[str, Any]]) -> bool:
    """Turn new drawings into annotations with the text typed for them; True when one was
    added (the caller reruns, so the map and URL show it). Call it before `draw`."""
    state = st.session_state
    seen: set[str] = state.setdefault("ann_seen", set())
    added = False
    for feature in drawings:
        shape = json.dumps(feature.get("geometry"), sort_keys=True)
        if shape in seen:
            continue
        seen.add(shape)
        try:
            new = regionmap.Annotation.from_drawing(feature, state.get("ann_text", ""))
        except regionmap.ViewError as exc:
            state["ann_problem"] = str(exc)
            continue
        state.setdefault("annotations", []).append(new)
        state.pop("ann_problem", None)
        added = True
    if added:
        state["ann_text"] = ""  # each mark its own text (its widget is drawn after this)
    return added


def _edit(index: int, key: str) -> None:
    annotations = st.session_state["annotations"]
    annotations[index] = annotations[index].replace_text(st.session_state[key])


def _delete(index: int) -> None:
    del st.session_state["annotations"][index]


def draw(spec: regionmap.ViewSpec) -> None:
    """The panel: what to type, how to draw, the list with its text to edit and delete."""
    state = st.session_state
    st.subheader("Annotations")
    st.text_input(
        "Text for the next mark",
        key="ann_text",
        max_chars=regionmap.MAX_ANNOTATION_TEXT,
        placeholder="Russian checkpoint moved here, 2022-08-30",
    )
    st.caption(
        "Type the text, then draw on the map with the toolbar at its top left: a marker "
        "is a note (a point, if no text), a line an arrow pointing at its last point. "
        "Every export draws them."
    )
    if "ann_problem" in state:
        st.warning(state["ann_problem"])
    annotations = state.get("annotations", [])
    taken: dict[str, int] = {}  # two marks at one place (a view file may hold them)
    for i, annotation in enumerate(annotations):
        key = _key(annotation)
        taken[key] = taken.get(key, 0) + 1
        key += f"#{taken[key]}"
        left, right = st.columns([4, 1], vertical_alignment="bottom")
        where = f"{annotation.kind} at {annotation.lat:.4f}°N, {annotation.lon:.4f}°E"
        left.text_input(
            md_literal(where), value=annotation.text, key=f"ann_edit:{key}",
            max_chars=regionmap.MAX_ANNOTATION_TEXT, on_change=_edit,
            args=(i, f"ann_edit:{key}"),
        )  # fmt: skip
        right.button("Delete", key=f"ann_delete:{key}", on_click=_delete, args=(i,))
    if not spec.annotations_in_url():
        st.info(
            f"These annotations are too long for the page's link (over "
            f"{regionmap.ANNOTATION_URL_MAX:,} characters): the link leaves them out. "
            "The view file and every exported map keep them."
        )
