"""Citation markers: reference numbers cited in the body text, and the document's references.

The article cites by number in two ways, and everything else that looks like a number is not a citation.
Other documents cite with brackets ("[3–5]") or parentheses ("(2, 3)"): ``citation_forms`` reads those and
tells which form a document uses. Nothing in the reference list is read for citations.

1. "ref."/"refs." followed by numbers: "(refs.1,4)", "ref.40", "refs.49–53", "(refs.49,123–125)", and caption
   credits "from ref.22, Wiley". The marker is "ref." or "refs." with its numbers; parentheses and a following
   ", Wiley" are not part of it.
2. Superscripts, printed as digits glued to what precedes them:
   - to a word ("vehicle1–3.", "literature41,49,63,97,112–138.") or an abbreviation ("LCO112", "LFP113–115").
     Letters and digits glued together may instead be a chemical formula ("Li4Ti5O12", "Fe0", "Nb4+"). The
     whole alphanumeric token (letters, digits and decimal points, as in "LiMn0.85Fe0.15PO4") is given to
     ``periodictable.formula``, whose strict parser rejects unknown element symbols: if it parses, the token
     is a formula; otherwise its trailing digits are a citation. Two refinements make formulas parse:
     stoichiometry variables ("x" in "LixFePO4") are dropped, and placeholder elements the text defines
     ("MO6 (M = Nb, W)") stand for a real element. Lowercase-initial words never parse as formulas, so
     "step18" is a citation.
   - to a closing parenthesis, when the parenthesised group contains a space: "(versus Li/Li+)97" cites,
     a formula group "(OH)2" does not.
   The marker is the digits alone.
A superscript needs a letter or ")" right before its first digit, so quantities ("100C", "US$150", "20-nm",
"copyright 2012"), figure and table numbers ("fig. 1a", "Table 1"), licences ("by/4.0/") and unit exponents
after a dash ("g–1", "cm–2") never qualify. Digits after a Greek letter are exponents ("λ2"), and digits
followed by "+" or "-" are ion charges ("Li+", "W5+").

Numbers are lists with ranges: "1,4", "49–53", "49,123–125" (an en dash; a hyphen is accepted).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from periodictable import formula as parse_formula

from ..errors import IngestError, Problem, line_of
from ..schema import Citation, Passage, Reference
from .citation_forms import (
    BRACKET,
    PARENTHESIS,
    SUPERSCRIPT,
    Marker,
    bracket_markers,
    citation_style,
    expand_numbers,
    parenthesis_markers,
)
from .cleantext import clean, word_counts
from .references import ReferenceList
from .sentences import sentence_at

__all__ = ["Marker", "expand_numbers", "find_markers", "is_formula", "parse_citations", "placeholder_symbols"]

_NUMBERS = r"\d+(?:[–-]\d+)?(?:,\d+(?:[–-]\d+)?)*"
_REF_WORD = re.compile(r"^[Rr]efs?\.\s?")
_REF = re.compile(rf"\b[Rr]efs?\.\s?(?:{_NUMBERS})")
# An alphanumeric token; a decimal point belongs to it only between digits ("Mn0.85").
_TOKEN = re.compile(r"(?<![A-Za-z0-9])(?:[A-Za-z0-9]|(?<=\d)\.(?=\d))+")
_TRAILING_DIGITS = re.compile(r"(?<=[A-Za-z])\d+$")
_AFTER_PAREN = re.compile(rf"(?<=\))(?:{_NUMBERS})")
# More numbers continuing a superscript that starts inside a token: ",49,63,97,112–138".
_CONTINUATION = re.compile(r"(?:[–-]\d+)?(?:,\d+(?:[–-]\d+)?)*")
# An ion charge right after the digits ("W5+", "O2-"); a hyphen before a word ("-based") is no charge.
_CHARGE = re.compile(r"[+−]|-(?![A-Za-z0-9])")
# A stoichiometry variable after an element symbol: the "x" of "LixFePO4" or "LixSi".
_VARIABLE = re.compile(r"(?<=[A-Za-z])[xyz](?=[A-Z]|$)")
_STAND_IN_ELEMENT = "H"
_SYMBOL = r"[A-Z][a-z]?"
_LIST_SEPARATOR = r"\s*(?:,|/|\band\b|\bor\b)\s*"
# "(M = Nb, W)": a symbol defined as a list of elements.
_DEFINITION = re.compile(rf"\(\s*({_SYMBOL})\s*=\s*({_SYMBOL}(?:{_LIST_SEPARATOR}{_SYMBOL})+)\s*\)")


class MarkerError(ValueError):
    """A "ref." marker whose numbers do not make sense ("ref.53–49"), at ``offset`` of the scanned text."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.offset = offset


