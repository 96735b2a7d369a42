"""Facts corrected or added for issue 14, each pinned to the source it cites.

Positions are compared geodesically on WGS84 (pyproj.Geod) in metres; coordinates in the
layers are (lon, lat). Airfield positions come from the ``airportsdata`` package, looked up
by the code each feature cites, so a change in that package shows up here.
"""

from __future__ import annotations

import datetime as dt

import airportsdata
import pandas as pd
import pytest
from pyproj import Geod

import regionmap
from regionmap._status import (
    describe,
    newest_as_of,
    period_problems,
    status_at,
    theatre_freshness,
)
from regionmap._validate import status_period_reasons
from regionmap.events import read_events

from .conftest import ROOT

GEOD = Geod(ellps="WGS84")
BASE_TOLERANCE_M = 3000


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    return GEOD.inv(lon1, lat1, lon2, lat2)[2]


@pytest.fixture(scope="module")
def airports():
    return airportsdata.load()  # keyed by ICAO code


def feature(layers, layer_id: str, feature_id: str) -> pd.Series:
    frame = layers[layer_id].frame.set_index("id", drop=False)
    return frame.loc[feature_id]


@pytest.fixture(scope="module")
def events(catalog):
    result = read_events(ROOT / "geodata" / "events.csv", catalog)
    assert result.problems == []
    return result.frame.set_index("event_id", drop=False)


# ---------------------------------------------------------------- bases


@pytest.mark.parametrize(
    ("layer_id", "feature_id", "code"),
    [
        ("syria-places", "syria-base-hmeimim", "OSLK"),
        ("syria-places", "syria-base-qamishli", "OSKL"),
        ("libya-places", "libya-site-jufra", "HL69"),
    ],
)
def test_airfield_bases_lie_on_the_cited_airfield(layers, airports, layer_id, feature_id, code):
    row = feature(layers, layer_id, feature_id)
    airport = airports[code]
    gap = distance_m(row.geometry.x, row.geometry.y, airport["lon"], airport["lat"])
    assert gap <= BASE_TOLERANCE_M, (feature_id, gap)
    assert code in row["source"] or code in row.get("airport_code", "")


def test_jufra_is_the_base_not_hun_town(layers, airports):
    jufra = feature(layers, "libya-places", "libya-site-jufra")
    hun = (15.94772, 29.12684)  # GeoNames 2216645, where the point used to be
    # DefPost: "9 kilometers northeast of the town of Hun"
    assert 8000 <= distance_m(*hun, jufra.geometry.x, jufra.geometry.y) <= 10500
    assert airports["HLZA"]["name"] != "Al Jufra Airport"  # HLZA is Zella 74
    line = feature(layers, "libya-front", "libya-sirte-jufra-line")
    end = line.geometry.coords[-1]
    assert distance_m(*end, jufra.geometry.x, jufra.geometry.y) < 1


def test_hmeimim_within_3_km_of_the_wikipedia_base_point(layers):
    row = feature(layers, "syria-places", "syria-base-hmeimim")
    # English Wikipedia, Khmeimim Air Base: 35.41167 N, 35.94500 E
    assert distance_m(row.geometry.x, row.geometry.y, 35.945, 35.41167) <= BASE_TOLERANCE_M


def test_tartus_naval_facility_position(layers):
    row = feature(layers, "syria-places", "syria-base-tartus")
    # Wikipedia, Tartus naval base: 34°54'54"N 35°52'30"E
    lat = 34 + 54 / 60 + 54 / 3600
    lon = 35 + 52 / 60 + 30 / 3600
    assert distance_m(row.geometry.x, row.geometry.y, lon, lat) <= BASE_TOLERANCE_M


def test_qamishli_base_ends_with_the_withdrawal(layers):
    row = feature(layers, "syria-places", "syria-base-qamishli")
    assert row["valid_to"] == "2026-01-27"
    assert status_at(row["status_periods"], "2025-06-01")["status"] == "de facto"
    assert status_at(row["status_periods"], "2026-02-01") is None


@pytest.mark.parametrize("feature_id", ["syria-base-hmeimim", "syria-base-tartus"])
def test_coastal_bases_kept_after_assad(layers, feature_id):
    row = feature(layers, "syria-places", feature_id)
    assert row["valid_to"] == ""
    now = status_at(row["status_periods"], "2026-11-29")
    assert now["from"] == "2024-12-08" and "Russia" in now["controller"]
    assert now["as_of"] == "2026-01-26"


