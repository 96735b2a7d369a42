"""Text on the print map: escaping for matplotlib, wrapping to a width, and the words.

Owns: making data text literal for matplotlib (``$`` would start mathtext), wrapping a
string to a width in inches with the figure's own renderer, writing a coordinate as
``41.5°N``, and the wording of the title and subtitle.

Must not: draw anything, decide where text goes on the page (that is `_layout`), or change
rcParams (every text sets ``usetex=False`` itself).
"""

from __future__ import annotations

import re

import pandas as pd
from matplotlib.font_manager import FontProperties

from regionmap._spec import ViewSpec

DEFAULT_TITLE = "Where Russia and Turkey meet"


RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")  # Hebrew, Arabic and their forms


def tex(text: object) -> str:
    """Data text, printed literally: ``$`` would start mathtext.

    Matplotlib lays text out left to right, letter by letter: Arabic came out reversed and
    unjoined ("ت ر س" for "سرت"). Text with right-to-left letters is shaped
    (arabic-reshaper) and put in display order (python-bidi) first, line by line.
    """
    text = str(text)
    if RTL.search(text):
        from arabic_reshaper import reshape
        from bidi import get_display

        text = "\n".join(get_display(reshape(line)) for line in text.split("\n"))
    return text.replace("$", r"\$")


def deg(value: float, pos: str, neg: str) -> str:
    """``value`` degrees as ``12.5°E``: ``pos`` above zero, ``neg`` below, none at zero."""
    v = round(value, 4)
    body = f"{abs(v):g}°"
    return body if v == 0 else body + (pos if v > 0 else neg)


def map_title(spec: ViewSpec) -> str:
    """The print map's title: the view's own, else the default with the date window.

    Parameters
    ----------
    spec : ViewSpec
        The view; ``spec.title`` wins when it is not empty.

    Returns
    -------
    str
        Plain text, not yet escaped for matplotlib.
    """
    if spec.title:
        return spec.title
    return f"{DEFAULT_TITLE}: events {spec.compare_text()}"


def subtitle(spec: ViewSpec, events: pd.DataFrame) -> str:
    """The window and the filters: what decides which features are grey and which events show."""
    parts = [f"Date window: {spec.window_text()}"]
    if spec.compare is not None:  # each panel's title names its window and its events
        parts = ["Two date windows side by side"]
    elif spec.show_events:
        parts.append(f"{len(events):,} event{'' if len(events) == 1 else 's'}")
    else:
        parts.append("events hidden")
    for label, values in (
        ("types", spec.event_types),
        ("actors", spec.actors),
        ("theatres", spec.theatres),
    ):
        if values:
            parts.append(f"{label}: {', '.join(values)}")
    when = "in the window" if spec.start else f"on {spec.window_text()[len('up to ') :]}"
    parts.append(f"layers not in force {when} are grey and dashed")
    return " · ".join(parts)


def panel_title(spec: ViewSpec, events: pd.DataFrame) -> str:
    """A compare panel's title: its window and how many events it draws."""
    n = len(events)
    count = f"{n:,} event{'' if n == 1 else 's'}" if spec.show_events else "events hidden"
    return f"{spec.window_text()} · {count}"


class Measure:
    """Wraps text to a width in inches, measured with the figure's renderer.

    Words are measured once each and summed with the width of a space: laying out every
    candidate line costs a FreeType call each and made wrapping half the render time.

    Parameters
    ----------
    renderer : RendererAgg
        The canvas's renderer (``FigureCanvasAgg(fig).get_renderer()``).
    dpi : float
        The figure's dots per inch, to turn the renderer's pixels into inches.
    """

    def __init__(self, renderer: object, dpi: float) -> None:
        self.renderer = renderer
        self.dpi = dpi
        self._cache: dict[tuple[str, float, bool], float] = {}

    def width(self, text: str, fontsize: float, bold: bool = False) -> float:
        """Width of one line of ``text`` at ``fontsize`` points, in inches."""
        key = (text, fontsize, bold)
        if key not in self._cache:
            prop = FontProperties(size=fontsize, weight="bold" if bold else "normal")
            w, _, _ = self.renderer.get_text_width_height_descent(text, prop, ismath=False)
            self._cache[key] = w / self.dpi
        return self._cache[key]

    def wrap(self, text: str, width_in: float, fontsize: float, bold: bool = False) -> list[str]:
        """``text`` as lines no wider than ``width_in`` inches (a longer word stands alone).

        Each paragraph (line of ``text``) starts a new line; an empty text is one empty line.
        """
        space = self.width("a a", fontsize, bold) - 2 * self.width("a", fontsize, bold)
        lines: list[str] = []
        for paragraph in str(text).splitlines() or [""]:
            current: list[str] = []
            used = 0.0
            for word in paragraph.split():
                w = self.width(word, fontsize, bold)
                if current and used + space + w > width_in:
                    lines.append(" ".join(current))
                    current, used = [word], w
                else:
                    used += (space if current else 0.0) + w
                    current.append(word)
            lines.append(" ".join(current))
        return lines
