"""Checks on layer features, done once at the boundary, that report instead of raising.

Each check takes a whole GeoDataFrame and returns, per feature, the first thing wrong with
it (or ``""``), so callers can keep the good features and list the bad ones.
"""

from __future__ import annotations

import datetime as dt
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from regionmap._catalog import BBox
from regionmap._errors import Problem

KINDS = ("border", "corridor", "zone", "site", "line", "area")
STATUSES = ("de jure", "de facto", "agreed", "claimed", "approximate")
REQUIRED = (
    "id",
    "name",
    "kind",
    "description",
    "source",
    "source_url",
    "as_of",
    "valid_from",
    "valid_to",
    "legal_basis",
    "status",
    "precision_m",
)
NON_EMPTY = ("id", "name", "kind", "source", "as_of", "status")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_iso_date(value: object) -> dt.date | None:
    """A strict ISO ``YYYY-MM-DD`` date, or None; '2020-13-45' and '0000-00-00' are None."""
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _first(reasons: list[pd.Series]) -> pd.Series:
    """Combine per-check reasons, keeping the first non-empty one for each feature."""
    out = reasons[0].copy()
    for more in reasons[1:]:
        out = out.where(out != "", more)
    return out


def geometry_reasons(
    frame: gpd.GeoDataFrame, bbox: BBox | None, *, confine: bool = True
) -> pd.Series:
    """Why each geometry is unusable: missing, empty, NaN, out of range, swapped, invalid.

    With ``confine`` a feature outside ``bbox`` is a problem; without it, only one that
    would fall inside ``bbox`` with its coordinates swapped is.
    """
    geoms = frame.geometry.values
    n = len(frame)
    reason = np.full(n, "", dtype=object)
    missing = np.asarray(frame.geometry.isna())
    reason[missing] = "no geometry"
    present = ~missing
    empty = np.zeros(n, dtype=bool)
    empty[present] = shapely.is_empty(np.asarray(geoms[present]))
    reason[(reason == "") & empty] = "empty geometry"
    ok = present & ~empty

    bounds = np.full((n, 4), np.nan)
    bounds[ok] = shapely.bounds(np.asarray(geoms[ok]))
    has_nan = np.zeros(n, dtype=bool)
    if ok.any():
        coords_nan = [
            bool(np.isnan(shapely.get_coordinates(g)).any()) for g in np.asarray(geoms[ok])
        ]
        has_nan[ok] = coords_nan
    reason[(reason == "") & has_nan] = "coordinates contain NaN"
    ok &= ~has_nan

    west, south, east, north = bounds.T
    lon_bad = ok & ((west < -180) | (east > 180))
    lat_bad = ok & ((south < -90) | (north > 90))
    projected = lon_bad & ((np.abs(west) > 1000) | (np.abs(east) > 1000))
    reason[(reason == "") & projected] = [
        f"coordinates are not longitude/latitude (x from {w:.0f} to {e:.0f}); "
        "declare the layer's CRS or reproject it to EPSG:4326"
        for w, e in zip(west[projected], east[projected], strict=True)
    ]
    swapped_range = ok & lat_bad & ~lon_bad & (np.maximum(np.abs(south), np.abs(north)) <= 180)
    swapped_range &= (np.abs(west) <= 90) & (np.abs(east) <= 90)
    reason[(reason == "") & swapped_range] = [
        f"latitude {max(abs(s), abs(nn)):.4f} is out of range; latitude and longitude "
        "look swapped (GeoJSON wants [longitude, latitude])"
        for s, nn in zip(south[swapped_range], north[swapped_range], strict=True)
    ]
    out_of_range = (lon_bad | lat_bad) & (reason == "")
    reason[out_of_range] = "coordinates out of range (longitude -180..180, latitude -90..90)"
    ok &= ~(lon_bad | lat_bad)

    if bbox is not None:
        bw, bs, be, bn = bbox
        inside = ok & (west >= bw) & (east <= be) & (south >= bs) & (north <= bn)
        swapped_inside = ok & (south >= bw) & (north <= be) & (west >= bs) & (east <= bn)
        hint = ok & ~inside & swapped_inside & (reason == "")
        reason[hint] = [
            f"lies at lon {w:.4f}, lat {s:.4f}, outside its area {list(bbox)}, but would lie "
            "inside with latitude and longitude swapped (GeoJSON wants [longitude, latitude])"
            for w, s in zip(west[hint], south[hint], strict=True)
        ]
        outside = ok & ~inside & ~swapped_inside & (reason == "") & bool(confine)
        reason[outside] = [
            f"lies outside its area {list(bbox)} (bounds {w:.4f}, {s:.4f}, {e:.4f}, {nn:.4f})"
            for w, s, e, nn in zip(
                west[outside], south[outside], east[outside], north[outside], strict=True
            )
        ]
        ok &= inside | (~swapped_inside & (not confine))

    valid = np.ones(n, dtype=bool)
    valid[ok] = shapely.is_valid(np.asarray(geoms[ok]))
    bad = ok & ~valid
    if bad.any():
        why = shapely.is_valid_reason(np.asarray(geoms[bad]))
        reason[bad] = [f"invalid geometry: {w}" for w in why]
    return pd.Series(reason, index=frame.index, dtype=object)


