"""`ViewSpec`: everything that decides what the map shows, as plain hashable data.

One spec drives the dashboard, the share URL, snapshots and the CLI. It round-trips to
JSON and to URL query parameters; reading a URL is lenient (an unknown layer in a shared
link is dropped with a warning, not an error page).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass

from regionmap._annotations import (
    Annotation,
    annotations_from_json,
    annotations_query,
    query_annotations,
)
from regionmap._catalog import BBox, Catalog, LatLon
from regionmap._errors import ViewError
from regionmap.events import EventFilter

ARTICLE_DATE = dt.date(2021, 3, 23)
# Label languages: map names from curated ``label_<code>`` and Natural Earth ``name_<code>``.
LANGS: dict[str, str] = {"en": "English", "tr": "Türkçe", "ru": "Русский"}
BASEMAPS: dict[str, str] = {
    "vector": "Countries (offline, Natural Earth)",
    "osm": "OpenStreetMap (online)",
    "carto-light": "CARTO Positron (online)",
    "esri-imagery": "Esri World Imagery (online)",
}


@dataclass(frozen=True)
class Preset:
    id: str
    short: str
    label: str
    start: dt.date | None
    end: dt.date | None


PRESETS: tuple[Preset, ...] = (
    Preset("article", "Article", "Up to the article (23 March 2021)", None, ARTICLE_DATE),
    Preset(
        "war2020",
        "2020 war",
        "2020 war (27 Sep – 10 Nov 2020)",
        dt.date(2020, 9, 27),
        dt.date(2020, 11, 10),
    ),
    Preset("all", "All", "All dates", None, None),
)


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


def day_text(day: dt.date) -> str:
    """'23 March 2021', in English whatever the process locale (``%B`` follows it)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


Window = tuple[dt.date | None, dt.date | None]  # (start, end), each None when open


def _window_text(start: dt.date | None, end: dt.date | None) -> str:
    end = end or dt.datetime.now(dt.UTC).date()  # open: today, as the status rule reads it
    if start is None:
        return f"up to {day_text(end)}"
    return f"{day_text(start)} – {day_text(end)}"


