"""Every table of a document, each read with the profile that fits it.

A table whose header is the review's Table 1 layout (``table.is_table1_header``) is read by that profile:
its cells become curated measurements, and its problems fail the build as before (the layout is checked by
hand). Any other table is read cell by cell (``table_cells``) and never fails the build: at worst it is
kept as text with a note.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..schema import Measurement, Passage, PassageKind, Table, TableCell
from ..schema.vocab import TableProfile
from .quantities_subjects import MaterialMentions
from .table import Table1, is_table1_header, parse_table1
from .table_caption import caption, table_passages
from .table_cells import read_cells_table


@dataclass(frozen=True)
class DocumentTables:
    tables: tuple[Table, ...]
    cells: tuple[TableCell, ...]
    measurements: tuple[Measurement, ...]


def table1_profile(document_id: str, text: str, passages: Sequence[Passage], path: str) -> Table1 | None:
    """The first table laid out as the review's Table 1, read by that profile (None: the document has none).
    Raises IngestError with its problems."""
    for label, parts in table_passages(passages).items():
        if is_table1_header(text, [p for p in parts if p.kind is PassageKind.TABLE_HEADER]):
            return parse_table1(document_id, text, passages, path, label)
    return None


def read_tables(
    document_id: str,
    text: str,
    passages: Sequence[Passage],
    mentions: MaterialMentions,
    table1: Table1 | None,
) -> DocumentTables:
    """The document's tables in order; the Table 1 profile's (already read as ``table1``) gets its record."""
    tables: list[Table] = []
    cells: list[TableCell] = []
    measurements: list[Measurement] = []
    profiled = {m.passage_id for m in table1.measurements} if table1 else set()
    for label, parts in table_passages(passages).items():
        if profiled and profiled & {p.id for p in parts}:
            found = caption(parts[0].text)
            rows = [p for p in parts if p.kind is PassageKind.TABLE_ROW]
            tables.append(
                Table(
                    id=f"{document_id}-table-{found.number.lower() if found else label}",
                    document_id=document_id,
                    label=label,
                    number=found.number if found else "",
                    caption=parts[0].text[found.end :].strip() if found else parts[0].text,
                    profile=TableProfile.TABLE1,
                    passage_id=parts[0].id,
                    start=parts[0].start,
                    end=parts[-1].end,
                    rows=len(rows),
                    columns=len({m.property for m in table1.measurements}) if table1 else 0,
                )
            )
            continue
        read = read_cells_table(document_id, text, parts, mentions)
        tables.append(read.table)
        cells.extend(read.cells)
        measurements.extend(read.measurements)
    return DocumentTables(tuple(tables), tuple(cells), tuple(measurements))
