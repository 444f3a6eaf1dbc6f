"""Table 1 (nano versus micro performance) → the materials it lists and one measurement per filled cell.

Each material takes two single-line rows. The first (nano) opens with the material as printed and the
reference numbers beside it ("LCO112", "FeF3 (ref.119)"), after the electrode type when the type changes
("Cathode", "Anode": it carries down). The second (micro) has no material. After the particle size come the
value cells, one per value column of the header, separated by spaces; a lone "–" is an empty cell. Rows are
cut by a small grammar first, then each cell is checked against its column (unit, cycles, rate, footnote).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..errors import IngestError, Problem, line_of
from ..ids import material_id as slug_material
from ..schema import Measurement, Passage, PassageKind, Property, Qualifier, Role, Scale, Source
from ..schema.units import Unit, UnitError, parse_unit, registry
from ..schema.vocab import TABLE1_COLUMNS
from .citations import expand_numbers

TABLE = "Table 1"
ELECTRODE_TYPES = (Role.CATHODE, Role.ANODE)

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_VALUE = rf"(?P<q>[≤≥<>~])?(?P<lo>{_NUM})(?:–(?P<hi>{_NUM}))?"
_END = r"(?=\s|$)"
# "776–1,363a", "≤9 % (10 cycles)", "71% (100 cycles)a", "–"
_CELL = re.compile(rf"(?P<empty>–){_END}|{_VALUE}(?P<pct> ?%)?(?: \((?P<cond>[^()]*)\))?(?P<fn>[a-z])?{_END}")
# "0.4–6 µm", "≥1 µm", "Nanosheets"
_SIZE = re.compile(rf"(?:{_VALUE} (?P<unit>[^\s\d–]+)|(?P<word>[A-Za-z]+)){_END}")
# "FeF3 (ref.119)", "Fe2O3 (refs.49,123–125)", or letters with superscript numbers glued on: "LFP113–115"
_MATERIAL = re.compile(
    rf"(?:(?P<name>[^\s(]+) \(refs?\.(?P<refs>[\d,–]+)\)|(?P<abbr>[A-Z][A-Za-z]*)(?P<sup>\d[\d,–]*)){_END}"
)
_WORD = re.compile(r"\S+")
_CYCLES = re.compile(r"(\d+) cycles")
_C_RATE = re.compile(rf"({_NUM}) ?C")
_CURRENT = re.compile(rf"({_NUM}) (.+)")
# a footnote opens with its letter glued to a capitalised sentence: "aBallpark measurement ... theoretically."
_FOOTNOTE = re.compile(r"(?:(?<=\s)|^)(?P<letter>[a-z])(?P<text>[A-Z][^.]*\.)")
_QUALIFIERS = {
    "≤": Qualifier.LE,
    "≥": Qualifier.GE,
    "<": Qualifier.LT,
    ">": Qualifier.GT,
    "~": Qualifier.APPROX,
}
_EXPECTED_VALUE = "a number, a range such as '776–1,363', a bound such as '≤690', or '–' for no value"


@dataclass(frozen=True)
class TableMaterial:
    name: str
    material_id: str
    type: str
    ref_numbers: tuple[int, ...]
    start: int
    end: int
    line: int


@dataclass(frozen=True)
class Table1:
    materials: tuple[TableMaterial, ...]
    measurements: tuple[Measurement, ...]


@dataclass(frozen=True)
class _Column:
    name: str  # as printed, whitespace collapsed: "Gravimetric capacity"
    property: Property
    unit: Unit | None
    no_unit_reason: str  # why the header gives no unit
    start: int  # where the header names the column


@dataclass(frozen=True)
class _Size:
    text: str
    min_nm: Decimal | None
    max_nm: Decimal | None


class _Problems(list[Problem]):
    def __init__(self, path: str, text: str):
        super().__init__()
        self.path, self.text = path, text
        self._once: set[object] = set()

    def add(self, offset: int, message: str) -> None:
        self.append(Problem(self.path, message, line_of(self.text, offset)))

    def add_once(self, key: object, offset: int, message: str) -> None:
        """A problem of a header column, reported once however many cells meet it."""
        if key not in self._once:
            self._once.add(key)
            self.add(offset, message)


def _number(printed: str) -> Decimal:
    return Decimal(printed.replace(",", ""))


def _tidy(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _bounds(match: re.Match[str]) -> tuple[Qualifier, Decimal | None, Decimal | None]:
    """Qualifier, minimum and maximum of a value group: "≤690" → (<=, None, 690); "65–100" → (=, 65, 100)."""
    low = _number(match["lo"])
    high = _number(match["hi"]) if match["hi"] else low
    qualifier = _QUALIFIERS.get(match["q"] or "", Qualifier.EQ)
    if qualifier in (Qualifier.LE, Qualifier.LT):
        return qualifier, None, high
    if qualifier in (Qualifier.GE, Qualifier.GT):
        return qualifier, low, None
    return qualifier, low, high


def _value_problem(match: re.Match[str]) -> str | None:
    if match["q"] and match["hi"]:
        return f"'{match[0]}' puts a bound on a range (expected either '≤690' or '776–1,363')"
    if match["hi"] and _number(match["hi"]) < _number(match["lo"]):
        return f"range '{match['lo']}–{match['hi']}' is reversed (expected the smaller number first)"
    return None


def _columns(text: str, headers: Sequence[Passage], problems: _Problems) -> list[_Column]:
    """The value columns in printed order, from the header's wording and its parenthesised units."""
    start, end = headers[0].start, headers[-1].end
    found: list[tuple[int, _Column]] = []
    for key, prop in TABLE1_COLUMNS.items():
        words = r"\s+".join(re.escape(word) for word in key.split())
        match = re.compile(rf"({words})(?:\s*\(([^()]*)\))?", re.IGNORECASE).search(text, start, end)
        if not match:
            names = ", ".join(f"'{k}'" for k in TABLE1_COLUMNS)
            problems.add(start, f"{TABLE} header has no column '{key}' (expected the columns {names})")
            continue
        unit, reason = None, "the header gives no unit"
        if match[2] is not None:
            printed = " ".join(match[2].split())
            try:
                unit = parse_unit(printed)
            except UnitError as error:  # "(capacity retention)" describes the column, it is no unit
                reason = f"the header's '({printed})' is not a unit: {error}"
        found.append((match.start(), _Column(" ".join(match[1].split()), prop, unit, reason, match.start())))
    return [column for _, column in sorted(found, key=lambda item: item[0])]


