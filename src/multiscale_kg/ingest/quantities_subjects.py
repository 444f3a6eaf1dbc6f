"""The material a value is about: the nearest clear mention of one of the document's materials.

A mention is a material's name, abbreviation or formula printed as a whole token: "LFP" in "LFP particles"
or "LFP/Ga-LLZO", but not "LLZO" in "Ga-LLZO" (a doped sample is another material) and not one-letter
names ("C" would match every C-rate). The nearest mention in the value's sentence is its subject; one after
the value counts only when it follows closely ("151 mAh g−1 for LFP"), and a mention before wins a tie. Two
different materials equally near leave it unclear, and so without a subject.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..schema import Material

_AFTER = 12  # a mention after the value is its subject only right after it: "151 mAh g−1 for LFP"


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    material_id: str
    printed: str


class MaterialMentions:
    def __init__(self, materials: Sequence[Material]):
        names: dict[str, str] = {}
        for material in materials:
            for printed in (material.name, material.abbreviation, material.formula):
                if printed and len(printed) > 1:
                    names.setdefault(printed, material.id)
        self._ids = names
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        self._pattern = (
            re.compile(rf"(?<![\w@\-–]){'(?:' + alternatives + ')'}(?![\w@\-–])") if names else None
        )

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Mention]:
        if self._pattern is None:
            return []
        stop = len(text) if end is None else end
        return [
            Mention(m.start(), m.end(), self._ids[m.group()], m.group())
            for m in self._pattern.finditer(text, start, stop)
        ]

    def nearest(self, text: str, start: int, end: int, value_start: int, value_end: int) -> Mention | None:
        """The subject of the value at [value_start, value_end) among the mentions in text[start:end]."""
        ranked: list[tuple[int, int, Mention]] = []
        for mention in self.find(text, start, end):
            if mention.end <= value_start:
                ranked.append((value_start - mention.end, 0, mention))
            elif mention.start >= value_end and mention.start - value_end <= _AFTER:
                ranked.append((mention.start - value_end, 1, mention))
        if not ranked:
            return None
        ranked.sort(key=lambda item: (item[0], item[1]))
        best = ranked[0]
        tied = [m for distance, side, m in ranked if (distance, side) == best[:2]]
        return best[2] if len({m.material_id for m in tied}) == 1 else None
