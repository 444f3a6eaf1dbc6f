"""Clean text for search and quotes, with a map from every clean character back to the original offset.

Undone here: line-wrap hyphenation ("pro-\\nmotes" → "promotes"), line wraps after a real hyphen
("micrometre- \\nsized" → "micrometre-sized", but "nanometre- versus" keeps its suspended hyphen), wraps
after an en dash ("solid–\\nelectrolyte"), words the extractor broke with a space ("Coulom bic", joined only
when the document itself spells the joined word and neither half stands alone anywhere else), and runs of
whitespace. Everything else, dashes and symbols included, is kept as printed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

_SUSPENDING_WORDS = {"and", "or", "nor", "versus", "to"}
_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class CleanText:
    text: str
    origin: tuple[int, ...]  # origin[i]: original offset of clean character i

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of the clean span [start, end)."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"clean span {start}..{end} outside 0..{len(self.text)}")
        return self.origin[start], self.origin[end - 1] + 1


def _next_word(text: str, i: int) -> str:
    match = _WORD.match(text, i)
    return match.group(0) if match else ""


def _dehyphenate(original: str, start: int, end: int) -> tuple[list[str], list[int]]:
    """Join the wrapped lines of ``original[start:end]``; look-ahead may read past ``end`` for context."""
    chars: list[str] = []
    origin: list[int] = []
    i = start
    while i < end:
        c = original[i]
        if c.isspace():
            j = i
            while j < end and original[j].isspace():
                j += 1
            wrapped = "\n" in original[i:j]
            follows = original[j] if j < end else ""
            prev = chars[-1] if chars else ""
            if wrapped and prev == "-" and original[i] == "\n" and follows.islower():
                chars.pop()  # soft hyphen at the line end: "pulver-\nization"
                origin.pop()
            elif wrapped and prev in "-–" and follows:
                if prev == "-" and _next_word(original, j) in _SUSPENDING_WORDS:
                    chars.append(" ")  # suspended hyphen: "nanometre- versus micrometre-sized"
                    origin.append(i)
                # otherwise a real hyphen or dash wrapped: "micrometre- \nsized", "solid–\nelectrolyte"
            elif chars and j < end:
                chars.append(" ")
                origin.append(i)
            i = j
            continue
        chars.append(c)
        origin.append(i)
        i += 1
    return chars, origin


@lru_cache(maxsize=64)
def word_counts(text: str) -> Counter[str]:
    """The document's vocabulary (after hyphen repair), computed once per text. Treat it as read-only."""
    chars, _ = _dehyphenate(text, 0, len(text))
    return Counter(_WORD.findall("".join(chars)))


def _join_broken_words(chars: list[str], origin: list[int], vocabulary: Counter[str]) -> None:
    text = "".join(chars)
    removals = []
    for match in re.finditer(r"\b([A-Za-z]+) (?=([a-z]+)\b)", text):
        left, right = match.group(1), match.group(2)
        if vocabulary[left + right] and vocabulary[left] == 1 and vocabulary[right] == 1:
            removals.append(match.end() - 1)
    for index in reversed(removals):
        del chars[index]
        del origin[index]


def clean(original: str, start: int, end: int, vocabulary: Counter[str] | None = None) -> CleanText:
    """Clean ``original[start:end]``; ``vocabulary`` (the document's word counts) enables word repair.

    Passages are cleaned by several parsers: with the document's own ``word_counts`` the result is cached.
    """
    if vocabulary is not None and vocabulary is word_counts(original):
        return _clean_cached(original, start, end)
    return _clean(original, start, end, vocabulary)


@lru_cache(maxsize=4096)
def _clean_cached(original: str, start: int, end: int) -> CleanText:
    return _clean(original, start, end, word_counts(original))


def _clean(original: str, start: int, end: int, vocabulary: Counter[str] | None) -> CleanText:
    chars, origin = _dehyphenate(original, start, end)
    if vocabulary is not None:
        _join_broken_words(chars, origin, vocabulary)
    return CleanText("".join(chars), tuple(origin))
