"""Provenance holds for every record: the original text sliced at its offsets is what the record says."""

from __future__ import annotations

from multiscale_kg.ingest.cleantext import clean, word_counts
from multiscale_kg.ingest.quotes import normalise_quote


def clean_slice(text: str, start: int, end: int) -> str:
    return normalise_quote(clean(text, start, end, word_counts(text)).text)


def test_every_measurement_quote_and_value_are_at_their_offsets(kb, text):
    assert len(kb.measurements) == 171
    for m in kb.measurements:
        assert clean_slice(text, m.start, m.end) == normalise_quote(m.quote), m.id
        assert clean_slice(text, m.value_start, m.value_end) == normalise_quote(m.value_text), m.id
        assert m.start <= m.value_start < m.value_end <= m.end, m.id


def test_every_citation_marker_is_at_its_offsets(kb, text):
    assert len(kb.citations) == 242
    for citation in kb.citations:
        assert text[citation.start : citation.end] == citation.marker, citation.id


def test_every_curated_quote_is_at_its_offsets(kb, text):
    evidence = list(kb.curated_evidence())
    assert len(evidence) == 486
    for ev in evidence:
        assert clean_slice(text, ev.start, ev.end) == normalise_quote(ev.quote), ev.quote


def test_every_material_first_mention_is_at_its_offsets(kb, text):
    for material in kb.materials:
        mention = text[material.start : material.end]
        names = {material.name, material.abbreviation, material.formula}
        assert mention in names or clean_slice(text, material.start, material.end) in names, material.id
