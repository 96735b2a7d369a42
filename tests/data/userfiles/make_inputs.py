"""Writes the binary inputs of tests/data/userfiles (GeoPackage, zipped Shapefiles).

Run from the repository root: `python tests/data/userfiles/make_inputs.py`. The text
inputs (KML, GeoJSON) are written by hand; these need a library to write, so the script
that made them is kept beside them. Names are real places; the shapes are made up.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import geopandas as gpd
import shapely

HERE = Path(__file__).resolve().parent
TURKISH = ["Iğdır", "Şırnak", "Çıldır Gölü", "Ağrı Dağı"]
RUSSIAN = ["Ростов-на-Дону", "Новороссийск", "Краснодар"]


def _points(names: list[str]) -> gpd.GeoDataFrame:
    points = [shapely.Point(43.0 + i * 0.5, 39.5 + i * 0.25) for i in range(len(names))]
    return gpd.GeoDataFrame({"ad": names}, geometry=points, crs=4326)


def _shapefile_zip(frame: gpd.GeoDataFrame, encoding: str, folder: str, ldid: int,
                   cpg: bool, out: str) -> None:  # fmt: skip
    """A zipped Shapefile inside ``folder``, its DBF in ``encoding``, the language-driver
    byte set to ``ldid`` and the .cpg kept or left out."""
    tmp = HERE / "_tmp"
    tmp.mkdir(exist_ok=True)
    frame.to_file(tmp / "places.shp", encoding=encoding)
    dbf = bytearray((tmp / "places.dbf").read_bytes())
    dbf[29] = ldid
    (tmp / "places.dbf").write_bytes(bytes(dbf))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for part in sorted(tmp.iterdir()):
            if part.suffix == ".cpg" and not cpg:
                continue
            z.write(part, f"{folder}/{part.name}" if folder else part.name)
    for part in tmp.iterdir():
        part.unlink()
    tmp.rmdir()
    (HERE / out).write_bytes(buffer.getvalue())


def main() -> None:
    districts = gpd.GeoDataFrame(
        {"ADM2_TR": ["Kağızman", "Sarıkamış"], "ADM2_PCODE": ["TR3610", "TR3611"]},
        geometry=[shapely.box(42.9, 40.0, 43.3, 40.3), shapely.box(42.4, 40.2, 42.9, 40.5)],
        crs=4326,
    )
    roads = gpd.GeoDataFrame(
        {"name": ["D 080"], "ref": ["D080"]},
        geometry=[shapely.LineString([(43.1, 40.6), (42.6, 40.33), (42.2, 40.3)])],
        crs=4326,
    )
    gpkg = HERE / "kars_two_layers.gpkg"
    gpkg.unlink(missing_ok=True)
    districts.to_file(gpkg, layer="districts", driver="GPKG")
    roads.to_file(gpkg, layer="roads", driver="GPKG")
    # Turkish names in Windows-1254, three ways of (not) saying so.
    _shapefile_zip(_points(TURKISH), "cp1254", "harita", 0xCA, False, "shp_cp1254_ldid.zip")
    _shapefile_zip(_points(TURKISH), "cp1254", "Yeni klasör", 0x00, False, "shp_cp1254_bare.zip")
    _shapefile_zip(_points(TURKISH), "cp1254", "", 0x00, True, "shp_cp1254_cpg.zip")
    _shapefile_zip(_points(RUSSIAN), "cp1251", "", 0x00, False, "shp_cp1251_bare.zip")


if __name__ == "__main__":
    main()
