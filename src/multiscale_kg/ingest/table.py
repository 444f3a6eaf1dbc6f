"""The review's Table 1 profile (nano versus micro performance) → its materials and one curated
measurement per filled cell.

A table is read with this profile when its header names at least three of Table 1's five columns
(``is_table1_header``); any other table is read cell by cell (``table_cells``).

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

from ..errors import IngestError, line_of
from ..ids import material_id as slug_material
from ..schema import Measurement, Passage, PassageKind, Property, Scale, Source
from ..schema.units import Unit, UnitError, parse_unit
from ..schema.vocab import TABLE1_COLUMNS
from .citation_forms import expand_numbers
from .table_caption import table_passages
from .table_rows import ELECTRODE_TYPES, Row, cut_row
from .table_values import NUM, Problems, bounds, value_problem

TABLE = "Table 1"
_PROFILE_COLUMNS = 3  # of the five

_CYCLES = re.compile(r"(\d+) cycles")
_C_RATE = re.compile(rf"({NUM}) ?C")
_CURRENT = re.compile(rf"({NUM}) (.+)")
# a footnote opens with its letter glued to a capitalised sentence: "aBallpark measurement ... theoretically."
_FOOTNOTE = re.compile(r"(?:(?<=\s)|^)(?P<letter>[a-z])(?P<text>[A-Z][^.]*\.)")


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


def _columns(text: str, headers: Sequence[Passage], problems: Problems) -> list[_Column]:
    """The value columns in printed order, from the header's wording and its parenthesised units."""
    start, end = headers[0].start, headers[-1].end
    found: list[tuple[int, _Column]] = []
    for key, prop in TABLE1_COLUMNS.items():
        words = r"\s+".join(re.escape(word) for word in key.split())
        match = re.compile(rf"({words})(?:\s*\(([^()]*)\))?", re.IGNORECASE).search(text, start, end)
        if not match:
            names = ", ".join(f"'{k}'" for k in TABLE1_COLUMNS)
            problems.add(
                start, f"{problems.label} header has no column '{key}' (expected the columns {names})"
            )
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


def _condition(cell: re.Match[str], column: _Column, problems: Problems) -> dict[str, object] | None:
    """cycles for the cycling column, rate_condition for the rate column; nothing elsewhere."""
    where = f"{problems.label}, column '{column.name}': '{cell[0]}'"
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


def _unit(cell: re.Match[str], column: _Column, problems: Problems) -> Unit | None:
    where = f"{problems.label}, column '{column.name}': '{cell[0]}'"
    if cell["pct"]:
        percent = parse_unit("%")
        if column.unit is not None and column.unit.pint != percent.pint:
            problems.add(cell.start(), f"{where} has '%' but the column's unit is '{column.unit.printed}'")
            return None
        return percent
    if column.unit is None:
        message = (
            f"{problems.label}, column '{column.name}' has no unit for '{cell[0]}' (expected '%' in the cell "
            f"or a unit in the header; {column.no_unit_reason})"
        )
        problems.add_once(column, column.start, message)
    return column.unit


def _measurement(
    document_id: str,
    cell: re.Match[str],
    column: _Column,
    row: Row,
    material: TableMaterial,
    scale: Scale,
    notes: dict[str, str],
    problems: Problems,
) -> Measurement | None:
    where = f"{problems.label}, column '{column.name}'"
    if problem := value_problem(cell):
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
    qualifier, low, high = bounds(cell)
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


def _table_material(text: str, match: re.Match[str], row_type: str, problems: Problems) -> TableMaterial:
    name, group = (match["name"], "refs") if match["name"] else (match["abbr"], "sup")
    try:
        refs = tuple(expand_numbers(match[group]))
    except ValueError as error:
        problems.add(
            match.start(),
            f"{problems.label}, material '{name}': {error} (expected reference numbers "
            "such as '113–115' or '49,123–125')",
        )
        refs = ()
    start = match.start("name" if match["name"] else "abbr")
    end = start + len(name)
    return TableMaterial(name, slug_material(name), row_type, refs, start, end, line_of(text, start))


def _no_micro_row(nano_row: Passage, material: TableMaterial | None, problems: Problems) -> None:
    name = f"material '{material.name}'" if material else "the material"
    problems.add(
        nano_row.start,
        f"{problems.label}: {name} has a nano row but no micro row (expected the micro row on the next line)",
    )


def is_table1_header(text: str, headers: Sequence[Passage]) -> bool:
    """Whether a table's header is the review's Table 1 layout: it names most of Table 1's columns (so that
    a header that lost one is still read by this profile, and its missing column reported)."""
    if not headers:
        return False
    printed = " ".join(text[headers[0].start : headers[-1].end].split()).lower()
    return sum(key in printed for key in TABLE1_COLUMNS) >= _PROFILE_COLUMNS


def parse_table1(
    document_id: str, text: str, passages: Sequence[Passage], path: str, label: str = TABLE
) -> Table1 | None:
    """Materials and measurements of the table ``label`` read with the Table 1 profile; None when the
    document has no such table.

    Raises IngestError with every problem of the table (header, rows, pairing of nano and micro rows).
    """
    parts = table_passages(passages).get(label, [])
    if not parts:
        return None
    problems = Problems(path, text, label)
    headers = [p for p in parts if p.kind is PassageKind.TABLE_HEADER]
    if not headers:
        problems.add(
            parts[0].start, f"{problems.label} has no header (expected the column headings after the title)"
        )
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
        row = cut_row(text, passage, [c.name for c in columns], problems)
        row_type = row.type or row_type
        if row.opens_material:
            if awaiting is not None:
                _no_micro_row(awaiting, current, problems)
            current, awaiting, scale = None, passage, Scale.NANO
            if row.material:
                if row_type is None:
                    types = " or ".join(repr(t.value.capitalize()) for t in ELECTRODE_TYPES)
                    problems.add(
                        passage.start,
                        f"{problems.label}: the first material has no type (expected {types} before it)",
                    )
                current = _table_material(text, row.material, row_type or "", problems)
                materials.append(current)
        elif awaiting is None:
            problems.add(
                passage.start,
                f"{problems.label}: micro row without its nano row (expected a row opening "
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
