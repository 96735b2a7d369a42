"""Vector files read through GDAL (pyogrio): every layer of a file, in a named encoding.

GeoPackages hold several tables, KML files several folders and a zip several Shapefiles;
reading only the first one drops data without a word, so each is read as its own layer
and the caller is told what was found. A Shapefile's DBF holds text in a code page that the
file may not declare: the ``.cpg`` sidecar, else the DBF's language-driver byte, else the
bytes themselves decide, and the note says which.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from charset_normalizer import from_bytes

from regionmap._errors import LayerError
from regionmap._kmlcheck import blank_bad_placemarks

# The DBF header's language-driver id (byte 29) and the code page it stands for in the
# dBASE / ArcGIS tables. We pass the code page to GDAL ourselves: GDAL 3.12 reads 0x7D
# (Hebrew) and 0x7E (Arabic) as Latin-1. tests/test_userfiles.py round-trips each.
LDID_CODEPAGES = {
    0x01: "cp437", 0x02: "cp850", 0x03: "cp1252", 0x57: "cp1252", 0x58: "cp1252",
    0x59: "cp1252", 0x64: "cp852", 0x65: "cp866", 0x66: "cp865", 0x6A: "cp737",
    0x6B: "cp857", 0x7C: "cp874", 0x7D: "cp1255", 0x7E: "cp1256", 0x86: "cp737",
    0x87: "cp852", 0x88: "cp857", 0xC8: "cp1250", 0xC9: "cp1251", 0xCA: "cp1254",
    0xCB: "cp1253", 0xCC: "cp1257",
}  # fmt: skip
# Legacy code pages of the places this map covers, most likely first: Turkish, Cyrillic,
# Arabic, then Western and Central European and the DOS pages of the first two.
REGION_CODEPAGES = ("cp1254", "cp1251", "cp1256", "cp1252", "cp1250", "cp857", "cp866")
# Letters these code pages can only produce by mistake in this region's place names
# (Icelandic eth, thorn and y-acute are what cp1252 makes of Turkish ğ, ş and ı).
_UNLIKELY = set("ðÐþÞýÝ¤¦¨¬¯°±²³µ¶·¸¹º¼½¾×÷")
# KML rendering hints GDAL's LIBKML driver turns into columns; they say nothing about the
# features and would fill every popup.
KML_DISPLAY_COLUMNS = ("altitudeMode", "tessellate", "extrude", "visibility", "drawOrder", "icon")
MAX_UNZIPPED_BYTES = 500_000_000  # a zip bomb stops here
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx")


@dataclass
class RawLayer:
    """One layer of a file as GDAL read it, before any check.

    ``frame`` is in the file's own CRS (``frame.crs``, None if undeclared); ``notes`` say
    what was assumed (an encoding) or found."""

    name: str
    frame: gpd.GeoDataFrame
    notes: list[str]


def _dbf_text(dbf: Path, limit: int = 1 << 20) -> bytes:
    """The record bytes of a DBF (header skipped), up to ``limit``: what holds the names."""
    raw = dbf.read_bytes()[: limit + 4096]
    header_len = int.from_bytes(raw[8:10], "little") if len(raw) > 10 else 0
    return raw[header_len:]


def _is_accented_latin(ch: str) -> bool:
    return ord(ch) > 127 and ch.isalpha() and "LATIN" in unicodedata.name(ch, "")


def _score(text: str) -> int:
    """How much a decoding looks like this region's names: letters count, oddities cost.

    Cyrillic or Arabic bytes read as a Latin code page come out as runs of accented Latin
    letters ("Ðîñòîâ"); Turkish or Azerbaijani names have one or two in a row at most
    ("Çıldır", "Ağrı"), so runs of three or more cost their length, and so does a word
    that mixes scripts, as Latin text read as Cyrillic does ("Kцln")."""
    letters = sum(ch.isalpha() for ch in text)
    runs = sum(len(run) for run in _accent_runs(text) if len(run) >= 3)
    mixed = sum(len(word) for word in text.split() if _mixes_scripts(word))
    return letters - 4 * sum(ch in _UNLIKELY for ch in text) - 2 * runs - 2 * mixed


def _mixes_scripts(word: str) -> bool:
    """Latin letters beside Cyrillic or Arabic ones in one word ("Mьnchen", "Kцln")."""
    latin = any(ch.isascii() and ch.isalpha() for ch in word)
    return latin and any(ord(ch) > 0x3FF and ch.isalpha() for ch in word)


def _accent_runs(text: str) -> list[str]:
    runs, current = [], ""
    for ch in text:
        if _is_accented_latin(ch):
            current += ch
        else:
            if current:
                runs.append(current)
            current = ""
    return runs + ([current] if current else [])


def guess_encoding(data: bytes) -> str:
    """The most likely legacy code page of undeclared text from this region.

    charset-normalizer proposes the code pages that decode the bytes into plausible text
    (this region's first); short names fit several (cp1252 and cp1254 differ in six
    letters), so among those the one whose text looks most like this region's names wins,
    Turkish first on a tie.

    Returns a Python codec name; ``"ascii"`` when every byte is below 0x80.
    """
    if all(b < 0x80 for b in data):
        return "ascii"
    proposed = [m.encoding for m in from_bytes(data, cp_isolation=list(REGION_CODEPAGES))]
    proposed += [m.encoding for m in from_bytes(data)]
    candidates = list(dict.fromkeys(proposed)) or list(REGION_CODEPAGES)
    order = {codec: i for i, codec in enumerate(REGION_CODEPAGES)}
    best, best_score = "cp1254", None
    for codec in candidates:
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        score = (_score(text), -order.get(codec, len(order)))
        if best_score is None or score > best_score:
            best, best_score = codec, score
    return best


def shapefile_encoding(shp: Path) -> tuple[str | None, str]:
    """The encoding to read a Shapefile's DBF with, and a note saying where it came from.

    Returns ``(None, note)`` when GDAL decodes it by itself (a ``.cpg``) or the text is
    ASCII, else ``(codec, note)`` to pass to GDAL."""
    for cpg in (shp.with_suffix(".cpg"), shp.with_suffix(".CPG")):
        if cpg.is_file():
            declared = cpg.read_text(errors="replace").strip()
            return None, f"text encoding {declared} (from {cpg.name})"
    dbf = next((p for p in (shp.with_suffix(".dbf"), shp.with_suffix(".DBF")) if p.is_file()), None)
    if dbf is None:
        return None, "no .dbf beside the .shp: the features have no attributes"
    with dbf.open("rb") as handle:
        header = handle.read(32)
    ldid = header[29] if len(header) > 29 else 0
    if ldid in LDID_CODEPAGES:
        codec = LDID_CODEPAGES[ldid]
        return codec, f"text encoding {codec} (from the DBF's language driver byte 0x{ldid:02x})"
    codec = guess_encoding(_dbf_text(dbf))
    if codec == "ascii":
        return None, "text is plain ASCII"
    return codec, (
        f"text encoding {codec} assumed: no .cpg file and no language driver byte "
        "(detected from the text; add a .cpg file naming the encoding if names look wrong)"
    )


@contextmanager
def _unzipped(path: Path) -> Iterator[Path]:
    """A zip's contents in a temporary folder (folders kept, absolute or '..' names refused)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise LayerError(path, f"not a readable zip file ({exc})") from None
    with archive, tempfile.TemporaryDirectory(prefix="regionmap-zip-") as tmp:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if sum(m.file_size for m in members) > MAX_UNZIPPED_BYTES:
            raise LayerError(path, f"unpacks to more than {MAX_UNZIPPED_BYTES // 1_000_000} MB")
        root = Path(tmp)
        for member in members:
            parts = Path(member.filename).parts
            if member.filename.startswith("/") or ".." in parts or parts[0] == "__MACOSX":
                continue
            target = root.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst)
        yield root


