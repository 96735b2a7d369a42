"""What to keep: the time window, event types, actors, theatres and a bounding box.

Owns: `EventFilter` (plain hashable data) and the vectorised masks that apply it, composed
into one selection. Must not: read or change the rows it selects (a filter that keeps every
row returns the frame itself, no copy), or know how a file was read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from regionmap._catalog import BBox


@dataclass(frozen=True)
class EventFilter:
    """What to keep; every empty field keeps everything. Plain data, so it can be hashed.

    Attributes
    ----------
    start, end : date or None
        The window, both days inclusive; an event is kept when its interval overlaps it.
    event_types, actors, theatres : tuple of str
        Keep events of any of these types, with any of these as actor1 or actor2, in any
        of these theatres (layer ids).
    bbox : BBox or None
        (west, south, east, north) in degrees WGS84: lon-first, as GeoJSON.
    """

    start: dt.date | None = None
    end: dt.date | None = None
    event_types: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    theatres: tuple[str, ...] = ()
    bbox: BBox | None = None


def _time_mask(frame: pd.DataFrame, start: dt.date | None, end: dt.date | None) -> np.ndarray:
    keep = np.ones(len(frame), dtype=bool)
    if start is not None:
        keep &= (frame["end"] >= pd.Timestamp(start)).to_numpy()
    if end is not None:
        keep &= (frame["start"] <= pd.Timestamp(end)).to_numpy()
    return keep


def _values_mask(frame: pd.DataFrame, column: str, values: Iterable[str]) -> np.ndarray:
    values = list(values)
    if not values:
        return np.ones(len(frame), dtype=bool)
    return frame[column].isin(values).to_numpy()


def _actors_mask(frame: pd.DataFrame, actors: Iterable[str]) -> np.ndarray:
    actors = list(actors)
    if not actors:
        return np.ones(len(frame), dtype=bool)
    return (frame["actor1"].isin(actors) | frame["actor2"].isin(actors)).to_numpy()


def _bbox_mask(frame: pd.DataFrame, bbox: BBox | None) -> np.ndarray:
    if bbox is None:
        return np.ones(len(frame), dtype=bool)
    w, s, e, n = bbox
    lon, lat = frame["longitude"].to_numpy(), frame["latitude"].to_numpy()
    return (lon >= w) & (lon <= e) & (lat >= s) & (lat <= n)


def _select(frame: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """Rows where ``keep``; the frame itself when that is all of them (no million-row copy)."""
    return frame if keep.all() else frame[keep]


def filter_time(frame: pd.DataFrame, start: dt.date | None, end: dt.date | None) -> pd.DataFrame:
    """Events whose interval overlaps [start, end] (both inclusive; None is open).

    Parameters
    ----------
    frame : DataFrame
        Events as `read_events` returns them (``start``/``end`` days, ``latitude``/
        ``longitude`` in degrees WGS84).
    start, end : date or None
        The window's first and last day; None leaves that side open.

    Returns
    -------
    DataFrame
        The kept rows (``frame`` itself when every row is kept; never a changed copy).
    """
    return _select(frame, _time_mask(frame, start, end))


def filter_values(frame: pd.DataFrame, column: str, values: Iterable[str]) -> pd.DataFrame:
    """Events whose ``column`` holds any of ``values``; no values keeps every event.

    Parameters
    ----------
    frame : DataFrame
        Events as `read_events` returns them (``start``/``end`` days, ``latitude``/
        ``longitude`` in degrees WGS84).
    column : str
        The column compared, e.g. ``event_type`` or ``theatre``.
    values : iterable of str
        The values kept, compared exactly.

    Returns
    -------
    DataFrame
        The kept rows (``frame`` itself when every row is kept).
    """
    return _select(frame, _values_mask(frame, column, values))


def filter_actors(frame: pd.DataFrame, actors: Iterable[str]) -> pd.DataFrame:
    """Events in which any of ``actors`` is actor1 or actor2; no actors keeps every event.

    Parameters
    ----------
    frame : DataFrame
        Events as `read_events` returns them (``start``/``end`` days, ``latitude``/
        ``longitude`` in degrees WGS84).
    actors : iterable of str
        Actor names, compared exactly.

    Returns
    -------
    DataFrame
        The kept rows (``frame`` itself when every row is kept).
    """
    return _select(frame, _actors_mask(frame, actors))


def filter_bbox(frame: pd.DataFrame, bbox: BBox | None) -> pd.DataFrame:
    """Events whose point lies in ``bbox`` (edges included); None keeps every event.

    Parameters
    ----------
    frame : DataFrame
        Events as `read_events` returns them (``start``/``end`` days, ``latitude``/
        ``longitude`` in degrees WGS84).
    bbox : BBox or None
        (west, south, east, north) in degrees WGS84, lon-first; not across the antimeridian.

    Returns
    -------
    DataFrame
        The kept rows (``frame`` itself when every row is kept).
    """
    return _select(frame, _bbox_mask(frame, bbox))


def apply_filter(frame: pd.DataFrame, f: EventFilter) -> pd.DataFrame:
    """All of ``f`` as one mask and one selection.

    Parameters
    ----------
    frame : DataFrame
        Events as `read_events` returns them (``start``/``end`` days, ``latitude``/
        ``longitude`` in degrees WGS84).
    f : EventFilter
        What to keep; the fields combine with AND, the values within a field with OR.

    Returns
    -------
    DataFrame
        The kept rows in their order (``frame`` itself when every row is kept), the same
        as applying `filter_time`, `filter_values`, `filter_actors` and `filter_bbox` in turn.
    """
    keep = _time_mask(frame, f.start, f.end)
    keep &= _values_mask(frame, "event_type", f.event_types)
    keep &= _actors_mask(frame, f.actors)
    keep &= _values_mask(frame, "theatre", f.theatres)
    keep &= _bbox_mask(frame, f.bbox)
    return _select(frame, keep)


def actors(frame: pd.DataFrame) -> list[str]:
    """Every actor named in actor1 or actor2, sorted, without empty names.

    Parameters
    ----------
    frame : DataFrame
        Events as `read_events` returns them (``start``/``end`` days, ``latitude``/
        ``longitude`` in degrees WGS84).

    Returns
    -------
    list of str
    """
    names = set(frame["actor1"].unique()) | set(frame["actor2"].unique())
    return sorted(str(n) for n in names if isinstance(n, str) and n)
