"""Events files as analysts have them: ACLED's layouts, UCDP GED, HDX copies, locale re-saves.

Every input is a small file in tests/data/ written for these tests (rows made up, column
layouts the public formats'); every expected value below was worked out by hand.
"""

import datetime as dt

import pandas as pd
import pytest

import regionmap
from regionmap._errors import EventError
from regionmap.events import filter_time
from regionmap.web import event_when

from .conftest import DATA

T = pd.Timestamp


def read(name, catalog):
    return regionmap.read_events(DATA / name, catalog)


def by_id(result):
    return result.frame.set_index("event_id")


# ---------------------------------------------------------------- ACLED layouts


def test_legacy_upper_case_acled_is_read_and_named(catalog):
    result = read("acled_legacy_upper.csv", catalog)
    assert result.format == "ACLED (legacy upper-case columns)"
    assert "column names read in lower case" in result.notes
    assert "ALLY_ACTOR_1/2 read as assoc_actor_1/2" in result.notes
    # 18/05 and 31/12 settle the order: day first
    assert "locale: day-first dates (DD/MM/YYYY)" in result.notes
    f = by_id(result)
    assert list(f.index) == ["SYR101", "LBY102", "SYR103"]
    # 05/03/2020 is 5 March (day first), shown as ISO so no reader has to guess
    assert f.loc["SYR101", "event_date"] == "2020-03-05"
    assert (f.loc["SYR101", "start"], f.loc["SYR101", "end"]) == (T("2020-03-05"),) * 2
    assert f.loc["SYR101", "fatalities"] == 12 and f.loc["SYR101", "theatre"] == "syria"
    assert f.loc["LBY102", "assoc_actor_1"] == "Military Forces of Turkey (2016-)"
    assert f.loc["LBY102", "theatre"] == "libya" and f.loc["LBY102", "fatalities"] == 3
    assert f.loc["LBY102", "notes"] == "Test row: base retaken, two reports."
    # Thursday 31 December 2020, only the week known: Saturday 26 Dec to Friday 1 Jan
    assert (f.loc["SYR103", "start"], f.loc["SYR103", "end"]) == (T("2020-12-26"), T("2021-01-01"))
    assert f.loc["SYR103", "year"] == "2020-2021"  # ACLED's legacy YEAR is kept as text
    assert f.loc["SYR103", "gwno"] == "652" and f.loc["SYR103", "event_id_no_cnty"] == "103"
    [problem] = result.problems
    assert problem.where == "line 5, column event_date"
    assert problem.message == (
        "event_date '31/02/2020' is not a real date (YYYY-MM-DD, 15 March 2021 or 15/03/2021)"
        " (file read as ACLED (legacy upper-case columns))"
    )


def test_pre_2023_acled_with_a_pandas_index_and_a_sea(catalog):
    result = read("acled_pandas_index.csv", catalog)
    assert result.format == "ACLED"
    assert result.problems == []
    assert "dropped column 1 (''), an unnamed row index" in result.notes
    f = by_id(result)
    assert list(f.index) == ["TUR201", "BLS202", "TUR203"]
    assert "" not in f.columns and {"data_id", "event_id_no_cnty", "iso3"} <= set(f.columns)
    assert f.loc["TUR201", "event_date"] == "2021-03-10"  # 10-03-2021, day first
    assert f.loc["TUR201", "theatre"] == "akkuyu"
    # ACLED names the sea in `country` for events at sea: read, in no theatre's box
    assert (
        f.loc["BLS202", "country"] == "Black Sea" and f.loc["BLS202", "theatre"] == "blacksea"
    )  # the sixth theatre's box
    assert f.loc["BLS202", "iso3"] == ""
    # 20 March 2021, only the month known: the whole of March
    assert (f.loc["BLS202", "start"], f.loc["BLS202", "end"]) == (T("2021-03-01"), T("2021-03-31"))
    # Saturday 27 March 2021, only the weekend known: Saturday 27 March to Friday 2 April
    assert (f.loc["TUR203", "start"], f.loc["TUR203", "end"]) == (T("2021-03-27"), T("2021-04-02"))
    assert pd.isna(f.loc["TUR203", "fatalities"])


