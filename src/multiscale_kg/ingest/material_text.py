"""What the text says about materials: formula tokens, the clean text of every passage for token and word
searches, and the abbreviations it defines (see ``materials.py`` for the rules)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..schema import Passage
from ..schema.formulas import STRICT_FORMULA, Formula, parse_formula
from .cleantext import clean, word_counts
from .quotes import QuoteIndex, QuoteMatch

_POLYMORPH = re.compile(r"([αβγδ])[-‐‑]")
_COMPOSITE = re.compile(r"[A-Z][a-z]?(?:[–-][A-Z][a-z]?)+")
_TOKEN = re.compile(r"[^\s(),;:/\[\]]+")
_POLYHEDRA = ("octahedr", "tetrahedr", "polyhedr", "bipyramid")
_SHORT_FORM = re.compile(r"\(([A-Za-z][A-Za-z0-9–-]*)\)(?!\w)")
_GLOSSARY_ENTRY = r"[A-Za-z][A-Za-z0-9–-]*, [a-z][a-z –-]*[a-z]"
_GLOSSARY = re.compile(rf"(?<![\w–-]){_GLOSSARY_ENTRY}(?:; {_GLOSSARY_ENTRY})+(?=\.)")


# ---- formulas ---------------------------------------------------------------------------------------------


def composite_elements(printed: str) -> tuple[str, ...] | None:
    """Elements of a composite or alloy printed as symbols joined by dashes ("C–S", "Mg–Si"), or None."""
    if not _COMPOSITE.fullmatch(printed):
        return None
    symbols = re.split(r"[–-]", printed)
    if not all(parse_formula(symbol) for symbol in symbols):
        return None
    return tuple(sorted(set(symbols)))


def split_polymorph(token: str) -> tuple[str, str]:
    """("α", "Fe2O3") for "α-Fe2O3"; ("", token) without a polymorph prefix."""
    match = _POLYMORPH.match(token)
    return (match.group(1), token[match.end() :]) if match else ("", token)


def is_polyhedron(clean_text: str, end: int) -> bool:
    """Does the formula ending at ``end`` name a polyhedron ("NbO6 and WO6 octahedra")?"""
    for word in clean_text[end:].split()[:6]:
        word = word.strip(",.;:()")
        if word in ("and", "or") or STRICT_FORMULA.fullmatch(word):
            continue
        return word.lower().startswith(_POLYHEDRA)
    return False


def compound_formula(token: str) -> Formula | None:
    """The formula of a token that names a compound (rules in the module docstring), before context checks."""
    _, printed = split_polymorph(token)
    if printed.isupper() and not any(c.isdigit() for c in printed):
        return None
    formula = parse_formula(printed)
    return formula if formula and len(formula.atoms) >= 2 else None


# ---- the text, passage by passage --------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    text: str
    start: int  # original offsets
    end: int
    clean_text: str  # the passage's clean text and the token's end in it, for context
    clean_end: int


class MaterialText:
    """The clean text of every passage, for token and word searches mapped back to original offsets."""

    def __init__(self, text: str, passages: Sequence[Passage]):
        vocabulary = word_counts(text)
        self.passages = [(p, clean(text, p.start, p.end, vocabulary)) for p in passages]
        self._clean = {p.id: cleaned.text for p, cleaned in self.passages}
        self.tokens = list(self._tokens())
        self.quotes = QuoteIndex(text, passages)

    def _tokens(self) -> Iterator[Token]:
        for _, cleaned in self.passages:
            for match in _TOKEN.finditer(cleaned.text):
                token = match.group().rstrip(".,;:")
                if token:
                    end = match.start() + len(token)
                    start, stop = cleaned.to_original(match.start(), end)
                    yield Token(token, start, stop, cleaned.text, end)

    def clean_span(self, match: QuoteMatch) -> str:
        """A quote as the clean text prints it (dashes and quotes as in the article)."""
        return self._clean[match.passage_id][match.clean_start : match.clean_end]

    def words(self, phrase: str) -> Iterator[tuple[int, int]]:
        """Original spans of ``phrase`` as whole words, ignoring case ("Silicon", "red phosphorus85")."""
        found = _WholeWords(phrase)
        for _, cleaned in self.passages:
            for start, end in found.spans(cleaned.text):
                yield cleaned.to_original(start, end)


class _WholeWords:
    """Where a phrase occurs as whole words, ignoring case: what ``bounded.finditer`` finds, found faster.

    A pattern that starts with a look-behind is tried at every position of the text; the phrase alone is
    searched for as a literal. So the phrase is searched for first, and the whole pattern is tried only where
    it occurs: from the next position on when it is not whole words there, since another occurrence may
    overlap this one."""

    def __init__(self, phrase: str):
        self.plain = re.compile(re.escape(phrase), re.IGNORECASE)
        self.bounded = re.compile(rf"(?<![^\W\d_]){re.escape(phrase)}(?![^\W\d_])", re.IGNORECASE)

    def spans(self, text: str) -> Iterator[tuple[int, int]]:
        position = 0
        while (candidate := self.plain.search(text, position)) is not None:
            whole = self.bounded.match(text, candidate.start())  # the look-behind sees the text before it
            if whole is None:
                position = candidate.start() + 1
                continue
            yield whole.span()
            position = max(whole.end(), whole.start() + 1)


# ---- abbreviations -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Definition:
    """A short form the text defines: "lithium titanium oxide (Li4Ti5O12 (LTO))"."""

    short: str
    long: str | None  # "lithium titanium oxide"; None when only a formula defines it
    formula: str | None  # "Li4Ti5O12"
    quote: str  # the definition in clean text


def _long_form_start(short: str, before: str) -> int | None:
    """Schwartz & Hearst (2003): where the long form of ``short`` starts in ``before``, or None.

    Walks both right to left: every letter or digit of the short form must appear in order in the long form,
    the first one at the start of a word; the window is min(n + 5, 2n) words for n characters.
    """
    letters = [c.lower() for c in short if c.isalnum()]
    words = list(re.finditer(r"\S+", before))
    if not letters or not words:
        return None
    base = words[-min(len(letters) + 5, 2 * len(letters), len(words))].start()
    candidate = before[base:].lower()
    i = len(candidate) - 1
    for k in range(len(letters) - 1, -1, -1):
        while i >= 0 and (candidate[i] != letters[k] or (k == 0 and i > 0 and candidate[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
    return base + candidate.rfind(" ", 0, i + 1) + 1


def _definition(cleaned: str, match: re.Match[str]) -> Definition | None:
    short = match.group(1)
    if sum(c.isupper() for c in short) < 2 or parse_formula(split_polymorph(short)[1]):
        return None
    before = cleaned[: match.start()].rstrip()
    last = re.search(r"[^\s(]+$", before)
    if last and parse_formula(split_polymorph(last.group())[1]):
        long, start, end = None, last.start(), match.end()
        if before[start - 1 : start] == "(":  # nested: "name (FORMULA (ABBR))"
            name_start = _long_form_start(short, before[: start - 1])
            if name_start is not None:
                long, start = before[name_start : start - 1].strip(), name_start
                end += cleaned[end : end + 1] == ")"
        return Definition(short, long, last.group(), cleaned[start:end])
    start = _long_form_start(short, before)
    if start is None:
        return None
    return Definition(short, before[start:].strip(), None, cleaned[start : match.end()])


def definitions(text: MaterialText) -> dict[str, Definition]:
    """Short form → its first definition in the text."""
    found: dict[str, Definition] = {}
    for _, cleaned in text.passages:
        for match in _SHORT_FORM.finditer(cleaned.text):
            definition = _definition(cleaned.text, match)
            if definition and definition.short not in found:
                found[definition.short] = definition
    return found


def glossary(text: MaterialText) -> dict[str, str]:
    """Abbreviation → name, from glossaries: "LCO, lithium cobalt oxide; LFP, lithium iron phosphate"."""
    names: dict[str, str] = {}
    for _, cleaned in text.passages:
        for match in _GLOSSARY.finditer(cleaned.text):
            for entry in match.group().split("; "):
                abbreviation, name = entry.split(", ", 1)
                if any(c.isupper() for c in abbreviation):
                    names.setdefault(abbreviation, name)
    return names
