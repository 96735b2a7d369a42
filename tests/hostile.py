"""A copy of the shipped geodata with XSS payloads in every text a user or file controls."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from .conftest import DATA, ROOT

PAYLOADS = [
    line for line in (DATA / "xss_payloads.txt").read_text(encoding="utf-8").splitlines() if line
]
TEXT_COLUMNS = ("title", "notes", "location", "actor1", "actor2", "source", "event_type")


def hostile_geodata(dest: Path) -> Path:
    """Events 1..N and the Kars places carry one payload each, in every text field."""
    geodata = dest / "geodata"
    shutil.copytree(ROOT / "geodata", geodata)
    events = geodata / "events.csv"
    rows = list(csv.DictReader(io.StringIO(events.read_text(encoding="utf-8"))))
    for row, payload in zip(rows, PAYLOADS, strict=False):
        for column in TEXT_COLUMNS:
            row[column] = payload
        row["source_url"] = payload if payload.startswith("javascript:") else row["source_url"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    events.write_text(out.getvalue(), encoding="utf-8")

    layer = geodata / "layers" / "kars-places.geojson"
    doc = json.loads(layer.read_text(encoding="utf-8"))
    for feature, payload in zip(doc["features"], PAYLOADS, strict=False):
        props = feature["properties"]
        props["name"] = props["description"] = props["legal_basis"] = payload
        props["source"] = payload
        props["source_url"] = "javascript:window.top.__xss=1"
    layer.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return geodata