def _footnotes(text: str, passages: Sequence[Passage]) -> dict[str, str]:
    notes: dict[str, str] = {}
    for passage in passages:
        for match in _FOOTNOTE.finditer(text, passage.start, passage.end):
            notes[match["letter"]] = " ".join(match["text"].split())
    return notes


def _size(match: re.Match[str], problems: _Problems) -> _Size | None:
    if match["word"]:
        return _Size(match[0], None, None)
    where = f"{TABLE}, particle size '{match[0]}'"
    try:
        unit = parse_unit(match["unit"])
    except UnitError as error:
        problems.add(match.start(), f"{where}: {error} (expected a length unit such as 'nm' or 'µm')")
        return None
    length = registry().parse_units(unit.pint)
    if not length.is_compatible_with("nanometer"):
        problems.add(match.start(), f"{where}: '{match['unit']}' is not a length (expected 'nm' or 'µm')")
        return None
    if problem := _value_problem(match):
        problems.add(match.start(), f"{where}: {problem}")
        return None
    # pint's factor is a float (999.9999999999999 for µm → nm); 12 significant digits drop the noise
    factor = Decimal(f"{registry().Quantity(1, length).to('nanometer').magnitude:.12g}")
    _, low, high = _bounds(match)
    return _Size(
        match[0],
        None if low is None else _tidy(low * factor),
        None if high is None else _tidy(high * factor),
    )


@dataclass(frozen=True)
class _Row:
    passage: Passage
    type: str | None
    material: re.Match[str] | None
    size: _Size | None
    cells: tuple[re.Match[str], ...]
    readable: bool  # False: problems were recorded and the cells are not to be read

    @property
    def opens_material(self) -> bool:
        return self.material is not None or self.type is not None


