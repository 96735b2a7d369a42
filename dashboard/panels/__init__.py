"""The dashboard's panels: each draws one part of the page from data it is handed.

``view`` keeps the view in session state and the URL; ``sidebar`` draws the controls
(time window, layers, your data, basemap, events filters); ``map`` the heading, the map and
what it returns; ``feature`` the selected feature's provenance; ``export`` the snapshot
panel; ``tables`` what is below the map. `app.py` calls them in page order.

Rules for every panel: Streamlit and `regionmap`'s public names only; no geometry, parsing,
styling or file reading (the library does those); no caching (`cache.py` is the only cache);
nothing kept at module level between reruns (each run hands the panel what it needs).
"""
