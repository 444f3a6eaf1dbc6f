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


def _next_word(raw: str, i: int) -> str:
    match = _WORD.match(raw, i)
    return match.group(0) if match else ""


def _dehyphenate(raw: str, base: int) -> tuple[list[str], list[int]]:
    """Join wrapped lines of ``raw`` (which starts at original offset ``base``)."""
    chars: list[str] = []
    origin: list[int] = []
    i, n = 0, len(raw)
    while i < n:
        c = raw[i]
        if c.isspace():
            j = i
            while j < n and raw[j].isspace():
                j += 1
            wrapped = "\n" in raw[i:j]
            follows = raw[j] if j < n else ""
            prev = chars[-1] if chars else ""
            if wrapped and prev == "-" and raw[i] == "\n" and follows.islower():
                chars.pop()  # soft hyphen at the line end: "pulver-\nization"
                origin.pop()
            elif wrapped and prev in "-–" and follows and not follows.isspace():
                suspended = prev == "-" and _next_word(raw, j) in _SUSPENDING_WORDS
                if suspended:
                    chars.append(" ")
                    origin.append(base + i)
                # otherwise a real hyphen or dash wrapped: "micrometre- \nsized", "solid–\nelectrolyte"
            elif chars and j < n:
                chars.append(" ")
                origin.append(base + i)
            i = j
            continue
        chars.append(c)
        origin.append(base + i)
        i += 1
    return chars, origin


def word_counts(text: str) -> Counter[str]:
    chars, _ = _dehyphenate(text, 0)
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
    """Clean ``original[start:end]``; ``vocabulary`` (the document's word counts) enables word repair."""
    chars, origin = _dehyphenate(original[start:end], start)
    if vocabulary is not None:
        _join_broken_words(chars, origin, vocabulary)
    return CleanText("".join(chars), tuple(origin))
