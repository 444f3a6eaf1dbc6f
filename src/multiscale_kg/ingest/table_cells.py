"""A table of any shape → its cells, and measurements from the cells under a property header.

The header and row lines are column-separated (a tab, " | ", or two or more spaces: ``table_caption``).
Header lines and rows are matched column by column; where a row has fewer or more cells than the header
(space-aligned columns with an empty cell), each cell goes to the header column its text starts under. A
table whose rows cannot be matched to its header, or that has no column-separated header and rows, is kept
as text with a note saying why, never a failed build.

A column is measured when its header names a unit in parentheses ("Reversible capacity (mA h g−1)",
"ICE (%)", "Ionic conductivity (S cm−1)"): the unit and the header's words give the property
(``quantities_properties``), the header or the caption its conditions ("after 500 cycles", "at 0.2 A
g−1"). Each numeric cell of such a column is an automatic measurement (``source='table'``): "50–80" is a
range, "≤5" a bound, "2.1 × 10−6" a power of ten. The first column names the row (its ``sample``; its
material when it mentions one clearly). A particle size column also gives each measurement of its row its
particle size.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..schema import Measurement, Method, Passage, PassageKind, Property, Qualifier, Source, Table, TableCell
from ..schema.units import Unit, UnitError, parse_unit, registry
from ..schema.vocab import TableProfile
from .cleantext import clean
from .quantities_properties import classify, cycles_in, rate_in
from .quantities_subjects import MaterialMentions
from .table_caption import caption, column_cells
from .table_values import NUM, QUALIFIERS

# "50–80", "≤5", "~93", "2.1 × 10−6", "(2.4 ± 0.3) × 10−12", "71.2a"
_CELL_VALUE = re.compile(
    rf"\(?(?P<q>[≤≥<>~≈])?\s?(?P<lo>{NUM})(?:\s?[–\-−]\s?(?P<hi>{NUM}))?(?:\s?±\s?{NUM})?\)?"
    r"(?:\s?[×x]\s?10(?P<sign>[–\-−]?)(?P<power>\d{1,2}))?\s?(?P<fn>[a-z*†‡])?"
)
_HEADER_UNIT = re.compile(r"\(([^()]*)\)\s*$")


@dataclass(frozen=True)
class _Column:
    header: str
    start: int  # the header cell's column position in its line
    unit: Unit | None
    property: Property | None


@dataclass(frozen=True)
class CellsTable:
    table: Table
    cells: tuple[TableCell, ...]
    measurements: tuple[Measurement, ...]


def _table(document_id: str, text: str, parts: Sequence[Passage], profile: TableProfile, **extra) -> Table:
    title = parts[0]
    found = caption(title.text)
    label = found.label if found else title.text.split(".")[0]
    number = found.number if found else ""
    caption_text = title.text[found.end :].strip() if found else title.text
    return Table(
        id=f"{document_id}-table-{number.lower() or len(parts)}",
        document_id=document_id,
        label=label,
        number=number,
        caption=caption_text,
        profile=profile,
        passage_id=title.id,
        start=title.start,
        end=parts[-1].end,
        **extra,
    )


def _as_text(document_id: str, text: str, parts: Sequence[Passage], note: str) -> CellsTable:
    return CellsTable(
        _table(document_id, text, parts, TableProfile.TEXT, note=note, rows=0, columns=0), (), ()
    )


def _columns(text: str, headers: Sequence[Passage]) -> list[_Column]:
    """Header columns; a header printed over several lines is joined column by column."""
    lines = [(p, column_cells(text[p.start : p.end])) for p in headers]
    first, first_cells = lines[0]
    names = [[text[first.start + a : first.start + b]] for a, b in first_cells]
    starts = [a for a, _ in first_cells]
    for passage, cells in lines[1:]:
        for a, b in cells:
            names[_column_at(starts, a)].append(text[passage.start + a : passage.start + b])
    columns = []
    for printed, start in zip(names, starts, strict=True):
        header = " ".join(" ".join(printed).split())
        unit = _header_unit(header)
        words = _HEADER_UNIT.sub("", header)
        columns.append(_Column(header, start, unit, classify(unit, words) if unit else None))
    return columns


def _header_unit(header: str) -> Unit | None:
    match = _HEADER_UNIT.search(header)
    if not match:
        return None
    try:
        return parse_unit(match.group(1))
    except (UnitError, ValueError):
        return None  # "(tetragonal)" describes the column, it is no unit


def _column_at(starts: Sequence[int], position: int) -> int:
    """The column whose header starts at or before ``position`` (the nearest one)."""
    index = 0
    for k, start in enumerate(starts):
        if start <= position + 1:
            index = k
    return index


def _value(printed: str) -> tuple[Qualifier, Decimal | None, Decimal | None] | None:
    match = _CELL_VALUE.fullmatch(printed.strip())
    if match is None:
        return None
    low = Decimal(match["lo"].replace(",", ""))
    high = Decimal(match["hi"].replace(",", "")) if match["hi"] else low
    if high < low:
        return None
    if match["power"]:
        factor = Decimal(10) ** (int(match["power"]) * (-1 if match["sign"] else 1))
        low, high = low * factor, high * factor
    qualifier = QUALIFIERS.get(match["q"] or "", Qualifier.APPROX if match["q"] == "≈" else Qualifier.EQ)
    if qualifier in (Qualifier.LE, Qualifier.LT):
        return qualifier, None, high
    if qualifier in (Qualifier.GE, Qualifier.GT):
        return qualifier, low, None
    return qualifier, low, high


def _nanometres(
    unit: Unit, low: Decimal | None, high: Decimal | None
) -> tuple[Decimal | None, Decimal | None]:
    factor = Decimal(
        f"{registry().Quantity(1, registry().parse_units(unit.pint)).to('nanometer').magnitude:.12g}"
    )
    return (None if low is None else low * factor), (None if high is None else high * factor)


def read_cells_table(
    document_id: str, text: str, parts: Sequence[Passage], mentions: MaterialMentions
) -> CellsTable:
    """The table whose passages are ``parts`` (its title first), read as cells."""
    headers = [p for p in parts if p.kind is PassageKind.TABLE_HEADER and column_cells(text[p.start : p.end])]
    rows = [p for p in parts if p.kind is PassageKind.TABLE_ROW]
    if not headers or not rows:
        return _as_text(document_id, text, parts, "no column-separated header and rows; kept as text")
    columns = _columns(text, headers)
    starts = [c.start for c in columns]
    table_rows: list[list[tuple[int, int, int]]] = []  # per row: (column index, start, end) original offsets
    for number, row in enumerate(rows, start=1):
        cells = column_cells(text[row.start : row.end])
        if not cells:
            return _as_text(document_id, text, parts, f"row {number} is not column-separated; kept as text")
        if len(cells) == len(columns):
            placed = [(k, row.start + a, row.start + b) for k, (a, b) in enumerate(cells)]
        else:
            placed = [(_column_at(starts, a), row.start + a, row.start + b) for a, b in cells]
            if len({k for k, _, _ in placed}) != len(placed):
                return _as_text(
                    document_id,
                    text,
                    parts,
                    f"row {number} has {len(cells)} cells for {len(columns)} header columns and they cannot "
                    "be placed under them; kept as text",
                )
        table_rows.append(placed)
    table = _table(document_id, text, parts, TableProfile.CELLS, rows=len(rows), columns=len(columns))
    cells = [
        TableCell(
            id=f"{table.id}-r{r:02d}-c{k + 1}",
            document_id=document_id,
            table_id=table.id,
            passage_id=rows[r - 1].id,
            row=r,
            column=k + 1,
            header=columns[k].header,
            text=text[start:end],
            start=start,
            end=end,
        )
        for r, placed in enumerate(table_rows, start=1)
        for k, start, end in placed
    ]
    caption_text = clean(text, parts[0].start, parts[0].end).text
    measurements = _measurements(table, columns, cells, rows, caption_text, mentions)
    return CellsTable(table, tuple(cells), tuple(measurements))


def _measurements(
    table: Table,
    columns: Sequence[_Column],
    cells: Sequence[TableCell],
    rows: Sequence[Passage],
    caption_text: str,
    mentions: MaterialMentions,
) -> list[Measurement]:
    by_row: dict[int, dict[int, TableCell]] = {}
    for cell in cells:
        by_row.setdefault(cell.row, {})[cell.column - 1] = cell
    size_column = next((k for k, c in enumerate(columns) if c.property is Property.PARTICLE_SIZE), None)
    found: list[Measurement] = []
    for r, row_cells in sorted(by_row.items()):
        label = row_cells.get(0)
        sample = label.text.strip() if label is not None and _value(label.text) is None else None
        found_mentions = mentions.find(sample) if sample else []
        material = (
            found_mentions[0].material_id if len({m.material_id for m in found_mentions}) == 1 else None
        )
        size = _size(columns, row_cells.get(size_column)) if size_column is not None else (None, None, None)
        for k, cell in sorted(row_cells.items()):
            column = columns[k]
            value = _value(cell.text)
            if column.unit is None or column.property is None or value is None:
                continue
            qualifier, low, high = value
            found.append(
                Measurement(
                    id=cell.id,
                    document_id=table.document_id,
                    material_id=material,
                    sample=sample,
                    property=column.property,
                    value_min=low,
                    value_max=high,
                    qualifier=qualifier,
                    unit_printed=column.unit.printed,
                    unit=column.unit.display,
                    unit_qudt=column.unit.qudt,
                    particle_size_text=size[0],
                    size_min_nm=size[1],
                    size_max_nm=size[2],
                    cycles=cycles_in(column.header),
                    rate_condition=rate_in(column.header) or rate_in(caption_text),
                    footnote=_CELL_VALUE.fullmatch(cell.text.strip())["fn"],
                    source=Source.TABLE,
                    method=Method.AUTOMATIC,
                    table_id=table.id,
                    passage_id=rows[r - 1].id,
                    quote=cell.text,
                    start=cell.start,
                    end=cell.end,
                    value_text=cell.text,
                    value_start=cell.start,
                    value_end=cell.end,
                )
            )
    return found


def _size(
    columns: Sequence[_Column], cell: TableCell | None
) -> tuple[str | None, Decimal | None, Decimal | None]:
    """A row's particle size: its text with the column's unit, and its bounds in nanometres."""
    if cell is None:
        return None, None, None
    value = _value(cell.text)
    unit = columns[cell.column - 1].unit
    if value is None or unit is None:
        return None, None, None
    low, high = _nanometres(unit, value[1], value[2])
    return f"{cell.text.strip()} {unit.display}", low, high