@lru_cache(maxsize=4096)
def _parses_as_formula(token: str) -> bool:
    try:
        parse_formula(token)
    except Exception:  # periodictable raises ValueError or a pyparsing error for anything unknown
        return False
    return True


def placeholder_symbols(text: str) -> frozenset[str]:
    """Generic element symbols the text defines: "MO6 (M = Nb, W)" → {"M"}."""
    symbols = set()
    for match in _DEFINITION.finditer(text):
        symbol, members = match.group(1), re.findall(_SYMBOL, match.group(2))
        if not _parses_as_formula(symbol) and all(_parses_as_formula(member) for member in members):
            symbols.add(symbol)
    return frozenset(symbols)


def is_formula(token: str, placeholders: frozenset[str] = frozenset()) -> bool:
    """Whether a token of letters, digits and decimal points is a chemical formula ("Nb16W5O55", "MO6")."""
    if not token[:1].isupper():
        return False
    candidate = _VARIABLE.sub("", token)
    for symbol in placeholders:
        candidate = re.sub(rf"{re.escape(symbol)}(?![a-z])", _STAND_IN_ELEMENT, candidate)
    return _parses_as_formula(candidate)


def _marker(text: str, start: int, end: int, numbers: str) -> Marker | None:
    if end < len(text) and _CHARGE.match(text, end):
        return None
    try:
        expanded = expand_numbers(numbers)
    except ValueError:
        return None
    return Marker(start, end, text[start:end], tuple(expanded))


def _group_has_space(text: str, close: int) -> bool:
    """Whether the parenthesised group ending at ``text[close] == ")"`` contains whitespace."""
    depth = 0
    for i in range(close, -1, -1):
        depth += {")": 1, "(": -1}.get(text[i], 0)
        if depth == 0:
            return any(c.isspace() for c in text[i:close])
    return any(c.isspace() for c in text[:close])  # opened before the scanned text


def _superscripts(text: str, placeholders: frozenset[str]) -> list[Marker]:
    markers = []
    for token in _TOKEN.finditer(text):
        digits = _TRAILING_DIGITS.search(token.group())
        if not digits or is_formula(token.group(), placeholders):
            continue
        start = token.start() + digits.start()
        end = _CONTINUATION.match(text, token.end()).end()
        marker = _marker(text, start, end, text[start:end])
        if marker:
            markers.append(marker)
    for match in _AFTER_PAREN.finditer(text):
        if _group_has_space(text, match.start() - 1):
            marker = _marker(text, match.start(), match.end(), match.group())
            if marker:
                markers.append(marker)
    return markers


def find_markers(
    text: str, placeholders: frozenset[str] = frozenset(), style: str = SUPERSCRIPT
) -> list[Marker]:
    """Citation markers of one passage (its original slice or its clean text), in text order.

    ``placeholders`` are symbols that stand for an element in formulas (see ``placeholder_symbols``).
    ``style`` is the document's form besides "ref." markers: superscripts (the default), brackets or
    parentheses (``citation_forms``). A "ref." marker with a reversed range raises MarkerError; a marker of
    another form with one is not a citation.
    """
    markers = []
    for match in _REF.finditer(text):
        numbers = _REF_WORD.sub("", match.group())
        try:
            expanded = expand_numbers(numbers)
        except ValueError as error:
            raise MarkerError(f"{match.group()!r}: {error}", match.start()) from error
        markers.append(Marker(match.start(), match.end(), match.group(), tuple(expanded)))
    ref_spans = [(m.start, m.end) for m in markers]
    others = {BRACKET: bracket_markers, PARENTHESIS: parenthesis_markers}.get(style)
    for marker in others(text) if others else _superscripts(text, placeholders):
        if not any(start <= marker.start < end for start, end in ref_spans):
            markers.append(marker)
    return sorted(markers, key=lambda m: m.start)


