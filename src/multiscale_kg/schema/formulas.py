"""Chemical formulas: a strict formula parsed into its atoms and molar mass (periodictable's masses).

Ingest uses it to recognise materials in the text and to check curated formulas; the rules stage uses the
molar mass for theoretical capacities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import periodictable

#: element symbols, each with an optional positive count: "Li4Ti5O12", "LiMn0.85Fe0.15PO4", "Si"
STRICT_FORMULA = re.compile(r"(?:[A-Z][a-z]?(?:\d+(?:\.\d+)?)?)+")


@dataclass(frozen=True)
class Formula:
    printed: str
    atoms: tuple[tuple[str, float], ...]  # (symbol, count), sorted by symbol
    molar_mass: float

    @property
    def elements(self) -> tuple[str, ...]:
        return tuple(symbol for symbol, _ in self.atoms)


@lru_cache(maxsize=4096)
def parse_formula(printed: str) -> Formula | None:
    """A strict chemical formula ("Li4Ti5O12", "LiMn0.85Fe0.15PO4", "Si"), or None."""
    if not STRICT_FORMULA.fullmatch(printed):
        return None
    try:
        parsed = periodictable.formula(printed)
    except Exception:  # periodictable raises ValueError or a pyparsing error for unknown symbols
        return None
    if not parsed.atoms or any(count <= 0 for count in parsed.atoms.values()):
        return None
    atoms = tuple(sorted((element.symbol, float(count)) for element, count in parsed.atoms.items()))
    return Formula(printed, atoms, round(parsed.mass, 4))
