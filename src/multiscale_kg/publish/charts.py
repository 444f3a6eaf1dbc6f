"""Charts of Table 1: for one property, each material's nanoparticle and microparticle values side by side.

Drawn as SVG on the server (no script, nothing fetched). A value is a bar from the axis' start; a range is
a bar whose range part is solid and the part below it faint; a lower bound (≥) continues as a dashed arrow to
the edge, an upper bound (≤) is a dashed bar; an approximate value (~) has a dashed outline. The cell as
printed stands beside each bar, so every qualifier is visible as the article wrote it. Where the values span
more than ``LOG_SPAN`` (capacities: 72 to 3,000 mAh g⁻¹) the axis is logarithmic, so that cathodes and
anodes both show; a percentage axis stays linear, 0 to 100. Where a material's nano and micro values were
measured after different cycle counts or at different rates, a mark (≠) says they are not like for like.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..schema.vocab import TABLE1_COLUMNS
from .labels import formula_pieces
from .svg import attrs, document, esc, log_ticks, nice_ticks, number, rich_text, text

#: property → Table 1's column heading, for titles
HEADINGS = {prop.value: heading[:1].upper() + heading[1:] for heading, prop in TABLE1_COLUMNS.items()}
COLOURS = {"nano": "#2166ac", "micro": "#d6604d"}
SCALES = ("nano", "micro")
#: a chart whose largest value is this many times its smallest gets a logarithmic axis
LOG_SPAN = 20
MISMATCH_COLOUR = "#b35806"
MISMATCH_NOTE = "≠ nano and micro measured after different cycle counts or rates: not like for like"

ROWS_SQL = """
select ms.id, ms.material_id,
       coalesce(mat.abbreviation, case when length(mat.name) <= 16 then mat.name end, mat.formula, mat.name)
         as material,
       mat.name as material_name, ms.scale, ms.qualifier, ms.value_min, ms.value_max,
       ms.unit, ms.quote, ms.particle_size_text, ms.cycles, ms.rate_condition, ms.footnote_text
from measurements ms join materials mat on mat.id = ms.material_id
where ms.source = 'table1' and ms.property = :property and ms.scale in ('nano', 'micro')
  and (:document is null or ms.document_id = :document)
order by mat.name, ms.material_id, ms.scale desc
"""
#: the documents with Table 1 values of a property: the chart's document facet
DOCUMENTS_SQL = """
select ms.document_id as id, d.title, count(*) as count
from measurements ms join documents d on d.id = ms.document_id
where ms.source = 'table1' and ms.property = :property
group by ms.document_id order by ms.document_id
"""


@dataclass(frozen=True)
class Bar:
    material_id: str
    material: str  # short: abbreviation, short name or formula
    material_name: str
    scale: str
    qualifier: str
    low: float | None
    high: float | None
    unit: str | None
    printed: str
    detail: str
    cycles: int | None = None
    rate: str | None = None


@dataclass(frozen=True)
class Axis:
    low: float
    high: float
    log: bool
    ticks: tuple[float, ...]

    def share(self, value: float) -> float:
        """Where ``value`` falls between the axis' ends, 0 to 1 (clamped)."""
        value = min(max(value, self.low), self.high)
        if self.log:
            return math.log10(value / self.low) / math.log10(self.high / self.low)
        return (value - self.low) / (self.high - self.low)


def axis_for(bars: list[Bar], unit: str) -> Axis:
    values = [v for b in bars for v in (b.low, b.high) if v is not None and v > 0] or [1.0]
    top = max(values)
    if unit != "%" and top / min(values) >= LOG_SPAN:
        ticks = log_ticks(min(values), top)
        return Axis(ticks[0], ticks[-1], True, tuple(ticks))
    ticks = nice_ticks(100 if unit == "%" and top <= 100 else top * 1.05)  # a percentage axis ends at 100
    return Axis(0.0, ticks[-1], False, tuple(ticks))


