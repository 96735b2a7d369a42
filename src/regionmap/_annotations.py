"""Annotations: the notes, marked points and arrows a user puts on a map for a report.

A view carries them (`ViewSpec.annotations`), so the view file, every export's embedded
view and, while short, the share URL keep them; the map plan places their text once
(`plan_annotations`) and both renderers draw that. Coordinates are (lon, lat) degrees,
EPSG:4326: the GeoJSON order the drawing tool returns, not folium's (lat, lon).
"""

from __future__ import annotations

import json
import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote

from regionmap._errors import ViewError

AnnotationKind = Literal["note", "point", "arrow"]
ANNOTATION_KINDS: tuple[str, ...] = ("note", "point", "arrow")
MAX_ANNOTATION_TEXT = 200  # characters: a label on a map, not a paragraph
MAX_ANNOTATIONS = 100  # a view with more is not a map anyone can read
# The ``ann=`` URL value, percent-encoded, is left out of the URL beyond this many
# characters (the view file keeps the annotations): a share link stays a link.
ANNOTATION_URL_MAX = 1500
ANNOTATION_COLOR = "#c0392b"  # the user's marks, in red on every map
LINE_CHARS = 32  # an annotation's text is wrapped to lines this long, on every map
_DECIMALS = 5  # about a metre: more is noise from a mouse click, and makes URLs longer
_LETTERS = {"note": "n", "point": "p", "arrow": "a"}


