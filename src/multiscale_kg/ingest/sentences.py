"""Sentence spans of clean text, aware of the article's abbreviations ("fig. 1a", "ref.40", "e.g.")."""

from __future__ import annotations

import re

# A full stop after these does not end a sentence.
_ABBREVIATIONS = {"fig", "figs", "ref", "refs", "e.g", "i.e", "etc", "al", "vs", "approx", "no", "eq", "eqs"}
_END = re.compile(r"[.!?](?=\s+[\"'‘“(]?[A-Z0-9])")


def sentence_spans(text: str) -> list[tuple[int, int]]:
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
    return spans


def sentence_at(text: str, position: int) -> tuple[int, int]:
    """The span of the sentence containing ``position``."""
    for start, end in sentence_spans(text):
        if start <= position < end:
            return start, end
    return 0, len(text)
