"""What a table's values mean, read from the text: the general notes printed under it and the document's own
definitions of the particle scales.

- Table notes: the sentences of a table's footnote passage that condition its values ("All data are produced
  from lithium half-cell configurations", "Retention values in the cycling stability column are at low
  C-rates"); a note that names a column conditions that column's property, any other the whole table.
  Abbreviation glossaries ("LCO, lithium cobalt oxide; ...") and lettered footnotes ("aBallpark ...") are not
  general notes (lettered footnotes are the rows' ``footnote``).
- Scale definitions: "active material particles in the size range 1–100 nm", "micrometre-sized (≥1 µm)
  particles": the bounds in nanometres, converted by pint.

Every measurement of the table then carries the notes that condition it, and a row whose particle size lies
outside its scale's definition says so (``scale_conflict``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from difflib import get_close_matches

from ..schema import Citation, Measurement, Passage
from ..schema.models import ScaleDefinition, TableNote
from ..schema.vocab import TABLE1_COLUMNS, PassageKind, Scale
from .quotes import QuoteIndex
from .sentences import sentence_spans

#: "LCO, lithium cobalt oxide;" — a glossary of abbreviations, not a note
_GLOSSARY = re.compile(r"^[A-Z][A-Za-z0-9]*, [a-z]")
#: "aBallpark measurement ..." — a lettered footnote, glued to its first word by the extraction
_LETTERED = re.compile(r"^[a-z][A-Z]")
_COLUMN = re.compile(r"\b[Ii]n the ([\w\- ]+?) column\b")

#: "in the size range 1–100 nm" / "micrometre-sized (≥1 µm)"
_NUMBER = r"\d+(?:\.\d+)?"
_RANGE = re.compile(rf"size range (?P<low>{_NUMBER})\s*[–-]\s*(?P<high>{_NUMBER})\s*(?P<unit>nm|µm|μm)")
_AT_LEAST = re.compile(rf"\((?:≥|>=)\s*(?P<low>{_NUMBER})\s*(?P<unit>nm|µm|μm)\)")
_SCALE_WORDS = {Scale.NANO: ("nanostructured", "nanometre-sized"), Scale.MICRO: ("micrometre-sized",)}


@functools.cache
def _registry():
    import pint

    return pint.UnitRegistry(non_int_type=Decimal)  # exact decimals: 1 µm is 1000 nm, not 999.99…


def _nanometres(value: str, unit: str) -> Decimal:
    quantity = _registry().Quantity(Decimal(value), unit.replace("μ", "µ").replace("µ", "u"))
    return quantity.to("nm").magnitude.normalize()


def _nearest_scale(before: str) -> Scale | None:
    """The scale whose words come last before a definition's number."""
    found = {scale: max(before.rfind(w) for w in words) for scale, words in _SCALE_WORDS.items()}
    scale, at = max(found.items(), key=lambda item: item[1])
    return scale if at >= 0 else None


def _column(sentence: str):
    named = _COLUMN.search(sentence)
    if not named:
        return None
    found = get_close_matches(named.group(1).lower(), list(TABLE1_COLUMNS), n=1, cutoff=0.6)
    return TABLE1_COLUMNS[found[0]] if found else None


def footnotes_of(passages: Sequence[Passage], row_passage_id: str) -> list[Passage]:
    """The footnote passages of the table one of whose rows is ``row_passage_id``: those after its title and
    before the next table's title."""
    at = next(n for n, p in enumerate(passages) if p.id == row_passage_id)
    title = max((n for n in range(at + 1) if passages[n].kind == PassageKind.TABLE_TITLE), default=at)
    found = []
    for passage in passages[title + 1 :]:
        if passage.kind == PassageKind.TABLE_TITLE:
            break
        if passage.kind == PassageKind.TABLE_FOOTNOTE:
            found.append(passage)
    return found


