"""Charts of Table 1: for one property, each material's nanoparticle and microparticle values side by side.

Drawn as SVG on the server (no script, nothing fetched). A value is a bar from zero; a range is a bar whose
range part is solid and the part below it faint; a lower bound (≥) continues as a dashed arrow to the edge,
an upper bound (≤) is a dashed bar; an approximate value (~) has a dashed outline. The cell as printed
stands beside each bar, so every qualifier is visible as the article wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..schema.vocab import TABLE1_COLUMNS
from .svg import attrs, document, esc, nice_ticks, number, text

#: property → Table 1's column heading, for titles
HEADINGS = {prop.value: heading[:1].upper() + heading[1:] for heading, prop in TABLE1_COLUMNS.items()}
COLOURS = {"nano": "#2166ac", "micro": "#d6604d"}
SCALES = ("nano", "micro")

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
    )


_LEFT, _PLOT, _RIGHT, _TOP, _BAR, _GAP, _GROUP = 130, 430, 170, 58, 14, 3, 40


def chart_svg(prop: str, bars: list[Bar]) -> str:
    """The chart of one property; ``bars`` in display order (material, then nano before micro)."""
    materials = list(dict.fromkeys((b.material_id, b.material) for b in bars))
    unit = next((b.unit for b in bars if b.unit), "")
    top = max([v for b in bars for v in (b.low, b.high) if v is not None] or [1.0])
    ticks = nice_ticks(100 if unit == "%" and top <= 100 else top * 1.05)  # a percentage axis ends at 100
    scale_max = ticks[-1]

    def x(value: float) -> float:
        return _LEFT + _PLOT * value / scale_max

    height = _TOP + _GROUP * len(materials) + 40
    width = _LEFT + _PLOT + _RIGHT
    title = f"{HEADINGS.get(prop, prop)} ({unit}): nano vs micro, Table 1"
    body = [text(_LEFT, 18, title, font_size=14, font_weight="bold")]
    for n, scale in enumerate(SCALES):
        lx = _LEFT + n * 150
        body.append(f"<rect x='{lx}' y='28' width='12' height='12' fill='{COLOURS[scale]}'/>")
        body.append(text(lx + 16, 38, f"{scale}particles"))
    body.append(text(_LEFT + 300, 38, "faint: below a range; dashed: bound or approx.", fill="#555"))
    plot_bottom = _TOP + _GROUP * len(materials)
    for tick in ticks:
        tx = x(tick)
        body.append(
            f"<line{attrs(x1=f'{tx:.1f}', y1=_TOP - 6, x2=f'{tx:.1f}', y2=plot_bottom, stroke='#e3e3e3')}/>"
        )
        body.append(text(tx, plot_bottom + 16, number(tick), text_anchor="middle", fill="#444"))
    body.append(text(_LEFT + _PLOT / 2, plot_bottom + 34, unit, text_anchor="middle", fill="#444"))
    for index, (material_id, material) in enumerate(materials):
        group_top = _TOP + _GROUP * index
        body.append(
            text(
                _LEFT - 8,
                group_top + _BAR + 2,
                material,
                text_anchor="end",
                font_weight="bold",
                class_="material",
            )
        )
        mine = {bar.scale: bar for bar in bars if bar.material_id == material_id}
        for n, scale in enumerate(SCALES):
            y = group_top + n * (_BAR + _GAP)
            if scale in mine:
                body.append(_bar(mine[scale], y, x, scale_max))
            else:
                body.append(text(_LEFT + 6, y + _BAR - 3, f"no {scale} value in Table 1", fill="#888"))
    body.append(f"<line x1='{_LEFT}' y1='{_TOP - 6}' x2='{_LEFT}' y2='{plot_bottom}' stroke='#333'/>")
    return document(width, height, body, title)


def _bar(bar: Bar, y: float, x, scale_max: float) -> str:
    colour = COLOURS[bar.scale]
    tip = f"{bar.material_name} {bar.scale}: {bar.printed}" + (f" ({bar.detail})" if bar.detail else "")
    group = attrs(class_=f"bar {bar.scale}", data_material=bar.material_id, data_qualifier=bar.qualifier)
    parts = [f"<g{group}>"]
    parts.append(f"<title>{esc(tip)}</title>")
    low, high, q = bar.low, bar.high, bar.qualifier
    dashed = {"stroke": colour, "stroke_dasharray": "4 3", "stroke_width": 1.5}
    if q in (">=", ">") and low is not None:
        parts.append(_rect(x(0), y, x(low) - x(0), colour, opacity=0.35))
        middle, end = y + _BAR / 2, x(scale_max)
        parts.append(
            f"<line{attrs(x1=f'{x(low):.1f}', y1=middle, x2=f'{end - 6:.1f}', y2=middle, **dashed)}/>"
        )
        arrow = f"M{end - 8:.1f},{y + 2:.1f} L{end:.1f},{middle:.1f} L{end - 8:.1f},{y + _BAR - 2:.1f}"
        parts.append(f"<path{attrs(d=arrow, fill='none', stroke=colour, stroke_width=1.5)}/>")
        parts.append(_tick(x(low), y, colour))
    elif q in ("<=", "<") and high is not None:
        parts.append(_rect(x(0), y, x(high) - x(0), colour, opacity=0.2, **dashed))
        parts.append(_tick(x(high), y, colour))
    elif low is not None and high is not None and high > low:
        parts.append(_rect(x(0), y, x(low) - x(0), colour, opacity=0.35))
        extra = dashed if q == "~" else {}
        parts.append(_rect(x(low), y, x(high) - x(low), colour, opacity=1, **extra))
    else:
        value = low if low is not None else high
        extra = {**dashed, "stroke": "#000"} if q == "~" else {}
        parts.append(_rect(x(0), y, x(value) - x(0), colour, opacity=0.85 if q == "~" else 1, **extra))
    parts.append(text(_LEFT + _PLOT + 8, y + _BAR - 3, bar.printed, class_="printed"))
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
