"""Sections and passages: headings, paragraph blocks, captions with their panels, and the table's parts.

Headings are recognised by shape, never by a list of titles. A section heading is the first one or two
lines of a body chunk that are a short run of words with no punctuation, continued by a line that starts
with a capital ("Why the industry prefers\\nmicroparticles\\nDespite ..."). A run-in subheading opens a
chunk with up to five words and a full stop, followed by a capitalised sentence ("Kinetics. Fast-...").
Other papers number their headings ("2. Experimental", "2.1. Synthesis": level 1 and 2), print one-word
headings ("Abstract", "INTRODUCTION") or close with a reference-list heading on a line of its own.
Passages keep the original offsets; the heading or paragraph text is the clean text of that span.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..ids import slugify
from ..schema import Passage, PassageKind, Section
from .cleantext import clean
from .layout import Chunk, Line, Region, RegionKind
from .references import is_reference_heading
from .table_caption import is_columned, is_data_line, is_footnote

_HEADING_WORDS = re.compile(r"[A-Z][A-Za-z]*(?: [A-Za-z]+){1,5}")
_RUN_IN = re.compile(r"([A-Z][a-z]+(?: [A-Za-z]+){0,4})\. (?=[A-Z])")
_PANEL = re.compile(r"(?:(?<=^)|(?<=[.)] ))([a-i](?:,[a-i])*) \| ")
_CREDITS = re.compile(r"(?:Data in panel|Panels? [a-i](?: and [a-i])? (?:adapted|reprinted))")
_NUMBER = re.compile(r"\d")
# "2. Experimental", "2.1. Synthesis", "3.2 Electrochemical performance": a number, words, no full stop
_NUMBERED = re.compile(r"(\d{1,2}(?:\.\d{1,2})*)\.?\s+[A-Z][^.!?:;]*[^.!?:;\s]")
_MAX_HEADING_WORDS = 10
_ONE_WORD = re.compile(r"[A-Z][A-Za-z]{3,}")

INTRODUCTION = "Introduction"


@dataclass
class _Builder:
    document_id: str
    text: str
    vocabulary: Counter[str]
    sections: list[Section] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    top: Section | None = None
    current: Section | None = None

    def section(self, title: str, level: int, start: int | None, end: int | None) -> Section:
        parent = self.top.id if level == 2 and self.top else None
        ident = f"{self.document_id}-{slugify(title)}"
        taken = {s.id for s in self.sections}
        if ident in taken:  # "INTRODUCTION" after the front matter's default "Introduction"
            ident = next(f"{ident}-{n}" for n in range(2, len(taken) + 2) if f"{ident}-{n}" not in taken)
        section = Section(
            id=ident,
            document_id=self.document_id,
            title=title,
            level=level,
            parent_id=parent,
            ordinal=len(self.sections) + 1,
            start=start,
            end=end,
        )
        self.sections.append(section)
        if level == 1:
            self.top = section
        self.current = section
        return section

    def passage(self, kind: PassageKind, start: int, end: int, *, section: bool = True, **extra) -> Passage:
        cleaned = clean(self.text, start, end, self.vocabulary)
        passage = Passage(
            id=f"{self.document_id}-p{len(self.passages) + 1:03d}",
            document_id=self.document_id,
            section_id=self.current.id if section and self.current else None,
            kind=kind,
            ordinal=len(self.passages) + 1,
            start=start,
            end=end,
            text=cleaned.text,
            **extra,
        )
        self.passages.append(passage)
        return passage


def _numbered_heading(chunk: Chunk) -> int:
    """The level of a numbered heading on the chunk's first line ("2. Experimental" 1, "2.1. Synthesis"
    2), alone or followed by a capitalised line; 0 when there is none."""
    lines = [line.text.strip() for line in chunk.lines]
    match = _NUMBERED.fullmatch(lines[0])
    if not match or len(lines[0].split()) > _MAX_HEADING_WORDS:
        return 0
    if len(lines) > 1 and not lines[1][:1].isupper():
        return 0
    return min(match.group(1).count(".") + 1, 2)


def _single_heading(chunk: Chunk) -> bool:
    """A one-word heading ("Abstract", "INTRODUCTION") before a capitalised line, or a reference-list
    heading on a line of its own."""
    lines = [line.text.strip() for line in chunk.lines]
    if is_reference_heading(lines[0]):
        return True
    return len(lines) > 1 and _ONE_WORD.fullmatch(lines[0]) is not None and lines[1][:1].isupper()


def _section_heading(chunk: Chunk) -> int:
    """How many of the chunk's first lines form a section heading (0: none)."""
    lines = [line.text.strip() for line in chunk.lines]
    for k in (1, 2):
        if len(lines) <= k:
            return 0
        heading = " ".join(lines[:k])
        continuation_ok = k == 1 or lines[1][:1].islower()
        if continuation_ok and _HEADING_WORDS.fullmatch(heading) and lines[k][:1].isupper():
            return k
    return 0


