"""The map plan decides once what a view draws; both renderers draw the same plan."""

from __future__ import annotations

import datetime as dt

import pytest

import regionmap
from regionmap.plan import MAX_MARKERS, MapPlan
from regionmap.symbology import INACTIVE_COLOR, feature_look

from .conftest import ROOT


@pytest.fixture(scope="module")
def dataset():
    return regionmap.load_dataset(ROOT / "geodata")


def test_features_out_of_force_take_the_inactive_look(dataset):
    spec = regionmap.ViewSpec.default(dataset.catalog).replace(
        layers=("lachin-corridor",), start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31)
    )
    plan = MapPlan.from_view(spec, dataset)
    (layer,) = plan.layers
    assert layer.features and not any(f.active for f in layer.features)  # ended in 2023
    assert {f.look.color for f in layer.features} == {INACTIVE_COLOR}
    assert plan.any_inactive and plan.legend()[-1].kind == "inactive"
    style = dataset.catalog.layer("lachin-corridor").style
    assert feature_look(style, True).color == style.color


def test_markers_until_the_threshold_then_cells(dataset):
    spec = regionmap.ViewSpec.default(dataset.catalog)
    plan = MapPlan.from_view(spec, dataset)
    assert plan.mode == "markers" and len(plan.markers) == plan.n_events > 0
    many = dataset.events.frame.sample(MAX_MARKERS + 1, replace=True, random_state=1)
    plan = MapPlan.from_view(spec, dataset, events=many)
    assert plan.mode == "aggregated" and len(plan.markers) == 0
    assert any(e.kind == "aggregated" for e in plan.legend())


def test_legend_rows_follow_the_catalog_and_say_how_fresh(dataset):
    spec = regionmap.ViewSpec.default(dataset.catalog).replace(
        layers=("kars-borders", "akkuyu-plant")
    )
    rows = MapPlan.from_view(spec, dataset).legend()
    heads = [(r.kind, r.label) for r in rows if r.header]
    assert heads[0][1] == dataset.catalog.theatre("kars").title
    assert heads[1][1] == dataset.catalog.theatre("akkuyu").title
    assert heads[-1] == ("key", "Key")
    assert rows[0].detail.startswith("as of 20")
    assert [r.layer.id for r in rows if r.kind == "layer"] == ["kars-borders", "akkuyu-plant"]