def test_hdx_hashtag_row_is_skipped_and_said(catalog):
    result = read("acled_hdx_hashtags.csv", catalog)
    assert result.format == "ACLED with an HDX hashtag row"
    assert "skipped HXL hashtag row 2 (HDX copy)" in result.notes
    assert result.problems == []
    f = by_id(result)
    assert list(f.index) == ["AZE301", "AZE302", "AZE303"]
    assert set(f["theatre"]) == {"lachin"}
    assert list(f["fatalities"]) == [0, 4, 0]
    # Wednesday 14 October 2020, week known: Saturday 10 to Friday 16 October
    assert (f.loc["AZE301", "start"], f.loc["AZE301", "end"]) == (T("2020-10-10"), T("2020-10-16"))
    assert (f.loc["AZE302", "start"], f.loc["AZE302", "end"]) == (T("2020-10-01"), T("2020-10-31"))


def test_hashtag_row_problems_keep_their_line_numbers(catalog, tmp_path):
    text = (DATA / "acled_hdx_hashtags.csv").read_text()
    path = tmp_path / "hdx.csv"
    path.write_text(text.replace("AZE302,15 October 2020", "AZE302,15 Octember 2020"))
    result = regionmap.read_events(path, catalog)
    assert [p.where for p in result.problems] == ["line 4, column event_date"]
    assert result.problems[0].message.endswith("(file read as ACLED with an HDX hashtag row)")


# ---------------------------------------------------------------- ACLED's time_precision


def test_time_precision_is_a_week_or_month_containing_the_date(catalog):
    result = read("acled_time_precision.csv", catalog)
    assert result.problems == []
    f = by_id(result)
    expected = {
        "KAR601": ("2020-10-31", "2020-11-06"),  # a Saturday: its own week
        "KAR602": ("2020-10-31", "2020-11-06"),  # the Sunday of the same weekend
        "KAR603": ("2020-12-26", "2021-01-01"),  # a Friday: the week began in 2020
        "KAR604": ("2020-02-01", "2020-02-29"),  # February of a leap year
        "KAR605": ("2020-12-01", "2020-12-31"),  # December, from the 1st
        "KAR606": ("2020-10-14", "2020-10-14"),  # the day
    }
    got = {i: (str(r.start.date()), str(r.end.date())) for i, r in f.iterrows()}
    assert got == expected


def test_an_october_event_stays_out_of_a_november_window(catalog):
    """The issue's case: month precision read as "to the end of the year" put an October
    event in a November-December window."""
    frame = read("acled_hdx_hashtags.csv", catalog).frame

    def ids(start, end):
        return sorted(filter_time(frame, start, end)["event_id"])

    d = dt.date
    assert ids(d(2020, 11, 1), d(2020, 12, 31)) == ["AZE303"]
    assert ids(d(2020, 10, 10), d(2020, 10, 10)) == ["AZE301", "AZE302"]
    assert ids(d(2020, 10, 17), d(2020, 10, 31)) == ["AZE302"]
    assert ids(d(2020, 10, 9), d(2020, 10, 9)) == ["AZE302"]


def test_popups_word_the_precision_as_acled_means_it(catalog):
    f = read("acled_hdx_hashtags.csv", catalog).frame
    assert [event_when(row) for _, row in f.iterrows()] == [
        "14 October 2020 (a day in the week 10–16 Oct 2020)",  # ACLED's Saturday–Friday
        "15 October 2020 (a day in October 2020)",
        "10 November 2020",
    ]


def test_curated_month_precision_row_covers_its_month(events):
    row = events.frame.set_index("event_id").loc["RM0029"]
    assert row["time_precision"] == 3 and row["event_date"] == "2020-06-01"
    assert (row["start"], row["end"]) == (T("2020-06-01"), T("2020-06-30"))
    assert not (events.frame["time_precision"] == 2).any()


# ---------------------------------------------------------------- locale re-saves


def test_semicolon_locale_is_detected_once(catalog):
    result = read("acled_semicolon_locale.csv", catalog)
    assert result.format == "ACLED"
    locale = [n for n in result.notes if n.startswith("locale:")]
    assert locale == [
        "locale: ';' separator, decimal comma, day-first dates (DD/MM/YYYY), "
        "UTF-8 byte-order mark, Windows line ends (CRLF)"
    ]
    f = by_id(result)
    assert list(f.index) == ["SYR401", "SYR402", "SYR403"]
    assert list(f["latitude"]) == [36.9986, 36.9986, 35.8623]
    assert list(f["longitude"]) == [40.6592, 40.6592, 36.8006]
    assert list(f["event_date"]) == ["2019-10-22", "2019-11-01", "2020-03-05"]
    assert list(f["start"]) == [T("2019-10-22"), T("2019-11-01"), T("2020-03-05")]
    assert f.loc["SYR402", "notes"] == "Test row: joint patrol; the first"
    assert set(f["theatre"]) == {"syria"} and f.loc["SYR403", "fatalities"] == 7
    # one refusal, for the one row that is wrong, not one per row for the locale
    assert [(p.where, p.message.split(" (")[0]) for p in result.problems] == [
        ("line 5, column event_date", "event_date '31/06/2020' is not a real date")
    ]