@dataclass(frozen=True)
class ViewSpec:
    """What to show. Empty filter tuples keep everything; `layers` lists the visible ones."""

    layers: tuple[str, ...]
    basemap: str = "vector"
    start: dt.date | None = None
    end: dt.date | None = None  # None: up to today, so the first map is the map as it stands
    event_types: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    theatres: tuple[str, ...] = ()
    show_events: bool = True
    center: LatLon | None = None  # (latitude, longitude) as folium wants; None fits the region
    zoom: float | None = None  # Web Mercator, in quarter steps as the web map snaps
    title: str = ""
    lang: str = "en"  # the labels' language, one of LANGS
    # A second window (start, end) shown beside the first; None: no compare. Either end may
    # be None (open), so (None, None) compares with every date up to today.
    compare: Window | None = None
    # Notes, marked points and arrows drawn on the map (`regionmap.Annotation`, lon/lat).
    annotations: tuple[Annotation, ...] = ()

    # -------------------------------------------------------------- building

    @classmethod
    def default(cls, catalog: Catalog) -> ViewSpec:
        """The first view: the whole region, every layer the catalog shows, every event up to
        today, each layer drawn as it stands today (the article's date is a preset)."""
        return cls(layers=tuple(s.id for s in catalog.layers if s.visible and s.role != "basemap"))

    def replace(self, **changes: object) -> ViewSpec:
        return dataclasses.replace(self, **changes)

    def window_text(self) -> str:
        """The date window in words, as titles, captions and the legend say it."""
        return _window_text(self.start, self.end)

    def compare_text(self) -> str:
        """'<first window> compared with <second>', or the first window alone."""
        if self.compare is None:
            return self.window_text()
        return f"{self.window_text()} compared with {_window_text(*self.compare)}"

    def window_views(self) -> tuple[ViewSpec, ...]:
        """One view per window, none with a compare window: ``(self,)`` without one, else
        (the first window, the second) with everything else (layers, filters, centre) the
        same. Each map panel draws one."""
        first = self.replace(compare=None)
        if self.compare is None:
            return (first,)
        start, end = self.compare
        return first, first.replace(start=start, end=end)

    def layer_window(self) -> tuple[dt.date | None, dt.date]:
        """The window a layer feature must overlap to be drawn in force.

        With an open start ("up to a day", the first view: every event up to today) a
        feature is judged on the window's last day, so the map shows each place as it
        stood then: the Lachin corridor closed, the Sochi patrols ended. With a start, on
        the whole window: a feature in force at any time in it is drawn in force.
        """
        end = self.end or dt.datetime.now(dt.UTC).date()
        return (self.start if self.start is not None else end), end

    def event_filter(self) -> EventFilter:
        return EventFilter(
            start=self.start,
            end=self.end,
            event_types=self.event_types,
            actors=self.actors,
            theatres=self.theatres,
        )

    def without_missing_layers(self, catalog: Catalog) -> tuple[ViewSpec, list[str]]:
        """This view less the layers the catalog does not have, and a warning naming them.

        A snapshot made with a user's own layers is restored where those files are not
        loaded: the rest of the view still comes back, and the warning says what to add."""
        known = {s.id for s in catalog.layers}
        missing = [layer for layer in self.layers if layer not in known]
        if not missing:
            return self, []
        kept = self.replace(layers=tuple(layer for layer in self.layers if layer in known))
        users = [layer for layer in missing if layer.startswith("user-")]
        hint = " (your own files: add them under Your data, or to --geodata)" if users else ""
        return kept, [f"layers not loaded, left out: {', '.join(missing)}{hint}"]

    def check(self, catalog: Catalog) -> ViewSpec:
        """Strict: raise `ViewError` naming anything the catalog does not have."""
        known = {s.id for s in catalog.layers}
        unknown = [layer for layer in self.layers if layer not in known]
        if unknown:
            raise ViewError(f"unknown layers {unknown}; known: {sorted(known)}")
        bad_theatres = [t for t in self.theatres if t not in catalog.theatre_ids]
        if bad_theatres:
            raise ViewError(f"unknown theatres {bad_theatres}; known: {list(catalog.theatre_ids)}")
        if self.basemap not in BASEMAPS:
            raise ViewError(f"unknown basemap {self.basemap!r}; known: {list(BASEMAPS)}")
        if self.lang not in LANGS:
            raise ViewError(f"unknown label language {self.lang!r}; known: {list(LANGS)}")
        if self.start and self.end and self.start > self.end:
            raise ViewError(f"the window starts ({self.start}) after it ends ({self.end})")
        if self.compare is not None:
            start, end = self.compare
            if start and end and start > end:
                raise ViewError(f"the compare window starts ({start}) after it ends ({end})")
        return self

    # -------------------------------------------------------------- JSON

    def to_dict(self) -> dict:
        return {
            "layers": list(self.layers),
            "basemap": self.basemap,
            "start": _iso(self.start),
            "end": _iso(self.end),
            "event_types": list(self.event_types),
            "actors": list(self.actors),
            "theatres": list(self.theatres),
            "show_events": self.show_events,
            "center": list(self.center) if self.center else None,
            "zoom": self.zoom,
            "title": self.title,
            "lang": self.lang,
            "compare": [_iso(day) for day in self.compare] if self.compare else None,
            "annotations": [a.to_dict() for a in self.annotations],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: Mapping) -> ViewSpec:
        try:
            center = data.get("center")
            return cls(
                layers=tuple(data["layers"]),
                basemap=data.get("basemap", "vector"),
                start=_date(data.get("start")),
                end=_date(data.get("end")),
                event_types=tuple(data.get("event_types", ())),
                actors=tuple(data.get("actors", ())),
                theatres=tuple(data.get("theatres", ())),
                show_events=bool(data.get("show_events", True)),
                center=(float(center[0]), float(center[1])) if center else None,
                zoom=zoom_value(data["zoom"]) if data.get("zoom") is not None else None,
                title=str(data.get("title", "")),
                lang=str(data.get("lang") or "en"),
                compare=_window(data.get("compare")),
                annotations=annotations_from_json(data.get("annotations")),
            )
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise ViewError(f"not a view spec: {exc!r}") from None

    @classmethod
    def from_json(cls, text: str) -> ViewSpec:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ViewError(f"view spec is not JSON: {exc.msg} at line {exc.lineno}") from None
        if not isinstance(data, dict):
            raise ViewError("view spec must be a JSON object")
        return cls.from_dict(data)

    # -------------------------------------------------------------- URL

    def annotations_in_url(self) -> bool:
        """Whether the share URL carries the annotations (none, or few and short enough)."""
        return not self.annotations or annotations_query(self.annotations) is not None

    def to_query(self, catalog: Catalog) -> dict[str, str]:
        """Short query parameters; values equal to the default view are left out."""
        base = ViewSpec.default(catalog)
        q: dict[str, str] = {}
        if self.layers != base.layers:
            q["layers"] = ",".join(self.layers) if self.layers else "none"
        if self.basemap != base.basemap:
            q["basemap"] = self.basemap
        if self.start != base.start or self.end != base.end:
            q["from"] = self.start.isoformat() if self.start else ""
            q["to"] = self.end.isoformat() if self.end else ""
        for key, values in (("types", self.event_types), ("actors", self.actors)):
            if values:
                q[key] = "|".join(values)
        if self.theatres:
            q["theatres"] = ",".join(self.theatres)
        if not self.show_events:
            q["events"] = "off"
        if self.lang != base.lang:
            q["lang"] = self.lang
        if self.compare is not None:
            q["cfrom"], q["cto"] = (_iso(day) or "" for day in self.compare)
        if ann := annotations_query(self.annotations):  # None if too long: annotations_in_url
            q["ann"] = ann
        if self.center is not None and self.zoom is not None:
            q["c"] = f"{self.center[0]:.4f},{self.center[1]:.4f}"
            q["z"] = f"{self.zoom:g}"
        return q

    @classmethod
    def from_query(cls, params: Mapping[str, str], catalog: Catalog) -> tuple[ViewSpec, list[str]]:
        """A spec from URL parameters, and what in them was ignored and why."""
        spec = cls.default(catalog)
        warnings: list[str] = []
        changes: dict[str, object] = {}
        known_layers = {s.id for s in catalog.layers}
        if "layers" in params:
            asked = [p for p in params["layers"].split(",") if p and p != "none"]
            unknown = [p for p in asked if p not in known_layers]
            if unknown:
                warnings.append(f"unknown layers ignored: {', '.join(unknown)}")
            changes["layers"] = tuple(p for p in asked if p in known_layers)
        if "basemap" in params:
            if params["basemap"] in BASEMAPS:
                changes["basemap"] = params["basemap"]
            else:
                warnings.append(f"unknown basemap ignored: {params['basemap']}")
        for key, attr in (("from", "start"), ("to", "end")):
            if key in params:
                value = params[key]
                try:
                    changes[attr] = dt.date.fromisoformat(value) if value else None
                except ValueError:
                    warnings.append(f"'{key}' is not a date YYYY-MM-DD: {value}")
        if "types" in params:
            changes["event_types"] = tuple(v for v in params["types"].split("|") if v)
        if "actors" in params:
            changes["actors"] = tuple(v for v in params["actors"].split("|") if v)
        if "theatres" in params:
            asked = [t for t in params["theatres"].split(",") if t]
            unknown = [t for t in asked if t not in catalog.theatre_ids]
            if unknown:
                warnings.append(f"unknown theatres ignored: {', '.join(unknown)}")
            changes["theatres"] = tuple(t for t in asked if t in catalog.theatre_ids)
        if "lang" in params:
            if params["lang"] in LANGS:
                changes["lang"] = params["lang"]
            else:
                warnings.append(f"unknown label language ignored: {params['lang']}")
        if "cfrom" in params or "cto" in params:
            changes["compare"] = _query_window(params, warnings)
        if params.get("events") == "off":
            changes["show_events"] = False
        if "ann" in params:
            changes["annotations"] = query_annotations(params["ann"], warnings)
        if "c" in params and "z" in params:
            try:
                lat, lon = (float(v) for v in params["c"].split(","))
                zoom = zoom_value(params["z"])
                if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 <= zoom <= 20):
                    raise ValueError
                changes["center"], changes["zoom"] = (lat, lon), zoom
            except ValueError:
                warnings.append(f"map position ignored: c={params['c']} z={params['z']}")
        spec = spec.replace(**changes)
        if spec.start and spec.end and spec.start > spec.end:
            warnings.append("the window started after it ended; showing all dates instead")
            spec = spec.replace(start=None, end=None)
        return spec, warnings


