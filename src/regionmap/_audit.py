"""Whole-folder checks: every catalogued file is there and clean, nothing stray beside it."""

from __future__ import annotations

from pathlib import Path

from regionmap._catalog import Catalog
from regionmap._errors import EventError, LayerError, Problem
from regionmap._load import describe_layers, read_layers
from regionmap.events import read_events

IGNORED_SUFFIXES = (".md",)
LAYER_SUFFIXES = (".geojson", ".json", ".gpkg", ".kml", ".kmz", ".zip", ".shp")
EVENT_SUFFIXES = (".csv", ".tsv", ".txt")


def files_to_check(paths: list[str | Path]) -> list[Path]:
    """The paths given, a folder standing for every layer and events file inside it."""
    out: list[Path] = []
    for given in map(Path, paths):
        if given.is_dir():
            out += sorted(
                p
                for p in given.rglob("*")
                if p.is_file() and p.suffix.lower() in LAYER_SUFFIXES + EVENT_SUFFIXES
            )
        else:
            out.append(given)
    return out


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


def check_path(
    catalog: Catalog,
    path: str | Path,
    *,
    strict: bool = False,
    notes: list[str] | None = None,
) -> list[Problem]:
    """Problems of one file: a .csv is read as events, anything else as a layer.

    A layer is checked as a user's layer (geometry is all it needs) unless ``strict`` or
    the file lies inside the geodata folder, where the full provenance contract holds.
    What was found or assumed (layers, encodings, split collections) is appended to
    ``notes`` as ``"file: note"`` lines.

    Parameters
    ----------
    catalog : Catalog
        The catalog whose region and theatres the file is checked against.
    path : str or Path
        A layer file (GeoJSON, GeoPackage, KML/KMZ, zipped Shapefile) or an events CSV.
    strict : bool, default False
        Hold a layer to the full provenance contract of the shipped data.
    notes : list of str, optional
        Receives what was found or assumed, as ``"file: note"`` lines.

    Returns
    -------
    list of Problem
        Each names the file, the feature or row, and the problem; empty when clean.
        Never raises for bad input.
    """
    path = Path(path)
    if path.suffix.lower() in EVENT_SUFFIXES:
        try:
            result = read_events(path, catalog)
        except EventError as exc:
            return [Problem(exc.path, exc.where, exc.message)]
        if notes is not None:
            notes.append(f"{path}: read as {result.format}, {len(result.frame):,} events")
            notes += [f"{path}: {n}" for n in result.notes]
        return result.problems
    if path.suffix.lower() not in LAYER_SUFFIXES:
        kinds = ", ".join(LAYER_SUFFIXES + EVENT_SUFFIXES)
        return [Problem(str(path), "", f"not a file regionmap reads (layers and events: {kinds})")]
    return check_layer_path(catalog, path, strict=strict, notes=notes)


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def check_layer_path(
    catalog: Catalog,
    path: str | Path,
    *,
    strict: bool = False,
    notes: list[str] | None = None,
) -> list[Problem]:
    """Problems of one layer file, every layer in it; a catalogued file is held to its
    theatre's box, any file in the geodata folder (or with ``strict``) to the contract."""
    path = Path(path)
    spec = next(
        (s for s in catalog.layers if (catalog.root / s.file).resolve() == path.resolve()), None
    )
    contract = strict or spec is not None or _inside(path, catalog.root)
    try:
        if spec is not None:
            results = read_layers(path, catalog.bbox_for(spec))
        else:
            results = read_layers(path, catalog.region_bbox, contract=contract, confine=False)
    except LayerError as exc:
        return [Problem(exc.path, exc.where, exc.message)]
    if notes is not None:
        if len(results) > 1:
            found = describe_layers(results)
            if contract:  # the counts are the features that passed
                found += " that pass the full contract"
            notes.append(f"{path}: {found}")
        for r in results:
            prefix = f"layer {r.layer!r}: " if len(results) > 1 else ""
            notes += [f"{path}: {prefix}{n}" for n in r.notes]
    return [p for r in results for p in r.problems]


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
