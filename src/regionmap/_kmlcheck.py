"""KML placemarks whose coordinates are not numbers, found before GDAL reads the file.

GDAL's KML drivers read a ``<coordinates>abc,def</coordinates>`` as the point (0, 0):
a placemark typed wrong would be drawn in the Gulf of Guinea and checked as valid. So the
file's own text is read first (with defusedxml: a user's file may carry entity tricks) and
each placemark whose coordinates are not ``lon,lat[,alt]`` numbers in range is named; the
reader then gives it no geometry, which the layer checks report ("feature #3: no
geometry") while the rest of the file loads.
"""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

from defusedxml import ElementTree

from regionmap._errors import LayerError


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _tuple_problem(text: str) -> str:
    """Why one ``lon,lat[,alt]`` tuple is not a place, or ''."""
    parts = text.split(",")
    if len(parts) not in (2, 3):
        return f"{text!r} is not lon,lat[,alt]"
    try:
        lon, lat, *_ = (float(p) for p in parts)
    except ValueError:
        return f"{text!r} is not numbers"
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        return f"{text!r} is outside longitude -180..180, latitude -90..90"
    return ""


def _kml_text(path: Path) -> bytes:
    if path.suffix.lower() != ".kmz":
        return path.read_bytes()
    try:
        with zipfile.ZipFile(path) as kmz:
            names = [n for n in kmz.namelist() if n.lower().endswith(".kml")]
            return kmz.read("doc.kml" if "doc.kml" in names else names[0]) if names else b""
    except (zipfile.BadZipFile, OSError) as exc:
        raise LayerError(path, f"cannot read as a KMZ: {exc}") from None


def bad_placemarks(path: Path) -> dict[str, dict[int, str]]:
    """For each folder (GDAL's layer name) the placemarks, by position in it (0-based),
    whose coordinates are not places, with the reason; {} when all are (or the file is
    not XML at all: GDAL then says why it cannot read it)."""
    try:
        root = ElementTree.fromstring(_kml_text(path))
    except Exception:  # not XML, or refused by defusedxml: GDAL's reading reports it
        return {}
    out: dict[str, dict[int, str]] = {}

    def walk(node, folder: str) -> None:
        index = 0
        for child in node:
            kind = _local(child.tag)
            if kind in ("Folder", "Document"):
                name = next((c.text or "" for c in child if _local(c.tag) == "name"), "")
                walk(child, name.strip() or folder)  # GDAL names a layer after its folder
            elif kind == "Placemark":
                for coords in child.iter():
                    if _local(coords.tag) != "coordinates":
                        continue
                    problems = [_tuple_problem(t) for t in (coords.text or "").split()]
                    reason = next((p for p in problems if p), "" if problems else "empty")
                    if reason:
                        out.setdefault(folder, {})[index] = f"coordinates {reason}"
                        break
                index += 1

    walk(root, "")
    return out


def blank_bad_placemarks(path: Path, layers: list) -> None:
    """Give the placemarks `bad_placemarks` names no geometry in ``layers`` (GDAL's, one
    per folder, rows in file order), each with a note saying why."""
    bad = bad_placemarks(path)
    for layer in layers:
        marks = bad.get(layer.name)
        if marks is None and (layer.name == path.stem or len(layers) == len(bad) == 1):
            # placemarks right under a nameless Document: GDAL names their layer after the file
            marks = bad.get("") if "" in bad else next(iter(bad.values()), None)
        for index, reason in sorted((marks or {}).items()):
            if index >= len(layer.frame):
                continue
            layer.frame.loc[layer.frame.index[index], layer.frame.geometry.name] = None
            name = layer.frame.iloc[index].get("Name") or layer.frame.iloc[index].get("name")
            label = f" {name!r}" if isinstance(name, str) and name else ""
            layer.notes.append(f"placemark #{index + 1}{label}: {reason}; left without a place")
