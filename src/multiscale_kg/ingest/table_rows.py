"""Cutting a row of the review's Table 1 into its parts: type, material, particle size and value cells.

A row is one line: the electrode type when it changes ("Cathode", "Anode"), then on a nano row the material
with its reference numbers ("LCO112", "FeF3 (ref.119)"), then the particle size ("300 nm", "0.4–6 µm",
"≥1 µm", or a word such as "Bulk"), then one value cell per column separated by spaces ("776–1,363a",
"93% (50 cycles)", a lone "–" for an empty cell). Problems are recorded where a part does not parse.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..schema import Passage, Role
from ..schema.units import UnitError, parse_unit, registry
from .table_values import END, EXPECTED_VALUE, VALUE, Problems, bounds, tidy, value_problem

ELECTRODE_TYPES = (Role.CATHODE, Role.ANODE)
# "776–1,363a", "≤9 % (10 cycles)", "71% (100 cycles)a", "–"
CELL = re.compile(rf"(?P<empty>–){END}|{VALUE}(?P<pct> ?%)?(?: \((?P<cond>[^()]*)\))?(?P<fn>[a-z])?{END}")
# "0.4–6 µm", "≥1 µm", "Nanosheets"
SIZE = re.compile(rf"(?:{VALUE} (?P<unit>[^\s\d–]+)|(?P<word>[A-Za-z]+)){END}")
# "FeF3 (ref.119)", "Fe2O3 (refs.49,123–125)", or letters with superscript numbers glued on: "LFP113–115"
MATERIAL = re.compile(
    rf"(?:(?P<name>[^\s(]+) \(refs?\.(?P<refs>[\d,–]+)\)|(?P<abbr>[A-Z][A-Za-z]*)(?P<sup>\d[\d,–]*)){END}"
)
WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Size:
    text: str
    min_nm: Decimal | None
    max_nm: Decimal | None


def read_size(match: re.Match[str], problems: Problems) -> Size | None:
    if match["word"]:
        return Size(match[0], None, None)
    where = f"{problems.label}, particle size '{match[0]}'"
    try:
        unit = parse_unit(match["unit"])
    except UnitError as error:
        problems.add(match.start(), f"{where}: {error} (expected a length unit such as 'nm' or 'µm')")
        return None
    length = registry().parse_units(unit.pint)
    if not length.is_compatible_with("nanometer"):
        problems.add(match.start(), f"{where}: '{match['unit']}' is not a length (expected 'nm' or 'µm')")
        return None
    if problem := value_problem(match):
        problems.add(match.start(), f"{where}: {problem}")
        return None
    # pint's factor is a float (999.9999999999999 for µm → nm); 12 significant digits drop the noise
    factor = Decimal(f"{registry().Quantity(1, length).to('nanometer').magnitude:.12g}")
    _, low, high = bounds(match)
    return Size(
        match[0],
        None if low is None else tidy(low * factor),
        None if high is None else tidy(high * factor),
    )


@dataclass(frozen=True)
class Row:
    passage: Passage
    type: str | None
    material: re.Match[str] | None
    size: Size | None
    cells: tuple[re.Match[str], ...]
    readable: bool  # False: problems were recorded and the cells are not to be read

    @property
    def opens_material(self) -> bool:
        return self.material is not None or self.type is not None


def cut_row(text: str, passage: Passage, columns: Sequence[str], problems: Problems) -> Row:
    """Type, material, size and value cells of one row line; problems recorded where it does not parse."""
    end = passage.start + len(text[passage.start : passage.end].rstrip())
    pos = passage.start
    row_type = None
    first = WORD.match(text, pos, end)
    if first and first[0].lower() in {t.value for t in ELECTRODE_TYPES}:
        row_type, pos = first[0].lower(), first.end() + 1
    material = MATERIAL.match(text, pos, end)
    if material:
        pos = material.end() + 1
    elif row_type:
        problems.add(
            pos,
            f"{problems.label}: after the type '{first[0]}' expected the material and its reference "
            "numbers, such as 'LCO112' or 'FeF3 (ref.119)'",
        )
        return Row(passage, row_type, None, None, (), readable=False)
    size = SIZE.match(text, pos, end)
    if not size:
        found = WORD.match(text, pos, end)
        problems.add(
            pos,
            f"{problems.label}, particle size: cannot read '{found[0] if found else ''}' (expected a "
            "size such as '300 nm', '0.4–6 µm' or '≥1 µm', or a word such as 'Bulk')",
        )
        return Row(passage, row_type, material, None, (), readable=False)
    parsed_size = read_size(size, problems)
    cells: list[re.Match[str]] = []
    readable = parsed_size is not None
    pos = size.end()
    while (word := WORD.search(text, pos, end)) is not None:
        cell = CELL.match(text, word.start(), end)
        if cell is None:
            column = columns[len(cells)] if len(cells) < len(columns) else "after the last column"
            problems.add(
                word.start(),
                f"{problems.label}, column '{column}': cannot read '{word[0]}' (expected {EXPECTED_VALUE})",
            )
            readable, cell = False, word
        cells.append(cell)
        pos = cell.end()
    if len(cells) != len(columns):
        names = ", ".join(columns)
        short = len(cells) < len(columns)
        what = "a column is missing" if short else f"extra cell '{cells[len(columns)][0]}'"
        problems.add(
            passage.start,
            f"{problems.label}: row has {len(cells)} value cells after the particle size, "
            f"expected {len(columns)} ({names}): {what}",
        )
        readable = False
    return Row(passage, row_type, material, parsed_size, tuple(cells), readable)
