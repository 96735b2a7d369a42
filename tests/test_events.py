"""The event model end to end: the shipped timeline and an ACLED export, and the package's
public names (one test file per module of regionmap.events beside this one)."""

import pandas as pd
import pytest

import regionmap
import regionmap.events

from .conftest import DATA

EVENTS_PUBLIC = [
    "ACLED_ID", "CHUNK_ROWS", "COLUMNS", "EventFilter", "EventResult", "actors", "apply_filter",
    "by_date", "compact", "earliest", "events_from_table", "filter_actors", "filter_bbox",
    "filter_time", "filter_values", "load_events", "merge_events", "neutralise_formulas",
    "parse_dates", "read_events", "to_csv", "to_geojson",
]  # fmt: skip


def test_events_package_exports_are_pinned_and_sorted():
    assert regionmap.events.__all__ == sorted(EVENTS_PUBLIC)
    public = [n for n in vars(regionmap.events) if not n.startswith("_")]
    assert sorted(public) == sorted(EVENTS_PUBLIC)  # nothing else leaks


def test_shipped_events_load_clean(events):
    assert events.problems == []
    assert len(events.frame) >= 40
    assert events.frame["start"].min().year == 1921
    assert set(events.frame["theatre"]) == {
        "kars",
        "lachin",
        "syria",
        "akkuyu",
        "libya",
        "blacksea",
    }
    assert events.frame["source"].str.len().min() > 5
    assert events.frame["event_id"].is_unique


# (title fragment, date or (start, end)) — the events the March 2021 article refers to.
REQUIRED = [
    ("Treaty of Moscow", "1921-03-16"),
    ("Treaty of Kars", "1921-10-13"),
    ("centenary", "2021-03-16"),
    ("Su-24", "2015-11-24"),
    ("First Nagorno-Karabakh War", ("1988-02-20", "1994-05-12")),
    ("Second Nagorno-Karabakh War", ("2020-09-27", "2020-11-10")),
    ("Trilateral statement", "2020-11-09"),
    ("peacekeeping contingent", ("2020-11-10", None)),
    ("monitoring centre opens", "2021-01-30"),
    ("Failaq al-Sham", "2020-10-26"),
    ("Sochi memorandum on northeast Syria", "2019-10-22"),
    ("First joint Russian-Turkish patrol", "2019-11-01"),
    ("Moscow protocol on Idlib", "2020-03-05"),
    ("M4", "2020-03-15"),
    ("unit 3", "2021-03-10"),
    ("parliament authorises troop deployment to Libya", "2020-01-02"),
    ("al-Watiya", "2020-05-18"),
    ("al-Jufra", "2020-05-26"),
    ("red line", "2020-06-20"),
    ("permanent ceasefire", "2020-10-23"),
    ("NATO", "2021-03-17"),
    ("Zelensky", "2021-04-10"),
]


@pytest.mark.parametrize(("fragment", "when"), REQUIRED, ids=[r[0] for r in REQUIRED])
def test_article_events_present_with_right_date(events, fragment, when):
    frame = events.frame
    hits = frame[frame["title"].str.contains(fragment, case=False, regex=False)]
    assert len(hits) >= 1, f"no event titled like {fragment!r}"
    if isinstance(when, tuple):
        start, end = when
        assert (hits["date_start"] == start).any()
        if end:
            assert (hits["date_end"] == end).any()
    else:
        assert (hits["event_date"] == when).any(), hits[["title", "event_date"]]


def test_acled_export_imports_with_types(catalog):
    result = regionmap.read_events(DATA / "acled_sample.csv", catalog)
    assert result.format == "ACLED" and result.problems == []
    f = result.frame
    assert list(f["event_id"]) == ["SYR90001", "SYR90002", "LBY90003", "ARM90004", "TUR90005"]
    assert f["start"].iloc[0] == pd.Timestamp("2020-10-26")
    assert str(f["fatalities"].dtype) == "Int64" and f["fatalities"].iloc[0] == 78
    assert pd.isna(f["fatalities"].iloc[2])
    assert f["latitude"].dtype == float and f["geo_precision"].tolist() == [2, 1, 1, 1, 2]
    assert list(f["theatre"]) == ["syria", "syria", "libya", "kars", "akkuyu"]
    # extra ACLED columns are kept, not dropped
    for col in ("disorder_type", "admin1", "tags", "timestamp", "inter1"):
        assert col in f.columns
    assert f["tags"].iloc[4] == "crowd size=no report"
    # time_precision 2 (ACLED: only the week is known) covers the Saturday-Friday week
    # holding Monday 15 March 2021
    assert f["start"].iloc[4] == pd.Timestamp("2021-03-13")
    assert f["end"].iloc[4] == pd.Timestamp("2021-03-19")
    assert 'comma, and "quotes"' in f["notes"].iloc[3]