def mismatch(nano: Bar | None, micro: Bar | None) -> str | None:
    """Why the nano and micro values of one material are not like for like, or None when they are."""
    if nano is None or micro is None:
        return None
    if nano.cycles and micro.cycles and nano.cycles != micro.cycles:
        return f"nano after {nano.cycles} cycles, micro after {micro.cycles}"
    if nano.rate and micro.rate and nano.rate != micro.rate:
        return f"nano at {nano.rate}, micro at {micro.rate}"
    return None


def bar_from_row(row: dict) -> Bar:
    detail = ", ".join(
        part
        for part in (
            row["particle_size_text"] and f"particles {row['particle_size_text']}",
            row["cycles"] and f"{row['cycles']} cycles",
            row["rate_condition"],
            row["footnote_text"],
        )
        if part
    )
    return Bar(
        row["material_id"],
        row["material"],
        row["material_name"],
        row["scale"],
        row["qualifier"],
        row["value_min"],
        row["value_max"],
        row["unit"],
        row["quote"],
        detail,
        row["cycles"],
        row["rate_condition"],
    )


_LEFT, _PLOT, _RIGHT, _TOP, _BAR, _GAP, _GROUP = 150, 600, 190, 74, 14, 3, 40


def chart_svg(prop: str, bars: list[Bar]) -> str:
    """The chart of one property; ``bars`` in display order (material, then nano before micro)."""
    materials = list(dict.fromkeys((b.material_id, b.material) for b in bars))
    unit = next((b.unit for b in bars if b.unit), "")
    axis = axis_for(bars, unit)

    def x(value: float) -> float:
        return _LEFT + _PLOT * axis.share(value)

    height = _TOP + _GROUP * len(materials) + 40
    width = _LEFT + _PLOT + _RIGHT
    title = f"{HEADINGS.get(prop, prop)} ({unit}): nano vs micro, Table 1"
    body = [text(_LEFT, 18, title, font_size=14, font_weight="bold")]
    for n, scale in enumerate(SCALES):
        lx = _LEFT + n * 150
        body.append(f"<rect x='{lx}' y='28' width='12' height='12' fill='{COLOURS[scale]}'/>")
        body.append(text(lx + 16, 38, f"{scale}particles"))
    body.append(text(_LEFT + 300, 38, "faint: below a range; dashed: bound or approx.", fill="#555"))
    pairs = {m: {b.scale: b for b in bars if b.material_id == m} for m, _ in materials}
    reasons = {m: mismatch(mine.get("nano"), mine.get("micro")) for m, mine in pairs.items()}
    if any(reasons.values()):
        note = MISMATCH_NOTE

        body.append(text(_LEFT, 56, note, fill=MISMATCH_COLOUR, class_="mismatch-note"))
    plot_bottom = _TOP + _GROUP * len(materials)
    for tick in axis.ticks:
        tx = x(tick)
        body.append(
            f"<line{attrs(x1=f'{tx:.1f}', y1=_TOP - 6, x2=f'{tx:.1f}', y2=plot_bottom, stroke='#e3e3e3')}/>"
        )
        body.append(text(tx, plot_bottom + 16, number(tick), text_anchor="middle", fill="#444"))
    axis_title = f"{unit} (logarithmic axis)" if axis.log else unit
    body.append(text(_LEFT + _PLOT / 2, plot_bottom + 34, axis_title, text_anchor="middle", fill="#444"))
    for index, (material_id, material) in enumerate(materials):
        group_top = _TOP + _GROUP * index
        label = {"text_anchor": "end", "font_weight": "bold", "class_": "material"}
        body.append(rich_text(_LEFT - 8, group_top + _BAR + 2, formula_pieces(material), **label))
        if reasons[material_id]:
            body.append(_mismatch_mark(group_top, reasons[material_id]))
        for n, scale in enumerate(SCALES):
            y = group_top + n * (_BAR + _GAP)
            if scale in pairs[material_id]:
                body.append(_bar(pairs[material_id][scale], y, x, axis, bool(reasons[material_id])))
            else:
                body.append(text(_LEFT + 6, y + _BAR - 3, f"no {scale} value in Table 1", fill="#888"))
    body.append(f"<line x1='{_LEFT}' y1='{_TOP - 6}' x2='{_LEFT}' y2='{plot_bottom}' stroke='#333'/>")
    return document(width, height, body, title)