def test_utf16_tab_separated_excel_unicode_text(catalog):
    result = read("acled_utf16_tabs.csv", catalog)
    assert result.problems == []
    assert result.notes == [
        "locale: tab separator, decimal comma, day-first dates (DD/MM/YYYY), UTF-16 text, "
        "Windows line ends (CRLF)"
    ]
    f = by_id(result)
    assert list(f["event_date"]) == ["2021-03-16", "2021-10-13"]
    assert f.loc["TUR502", "location"] == "Iğdır"
    assert f.loc["TUR501", "notes"] == "Test row: ceremony at the Kars Valiliği."
    assert (f.loc["TUR502", "latitude"], f.loc["TUR502", "longitude"]) == (39.9237, 44.045)
    assert set(f["theatre"]) == {"kars"}


def test_month_first_dates_are_recognised(catalog):
    result = read("acled_month_first.csv", catalog)
    assert result.problems == []
    assert result.notes == ["locale: month-first dates (MM/DD/YYYY)"]
    assert list(result.frame["start"]) == [T("2020-10-14"), T("2020-11-01")]


def test_serial_dates_are_refused_once_with_a_hint(catalog):
    with pytest.raises(EventError) as caught:
        read("acled_serial_dates.csv", catalog)
    message = str(caught.value)
    assert message == (
        f"{DATA / 'acled_serial_dates.csv'}: line 2, column event_date: event_date holds "
        "spreadsheet serial numbers, not dates ('44270' is 2021-03-15 in the 1900 date "
        "system or 2025-03-16 in the 1904 system); format the column as dates (YYYY-MM-DD) "
        "in the spreadsheet and save again (file read as ACLED)"
    )


# ---------------------------------------------------------------- UCDP GED


def test_ucdp_ged_is_mapped_to_the_event_model(catalog):
    result = read("ucdp_ged.csv", catalog)
    assert result.format == "UCDP GED"
    [mapping] = [n for n in result.notes if n.startswith("UCDP GED: mapped")]
    assert "best -> fatalities" in mapping and "dropped: geom_wkt" in mapping
    f = by_id(result)
    assert list(f.index) == ["UCDP-910001", "UCDP-910002", "UCDP-910003"]
    one = f.loc["UCDP-910001"]
    assert one["event_date"] == "2020-02-27"  # UCDP's "2020-02-27 00:00:00.000", equal ends
    assert (one["start"], one["end"]) == (T("2020-02-27"), T("2020-02-27"))
    assert not one["is_span"] and one["time_precision"] == 1
    assert (one["actor1"], one["actor2"]) == ("Government of Syria", "Syrian insurgents")
    assert one["event_type"] == "State-based conflict" and one["geo_precision"] == 1
    assert (one["fatalities"], one["low"], one["high"]) == (5, "5", "7")
    assert (one["location"], one["theatre"]) == ("Saraqib town", "syria")
    assert one["source"] == "Test source 2020-02-27"
    assert one["title"] == "State-based conflict — Saraqib town"
    span = f.loc["UCDP-910002"]
    assert span["is_span"] and span["event_date"] == ""
    assert (span["date_start"], span["date_end"]) == ("2019-03-04", "2019-03-10")
    assert (span["start"], span["end"]) == (T("2019-03-04"), T("2019-03-10"))
    assert span["event_type"] == "Non-state conflict"
    assert span["geo_precision"] == 3 and span["where_prec"] == "4"  # a province centroid
    assert (span["fatalities"], span["low"], span["high"]) == (10, "8", "15")
    assert span["location"] == "Ar Raqqah governorate"  # no where_coordinates: adm_1
    assert span["source"] == "Local sources"  # no source_article: source_original
    assert span["date_prec"] == "3"
    sirte = f.loc["UCDP-910003"]
    assert sirte["event_type"] == "One-sided violence" and sirte["geo_precision"] == 2
    assert sirte["theatre"] == "libya" and sirte["fatalities"] == 0
    assert "geom_wkt" not in f.columns
    assert [(p.where, p.message) for p in result.problems] == [
        (
            "line 5, column where_prec",
            "where_prec '9' is not one of UCDP's codes 1-7 (file read as UCDP GED)",
        ),
        (
            "line 6, column type_of_violence",
            "type_of_violence '4' is not 1 (state-based), 2 (non-state) or 3 (one-sided) "
            "(file read as UCDP GED)",
        ),
    ]


