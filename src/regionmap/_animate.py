"""Animated exports: one map per step through a view's window, as GIF, MP4 or WebM.

A frame is the view with its window's end moved to the last day of one step (day, week,
month or year): the start stays, so events accumulate as on a timeline and layer features
turn from grey to drawn as the window reaches their dates. Each frame is the same
`MapPlan` drawn by a renderer (the print map by default, or headless Chromium), so every
frame carries the title with the frame's date, the legend, the scale bar and the sources.

Encoders, and why: Pillow (already here for PNG metadata) writes the GIF, with the view in
its comment extension and only the changed part of each frame stored; imageio-ffmpeg's
wheel carries a static ffmpeg with libx264 and libvpx-vp9, so MP4 and WebM need no system
package, and `write_frames` pipes raw RGB frames to it without a file per frame. The view,
the step and every frame's date travel in the file (GIF comment, container ``comment``
tag), read back by `regionmap._viewfiles`.

Owns: the frame dates, each frame's view, decoding frames to pixels and the encoding.
Must not: decide what a frame draws (the plan does) or write the final file (export does,
atomically).
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from regionmap._dataset import Dataset
from regionmap._errors import ExportError
from regionmap._spec import ViewSpec, day_text
from regionmap._viewfiles import animation_comment

ANIMATION_FORMATS = ("gif", "mp4", "webm")
# pandas period frequencies: weeks are ISO weeks (Monday to Sunday), months and years civil
_PERIODS = {"day": "D", "week": "W-SUN", "month": "M", "year": "Y"}
ANIMATION_STEPS = tuple(_PERIODS)
MAX_FRAMES = 240  # 20 years of months; every frame is held in memory while a GIF is built
# the default step: days, weeks, months or years by the window's length (`choose_step`);
# a preset's century no longer fails at "1,201 frames"
AUTO_STEP = "auto"
DEFAULT_FPS = 2.0
_VIDEO = {
    # codec, then ffmpeg options: H.264 plays everywhere (faststart: playable while loading);
    # VP9 at constant quality, its realtime mode is ~10x faster and plenty for flat maps
    "mp4": ("libx264", ["-crf", "23", "-preset", "veryfast", "-movflags", "+faststart"]),
    "webm": ("libvpx-vp9", ["-crf", "34", "-b:v", "0", "-deadline", "realtime",
                            "-cpu-used", "8", "-row-mt", "1"]),
}  # fmt: skip

Progress = Callable[[int, int], None]
DrawFrame = Callable[[ViewSpec], bytes | np.ndarray]  # a PNG, or (height, width, 3) RGB


def frame_dates(spec: ViewSpec, dataset: Dataset, step: str) -> list[dt.date]:
    """The last day of each step through the view's window, the final one cut at its end.

    Parameters
    ----------
    spec : ViewSpec
        The view. A window open at either end is closed by its events: the first event's
        start, the last event's end.
    dataset : Dataset
        Where those events come from.
    step : {"day", "week", "month", "year", "auto"}
        Weeks run Monday to Sunday; months and years are calendar ones; "auto" is the
        step `choose_step` picks for the window.

    Returns
    -------
    list of datetime.date
        In order, one per frame; a window of 1 January 2019 – 31 December 2020 by month
        gives 24 dates, 31 January 2019 to 31 December 2020.

    Raises
    ------
    ExportError
        An unknown step, an open window with no events to close it, or more than
        `MAX_FRAMES` frames.
    """
    step, start, end = resolve_step(spec, dataset, step)
    days = step_ends(start, end, step)
    if len(days) > MAX_FRAMES:
        raise ExportError(
            f"{len(days)} frames of one {step} from {start} to {end}; at most {MAX_FRAMES}: "
            "choose a longer step or a shorter window"
        )
    return days


def resolve_step(spec: ViewSpec, dataset: Dataset, step: str) -> tuple[str, dt.date, dt.date]:
    """(step, first day, last day) an animation of ``spec`` steps through: ``step``, or
    for "auto" the one `choose_step` picks; an open window closed by its events. Raises
    `ExportError` as `frame_dates` says."""
    if step not in (*ANIMATION_STEPS, AUTO_STEP):
        choices = ", ".join((*ANIMATION_STEPS, AUTO_STEP))
        raise ExportError(f"unknown step {step!r}; choose one of {choices}")
    start, end = spec.start, spec.end
    if start is None or end is None:
        events = dataset.visible_events(spec, light=True)
        if events.empty:
            raise ExportError(
                "an animation needs a window: this view has no events to date an open "
                "window by; give --from and --to"
            )
        start = start or pd.Timestamp(events["start"].min()).date()
        end = end or pd.Timestamp(events["end"].max()).date()
    return (choose_step(start, end) if step == AUTO_STEP else step), start, end


def choose_step(start: dt.date, end: dt.date) -> str:
    """Days for a window of up to 92 days, weeks up to a year, then months, and years once
    the months pass `MAX_FRAMES`."""
    days = step_count(start, end, "day")
    if days <= 92:
        return "day"
    if days <= 366:
        return "week"
    return "month" if step_count(start, end, "month") <= MAX_FRAMES else "year"


def step_ends(start: dt.date, end: dt.date, step: str) -> list[dt.date]:
    """The last day of each ``step`` from ``start`` to ``end``, the final one cut at ``end``;
    uncapped (the browser's playback steps through these too). ``step`` is checked by the
    caller (one of `ANIMATION_STEPS`)."""
    periods = pd.period_range(start, end, freq=_PERIODS[step])
    return [min(d, end) for d in periods.end_time.date]  # vectorised: 38,000 days in 10 ms


def step_count(start: dt.date, end: dt.date, step: str) -> int:
    """How many frames `step_ends` gives, from arithmetic alone (no dates made)."""
    if step == "day":
        return (end - start).days + 1
    if step == "week":
        monday = start - dt.timedelta(days=start.weekday())
        return (end - monday).days // 7 + 1
    if step == "month":
        return (end.year - start.year) * 12 + end.month - start.month + 1
    return end.year - start.year + 1


def frame_view(spec: ViewSpec, day: dt.date) -> ViewSpec:
    """``spec`` as one frame draws it: the window ends on ``day``. A title of the view's own
    gets the date added (the default title states the window, so it has it already)."""
    title = f"{spec.title} · {day_text(day)}" if spec.title else ""
    return spec.replace(end=day, title=title)


def _pixels(frame: bytes | np.ndarray, size: tuple[int, int] | None) -> np.ndarray:
    """A frame (PNG bytes or RGB pixels) as an (height, width, 3) uint8 RGB array of even
    sides (H.264's 4:2:0 needs them), padded white; every frame must come out at the first
    frame's size."""
    from PIL import Image

    if isinstance(frame, np.ndarray):
        rgb = frame
    else:
        rgb = np.asarray(Image.open(io.BytesIO(frame)).convert("RGB"))
    height, width = rgb.shape[:2]
    pad = ((0, height % 2), (0, width % 2), (0, 0))
    rgb = np.pad(rgb, pad, constant_values=255) if any(p[1] for p in pad) else rgb
    if size is not None and (rgb.shape[1], rgb.shape[0]) != size:
        raise ExportError(f"frames differ in size: {size} then {rgb.shape[1::-1]}")
    return np.ascontiguousarray(rgb)


def render_frames(
    spec: ViewSpec, dates: list[dt.date], draw: DrawFrame, progress: Progress | None = None
) -> Iterator[np.ndarray]:
    """Each frame's view drawn by ``draw`` (view -> PNG or pixels), as RGB arrays in date order;
    ``progress(done, total)`` after each frame."""
    size: tuple[int, int] | None = None
    for done, day in enumerate(dates, start=1):
        rgb = _pixels(draw(frame_view(spec, day)), size)
        size = (rgb.shape[1], rgb.shape[0])
        yield rgb
        if progress is not None:
            progress(done, len(dates))


def encode_gif(frames: Iterable[np.ndarray], fps: float, comment: str) -> bytes:
    """A looping GIF: one palette per frame, the comment extension carries the view; Pillow
    stores only the box that changed since the previous frame. The palette is an octree's:
    Pillow's default median cut gives a few dozen pixels of an event marker no colour of
    their own (a red battle turned brown), the octree keeps them and is five times faster."""
    from PIL import Image

    octree = Image.Quantize.FASTOCTREE
    images = (Image.fromarray(rgb).quantize(256, method=octree) for rgb in frames)
    first = next(images)
    out = io.BytesIO()
    first.save(
        out,
        format="GIF",
        save_all=True,
        append_images=images,
        duration=round(1000 / fps),
        loop=0,
        comment=comment,
    )
    return out.getvalue()


def encode_video(frames: Iterable[np.ndarray], fmt: str, fps: float, comment: str) -> bytes:
    """MP4 (H.264) or WebM (VP9) through imageio-ffmpeg's ffmpeg; ``comment`` goes into the
    container's metadata. ffmpeg writes to a temporary folder (MP4 needs a seekable file)."""
    import imageio_ffmpeg

    codec, options = _VIDEO[fmt]
    frames = iter(frames)
    first = next(frames)
    with tempfile.TemporaryDirectory(prefix="regionmap-") as tmp:
        path = Path(tmp) / f"animation.{fmt}"
        writer = imageio_ffmpeg.write_frames(
            str(path),
            (first.shape[1], first.shape[0]),
            fps=fps,
            codec=codec,
            quality=None,
            macro_block_size=2,
            ffmpeg_log_level="error",
            output_params=[*options, "-metadata", f"comment={comment}"],
        )
        writer.send(None)  # start ffmpeg
        try:
            writer.send(first)
            for rgb in frames:
                writer.send(rgb)
        finally:
            writer.close()
        return path.read_bytes()


def animation_bytes(
    spec: ViewSpec,
    dataset: Dataset,
    fmt: str,
    draw: DrawFrame,
    *,
    step: str = "month",
    fps: float = DEFAULT_FPS,
    progress: Progress | None = None,
) -> bytes:
    """The view animated step by step through its window, encoded as ``fmt``.

    ``draw`` turns one frame's view into a PNG or RGB pixels (the export module passes the
    print map's pixels or the browser's PNG). Raises `ExportError` for an unknown format
    or step, a window that cannot be stepped (see `frame_dates`), an ``fps`` outside
    0.1–60, or a failed encoder.
    """
    if fmt not in ANIMATION_FORMATS:
        raise ExportError(f"animations are {', '.join(ANIMATION_FORMATS)}, not {fmt!r}")
    if not 0.1 <= fps <= 60:
        raise ExportError(f"frames per second must be 0.1..60, got {fps:g}")
    step = resolve_step(spec, dataset, step)[0]  # the comment records the step taken
    dates = frame_dates(spec, dataset, step)
    comment = animation_comment(spec, step, dates)
    frames = render_frames(spec, dates, draw, progress)
    try:
        if fmt == "gif":
            return encode_gif(frames, fps, comment)
        return encode_video(frames, fmt, fps, comment)
    except (OSError, RuntimeError) as exc:  # ffmpeg missing, failed or killed
        raise ExportError(f"encoding the {fmt.upper()} failed: {exc}") from None