def _cut_row(text: str, passage: Passage, columns: Sequence[_Column], problems: _Problems) -> _Row:
    """Type, material, size and value cells of one row line; problems recorded where it does not parse."""
    end = passage.start + len(text[passage.start : passage.end].rstrip())
    pos = passage.start
    row_type = None
    first = _WORD.match(text, pos, end)
    if first and first[0].lower() in {t.value for t in ELECTRODE_TYPES}:
        row_type, pos = first[0].lower(), first.end() + 1
    material = _MATERIAL.match(text, pos, end)
    if material:
        pos = material.end() + 1
    elif row_type:
        problems.add(
            pos,
            f"{TABLE}: after the type '{first[0]}' expected the material and its reference "
            "numbers, such as 'LCO112' or 'FeF3 (ref.119)'",
        )
        return _Row(passage, row_type, None, None, (), readable=False)
    size = _SIZE.match(text, pos, end)
    if not size:
        found = _WORD.match(text, pos, end)
        problems.add(
            pos,
            f"{TABLE}, particle size: cannot read '{found[0] if found else ''}' (expected a "
            "size such as '300 nm', '0.4–6 µm' or '≥1 µm', or a word such as 'Bulk')",
        )
        return _Row(passage, row_type, material, None, (), readable=False)
    parsed_size = _size(size, problems)
    cells: list[re.Match[str]] = []
    readable = parsed_size is not None
    pos = size.end()
    while (word := _WORD.search(text, pos, end)) is not None:
        cell = _CELL.match(text, word.start(), end)
        if cell is None:
            column = columns[len(cells)].name if len(cells) < len(columns) else "after the last column"
            problems.add(
                word.start(),
                f"{TABLE}, column '{column}': cannot read '{word[0]}' (expected {_EXPECTED_VALUE})",
            )
            readable, cell = False, word
        cells.append(cell)
        pos = cell.end()
    if len(cells) != len(columns):
        names = ", ".join(column.name for column in columns)
        short = len(cells) < len(columns)
        what = "a column is missing" if short else f"extra cell '{cells[len(columns)][0]}'"
        problems.add(
            passage.start,
            f"{TABLE}: row has {len(cells)} value cells after the particle size, "
            f"expected {len(columns)} ({names}): {what}",
        )
        readable = False
    return _Row(passage, row_type, material, parsed_size, tuple(cells), readable)


def _condition(cell: re.Match[str], column: _Column, problems: _Problems) -> dict[str, object] | None:
    """cycles for the cycling column, rate_condition for the rate column; nothing elsewhere."""
    where = f"{TABLE}, column '{column.name}': '{cell[0]}'"
    condition = cell["cond"]
    if column.property is Property.CYCLE_RETENTION:
        cycles = _CYCLES.fullmatch(condition or "")
        if cycles:
            return {"cycles": int(cycles[1])}
        problems.add(cell.start(), f"{where} needs the number of cycles, as in '93% (50 cycles)'")
        return None
    if column.property is Property.RATE_RETENTION:
        if c_rate := _C_RATE.fullmatch(condition or ""):
            return {"rate_condition": f"{c_rate[1]}C"}
        if current := _CURRENT.fullmatch(condition or ""):
            try:
                return {"rate_condition": f"{current[1]} {parse_unit(current[2]).display}"}
            except UnitError as error:
                problems.add(
                    cell.start("cond"), f"{where}: {error} (expected a current density such as '1.37 A g–1')"
                )
                return None
        problems.add(cell.start(), f"{where} needs the rate, as in '49.7% (7C)' or '80% (1.37 A g–1)'")
        return None
    if condition is not None:
        problems.add(cell.start(), f"{where}: unexpected '({condition})' (this column takes values only)")
        return None
    return {}


def _unit(cell: re.Match[str], column: _Column, problems: _Problems) -> Unit | None:
    where = f"{TABLE}, column '{column.name}': '{cell[0]}'"
    if cell["pct"]:
        percent = parse_unit("%")
        if column.unit is not None and column.unit.pint != percent.pint:
            problems.add(cell.start(), f"{where} has '%' but the column's unit is '{column.unit.printed}'")
            return None
        return percent
    if column.unit is None:
        message = (
            f"{TABLE}, column '{column.name}' has no unit for '{cell[0]}' (expected '%' in the cell "
            f"or a unit in the header; {column.no_unit_reason})"
        )
        problems.add_once(column, column.start, message)
    return column.unit


def _measurement(
    document_id: str,
    cell: re.Match[str],
    column: _Column,
    row: _Row,
    material: TableMaterial,
    scale: Scale,
    notes: dict[str, str],
    problems: _Problems,
) -> Measurement | None:
    where = f"{TABLE}, column '{column.name}'"
    if problem := _value_problem(cell):
        problems.add(cell.start(), f"{where}: {problem}")
        return None
    letter = cell["fn"]
    if letter and letter not in notes:
        known = ", ".join(sorted(notes)) or "none"
        problems.add(
            cell.start(),
            f"{where}: '{cell[0]}' has footnote '{letter}', which the table's "
            f"footnotes do not define (defined: {known})",
        )
        return None
    unit, condition = _unit(cell, column, problems), _condition(cell, column, problems)
    if unit is None or condition is None or row.size is None:
        return None
    qualifier, low, high = _bounds(cell)
    return Measurement(
        id=f"{document_id}-t1-{material.material_id}-{scale}-{column.property.value.replace('_', '-')}",
        document_id=document_id,
        material_id=material.material_id,
        scale=scale,
        property=column.property,
        value_min=low,
        value_max=high,
        qualifier=qualifier,
        unit_printed=unit.printed,
        unit=unit.display,
        unit_qudt=unit.qudt,
        particle_size_text=row.size.text,
        size_min_nm=row.size.min_nm,
        size_max_nm=row.size.max_nm,
        footnote=letter,
        footnote_text=notes.get(letter) if letter else None,
        source=Source.TABLE1,
        passage_id=row.passage.id,
        quote=cell[0],
        start=cell.start(),
        end=cell.end(),
        value_text=cell[0],
        value_start=cell.start(),
        value_end=cell.end(),
        ref_numbers=material.ref_numbers,
        **condition,
    )


