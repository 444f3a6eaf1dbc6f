"""Find a curator's quote in a document: in the clean text of its passages, then map back to offsets.

Matching folds typography one character for one (dashes, quotes, µ/μ, minus) and all whitespace runs, so a
curator can type "Coulombic" or "first-cycle" without copying line breaks. The result is always a span of
the original text whose clean form is the quote.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..schema import Passage
from .cleantext import CleanText, clean, word_counts

_FOLD = str.maketrans(
    {
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "−": "-",
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "μ": "µ",
        "\u00a0": " ",
    }
)


def fold(text: str) -> str:
    """Same length as ``text``: one folded character per input character."""
    return text.translate(_FOLD)


def normalise_quote(quote: str) -> str:
    return fold(re.sub(r"\s+", " ", quote.strip()))


@dataclass(frozen=True)
class QuoteMatch:
    passage_id: str
    start: int  # original offsets
    end: int
    clean_start: int  # offsets in the passage's clean text
    clean_end: int


class QuoteIndex:
    """All passages of one document, ready for exact quote look-ups."""

    def __init__(self, text: str, passages: Iterable[Passage]):
        self.text = text
        vocabulary = word_counts(text)
        self._passages: list[tuple[Passage, CleanText, str]] = []
        for passage in passages:
            cleaned = clean(text, passage.start, passage.end, vocabulary)
            self._passages.append((passage, cleaned, fold(cleaned.text)))

    def find_all(self, quote: str) -> list[QuoteMatch]:
        needle = normalise_quote(quote)
        if not needle:
            return []
        found = []
        for passage, cleaned, folded in self._passages:
            for match in re.finditer(re.escape(needle), folded):
                start, end = cleaned.to_original(match.start(), match.end())
                found.append(QuoteMatch(passage.id, start, end, match.start(), match.end()))
        return found