def test_event_positions_follow_the_corrected_points(layers, events):
    jufra = feature(layers, "libya-places", "libya-site-jufra")
    rm28 = events.loc["RM0028"]
    assert distance_m(rm28.longitude, rm28.latitude, jufra.geometry.x, jufra.geometry.y) < 50
    hakari = feature(layers, "lachin-places", "lachin-site-hakari-checkpoint")
    rm48 = events.loc["RM0048"]
    assert distance_m(rm48.longitude, rm48.latitude, hakari.geometry.x, hakari.geometry.y) < 50


# ---------------------------------------------------------------- dates and counts


def test_patrol_facts(layers, events):
    m4 = feature(layers, "syria-zones", "syria-m4-security-corridor")
    assert "26th" in m4["patrols"] and "25 Aug 2020" in m4["patrols"]
    west = feature(layers, "syria-zones", "syria-patrol-strip-west")
    assert "5 November 2019" in west["description"]
    assert "First joint patrol: 1 November 2019" not in west["description"]
    east = feature(layers, "syria-zones", "syria-patrol-strip-east")
    assert "1 November 2019" in east["description"]
    notes = events.loc["RM0031"]["notes"]
    assert "17 August" in notes and "25 August 2020" in notes
    assert "The last patrol ran on 12 August" not in notes


def test_karabakh_toll_revised_to_198(events):
    assert "198" in events.loc["RM0050"]["notes"]


def test_ukraine_events_belong_to_the_black_sea_theatre(catalog, events):
    assert "blacksea" in catalog.theatre_ids
    for eid in ("RM0041", "RM0042", "RM0043", "RM0044"):
        assert events.loc[eid]["theatre"] == "blacksea", eid
    assert (events["theatre"] == "kars").sum() >= 4  # the treaty events stay


NEW_EVENTS = {
    "RM0063": "2017-01-24",  # Astana joint statement
    "RM0064": "2019-07-12",  # first S-400 delivery
    "RM0065": "2020-01-08",  # TurkStream inaugurated
    "RM0066": "2021-03-10",  # GNU confirmed in Sirte
    "RM0067": "2022-02-27",  # Montreux Article 19
    "RM0068": "2022-03-10",  # Antalya
    "RM0069": "2022-03-29",  # Istanbul talks
    "RM0070": "2022-07-22",  # grain initiative signed
    "RM0071": "2022-07-27",  # JCC opens
    "RM0072": "2023-07-17",  # grain deal ends
    "RM0073": "2023-10-05",  # Syria patrols suspended
    "RM0074": "2024-08-01",  # Ankara prisoner exchange
    "RM0075": "2024-08-22",  # Syria patrols resumed
    "RM0076": "2024-12-24",  # factions to merge into the defence ministry
    "RM0079": "2025-05-16",  # Istanbul talks, Dolmabahçe
    "RM0080": "2025-06-02",  # Istanbul talks, Çırağan
    "RM0081": "2025-07-23",  # Istanbul talks, Çırağan
    "RM0082": "2025-10-15",  # Sharaa in the Kremlin
}


def test_new_events_are_dated_and_cited(events):
    for eid, day in NEW_EVENTS.items():
        row = events.loc[eid]
        assert row["start"].date() == dt.date.fromisoformat(day), eid
        assert row["source_url"].startswith("http"), eid
    assert len(NEW_EVENTS) + 3 >= 15  # plus three spans: RM0077, RM0078, RM0083
    for eid in ("RM0077", "RM0078", "RM0083"):
        assert events.loc[eid]["start"] < events.loc[eid]["end"], eid


def test_talks_venues(layers):
    dolma = feature(layers, "blacksea", "blacksea-site-dolmabahce")
    ciragan = feature(layers, "blacksea", "blacksea-site-ciragan")
    # Wikipedia: Dolmabahçe 41°02'22"N 29°00'06"E; Çırağan 41°2'36.4"N 29°0'55.4"E
    assert distance_m(dolma.geometry.x, dolma.geometry.y, 29.00167, 41.03944) < 300
    assert distance_m(ciragan.geometry.x, ciragan.geometry.y, 29.01539, 41.04344) < 300
    assert (
        1000
        < distance_m(dolma.geometry.x, dolma.geometry.y, ciragan.geometry.x, ciragan.geometry.y)
        < 2000
    )


def test_grain_corridor_dates_and_straits_article_19(layers):
    corridor = feature(layers, "blacksea", "blacksea-grain-corridor")
    assert (corridor["valid_from"], corridor["valid_to"]) == ("2022-07-22", "2023-07-17")
    straits = feature(layers, "blacksea", "blacksea-straits")
    assert "Arts. 10-18" in status_at(straits["status_periods"], "2022-01-01")["controller"]
    assert "Article 19" in status_at(straits["status_periods"], "2022-03-01")["controller"]


