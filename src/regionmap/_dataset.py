"""Everything the map draws, loaded once: catalog, layers (as stored and as drawn), events.

A layer that fails to load is kept as a result with its problems, so the map can say it
is unavailable while everything else still draws.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from regionmap._catalog import Catalog, load_catalog
from regionmap._compose import drop_small_parts, measure, simplify_for_display
from regionmap._errors import EventError, Problem
from regionmap._load import LayerResult, load_layers
from regionmap._spec import ViewSpec
from regionmap._status import theatre_freshness
from regionmap._store import load_store
from regionmap.events import (
    COLUMNS,
    EventFilter,
    EventResult,
    apply_filter,
    by_date,
    earliest,
    events_from_table,
    merge_events,
    read_events,
)
from regionmap.events import (
    actors as event_actors,
)
from regionmap.stores import (
    DuckStore,
    EventQueries,
    StoreError,
    is_postgres_url,
    mask_url,
    store_cell_days,
)
from regionmap.stores import open_postgis as _open_postgis
from regionmap.stores._base import cells_from_parts

# Drawing, not measuring: the basemap to about 2 km with islands under ~20 km² dropped,
# overlays (and every small feature, see simplify_for_display) to a few metres.
BASEMAP_DISPLAY_TOLERANCE = 0.02
BASEMAP_DISPLAY_DIGITS = 2
BASEMAP_MIN_PART_DEG2 = 0.002
# About 5 m and 1 m: under a pixel up to zoom 15, where a street-level user layer is read;
# the shipped overlays cost 35 KB of coordinates at this, 21 KB at 50 m and 4 digits.
OVERLAY_DISPLAY_TOLERANCE = 0.00005
DISPLAY_DIGITS = 5


# How long the store's total (every event it holds, shown beside the filter's count) is
# reused: counting 1M rows took 0.2-0.6 s a rerun, 10M several seconds; another
# dashboard's import shows within this.
STORE_TOTAL_TTL_S = 60.0

LIGHT_COLUMNS = (
    "event_id", "start", "end", "is_span", "latitude", "longitude", "event_type",
    "actor1", "actor2", "theatre", "geo_precision",
)  # fmt: skip


@dataclass(frozen=True)
class Dataset:
    catalog: Catalog
    layers: dict[str, LayerResult]  # as stored: measure on these
    display: dict[str, gpd.GeoDataFrame]  # simplified and rounded: draw these
    events: EventResult
    store: EventQueries | None = None  # events answered in SQL, beside ``events``
    # the store's whole-table count, (monotonic time, count): a sequential scan each rerun
    _totals: dict = dataclasses.field(default_factory=dict, compare=False, repr=False)
    # what is worked out once from the layers (not passed on by dataclasses.replace)
    _memo: dict = dataclasses.field(default_factory=dict, init=False, compare=False, repr=False)

    def theatre_freshness(self) -> dict[str, str]:
        """`regionmap.theatre_freshness` of these layers: theatre id to its newest checked
        fact, ``YYYY-MM-DD`` or ''. Worked out once: 80 ms of every map's legend."""
        if "freshness" not in self._memo:
            self._memo["freshness"] = theatre_freshness(self.catalog, self.layers)
        return self._memo["freshness"]

    def layer_records(self, layer_id: str) -> list[dict]:
        """A layer's properties as stored, one dict per feature in file order (read-only:
        shared by every map drawn from this dataset). Made once: pandas' ``to_dict`` for
        16 layers took 0.1 s of every map."""
        key = ("records", layer_id)
        if key not in self._memo:
            frame = self.layers[layer_id].frame
            self._memo[key] = frame.drop(columns=frame.geometry.name).to_dict("records")
        return self._memo[key]

    @property
    def problems(self) -> list[Problem]:
        out = [p for r in self.layers.values() for p in r.problems]
        return out + list(self.events.problems)

    def unavailable(self) -> dict[str, str]:
        """Layers with nothing to draw, and why."""
        return {
            layer_id: "; ".join(p.message for p in result.problems) or "no features"
            for layer_id, result in self.layers.items()
            if len(result.frame) == 0
        }

    def visible_events(self, spec: ViewSpec, light: bool = False) -> pd.DataFrame:
        """The events ``spec`` shows; ``light`` keeps only what the filters, counts and grid
        need, since a selection copies every column it keeps (ACLED's notes alone are
        260 MB at a million events). `first_events` gives complete rows back."""
        frame = self.events.frame
        if light:
            frame = frame[[c for c in LIGHT_COLUMNS if c in frame.columns]]
        own = apply_filter(frame, spec.event_filter())
        if self.store is None:
            return own
        # the store's rows come from SQL, only the columns asked for; an event in both (the
        # curated file imported into a shared store) is shown once
        theirs = self.store.query(spec.event_filter(), LIGHT_COLUMNS if light else None)
        theirs = theirs[~theirs["event_id"].isin(set(own["event_id"]))]
        return merge_events([own, theirs]) if len(theirs) else own

    def first_events(self, events: pd.DataFrame, n: int) -> pd.DataFrame:
        """The ``n`` oldest of ``events`` (light or not), complete, text as plain strings."""
        if self.store is None:
            return earliest(self.events.frame.loc[by_date(events).head(n).index], n)
        first = by_date(events).head(n)
        ids = first["event_id"].astype(str)
        frame = self.events.frame
        own = frame[frame["event_id"].isin(set(ids))]
        # the days they start on: the store reads only those (its copy is in date order)
        days = (first["start"].min(), first["start"].max()) if len(first) else None
        theirs = self.store.rows(sorted(set(ids) - set(own["event_id"].astype(str))), days)
        return earliest(merge_events([own, theirs]), n)

    # With a store the dashboard asks for counts, cells and a page of rows, never for the
    # whole selection: those come out of SQL, so it holds only what it draws.

    def _own(self, f: EventFilter) -> pd.DataFrame:
        """This dataset's own events ``f`` keeps (light), less those the store has too."""
        frame = self.events.frame
        own = apply_filter(frame[[c for c in LIGHT_COLUMNS if c in frame.columns]], f)
        if self.store is None or not len(own):
            return own
        both = self.store.known(own["event_id"].astype(str))
        return own[~own["event_id"].astype(str).isin(both)] if both else own

    def count_events(self, f: EventFilter) -> int:
        """How many events ``f`` keeps, each once (a SQL count for the store's)."""
        own = self._own(f)
        return len(own) + (self.store.count(f) if self.store is not None else 0)

    def first_light(self, f: EventFilter, n: int) -> pd.DataFrame:
        """The ``n`` oldest events ``f`` keeps, light columns (at most ``n`` from SQL)."""
        own = by_date(self._own(f)).head(n)
        if self.store is None:
            return own
        theirs = self.store.query(f, LIGHT_COLUMNS, limit=n)
        return by_date(merge_events([own, theirs])).head(n) if len(own) else theirs

    def event_cells(self, f: EventFilter, zoom: float) -> pd.DataFrame:
        """Counts per grid cell as `regionmap.web.aggregate_events` makes them; the
        store's per cell and type from SQL, the dataset's own added, so a cell holding
        both gets the main type of all its events."""
        from regionmap.web import aggregate_events, cell_size_deg

        own = self._own(f)
        if self.store is None:
            return aggregate_events(own, zoom)
        size = cell_size_deg(zoom)
        if not len(own):
            return self.store.grid(f, size)
        mine = pd.DataFrame(
            {
                "ix": np.floor(own["longitude"].to_numpy(dtype=float) / size),
                "iy": np.floor(own["latitude"].to_numpy(dtype=float) / size),
                "type": own["event_type"].astype(str).to_numpy(),
                "n": 1,
                "slon": own["longitude"].to_numpy(dtype=float),
                "slat": own["latitude"].to_numpy(dtype=float),
            }
        )
        return cells_from_parts(pd.concat([self.store.grid_parts(f, size), mine]))

    def event_cell_days(self, f: EventFilter, zoom: float) -> pd.DataFrame:
        """Counts per grid cell and start day (`regionmap.web.cell_days`) of the events
        `event_cells` counts, the store's from SQL (`regionmap.stores.store_cell_days`):
        playback's cube is made from these (`regionmap.web.event_cube`)."""
        from regionmap.web import cell_days, cell_size_deg

        size = cell_size_deg(zoom)
        own = cell_days(self._own(f), size)
        if self.store is None:
            return own
        theirs = store_cell_days(self.store, f, size)
        return pd.concat([theirs, own], ignore_index=True) if len(own) else theirs

    def event_count(self) -> int:
        """Every event the dataset can show: its own and its store's (each event once)."""
        own = self.events.frame
        if self.store is None:
            return len(own)
        total = self._totals.get("store")
        if total is None or time.monotonic() - total[0] > STORE_TOTAL_TTL_S:
            both = len(self.store.known(own["event_id"].astype(str)))
            total = (time.monotonic(), self.store.count() - both)
            self._totals["store"] = total
        return len(own) + total[1]

    def event_choices(self) -> dict[str, list[str]]:
        """Event types and actors for the filter widgets (the store's included)."""
        own = self.events.frame
        types = {str(t) for t in own["event_type"].unique()}
        names = set(event_actors(own))
        if self.store is not None:
            theirs = self.store.choices()
            types |= set(theirs["types"])
            names |= set(theirs["actors"])
        return {"types": sorted(types), "actors": sorted(names)}

    def feature(self, feature_id: str) -> tuple[str, pd.Series] | None:
        """The layer id and stored properties of a feature, with its measure if it has one."""
        for layer_id, result in self.layers.items():
            frame = result.frame
            if "id" not in frame or feature_id not in set(frame["id"]):
                continue
            row = frame[frame["id"] == feature_id]
            props = row.drop(columns="geometry").iloc[0].copy()
            table = measure(row)
            if len(table):
                props["measured"] = table["value"].iloc[0]
                props["measured_unit"] = "km" if table["measure"].iloc[0] == "length_km" else "km²"
            return layer_id, props
        return None


