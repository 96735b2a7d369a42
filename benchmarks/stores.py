"""The three stores side by side on one synthetic ACLED file: pandas (today's store),
DuckDB over the Parquet copy, PostgreSQL + PostGIS; and both SQL stores at ten million.

    .venv/bin/python benchmarks/stores.py [--rows 1000000] [--pg-rows 10000000]
                                          [--duck-rows 10000000]

Each engine runs in a fresh Python process, so its memory is its own: load, the dashboard's
filter (window + type, light columns), grid counts for the whole file at zoom 5, the first
1,000 complete rows, and the process's resident memory after and at peak. PostGIS imports
the file through `store import`'s path (validate, upsert: the import rate), then answers
a window + type + bounding box and the dashboard's "2020 war" (count, grid, first 5,000
rows); with ``--pg-rows`` it is grown to that many events inside PostgreSQL
(benchmarks/stores_big.py: minutes, not the 25 an import of 10M took) and asked again.
``--duck-rows`` writes a Parquet of that many synthetic events a million at a time and
opens it through the DuckDB store in a fresh process (queries and peak memory). The
scratch database is made and dropped as in the tests (tests/pg_support.py). Writes
benchmarks/results/stores.json and prints Markdown. Timings are medians of 5 unless said.
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
REGION = (26.0, 30.0, 50.0, 46.0)  # about the dashboard's first map: most of the events


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


def query_figures(store) -> dict:
    """Window + type + bounding box (count and rows), and the dashboard's filter change
    ("2020 war" over the region's box: count, grid, first 5,000 light rows)."""
    import regionmap
    from regionmap._dataset import LIGHT_COLUMNS
    from regionmap.web import cell_size_deg

    f = regionmap.EventFilter(
        start=WINDOW["start"], end=WINDOW["end"], event_types=WINDOW["types"], bbox=BBOX
    )
    war = regionmap.EventFilter(start=dt.date(2020, 9, 27), end=dt.date(2020, 11, 10), bbox=REGION)
    store.count(f)  # warm the cache once
    out: dict = {}
    out["wtb_count_s"], out["wtb_rows"] = timed(lambda: store.count(f))
    out["wtb_query_s"], _ = timed(lambda: store.query(f, ("event_id", "start", "latitude")))
    out["war_count_s"], out["war_rows"] = timed(lambda: store.count(war))
    out["war_grid_s"], _ = timed(lambda: store.grid_parts(war, cell_size_deg(5)))
    out["war_light_s"], _ = timed(lambda: store.query(war, LIGHT_COLUMNS, limit=5000))
    out["rows_in_store"] = store.count()
    return out


def import_figures(csv: Path, url: str, pg_rows: int, between=None) -> dict:
    """Import rate of the file itself through `store import`'s path (validate, then
    upsert), then ``pg_rows`` events made in SQL (`grow_in_sql`) and the queries there.
    ``between()`` runs once the file is in, before growing (the engine figures at the
    file's size)."""
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
    del frame, result
    with store._cursor() as cur:
        cur.execute("VACUUM ANALYZE regionmap_events")
    out["small"] = query_figures(store)
    if between is not None:
        between()
    if pg_rows > out["small"]["rows_in_store"]:
        from benchmarks.stores_big import grow_in_sql

        out.update(grow_in_sql(store, pg_rows))
        out["big"] = query_figures(store)
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
    parser.add_argument("--duck-rows", type=int, default=0, help="e.g. 10000000 (minutes)")
    parser.add_argument("--child", nargs=4, metavar=("ENGINE", "CSV", "CACHE", "URL"))
    args = parser.parse_args()
    if args.child and args.child[0] == "duckdb-10m":
        from benchmarks.stores_big import big_duck_child

        print(json.dumps(big_duck_child(args.child[1]), default=str))
        return 0
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
        if args.duck_rows:
            from benchmarks.stores_big import write_big_parquet

            big = tmp / "big" / "events.parquet"
            big.parent.mkdir()
            result["duck_big_write_s"] = write_big_parquet(big, args.duck_rows, catalog)
            engines["duckdb-10m"] = run_child("duckdb-10m", big, cache, "")
            print("duckdb-10m", engines["duckdb-10m"], file=sys.stderr)
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
            f"PostGIS import of the file (`store import`'s path): {imp['import_rows']:,} rows "
            f"in {imp['import_s']:.1f} s ({imp['import_rows'] / imp['import_s']:,.0f} rows/s) "
            f"after validation ({imp['validate_s']:.1f} s); 100k again (upsert, nothing new): "
            f"{imp['reimport_100k_s']:.1f} s.",
        ]
        if "big_rows" in imp:
            lines.append(
                f"Grown in SQL to {imp['big_rows']:,} rows: {imp['sql_copy_rows']:,} copied "
                f"in {imp['sql_copy_s']:.0f} s, indexes built in {imp['index_build_s']:.0f} s "
                f"({imp['big_table_mb']:,.0f} MB with indexes)."
            )
        lines += ["", "| PostGIS query | " + " | ".join(
            f"{imp[k]['rows_in_store']:,} rows" for k in ("small", "big") if k in imp
        ) + " |", "|---|" + "---|" * (1 + ("big" in imp))]  # fmt: skip
        for label, key, rows in (
            ("window + type + bbox, count", "wtb_count_s", "wtb_rows"),
            ("window + type + bbox, rows", "wtb_query_s", None),
            ('"2020 war" over the region, count', "war_count_s", "war_rows"),
            ('"2020 war", grid counts (zoom 5)', "war_grid_s", None),
            ('"2020 war", first 5,000 light rows', "war_light_s", None),
        ):
            cells = [
                f"{imp[k][key] * 1000:,.0f} ms" + (f" ({imp[k][rows]:,})" if rows else "")
                for k in ("small", "big")
                if k in imp
            ]
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    big = e.get("duckdb-10m")
    if big and "error" not in big:
        lines += [
            "",
            f"DuckDB store on {big['rows']:,} events (Parquet written in "
            f"{result['duck_big_write_s']:.0f} s): open {big['open_s']:.2f} s; "
            f'"2020 war" over the region: count {big["war_count_s"] * 1000:.0f} ms '
            f"({big['war_rows']:,}), grid {big['war_grid_s'] * 1000:.0f} ms, 5,000 light "
            f"rows {big['war_light_s'] * 1000:.0f} ms, 1,000 complete rows "
            f"{big['war_rows1000_s'] * 1000:.0f} ms; every event: count "
            f"{big['all_count_s'] * 1000:.0f} ms, grid {big['all_grid_s'] * 1000:.0f} ms; "
            f"filter choices {big['choices_s']:.1f} s; process memory after "
            f"{big['rss_mb']:,.0f} MB, peak {big['peak_mb']:,.0f} MB.",
        ]
    for engine, figures in e.items():
        if "error" in figures:
            lines.append(f"{engine}: not run ({figures['error']})")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