def _body_chunk(b: _Builder, chunk: Chunk) -> None:
    start = chunk.start
    level = _numbered_heading(chunk)
    if level or _single_heading(chunk):
        head_end = _line_span(chunk.lines[0])[1]
        b.section(b.text[start:head_end], level or 1, start, head_end)
        b.passage(PassageKind.HEADING, start, head_end)
        if len(chunk.lines) == 1:
            return
        start = _line_span(chunk.lines[1])[0]
        b.passage(PassageKind.PARAGRAPH, start, chunk.end)
        return
    k = _section_heading(chunk)
    if k:
        head_end = chunk.lines[k - 1].start + len(chunk.lines[k - 1].text.rstrip())
        title = clean(b.text, start, head_end).text
        b.section(title, 1, start, head_end)
        b.passage(PassageKind.HEADING, start, head_end)
        start = chunk.lines[k].start + len(chunk.lines[k].text) - len(chunk.lines[k].text.lstrip())
    cleaned = clean(b.text, start, chunk.end, b.vocabulary)
    run_in = _RUN_IN.match(cleaned.text)
    if run_in:
        head_start, head_end = cleaned.to_original(0, run_in.end(1) + 1)
        b.section(run_in.group(1), 2, head_start, head_end)
        b.passage(PassageKind.HEADING, head_start, head_end)
        start = cleaned.to_original(run_in.end(), run_in.end() + 1)[0]
    b.passage(PassageKind.PARAGRAPH, start, chunk.end)


def caption_panels(caption: str) -> dict[str, str]:
    """Panel letter → panel text of a clean caption ("d,e | ..." gives the same text to d and e)."""
    credits = _CREDITS.search(caption)
    body = caption[: credits.start()].rstrip() if credits else caption
    marks = list(_PANEL.finditer(body))
    panels: dict[str, str] = {}
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        stop = following.start() if following else len(body)
        for letter in mark.group(1).split(","):
            panels[letter] = body[mark.end() : stop].strip()
    return panels


def _caption(b: _Builder, region: Region) -> None:
    passage_text = clean(b.text, region.start, region.end, b.vocabulary).text
    b.passage(
        PassageKind.CAPTION,
        region.start,
        region.end,
        section=False,
        figure=region.number,
        panels=caption_panels(passage_text),
    )


def _line_span(line: Line) -> tuple[int, int]:
    stripped = line.text.strip()
    start = line.start + len(line.text) - len(line.text.lstrip())
    return start, start + len(stripped)


def _table(b: _Builder, region: Region) -> None:
    """Title, header (the chunks before the first data row), rows (one line each), footnotes.

    Column-separated lines (``table_caption.is_columned``) are one passage each, whether they follow the
    caption in its own chunk or in a chunk of their own: the first ones are the header until a line with a
    number, then rows.
    """
    title, *rest = region.chunks
    columned = [i for i, line in enumerate(title.lines) if i and is_columned(line.text)]
    title_end = _line_span(title.lines[columned[0] - 1])[1] if columned else title.end
    b.passage(PassageKind.TABLE_TITLE, title.start, title_end, section=False)
    seen_row = _columned_lines(b, [title.lines[i] for i in columned], False)
    for chunk in rest:
        if all(is_columned(line.text) for line in chunk.lines):
            seen_row = _columned_lines(b, chunk.lines, seen_row)
            continue
        single = len(chunk.lines) == 1
        is_row = single and len(_NUMBER.findall(chunk.stripped_first)) >= 3
        seen_row = seen_row or is_row
        if not seen_row:
            kind = PassageKind.TABLE_HEADER
        elif single and not (is_footnote(chunk.stripped_first) and not is_row):
            kind = PassageKind.TABLE_ROW
        else:
            kind = PassageKind.TABLE_FOOTNOTE
        b.passage(kind, chunk.start, chunk.end, section=False)


def _columned_lines(b: _Builder, lines, seen_row: bool) -> bool:
    for line in lines:
        seen_row = seen_row or is_data_line(line.text)
        start, end = _line_span(line)
        b.passage(PassageKind.TABLE_ROW if seen_row else PassageKind.TABLE_HEADER, start, end, section=False)
    return seen_row


def parse_structure(
    document_id: str, text: str, doc_regions: list[Region], vocabulary: Counter[str]
) -> tuple[list[Section], list[Passage]]:
    b = _Builder(document_id, text, vocabulary)
    b.section(INTRODUCTION, 1, None, None)
    for region in doc_regions:
        if region.kind is RegionKind.CAPTION:
            _caption(b, region)
        elif region.kind is RegionKind.TABLE:
            _table(b, region)
        else:
            for chunk in region.chunks:
                _body_chunk(b, chunk)
    return b.sections, b.passages
