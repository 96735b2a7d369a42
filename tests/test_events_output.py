"""Output (regionmap.events._output): GeoJSON is lon-first, CSV is safe in a spreadsheet."""

import json

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
