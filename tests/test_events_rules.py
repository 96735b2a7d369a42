"""Row rules (regionmap.events._rules): each broken row gets one precise message."""

import regionmap

from .conftest import DATA


def test_each_broken_row_gets_a_precise_message(catalog):
    result = regionmap.read_events(DATA / "events_bad_rows.csv", catalog)
    got = {p.where: p.message.removesuffix(" (file read as regionmap)") for p in result.problems}
    assert all(p.message.endswith("(file read as regionmap)") for p in result.problems)
    assert got == {
        "line 3, column event_date": "event_date '2020-13-45' is not a real date "
        "(YYYY-MM-DD, 15 March 2021 or 15/03/2021)",
        "line 4, column latitude": "lies outside theatre 'lachin' but inside it with latitude "
        "and longitude swapped: swap the two columns",
        "line 5, column latitude": "latitude -95.5 is out of range -90..90",
        "line 6, column theatre": "theatre 'crimea' is not one of "
        "akkuyu, blacksea, kars, lachin, libya, syria",
        "line 7, column source": "source is empty: every event needs a citation",
        "line 8, column date_end": "date_end 2020-09-27 is before the start 2020-11-10",
        "line 9, column event_id": "event_id T1 appears more than once",
        "line 12, column time_precision": "time_precision '7' is not "
        "1 (day), 2 (week) or 3 (month)",
        "line 13, column event_date": "event_date '0000-00-00' is not a real date "
        "(YYYY-MM-DD, 15 March 2021 or 15/03/2021)",
    }
    assert list(result.frame["event_id"]) == ["T1", "T8"]
    assert result.frame["notes"].iloc[1].startswith("first line\nsecond line")
