"""Animated export benchmark: a 24-frame GIF, MP4 and WebM of the default layers, month by
month through 2019 and 2020, drawn by the print renderer at 1600x1000.

`.venv/bin/python benchmarks/animate.py [repeats]` (part of `make bench`). Prints a table
and writes benchmarks/results/animate.json. Target (issue 13): a 24-frame GIF and MP4 each
exported in <= 20 s on the 2-core machine. The time to draw the 24 frames alone is measured
too, so the encoders' share is plain.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import regionmap  # noqa: E402
from regionmap._export import static_snapshot  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
OPTIONS = regionmap.SnapshotOptions(size=(1600, 1000), step="month", fps=2)
TARGET_S = 20.0


def _cpu_s() -> float:
    """CPU seconds of this process and its finished children (ffmpeg)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _median_s(job, repeats: int) -> tuple[float, float]:
    """Median wall and CPU seconds: on a shared machine the wall clock also counts other
    people's work, the CPU time is what the export itself costs."""
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), _cpu_s()
        job()
        walls.append(time.perf_counter() - wall)
        cpus.append(_cpu_s() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    data = regionmap.load_dataset()
    spec = regionmap.ViewSpec.default(data.catalog).replace(
        start=dt.date(2019, 1, 1), end=dt.date(2020, 12, 31)
    )
    dates = regionmap.frame_dates(spec, data, OPTIONS.step)
    assert len(dates) == 24, dates
    static_snapshot(spec, data, OPTIONS, "png")  # warm up fonts and caches

    def frames_only() -> None:
        for day in dates:
            static_snapshot(spec.replace(end=day), data, OPTIONS, "png")  # as a PNG export

    rows = {"draw 24 frames (PNG, no encoding)": (*_median_s(frames_only, repeats), 0)}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in regionmap.ANIMATION_FORMATS:
            out = Path(tmp) / f"animation.{fmt}"
            wall, cpu = _median_s(
                lambda out=out: regionmap.snapshot(spec, data, out, options=OPTIONS), repeats
            )
            rows[f"{fmt.upper()}, 24 frames, 1600x1000"] = (wall, cpu, out.stat().st_size)

    print_rows(rows, 36)
    slow = [k for k, (wall, *_) in rows.items() if k[:3] in ("GIF", "MP4") and wall > TARGET_S]
    print(f"target <= {TARGET_S:.0f} s for the GIF and the MP4: {'missed' if slow else 'met'}")
    save_rows("animate", rows, repeats)
    return 0


def print_rows(rows: dict, width: int) -> None:
    """The table of figures: label, median wall and CPU seconds, size in KB."""
    table = io.StringIO()
    print(f"{'figure':<{width}} {'wall s':>7} {'CPU s':>7} {'size KB':>8}", file=table)
    for label, (wall, cpu, size) in rows.items():
        print(f"{label:<{width}} {wall:>7.2f} {cpu:>7.2f} {size / 1024:>8,.0f}", file=table)
    print(table.getvalue(), end="")


def save_rows(name: str, rows: dict, repeats: int) -> None:
    """Write ``benchmarks/results/<name>.json``: each row's wall and CPU seconds and bytes."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {
        "date": dt.date.today().isoformat(),
        "repeats": repeats,
        "rows": {
            k: {"wall_s": round(w, 2), "cpu_s": round(c, 2), "bytes": b}
            for k, (w, c, b) in rows.items()
        },
    }
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    raise SystemExit(main())
