"""The three stores side by side on one synthetic ACLED file: pandas (today's store),
DuckDB over the Parquet copy, PostgreSQL + PostGIS.

    .venv/bin/python benchmarks/stores.py [--rows 1000000] [--pg-rows 10000000]

Each engine runs in a fresh Python process, so its memory is its own: load, the dashboard's
filter (window + type, light columns), grid counts for the whole file at zoom 5, the first
1,000 complete rows, and the process's resident memory after and at peak. PostGIS also
gets ``--pg-rows`` events (the file's validated rows repeated under new ids) for the import
rate and a window + type + bounding-box query. The scratch database is made and dropped as
in the tests (tests/pg_support.py). Writes benchmarks/results/stores.json and prints a
Markdown table. Timings are medians of 5 unless said.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "benchmarks" / "results"
WINDOW = {"start": dt.date(2015, 1, 1), "end": dt.date(2016, 12, 31), "types": ("Battles",)}
BBOX = (35.0, 35.0, 42.0, 38.0)  # north-east Syria and south-east Turkey


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_mb() -> float:
    """VmHWM: this process's own peak (ru_maxrss keeps the parent's across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(fn, repeats: int = 5) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), value


# ---------------------------------------------------------------- one engine, in a child


def child(engine: str, csv: str, cache: str, url: str) -> dict:
    import regionmap
    from regionmap._dataset import LIGHT_COLUMNS
    from regionmap._plan import MAX_MARKERS
    from regionmap.web import aggregate_events, cell_size_deg

    catalog = regionmap.load_catalog(ROOT / "geodata")
    f = regionmap.EventFilter(start=WINDOW["start"], end=WINDOW["end"], event_types=WINDOW["types"])
    everything = regionmap.EventFilter()
    out: dict = {"engine": engine, "rss_start_mb": rss_mb()}
    cell = cell_size_deg(5)
    if engine == "pandas":
        t0 = time.perf_counter()
        store = regionmap.load_store(csv, catalog, cache)  # the Parquet copy exists: warm
        out["load_s"] = time.perf_counter() - t0
        frame = store.frame
        light = frame[[c for c in LIGHT_COLUMNS if c in frame.columns]]
        out["filter_s"], chosen = timed(lambda: regionmap.apply_filter(light, f))
        out["grid_s"], cells = timed(lambda: aggregate_events(light, 5))
        out["first_rows_s"], _ = timed(lambda: regionmap.earliest(frame, MAX_MARKERS))
    elif engine == "duckdb":
        t0 = time.perf_counter()
        store = regionmap.DuckStore.from_file(csv, catalog, cache)
        out["load_s"] = time.perf_counter() - t0
        out["filter_s"], chosen = timed(lambda: store.query(f, LIGHT_COLUMNS))
        out["grid_s"], cells = timed(lambda: store.grid(everything, cell))
        out["first_rows_s"], _ = timed(lambda: store.query(everything, limit=MAX_MARKERS))
    else:
        store = regionmap.PostgisStore(url)
        t0 = time.perf_counter()
        store.check()
        out["load_s"] = time.perf_counter() - t0  # connecting; the import is timed apart
        out["filter_s"], chosen = timed(lambda: store.query(f, LIGHT_COLUMNS))
        out["grid_s"], cells = timed(lambda: store.grid(everything, cell))
        out["first_rows_s"], _ = timed(lambda: store.query(everything, limit=MAX_MARKERS))
        out["count_s"], _ = timed(lambda: store.count(f))
    out["selected"] = len(chosen)
    out["cells"] = len(cells)
    out["rss_mb"] = rss_mb()
    out["peak_mb"] = peak_mb()
    return out


# ---------------------------------------------------------------- PostGIS import