def property_reasons(frame: pd.DataFrame) -> pd.Series:
    """Why each feature's properties break the data contract (DESIGN.md §2)."""
    reasons: list[pd.Series] = []
    blank = pd.Series([""] * len(frame), index=frame.index, dtype=object)
    absent = [col for col in REQUIRED if col not in frame.columns]
    if absent:  # one message naming them all, as the GeoJSON reader gives
        names = ", ".join(repr(col) for col in absent)
        reasons.append(pd.Series(f"missing property {names}", index=frame.index, dtype=object))
    present = [c for c in NON_EMPTY if c in frame.columns]
    for col in present:
        values = frame[col]
        empty = values.isna() | (values.astype(str).str.strip() == "")
        reasons.append(blank.where(~empty, f"property {col!r} is empty"))
    if "kind" in frame.columns:
        bad = ~frame["kind"].isin(KINDS) & frame["kind"].notna() & (frame["kind"] != "")
        reasons.append(
            blank.where(~bad, frame["kind"].map(lambda k: f"kind {k!r} is not one of {KINDS}"))
        )
    if "status" in frame.columns:
        bad = ~frame["status"].isin(STATUSES) & frame["status"].notna() & (frame["status"] != "")
        reasons.append(
            blank.where(
                ~bad, frame["status"].map(lambda s: f"status {s!r} is not one of {STATUSES}")
            )
        )
    if "precision_m" in frame.columns:
        num = pd.to_numeric(frame["precision_m"], errors="coerce")
        bad = num.isna() | (num < 0)
        reasons.append(
            blank.where(
                ~bad,
                frame["precision_m"].map(
                    lambda v: f"precision_m must be a number of metres >= 0, got {v!r}"
                ),
            )
        )
    for col in ("as_of", "valid_from", "valid_to"):
        if col not in frame.columns:
            continue
        values = frame[col]
        given = values.notna() & (values.astype(str).str.strip() != "")
        bad = given & values.map(parse_iso_date).isna()
        reasons.append(
            blank.where(~bad, values.map(lambda v, c=col: f"{c} {v!r} is not a date YYYY-MM-DD"))
        )
    if {"valid_from", "valid_to"} <= set(frame.columns):
        start = frame["valid_from"].map(parse_iso_date)
        end = frame["valid_to"].map(parse_iso_date)
        both = start.notna() & end.notna()
        backwards = pd.Series(
            [bool(b) and s > e for s, e, b in zip(start, end, both, strict=True)],
            index=frame.index,
        )
        reasons.append(blank.where(~backwards, "valid_to is before valid_from"))
    if "id" in frame.columns:
        dup = frame["id"].duplicated(keep="first") & frame["id"].notna()
        reasons.append(blank.where(~dup, frame["id"].map(lambda i: f"duplicate id {i!r}")))
    return _first(reasons) if reasons else blank


def feature_labels(frame: pd.DataFrame) -> pd.Series:
    """How a problem names a feature: its id where it has one, and its position in the
    file: the frame's integer index where the reader kept the file's positions (features
    refused before it lose their rows, not their numbers), else its row."""
    index = frame.index
    numbered = pd.api.types.is_integer_dtype(index) and index.is_unique and (index >= 0).all()
    positions = index if numbered else range(len(frame))
    position = pd.Series([f"feature #{i + 1}" for i in positions], index=frame.index, dtype=object)
    if "id" not in frame.columns:
        return position
    ids = frame["id"]
    named = ids.notna() & (ids.astype(str).str.strip() != "")
    return position.where(~named, position + " (id " + ids.astype(str) + ")")


def split_valid(
    frame: gpd.GeoDataFrame,
    path: str,
    bbox: BBox | None,
    *,
    contract: bool = True,
    confine: bool = True,
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Keep the features that pass every check; describe each one that does not."""
    if len(frame) == 0:
        return frame.copy(), []
    reasons = [geometry_reasons(frame, bbox, confine=confine)]
    reasons.append(status_period_reasons(frame))
    if contract:
        reasons.append(property_reasons(frame))
    reason = _first(reasons)
    bad = reason != ""
    labels = feature_labels(frame)
    problems = [
        Problem(path, label, why) for label, why in zip(labels[bad], reason[bad], strict=True)
    ]
    return frame[~bad].copy(), problems


def status_period_reasons(frame: pd.DataFrame) -> pd.Series:
    """Why each feature's ``status_periods`` break the contract (see :mod:`regionmap._status`).

    Periods must be dated, cited, in order, non-overlapping and inside the feature's
    ``valid_from``/``valid_to``. Features without the property pass; so does a frame
    without the column, so user layers that carry no periods are unaffected.
    """
    from regionmap._status import period_problems

    blank = pd.Series([""] * len(frame), index=frame.index, dtype=object)
    if "status_periods" not in frame.columns:
        return blank
    starts = frame["valid_from"] if "valid_from" in frame.columns else blank
    ends = frame["valid_to"] if "valid_to" in frame.columns else blank
    reasons = [
        "; ".join(period_problems(periods, start, end))
        for periods, start, end in zip(frame["status_periods"], starts, ends, strict=True)
    ]
    return pd.Series(reasons, index=frame.index, dtype=object)
