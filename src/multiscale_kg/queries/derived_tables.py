"""The derived SQLite tables, written into the build's database after the projected ones.

- ``rules``: every rule file with its sentence and stratum;
- ``derivations`` and ``derivation_premises``: every derivation, each premise with the quotes behind it;
- ``strategy_addresses``: which strategy addresses which drawback, how well the article supports it
  (``support``), and through which feature and cause;
- ``strategy_candidates``: which strategy may suit which material (applicability);
- ``strategy_profiles``: each strategy's net profile (addresses, introduces, leaves open, candidates);
- ``claim_checks``: the article's claims against its Table 1;
- ``theoretical_capacities``: the theoretical capacity of each material's stated reaction, and the values
  above it;
- ``table1_rows``: each review's Table 1 row of a material and property, and the reading it shares with the
  reviews that print the same cells;
- ``measurement_checks``: other papers' values against each reading of a Table 1 row (same material and
  property).

Columns come from the row models (``schema/derived.py``), as the entity tables' come from theirs. Rows are
written in id order and hold no timings, so the same inputs always give the same database.
"""

from __future__ import annotations

import sqlite3

from ..schema import KnowledgeBase
from ..schema.derived import DERIVED_TABLES, DerivedRow
from ..sqlite_file import create_index, create_table, transaction
from ..tables import model_columns, model_row
from .derive import Derived
from .derived_rows import ROW_BUILDERS

#: the largest table (every value of a Table 1 material and property against each reading of its row): sorted
#: by SQLite, not held in Python
_LARGE = frozenset({"measurement_checks"})


def _values(row: DerivedRow | dict, columns: dict[str, type]) -> tuple:
    """A row's cells in column order: a model's, or a dict's (keyed by the model's columns, values stored as
    they are) for the tables too large to validate row by row."""
    if isinstance(row, dict):
        return tuple([row[column] for column in columns])
    return model_row(row)


def write_derived(db: sqlite3.Connection, kb: KnowledgeBase, derived: Derived) -> None:
    """Add the derived tables, in one transaction, to a database written by ``tables.write_database``."""
    with transaction(db):
        for name, model in DERIVED_TABLES.items():
            columns = model_columns(model)
            rows = (_values(row, columns) for row in ROW_BUILDERS[name](derived, kb))
            create_table(db, name, columns, rows, model.FOREIGN_KEYS, sorted_by_sqlite=name in _LARGE)
        create_index(db, "claim_checks", ["verdict"])
        create_index(db, "strategy_addresses", ["support"])