def _mismatch_mark(group_top: float, reason: str) -> str:
    """A ≠ in the margin of a material whose two values are not like for like; its title says why."""
    cx, cy = 12, group_top + _BAR + 2
    return (
        f"<g{attrs(class_='mismatch')}><title>{esc(reason)}: not like for like</title>"
        f"<circle cx='{cx}' cy='{cy - 4:.1f}' r='9' fill='{MISMATCH_COLOUR}'/>"
        + text(cx, cy, "≠", text_anchor="middle", fill="#fff", font_weight="bold")
        + "</g>"
    )


def _bar(bar: Bar, y: float, x, axis: Axis, unlike: bool = False) -> str:
    """One bar; ``unlike``: its printed cell is coloured, as the other scale's was measured otherwise."""
    colour = COLOURS[bar.scale]
    tip = f"{bar.material_name} {bar.scale}: {bar.printed}" + (f" ({bar.detail})" if bar.detail else "")
    group = attrs(class_=f"bar {bar.scale}", data_material=bar.material_id, data_qualifier=bar.qualifier)
    parts = [f"<g{group}>"]
    parts.append(f"<title>{esc(tip)}</title>")
    low, high, q = bar.low, bar.high, bar.qualifier
    start = x(axis.low)
    dashed = {"stroke": colour, "stroke_dasharray": "4 3", "stroke_width": 1.5}
    if q in (">=", ">") and low is not None:
        parts.append(_rect(start, y, x(low) - start, colour, opacity=0.35))
        middle, end = y + _BAR / 2, x(axis.high)
        parts.append(
            f"<line{attrs(x1=f'{x(low):.1f}', y1=middle, x2=f'{end - 6:.1f}', y2=middle, **dashed)}/>"
        )
        arrow = f"M{end - 8:.1f},{y + 2:.1f} L{end:.1f},{middle:.1f} L{end - 8:.1f},{y + _BAR - 2:.1f}"
        parts.append(f"<path{attrs(d=arrow, fill='none', stroke=colour, stroke_width=1.5)}/>")
        parts.append(_tick(x(low), y, colour))
    elif q in ("<=", "<") and high is not None:
        parts.append(_rect(start, y, x(high) - start, colour, opacity=0.2, **dashed))
        parts.append(_tick(x(high), y, colour))
    elif low is not None and high is not None and high > low:
        parts.append(_rect(start, y, x(low) - start, colour, opacity=0.35))
        extra = dashed if q == "~" else {}
        parts.append(_rect(x(low), y, x(high) - x(low), colour, opacity=1, **extra))
    else:
        value = low if low is not None else high
        extra = {**dashed, "stroke": "#000"} if q == "~" else {}
        parts.append(_rect(start, y, x(value) - start, colour, opacity=0.85 if q == "~" else 1, **extra))
    colour = MISMATCH_COLOUR if unlike else None
    parts.append(text(_LEFT + _PLOT + 8, y + _BAR - 3, bar.printed, class_="printed", fill=colour))
    parts.append("</g>")
    return "".join(parts)


def _rect(x0: float, y: float, width: float, colour: str, opacity: float, **extra) -> str:
    return (
        f"<rect{attrs(x=f'{x0:.1f}', y=f'{y:.1f}', width=f'{max(width, 1.5):.1f}', height=_BAR)} "
        f"fill='{colour}' fill-opacity='{opacity}'{attrs(**extra)}/>"
    )


def _tick(x0: float, y: float, colour: str) -> str:
    line = attrs(x1=f"{x0:.1f}", y1=y - 2, x2=f"{x0:.1f}", y2=y + _BAR + 2, stroke=colour, stroke_width=3)
    return f"<line{line}/>"


async def chart_documents(db, prop: str) -> list[dict]:
    return [dict(r) for r in await db.execute(DOCUMENTS_SQL, {"property": prop})]


async def chart_data(db, prop: str, document: str | None = None) -> list[Bar]:
    """The bars of one property, of one document's Table 1 (of every document's when None)."""
    rows = await db.execute(ROWS_SQL, {"property": prop, "document": document})
    return [bar_from_row(dict(r)) for r in rows]