def _gdal_layers(source: Path) -> list[str]:
    try:
        return [str(name) for name, _ in pyogrio.list_layers(source)]
    except Exception as exc:  # GDAL's errors are not one type
        raise LayerError(source, f"cannot read as a vector file: {exc}") from None


def _read(source: Path, layer: str | None, encoding: str | None = None) -> gpd.GeoDataFrame:
    try:
        return pyogrio.read_dataframe(source, layer=layer, encoding=encoding)
    except Exception as exc:  # GDAL's errors are not one type
        where = f"layer {layer!r}: " if layer else ""
        raise LayerError(source, f"{where}cannot read: {exc}") from None


def _shapefiles(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.suffix.lower() == ".shp" and not any(part.startswith(".") for part in p.parts)
    )


def read_gdal_layers(path: Path) -> list[RawLayer]:
    """Every layer of a GeoPackage, KML/KMZ (one per folder), Shapefile or zipped Shapefile.

    Returns the layers in file order; each frame is in the file's CRS. A zip may hold
    several Shapefiles, in sub-folders too (a zip made by "compress folder").

    Raises
    ------
    LayerError
        The file cannot be opened, or a zip holds no Shapefile.
    """
    if path.suffix.lower() == ".zip":
        with _unzipped(path) as folder:
            shapes = _shapefiles(folder)
            if not shapes:
                found = sorted(
                    {p.suffix.lower() or p.name for p in folder.rglob("*") if p.is_file()}
                )
                raise LayerError(
                    path,
                    "no Shapefile (.shp) in the zip"
                    + (f"; it holds {', '.join(found[:8])}" if found else "; it is empty"),
                )
            out = []
            for shp in shapes:
                encoding, note = shapefile_encoding(shp)
                name = str(shp.relative_to(folder).with_suffix(""))
                missing = [s for s in (".shx", ".dbf") if not shp.with_suffix(s).is_file()]
                if ".shx" in missing:
                    raise LayerError(path, f"{name}.shp has no .shx index beside it in the zip")
                frame = _read(shp, None, encoding)
                notes = [note] + ([] if shp.with_suffix(".prj").is_file() else [
                    "no .prj file: coordinates taken as longitude/latitude (EPSG:4326)"
                ])  # fmt: skip
                out.append(RawLayer(name, frame, notes))
            return out
    if path.suffix.lower() == ".shp":
        encoding, note = shapefile_encoding(path)
        return [RawLayer(path.stem, _read(path, None, encoding), [note])]
    layers = [RawLayer(name, _read(path, name), []) for name in _gdal_layers(path)]
    if path.suffix.lower() in (".kml", ".kmz"):
        blank_bad_placemarks(path, layers)  # GDAL reads "abc,def" as the point (0, 0)
    return layers