# ---------------------------------------------------------------- status in force


def test_lachin_road_status_before_and_after_the_checkpoint(layers):
    for layer_id, fid in (
        ("lachin-corridor", "lachin-route-2022"),
        ("lachin-corridor", "lachin-corridor-2022"),
    ):
        periods = feature(layers, layer_id, fid)["status_periods"]
        march = status_at(periods, "2023-03-01")
        may = status_at(periods, "2023-05-01")
        assert "Russian peacekeeping" in march["controller"] and "blocked" in march["controller"]
        assert "Azerbaijan" in may["controller"] and "Hakari" in may["controller"]
        assert may["from"] == "2023-04-23"
        assert status_at(periods, "2023-06-20")["status"] == "closed"
        assert status_at(periods, "2023-08-01")["status"] == "closed"


def test_syria_strips_on_1_january_2025(layers):
    for fid in ("syria-patrol-strip-west", "syria-patrol-strip-east"):
        strip = feature(layers, "syria-zones", fid)
        assert strip["valid_to"] == "2024-12-08"
        assert status_at(strip["status_periods"], "2025-01-01") is None
        assert status_at(strip["status_periods"], "2024-01-01")["status"] == "suspended"
    east = feature(layers, "syria-zones", "syria-patrol-strip-east")
    assert status_at(east["status_periods"], "2024-09-01")["status"] == "agreed"
    spring = feature(layers, "syria-zones", "syria-peace-spring-area")
    assert status_at(spring["status_periods"], "2025-01-01")["status"] == "unconfirmed"
    assert "Syrian National Army" in status_at(spring["status_periods"], "2024-01-01")["controller"]


@pytest.mark.parametrize(
    "town", ["syria-town-tal-abyad", "syria-town-ras-al-ayn", "syria-town-manbij"]
)
def test_sna_control_labels_are_dated(layers, town):
    row = feature(layers, "syria-places", town)
    assert "Dec 2024" in row["controlled_by"]
    assert status_at(row["status_periods"], "2025-06-01")["from"] == "2024-12-24"


@pytest.mark.parametrize("fid", ["libya-site-jufra", "libya-city-sirte", "libya-city-benghazi"])
def test_libya_wagner_then_africa_corps(layers, fid):
    row = feature(layers, "libya-places", fid)
    assert "Wagner" in status_at(row["status_periods"], "2021-06-01")["controller"]
    assert "Africa Corps" in status_at(row["status_periods"], "2025-06-01")["controller"]
    assert "Africa Corps" in row["backed_by"]


def test_akkuyu_operating_status_has_its_own_as_of(layers):
    plant = feature(layers, "akkuyu-plant", "akkuyu-site-npp")
    assert plant["operating_status_as_of"] == "2026-03-12"
    assert "not generating" in plant["operating_status"]
    now = status_at(plant["status_periods"], "2026-11-29")
    assert now["status"] == "commissioning" and now["as_of"] == "2026-03-12"
    assert status_at(plant["status_periods"], "2020-01-01")["status"] == "under construction"


def test_freshness_per_theatre(catalog, layers):
    fresh = theatre_freshness(catalog, layers)
    assert set(fresh) == set(catalog.theatre_ids)
    assert fresh["akkuyu"] == "2026-03-12"
    assert fresh["libya"] == "2025-12-23"
    # Natural Earth's lines still in force (Abkhazia, South Ossetia; the Golan, Shebaa;
    # Transnistria) were dated on 2026-11-29: a running fact of Kars, Syria and the Black
    # Sea, newer than the Syrian zones' statuses (Hmeimim, 2026-01-26) or the Straits' rule
    # (confirmed in January 2024)
    for theatre in ("kars", "syria", "blacksea"):
        assert fresh[theatre] == "2026-11-29"
    # the corridor closed in 2023 and the Karabakh lines ended in 2020 and 2023: nothing
    # there can go stale, so the newest check counts
    assert fresh["lachin"] == "2026-11-29"
    without = {k: v for k, v in layers.items() if not k.endswith("-disputed")}
    assert theatre_freshness(catalog, without)["syria"] == "2026-01-26"
    assert theatre_freshness(catalog, without)["blacksea"] == "2024-01-02"
    assert all(fresh.values())


