"""The event model: the shipped timeline, ACLED import, broken rows, filters."""

import datetime as dt
import json

import pandas as pd
import pytest

import regionmap
from regionmap.errors import EventError
from regionmap.events import EventFilter, apply_filter, filter_time, to_csv, to_geojson

from .conftest import DATA


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


def test_each_broken_row_gets_a_precise_message(catalog):
    result = regionmap.read_events(DATA / "events_bad_rows.csv", catalog)
    got = {p.where: p.message.removesuffix(" (file read as regionmap)") for p in result.problems}
    assert all(p.message.endswith("(file read as regionmap)") for p in result.problems)
    assert got == {
        "line 3, column event_date": "event_date '2020-13-45' is not a real date "
        "(YYYY-MM-DD, 15 March 2021 or 15/03/2021)",
        "line 4, column latitude": "lies outside theatre 'lachin' but inside it with latitude "
        "and longitude swapped: swap the two columns",
        "line 5, column latitude": "latitude -95.5 is out of range -90..90",
        "line 6, column theatre": "theatre 'crimea' is not one of "
        "akkuyu, blacksea, kars, lachin, libya, syria",
        "line 7, column source": "source is empty: every event needs a citation",
        "line 8, column date_end": "date_end 2020-09-27 is before the start 2020-11-10",
        "line 9, column event_id": "event_id T1 appears more than once",
        "line 12, column time_precision": "time_precision '7' is not "
        "1 (day), 2 (week) or 3 (month)",
        "line 13, column event_date": "event_date '0000-00-00' is not a real date "
        "(YYYY-MM-DD, 15 March 2021 or 15/03/2021)",
    }
    assert list(result.frame["event_id"]) == ["T1", "T8"]
    assert result.frame["notes"].iloc[1].startswith("first line\nsecond line")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("events_latin1.csv", r"events_latin1.csv: not UTF-8 text \(byte \d+ is 0xc7\)"),
        ("events_empty.csv", r"events_empty.csv: file is empty"),
    ],
)
def test_unreadable_files(catalog, name, message):
    with pytest.raises(EventError, match=message):
        regionmap.read_events(DATA / name, catalog)


def test_missing_required_columns(tmp_path, catalog):
    path = tmp_path / "e.csv"
    path.write_text("event_id,event_date\nX,2020-01-01\n")
    with pytest.raises(EventError, match=r"line 1: missing required columns \['latitude'"):
        regionmap.read_events(path, catalog)


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


def test_geojson_is_lon_lat(events):
    doc = json.loads(to_geojson(events.frame.head(3)))
    first = doc["features"][0]
    assert first["geometry"]["coordinates"] == [
        events.frame["longitude"].iloc[0],
        events.frame["latitude"].iloc[0],
    ]


def test_csv_neutralises_formulas(events):
    frame = events.frame.head(1).copy()
    frame["title"] = '=HYPERLINK("http://x")'
    frame["notes"] = "@SUM(A1)"
    text = to_csv(frame)
    assert "'=HYPERLINK" in text and "'@SUM" in text
    assert f",{frame['longitude'].iloc[0]}," in text  # numbers untouched
