"""Events as a user takes them away: CSV a spreadsheet opens safely, and GeoJSON.

Owns: the public columns (the internal interval columns dropped), neutralising cells a
spreadsheet would run as formulas, and RFC 7946 GeoJSON. Must not: filter, reorder or
retype rows; what it is given is what it writes.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from regionmap.events._parse import parse_dates

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMERIC = ("latitude", "longitude", "fatalities", "time_precision", "geo_precision")


def _public(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns a user sees: the CSV contract plus any extra (ACLED) columns, dates
    written as ISO: ACLED's "15 October 2019" stays as the file gave it in a popup, but
    went out unchanged in a CSV of ISO dates (a new user's report)."""
    drop = [c for c in ("start", "end", "is_span", "geometry") if c in frame.columns]
    out = pd.DataFrame(frame.drop(columns=drop))
    for col in ("event_date", "date_start", "date_end"):
        if col not in out.columns:
            continue
        text = out[col].fillna("").astype(str)
        worded = (text != "") & ~text.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
        if worded.any():  # numeric day-month dates were made ISO when read: words are left
            parsed = parse_dates(text[worded])
            ok = parsed.notna()
            out.loc[ok.index[ok.to_numpy()], col] = parsed[ok].dt.strftime("%Y-%m-%d")
    return out


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells a spreadsheet would run as a formula get a leading apostrophe.

    A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is risky
    (OWASP's CSV injection list); the numeric columns (latitude, longitude, fatalities,
    the precisions) are left alone, so a negative longitude stays a number.

    Parameters
    ----------
    frame : DataFrame
        Any table; it is not changed.

    Returns
    -------
    DataFrame
        A copy with the risky text cells prefixed by ``'``.
    """
    out = frame.copy()
    for col in out.columns:
        if col in _NUMERIC or not pd.api.types.is_string_dtype(out[col]):  # categories too
            continue
        text = out[col].astype(str)
        risky = text.str.startswith(_FORMULA_START)
        out[col] = text.where(~risky, "'" + text)
    return out


def to_csv(frame: pd.DataFrame) -> str:
    """The events as CSV text a spreadsheet opens safely.

    Parameters
    ----------
    frame : DataFrame
        Events as `read_events` returns them (``start``/``end`` days, ``latitude``/
        ``longitude`` in degrees WGS84).

    Returns
    -------
    str
        UTF-8-ready text with ``\\n`` line ends: the public columns (the `COLUMNS`
        contract plus any extra ACLED or UCDP columns; not ``start``, ``end``,
        ``is_span`` or ``geometry``), formulas neutralised, no index.
    """
    return neutralise_formulas(_public(frame)).to_csv(index=False, lineterminator="\n")


def to_geojson(frame: pd.DataFrame) -> str:
    """RFC 7946: a FeatureCollection of Points at [longitude, latitude].

    Parameters
    ----------
    frame : DataFrame
        Events as `read_events` returns them (``start``/``end`` days, ``latitude``/
        ``longitude`` in degrees WGS84).

    Returns
    -------
    str
        JSON text (not ASCII-escaped): one Point Feature per row, coordinates
        [longitude, latitude] in degrees WGS84 (lon-first, as RFC 7946 says), the public
        columns as properties, missing values as null.
    """
    public = _public(frame)
    features = []
    for record in public.to_dict("records"):
        props = {
            k: (None if v is pd.NA or (isinstance(v, float) and np.isnan(v)) else v)
            for k, v in record.items()
        }
        props = {k: (v.item() if hasattr(v, "item") else v) for k, v in props.items()}
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [record["longitude"], record["latitude"]],
                },
                "properties": props,
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
