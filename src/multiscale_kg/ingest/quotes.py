"""Find a curator's quote in a document: in the clean text of its passages, then map back to offsets.

Matching folds typography one character for one (dashes, quotes, µ/μ, minus) and all whitespace runs, so a
curator can type "Coulombic" or "first-cycle" without copying line breaks. The result is always a span of
the original text whose clean form is the quote.
"""

from __future__ import annotations

import re
from bisect import bisect_right
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
    """All passages of one document, ready for exact quote look-ups.

    The folded clean texts are joined with a separator no quote contains, so one scan of one string finds
    every occurrence; a bisect maps each hit back to its passage.
    """

    _SEPARATOR = "\x00"

    def __init__(self, text: str, passages: Iterable[Passage]):
        self.text = text
        vocabulary = word_counts(text)
        self._passages: list[tuple[Passage, CleanText]] = []
        self._starts: list[int] = []
        pieces, offset = [], 0
        for passage in passages:
            cleaned = clean(text, passage.start, passage.end, vocabulary)
            self._passages.append((passage, cleaned))
            self._starts.append(offset)
            pieces.append(fold(cleaned.text))
            offset += len(cleaned.text) + len(self._SEPARATOR)
        self._haystack = self._SEPARATOR.join(pieces)

    def find_all(self, quote: str) -> list[QuoteMatch]:
        needle = normalise_quote(quote)
        if not needle or self._SEPARATOR in needle:
            return []
        found = []
        at = self._haystack.find(needle)
        while at != -1:
            index = bisect_right(self._starts, at) - 1
            passage, cleaned = self._passages[index]
            clean_start = at - self._starts[index]
            clean_end = clean_start + len(needle)
            start, end = cleaned.to_original(clean_start, clean_end)
            found.append(QuoteMatch(passage.id, start, end, clean_start, clean_end))
            at = self._haystack.find(needle, at + 1)
        return found
