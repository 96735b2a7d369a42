"""The theatre atlas: one PDF, the overview, a page per theatre, the sources; every map page
carries its view, and the file reopens as a view like any snapshot."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

import regionmap
from regionmap.cli import main

from .conftest import ROOT

GENERATED = "2026-01-02"


@pytest.fixture(scope="module")
def dataset():
    return regionmap.load_dataset(ROOT / "geodata")


@pytest.fixture(scope="module")
def atlas(dataset) -> bytes:
    return regionmap.render_atlas(
        dataset, start=dt.date(2019, 1, 1), end=dt.date(2024, 12, 31), generated=GENERATED
    )


def test_one_page_per_theatre_between_the_overview_and_the_sources(atlas, dataset):
    theatres = dataset.catalog.theatres
    reader = PdfReader(io.BytesIO(atlas))
    views = regionmap.read_atlas_views(atlas)
    assert len(reader.pages) == len(views) >= 1 + len(theatres) + 1
    titles = [title for title, _ in views if title]
    assert titles == [
        "The region: events 1 January 2019 – 31 December 2024",
        *(t.title for t in theatres),
        "Sources",
    ]
    text = [page.extract_text() for page in reader.pages]
    for k, theatre in enumerate(theatres, 1):
        assert f"{theatre.title}: events 1 January 2019 – 31 December 2024" in text[k]
        assert "Legend" in text[k] and "km" in text[k]  # the legend and the scale bar
        assert f"Generated on {GENERATED}" in text[k]
    assert "Sources" in text[len(theatres) + 1]


def test_each_map_page_reads_back_as_its_view(atlas, dataset):
    views = regionmap.read_atlas_views(atlas)
    catalog = dataset.catalog
    overview = views[0][1]
    assert set(overview.layers) == {
        s.id for s in catalog.layers if s.visible and s.role != "basemap"
    }
    for (title, spec), theatre in zip(views[1:], catalog.theatres, strict=False):
        assert title == theatre.title
        assert spec.theatres == (theatre.id,)
        assert {catalog.layer(i).theatre for i in spec.layers} == {theatre.id}
        assert (spec.start, spec.end) == (dt.date(2019, 1, 1), dt.date(2024, 12, 31))
        west, south, east, north = theatre.bbox
        assert south <= spec.center[0] <= north and west <= spec.center[1] <= east
    assert all(spec is None for title, spec in views[len(catalog.theatres) + 1 :])
    # the file as a whole reopens as the overview, like any snapshot
    assert regionmap.read_view(atlas, "atlas.pdf") == overview


def test_the_sources_pages_cite_every_theatre(atlas, dataset):
    reader = PdfReader(io.BytesIO(atlas))
    first = 1 + len(dataset.catalog.theatres)
    text = "\n".join(p.extract_text() for p in reader.pages[first:])
    for source in dataset.catalog.sources:
        assert source.title.split(" ")[0] in text
    for theatre in dataset.catalog.theatres:
        assert theatre.title in text
    akkuyu = dataset.layers["akkuyu-plant"].frame
    assert str(akkuyu["source"].iloc[0])[:30] in text.replace("\n", " ")


def test_cli_writes_the_chosen_theatres_atomically(tmp_path, capsys):
    out = tmp_path / "report.pdf"
    assert main(["atlas", "--out", str(out), "--theatres", "akkuyu,libya", "--quiet"]) == 0
    titles = [t for t, _ in regionmap.read_atlas_views(out.read_bytes()) if t]
    assert titles[1:3] == ["Akkuyu", "Libya"] and titles[-1] == "Sources"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]  # no temporary left
    assert "wrote" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "report.png"], "an atlas is a PDF"),
        (["--out", "report.pdf", "--theatres", "crimea"], "unknown theatre crimea"),
    ],
)
def test_cli_refuses_bad_requests_in_one_line(tmp_path, capsys, args, message):
    args = [a if a.startswith("-") or "," in a or "." not in a else str(tmp_path / a) for a in args]
    assert main(["atlas", *args, "--quiet"]) == 1
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_a_print_pdf_reopens_as_its_view(dataset, tmp_path):
    spec = regionmap.ViewSpec.default(dataset.catalog).replace(start=dt.date(2020, 1, 1))
    out = regionmap.snapshot(spec, dataset, tmp_path / "map.pdf", "pdf")
    assert regionmap.read_view(out.read_bytes(), "map.pdf") == spec
    from pypdf import PdfWriter

    other = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.write(other)
    with pytest.raises(regionmap.ViewError, match="other.pdf: carries no regionmap view"):
        regionmap.read_view(other.getvalue(), "other.pdf")
    with pytest.raises(regionmap.ViewError, match="broken.pdf: not a readable PDF"):
        regionmap.read_view(b"%PDF-1.4\n%%EOF\n", "broken.pdf")
