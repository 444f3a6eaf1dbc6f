"""How a cell of a table or query reads (the plugin's ``render_cell``): numbers with their unit, property
keys as labels, formulas with subscripts, element lists as symbols, QUDT unit IRIs as short links.

Each rule looks at the column name first, so a page of thousands of cells pays for a set lookup per cell.
"""

from __future__ import annotations

import json
import weakref
from functools import lru_cache

from markupsafe import Markup, escape

from .labels import formula_html, property_labels

#: columns holding a formula or a name that may be one (LiFePO4, Fe2O3), drawn with subscripts
FORMULA_COLUMNS = {"formula", "material", "material_name", "abbreviation"}
#: columns holding a property key (cycle_retention), shown by its label
PROPERTY_COLUMNS = {"property"}
QUDT_UNIT = "http://qudt.org/vocab/unit/"

_table_units: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def units_of(datasette, database: str, table: str) -> dict[str, str]:
    """The table's ``units`` from the metadata, read once per Datasette and table (metadata is fixed)."""
    known = _table_units.setdefault(datasette, {})
    if (database, table) not in known:
        known[(database, table)] = dict(datasette.table_metadata(database, table).get("units") or {})
    return known[(database, table)]


@lru_cache(maxsize=4096)
def with_unit(kind: type, value: float, unit: str):  # kind: 50 and 50.0 print differently
    """As Datasette shows a number with a unit (pint, in the most compact prefix: "1.0 µm"), but converted
    once per value rather than once per cell: pint takes a quarter of a millisecond a cell."""
    from datasette.views.base import ureg

    quantity = round((value * ureg(unit)).to_compact(), 6)  # as datasette.views.table formats units
    return Markup(f"{quantity:~P}".replace(" ", "&nbsp;"))


def _text(value, column: str, table: str | None):
    if column in PROPERTY_COLUMNS and value in property_labels():
        return Markup(
            f'<span class="mskg-property" title="{escape(value)}">{escape(property_labels()[value])}</span>'
        )
    if column in FORMULA_COLUMNS or (table == "materials" and column == "name"):
        shown = formula_html(value)
        return shown if "<sub>" in shown else None
    if column == "elements" and value.startswith("["):
        try:
            symbols = json.loads(value)
        except ValueError:
            return None
        return ", ".join(symbols) if isinstance(symbols, list) else None
    if value.startswith(QUDT_UNIT):
        short = escape(value[len(QUDT_UNIT) :])
        return Markup(f'<a class="mskg-iri" href="{escape(value)}" title="{escape(value)}">unit:{short}</a>')
    return None


def rendered(value, column: str, table: str | None, database: str, datasette, ours: bool):
    """The cell as our pages show it, or None to let Datasette draw it (``ours``: the plugin's database)."""
    if isinstance(value, str):
        return _text(value, column, table) if ours else None
    if table is None or isinstance(value, bool) or not isinstance(value, int | float):
        return None
    unit = units_of(datasette, database, table).get(column)
    return None if unit is None else with_unit(type(value), value, unit)
