"""The printed forms of a numbered citation besides superscripts: brackets and parentheses.

    bracket      "[1]", "[2,3]", "[3–5]", "[2, 8]", "[9]–[11]"
    parenthesis  "(1)", "(2, 3)", "(4−6)"

A document cites in one form. Parenthesised numbers are read only in a document whose citations are
parenthesised (``citation_style``), because elsewhere "(1)" numbers an equation or a list item. In either
form, a group of numbers with a leading zero or followed by a crystallographic word ("[010] direction",
"[111] planes") is a direction, not a citation, and a number after an equation label ("Eq. (1)") is an
equation number.

Numbers are lists with ranges: "1,4", "49–53", "49,123–125" (an en dash; a hyphen or a minus sign is
accepted too).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_RANGE = re.compile(r"\s*(\d+)\s*(?:[–\-−]\s*(\d+)\s*)?")


def expand_numbers(spec: str) -> list[int]:
    """Reference numbers of a marker's digits: "1,4" → [1, 4]; "49–53" → [49, ..., 53]; "49,123–125".

    Ranges use an en dash ("–"); a hyphen or a minus sign is accepted too. A reversed range or an empty
    item raises ValueError.
    """
    numbers: list[int] = []
    for item in spec.split(","):
        match = _RANGE.fullmatch(item)
        if not match:
            raise ValueError(f"not a reference number or range: {item!r} in {spec!r}")
        first = int(match.group(1))
        last = int(match.group(2)) if match.group(2) else first
        if last < first:
            raise ValueError(f"reversed range {item.strip()!r} in {spec!r}")
        numbers.extend(range(first, last + 1))
    return numbers


@dataclass(frozen=True)
class Marker:
    """A citation marker as printed, at [start, end) of the scanned text, and the numbers it cites."""

    start: int
    end: int
    marker: str
    numbers: tuple[int, ...]


SUPERSCRIPT, BRACKET, PARENTHESIS = "superscript", "bracket", "parenthesis"

_LIST = r"\d+(?:\s?[–\-−]\s?\d+)?(?:\s?,\s?\d+(?:\s?[–\-−]\s?\d+)?)*"
_BRACKET = re.compile(rf"\[(?P<numbers>{_LIST})\](?:\s?[–\-−]\s?\[(?P<last>\d+)\])?")
_PARENTHESIS = re.compile(rf"\((?P<numbers>{_LIST})\)")
_DIRECTION = re.compile(r"\s?(?:direction|plane|axis|axes|zone|orientation|facet)", re.IGNORECASE)
_EQUATION = re.compile(r"(?:\b(?:eqs?|equations?|scheme|step|route)\.?\s?|=\s?\S+\s)\Z", re.IGNORECASE)
_LEADING_ZERO = re.compile(r"(?<!\d)0\d")
#: how many markers of a form make it the document's form
_ENOUGH = 2


def _numbers(match: re.Match[str]) -> tuple[int, ...] | None:
    try:
        numbers = expand_numbers(match["numbers"])
    except ValueError:
        return None
    if last := match.groupdict().get("last"):  # "[9]–[11]"
        if int(last) < numbers[-1]:
            return None
        numbers += list(range(numbers[-1] + 1, int(last) + 1))
    return tuple(numbers)


def _grouped(pattern: re.Pattern[str], text: str) -> list[Marker]:
    markers = []
    for match in pattern.finditer(text):
        if _LEADING_ZERO.search(match[0]) or _DIRECTION.match(text, match.end()):
            continue
        if _EQUATION.search(text, max(0, match.start() - 24), match.start()):
            continue
        numbers = _numbers(match)
        if numbers and 0 not in numbers:
            markers.append(Marker(match.start(), match.end(), match[0], numbers))
    return markers


def bracket_markers(text: str) -> list[Marker]:
    """Bracketed citations of one passage: "[1]", "[2,3]", "[3–5]", "[9]–[11]"."""
    return _grouped(_BRACKET, text)


def parenthesis_markers(text: str) -> list[Marker]:
    """Parenthesised citations of one passage: "(1)", "(2, 3)", "(4−6)"."""
    return _grouped(_PARENTHESIS, text)


def citation_style(passages: Iterable[str], has_reference_list: bool) -> str:
    """The form a document cites in, from its body passages: brackets when it prints at least two bracketed
    citations; parentheses when it prints at least two and has a numbered reference list; else superscripts.
    """
    texts = list(passages)
    if sum(len(bracket_markers(t)) for t in texts) >= _ENOUGH:
        return BRACKET
    if has_reference_list and sum(len(parenthesis_markers(t)) for t in texts) >= _ENOUGH:
        return PARENTHESIS
    return SUPERSCRIPT