def stamp(geodata: str | Path) -> tuple:
    """Sizes and modification times of every file under ``geodata``: a cache key that
    changes when a file is edited, replaced or deleted while the dashboard runs."""
    root = Path(geodata)
    return tuple(
        (str(p.relative_to(root)), p.stat().st_mtime_ns, p.stat().st_size)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    )


def display_frame(result: LayerResult, basemap: bool) -> gpd.GeoDataFrame:
    """The layer simplified and rounded for drawing."""
    frame = result.frame
    if len(frame) == 0:
        return frame
    if not basemap:
        return simplify_for_display(frame, OVERLAY_DISPLAY_TOLERANCE, DISPLAY_DIGITS)
    out = simplify_for_display(frame, BASEMAP_DISPLAY_TOLERANCE, BASEMAP_DISPLAY_DIGITS)
    out[out.geometry.name] = drop_small_parts(out.geometry, BASEMAP_MIN_PART_DEG2)
    return out


# An events file this large (an ACLED download) goes through the Parquet store when a cache
# folder is given; the curated CSV, a few KB, is simply read.
STORE_MIN_BYTES = 1_000_000


def _events(catalog: Catalog, path: Path, cache_dir: Path | None) -> EventResult:
    try:
        if cache_dir is not None and path.is_file() and path.stat().st_size >= STORE_MIN_BYTES:
            result = load_store(path, catalog, cache_dir).result()
        else:
            result = read_events(path, catalog)
    except EventError as exc:
        empty, _ = events_from_table(pd.DataFrame(columns=list(COLUMNS)), [], exc.path, catalog)
        return EventResult(exc.path, empty, [Problem(exc.path, exc.where, exc.message)])
    return dataclasses.replace(result, frame=by_date(result.frame))


