"""Playback in the browser: the view's window stepped through without a server round trip.

The page already holds every marker and feature of the window; this element ships the
frame dates of each step and the script (``templates/playback.js``) that shows, per frame,
what a window ending that day would show. The rule is the animated export's
(`regionmap._animate`): the window's start stays and its end moves, so an event shows from
its start on (cumulative; a span that began before the window is there from the first
frame), and a feature is in force when its ``valid_from``–``valid_to`` overlaps the
window so far and its dated status on the frame's day is not suspended, lapsed or closed
(`regionmap._plan`'s rule, applied in JavaScript). Pausing leaves the frame's date in the
dashboard's URL as the window's end (``to=``), which the dashboard reads on its next load.

Beyond the marker threshold the map draws grid cells; playback then ships, for each step
it offers, the cells' space–time cube (`regionmap.web._cube`): each frame shows a cell's
events *up to* that frame (cumulative, as the markers), sized as the drawn cells are
against the whole window's largest, coloured by the whole window's main type; a cell with
none yet is hidden, and the legend's count follows.

Dates travel as day numbers: whole days since 1970-01-01 (UTC), so a frame is an integer
compare per marker.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from regionmap._animate import ANIMATION_STEPS, step_count, step_ends
from regionmap._plan import STOPPED_STATUSES, MapPlan
from regionmap._spec import MONTHS, day_text
from regionmap._status import as_periods
from regionmap.web._cube import event_cube
from regionmap.web._elements import EPOCH, ScriptElement, _script, day_number
from regionmap.web._escape import escape, script_json

# A step with more frames than this (days over ten years) would ship a long list for a
# slider no one can drag frame by frame: such a window does not offer it.
MAX_STEP_FRAMES = 3660
# The first step offered is the finest with at most this many frames (a minute at 2/s).
FIRST_STEP_FRAMES = 120
# A step whose cube has more entries (cell, frame) than this is not offered with grid cells:
# at 2-8 bytes an entry (base64 adds a third) that is about a megabyte of page at most.
MAX_CUBE_ENTRIES = 150_000
SPEEDS = (1, 2, 5, 10, 20)  # frames per second offered; the first play uses DEFAULT_SPEED
DEFAULT_SPEED = 2


def feature_timing(record: dict) -> list:
    """``[valid_from, valid_to, stops]`` of a feature's properties, as day numbers (None
    open); ``stops`` lists its ``[from, to)`` status periods that stop it (suspended,
    lapsed, closed)."""
    stops = [
        [day_number(p.get("from")), day_number(p.get("to"))]
        for p in as_periods(record.get("status_periods"))
        if p.get("status") in STOPPED_STATUSES
    ]
    return [day_number(record.get("valid_from")), day_number(record.get("valid_to")), stops]


def playback_window(plan: MapPlan) -> tuple[dt.date, dt.date]:
    """The (first, last) day playback steps through: the view's window, an open start
    closed by its first event (else a year before the end), an open end by today (UTC),
    as the legend's window text reads it."""
    end = plan.spec.end or dt.datetime.now(dt.UTC).date()
    start = plan.spec.start
    if start is None and len(plan.events):
        start = pd.Timestamp(plan.events["start"].min()).date()
    if start is None or start > end:
        start = end - dt.timedelta(days=365)
    return start, end


class Playback(ScriptElement):
    """The play control: play/pause, step (day, week, month, year), speed, a slider to drag
    the frame and the frame's date. Reads the markers of ``EventLayer`` and the layers of
    ``OverlayLayer`` (features shipped with their timing: ``rm_t``, ``rm_on``, ``rm_off``),
    or, given ``cell_days`` (`regionmap.web.cell_days` of the ``n_cells`` grid cells
    ``EventAggregateLayer`` draws), those cells, through each step's cube."""

    _template = _script("playback.js")

    def __init__(
        self, plan: MapPlan, cell_days: pd.DataFrame | None = None, n_cells: int = 0
    ) -> None:
        super().__init__()
        self._name = "Playback"
        start, end = playback_window(plan)
        frames = {  # steps with too many frames are not offered, nor made (a century of days)
            step: [(d - EPOCH).days for d in step_ends(start, end, step)]
            for step in ANIMATION_STEPS
            if step == "year" or step_count(start, end, step) <= MAX_STEP_FRAMES
        }
        cubes = step_cubes(frames, cell_days, n_cells)
        if cubes:  # the cells play: only the steps with a cube are offered
            frames = {step: frames[step] for step in cubes}
        self.cube_json = script_json({k: c.payload() for k, c in cubes.items()} or None)
        first = next((k for k, v in frames.items() if len(v) <= FIRST_STEP_FRAMES), "year")
        self.step_json = script_json(first)
        self.frames_json = script_json(frames)
        self.start_json = script_json((start - EPOCH).days)
        self.start_text_json = script_json(escape(day_text(start)))
        self.open_start_json = script_json(plan.spec.start is None)
        self.counted_json = script_json(plan.mode == "markers" or bool(cubes))
        self.speeds_json = script_json([list(SPEEDS), DEFAULT_SPEED])
        self.months_json = script_json(list(MONTHS))  # the frame's date as day_text says it


def step_cubes(frames: dict[str, list[int]], cell_days: pd.DataFrame | None, n_cells: int) -> dict:
    """`regionmap.web.event_cube` per step of ``frames`` (step -> frame day numbers), those
    with at most `MAX_CUBE_ENTRIES` entries (the year step always); none without
    ``cell_days`` or when its cells are not the ``n_cells`` drawn (a cube must not be
    played over other cells)."""
    if cell_days is None or not n_cells:
        return {}
    cubes = {step: event_cube(cell_days, days) for step, days in frames.items()}
    if any(c.n_cells != n_cells for c in cubes.values()):
        return {}
    return {k: c for k, c in cubes.items() if k == "year" or len(c.cell) <= MAX_CUBE_ENTRIES}
