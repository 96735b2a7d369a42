"""What annotations cost: `.venv/bin/python benchmarks/annotations.py`.

For 0, 5 and 20 notes and arrows of report-like text on the region view: the `ann=` URL
value's length (percent-encoded, the limit is `ANNOTATION_URL_MAX`), the bytes they add to
the exported HTML page, and the time of `render_map` (folium, rendered to a page) and of
the print map as SVG (CPU time). Also how many 40-character notes fit in the link. Writes
benchmarks/results/annotations.json and prints a table.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import regionmap  # noqa: E402
from benchmarks.animate import _median_s  # noqa: E402
from regionmap import Annotation  # noqa: E402
from regionmap._annotations import annotations_query  # noqa: E402
from regionmap.plot import render_static  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
TEXT = "Russian checkpoint moved here, 2022-08-30"  # 41 characters, the example


def cpu_ms(fn, repeats: int = 5) -> float:
    """Median CPU milliseconds (the wall clock counts other people's work here too)."""
    return _median_s(fn, repeats)[1] * 1000


def marks(n: int) -> tuple[Annotation, ...]:
    """``n`` annotations over the region, every other one an arrow."""
    out = []
    for i in range(n):
        lon, lat = 28 + i * 0.9, 36 + (i % 7)
        if i % 2:
            out.append(Annotation("arrow", lon, lat, f"{i}: {TEXT}", lon + 1.5, lat + 0.8))
        else:
            out.append(Annotation("note", lon, lat, f"{i}: {TEXT}"))
    return tuple(out)


def main() -> None:
    dataset = regionmap.load_dataset(ROOT / "geodata")
    base = regionmap.ViewSpec.default(dataset.catalog)
    results: dict = {}
    for n in (0, 5, 20):
        spec = base.replace(annotations=marks(n))
        value = annotations_query(spec.annotations) if n else ""
        page = regionmap.snapshot_bytes(spec, dataset, "html")

        def web(s=spec) -> str:
            return regionmap.render_map(s, dataset).get_root().render()

        def svg(s=spec) -> None:
            render_static(s, dataset, io.BytesIO(), "svg", size=(1600, 1000))

        results[str(n)] = {
            "url_chars": len(quote(value, safe="")) if value is not None else None,
            "in_url": spec.annotations_in_url(),
            "html_bytes": len(page),
            "render_map_cpu_ms": cpu_ms(web),
            "print_svg_cpu_ms": cpu_ms(svg, 3),
        }
    fit = 0
    while annotations_query([Annotation("note", 40, 40, TEXT[:40])] * (fit + 1)) is not None:
        fit += 1
    results["notes_of_40_chars_in_url"] = fit
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "annotations.json").write_text(json.dumps(results, indent=2) + "\n")
    head = ("marks", 5), ("url chars", 9), ("html bytes", 11), ("render_map cpu ms", 18)
    print(" ".join(f"{name:>{width}}" for name, width in head), f"{'svg cpu ms':>11}")
    for n in ("0", "5", "20"):
        row = results[n]
        url = "left out" if row["url_chars"] is None else row["url_chars"]
        print(f"{n:>5} {url!s:>9} {row['html_bytes']:>11,} {row['render_map_cpu_ms']:>18.0f} "
              f"{row['print_svg_cpu_ms']:>11.0f}")  # fmt: skip
    print(f"40-character notes that fit in the link: {fit}")


if __name__ == "__main__":
    main()
