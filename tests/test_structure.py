"""Sections, passages, captions and clean text of the shipped article."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from multiscale_kg.ingest.cleantext import clean, word_counts
from multiscale_kg.ingest.layout import regions

HEADINGS = [
    ("Introduction", 1, None),
    ("Nanostructuring versus microstructuring", 1, None),
    ("Kinetics", 2, "Nanostructuring versus microstructuring"),
    ("Thermodynamics", 2, "Nanostructuring versus microstructuring"),
    ("Mechanical stability", 2, "Nanostructuring versus microstructuring"),
    ("Why the industry prefers microparticles", 1, None),
    ("Reduced Coulombic efficiency", 2, "Why the industry prefers microparticles"),
    ("Poor volumetric energy density", 2, "Why the industry prefers microparticles"),
    ("Low mass loading and aggregation", 2, "Why the industry prefers microparticles"),
    ("High cost and complexity", 2, "Why the industry prefers microparticles"),
    ("Current industrial scenario", 1, None),
    ("Microscale particles with nanoscale attributes", 1, None),
    ("Engineered nanoporosity", 2, "Microscale particles with nanoscale attributes"),
    ("Natural nanoporosity", 2, "Microscale particles with nanoscale attributes"),
    ("Assembly of nanoscale constituents", 2, "Microscale particles with nanoscale attributes"),
    ("Concluding remarks", 1, None),
]


def test_sections_are_the_printed_headings_in_order(kb):
    titles = {s.id: s.title for s in kb.sections}
    assert [(s.title, s.level, titles.get(s.parent_id)) for s in kb.sections] == HEADINGS


def test_section_offsets_point_at_the_printed_heading(kb, text):
    printed = {s.title: text[s.start : s.end] for s in kb.sections if s.start is not None}
    assert printed["Why the industry prefers microparticles"] == "Why the industry prefers \nmicroparticles"
    assert printed["Kinetics"] == "Kinetics."
    assert printed["Assembly of nanoscale constituents"] == "Assembly of nanoscale constituents."


def test_passage_kinds(kb):
    kinds = Counter(p.kind.value for p in kb.passages)
    assert kinds == {
        "paragraph": 62,
        "heading": 15,
        "caption": 4,
        "table_title": 1,
        "table_header": 5,
        "table_row": 28,
        "table_footnote": 1,
    }


def test_every_passage_is_the_clean_form_of_its_original_span(kb, text):
    vocabulary = word_counts(text)
    for passage in kb.passages:
        assert clean(text, passage.start, passage.end, vocabulary).text == passage.text, passage.id
        assert text[passage.start] == passage.text[0]
        assert text[passage.end - 1] == passage.text[-1]


def test_page_furniture_is_in_no_passage(kb):
    for passage in kb.passages:
        for furniture in ("0123456789();:", "www.nature.com/natrevmats", "P e r s P e c t i v e s"):
            assert furniture not in passage.text


def test_captions_have_their_panel_letters(kb):
    captions = {p.figure: p for p in kb.passages if p.kind.value == "caption"}
    assert {n: "".join(sorted(c.panels)) for n, c in captions.items()} == {
        1: "abcdefghi",
        2: "abcde",
        3: "abcdef",
        4: "abcd",
    }
    assert (
        captions[2]
        .panels["b"]
        .startswith(
            "Volumetric capacity comparison of nanometre- and micrometre-sized "
            "LiMn0.85Fe0.15PO4 (LMFP) at 0.05C."
        )
    )
    # a caption continues across the column break inside it, and its credits are not a panel
    assert captions[1].panels["i"].endswith("t is the shell thickness of LixSi.")
    assert captions[1].text.endswith("ref.59, copyright 2012 American Chemical Society.")


def test_clean_text_undoes_the_extraction(kb):
    body = " ".join(p.text for p in kb.passages)
    assert "first-cycle Coulombic efficiency or relatively poor" in body  # "first- \ncycle Coulom bic"
    assert (
        "also promotes side reactions and higher irreversibility" in body
    )  # "pro-\nmotes", "irreversib-\nility"
    assert "solid–electrolyte interface (SEI)" in body  # en dash at a line end
    assert "direct comparison of nanometre- versus micrometre-sized" in body  # suspended hyphen kept
    assert "along the micrometre-scale longitudinal direction" in body  # real hyphen at a line end
    assert "  " not in body


def test_the_table_region_is_one_table_with_title_header_rows_and_footnote(text):
    kinds = [(r.kind.value, r.number) for r in regions(text)]
    assert kinds.count(("table", 1)) == 1
    assert [k for k in kinds if k[0] == "caption"] == [
        ("caption", 1),
        ("caption", 2),
        ("caption", 3),
        ("caption", 4),
    ]


@settings(max_examples=500, deadline=None)
@given(data=st.data())
def test_clean_spans_map_back_to_original_text(kb, text, data):
    """Any clean span maps to an original span whose own clean form is that span again."""
    vocabulary = word_counts(text)
    passage = data.draw(st.sampled_from([p for p in kb.passages if len(p.text) > 2]))
    cleaned = clean(text, passage.start, passage.end, vocabulary)
    start = data.draw(st.integers(0, len(cleaned.text) - 1))
    end = data.draw(st.integers(start + 1, len(cleaned.text)))
    o_start, o_end = cleaned.to_original(start, end)
    assert passage.start <= o_start < o_end <= passage.end
    piece = cleaned.text[start:end].strip()
    if piece:
        assert clean(text, o_start, o_end, vocabulary).text.strip() == piece
