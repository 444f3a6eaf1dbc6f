"""Automatic measurements: every number with a unit in an uncurated document's prose.

Each quantity ``find_quantities`` reads with a unit (kind ``measure``) in a paragraph or caption of the body
becomes a Measurement with ``method='automatic'`` and ``source='prose'``:

- its property from the unit and the words around it (``quantities_properties.classify``), its cycle count
  and rate from its sentence ("after 500 cycles", "at 0.2 A g−1");
- its subject the nearest clear material mention in its sentence (``quantities_subjects``), or none;
- its evidence the sentence (clean text as quote, original offsets) and the value's own offsets.

No scale is guessed. Headings, tables (read by ``table_cells``) and the reference list are not prose. These
measurements are shown apart from curated ones and never feed the rules.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ..schema import Measurement, Method, Passage, PassageKind, Property, Qualifier, Source
from .cleantext import CleanText, clean
from .quantities import Kind, Quantity, find_quantities
from .quantities_properties import classify, cycles_in, rate_in
from .quantities_subjects import MaterialMentions
from .sentences import sentence_at

_PROSE = (PassageKind.PARAGRAPH, PassageKind.CAPTION)
_CONTEXT = 60  # characters of the sentence either side of a value that may name its property
_AT = re.compile(r"\b[Aa]t\s(?:a\s(?:rate|current density)\sof\s)?\Z")
#: properties measured over cycling: the cycle count beside them is theirs
_CYCLED = (Property.CYCLE_RETENTION, Property.CE, Property.GRAVIMETRIC_CAPACITY, Property.VOLUME_CHANGE)


def automatic_measurements(
    document_id: str,
    text: str,
    passages: Sequence[Passage],
    mentions: MaterialMentions,
    vocabulary: Counter[str],
    body_end: int | None = None,
) -> list[Measurement]:
    """The automatic measurements of the passages that start before ``body_end`` (the reference list)."""
    stop = len(text) if body_end is None else body_end
    found: list[Measurement] = []
    for passage in passages:
        if passage.kind not in _PROSE or passage.start >= stop:
            continue
        cleaned = clean(text, passage.start, passage.end, vocabulary)
        prose = cleaned.text
        values = [q for q in find_quantities(prose) if q.kind == Kind.MEASURE and q.unit is not None]
        values = [q for q in values if not _is_condition(prose, q)]
        for k, quantity in enumerate(values):
            s_start, s_end = sentence_at(prose, quantity.start)
            # the words between this value and its neighbours name its property and conditions
            left = max(s_start, quantity.start - _CONTEXT, values[k - 1].end if k else 0)
            right = min(s_end, quantity.end + _CONTEXT, values[k + 1].start if k + 1 < len(values) else s_end)
            before, after = prose[left : quantity.start], prose[quantity.end : max(right, quantity.end)]
            found.append(
                _measurement(
                    document_id,
                    text,
                    passage,
                    cleaned,
                    quantity,
                    before,
                    after,
                    mentions,
                    (s_start, s_end),
                    len(found) + 1,
                )
            )
    return found


def _is_condition(prose: str, quantity: Quantity) -> bool:
    """A current density after "at" is the rate a value was measured at, not a value of its own."""
    assert quantity.unit is not None
    return (
        classify(quantity.unit, "") is Property.CURRENT_DENSITY
        and _AT.search(prose, 0, quantity.start) is not None
    )


def _measurement(
    document_id: str,
    text: str,
    passage: Passage,
    cleaned: CleanText,
    quantity: Quantity,
    before: str,
    after: str,
    mentions: MaterialMentions,
    sentence: tuple[int, int],
    number: int,
) -> Measurement:
    assert quantity.unit is not None
    prose = cleaned.text
    s_start, s_end = sentence
    subject = mentions.nearest(prose, s_start, s_end, quantity.start, quantity.end)
    start, end = cleaned.to_original(s_start, s_end)
    value_start, value_end = cleaned.to_original(quantity.start, quantity.end)
    low, high = quantity.value_min, quantity.value_max
    qualifier = Qualifier(quantity.qualifier)
    if qualifier in (Qualifier.LE, Qualifier.LT):
        low = None
    elif qualifier in (Qualifier.GE, Qualifier.GT):
        high = None
    prop = classify(quantity.unit, before, after)
    return Measurement(
        id=f"{document_id}-q{number:04d}",
        document_id=document_id,
        material_id=subject.material_id if subject else None,
        sample=subject.printed if subject else None,
        property=prop,
        value_min=low,
        value_max=high,
        qualifier=qualifier,
        unit_printed=quantity.unit.printed,
        unit=quantity.unit.display,
        unit_qudt=quantity.unit.qudt,
        cycles=(cycles_in(after) or cycles_in(before)) if prop in _CYCLED else None,
        rate_condition=rate_in(after) or rate_in(re.split(r"[,;]", before)[-1]),
        source=Source.PROSE,
        method=Method.AUTOMATIC,
        passage_id=passage.id,
        quote=prose[s_start:s_end],
        start=start,
        end=end,
        value_text=text[value_start:value_end],
        value_start=value_start,
        value_end=value_end,
    )
