"""A document's reference list → one record per numbered entry, with its fields as printed.

The list opens at the document's last line that is only a references heading ("References", "REFERENCES",
"5. References", "Notes and references", "Bibliography", "Literature cited"). Its entries are numbered in
one of four ways, decided by the first entry: "[1] ...", "(1) ...", "1. ..." or "1 ...". An entry runs
until the line that opens the next number, so wrapped lines and lines that begin with a number ("2012) 414")
stay inside their entry. The list ends at the end of the text, or at a blank line followed by a line that
opens no entry (a heading such as "Acknowledgements").

Fields are read from the clean text of an entry, for the three common layouts:

    Elsevier  M.N. Obrovac, L. Christensen, Title, Electrochem. Solid-State Lett. 7 (2004) A93–A96.
    ACS       Yamada, A.; Chung, S. C. Title. J. Electrochem. Soc. 2001, 148, A224–A229.
    Nature    Obrovac, M. N. & Christensen, L. Title. Electrochem. Solid-State Lett. 7, A93–A96 (2004).

The volume–year–pages block anchors the entry: the journal is the text just before it, the authors open
the entry, and the title lies between them. A DOI is read where printed ("https://doi.org/…", "doi:…",
"DOI: …"). A field the entry does not print, or that cannot be told apart, is None (the whole entry is kept
in ``text``); the year alone is read from any entry that prints one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cleantext import clean
from .layout import split_lines

_HEADING = re.compile(
    r"(?:\d+\.?\s+)?(?:references?(?: and notes)?|notes and references|bibliography|literature cited|"
    r"works cited|cited literature)\s*:?",
    re.IGNORECASE,
)
# the opening of an entry in each numbering: the number is group 1
_OPENINGS = {
    "bracket": re.compile(r"\s*\[(\d{1,4})\]\s*"),
    "parenthesis": re.compile(r"\s*\((\d{1,4})\)\s*"),
    "dot": re.compile(r"\s*(\d{1,4})\.\s+"),
    "space": re.compile(r"\s*(\d{1,4})\s+(?=[A-Z])"),
}
_YEAR = r"(?:1[89]|20)\d{2}"
_PAGE = r"[A-Z]?\d+[a-z]?"
_PAGES = rf"{_PAGE}(?:\s?[–\-−]\s?{_PAGE})?"
_VOLUME = r"\d+[A-Za-z]?(?:[–\-−]\d+)?"
# the block after the journal, in the three layouts
_BLOCKS = (
    re.compile(rf"(?P<volume>{_VOLUME})\s*\((?P<year>{_YEAR})\)\s*(?:pp?\.\s?)?(?P<pages>{_PAGES})"),
    re.compile(rf"(?P<year>{_YEAR}),\s*(?P<volume>{_VOLUME}),\s*(?:pp?\.\s?)?(?P<pages>{_PAGES})"),
    re.compile(rf"(?P<volume>{_VOLUME}),\s*(?:pp?\.\s?)?(?P<pages>{_PAGES})\s*\((?P<year>{_YEAR})\)"),
)
_ANY_YEAR = re.compile(rf"(?<!\d)({_YEAR})(?!\d)")
_DOI = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|\bdoi:\s?|\bDOI:?\s?)(10\.\d{4,9}/\S+)", re.IGNORECASE)
_INITIALS = r"(?:[A-Z][a-z]?\.\s?-?)+"
_PARTICLE = r"(?:van|von|de|der|del|da|di|le|la|du)\s"
_SURNAME = rf"(?:{_PARTICLE})*[A-Z][\w'’\-]+(?:\s(?:{_PARTICLE})*[A-Z][\w'’\-]+)?"
_ET_AL = r"et\s?al\."
# "M.N. Obrovac, L. Christensen, " (initials first, comma separated, ending with a comma)
_AUTHORS_FIRST_INITIALS = re.compile(
    rf"(?P<authors>{_INITIALS}\s?{_SURNAME}(?:(?:,|,?\sand|\s&)\s(?:{_INITIALS}\s?{_SURNAME}|{_ET_AL}))*),\s"
)
# "Yamada, A.; Chung, S. C. " or "Obrovac, M. N. & Christensen, L. " (surname first, ending with a full stop)
_AUTHORS_SURNAME_FIRST = re.compile(
    rf"(?P<authors>(?:{_SURNAME},\s{_INITIALS}(?:[;,]\s|\s&\s|,?\sand\s)?)+(?:{_ET_AL})?)\s"
)


def is_reference_heading(line: str) -> bool:
    """Whether a stripped line is a reference-list heading ("References", "5. References")."""
    return _HEADING.fullmatch(line) is not None


@dataclass(frozen=True)
class ReferenceEntry:
    number: int
    start: int  # the entry's span in the original text, from its number to its last character
    end: int
    text: str  # clean text, without the number
    authors: tuple[str, ...]
    title: str | None
    journal: str | None
    year: int | None
    volume: str | None
    pages: str | None
    doi: str | None


@dataclass(frozen=True)
class ReferenceList:
    start: int  # where the heading starts: nothing from here on is body text
    end: int
    numbering: str  # a key of _OPENINGS
    entries: tuple[ReferenceEntry, ...]


def find_reference_list(text: str) -> ReferenceList | None:
    """The reference list of ``text`` and its entries; None when the text prints no numbered list."""
    lines = split_lines(text)
    headings = [i for i, line in enumerate(lines) if is_reference_heading(line.text.strip())]
    if not headings:
        return None
    first = next((i for i in range(headings[-1] + 1, len(lines)) if not lines[i].blank), None)
    if first is None:
        return None
    numbering = next((name for name, p in _OPENINGS.items() if p.match(lines[first].text)), None)
    if numbering is None:
        return None
    opening = _OPENINGS[numbering]
    spans: list[tuple[int, int, int]] = []  # number, start, end
    expected = int(opening.match(lines[first].text).group(1))
    after_blank = False
    for line in lines[first:]:
        if line.blank:
            after_blank = True
            continue
        match = opening.match(line.text)
        if match and int(match.group(1)) == expected:
            spans.append((expected, line.start + match.end(), line.end))
            expected += 1
        elif after_blank:
            break  # a blank line, then something that opens no entry: the list is over
        else:
            number, start, _ = spans[-1]
            spans[-1] = (number, start, line.end)
        after_blank = False
    entries = tuple(_entry(text, number, start, end) for number, start, end in spans)
    return ReferenceList(lines[headings[-1]].start, entries[-1].end, numbering, entries)


def _entry(text: str, number: int, start: int, end: int) -> ReferenceEntry:
    end = start + len(text[start:end].rstrip())
    entry = clean(text, start, end).text
    doi_match = _DOI.search(entry)
    doi = doi_match.group(1).rstrip(".,;") if doi_match else None
    printed = entry[: doi_match.start()].rstrip() if doi_match else entry
    block = _block(printed)
    authors, after_authors = _authors(printed)
    title = journal = None
    if block is not None:
        head = printed[after_authors : block.start()].strip().rstrip(",")
        title, journal = _title_and_journal(
            head, surname_first=_AUTHORS_SURNAME_FIRST.match(printed) is not None
        )
        year = int(block["year"])
        volume, pages = block["volume"], block["pages"]
    else:
        years = _ANY_YEAR.findall(printed)
        year, volume, pages = (int(years[-1]) if years else None), None, None
    return ReferenceEntry(number, start, end, entry, authors, title, journal, year, volume, pages, doi)


def _block(printed: str) -> re.Match[str] | None:
    """The last volume–year–pages block of the entry, in whichever layout it is printed."""
    found = [m for pattern in _BLOCKS for m in pattern.finditer(printed)]
    return max(found, key=lambda m: m.start()) if found else None


def _authors(printed: str) -> tuple[tuple[str, ...], int]:
    """The authors as printed and where the text after them starts (0 when no author list is read)."""
    for pattern in (_AUTHORS_SURNAME_FIRST, _AUTHORS_FIRST_INITIALS):
        match = pattern.match(printed)
        if match:
            listed = match["authors"].strip()
            if pattern is _AUTHORS_SURNAME_FIRST:
                names = re.split(r";\s|\s&\s|,?\sand\s|(?<=\.),\s(?=[A-Z][a-z])", listed)
            else:
                names = re.split(r",\s|,?\sand\s|\s&\s", listed)
            names = [
                n.strip().rstrip(";,") for n in names if n.strip() and not re.fullmatch(_ET_AL, n.strip())
            ]
            return tuple(names), match.end()
    return (), 0


def _title_and_journal(head: str, *, surname_first: bool) -> tuple[str | None, str | None]:
    """Split "Title. J. Electrochem. Soc." (ACS, Nature) or "Title, Adv. Mater." (Elsevier)."""
    if surname_first:
        cut = head.find(". ")
        if cut < 0:
            return None, head or None
        return head[: cut + 1].rstrip(".") or None, head[cut + 2 :].strip() or None
    cut = head.rfind(", ")
    if cut < 0:
        return None, head or None
    return head[:cut].strip() or None, head[cut + 2 :].strip() or None
