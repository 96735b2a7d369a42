"""Whole-folder checks: every catalogued file is there and clean, nothing stray beside it."""

from __future__ import annotations

from pathlib import Path

from regionmap.catalog import Catalog
from regionmap.errors import EventError, LayerError, Problem
from regionmap.events import read_events
from regionmap.load import read_layer

IGNORED_SUFFIXES = (".md",)


def uncatalogued_files(catalog: Catalog) -> list[Path]:
    """Files under the geodata folder that the catalog does not name (docs excepted)."""
    named = {catalog.path, catalog.events_path}
    named |= {catalog.root / spec.file for spec in catalog.layers}
    named |= {catalog.root / s.file for s in catalog.sources if s.file}
    found = [
        p
        for p in sorted(catalog.root.rglob("*"))
        if p.is_file() and p.suffix.lower() not in IGNORED_SUFFIXES and not p.name.startswith(".")
    ]
    return [p for p in found if p not in named]


def check_path(catalog: Catalog, path: str | Path) -> list[Problem]:
    """Problems of one file: a .csv is read as events, anything else as a layer."""
    path = Path(path)
    if path.suffix.lower() in (".csv", ".tsv", ".txt"):
        try:
            return read_events(path, catalog).problems
        except EventError as exc:
            return [Problem(exc.path, exc.where, exc.message)]
    return check_layer_path(catalog, path)


def check_layer_path(catalog: Catalog, path: str | Path) -> list[Problem]:
    """Problems of one layer file; a catalogued file is held to its theatre's box."""
    path = Path(path)
    spec = next(
        (s for s in catalog.layers if (catalog.root / s.file).resolve() == path.resolve()), None
    )
    try:
        if spec is not None:
            return read_layer(path, catalog.bbox_for(spec)).problems
        return read_layer(path, catalog.region_bbox, confine=False).problems
    except LayerError as exc:
        return [Problem(exc.path, exc.where, exc.message)]


def check_geodata(catalog: Catalog) -> list[Problem]:
    """Everything wrong with a geodata folder: missing or stray files, bad features."""
    problems: list[Problem] = []
    for spec in catalog.layers:
        path = catalog.root / spec.file
        if not path.is_file():
            problems.append(
                Problem(str(catalog.path), f"layer {spec.id}", f"file {spec.file} is missing")
            )
            continue
        problems += check_layer_path(catalog, path)
    if catalog.events_path.is_file():
        problems += check_path(catalog, catalog.events_path)
    else:
        problems.append(Problem(str(catalog.path), "events", f"{catalog.events_file} is missing"))
    for stray in uncatalogued_files(catalog):
        problems.append(Problem(str(stray), "", "file is not named in catalog.toml"))
    return problems