def test_freshness_counts_only_running_facts():
    ended = {
        "as_of": "2026-11-01",
        "status_periods": [
            {"from": "2020-01-01", "to": "2023-01-01", "status": "agreed", "as_of": "2022-12-01"}
        ],
    }
    running = {
        "as_of": "2026-11-01",
        "status_periods": [
            {"from": "2020-01-01", "to": "", "status": "agreed", "as_of": "2024-05-01"}
        ],
    }
    gone = {"as_of": "2026-11-01", "valid_to": "2025-01-01", "operating_status_as_of": "2025-06-01"}
    day = dt.date(2026, 11, 29)
    assert newest_as_of([ended], day) == "2026-11-01"  # only the file's own check is left
    assert newest_as_of([ended, running, gone], day) == "2024-05-01"
    # a period whose end is still ahead is running, and can go stale
    assert newest_as_of([ended], dt.date(2022, 12, 15)) == "2022-12-01"


# ---------------------------------------------------------------- the period rules


GOOD = [
    {"from": "2020-01-01", "to": "2021-01-01", "status": "agreed", "as_of": "2021-01-01",
     "source": "a"},
    {"from": "2021-01-01", "to": "", "status": "suspended", "as_of": "2022-01-01",
     "source": "b"},
]  # fmt: skip


def test_status_at_is_half_open():
    assert status_at(GOOD, "2020-12-31")["status"] == "agreed"
    assert status_at(GOOD, "2021-01-01")["status"] == "suspended"
    assert status_at(GOOD, dt.date(2019, 12, 31)) is None
    assert status_at('[{"from": "", "to": "", "status": "agreed"}]', "2000-01-01")
    assert "suspended" in describe(status_at(GOOD, "2030-01-01"))
    with pytest.raises(ValueError, match="must be a date"):
        status_at(GOOD, "yesterday")


def test_period_problems_catch_overlap_order_and_bounds():
    assert period_problems(GOOD, "2020-01-01", "") == []
    assert period_problems(None) == [] and period_problems("") == []
    overlap = [GOOD[0], {**GOOD[1], "from": "2020-06-01"}]
    assert any("before the previous period ends" in p for p in period_problems(overlap))
    open_then_more = [GOOD[1], {**GOOD[0], "from": "2022-01-01", "to": "2023-01-01"}]
    assert any("follows a period with no 'to'" in p for p in period_problems(open_then_more))
    assert any("before the feature's valid_from" in p for p in period_problems(GOOD, "2020-06-01"))
    assert any(
        "open-ended but the feature ends" in p for p in period_problems(GOOD, "", "2022-01-01")
    )
    bad = [{"from": "2020-13-01", "to": "2019-01-01", "status": "won", "colour": "red"}]
    text = " ".join(period_problems(bad))
    for needed in ("not a date", "not one of", "unknown keys", "has no source", "has no as_of"):
        assert needed in text, needed
    assert period_problems("{not json") and period_problems(42)


def test_validate_reports_bad_periods_by_feature():
    frame = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "valid_from": ["", "", "2021-06-01"],
            "valid_to": ["", "", ""],
            "status_periods": [GOOD, None, GOOD],
        }
    )
    reasons = status_period_reasons(frame)
    assert reasons.tolist()[:2] == ["", ""]
    assert "before the feature's valid_from" in reasons.iloc[2]
    assert (status_period_reasons(frame.drop(columns="status_periods")) == "").all()


def test_shipped_periods_are_clean(layers):
    checked = 0
    for result in layers.values():
        frame = result.frame
        if "status_periods" not in frame.columns:
            continue
        for row in frame.itertuples():
            assert period_problems(row.status_periods, row.valid_from, row.valid_to) == [], row.id
            checked += bool(row.status_periods == row.status_periods and row.status_periods)
    assert checked >= 18


def test_popup_lists_history_and_status_in_force(catalog, layers):
    from regionmap.web import feature_popup

    spec = catalog.layer("lachin-corridor")
    props = feature(layers, "lachin-corridor", "lachin-corridor-2022").to_dict()
    html = feature_popup(props, spec, dt.date(2023, 5, 1))
    assert "In force" in html and "History" in html
    in_force = html.split("In force")[1].split("</tr>")[0]
    assert "Hakari" in in_force and "blocked near Shusha" not in in_force
    assert html.count("as of") >= 3


def test_geojson_export_carries_status_in_force(catalog):
    from regionmap._datafiles import geojson_snapshot

    dataset = regionmap.load_dataset(catalog.root)
    spec = regionmap.ViewSpec(layers=("syria-zones",), end=dt.date(2024, 1, 1))
    text = geojson_snapshot(spec, dataset)
    assert '"status_in_force":"suspended' in text