def load_dataset(
    geodata: str | Path | None = None,
    cache_dir: str | Path | None = None,
    events_file: str | Path | None = None,
    store: str | None = None,
) -> Dataset:
    """Catalog, layers and events, events sorted by date: everything a view draws from.

    Parameters
    ----------
    geodata : path, optional
        The geodata folder; default `regionmap.default_geodata_dir` (``$REGIONMAP_GEODATA``).
    cache_dir : path, optional
        Where a validated columnar (Parquet) copy of any events file over 1 MB is kept, so
        the next start skips checking the CSV again.
    events_file : path, optional
        An events CSV (an analyst's ACLED export, say) shown beside the curated events.
    store : str, optional
        A ``postgresql://`` URL (a shared PostGIS store, whose events are queried in SQL
        beside the curated ones) or ``"duckdb"`` (a large ``events_file`` is then queried
        with DuckDB from its Parquet copy instead of being held in memory; needs
        ``cache_dir``).

    Returns
    -------
    Dataset
        Layers in EPSG:4326 as stored (for measures and exports) and simplified for
        drawing (``display``); a broken layer is a result with problems, never an exception.

    Raises
    ------
    CatalogError
        ``catalog.toml`` is missing or malformed.
    EventError
        An events file cannot be read at all (a bad row is a listed problem instead).
    StoreError
        The store cannot be reached or is not set up (one line, password masked).
    """
    shared = None
    if store and is_postgres_url(store):
        shared = _open_postgis(store)
    elif store and store != "duckdb":
        raise StoreError(f"store {mask_url(store)!r}: give a postgresql:// URL or 'duckdb'")
    catalog = load_catalog(geodata)
    layers = load_layers(catalog)
    display = {
        spec.id: display_frame(layers[spec.id], spec.role == "basemap") for spec in catalog.layers
    }
    cache = Path(cache_dir) if cache_dir else None
    events = _events(catalog, catalog.events_path, cache)
    if events_file is not None and store == "duckdb" and cache is not None:
        try:
            shared = DuckStore.from_file(events_file, catalog, cache)
        except EventError as exc:
            problem = Problem(exc.path, exc.where, exc.message)
            events = dataclasses.replace(events, problems=events.problems + [problem])
        else:
            events = dataclasses.replace(events, problems=events.problems + shared.problems)
    elif events_file is not None:
        extra = _events(catalog, Path(events_file), cache)
        events = dataclasses.replace(
            events,
            frame=merge_events([events.frame, extra.frame]),
            problems=events.problems + extra.problems,
        )
    return Dataset(catalog, layers, display, events, shared)
