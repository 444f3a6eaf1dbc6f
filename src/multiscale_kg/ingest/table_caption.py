"""Where a table starts and ends in extracted text, and how its lines are cut into columns.

A table opens at a chunk whose first line is a caption: "Table 1 |", "Table 2.", "Table 3:", "TABLE 4 —",
"Table S1." (the label, its number, then a separator; "Table 1 compares ..." is prose, not a caption).

What follows the caption belongs to the table while it looks like one:

- rows: a chunk of column-separated lines (a tab, " | ", or two or more spaces between cells), or a single
  line with three or more numbers (the review's Table 1 prints one row per line, cells separated by spaces);
- before the first row, up to six short header chunks (four lines at most, no full stop);
- after the rows, one footnote chunk that opens like a footnote: a letter or symbol glued to or spaced
  before a capital ("aBallpark ...", "a Capacities ...", "* Measured ..."), or "Note", "Notes",
  "The table", "Data", "Values".

Anything else ends the table (the review's layout also ends it at a region switch, see ``layout``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from ..schema import Passage, PassageKind

TABLE_CAPTION = re.compile(r"(?P<label>(?:Table|TABLE) (?P<number>S?\d+))\s?(?:[|.:—–]|\s-\s)\s?")
_COLUMN_GAP = re.compile(r"\t+| {2,}| ?\| ?")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_VALUE_CELL = re.compile(r"[~≈<>≤≥±−–-]?\s?\.?\d")
_FOOTNOTE = re.compile(r"(?:[a-z*†‡§¶]\s?(?=[A-Z])|(?:Notes?|The table|Data|Values)\b)")
_MAX_HEADER_CHUNKS = 6
_MAX_HEADER_LINES = 4


class _Line(Protocol):
    text: str


class _Chunk(Protocol):
    @property
    def lines(self) -> Sequence[_Line]: ...


@dataclass(frozen=True)
class Caption:
    label: str  # "Table 2"
    number: str  # "2", "S1"
    end: int  # where the caption's text starts, after the separator


def caption(line: str) -> Caption | None:
    """The caption that opens ``line`` (stripped), or None."""
    match = TABLE_CAPTION.match(line)
    return Caption(match["label"], match["number"], match.end()) if match else None


def column_cells(line: str) -> list[tuple[int, int]]:
    """The (start, end) of each cell of a column-separated line, or [] when it has no column separator."""
    stripped = line.rstrip()
    body_start = len(stripped) - len(stripped.lstrip())
    if not _COLUMN_GAP.search(stripped, body_start):
        return []
    cells, pos = [], body_start
    for gap in _COLUMN_GAP.finditer(stripped, body_start):
        if gap.start() > pos:
            cells.append((pos, gap.start()))
        pos = gap.end()
    if pos < len(stripped):
        cells.append((pos, len(stripped)))
    if stripped.lstrip().startswith("|"):  # a leading pipe opens no cell
        cells = [c for c in cells if c[0] > body_start or stripped[c[0]] != "|"]
    return cells


def is_columned(line: str) -> bool:
    return len(column_cells(line)) >= 2


def is_data_line(line: str) -> bool:
    """A column-separated line with a value cell (after the first, the row's label): "Si NP  50–80  2850"."""
    return any(_VALUE_CELL.match(line, start) for start, _ in column_cells(line)[1:])


def is_footnote(line: str) -> bool:
    """A line that opens like a table footnote: "a Capacities ...", "aBallpark ...", "* ...", "Note: ..."."""
    return _FOOTNOTE.match(line.strip()) is not None


def _is_row_chunk(chunk: _Chunk) -> bool:
    lines = [line.text for line in chunk.lines]
    if all(is_columned(line) for line in lines):
        return any(is_data_line(line) for line in lines)
    return len(lines) == 1 and len(_NUMBER.findall(lines[0])) >= 3


def _is_header_chunk(chunk: _Chunk) -> bool:
    lines = [line.text.strip() for line in chunk.lines]
    if all(is_columned(line.text) for line in chunk.lines):
        return True
    return len(lines) <= _MAX_HEADER_LINES and not any(re.search(r"\.(?:\s|$)", line) for line in lines)


def _is_footnote_chunk(chunk: _Chunk) -> bool:
    return is_footnote(chunk.lines[0].text)


def continues_table(members: Sequence[_Chunk], chunk: _Chunk) -> bool:
    """Whether ``chunk`` still belongs to the table whose caption chunk is ``members[0]``."""
    if _is_row_chunk(chunk):
        return not any(_is_footnote_chunk(c) and not _is_row_chunk(c) for c in _after_rows(members))
    if not any(_is_row_chunk(c) for c in members[1:]) and not _has_columned_lines(members[0]):
        return len(members) <= _MAX_HEADER_CHUNKS and _is_header_chunk(chunk)
    return _is_footnote_chunk(chunk) and not _after_rows(members)


def _has_columned_lines(first: _Chunk) -> bool:
    """A caption chunk that runs on into the table's lines (no blank line after the caption)."""
    return any(is_columned(line.text) for line in first.lines[1:])


def _after_rows(members: Sequence[_Chunk]) -> list[_Chunk]:
    """The chunks after the last row chunk (none when the rows are still going on)."""
    rows = [i for i, chunk in enumerate(members) if i and _is_row_chunk(chunk)]
    last = rows[-1] if rows else (0 if _has_columned_lines(members[0]) else None)
    return [] if last is None else list(members[last + 1 :])


_TABLE_PARTS = {PassageKind.TABLE_HEADER, PassageKind.TABLE_ROW, PassageKind.TABLE_FOOTNOTE}


def table_passages(passages: Sequence[Passage]) -> dict[str, list[Passage]]:
    """Each table's passages by its label ("Table 2"): its title and the table parts that follow it. A label
    printed twice (a table continued on the next page) keeps its first table."""
    tables: dict[str, list[Passage]] = {}
    current: list[Passage] | None = None
    for passage in passages:
        if passage.kind is PassageKind.TABLE_TITLE:
            found = caption(passage.text)
            current = None
            if found is not None and found.label not in tables:
                current = tables[found.label] = [passage]
        elif current is not None and passage.kind in _TABLE_PARTS:
            current.append(passage)
        else:
            current = None
    return tables
