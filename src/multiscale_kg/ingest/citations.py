"""Citation markers: reference numbers cited in the text, and the reference list they imply."""

from __future__ import annotations

import re

_RANGE = re.compile(r"\s*(\d+)\s*(?:[–-]\s*(\d+)\s*)?")


def expand_numbers(spec: str) -> list[int]:
    """Reference numbers of a marker's digits: "1,4" → [1, 4]; "49–53" → [49, ..., 53]; "49,123–125".

    Ranges use an en dash ("–"); a hyphen is accepted too. A reversed range or an empty item raises ValueError.
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
