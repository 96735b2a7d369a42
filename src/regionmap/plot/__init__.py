"""The print renderer: a `ViewSpec` and a `Dataset` drawn with matplotlib as PNG, SVG or PDF.

Only the names in ``__all__`` are public; the modules behind them are private.
"""

from regionmap.plot._render import FORMATS, VIEW_KEY, map_extent, map_title, render_static

__all__ = ["FORMATS", "VIEW_KEY", "map_extent", "map_title", "render_static"]
