"""The measurements table as a reader wants it: material, scale, property, the value with its unit once, the
conditions and the source first; ids, offsets, parsed bounds, unit IRIs and quotes behind a toggle.

Datasette draws the table page; the template ``_table-multiscale-measurements.html`` draws its rows through
``layout``, which only reorders and joins the cells Datasette prepared (links, labels, units stay as drawn).
The cells of a row are joined here, as the template's loop would write them: a page has hundreds of cells,
and a loop in Datasette's (asynchronous) Jinja costs several times the same loop in Python.
"""

from __future__ import annotations

from datasette.utils import to_css_class
from markupsafe import Markup, escape

from .labels import value_with_unit

#: the columns a reader looks at first, as Datasette draws them
LEAD = ("material_id", "scale", "property")
#: the columns that come after value and conditions, still in view
AFTER = ("source",)


def _raw(cells: dict, column: str):
    cell = cells.get(column)
    return None if cell is None else cell["raw"]


def _conditions(cells: dict) -> str:
    parts = []
    size, cycles = _raw(cells, "particle_size_text"), _raw(cells, "cycles")
    if size:
        parts.append(f"particles {size}")
    if cycles:
        parts.append(f"{cycles} cycles")
    parts += [str(_raw(cells, c)) for c in ("rate_condition", "condition", "footnote_text") if _raw(cells, c)]
    return "; ".join(parts)


def _cells(cells: list[dict], extra_class: str = "") -> Markup:
    """``<td>`` elements of ``cells``, as the template's loop wrote them: ``<td class="col-{{ cell.column
    |to_css_class }} type-{{ cell.value_type }}">{{ cell.value }}</td>`` for each cell, autoescaped."""
    return Markup(
        "".join(
            f'<td class="col-{escape(to_css_class(cell["column"]))} type-{escape(cell["value_type"])}'
            f'{extra_class}">{escape(cell["value"])}</td>'
            for cell in cells
        )
    )


def layout(display_columns: list, display_rows: list) -> dict:
    """The header and rows of the table in reading order: ``lead`` cells, the ``value`` and ``conditions``
    (joined from their parts), ``after`` cells, then every other column as ``more``."""
    names = [column["name"] for column in display_columns]
    lead = [c for c in LEAD if c in names]
    after = [c for c in AFTER if c in names]
    more = [c for c in names if c not in lead and c not in after]
    by_name = {column["name"]: column for column in display_columns}
    rows = []
    for row in display_rows:
        cells = {cell["column"]: cell for cell in row}
        value = value_with_unit(_raw(cells, "value_text"), _raw(cells, "unit_printed"), _raw(cells, "unit"))
        rows.append(
            {
                "lead": _cells([cells[c] for c in lead]),
                "value": Markup(escape(value)),
                "conditions": _conditions(cells),
                "after": _cells([cells[c] for c in after]),
                "more": _cells([cells[c] for c in more], " mskg-more"),
            }
        )
    return {
        "lead": [by_name[c] for c in lead],
        "after": [by_name[c] for c in after],
        "more": [by_name[c] for c in more],
        "rows": rows,
    }
