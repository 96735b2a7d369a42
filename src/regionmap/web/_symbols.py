"""Event symbols as small inline SVGs, from `regionmap._symbology`'s colours and shapes."""

from __future__ import annotations


def symbol_svg(color: str, shape: str, hollow: bool, size: int = 16) -> str:
    """A marker ``size`` CSS pixels square; hollow (white fill, thick outline) marks a span."""
    fill = "#ffffff" if hollow else color
    stroke_width = 3 if hollow else 1.5
    s = size
    shapes = {
        "circle": f'<circle cx="{s / 2}" cy="{s / 2}" r="{s / 2 - 2}"/>',
        "square": f'<rect x="2" y="2" width="{s - 4}" height="{s - 4}"/>',
        "diamond": f'<polygon points="{s / 2},1 {s - 1},{s / 2} {s / 2},{s - 1} 1,{s / 2}"/>',
        "triangle": f'<polygon points="{s / 2},1 {s - 1},{s - 2} 1,{s - 2}"/>',
        "star": (
            f'<polygon points="{s / 2},0 {s * 0.62},{s * 0.38} {s},{s * 0.38} {s * 0.69},{s * 0.6} '
            f"{s * 0.8},{s} {s / 2},{s * 0.76} {s * 0.2},{s} {s * 0.31},{s * 0.6} 0,{s * 0.38} "
            f'{s * 0.38},{s * 0.38}"/>'
        ),
    }
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{s}" height="{s}" viewBox="0 0 {s} {s}">'
        f'<g fill="{fill}" stroke="{color}" stroke-width="{stroke_width}">{shapes[shape]}</g></svg>'
    )
