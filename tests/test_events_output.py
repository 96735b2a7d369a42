"""Output (regionmap.events._output): GeoJSON is lon-first, CSV is safe in a spreadsheet."""

import json

import regionmap
from regionmap.events import to_csv, to_geojson


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


def test_worded_acled_dates_go_out_as_iso(catalog, tmp_path):
    """ACLED writes "15 October 2019"; regionmap reads it, and its CSV and GeoJSON give
    2019-10-15, as for every other date."""
    path = tmp_path / "acled_words.csv"
    path.write_text(
        "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,"
        "sub_event_type,actor1,actor2,country,admin1,location,latitude,longitude,"
        "geo_precision,source,notes,fatalities,timestamp\n"
        "SYR1,15 October 2019,2019,1,Political violence,Battles,Armed clash,A,B,Syria,"
        "Al-Hasakeh,Ras al-Ain,36.85,40.07,1,SOHR,note,3,1571100000\n",
        encoding="utf-8",
    )
    frame = regionmap.read_events(path, catalog).frame
    assert frame["event_date"].iloc[0] == "15 October 2019"  # the popup shows the file's words
    assert "SYR1,2019-10-15," in regionmap.events.to_csv(frame)
    assert '"event_date": "2019-10-15"' in regionmap.events.to_geojson(frame)
