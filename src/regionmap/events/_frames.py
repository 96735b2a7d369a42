"""Event frames as a whole: compact storage, date order, merging, the oldest rows.

Owns: turning repeated text into categories (`compact`), date order (`by_date`), joining
frames with their categories united (`merge_events`) and the first rows for a table
(`earliest`). Must not: read files, check rows or filter by the user's choices (`_filter`).
"""

from __future__ import annotations

import pandas as pd


def compact(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns that repeat (types, actors, countries, sources) as categories.

    A million ACLED rows hold a few hundred distinct actors; as categories they take a byte
    or two a row instead of a string each, and filter by code instead of by text.

    Parameters
    ----------
    frame : DataFrame
        Any frame; a text column becomes a category when it holds at most half as many
        distinct values as rows. ``frame`` is not changed.

    Returns
    -------
    DataFrame
        A shallow copy; only the converted columns are new.
    """
    out = frame.copy(deep=False)  # copy-on-write: only the converted columns are new
    for column in out.columns:
        values = out[column]
        if isinstance(values.dtype, pd.CategoricalDtype) or not pd.api.types.is_string_dtype(
            values
        ):
            continue
        if len(values) and values.nunique() <= len(values) // 2:
            out[column] = values.astype("category")
    return out


def is_category(values: pd.Series) -> bool:
    """Whether ``values`` is a pandas categorical column."""
    return isinstance(values.dtype, pd.CategoricalDtype)


def by_date(frame: pd.DataFrame) -> pd.DataFrame:
    """Sorted by start (stable), so that the first rows of any filtered view are the oldest.

    Parameters
    ----------
    frame : DataFrame
        Events as `read_events` returns them (``start``/``end`` days, ``latitude``/
        ``longitude`` in degrees WGS84).

    Returns
    -------
    DataFrame
        ``frame`` itself when already in order, else a sorted copy on a fresh RangeIndex.
    """
    if frame["start"].is_monotonic_increasing:
        return frame
    return frame.sort_values("start", kind="stable", ignore_index=True)


def merge_events(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Several event frames as one, in date order (categories rebuilt over the union).

    Parameters
    ----------
    frames : list of DataFrame
        Event frames with the same columns (`read_events`'s); empty ones are skipped. At
        least one frame.

    Returns
    -------
    DataFrame
        The events of all frames, sorted by ``start`` (stable), text compacted.
    """
    frames = [f for f in frames if len(f)] or frames[:1]
    if len(frames) == 1:
        return by_date(frames[0])
    return compact(by_date(concat(frames).reset_index(drop=True)))


def concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Frames one after another; a column that is categorical in all of them stays so, with
    the union of their categories (plain concat would turn it into a million strings)."""
    if len(frames) == 1:
        return frames[0]
    frames = [f.copy(deep=False) for f in frames]
    for column in set.intersection(*(set(f.columns) for f in frames)):
        if all(isinstance(f[column].dtype, pd.CategoricalDtype) for f in frames):
            union = frames[0][column].cat.categories
            for f in frames[1:]:
                union = union.union(f[column].cat.categories)
            for f in frames:
                f[column] = f[column].cat.set_categories(union)
    return pd.concat(frames)


def earliest(frame: pd.DataFrame, n: int) -> pd.DataFrame:
    """The ``n`` oldest events, for a table or chart; no sort when the frame is in date order
    (the dataset's is). Categories become plain text: a table of 1,000 rows would otherwise
    carry each column's whole dictionary (26,898 titles for 100k events, 1 MB).

    Parameters
    ----------
    frame : DataFrame
        Events as `read_events` returns them (``start``/``end`` days, ``latitude``/
        ``longitude`` in degrees WGS84).
    n : int
        How many rows at most.

    Returns
    -------
    DataFrame
        The first ``n`` rows in date order, categorical columns as plain text.
    """
    head = by_date(frame).head(n)
    kinds = {c: "str" for c in head.columns if isinstance(head[c].dtype, pd.CategoricalDtype)}
    return head.astype(kinds) if kinds else head


def first_seen(frame: pd.DataFrame, seen: set[str]) -> pd.DataFrame:
    """The rows of ``frame`` whose ``event_id`` is not in ``seen`` nor earlier in the
    frame; ``seen`` gains their ids. Two files holding one ACLED export (a copy renamed)
    would otherwise count each event twice."""
    ids = frame["event_id"].astype(str)
    fresh = ~ids.isin(seen) & ~ids.duplicated()
    seen.update(ids[fresh])
    return frame if bool(fresh.all()) else frame[fresh.to_numpy()]
