"""Page layout of a PDF text extraction: lines, chunks and regions, with original offsets.

The extraction interleaves two text columns, figure captions and Table 1. Two signals survive in the text:
a blank line ends a chunk, and a line indented by one space starts a new region (the extractor's column
or float switch). A region that opens with "Fig. N |" is a caption and runs until the next region switch;
one that opens with a table caption ("Table N |", "Table N.", see ``table_caption``) is a table and runs
until the next region switch or the first chunk that no longer looks like part of a table; everything else
is body text. Page furniture (running heads, the
publisher's URL, the letter-spaced section label) is recognised by its shape and dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from .table_caption import caption as table_caption
from .table_caption import continues_table


class RegionKind(StrEnum):
    BODY = "body"
    CAPTION = "caption"
    TABLE = "table"


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, as an editor shows it
    start: int
    end: int  # exclusive, without the newline
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def switches_region(self) -> bool:
        return self.text.startswith(" ") and not self.blank


@dataclass(frozen=True)
class Chunk:
    """Consecutive non-blank lines: a paragraph piece, a heading, a table row."""

    lines: tuple[Line, ...]

    @property
    def start(self) -> int:
        first = self.lines[0]
        return first.start + (len(first.text) - len(first.text.lstrip()))

    @property
    def end(self) -> int:
        last = self.lines[-1]
        return last.start + len(last.text.rstrip())

    @property
    def first_line(self) -> int:
        return self.lines[0].number

    @property
    def switches_region(self) -> bool:
        return self.lines[0].switches_region

    @property
    def stripped_first(self) -> str:
        return self.lines[0].text.strip()


@dataclass(frozen=True)
class Region:
    kind: RegionKind
    chunks: tuple[Chunk, ...]
    number: int | None = None  # the figure or table number ("Table S1" has none)
    label: str | None = None  # a table's label as printed: "Table 2", "Table S1"

    @property
    def start(self) -> int:
        return self.chunks[0].start

    @property
    def end(self) -> int:
        return self.chunks[-1].end


_FURNITURE = (
    re.compile(r"[0-9();:]{10,}"),  # the journal's running "0123456789();:" marker
    re.compile(r"www\.[\w.-]+/\S*"),  # the publisher's URL footer
    re.compile(r"(?:\S ){4,}\S"),  # letter-spaced label: "P e r s P e c t i v e s"
)
_CAPTION_START = re.compile(r"Fig\. (\d+) \|")


def split_lines(text: str) -> list[Line]:
    lines, offset = [], 0
    for number, raw in enumerate(text.split("\n"), start=1):
        lines.append(Line(number, offset, offset + len(raw), raw))
        offset += len(raw) + 1
    return lines


def is_furniture(chunk: Chunk) -> bool:
    return len(chunk.lines) == 1 and any(p.fullmatch(chunk.stripped_first) for p in _FURNITURE)


def split_chunks(lines: list[Line]) -> list[Chunk]:
    chunks: list[Chunk] = []
    current: list[Line] = []
    for line in lines:
        if line.blank or line.switches_region:
            if current:
                chunks.append(Chunk(tuple(current)))
            current = [] if line.blank else [line]
        else:
            current.append(line)
    if current:
        chunks.append(Chunk(tuple(current)))
    return chunks


def regions(text: str) -> list[Region]:
    """The document's regions in extraction order, furniture removed."""
    out: list[Region] = []
    kind, number, label, members = RegionKind.BODY, None, None, []

    def flush() -> None:
        if members:
            out.append(Region(kind, tuple(members), number, label))

    for chunk in split_chunks(split_lines(text)):
        if is_furniture(chunk):
            continue
        caption = _CAPTION_START.match(chunk.stripped_first)
        table = table_caption(chunk.stripped_first)
        table_over = kind is RegionKind.TABLE and not continues_table(members, chunk)
        if caption or table or table_over or (chunk.switches_region and kind is not RegionKind.BODY):
            flush()
            members = []
            if caption:
                kind, number, label = RegionKind.CAPTION, int(caption.group(1)), None
            elif table:
                kind, label = RegionKind.TABLE, table.label
                number = int(table.number) if table.number.isdigit() else None
            else:
                kind, number, label = RegionKind.BODY, None, None
        members.append(chunk)
    flush()
    return out