def table_notes(
    document_id: str, text: str, passages: Sequence[Passage], citations: Iterable[Citation], table: str
) -> list[TableNote]:
    """The general notes of the document's table footnote passages, in text order."""
    footnotes = [p for p in passages if p.kind == PassageKind.TABLE_FOOTNOTE]
    if not footnotes:
        return []
    index = QuoteIndex(text, footnotes)
    citations = list(citations)
    notes = []
    for passage in footnotes:
        for start, end in sentence_spans(passage.text):
            sentence = passage.text[start:end].strip()
            if _GLOSSARY.match(sentence) or _LETTERED.match(sentence):
                continue
            match = next((m for m in index.find_all(sentence) if m.passage_id == passage.id), None)
            if match is None:
                continue
            refs = sorted(
                {c.ref_number for c in citations if match.start <= c.start and c.end <= match.end + 1}
            )
            notes.append(
                TableNote(
                    id=f"{document_id}-{table}-note-{len(notes) + 1}",
                    document_id=document_id,
                    table=table,
                    passage_id=passage.id,
                    text=sentence,
                    property=_column(sentence),
                    ref_numbers=tuple(refs),
                    start=match.start,
                    end=match.end,
                )
            )
    return notes


def scale_definitions(document_id: str, text: str, passages: Sequence[Passage]) -> list[ScaleDefinition]:
    """The document's definitions of nano- and micrometre-sized particles; the first of each scale wins."""
    found: dict[Scale, ScaleDefinition] = {}
    index = QuoteIndex(text, passages)
    for passage in passages:
        for start, end in sentence_spans(passage.text):
            sentence = passage.text[start:end]
            for pattern in (_RANGE, _AT_LEAST):
                for hit in pattern.finditer(sentence):
                    before = sentence[: hit.start()].lower()
                    scale = _nearest_scale(before)
                    if scale is None or scale in found:
                        continue
                    opening = max(before.rfind(w) for w in _SCALE_WORDS[scale])
                    clause = sentence[opening : hit.end()].strip()
                    match = next((m for m in index.find_all(clause) if m.passage_id == passage.id), None)
                    if match is None:
                        continue
                    high = hit.groupdict().get("high")
                    found[scale] = ScaleDefinition(
                        id=f"{document_id}-scale-{scale.value}",
                        document_id=document_id,
                        scale=scale,
                        passage_id=passage.id,
                        quote=clause,
                        size_min_nm=_nanometres(hit.group("low"), hit.group("unit")),
                        size_max_nm=_nanometres(high, hit.group("unit")) if high else None,
                        start=match.start,
                        end=match.end,
                    )
    return sorted(found.values(), key=lambda d: d.id)


def _conflict(m: Measurement, definition: ScaleDefinition | None) -> str | None:
    if definition is None or m.size_min_nm is None:
        return None
    low, high = m.size_min_nm, m.size_max_nm if m.size_max_nm is not None else m.size_min_nm
    floor, ceiling = definition.size_min_nm, definition.size_max_nm
    scale = f"the {definition.scale.value} scale as the document defines it (“{definition.quote}”)"
    if floor is not None and high < floor:
        return f"particles of {m.particle_size_text} are below {scale}"
    if ceiling is not None and low > ceiling:
        return f"particles of {m.particle_size_text} are above {scale}"
    if (floor is not None and low < floor) or (ceiling is not None and high > ceiling):
        return f"the size range {m.particle_size_text} reaches outside {scale}"
    return None


def condition(
    measurements: Iterable[Measurement], notes: Sequence[TableNote], definitions: Sequence[ScaleDefinition]
) -> list[Measurement]:
    """Each table measurement with the notes that condition it and its scale conflict, if any."""
    by_scale = {d.scale: d for d in definitions}
    conditioned = []
    for m in measurements:
        ids = tuple(n.id for n in notes if n.table == m.source.value and n.property in (None, m.property))
        conflict = _conflict(m, by_scale.get(m.scale))
        conditioned.append(m.model_copy(update={"table_note_ids": ids, "scale_conflict": conflict}))
    return conditioned
