"""Reading a file (regionmap.events._read, _formats): files that cannot be used at all."""

import pytest

import regionmap
from regionmap._errors import EventError

from .conftest import DATA


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("events_latin1.csv", r"events_latin1.csv: not UTF-8 text \(byte \d+ is 0xc7\)"),
        ("events_empty.csv", r"events_empty.csv: file is empty"),
    ],
)
def test_unreadable_files(catalog, name, message):
    with pytest.raises(EventError, match=message):
        regionmap.read_events(DATA / name, catalog)


def test_missing_required_columns(tmp_path, catalog):
    path = tmp_path / "e.csv"
    path.write_text("event_id,event_date\nX,2020-01-01\n")
    with pytest.raises(EventError, match=r"line 1: missing required columns \['latitude'"):
        regionmap.read_events(path, catalog)