def test_ucdp_ged_from_hdx(catalog):
    result = read("ucdp_ged_hdx.csv", catalog)
    assert result.format == "UCDP GED with an HDX hashtag row"
    assert result.problems == []
    f = by_id(result)
    assert list(f.index) == ["UCDP-920001", "UCDP-920002"]
    assert (f.loc["UCDP-920001", "start"], f.loc["UCDP-920001", "end"]) == (
        T("2020-10-01"),
        T("2020-10-31"),
    )
    assert f.loc["UCDP-920001", "geo_precision"] == 2  # where_prec 3, a district
    assert f.loc["UCDP-920002", "event_date"] == "2020-11-08"
    assert list(f["fatalities"]) == [4, 25]
    assert set(f["theatre"]) == {"lachin"}


# ---------------------------------------------------------------- refusals name the format


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "acled_legacy_no_coordinates.csv",
            r"line 1: missing required columns \['LATITUDE', 'LONGITUDE'\]; .*"
            r"\(file read as ACLED \(legacy upper-case columns\)\)$",
        ),
        (
            "ucdp_ged_no_best.csv",
            r"line 1: missing required columns \['best'\]; .*\(file read as UCDP GED\)$",
        ),
    ],
)
def test_refusals_say_what_the_detected_format_lacks(catalog, name, message):
    with pytest.raises(EventError, match=message) as caught:
        read(name, catalog)
    assert "theatre" not in str(caught.value).split("; found")[0]


def test_cli_says_what_the_file_was_read_as(capsys):
    from regionmap.cli import main

    code = main(["events", "--input", str(DATA / "ucdp_ged_hdx.csv"), "--format", "csv"])
    err = capsys.readouterr().err
    assert code == 0
    assert f"{DATA / 'ucdp_ged_hdx.csv'}: read as UCDP GED with an HDX hashtag row" in err
    assert "skipped HXL hashtag row 2" in err


# ---------------------------------------------------------------- dates, one layout at a time


@pytest.mark.parametrize(
    "text",
    [
        "2021-03-15",
        "15 March 2021",
        "15/03/2021",
        "15-03-2021",
        "15.03.2021",
        "15 Mar 2021",
        "15-Mar-2021",
        "15-March-2021",
        "2021-03-15 00:00:00.000",
    ],
)
def test_every_date_layout_reads_as_the_same_day(text):
    values = pd.Series([text, "5/3/2021"])  # a second value in another layout
    got = regionmap.events.parse_dates(values)
    assert list(got) == [T("2021-03-15"), T("2021-03-05")]


@pytest.mark.parametrize("text", ["15/03/21", "31/02/2021", "2021-02-29", "March 2021", "x"])
def test_dates_that_are_not_read(text):
    assert regionmap.events.parse_dates(pd.Series([text])).isna().all()


def test_acled_without_its_id_is_refused_as_acled(catalog, tmp_path):
    path = tmp_path / "acled.csv"
    path.write_text(
        "event_date,event_type,actor1,inter1,admin1,latitude,longitude,source\n"
        "15 March 2021,Protests,Protesters (Turkey),6,Kars,40.6,43.1,Test Agency\n"
    )
    with pytest.raises(
        EventError, match=r"missing required columns \['event_id_cnty'\]; .*\(file read as ACLED\)$"
    ):
        regionmap.read_events(path, catalog)


def test_a_hashtag_row_under_our_own_columns_is_skipped_too(catalog, tmp_path):
    rows = (DATA / "events_bad_rows.csv").read_text().splitlines()
    header = rows[0]
    hxl = ",".join("#" + c if c in ("event_id", "event_date") else "" for c in header.split(","))
    path = tmp_path / "ours.csv"
    path.write_text("\n".join([header, hxl, *rows[1:]]) + "\n")
    result = regionmap.read_events(path, catalog)
    assert result.format == "regionmap with an HDX hashtag row"
    assert list(result.frame["event_id"]) == ["T1", "T8"]
    assert result.problems[0].where == "line 4, column event_date"  # one line further down


