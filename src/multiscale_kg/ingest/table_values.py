"""Values in table cells: numbers with thousands separators, ranges, bounds, and the problems of a table.

"776–1,363" is the range 776 to 1363; "≤690" an upper bound; "~93" an approximate value. A bound on a
range ("≤65–80") and a reversed range ("80–65") are problems, reported with the table's label.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..errors import Problem, line_of
from ..schema import Qualifier

NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
VALUE = rf"(?P<q>[≤≥<>~])?(?P<lo>{NUM})(?:–(?P<hi>{NUM}))?"
END = r"(?=\s|$)"
QUALIFIERS = {
    "≤": Qualifier.LE,
    "≥": Qualifier.GE,
    "<": Qualifier.LT,
    ">": Qualifier.GT,
    "~": Qualifier.APPROX,
}
EXPECTED_VALUE = "a number, a range such as '776–1,363', a bound such as '≤690', or '–' for no value"


class Problems(list[Problem]):
    def __init__(self, path: str, text: str, label: str = "Table 1"):
        super().__init__()
        self.path, self.text, self.label = path, text, label
        self._once: set[object] = set()

    def add(self, offset: int, message: str) -> None:
        self.append(Problem(self.path, message, line_of(self.text, offset)))

    def add_once(self, key: object, offset: int, message: str) -> None:
        """A problem of a header column, reported once however many cells meet it."""
        if key not in self._once:
            self._once.add(key)
            self.add(offset, message)


def number(printed: str) -> Decimal:
    return Decimal(printed.replace(",", ""))


def tidy(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def bounds(match: re.Match[str]) -> tuple[Qualifier, Decimal | None, Decimal | None]:
    """Qualifier, minimum and maximum of a value group: "≤690" → (<=, None, 690); "65–100" → (=, 65, 100)."""
    low = number(match["lo"])
    high = number(match["hi"]) if match["hi"] else low
    qualifier = QUALIFIERS.get(match["q"] or "", Qualifier.EQ)
    if qualifier in (Qualifier.LE, Qualifier.LT):
        return qualifier, None, high
    if qualifier in (Qualifier.GE, Qualifier.GT):
        return qualifier, low, None
    return qualifier, low, high


def value_problem(match: re.Match[str]) -> str | None:
    if match["q"] and match["hi"]:
        return f"'{match[0]}' puts a bound on a range (expected either '≤690' or '776–1,363')"
    if match["hi"] and number(match["hi"]) < number(match["lo"]):
        return f"range '{match['lo']}–{match['hi']}' is reversed (expected the smaller number first)"
    return None
