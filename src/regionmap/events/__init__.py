"""Dated, cited events: our curated CSV, an ACLED export or UCDP GED, in one model.

Column names follow ACLED where ACLED has them (DESIGN.md §2), so an ACLED download loads
as it is; the format is detected once and UCDP GED and ACLED's legacy layout are mapped
onto the same columns. Rows are checked once; each bad row is reported with its file,
line, column and reason (naming the format the file was read as), and the good rows still
load. Every date becomes an interval [start, end] (see `_rules`); positions are
``latitude``/``longitude`` in degrees WGS84, and GeoJSON output is (lon, lat).

The package is private modules by job, behind the names below:

=============  ==============================================================
``_read``      file -> header and chunks of string rows (encoding, separator)
``_formats``   which format a header is; ACLED/UCDP/HDX columns -> the model
``_parse``     dates, date precision intervals, decimal commas
``_rules``     row checks: a chunk of strings -> typed good rows + problems
``_frames``    compact (categories), date order, merge, the oldest rows
``_load``      the pipeline: `read_events`, `load_events`, `events_from_table`
``_filter``    `EventFilter` and the masks that apply it
``_output``    CSV (formula-safe) and GeoJSON
``_model``     the column contract, `EventResult`, the file's `Locale`
=============  ==============================================================

This module only re-exports; it must not hold logic. `CHUNK_ROWS` lives here so that a
caller (or a test) sets it in one place.
"""

from regionmap.events._filter import (
    EventFilter,
    actors,
    apply_filter,
    filter_actors,
    filter_bbox,
    filter_time,
    filter_values,
)
from regionmap.events._formats import ACLED_ID
from regionmap.events._frames import by_date, compact, earliest, merge_events
from regionmap.events._load import events_from_table, load_events, read_events
from regionmap.events._model import COLUMNS, EventResult
from regionmap.events._output import neutralise_formulas, to_csv, to_geojson
from regionmap.events._parse import parse_dates

CHUNK_ROWS = 50_000  # rows read and checked at a time by `read_events`

__all__ = [
    "ACLED_ID",
    "CHUNK_ROWS",
    "COLUMNS",
    "EventFilter",
    "EventResult",
    "actors",
    "apply_filter",
    "by_date",
    "compact",
    "earliest",
    "events_from_table",
    "filter_actors",
    "filter_bbox",
    "filter_time",
    "filter_values",
    "load_events",
    "merge_events",
    "neutralise_formulas",
    "parse_dates",
    "read_events",
    "to_csv",
    "to_geojson",
]
