"""The print renderer: a `ViewSpec` and a `Dataset` drawn with matplotlib as PNG, SVG or PDF.

Only the names in ``__all__`` are public; the modules behind them are private, each with
one job:

- `_render`: the entry points `render_static` (a file) and `render_pixels` (an RGB array),
  the figure and the file's metadata;
- `_layout`: the page (title, subtitle, caption, footer) and the legend placement loop;
- `_extent`: the map's extent in degrees and the axes that show it undistorted;
- `_geometry`: basemap, overlay layers and events drawn on lon/lat axes;
- `_look`: the decisions on how things look (inactive rule, styles, event markers);
- `_legend`: the legend's entries as plain data, then their matplotlib samples;
- `_furniture`: graticule, scale bar, north arrow and theatre labels;
- `_text`: escaping for matplotlib, wrapping to a width, titles.

This package never imports pyplot, folium or streamlit.
"""

from regionmap.plot._extent import map_extent
from regionmap.plot._render import FORMATS, VIEW_KEY, render_pixels, render_static
from regionmap.plot._text import map_title

__all__ = ["FORMATS", "VIEW_KEY", "map_extent", "map_title", "render_pixels", "render_static"]