def _table_material(text: str, match: re.Match[str], row_type: str, problems: _Problems) -> TableMaterial:
    name, group = (match["name"], "refs") if match["name"] else (match["abbr"], "sup")
    try:
        refs = tuple(expand_numbers(match[group]))
    except ValueError as error:
        problems.add(
            match.start(),
            f"{TABLE}, material '{name}': {error} (expected reference numbers "
            "such as '113–115' or '49,123–125')",
        )
        refs = ()
    start = match.start("name" if match["name"] else "abbr")
    end = start + len(name)
    return TableMaterial(name, slug_material(name), row_type, refs, start, end, line_of(text, start))


def _no_micro_row(nano_row: Passage, material: TableMaterial | None, problems: _Problems) -> None:
    name = f"material '{material.name}'" if material else "the material"
    problems.add(
        nano_row.start,
        f"{TABLE}: {name} has a nano row but no micro row (expected the micro row on the next line)",
    )


def _table_passages(passages: Sequence[Passage]) -> list[Passage]:
    """The passages of Table 1: its title and the table parts that follow it."""
    table_kinds = {PassageKind.TABLE_HEADER, PassageKind.TABLE_ROW, PassageKind.TABLE_FOOTNOTE}
    found: list[Passage] = []
    for passage in passages:
        if found and passage.kind in table_kinds:
            found.append(passage)
        elif found:
            break
        elif passage.kind is PassageKind.TABLE_TITLE and re.match(rf"{TABLE}\b", passage.text):
            found.append(passage)
    return found


def parse_table1(document_id: str, text: str, passages: Sequence[Passage], path: str) -> Table1 | None:
    """Materials and measurements of Table 1; None when the document has no Table 1.

    Raises IngestError with every problem of the table (header, rows, pairing of nano and micro rows).
    """
    parts = _table_passages(passages)
    if not parts:
        return None
    problems = _Problems(path, text)
    headers = [p for p in parts if p.kind is PassageKind.TABLE_HEADER]
    if not headers:
        problems.add(parts[0].start, f"{TABLE} has no header (expected the column headings after the title)")
        raise IngestError(problems)
    columns = _columns(text, headers, problems)
    if problems:
        raise IngestError(problems)
    notes = _footnotes(text, [p for p in parts if p.kind is PassageKind.TABLE_FOOTNOTE])

    materials: list[TableMaterial] = []
    measurements: list[Measurement] = []
    row_type: str | None = None
    current: TableMaterial | None = None  # None also when the nano row's material could not be read
    awaiting: Passage | None = None  # the nano row whose micro row comes next
    for passage in (p for p in parts if p.kind is PassageKind.TABLE_ROW):
        row = _cut_row(text, passage, columns, problems)
        row_type = row.type or row_type
        if row.opens_material:
            if awaiting is not None:
                _no_micro_row(awaiting, current, problems)
            current, awaiting, scale = None, passage, Scale.NANO
            if row.material:
                if row_type is None:
                    types = " or ".join(repr(t.value.capitalize()) for t in ELECTRODE_TYPES)
                    problems.add(
                        passage.start, f"{TABLE}: the first material has no type (expected {types} before it)"
                    )
                current = _table_material(text, row.material, row_type or "", problems)
                materials.append(current)
        elif awaiting is None:
            problems.add(
                passage.start,
                f"{TABLE}: micro row without its nano row (expected a row opening "
                "with the material and its reference numbers, such as 'LCO112' or "
                "'FeF3 (ref.119)', before this one)",
            )
            continue
        else:
            awaiting, scale = None, Scale.MICRO
        if not row.readable or current is None:
            continue
        for cell, column in zip(row.cells, columns, strict=True):
            if not cell["empty"]:
                made = _measurement(document_id, cell, column, row, current, scale, notes, problems)
                if made is not None:
                    measurements.append(made)
    if awaiting is not None:
        _no_micro_row(awaiting, current, problems)
    if problems:
        raise IngestError(problems)
    return Table1(tuple(materials), tuple(measurements))