def test_ucdp_messages_use_ucdp_column_names(catalog, tmp_path):
    text = (DATA / "ucdp_ged_hdx.csv").read_text()
    path = tmp_path / "ged.csv"
    path.write_text(
        text.replace("2020-11-08,2020-11-08,0,20,25,40", "2020-11-31,2020-11-31,0,20,2.5,40")
    )
    result = regionmap.read_events(path, catalog)
    assert [(p.where, p.message) for p in result.problems] == [
        (
            "line 4, column date_start",
            "date_start '2020-11-31' is not a real date (YYYY-MM-DD, 15 March 2021 or "
            "15/03/2021) (file read as UCDP GED with an HDX hashtag row)",
        )
    ]
    path.write_text(
        text.replace("2020-11-08,2020-11-08,0,20,25,40", "2020-11-08,2020-11-08,0,20,2.5,40")
    )
    result = regionmap.read_events(path, catalog)
    assert [(p.where, p.message.split(" (")[0]) for p in result.problems] == [
        ("line 4, column best", "best '2.5' is not a whole number >= 0")
    ]


def test_a_span_of_month_precision_covers_whole_months():
    table = pd.DataFrame(
        [
            {
                "event_id": "s",
                "event_date": "",
                "date_start": "2020-06-10",
                "date_end": "2020-08-05",
                "time_precision": "3",
                "latitude": "40.6",
                "longitude": "43.1",
                "source": "s",
                "event_type": "Strategic developments",
                "theatre": "kars",
            }
        ]
    )
    frame, problems = regionmap.events.events_from_table(table, [2], "t.csv", None)
    assert problems == []
    assert (frame["start"].iloc[0], frame["end"].iloc[0]) == (T("2020-06-01"), T("2020-08-31"))


def test_the_parquet_store_keeps_the_format_and_the_notes(catalog, tmp_path):
    from regionmap._store import load_store

    first = load_store(DATA / "ucdp_ged_hdx.csv", catalog, tmp_path)
    again = load_store(DATA / "ucdp_ged_hdx.csv", catalog, tmp_path)
    assert again.from_cache and not first.from_cache
    assert again.format == first.format == "UCDP GED with an HDX hashtag row"
    assert again.notes == first.notes and "skipped HXL hashtag row 2 (HDX copy)" in again.notes
    assert again.result().notes == again.notes
    assert list(again.frame["end"]) == [T("2020-10-31"), T("2020-11-08")]


def test_a_windows_code_page_is_refused_not_guessed(catalog):
    """Windows-1254 (Turkish) and -1252 give 0xF0 different letters (ğ, ð): a guess would
    misspell every Turkish place name without a word, so the file is refused."""
    with pytest.raises(EventError) as caught:
        read("acled_cp1254.csv", catalog)
    assert str(caught.value) == (
        f"{DATA / 'acled_cp1254.csv'}: not UTF-8 text (byte 252 is 0xf0); probably a Windows "
        "code page (1252 Western, 1254 Turkish, 1251 Cyrillic), which regionmap does not "
        "guess: save the file as UTF-8 ('CSV UTF-8' in Excel)"
    )


# ---------------------------------------------------------------- nothing but RegionmapError


def test_random_acled_and_ucdp_like_input_raises_only_regionmap_errors(catalog, tmp_path):
    """Headers from every format, hashtag rows, separators, serial-looking and numeric
    dates, decimal commas, in random cells: a listed problem or a RegionmapError, never a
    crash."""
    import contextlib
    import string

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from regionmap._errors import RegionmapError

    names = st.sampled_from(
        [
            "EVENT_ID_CNTY", "event_id_cnty", "EVENT_DATE", "event_date", "LATITUDE",
            "longitude", "EVENT_TYPE", "source", "TIME_PRECISION", "ALLY_ACTOR_1", "id",
            "date_start", "date_end", "where_prec", "type_of_violence", "side_a", "side_b",
            "best", "latitude", "theatre", "event_id", "", "Unnamed: 0",
        ]
    )  # fmt: skip
    cells = st.one_of(
        st.sampled_from(
            ["44270", "15/03/2021", "03/15/2021", "36,5", "#geo+lat", "2021-03-15 00:00:00",
             "2", "9", "Black Sea", "15 March 2021", "-1", "2.5", ""]
        ),
        st.text(alphabet=string.printable + "ğış#", max_size=8),
    )  # fmt: skip

    @settings(
        max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(
        header=st.lists(names, min_size=1, max_size=12),
        rows=st.lists(st.lists(cells, max_size=12), max_size=5),
        sep=st.sampled_from([",", ";", "\t"]),
        encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
    )
    def check(header, rows, sep, encoding):
        path = tmp_path / "random.csv"
        lines = [sep.join(header)] + [sep.join(r) for r in rows]
        path.write_bytes("\r\n".join(lines).encode(encoding))
        with contextlib.suppress(RegionmapError):
            result = regionmap.read_events(path, catalog)
            assert list(result.frame.columns[:3]) == ["event_id", "event_date", "date_start"]
            assert result.format

    check()