def _coordinate(value: object, low: float, high: float, what: str) -> float:
    """A finite number in [low, high], rounded to `_DECIMALS`; ViewError naming ``what``."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ViewError(f"{what} must be a number, got {value!r}")
    try:
        number = float(value)
    except ValueError:
        raise ViewError(f"{what} must be a number, got {value!r}") from None
    if not math.isfinite(number) or not low <= number <= high:
        raise ViewError(f"{what} must be between {low:g} and {high:g}, got {value!r}")
    return round(number, _DECIMALS)


@dataclass(frozen=True)
class Annotation:
    """One note, marked point or arrow, checked when made.

    ``kind`` "note" is a point with its text (required), "point" a marked point with
    optional text, "arrow" a line from (``lon``, ``lat``) to (``to_lon``, ``to_lat``) with
    its head at the latter and optional text at its tail. Coordinates are degrees,
    EPSG:4326, longitude first; they are rounded to 5 decimals (about 1 m).

    Raises
    ------
    ViewError
        An unknown kind, a coordinate that is not a number in range, an arrow without
        its end (or of no length), a note without text, text longer than
        `MAX_ANNOTATION_TEXT` characters or holding control characters.
    """

    kind: AnnotationKind
    lon: float
    lat: float
    text: str = ""
    to_lon: float | None = None
    to_lat: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in ANNOTATION_KINDS:
            raise ViewError(f"unknown kind {self.kind!r}; known: {list(ANNOTATION_KINDS)}")
        put = object.__setattr__
        put(self, "lon", _coordinate(self.lon, -180, 180, "longitude"))
        put(self, "lat", _coordinate(self.lat, -90, 90, "latitude"))
        if not isinstance(self.text, str):
            raise ViewError(f"text must be a string, got {self.text!r}")
        put(self, "text", self.text.strip())
        if len(self.text) > MAX_ANNOTATION_TEXT:
            raise ViewError(
                f"text is {len(self.text)} characters long; at most {MAX_ANNOTATION_TEXT}"
            )
        if any(ord(c) < 32 and c != "\n" for c in self.text):
            raise ViewError("text holds control characters (only line breaks are kept)")
        if self.kind == "note" and not self.text:
            raise ViewError("a note needs text (a point without text is kind 'point')")
        if self.kind != "arrow":
            if self.to_lon is not None or self.to_lat is not None:
                raise ViewError(f"a {self.kind} has one point; only an arrow has an end")
            return
        if self.to_lon is None or self.to_lat is None:
            raise ViewError("an arrow needs its end: 'to' [lon, lat]")
        put(self, "to_lon", _coordinate(self.to_lon, -180, 180, "the end's longitude"))
        put(self, "to_lat", _coordinate(self.to_lat, -90, 90, "the end's latitude"))
        if (self.lon, self.lat) == (self.to_lon, self.to_lat):
            raise ViewError("an arrow starts and ends at the same point")

    def to_dict(self) -> dict:
        """``{"kind", "at": [lon, lat], "to": [lon, lat] (arrows), "text"}``."""
        out: dict = {"kind": self.kind, "at": [self.lon, self.lat]}
        if self.kind == "arrow":
            out["to"] = [self.to_lon, self.to_lat]
        if self.text:
            out["text"] = self.text
        return out

    @classmethod
    def from_dict(cls, data: object) -> Annotation:
        """The inverse of `to_dict`. Raises ViewError naming the problem."""
        if not isinstance(data, Mapping):
            raise ViewError(f"must be an object, got {data!r}")
        unknown = sorted(set(data) - {"kind", "at", "to", "text"})
        if unknown:
            raise ViewError(f"unknown keys {unknown}")
        at, to = _pair(data.get("at"), "at"), data.get("to")
        end = _pair(to, "to") if to is not None else (None, None)
        return cls(str(data.get("kind")), *at, data.get("text", ""), *end)

    @classmethod
    def from_drawing(cls, feature: Mapping, text: str = "") -> Annotation:
        """An annotation from a GeoJSON feature the map's drawing tool returned.

        A Point becomes a note (with ``text``) or a marked point (without); a LineString
        an arrow from its first vertex to its last, head at the last. Raises ViewError
        for any other geometry."""
        geometry = feature.get("geometry") or {}
        kind, coords = geometry.get("type"), geometry.get("coordinates")
        if kind == "Point" and isinstance(coords, list | tuple) and len(coords) >= 2:
            return cls("note" if text.strip() else "point", coords[0], coords[1], text)
        if kind == "LineString" and isinstance(coords, list | tuple) and len(coords) >= 2:
            (lon, lat, *_), (to_lon, to_lat, *_) = coords[0], coords[-1]
            return cls("arrow", lon, lat, text, to_lon, to_lat)
        raise ViewError(f"only points and lines become annotations, not {kind!r}")

    def replace_text(self, text: str) -> Annotation:
        """The same annotation with new text; a note left without text becomes a point."""
        kind = self.kind
        if kind in ("note", "point"):
            kind = "note" if text.strip() else "point"
        return Annotation(kind, self.lon, self.lat, text, self.to_lon, self.to_lat)


def _pair(value: object, what: str) -> tuple[object, object]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ViewError(f"'{what}' must be [lon, lat], got {value!r}")
    return value[0], value[1]


def annotations_from_json(value: object) -> tuple[Annotation, ...]:
    """A view JSON's ``annotations`` list (absent or null: none) as annotations.

    Raises ViewError naming the first bad annotation by its index: "annotation 2: …"."""
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        raise ViewError(f"annotations must be a list, got {type(value).__name__}")
    if len(value) > MAX_ANNOTATIONS:
        raise ViewError(f"{len(value)} annotations; a view holds at most {MAX_ANNOTATIONS}")
    out = []
    for i, item in enumerate(value):
        try:
            out.append(Annotation.from_dict(item))
        except ViewError as exc:
            raise ViewError(f"annotation {i}: {exc}") from None
    return tuple(out)


def annotations_query(annotations: Sequence[Annotation]) -> str | None:
    """The compact ``ann=`` value: JSON rows ``["n", lon, lat, text]``, ``["p", lon, lat]``
    or ``["a", lon, lat, to_lon, to_lat, text]``; None when there are none or the value,
    percent-encoded, would pass `ANNOTATION_URL_MAX` characters."""
    if not annotations:
        return None
    rows = []
    for a in annotations:
        row: list = [_LETTERS[a.kind], a.lon, a.lat]
        if a.kind == "arrow":
            row += [a.to_lon, a.to_lat]
        rows.append(row + ([a.text] if a.text else []))
    value = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    return value if len(quote(value, safe="")) <= ANNOTATION_URL_MAX else None


def query_annotations(value: str, warnings: list[str]) -> tuple[Annotation, ...]:
    """The annotations of an ``ann=`` value; a bad value is left out with a warning (a
    shared link still opens)."""
    kinds = {letter: kind for kind, letter in _LETTERS.items()}
    try:
        rows = json.loads(value)
        if not isinstance(rows, list) or len(rows) > MAX_ANNOTATIONS:
            raise ValueError("not a list of rows")
        out = []
        for row in rows:
            kind = kinds[row[0]]
            n = 5 if kind == "arrow" else 3
            text = row[n] if len(row) > n else ""
            end = row[3:5] if kind == "arrow" else (None, None)
            out.append(Annotation(kind, row[1], row[2], text, *end))
        return tuple(out)
    except (ValueError, KeyError, IndexError, TypeError, ViewError) as exc:
        warnings.append(f"annotations in the link ignored: {exc}")
        return ()


@dataclass(frozen=True)
class PlannedAnnotation:
    """An annotation as both renderers draw it: its text (if any) at ``label_at`` (lon,
    lat: a note's or point's place, an arrow's tail) on the ``anchor`` side of it ("right"
    or "left"), so the text never sits under the arrow's line or head; ``lines`` is the
    text wrapped to `LINE_CHARS` (the user's own line breaks kept), not yet escaped."""

    annotation: Annotation
    label_at: tuple[float, float]
    anchor: Literal["right", "left"]
    lines: tuple[str, ...] = ()


def plan_annotations(annotations: Sequence[Annotation]) -> tuple[PlannedAnnotation, ...]:
    """Where each annotation's text goes: right of a point; at an arrow's tail, on the
    side the arrow leaves from (left of the tail when it points east)."""
    out = []
    for a in annotations:
        anchor: Literal["right", "left"] = "right"
        if a.kind == "arrow" and a.to_lon is not None and a.to_lon > a.lon:
            anchor = "left"
        lines = [w for line in a.text.split("\n") for w in textwrap.wrap(line, LINE_CHARS)]
        out.append(PlannedAnnotation(a, (a.lon, a.lat), anchor, tuple(lines)))
    return tuple(out)
