"""Animated exports: the frames' dates, the files decoded frame by frame, the view read back.

The known event is RM0015 in geodata/events.csv: Turkey's Operation Peace Spring, a battle
in the Syria theatre on 9 October 2019, the only battle there in the second half of 2019.
With every layer off and only that type and theatre shown, its red triangle (and the legend
row that comes with it) are the only pixels of the Battles colour on a frame.
"""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pytest
from PIL import Image

import regionmap
from regionmap._animate import frame_view
from regionmap._export import SnapshotOptions, static_snapshot
from regionmap.cli import main

SIZE = (800, 500)
BATTLES = np.array([0xD7, 0x30, 0x1F])  # symbology's colour for ACLED's "Battles"
EVENT_DAY = dt.date(2019, 10, 9)
STEPS = [dt.date(2019, m, d) for m, d in ((7, 31), (8, 31), (9, 30), (10, 31), (11, 30), (12, 31))]


@pytest.fixture(scope="module")
def dataset() -> regionmap.Dataset:
    return regionmap.load_dataset()


@pytest.fixture(scope="module")
def spec() -> regionmap.ViewSpec:
    return regionmap.ViewSpec(
        layers=(),
        start=dt.date(2019, 7, 1),
        end=dt.date(2019, 12, 31),
        event_types=("Battles",),
        theatres=("syria",),
    )


def red_pixels(rgb: np.ndarray) -> int:
    return int((np.abs(rgb.astype(int) - BATTLES).sum(axis=2) < 90).sum())


