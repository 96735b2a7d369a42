"""Reading a file (regionmap.events._read, _formats): files that cannot be used at all."""

import csv
import io

import pandas as pd
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


def _both_readers(path, catalog):
    """What each reader makes of ``path``: Arrow's (or its refusal) and the csv module's."""
    from regionmap.events import _load
    from regionmap.events._read import NotOneRowALine

    out = []
    for arrow in (True, False):
        try:
            out.append(_load._read(path, catalog, arrow=arrow))
        except NotOneRowALine:
            out.append(None)
        except EventError as exc:
            out.append(str(exc))
    return out


EDGE_ROWS = {
    "crlf.csv": "\r\n",
    "blank_line.csv": "\n\n",
    "blank_cells.csv": "\n{commas}\n",  # a spreadsheet's row of empty cells
    "short_row.csv": "\n,,\n",
    "quoted_newline.csv": None,
    "lone_cr.csv": "\r",
}


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in DATA.glob("*.csv"))
    + sorted(f"bad/{p.name}" for p in (DATA / "bad").glob("*.csv"))
    + list(EDGE_ROWS),
)
def test_arrow_reads_every_file_as_the_csv_module_does(tmp_path, catalog, name):
    """Arrow's reader (ten times faster) numbers lines by position; where that would be
    wrong it must decline, and where it reads, the rows, lines, problems and notes must be
    the csv module's exactly."""
    if name in EDGE_ROWS:
        sample = (DATA / "acled_sample.csv").read_text(encoding="utf-8").splitlines()
        if EDGE_ROWS[name] is None:  # the second row's notes over two lines
            rows = list(csv.reader(sample))
            rows[2][rows[0].index("notes")] = "two\nlines"
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerows(rows)
            text = out.getvalue()
        else:
            sep = EDGE_ROWS[name].format(commas="," * sample[0].count(","))
            text = sep.join(sample[:3]) + sep + "\n".join(sample[3:]) + "\n"
        path = tmp_path / name
        path.write_bytes(text.encode("utf-8"))
    else:
        path = DATA / name
    arrow, plain = _both_readers(path, catalog)
    declined = {
        "events_bad_rows.csv",
        "short_row.csv",
        "quoted_newline.csv",
        "bad/events_newlines_quotes.csv",
        "bad/events_ragged_rows.csv",
        "bad/events_unclosed_quote.csv",
    }
    assert (arrow is None) == (name in declined)
    if arrow is None:  # the csv module reads it
        return
    if isinstance(plain, str):
        assert arrow == plain
        return
    pd.testing.assert_frame_equal(arrow.frame, plain.frame)
    assert arrow.problems == plain.problems
    assert (arrow.format, arrow.notes) == (plain.format, plain.notes)
