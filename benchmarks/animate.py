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
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import regionmap  # noqa: E402
from regionmap.export import static_snapshot  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
OPTIONS = regionmap.SnapshotOptions(size=(1600, 1000), step="month", fps=2)
TARGET_S = 20.0


def _median_s(job, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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
            static_snapshot(spec.replace(end=day), data, OPTIONS, "png")

    rows = {"draw 24 frames (PNG, no encoding)": (_median_s(frames_only, repeats), 0)}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in regionmap.ANIMATION_FORMATS:
            out = Path(tmp) / f"animation.{fmt}"
            seconds = _median_s(
                lambda out=out: regionmap.snapshot(spec, data, out, options=OPTIONS), repeats
            )
            rows[f"{fmt.upper()}, 24 frames, 1600x1000"] = (seconds, out.stat().st_size)

    table = io.StringIO()
    print(f"{'figure':<40} {'median s':>9} {'size KB':>9}", file=table)
    for label, (seconds, size) in rows.items():
        print(f"{label:<40} {seconds:>9.2f} {size / 1024:>9,.0f}", file=table)
    print(table.getvalue(), end="")
    slow = [label for label, (s, _) in rows.items() if label[:3] in ("GIF", "MP4") and s > TARGET_S]
    print(f"target <= {TARGET_S:.0f} s for the GIF and the MP4: {'missed' if slow else 'met'}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {
        "date": dt.date.today().isoformat(),
        "repeats": repeats,
        "rows": {k: {"seconds": round(s, 2), "bytes": b} for k, (s, b) in rows.items()},
    }
    (RESULTS / "animate.json").write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
