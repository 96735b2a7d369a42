"""The dashboard's panels: each draws one part of the page from data it is handed.

``view`` keeps the view in session state and the URL; ``sidebar`` draws the controls
(time window, layers, your data, basemap, events filters); ``map`` the heading, the map and
what it returns; ``feature`` the selected feature's provenance; ``annotations`` the notes
and arrows drawn on the map; ``export`` the snapshot panel; ``tables`` what is below the
map. `app.py` calls them in page order.

Rules for every panel: Streamlit and `regionmap`'s public names only; no geometry, parsing,
styling or file reading (the library does those); no caching (`cache.py` is the only cache);
nothing kept at module level between reruns (each run hands the panel what it needs).
Text from data or a user reaches Markdown only through `md_literal`.
"""

import re


def md_literal(text: object) -> str:
    """Text as literal characters in Streamlit's Markdown: no links, emphasis or HTML."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", str(text))