def _sentence(passage: Passage, origin: Sequence[int], offset: int) -> str:
    """The clean sentence of ``passage`` that holds the original ``offset``."""
    start, end = sentence_at(passage.text, bisect_left(origin, offset))
    return passage.text[start:end]


def reference_id(document_id: str, number: int) -> str:
    return f"{document_id}-r{number:03d}"


def parse_citations(
    document_id: str,
    text: str,
    passages: Sequence[Passage],
    *,
    source: str | None = None,
    reference_list: ReferenceList | None = None,
) -> tuple[list[Citation], list[Reference]]:
    """One Citation per cited number at each marker (text order), and the document's references.

    Every passage kind of the body is scanned; nothing from the reference list on (``reference_list``,
    see ``references.find_reference_list``) is, so its page numbers ("A224") and volumes never cite.
    With a list, a marker citing a number the list does not hold is no citation (a sample name such as
    "NCM811", a year in parentheses), and the references are its entries with their printed fields; without
    one, one Reference per number 1..max cited. ``source`` names the file in problem reports (default: the
    document id).
    """
    source = source or document_id
    placeholders = placeholder_symbols(text)
    vocabulary = word_counts(text)  # the vocabulary parse_structure cleaned the passages with
    body_end = reference_list.start if reference_list else len(text)
    body = sorted((p for p in passages if p.start < body_end), key=lambda p: p.start)
    listed = {e.number: e for e in reference_list.entries} if reference_list else None
    style = citation_style((text[p.start : p.end] for p in body), listed is not None)
    citations: list[Citation] = []
    problems: list[Problem] = []

    def report(message: str, offset: int) -> None:
        problems.append(Problem(source, message, line_of(text, offset)))

    for passage in body:
        cleaned = clean(text, passage.start, passage.end, vocabulary)
        if cleaned.text != passage.text:
            report(f"passage {passage.id}: its clean text is not the clean text of its span", passage.start)
            continue
        try:
            markers = find_markers(text[passage.start : passage.end], placeholders, style)
        except MarkerError as error:
            report(f"citation marker {error}", passage.start + error.offset)
            continue
        for marker in markers:
            start = passage.start + marker.start
            if 0 in marker.numbers:
                report(f"citation marker {marker.marker!r} cites reference 0 (numbers start at 1)", start)
                continue
            if listed is not None and not all(n in listed for n in marker.numbers):
                continue
            sentence = _sentence(passage, cleaned.origin, start)
            for number in marker.numbers:
                citations.append(
                    Citation(
                        id=f"{document_id}-c{len(citations) + 1:04d}",
                        document_id=document_id,
                        ref_number=number,
                        ref_id=reference_id(document_id, number),
                        passage_id=passage.id,
                        start=start,
                        end=passage.start + marker.end,
                        marker=marker.marker,
                        sentence=sentence,
                    )
                )
    if problems:
        raise IngestError(problems)
    counts = Counter(citation.ref_number for citation in citations)
    if listed is None:
        return citations, [
            Reference(
                id=reference_id(document_id, n), document_id=document_id, number=n, cited_count=counts[n]
            )
            for n in range(1, max(counts, default=0) + 1)
        ]
    return citations, [
        Reference(
            id=reference_id(document_id, entry.number),
            document_id=document_id,
            number=entry.number,
            cited_count=counts[entry.number],
            authors=entry.authors,
            title=entry.title,
            journal=entry.journal,
            year=entry.year,
            volume=entry.volume,
            pages=entry.pages,
            doi=entry.doi,
            text=entry.text,
            start=entry.start,
            end=entry.end,
        )
        for entry in listed.values()
    ]
