"""Sentence spans of clean text, aware of the article's abbreviations ("fig. 1a", "ref.40", "e.g.")."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

# A full stop after these does not end a sentence.
_ABBREVIATIONS = {"fig", "figs", "ref", "refs", "e.g", "i.e", "etc", "al", "vs", "approx", "no", "eq", "eqs"}
_END = re.compile(r"[.!?](?=\s+[\"'‘“(]?[A-Z0-9])")


@lru_cache(maxsize=4096)  # a passage's sentences are asked for once per quote and citation in it
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """[start, end) of each sentence; the spans cover the text except the spaces between sentences."""
    spans, start = [], 0
    for match in _END.finditer(text):
        word = re.search(r"([A-Za-z.]+)$", text[start : match.start()])
        if match.group(0) == "." and word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
            continue
        spans.append((start, match.end()))
        start = match.end()
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text):
        spans.append((start, len(text)))
    return tuple(spans)


def sentence_at(text: str, position: int) -> tuple[int, int]:
    """The span of the sentence containing ``position`` (the whole text when it lies between sentences)."""
    spans = sentence_spans(text)
    k = bisect_right(spans, (position, len(text) + 1)) - 1  # the last sentence starting at or before it
    if k >= 0 and spans[k][0] <= position < spans[k][1]:
        return spans[k]
    return 0, len(text)
