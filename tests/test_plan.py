"""The map plan decides once what a view draws; both renderers draw the same plan."""

from __future__ import annotations

import datetime as dt
import re

import pytest

import regionmap
from regionmap._plan import MAX_MARKERS, MapPlan
from regionmap._symbology import INACTIVE_COLOR, feature_look

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


def _web_rows(html: str) -> list[str]:
    """The labels a reader sees in the web legend, swatch titles included."""
    text = re.sub(r"<svg.*?</svg>", "", html)
    titles = re.findall(r'title="([^"]+)"', text)
    return titles + re.findall(r">([^<>]+)<", text)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"layers": ("kars-borders", "lachin-corridor"), "start": dt.date(2024, 1, 1)},
        {"show_events": False},
        # the Lachin view: dated variants and "approximate ± 60 km" rows
        {"start": dt.date(2020, 1, 1), "end": None, "center": (39.7026, 46.65), "zoom": 10},
    ],
)
def test_web_and_print_legends_list_the_same_rows(dataset, changes):
    """The same view's legend on the web map and on the print map: the same rows."""
    from html import unescape

    from regionmap.plot import _legend
    from regionmap.web import legend_html

    spec = regionmap.ViewSpec.default(dataset.catalog).replace(**changes)
    plan = MapPlan.from_view(spec, dataset, events=dataset.visible_events(spec))
    rows = plan.legend()
    printed = _legend.legend_entries(plan, plan.events["event_id"].map(lambda _: False))
    assert [e.label.split(" · ")[0] for e in printed] == [r.label for r in rows]
    web = " | ".join(unescape(t) for t in _web_rows(legend_html(plan)))
    # an exported page (the browser PNG) cannot be hovered: every row is written out
    page = [unescape(t) for t in re.findall(r">([^<>]+)<", legend_html(plan, full=True))]
    for row in rows:
        if row.kind in ("events", "key"):
            continue  # the web map's count line and its implicit key header
        assert row.label in web, row.label
        assert row.label in page, row.label


def test_a_closed_status_at_the_windows_end_draws_the_feature_as_not_in_force(dataset):
    """The 2022 Lachin route: a checkpoint on 1 July 2023, closed from 11 July 2023."""

    def route(end):
        spec = regionmap.ViewSpec.default(dataset.catalog).replace(
            layers=("lachin-corridor",), start=dt.date(2023, 1, 1), end=end
        )
        (layer,) = MapPlan.from_view(spec, dataset).layers
        return next(f for f in layer.features if f.record["id"] == "lachin-corridor-2022")

    assert route(dt.date(2023, 7, 1)).active
    closed = route(dt.date(2023, 8, 1))
    assert not closed.active and closed.look.color == INACTIVE_COLOR
    assert closed.why == "closed at the window's end (since 2023-07-11)"


def test_the_first_view_shows_each_place_as_it_stands_today(dataset):
    """Open start (every event up to today): layers are judged on the window's last day.
    The corridor (closed 2023) and the Sochi strips (patrols ended) are drawn not in force;
    with a start the whole window counts, and the 2021 corridor is in force in 2019–2024."""
    catalog = dataset.catalog
    today = regionmap.ViewSpec.default(catalog)
    assert today.start is None and today.end is None
    plan = MapPlan.from_view(today, dataset)
    corridor = next(p for p in plan.layers if p.layer.id == "lachin-corridor")
    assert corridor.features and not any(f.active for f in corridor.features)
    strips = next(p for p in plan.layers if p.layer.id == "syria-zones")
    patrol = [f for f in strips.features if "patrol" in str(f.record.get("name", "")).lower()]
    assert patrol and not any(f.active for f in patrol)
    kars = next(p for p in plan.layers if p.layer.id == "kars-borders")
    assert all(f.active for f in kars.features)  # the 1921 borders still hold
    window = today.replace(start=dt.date(2019, 1, 1), end=dt.date(2024, 12, 31))
    corridor = next(
        p for p in MapPlan.from_view(window, dataset).layers if p.layer.id == "lachin-corridor"
    )
    assert any(f.active for f in corridor.features)