def import_figures(csv: Path, url: str, pg_rows: int, between=None) -> dict:
    """Import rate of the file itself, then of ``pg_rows`` events, and the query there.
    ``between()`` runs once the file is in, before the big import (the engine figures at
    the file's size)."""
    import regionmap
    from regionmap.events import read_events

    catalog = regionmap.load_catalog(ROOT / "geodata")
    store = regionmap.PostgisStore(url)
    store.init()
    out: dict = {}
    t0 = time.perf_counter()
    result = read_events(csv, catalog)
    out["validate_s"] = time.perf_counter() - t0
    frame = result.frame
    t0 = time.perf_counter()
    store.upsert(frame, "acled")
    out["import_s"] = time.perf_counter() - t0
    out["import_rows"] = len(frame)
    t0 = time.perf_counter()
    store.upsert(frame.head(100_000), "acled")
    out["reimport_100k_s"] = time.perf_counter() - t0
    with store._cursor() as cur:
        cur.execute("VACUUM ANALYZE regionmap_events")
    if between is not None:
        between()
    if pg_rows > len(frame):
        copies = -(-pg_rows // len(frame))
        t0 = time.perf_counter()
        written = len(frame)
        ids = frame["event_id"].astype(str)
        for k in range(1, copies):
            part = frame.head(pg_rows - written).copy()
            part["event_id"] = f"R{k}-" + ids.head(len(part))
            written += store.upsert(part, "acled")
        out["big_rows"] = written
        out["big_import_s"] = time.perf_counter() - t0
        out["big_import_rows_per_s"] = (written - len(frame)) / out["big_import_s"]
        with store._cursor() as cur:
            cur.execute("VACUUM ANALYZE regionmap_events")
            cur.execute("SELECT pg_total_relation_size('regionmap_events')")
            out["big_table_mb"] = cur.fetchone()[0] / 1e6
    f = regionmap.EventFilter(
        start=WINDOW["start"], end=WINDOW["end"], event_types=WINDOW["types"], bbox=BBOX
    )
    store.count(f)  # warm the cache once
    out["wtb_count_s"], n = timed(lambda: store.count(f))
    out["wtb_query_s"], rows = timed(lambda: store.query(f, ("event_id", "start", "latitude")))
    out["wtb_rows"] = n
    out["rows_in_store"] = store.count()
    store.close()
    return out


# ---------------------------------------------------------------- the run


def run_child(engine: str, csv: Path, cache: Path, url: str) -> dict:
    command = [sys.executable, __file__, "--child", engine, str(csv), str(cache), url]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"engine": engine, "error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--pg-rows", type=int, default=0, help="e.g. 10000000 (minutes)")
    parser.add_argument("--child", nargs=4, metavar=("ENGINE", "CSV", "CACHE", "URL"))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child), default=str))
        return 0

    import regionmap
    from regionmap._synthetic import write_synthetic_csv
    from tests.pg_support import scratch_database

    catalog = regionmap.load_catalog(ROOT / "geodata")
    RESULTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="regionmap-stores-") as tmp:
        tmp = Path(tmp)
        csv = tmp / f"acled-{args.rows}.csv"
        t0 = time.perf_counter()
        write_synthetic_csv(csv, args.rows, catalog)
        print(f"wrote {csv.name} ({csv.stat().st_size / 1e6:.0f} MB) in "
              f"{time.perf_counter() - t0:.0f} s", file=sys.stderr)  # fmt: skip
        cache = tmp / "cache"
        # the first sight of the file: validated into the Parquet copy (shared by pandas and
        # DuckDB), in a child process like the dashboard's
        t0 = time.perf_counter()
        regionmap.load_store(csv, catalog, cache)
        first_s = time.perf_counter() - t0
        result: dict = {
            "date": dt.date.today().isoformat(),
            "rows": args.rows,
            "csv_mb": csv.stat().st_size / 1e6,
            "first_sight_s": first_s,
            "cpus": os.cpu_count(),
        }
        engines = {}
        for engine in ("pandas", "duckdb"):
            engines[engine] = run_child(engine, csv, cache, "")
            print(engine, engines[engine], file=sys.stderr)
        try:
            with scratch_database() as url:

                def postgis_child() -> None:
                    engines["postgis"] = run_child("postgis", csv, cache, url)
                    print("postgis", engines["postgis"], file=sys.stderr)

                result["postgis_import"] = import_figures(csv, url, args.pg_rows, postgis_child)
                print("import", result["postgis_import"], file=sys.stderr)
        except BaseException as exc:  # pytest.skip without PostgreSQL
            if isinstance(exc, KeyboardInterrupt):
                raise
            engines["postgis"] = {"engine": "postgis", "error": str(exc)}
        result["engines"] = engines
    (RESULTS / "stores.json").write_text(json.dumps(result, indent=2, default=str) + "\n")
    print(table(result))
    return 0


def table(result: dict) -> str:
    e = result["engines"]

    def cell(engine: str, key: str, fmt: str) -> str:
        value = e.get(engine, {}).get(key)
        return format(value, fmt) if isinstance(value, int | float) else "—"

    rows = [
        ("load (Parquet copy / connect)", "load_s", ".2f", " s"),
        ("filter: window + type, light columns (rows out)", "filter_s", ".3f", " s"),
        ("grid counts, whole file, zoom 5", "grid_s", ".3f", " s"),
        ("first 1,000 complete rows", "first_rows_s", ".3f", " s"),
        ("process memory after", "rss_mb", ",.0f", " MB"),
        ("process memory at peak", "peak_mb", ",.0f", " MB"),
    ]
    lines = [
        f"{result['rows']:,} synthetic ACLED events ({result['csv_mb']:.0f} MB CSV), "
        f"{result['date']}, {result['cpus']} CPUs; first sight (validate + Parquet copy): "
        f"{result['first_sight_s']:.1f} s",
        "",
        "| figure | pandas | DuckDB | PostGIS |",
        "|---|---|---|---|",
    ]
    for label, key, fmt, unit in rows:
        values = [cell(engine, key, fmt) + unit for engine in ("pandas", "duckdb", "postgis")]
        lines.append(f"| {label} | " + " | ".join(values) + " |")
    selected = [cell(engine, "selected", ",") for engine in ("pandas", "duckdb", "postgis")]
    lines.append("| rows the filter keeps | " + " | ".join(selected) + " |")
    imp = result.get("postgis_import")
    if imp:
        lines += [
            "",
            f"PostGIS import of the file: {imp['import_rows']:,} rows in {imp['import_s']:.1f} s "
            f"({imp['import_rows'] / imp['import_s']:,.0f} rows/s) after validation "
            f"({imp['validate_s']:.1f} s); 100k again (upsert, nothing new): "
            f"{imp['reimport_100k_s']:.1f} s.",
        ]
        if "big_rows" in imp:
            lines.append(
                f"At {imp['big_rows']:,} rows ({imp['big_table_mb']:,.0f} MB with indexes): "
                f"import {imp['big_import_rows_per_s']:,.0f} rows/s."
            )
        lines.append(
            f"Window + type + bbox on {imp['rows_in_store']:,} rows: count "
            f"{imp['wtb_count_s'] * 1000:.0f} ms, rows ({imp['wtb_rows']:,}) "
            f"{imp['wtb_query_s'] * 1000:.0f} ms."
        )
    for engine, figures in e.items():
        if "error" in figures:
            lines.append(f"{engine}: not run ({figures['error']})")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
