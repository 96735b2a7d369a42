"""Label placement and the lakes' cost: `.venv/bin/python benchmarks/labels.py`.

Times `labels_for_plan` (names, candidates, greedy placement) and a whole `MapPlan` for the
region view and the issue's Lachin view (zoom 10, 1 January 2020 – today), in each label
language, and the bytes the lakes add to the basemap the dashboard serves. Writes
benchmarks/results/labels.json and prints a table.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import regionmap  # noqa: E402
from regionmap._labels import labels_for_plan  # noqa: E402
from regionmap.web import basemap_geojson  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"


def median_ms(fn, repeats: int = 20) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> None:
    dataset = regionmap.load_dataset(ROOT / "geodata")
    base = regionmap.ViewSpec.default(dataset.catalog)
    lachin = base.replace(center=(39.65, 46.55), zoom=10, start=dt.date(2020, 1, 1), end=None)
    results: dict = {}
    for name, spec in (("region", base), ("lachin", lachin)):
        for lang in regionmap.LANGS:
            view = spec.replace(lang=lang)
            plan = regionmap.MapPlan.from_view(view, dataset)
            results[f"{name}_{lang}"] = {
                "labels": len(plan.labels),
                "labels_ms": median_ms(lambda p=plan: labels_for_plan(p)),
                "plan_ms": median_ms(lambda v=view: regionmap.MapPlan.from_view(v, dataset), 5),
            }
    doc = basemap_geojson(dataset)
    lakes = [f for f in doc["features"] if f["properties"].get("s")]
    size = len(json.dumps(doc, separators=(",", ":")))
    without = len(
        json.dumps(
            {**doc, "features": [f for f in doc["features"] if f not in lakes]},
            separators=(",", ":"),
        )
    )
    results["basemap_bytes"] = {"with_lakes": size, "without_lakes": without}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "labels.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"{'view':<12} {'labels':>6} {'placement ms':>13} {'plan ms':>8}")
    for key, row in results.items():
        if "labels" in row:
            print(f"{key:<12} {row['labels']:>6} {row['labels_ms']:>13.1f} {row['plan_ms']:>8.1f}")
    print(f"basemap served: {without:,} bytes without lakes, {size:,} with")


if __name__ == "__main__":
    main()
