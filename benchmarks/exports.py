"""Export benchmark: the print PNG, the browser PNG and the whole theatre atlas.

`.venv/bin/python benchmarks/exports.py [repeats]` (part of `make bench`). Prints a table
and writes benchmarks/results/exports.json. Target (issue 16): the atlas of all theatres
in <= 15 s on the 2-core machine. The browser PNG needs Chromium (`regionmap._chromium`);
without it that row is skipped and says so. Wall and CPU time are both given: on a shared
machine the wall clock counts other people's work too; the browser's CPU is its own
processes', which this process's CPU clock does not see.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import regionmap  # noqa: E402
from benchmarks.animate import _median_s, print_rows, save_rows  # noqa: E402
from regionmap._errors import ExportError  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
TARGET_ATLAS_S = 15.0
PRINT = regionmap.SnapshotOptions(size=(1600, 1000), renderer="static")
BROWSER = regionmap.SnapshotOptions(size=(1600, 1000), renderer="browser")


def main() -> int:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    data = regionmap.load_dataset()
    region = regionmap.ViewSpec.default(data.catalog)
    lachin = region.replace(center=(39.65, 46.55), zoom=10, start=dt.date(2020, 1, 1))
    rows: dict[str, tuple[float, float, int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        jobs = [
            ("print PNG, region (2 detail insets)", region, PRINT),
            ("print PNG, Lachin z10 (locator)", lachin, PRINT),
            ("browser PNG, region", region, BROWSER),
        ]
        for label, spec, options in jobs:
            out = Path(tmp) / "map.png"
            try:
                regionmap.snapshot(spec, data, out, options=options)  # warm up fonts, browser
            except ExportError as exc:
                print(f"{label}: skipped ({exc})")
                continue
            wall, cpu = _median_s(
                lambda s=spec, o=options, p=out: regionmap.snapshot(s, data, p, options=o), repeats
            )
            rows[label] = (wall, cpu, out.stat().st_size)
        out = Path(tmp) / "atlas.pdf"
        pages = len(data.catalog.theatres) + 1
        wall, cpu = _median_s(lambda: regionmap.write_atlas(data, out), repeats)
        rows[f"atlas PDF, {pages} map pages + sources"] = (wall, cpu, out.stat().st_size)

    print_rows(rows, 40)
    atlas_wall = next(w for k, (w, _, _) in rows.items() if k.startswith("atlas"))
    met = "met" if atlas_wall <= TARGET_ATLAS_S else "missed"
    print(f"target <= {TARGET_ATLAS_S:.0f} s for the atlas: {met}")
    save_rows("exports", rows, repeats)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
