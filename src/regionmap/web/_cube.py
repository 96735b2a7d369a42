"""Counts per grid cell per playback frame (a space–time cube), shipped as typed arrays.

Beyond the marker threshold the map draws grid cells (`regionmap.web._cells`); to play
them, the page gets once per render, for each step it offers, how many events of each
cell start in each frame, and adds them up as it plays (cumulative, as the markers: an
event counts from its start on, a span that began before the window from the first frame).

The cube is sparse and compressed by frame (CSR): ``offsets[k]:offsets[k+1]`` are frame
``k``'s entries, each a cell index and a count, so a frame costs only the cells that
change in it. Arrays travel as base64 of little-endian unsigned integers of the fewest
bits (8, 16 or 32) their values fit, decoded in the page with ``Uint8Array`` and the
like; 100,000 events by month over twenty years are about 170 KB of base64, not one JSON
object per cell and frame.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd


def day_numbers(starts: pd.Series) -> np.ndarray:
    """Dates (datetime64 or date-like) as whole days since 1970-01-01; a missing date
    becomes the smallest int64, which sorts before every frame (shown from the first)."""
    values = pd.to_datetime(starts).to_numpy(dtype="datetime64[ns]")
    return values.astype("datetime64[D]").astype(np.int64)


def cell_days(events: pd.DataFrame, size: float) -> pd.DataFrame:
    """Counts per grid cell and start day of ``events`` (columns ``longitude``,
    ``latitude`` in degrees, EPSG:4326, and ``start``).

    Returns a frame of ``ix``, ``iy`` (the cell's column and row: ``floor(lon / size)``,
    ``floor(lat / size)``, as `regionmap.web.aggregate_events` and the stores' grid SQL
    count them), ``day`` (the start as a day number, see `day_numbers`) and ``n``; the
    stores return the same from SQL (`regionmap.stores.cell_days_sql`)."""
    frame = pd.DataFrame(
        {
            "ix": np.floor(events["longitude"].to_numpy(dtype=float) / size).astype(np.int64),
            "iy": np.floor(events["latitude"].to_numpy(dtype=float) / size).astype(np.int64),
            "day": day_numbers(events["start"]),
        }
    )
    return (
        frame.groupby(["ix", "iy", "day"], as_index=False, sort=True)
        .size()
        .rename(columns={"size": "n"})
    )


@dataclass(frozen=True)
class EventCube:
    """Events per (frame, cell), sparse by frame: frame ``k`` holds
    ``cell[offsets[k]:offsets[k + 1]]`` with ``count[...]`` events each that start in it
    (after the previous frame's day, up to and including its own; the first frame also
    holds every earlier start). ``n_cells`` cells, indexed in (column, row) order as the
    drawn cells are; ``n_cells == 0`` for no events."""

    n_cells: int
    offsets: np.ndarray  # (frames + 1,) int64
    cell: np.ndarray  # (entries,) int64
    count: np.ndarray  # (entries,) int64

    def cumulative(self) -> np.ndarray:
        """The dense (frames, n_cells) array of events up to each frame: for tests and
        small cubes only (the page adds up the sparse one as it plays)."""
        frames = len(self.offsets) - 1
        dense = np.zeros((frames, self.n_cells), dtype=np.int64)
        rows = np.repeat(np.arange(frames), np.diff(self.offsets))
        np.add.at(dense, (rows, self.cell), self.count)
        return dense.cumsum(axis=0)

    def payload(self) -> dict:
        """The cube for the page: ``offsets``, ``cell``, ``count`` as ``[base64, bits]``
        (`_packed`)."""
        return {
            "offsets": _packed(self.offsets),
            "cell": _packed(self.cell),
            "count": _packed(self.count),
        }


def _packed(values: np.ndarray) -> list:
    """``[base64 of the little-endian bytes, 8, 16 or 32]``: the fewest bits every value
    fits in (counts per cell and month are mostly under 256: one byte)."""
    top = int(values.max()) if len(values) else 0
    bits = next((b for b in (8, 16, 32) if top < 2**b), None)
    if bits is None:
        raise ValueError(f"cube value {top} does not fit 32 bits")
    raw = values.astype(f"<u{bits // 8}").tobytes()
    return [base64.b64encode(raw).decode("ascii"), bits]


def event_cube(days: pd.DataFrame, frames: Sequence[int]) -> EventCube:
    """The cube of ``days`` (`cell_days` rows, or the stores' same columns from SQL,
    several sources concatenated) for the frames ending on ``frames`` (sorted day
    numbers, as `regionmap.web._playback` ships them). Vectorised: a sort and a bincount.

    A start after the last frame is left out (it is outside the window); one before the
    first frame counts from the first. Cells are every (ix, iy) in ``days`` in column then
    row order, so that index ``i`` is the ``i``-th cell `aggregate_events` draws for the
    same events."""
    ix = days["ix"].to_numpy(dtype=np.int64)
    iy = days["iy"].to_numpy(dtype=np.int64)
    n = days["n"].to_numpy(dtype=np.int64)
    ends = np.asarray(frames, dtype=np.int64)
    if len(ix) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return EventCube(0, np.zeros(len(ends) + 1, dtype=np.int64), empty, empty)
    iy_span = int(iy.max() - iy.min()) + 1
    _, cell = np.unique((ix - ix.min()) * iy_span + (iy - iy.min()), return_inverse=True)
    n_cells = int(cell.max()) + 1
    frame = np.searchsorted(ends, days["day"].to_numpy(dtype=np.int64), side="left")
    inside = frame < len(ends)
    keys, where = np.unique(frame[inside] * n_cells + cell[inside], return_inverse=True)
    count = np.bincount(where, weights=n[inside], minlength=len(keys)).astype(np.int64)
    per_frame = np.bincount(keys // n_cells, minlength=len(ends))
    offsets = np.concatenate([[0], np.cumsum(per_frame)]).astype(np.int64)
    return EventCube(n_cells, offsets, keys % n_cells, count)