def _query_window(params: Mapping[str, str], warnings: list[str]) -> Window | None:
    """The compare window of ``cfrom``/``cto`` (either may be empty: open), or None with a
    warning when one is not a date or the window ends before it starts."""
    try:
        window = (_date(params.get("cfrom")), _date(params.get("cto")))
    except ValueError:
        warnings.append(
            f"compare window ignored: cfrom={params.get('cfrom')} cto={params.get('cto')}"
        )
        return None
    if window[0] and window[1] and window[0] > window[1]:
        warnings.append("the compare window started after it ended; compare is off")
        return None
    return window


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _window(value: object) -> Window | None:
    """A JSON ``[start, end]`` (ISO dates or null) as a window; null or absent: None."""
    if value is None:
        return None
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ValueError(f"compare must be [start, end], got {value!r}")
    return _date(value[0]), _date(value[1])


def _date(value: object) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


ZOOM_STEP = 0.25  # the web map's zoomSnap: a zoom between steps would be snapped


def zoom_value(value: float | str) -> float:
    """A Web Mercator zoom as a spec keeps it: a number rounded to `ZOOM_STEP`, whole zooms
    as ``int`` (so ``z=5`` in a URL stays ``5``). Raises ValueError if not a number."""
    zoom = float(value)
    if not math.isfinite(zoom):
        raise ValueError(f"zoom {value!r} is not a number")
    zoom = round(zoom / ZOOM_STEP) * ZOOM_STEP
    return int(zoom) if zoom.is_integer() else zoom


def fit_view(bbox: BBox, width_px: int = 900, height_px: int = 600) -> tuple[LatLon, float]:
    """The centre and the largest Web Mercator zoom, in steps of `ZOOM_STEP`, at which a
    box fits a map: whole zooms framed the Black Sea theatre at 5 where 5.75 fits.

    Parameters
    ----------
    bbox : BBox
        (west, south, east, north) in degrees, EPSG:4326.
    width_px, height_px : int
        The map's size in CSS pixels.

    Returns
    -------
    (LatLon, float)
        The centre as (latitude, longitude), rounded to 4 decimals, and the zoom (1–18;
        an ``int`` when whole).
    """
    west, south, east, north = bbox

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    zoom_x = math.log2(width_px * 360 / (256 * (east - west)))
    zoom_y = math.log2(height_px * 2 * math.pi / (256 * (merc(north) - merc(south))))
    zoom = max(1, min(18, math.floor(min(zoom_x, zoom_y) / ZOOM_STEP) * ZOOM_STEP))
    centre_lat = math.degrees(math.atan(math.sinh((merc(north) + merc(south)) / 2)))
    return (round(centre_lat, 4), round((west + east) / 2, 4)), zoom_value(zoom)