def title_strip(rgb: np.ndarray) -> np.ndarray:
    """The top tenth of a frame, where the title with the frame's date is printed."""
    return rgb[: rgb.shape[0] // 10].astype(float)


def check_frames(frames: list[np.ndarray], spec, dataset) -> None:
    """One frame a step; each frame's title matches its own date's best; the event shows
    from its date on, and not before."""
    assert len(frames) == len(STEPS)
    options = SnapshotOptions(size=SIZE)
    references = [
        title_strip(np.asarray(Image.open(io.BytesIO(png)).convert("RGB")))
        for png in (
            static_snapshot(frame_view(spec, day), dataset, options, "png") for day in STEPS
        )
    ]
    for k, frame in enumerate(frames):
        distances = [np.abs(title_strip(frame) - ref).mean() for ref in references]
        assert int(np.argmin(distances)) == k, (k, distances)
        shown = red_pixels(frame)
        if STEPS[k] < EVENT_DAY:
            assert shown <= 2, (STEPS[k], shown)
        else:
            assert shown >= 15, (STEPS[k], shown)


def test_frame_dates_step_through_the_window(spec, dataset):
    assert regionmap.frame_dates(spec, dataset, "month") == STEPS
    two_years = spec.replace(start=dt.date(2019, 1, 1), end=dt.date(2020, 12, 31))
    months = regionmap.frame_dates(two_years, dataset, "month")
    assert len(months) == 24 and months[1] == dt.date(2019, 2, 28)
    weeks = regionmap.frame_dates(spec.replace(end=dt.date(2019, 7, 20)), dataset, "week")
    assert weeks == [dt.date(2019, 7, d) for d in (7, 14, 20)]  # Sundays, then the window's end
    assert regionmap.frame_dates(two_years, dataset, "year") == [
        dt.date(2019, 12, 31),
        dt.date(2020, 12, 31),
    ]
    # an open window is closed by its events: battles in Syria run from RM0015 to RM0056
    years = regionmap.frame_dates(spec.replace(start=None, end=None), dataset, "year")
    assert years == [dt.date(y, 12, 31) for y in range(2019, 2024)] + [dt.date(2024, 12, 9)]


def test_windows_that_cannot_be_stepped_are_refused(spec, dataset, tmp_path):
    with pytest.raises(regionmap.ExportError, match="unknown step 'hour'"):
        regionmap.frame_dates(spec, dataset, "hour")
    assert len(regionmap.frame_dates(spec, dataset, "day")) == 184  # within the limit
    nothing = spec.replace(start=None, end=None, theatres=("kars",))
    with pytest.raises(regionmap.ExportError, match="give --from and --to"):
        regionmap.frame_dates(nothing, dataset, "month")
    century = spec.replace(start=dt.date(1921, 1, 1), end=dt.date(2021, 1, 1))
    with pytest.raises(
        regionmap.ExportError,
        match="1201 frames of one month from 1921-01-01 to 2021-01-01; at most 240",
    ):
        regionmap.frame_dates(century, dataset, "month")
    with pytest.raises(regionmap.ExportError, match="1201 frames"):
        options = regionmap.SnapshotOptions(step="month")
        regionmap.snapshot(century, dataset, tmp_path / "century.mp4", options=options)
    assert list(tmp_path.iterdir()) == []  # nothing half-written
    assert len(regionmap.frame_dates(century, dataset, regionmap.AUTO_STEP)) == 101  # years


def test_gif_has_a_frame_a_step_with_its_date_and_the_event_from_its_day(spec, dataset, tmp_path):
    seen: list[tuple[int, int]] = []
    out = regionmap.snapshot(
        spec,
        dataset,
        tmp_path / "peace-spring.gif",
        options=SnapshotOptions(size=SIZE, step="month"),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(k, len(STEPS)) for k in range(1, len(STEPS) + 1)]
    gif = Image.open(out)
    frames = []
    for k in range(gif.n_frames):
        gif.seek(k)
        frames.append(np.asarray(gif.convert("RGB")))
    check_frames(frames, spec, dataset)
    data = out.read_bytes()
    assert regionmap.read_view(data, out.name) == spec
    assert regionmap.read_animation(data, out.name)[1:] == ("month", STEPS)


def test_mp4_from_the_command_line_decodes_and_restores_its_view(spec, dataset, tmp_path, capsys):
    import imageio_ffmpeg

    out = tmp_path / "peace-spring.mp4"
    args = [
        "snapshot",
        "--out",
        str(out),
        "--layers",
        "",
        "--from",
        "2019-07-01",
        "--step",
        "month",
    ]
    args += ["--to", "2019-12-31", "--event-types", "Battles", "--size", "800x500"]
    args += ["--fps", "4"]
    view = tmp_path / "view.json"
    view.write_text(spec.replace(end=dt.date(2020, 1, 1)).to_json())
    assert main([*args, "--view", str(view)]) == 0
    assert "6 of 6 frames" in capsys.readouterr().err
    reader = imageio_ffmpeg.read_frames(str(out))
    meta = next(reader)
    assert meta["size"] == SIZE and meta["fps"] == 4
    frames = [np.frombuffer(f, np.uint8).reshape(SIZE[1], SIZE[0], 3) for f in reader]
    check_frames(frames, spec, dataset)
    assert regionmap.read_animation(out.read_bytes())[0] == spec

    # --view takes the view back from the video
    again = tmp_path / "again.gif"
    assert main(["snapshot", "--out", str(again), "--view", str(out), "--step", "year"]) == 0
    assert regionmap.read_animation(again.read_bytes()) == (spec, "year", [STEPS[-1]])


def test_webm_carries_its_view_and_bad_files_are_named(spec, dataset, tmp_path):
    options = SnapshotOptions(size=(600, 400), step="year")
    titled = spec.replace(title="Сирия = Suriye; #1 \\ $x")  # ffmetadata escapes =;#\\
    data = regionmap.snapshot_bytes(titled, dataset, "webm", options)
    assert data[:4] == b"\x1a\x45\xdf\xa3"
    assert regionmap.read_view(data, "a.webm") == titled
    assert regionmap.read_animation(data)[1:] == ("year", [dt.date(2019, 12, 31)])
    plain = io.BytesIO()
    Image.new("RGB", (4, 4)).save(plain, format="GIF")
    with pytest.raises(regionmap.ViewError, match="plain.gif: carries no regionmap view"):
        regionmap.read_view(plain.getvalue(), "plain.gif")
    with pytest.raises(regionmap.ExportError, match="frames per second must be 0.1..60"):
        regionmap.snapshot_bytes(spec, dataset, "gif", SnapshotOptions(size=SIZE, fps=0))


@pytest.mark.browser
def test_browser_frames_show_the_event_from_its_day(spec, dataset):
    """Frames drawn by headless Chromium, as the dashboard shows the map: the battle's marker
    (its colour) appears with the October frame."""
    from .browser_support import require_browser

    require_browser()
    options = SnapshotOptions(size=(600, 400), renderer="browser", step="month")
    data = regionmap.snapshot_bytes(
        spec.replace(end=dt.date(2019, 10, 31)), dataset, "gif", options
    )
    gif = Image.open(io.BytesIO(data))
    assert gif.n_frames == 4 and gif.size == (600, 400)
    shown = []
    for k in range(gif.n_frames):
        gif.seek(k)
        shown.append(red_pixels(np.asarray(gif.convert("RGB"))))
    assert shown[:3] == [0, 0, 0] and shown[3] >= 10, shown


@pytest.mark.parametrize(
    ("start", "end"),
    [(dt.date(1921, 3, 16), dt.date(2026, 11, 29)), (dt.date(2019, 7, 3), dt.date(2020, 2, 1))],
)
def test_step_count_is_the_number_of_step_ends(start, end):
    """Playback skips a step by its count alone: making a century of days cost 1.3 s a rerun."""
    from regionmap._animate import step_count, step_ends

    for step in regionmap.ANIMATION_STEPS:
        assert step_count(start, end, step) == len(step_ends(start, end, step)), step


def test_the_auto_step_fits_any_window():
    """The default step: days up to 92 days, weeks up to a year, then months, and years
    for a century (a preset from 1921 gave 1,201 monthly frames and failed)."""
    from regionmap._animate import MAX_FRAMES, choose_step, step_count

    cases = {
        (dt.date(1921, 3, 16), dt.date(2026, 11, 29)): "year",
        (dt.date(2019, 1, 1), dt.date(2020, 12, 31)): "month",
        (dt.date(2020, 9, 27), dt.date(2020, 11, 10)): "day",
        (dt.date(2020, 9, 1), dt.date(2020, 11, 30)): "day",
        (dt.date(2022, 7, 22), dt.date(2023, 7, 17)): "week",
        (dt.date(2022, 8, 1), dt.date(2022, 9, 30)): "day",
    }
    for (start, end), step in cases.items():
        assert choose_step(start, end) == step, (start, end)
        assert step_count(start, end, step) <= MAX_FRAMES
