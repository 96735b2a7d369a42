"""The data behind a snapshot: the shown features as GeoJSON, the shown events as CSV, and
the sources of both as Markdown, each with its provenance and status as of the window.
Split from `regionmap._export`, which writes the files, so each stays one job."""

from __future__ import annotations

import pandas as pd

from regionmap._compose import dumps_features, in_window
from regionmap._dataset import Dataset
from regionmap._spec import ViewSpec
from regionmap._status import as_periods, describe, status_at
from regionmap.events import neutralise_formulas


def sources_markdown(spec: ViewSpec, dataset: Dataset) -> str:
    """Every source behind what is shown: catalogue sources, feature and event citations."""
    lines = ["# Sources of this snapshot", "", f"View: `{spec.to_json()}`", "", "## Datasets", ""]
    lines += [
        f"- {s.title} — {s.licence}" + (f" <{s.url}>" if s.url else "")
        for s in dataset.catalog.sources
    ]
    lines += ["", "## Features", ""]
    seen: set[tuple[str, str]] = set()
    for layer_id in spec.layers:
        frame = dataset.layers[layer_id].frame
        for source, url in zip(frame.get("source", []), frame.get("source_url", []), strict=False):
            if (source, url) not in seen:
                seen.add((source, url))
                lines.append(f"- {source}" + (f" <{url}>" if url else ""))
    if spec.show_events:
        lines += ["", "## Events", ""]
        for row in dataset.visible_events(spec).itertuples():
            lines.append(f"- {row.event_id} ({row.title}): {row.source} {row.source_url}".rstrip())
    return "\n".join(lines) + "\n"


def _feature_records(spec: ViewSpec, dataset: Dataset) -> list[dict]:
    """Visible layer features as stored (unsimplified), with their provenance."""
    out = []
    for layer in dataset.catalog.layers:
        if layer.id not in spec.layers:
            continue
        frame = dataset.layers[layer.id].frame
        for record, geom in zip(
            frame.drop(columns="geometry").to_dict("records"), frame.geometry, strict=True
        ):
            active = in_window(
                record.get("valid_from"), record.get("valid_to"), *spec.layer_window()
            )
            in_force = status_at(record.get("status_periods"), spec.end)
            out.append(
                {
                    "layer": layer.id,
                    "theatre": layer.theatre,
                    "in_window": active,
                    "status_in_force": describe(in_force),
                    "status_in_force_as_of": (in_force or {}).get("as_of", ""),
                    **record,
                    "geometry": geom,
                }
            )
    return out


def geojson_snapshot(spec: ViewSpec, dataset: Dataset) -> str:
    """RFC 7946: the layer features and the events in the view, with provenance."""
    features = []
    for record in _feature_records(spec, dataset):
        geom = record.pop("geometry")
        features.append(
            {"type": "Feature", "properties": {"record": "feature", **record}, "geometry": geom}
        )
    if spec.show_events:
        events = dataset.visible_events(spec)
        for record in _event_table(events).to_dict("records"):
            point = {"type": "Point", "coordinates": [record["longitude"], record["latitude"]]}
            features.append(
                {"type": "Feature", "properties": {"record": "event", **record}, "geometry": point}
            )
    return dumps_features(features, 6, name="regionmap snapshot")


def _event_table(events: pd.DataFrame) -> pd.DataFrame:
    drop = [c for c in ("start", "end", "is_span", "geometry") if c in events.columns]
    return pd.DataFrame(events.drop(columns=drop))


def csv_snapshot(spec: ViewSpec, dataset: Dataset) -> str:
    """One row per feature and event in the view; geometry as WKT; formulas neutralised."""
    rows = []
    for record in _feature_records(spec, dataset):
        geom = record.pop("geometry")
        if "status_periods" in record:  # a list of periods: one readable cell, not a repr
            periods = as_periods(record["status_periods"])
            record["status_periods"] = " | ".join(map(describe, periods))
        rows.append({"record": "feature", **record, "wkt": geom.wkt})
    if spec.show_events:
        events = dataset.visible_events(spec)
        for record in _event_table(events).to_dict("records"):
            rows.append(
                {
                    "record": "event",
                    "layer": "events",
                    "id": record["event_id"],
                    "name": record["title"],
                    **record,
                    "wkt": f"POINT ({record['longitude']} {record['latitude']})",
                }
            )
    table = pd.DataFrame(rows)
    return neutralise_formulas(table).to_csv(index=False, lineterminator="\n")
