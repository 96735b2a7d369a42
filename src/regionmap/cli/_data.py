"""layers, validate, build-geodata, stats: what the geodata folder holds."""

from __future__ import annotations

import argparse
import sys

from regionmap import (
    NE_FILE,
    check_geodata,
    check_path,
    clip_natural_earth,
    files_to_check,
    load_layers,
    measure,
    refresh_natural_earth_file,
    stale_layers,
    theatre_freshness,
    write_layers,
)
from regionmap.cli._args import catalog_of, count

# --natural-earth-<kind> FILE: the Natural Earth file each clip is refreshed from
NE_KINDS = {
    "lakes": ("SHP", "ne_10m_lakes"),
    "rivers": ("SHP", "ne_10m_rivers_lake_centerlines"),
    "towns": ("SHP", "ne_10m_populated_places_simple"),
    "disputed": ("GPKG", "QGIS's world_map.gpkg (its disputed_borders layer)"),
}


def cmd_layers(args: argparse.Namespace) -> int:
    catalog = catalog_of(args)
    results = load_layers(catalog)
    w = max(len(spec.id) for spec in catalog.layers)  # columns fit the longest id
    print(f"{'id':<{w}} {'theatre':<8} {'features':>8}  {'as_of':<10}  title")
    for spec in catalog.layers:
        result = results[spec.id]
        frame = result.frame
        as_of = str(frame["as_of"].max()) if "as_of" in frame and len(frame) else "-"
        n = len(result.problems)
        flag = f"  ({n} problem{'s' if n != 1 else ''})" if n else ""
        print(
            f"{spec.id:<{w}} {spec.theatre or spec.role:<8} {len(frame):>8}  {as_of:<10}  "
            f"{spec.title}{flag}"
        )
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    catalog = catalog_of(args)
    notes: list[str] = []
    if args.paths:
        paths = files_to_check(args.paths)
        problems = [
            p for path in paths for p in check_path(catalog, path, strict=args.strict, notes=notes)
        ]
        rule = (
            "the full provenance contract" if args.strict else "geometry only, the user-layer rule"
        )
        layers = [p for p in paths if p.suffix.lower() not in (".csv", ".tsv", ".txt")]
        checked = count(len(paths), "file") + (f" (layers held to {rule})" if layers else "")
    else:
        problems = check_geodata(catalog)
        checked = f"{catalog.root} ({len(catalog.layers)} layers)"
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{count(len(problems), 'problem')} in {checked}", file=sys.stderr)
        return 1
    print(f"ok: {checked}", file=sys.stderr)
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    catalog = catalog_of(args)
    if args.natural_earth:
        rows = clip_natural_earth(args.natural_earth, catalog.root / NE_FILE, catalog.region_bbox)
        print(f"clipped {rows} countries into {catalog.root / NE_FILE}")
    for kind in NE_KINDS:
        given = getattr(args, f"natural_earth_{kind}")
        if given:
            kept, out = refresh_natural_earth_file(kind, given, catalog.root, catalog.region_bbox)
            print(f"clipped {kept} {kind} into {out}")
    if args.check:
        stale = stale_layers(catalog)
        for path in stale:
            print(f"{path}: stale (run `regionmap build-geodata`)")
        if not stale:
            print(f"ok: {len(catalog.layers)} layers match their sources", file=sys.stderr)
        return 1 if stale else 0
    changed = write_layers(catalog)
    for path in changed:
        print(f"wrote {path}")
    print(f"{len(catalog.layers)} layers, {len(changed)} changed", file=sys.stderr)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    catalog = catalog_of(args)
    results = load_layers(catalog)
    tables = {s.id: measure(results[s.id].frame) for s in catalog.layers if s.role != "basemap"}
    w = max(len(i) for i in tables)  # columns fit the longest ids
    f = max([len(str(i)) for t in tables.values() for i in t["id"]] + [7])
    print(f"{'layer':<{w}} {'feature':<{f}} {'measured':>12} {'official':>10} {'diff':>7}  source")
    for layer_id, table in tables.items():
        for row in table.itertuples(index=False):
            unit = "km" if row.measure == "length_km" else "km²"
            official = f"{row.official:.0f} km" if row.official == row.official else "-"
            diff = f"{row.difference_pct:+.0f}%" if row.official == row.official else ""
            print(
                f"{layer_id:<{w}} {row.id:<{f}} {row.value:>9.1f} {unit:<3}"
                f"{official:>10} {diff:>7}  {row.official_source or ''}"
            )
    print(f"\n{'theatre':<{w}} {'newest checked fact':<20} title")
    for theatre_id, newest in theatre_freshness(catalog, results).items():
        title = catalog.theatre(theatre_id).title
        print(f"{theatre_id:<{w}} {newest or '-':<20} {title}")
    print("measured: geodesic (WGS84) on the unsimplified layer geometry", file=sys.stderr)
    print("newest checked fact: latest as-of of a status period or *_as_of", file=sys.stderr)
    return 0


def add_data_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """layers, validate, build-geodata, stats: what the geodata folder holds."""
    p = sub.add_parser("layers", parents=[common], help="list layers: id, features, as_of")
    p.set_defaults(func=cmd_layers)

    p = sub.add_parser(
        "validate", parents=[common], help="check layer files (default: the whole geodata folder)"
    )
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument(
        "--strict",
        action="store_true",
        help="hold PATHs to the full provenance contract of geodata/ (files inside the "
        "geodata folder always are); by default a file is checked as a user layer",
    )
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("build-geodata", parents=[common], help="regenerate geodata/layers")
    p.add_argument("--check", action="store_true", help="exit 1 if committed layers are stale")
    p.add_argument(
        "--natural-earth",
        metavar="ZIP",
        help="refresh sources/naturalearth_admin0.geojson from Natural Earth's admin-0 zip",
    )
    for kind, (metavar, what) in NE_KINDS.items():
        p.add_argument(
            f"--natural-earth-{kind}",
            metavar=metavar,
            help=f"refresh sources/naturalearth_{kind}.geojson from {what}",
        )
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("stats", parents=[common], help="geodesic lengths and areas per feature")
    p.set_defaults(func=cmd_stats)
