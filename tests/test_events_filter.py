"""Filters (regionmap.events._filter): spans at the window's edges, filters that compose."""

import datetime as dt

import pandas as pd

import regionmap
from regionmap.events import EventFilter, apply_filter, filter_time


def _frame(rows):
    table = pd.DataFrame(rows).astype(str)
    for col in ("latitude", "longitude"):
        table[col] = "40.6"
    table["source"] = "s"
    table["event_type"] = "Strategic developments"
    table["theatre"] = "kars"
    frame, problems = regionmap.events.events_from_table(
        table, range(2, 2 + len(table)), "t.csv", None
    )
    assert problems == []
    return frame


def test_spans_filter_at_their_edges():
    frame = _frame(
        [
            {
                "event_id": "war",
                "event_date": "",
                "date_start": "2020-09-27",
                "date_end": "2020-11-10",
            },
            {"event_id": "day", "event_date": "2020-11-10"},
            {"event_id": "open", "event_date": "", "date_start": "2020-11-10", "date_end": ""},
        ]
    )

    def ids(start, end):
        return sorted(filter_time(frame, start, end)["event_id"])

    d = dt.date
    assert ids(d(2020, 11, 10), d(2020, 11, 10)) == ["day", "open", "war"]
    assert ids(d(2020, 11, 11), None) == ["open"]
    assert ids(None, d(2020, 9, 27)) == ["war"]
    assert ids(None, d(2020, 9, 26)) == []
    assert ids(d(2030, 1, 1), d(2030, 12, 31)) == ["open"]


def test_filters_compose(events):
    f = EventFilter(
        start=dt.date(2020, 1, 1),
        end=dt.date(2020, 12, 31),
        event_types=("Strategic developments",),
        theatres=("libya",),
    )
    out = apply_filter(events.frame, f)
    assert len(out) > 0
    assert set(out["theatre"]) == {"libya"}
    assert (out["event_type"] == "Strategic developments").all()
    assert (out["start"] <= pd.Timestamp("2020-12-31")).all()
    # composing is the same as filtering step by step
    step = apply_filter(apply_filter(events.frame, EventFilter(theatres=("libya",))), f)
    assert list(step["event_id"]) == list(out["event_id"])
