"""The web map's legend: the map plan's entries as HTML rows, with the event count on top."""

from __future__ import annotations

from regionmap._plan import LegendEntry, MapPlan
from regionmap._symbology import INACTIVE_COLOR, dotted
from regionmap.web._escape import escape
from regionmap.web._symbols import symbol_svg

_HALO = (
    '<span class="sw" style="width:12px;border-radius:50%;background:rgba(0,0,0,.12);'
    'border:1px dashed #666"></span>'
)


def _swatch(entry: LegendEntry) -> str:
    """A layer's look as a small box: a filled patch, a line or a dot, by what it draws."""
    layer = entry.layer
    if layer is None:
        return ""
    st = entry.look.as_style() if entry.look is not None else layer.style  # a dated variant
    fill = escape(st.fill_color or st.color)
    line = escape(st.color)
    if entry.kind == "basemap":
        return f'<span class="sw" style="background:{fill};border:1px solid {line}"></span>'
    if entry.kinds == {"point"}:
        return (
            f'<span class="sw" style="width:10px;border-radius:50%;'
            f'background:{fill};border:1px solid {line}"></span>'
        )
    # "2 3" reads as dots, "6 4" as dashes: the two Karabakh lines apart
    dash = ("dotted" if dotted(st.dash) else "dashed") if st.dash else "solid"
    background = fill if st.fill_opacity and "polygon" in entry.kinds else "none"
    return (
        f'<span class="sw" style="background:{background};border-bottom:3px {dash} {line}"></span>'
    )


def _box(entry: LegendEntry) -> str:
    """A row's ``data-bbox`` (west,south,east,north degrees): legend.js hides the rows of
    layers that draw nothing in the map's view, as the print legend leaves them out."""
    if entry.bbox is None:
        return ""
    return ' data-bbox="' + ",".join(f"{v:.4f}" for v in entry.bbox) + '"'


def _row(entry: LegendEntry) -> str:
    label = escape(entry.label)
    if entry.kind in ("layer", "variant"):
        return f"<div{_box(entry)}>{_swatch(entry)}{label}</div>"
    if entry.kind == "basemap":
        return f"<div>{_swatch(entry)}{label}</div>"
    if entry.symbol is not None:
        color, shape = entry.symbol
        return f"<div>{symbol_svg(color, shape, entry.hollow, 12)}{label}</div>"
    if entry.kind == "halo":
        return f"<div>{_HALO}{label}</div>"
    if entry.kind == "approximate":
        return f'<div><span class="rm-approx-ring"></span>{label}</div>'
    if entry.kind == "theatre":  # a page's legend: the theatre heads its layers' rows
        detail = f" <small>· {escape(entry.detail)}</small>" if entry.detail else ""
        return f"<div{_box(entry)}><b>{label}</b>{detail}</div>"
    if entry.kind == "inactive":
        return f'<div style="color:{INACTIVE_COLOR}">{label}</div>'
    return f"<div><i>{label}</i></div>"


def _theatre(head: LegendEntry, layers: list[LegendEntry]) -> str:
    """A theatre as one row: its layers' swatches (named on hover), its title, its date.
    A screen map has less room than a page; the print map gives each layer a row."""
    swatches = "".join(
        _swatch(e).replace('class="sw"', f'class="sw" title="{escape(e.label)}"', 1) for e in layers
    )
    detail = f' <small title="newest checked fact">· {escape(head.detail)}</small>'
    return f"<div{_box(head)}>{swatches}{escape(head.label)}{detail if head.detail else ''}</div>"


def legend_html(plan: MapPlan, full: bool = False) -> str:
    """The legend of ``plan``: `MapPlan.legend`'s rows, the same the print map draws, laid
    out for a screen: the events' header says how many in which window (so a screenshot
    says it), a theatre's layers share its row, and the "Key" header is left implicit.
    ``full`` (a PNG, where nothing can be hovered) gives each layer its own named row, as
    the print map does."""
    parts = ["<details open><summary>Legend</summary>"]
    rows = plan.legend()
    i = 0
    while i < len(rows):
        entry = rows[i]
        if entry.kind == "theatre" and not full:
            j = i + 1
            while j < len(rows) and rows[j].kind in ("layer", "variant"):
                j += 1
            group = rows[i + 1 : j]  # its layers share its row; dated variants get their own
            parts.append(_theatre(entry, [r for r in group if r.kind == "layer"]))
            parts += [_row(r) for r in group if r.kind == "variant"]
            i = j
            continue
        if entry.kind == "events":
            parts.append(
                f'<div class="rm-legend-count"><b>{plan.n_events:,} '
                f"event{'' if plan.n_events == 1 else 's'}</b> · "
                f"{escape(plan.spec.window_text())}</div>"
            )
        elif entry.kind != "key":
            parts.append(_row(entry))
        i += 1
    return "".join(parts) + "</details>"
