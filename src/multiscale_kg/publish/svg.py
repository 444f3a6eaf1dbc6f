"""Small helpers for SVG drawn on the server: every text goes through ``text()``, so it is escaped."""

from __future__ import annotations

import html
import math
import textwrap


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def text(x: float, y: float, content: str, **attributes: object) -> str:
    return f"<text x='{x:.1f}' y='{y:.1f}'{attrs(**attributes)}>{esc(content)}</text>"


def attrs(**attributes: object) -> str:
    return "".join(
        f" {name.rstrip('_').replace('_', '-')}='{esc(value)}'"
        for name, value in attributes.items()
        if value is not None
    )


def wrap(content: str, width: int, lines: int) -> list[str]:
    wrapped = textwrap.wrap(content, width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "…"
    return wrapped


def nice_ticks(high: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``high``."""
    if high <= 0:
        return [0.0, 1.0]
    raw = high / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks = [0.0]
    while ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def number(value: float) -> str:
    return f"{value:g}"


def document(width: float, height: float, body: list[str], label: str) -> str:
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width:.0f} {height:.0f}' "
        f"width='{width:.0f}' height='{height:.0f}' role='img' aria-label='{esc(label)}' "
        "font-family='system-ui, sans-serif' font-size='12'>" + "".join(body) + "</svg>"
    )


def rich_text(x: float, y: float, pieces: list[tuple[str, bool]], **attributes: object) -> str:
    """A text whose pieces marked True are subscripts (the counts of a formula: LiFePO₄)."""
    body = "".join(
        f"<tspan baseline-shift='sub' font-size='75%'>{esc(piece)}</tspan>" if sub else esc(piece)
        for piece, sub in pieces
    )
    return f"<text x='{x:.1f}' y='{y:.1f}'{attrs(**attributes)}>{body}</text>"


def log_ticks(low: float, high: float) -> list[float]:
    """Ticks 1, 2, 5 × 10ⁿ from the last at or below ``low`` to the first at or above ``high``."""
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    ticks = [round(m * 10.0**k, 10) for k in range(first, last + 1) for m in (1, 2, 5)]
    start = max(t for t in ticks if t <= low)
    end = min(t for t in ticks if t >= high)
    return [t for t in ticks if start <= t <= end]
