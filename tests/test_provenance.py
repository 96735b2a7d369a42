"""What the dashboard's feature panel says about a feature, dates in words, the export
choices, and how a click on the web map names a feature."""

import datetime as dt
import locale

import pytest

import regionmap
from regionmap._catalog import LayerSpec
from regionmap._status import as_periods, describe, status_at

from .conftest import ROOT


@pytest.fixture(scope="module")
def dataset():
    return regionmap.load_dataset(ROOT / "geodata")


def test_rows_of_a_shipped_border_say_source_dates_status_and_both_lengths(dataset):
    layer_id, props = dataset.feature("border-tur-arm")
    rows = dict(regionmap.provenance_rows(props, dataset.catalog.layer(layer_id)))
    assert list(rows)[:5] == ["Source", "As of", "Valid", "Legal basis", "Status"]
    assert rows["Source"] == props["source"] and rows["As of"] == props["as_of"]
    assert rows["Precision"] == f"± {props['precision_m']} m"
    assert rows["Measured"] == f"{props['measured']:.1f} km (geodesic)"
    assert rows["Official"] == f"{props['official_length_km']:.0f} km ({props['official_source']})"
    assert all(isinstance(text, str) for text in rows.values())


def test_in_force_row_follows_the_day_asked_for(dataset):
    layer_id, props = dataset.feature("lachin-corridor-2022")
    layer = dataset.catalog.layer(layer_id)
    periods = as_periods(props["status_periods"])
    days = [p["from"] for p in periods if p.get("from")][:2]
    assert len(days) == 2
    seen = set()
    for day in days:
        rows = dict(regionmap.provenance_rows(props, layer, dt.date.fromisoformat(day)))
        assert rows["In force"] == describe(status_at(periods, day))
        seen.add(rows["In force"])
    assert len(seen) == 2


def test_what_a_users_file_does_not_say_reads_not_given():
    layer = LayerSpec("user-mine", "mine.geojson", "", role="user")
    props = {"name": "Hun", "source": "mine.geojson", "precision_m": float("nan")}
    rows = dict(regionmap.provenance_rows(props, layer))
    assert rows["Precision"] == "not given" and rows["As of"] == "not given"
    assert rows["Valid"] == "… – now" and rows["Legal basis"] == "not given"
    assert "In force" not in rows and "Measured" not in rows and "Official" not in rows


def test_dates_in_english_words_whatever_the_locale():
    day = dt.date(2021, 3, 3)
    assert regionmap.format_date(day) == "3 March 2021"
    assert regionmap.format_date(day, "short") == "3 Mar 2021"
    with pytest.raises(ValueError, match="style must be 'long' or 'short', got 'iso'"):
        regionmap.format_date(day, "iso")  # type: ignore[arg-type]
    for name in ("tr_TR.UTF-8", "ru_RU.UTF-8"):
        try:
            old = locale.setlocale(locale.LC_TIME, name)
        except locale.Error:
            continue
        try:
            assert regionmap.format_date(day, "short") == "3 Mar 2021"
        finally:
            locale.setlocale(locale.LC_TIME, old)


def test_a_click_on_the_web_map_names_the_feature_even_a_hostile_id(dataset):
    spec = regionmap.ViewSpec.default(dataset.catalog)
    layer = dataset.catalog.layer("akkuyu-plant")
    plan = regionmap.MapPlan.from_view(spec.replace(layers=(layer.id,)), dataset)
    drawn = regionmap.web._map._layer_geojson(plan, plan.layers[0])["features"]
    ids = {regionmap.clicked_feature_id(feature) for feature in drawn}
    assert ids == set(dataset.layers["akkuyu-plant"].frame["id"])
    hostile = "a&b <img> ${x} `y`"
    feature = {"properties": {"rm_id": regionmap.escape(hostile)}}
    assert regionmap.clicked_feature_id(feature) == hostile
    for nothing in (None, {}, {"properties": None}, {"properties": {}}, {"type": "Feature"}):
        assert regionmap.clicked_feature_id(nothing) is None


def test_export_choices_cover_every_format_once():
    choices = regionmap.EXPORT_FORMATS
    assert len({c.key for c in choices}) == len(choices)
    assert {c.format for c in choices} == set(regionmap.FORMATS)
    assert all(c.renderer in ("browser", "static") and "/" in c.mime for c in choices)
    assert {c.key: c.format for c in choices}["png-static"] == "png"


def test_one_map_height_for_the_dashboard_and_the_print_map():
    from regionmap.plot import _extent

    assert _extent.REFERENCE_MAP_HEIGHT_PX == regionmap.MAP_HEIGHT_PX == 620


def test_the_panel_lists_the_status_history_and_sizes_that_show(dataset):
    layer_id, props = dataset.feature("lachin-corridor-2022")
    layer = dataset.catalog.layer(layer_id)
    rows = dict(regionmap.provenance_rows(props, layer, dt.date(2021, 3, 23)))
    assert rows["In force"] == "no dated status covers the window's end"
    assert rows["History"].count("\n") >= 4  # every period, one a line
    building = {"measured": 0.00024, "measured_unit": "km²"}
    assert dict(regionmap.provenance_rows(building, layer))["Measured"] == "240 m² (geodesic)"


def test_missing_values_of_any_kind_read_not_given_in_the_popup():
    """pandas' NA (nullable integer columns) refuses to be a bool; it must not crash."""
    import pandas as pd

    layer = LayerSpec("user-mine", "mine.geojson", "", role="user")
    for missing in (None, float("nan"), pd.NA, "", "  "):
        popup = regionmap.web.feature_popup(
            {"name": "Hun", "precision_m": missing, "floors": missing}, layer
        )
        assert "<th>Precision</th><td><i>not given</i></td>" in popup and "Floors" not in popup
