"""Synthetic but realistic ACLED-format events, for benchmarks and tests (never shipped).

Positions fall on land inside the region's countries (Natural Earth polygons), dates
spread over 20 years, event types and actors follow a fixed mix; the random source is
seeded, so the same size and seed give the same file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from regionmap._catalog import Catalog

EVENT_TYPES = {
    "Battles": ("Armed clash", 0.30),
    "Explosions/Remote violence": ("Shelling/artillery/missile attack", 0.25),
    "Violence against civilians": ("Attack", 0.10),
    "Protests": ("Peaceful protest", 0.20),
    "Riots": ("Violent demonstration", 0.05),
    "Strategic developments": ("Other", 0.10),
}
ACTORS = [
    "Military Forces of Turkey (2016-)",
    "Military Forces of Russia (2000-)",
    "Military Forces of Syria (2000-2024)",
    "SDF: Syrian Democratic Forces",
    "HTS: Hayat Tahrir al-Sham",
    "LNA: Libyan National Army",
    "GNA: Government of National Accord",
    "Wagner Group",
    "Military Forces of Armenia (2018-)",
    "Military Forces of Azerbaijan (2003-)",
    "Protesters (Turkey)",
    "Unidentified Armed Group",
]
START = dt.date(2005, 1, 1)
DAYS = 20 * 365


def land(catalog: Catalog) -> shapely.Geometry:
    import geopandas as gpd

    from regionmap._build import NE_FILE

    countries = gpd.read_file(catalog.root / NE_FILE)
    return shapely.union_all(countries.geometry.values)


def synthetic_events(n: int, catalog: Catalog, seed: int = 7) -> pd.DataFrame:
    """``n`` events in ACLED's export columns; 70% of them in the theatres' boxes."""
    rng = np.random.default_rng(seed)
    area = land(catalog)
    shapely.prepare(area)
    boxes = [t.bbox for t in catalog.theatres] + [catalog.region_bbox]
    weights = np.array([0.14] * len(catalog.theatres) + [0.30])
    lon = np.empty(0)
    lat = np.empty(0)
    while len(lon) < n:
        k = int((n - len(lon)) * 1.6) + 100
        which = rng.choice(len(boxes), size=k, p=weights / weights.sum())
        b = np.array(boxes)[which]
        # rounded as written, before the land test: a coastal point may not round into the sea
        x = np.round(rng.uniform(b[:, 0], b[:, 2]), 4)
        y = np.round(rng.uniform(b[:, 1], b[:, 3]), 4)
        keep = shapely.contains_xy(area, x, y)
        lon = np.concatenate([lon, x[keep]])
        lat = np.concatenate([lat, y[keep]])
    lon, lat = lon[:n], lat[:n]
    types = list(EVENT_TYPES)
    p = np.array([EVENT_TYPES[t][1] for t in types])
    kind = rng.choice(len(types), size=n, p=p / p.sum())
    days = rng.integers(0, DAYS, size=n)
    dates = pd.to_datetime(START) + pd.to_timedelta(days, unit="D")
    a1 = rng.integers(0, len(ACTORS), size=n)
    a2 = (a1 + rng.integers(1, len(ACTORS), size=n)) % len(ACTORS)
    type_names = np.array(types, dtype=object)[kind]
    frame = pd.DataFrame(
        {
            "event_id_cnty": [f"SYN{i:07d}" for i in range(n)],
            "event_date": dates.strftime("%d %B %Y"),
            "year": dates.year.astype(str),
            "time_precision": rng.choice([1, 1, 1, 2, 3], size=n).astype(str),
            "event_type": type_names,
            "sub_event_type": [EVENT_TYPES[t][0] for t in type_names],
            "actor1": np.array(ACTORS, dtype=object)[a1],
            "actor2": np.array(ACTORS, dtype=object)[a2],
            "country": "",
            "location": [f"Place {i % 5000}" for i in range(n)],
            "latitude": np.round(lat, 4).astype(str),
            "longitude": np.round(lon, 4).astype(str),
            "geo_precision": rng.choice([1, 1, 2, 3], size=n).astype(str),
            "source": "synthetic (regionmap benchmark)",
            "fatalities": rng.poisson(0.8, size=n).astype(str),
        }
    )
    # ACLED's notes are a few sentences (about 250 characters) and differ on every row; the
    # payload and memory figures depend on that, so these do too.
    frame.insert(
        14,
        "notes",
        "On " + frame["event_date"] + ", " + frame["actor1"] + " and " + frame["actor2"]
        + " were involved in an event near " + frame["location"] + " ("
        + frame["sub_event_type"].str.lower() + "); " + frame["fatalities"]
        + " fatalities reported. Synthetic event generated for regionmap benchmarks, not a "
        "real incident; reference " + frame["event_id_cnty"] + ".",
    )  # fmt: skip
    return frame


def write_synthetic_csv(path: str | Path, n: int, catalog: Catalog, seed: int = 7) -> Path:
    from regionmap._atomic import atomic_write_text

    atomic_write_text(path, synthetic_events(n, catalog, seed).to_csv(index=False))
    return Path(path)