def _plain(value: object) -> object:
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, bytes):
        return value.hex()
    return value


def plain_columns(
    frame: gpd.GeoDataFrame, drop_empty: bool = True
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Attribute columns as JSON-ready scalars, and notes on what was dropped.

    Dates and times become ISO text (NaT becomes None) and nested values (Overpass
    ``@relations``) JSON text: exports and popups need plain values. With ``drop_empty``
    (a user's file), columns empty in every feature (KML's unused ``begin`` and ``end``)
    and KML display hints are left out, and the note lists them.
    """
    out = frame.copy()
    dropped: list[str] = []
    for col in [c for c in out.columns if c != out.geometry.name]:
        values = out[col]
        if drop_empty and col in KML_DISPLAY_COLUMNS:
            out = out.drop(columns=col)
            dropped.append(col)
            continue
        if pd.api.types.is_datetime64_any_dtype(values):
            has_time = bool((values.dropna() != values.dropna().dt.normalize()).any())
            fmt = "%Y-%m-%dT%H:%M:%S" if has_time else "%Y-%m-%d"
            values = values.dt.strftime(fmt).astype(object).where(values.notna(), None)
        elif values.dtype == object or isinstance(values.dtype, pd.StringDtype):
            values = values.astype(object).map(_plain)
            values = values.where(values.notna(), None)
        empty = values.isna() | (values.astype(str).str.strip() == "")
        if drop_empty and len(values) and bool(empty.all()):
            out = out.drop(columns=col)
            dropped.append(col)
            continue
        out[col] = values
    hints = [c for c in dropped if c in KML_DISPLAY_COLUMNS]
    empty_cols = [c for c in dropped if c not in KML_DISPLAY_COLUMNS]
    notes = [f"left out, empty in every feature: {', '.join(empty_cols)}"] if empty_cols else []
    notes += [f"KML display settings ignored: {', '.join(hints)}"] if hints else []
    return out, notes


def split_collections(frame: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, list[str]]:
    """GeometryCollections (a KML MultiGeometry) split into one feature per part.

    Every format follows this one rule, so a collection never reaches a renderer or an
    export. The parts keep the feature's properties; their ids get ``-1``, ``-2``… Nested
    collections are flattened; empty parts are dropped.
    """
    geoms = np.asarray(frame.geometry.values)
    is_gc = shapely.get_type_id(geoms) == 7
    if not is_gc.any():
        return frame, []
    rows = []
    notes = []
    id_col = "id" if "id" in frame.columns else None
    for position, (geom, collection) in enumerate(zip(geoms, is_gc, strict=True)):
        if not collection:
            rows.append((position, geom, None))
            continue
        parts = list(shapely.get_parts(geom))
        while any(shapely.get_type_id(p) == 7 for p in parts):
            parts = [q for p in parts for q in shapely.get_parts(p)]
        parts = [p for p in parts if not p.is_empty]
        kinds = ", ".join(p.geom_type for p in parts) or "nothing"
        fid = frame[id_col].iloc[position] if id_col else None
        label = f"feature #{position + 1}" + (f" (id {fid})" if fid not in (None, "") else "")
        notes.append(f"{label}: a GeometryCollection, split into {len(parts)} features ({kinds})")
        rows.extend((position, part, n + 1) for n, part in enumerate(parts))
    positions = [r[0] for r in rows]
    out = frame.iloc[positions].copy()
    out[frame.geometry.name] = gpd.GeoSeries([r[1] for r in rows], index=out.index, crs=frame.crs)
    if id_col:
        part = pd.Series([r[2] for r in rows], index=out.index)
        ids = out[id_col]
        has = part.notna() & ids.notna() & (ids.astype(str) != "")
        out.loc[has, id_col] = ids[has].astype(str) + "-" + part[has].astype(int).astype(str)
    return out.reset_index(drop=True), notes
