"""Citation markers and the reference list of the nano-vs-micro article."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from multiscale_kg.errors import IngestError
from multiscale_kg.ingest.citations import (
    Marker,
    expand_numbers,
    find_markers,
    is_formula,
    parse_citations,
    placeholder_symbols,
)
from multiscale_kg.ingest.cleantext import clean, word_counts
from multiscale_kg.ingest.documents import read_document
from multiscale_kg.ingest.layout import regions
from multiscale_kg.ingest.structure import parse_structure
from multiscale_kg.schema import Passage, PassageKind

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "nano-vs-micro"
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def article():
    source = read_document(CORPUS)
    text = source.text
    _, passages = parse_structure(source.document.id, text, regions(text), word_counts(text))
    citations, references = parse_citations(source.document.id, text, passages)
    return text, passages, citations, references


def _only(text: str, context: str) -> int:
    assert text.count(context) == 1, f"{context!r} should occur once in the article"
    return text.index(context)


def _passage_at(passages, offset: int):
    return next(p for p in passages if p.start <= offset < p.end)


# --- expand_numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "numbers"),
    [
        ("1", [1]),
        ("1,4", [1, 4]),
        ("49–53", [49, 50, 51, 52, 53]),
        ("49,123–125", [49, 123, 124, 125]),
        ("41,49,63,97,112–114", [41, 49, 63, 97, 112, 113, 114]),
        ("1-3", [1, 2, 3]),
    ],
)
def test_expand_numbers(spec, numbers):
    assert expand_numbers(spec) == numbers


@pytest.mark.parametrize("spec", ["53–49", "5,3–1", "", "1,,2", "a"])
def test_expand_numbers_rejects_reversed_ranges_and_non_numbers(spec):
    with pytest.raises(ValueError):
        expand_numbers(spec)


# --- positives on the article -------------------------------------------------------------------------

# (context that occurs once in document.txt, the text before the marker, marker, numbers)
POSITIVES = [
    ("by 2030 (refs.1,4). The grid", "by 2030 (", "refs.1,4", (1, 4)),
    ("demand in 2020 (ref.1).", "demand in 2020 (", "ref.1", (1,)),
    ("(refs.22,23). The 3–7 nm", "(", "refs.22,23", (22, 23)),
    ("profile of LiFePO4 (ref.40).", "profile of LiFePO4 (", "ref.40", (40,)),
    ("Fe2O3 and NbSe3 (refs.49–53).", "Fe2O3 and NbSe3 (", "refs.49–53", (49, 50, 51, 52, 53)),
    ("Fe2O3 (refs.49,123–125) 4–200 nm", "Fe2O3 (", "refs.49,123–125", (49, 123, 124, 125)),
    ("from ref.22, Wiley, and", "from ", "ref.22", (22,)),
    ("and ref.23, Elsevier.", "and ", "ref.23", (23,)),
    ("combustion engine vehicle1–3.", "combustion engine vehicle", "1–3", (1, 2, 3)),
    ("the \nbattery18. Sufficient", "the \nbattery", "18", (18,)),
    ("either side of the channel25,26 (fig", "either side of the channel", "25,26", (25, 26)),
    ("for migration18,20. The", "for migration", "18,20", (18, 20)),
    ("LIBs and petrol6.", "LIBs and petrol", "6", (6,)),
    ("in the case of LixFePO4)30.", "in the case of LixFePO4)", "30", (30,)),
    ("0.12 < x < 0.83)30–32.", "0.12 < x < 0.83)", "30–32", (30, 31, 32)),
    ("carbon \nadditives)54,", "carbon \nadditives)", "54", (54,)),
    ("(versus Li/Li+)97.", "(versus Li/Li+)", "97", (97,)),
    ("~570 km)70,75 (fig", "~570 km)", "70,75", (70, 75)),
    ("(diameter ~120 nm)104.", "(diameter ~120 nm)", "104", (104,)),
    ("(Li/Ti ~0.03)37.", "(Li/Ti ~0.03)", "37", (37,)),
    (f"(3D{NBSP}architecture)55,", f"(3D{NBSP}architecture)", "55", (55,)),
    (
        "from the literature41,49,63,97,112–138.",
        "from the literature",
        "41,49,63,97,112–138",
        (41, 49, 63, 97, *range(112, 139)),
    ),
    ("Cathode LCO112 300 nm", "Cathode LCO", "112", (112,)),
    ("LFP113–115 20–200 nm", "LFP", "113–115", (113, 114, 115)),
    ("NCA116,117 200–500 nm", "NCA", "116,117", (116, 117)),
    ("LNMO118 80 nm", "LNMO", "118", (118,)),
    ("LMFP63 ≤100 nm", "LMFP", "63", (63,)),
    ("FeF3 (ref.119) 30–50 nm", "FeF3 (", "ref.119", (119,)),
]


@pytest.mark.parametrize(("context", "before", "marker", "numbers"), POSITIVES)
def test_marker_found_in_its_passage(article, context, before, marker, numbers):
    text, passages, _, _ = article
    start = _only(text, context) + len(before)
    assert text[start : start + len(marker)] == marker
    passage = _passage_at(passages, start)
    found = find_markers(text[passage.start : passage.end], placeholder_symbols(text))
    expected = Marker(start - passage.start, start - passage.start + len(marker), marker, numbers)
    assert expected in found


@pytest.mark.parametrize(("context", "before", "marker", "numbers"), POSITIVES)
def test_marker_gives_one_citation_per_number(article, context, before, marker, numbers):
    text, passages, citations, _ = article
    start = _only(text, context) + len(before)
    at_marker = [c for c in citations if c.start == start]
    assert [c.ref_number for c in at_marker] == list(numbers)
    for citation in at_marker:
        assert (citation.end, citation.marker) == (start + len(marker), marker)
        assert text[citation.start : citation.end] == marker
        assert citation.passage_id == _passage_at(passages, start).id


def test_markers_have_the_same_shape_in_clean_text(article):
    text, passages, _, _ = article
    placeholders = placeholder_symbols(text)
    for passage in passages:
        original = find_markers(text[passage.start : passage.end], placeholders)
        cleaned = find_markers(passage.text, placeholders)
        assert [(m.marker, m.numbers) for m in cleaned] == [(m.marker, m.numbers) for m in original]


@pytest.mark.parametrize(
    ("snippet", "marker", "start", "numbers"),
    [
        ("the rate-limiting step18. Sufficient", "18", 22, (18,)),
        ("small particles25,26 (fig. 1c)", "25,26", 15, (25, 26)),
        ("as printed (ref. 7)", "ref. 7", 12, (7,)),
        ("with lithium (versus Li/Li+)97.", "97", 28, (97,)),
    ],
)
def test_marker_in_small_strings(snippet, marker, start, numbers):
    assert find_markers(snippet) == [Marker(start, start + len(marker), marker, numbers)]


# --- negatives ------------------------------------------------------------------------------------------

NEGATIVES = [
    "Li4Ti5O12",
    "LiFePO4",
    "LixFePO4",
    "LiαFePO4",
    "TiO2",
    "Fe2O3",
    "Li2Fe2O3",
    "Nb16W5O55",
    "Nb18W16O93",
    "Mo6S8",
    "Mg3N2",
    "Li2O",
    "Li2S",
    "(S2 and S3)",
    "Fe0",
    "NbO6",
    "WO6",
    "WO4",
    "(Nb,W)O6",
    "LiMn0.85Fe0.15PO4",
    "NaNb3O8",
    "KNb3O8",
    "ReO3",
    "FeF3",
    "Co3O4",
    "Nb2O5",
    "V2O5",
    "NbSe3",
    "MO6 (M = Nb, W)",
    "Nb4+/Nb5+",
    "Nb3+/Nb4+",
    "W5+/W6+",
    "W4+/W5+",
    "Li+",
    "τ = λ2/Di",
    "3,600Di/λ2",
    "US$150 kWh–1",
    "mAh g–1",
    "20–30 mg cm–2",
    "100C",
    "~40-nm",
    "1,200–1,600 GWh",
    "0.05 < x < 0.89",
    f"(fig.{NBSP}1a)",
    "Fig. 2 |",
    f"(Table{NBSP}1)",
    "Table 1 |",
    "licenses/by/4.0/",
    "CC BY 4.0",
    "copyright 2012",
    "poly(3,4-ethylenedioxythiopene)",
    "(4Li+  + SO + 4e- ↔ Li2S + Li2O)",
    "776–1,363a",
]


@pytest.mark.parametrize("negative", NEGATIVES)
def test_no_citation_inside_negative_forms_of_the_article(article, negative):
    text, passages, citations, _ = article
    placeholders = placeholder_symbols(text)
    assert negative in text
    occurrences = [i for i in range(len(text)) if text.startswith(negative, i)]
    for at in occurrences:
        assert not [c for c in citations if c.start < at + len(negative) and at < c.end]
        passage = _passage_at(passages, at)
        local = at - passage.start
        markers = find_markers(text[passage.start : passage.end], placeholders)
        assert not [m for m in markers if m.start < local + len(negative) and local < m.end]


@pytest.mark.parametrize("negative", NEGATIVES)
def test_negative_forms_alone_are_not_citations(negative):
    assert find_markers(negative, frozenset({"M"})) == []


def test_formula_groups_and_charges_are_not_citations():
    assert find_markers("Ca(OH)2 and Mg(OH)2") == []
    assert find_markers("Li+ and Fe2+ and O2- and S2−.") == []
    assert find_markers("as in LCO112-based cells") == [Marker(9, 12, "112", (112,))]


def test_a_placeholder_element_keeps_its_formula_from_being_a_citation():
    assert find_markers("MO6 octahedra") == [Marker(2, 3, "6", (6,))]
    assert find_markers("MO6 octahedra", frozenset({"M"})) == []


def test_is_formula():
    assert is_formula("Nb16W5O55")
    assert is_formula("LiMn0.85Fe0.15PO4")
    assert is_formula("LixFePO4")
    assert is_formula("MO6", frozenset({"M"}))
    assert not is_formula("MO6")
    assert not is_formula("LCO112")
    assert not is_formula("NCA116")
    assert not is_formula("vehicle1")  # lowercase-initial words are never formulas


def test_placeholder_symbols():
    assert placeholder_symbols("blocks of (4 × 5) MO6 (M = Nb, W) octahedra") == frozenset({"M"})
    assert placeholder_symbols("AO3 (A = Na or K)") == frozenset({"A"})
    assert placeholder_symbols("(x = 0.1, 0.2)") == frozenset()
    assert placeholder_symbols("(Li = Na, K)") == frozenset()  # Li is itself an element
    assert placeholder_symbols("(M = Nb, Qq)") == frozenset()  # Qq is not an element


def test_the_article_defines_one_placeholder(article):
    text, *_ = article
    assert placeholder_symbols(text) == frozenset({"M"})


# --- the whole article ------------------------------------------------------------------------------------


def test_references_are_numbered_1_to_138(article):
    _, _, citations, references = article
    assert len(references) == 138
    assert [r.number for r in references] == list(range(1, 139))
    assert [r.id for r in references[:2]] == ["nano-vs-micro-r001", "nano-vs-micro-r002"]
    assert {c.ref_number for c in citations} == set(range(1, 139))  # every reference is cited


def test_citation_count(article):
    # 136 markers give 242 citations (one per cited number), counted by reading document.txt:
    #   body paragraphs 157: introduction 7, nano vs micro before "Kinetics" 12, kinetics 7 + 6 + 11,
    #     thermodynamics 10 + 4 + 8 + 8, reaction pathway 11 + 5 (ribbons52, 20,58, 59 twice),
    #     industry 8 + 6 + 11, nanoporosity 8 + 8 + 6 + 11 (refs 97-103), assembly 5, remarks 5 (107-111);
    #   captions 23: Fig. 1 credits 10, Fig. 2 5, Fig. 3 6, Fig. 4 2;
    #   Table 1 rows 31: LCO 1, LFP 3, NCA 2, LNMO 1, FeF3 1, LMFP 1, C–S 1, Si 2, Fe2O3 4, Nb2O5 3,
    #     V2O5 2, Co3O4 2, C 3, TiO2 5;
    #   Table 1 footnote 31: "literature41,49,63,97,112–138" is 4 + 27 numbers.
    _, passages, citations, references = article
    kind = {p.id: p.kind for p in passages}
    assert len(citations) == 242
    assert len({(c.start, c.end) for c in citations}) == 136
    assert Counter(kind[c.passage_id] for c in citations) == {
        PassageKind.PARAGRAPH: 157,
        PassageKind.CAPTION: 23,
        PassageKind.TABLE_ROW: 31,
        PassageKind.TABLE_FOOTNOTE: 31,
    }
    assert sum(r.cited_count for r in references) == 242


def test_citations_are_in_text_order_and_point_at_their_marker(article):
    text, passages, citations, _ = article
    by_id = {p.id: p for p in passages}
    assert [c.id for c in citations[:2]] == ["nano-vs-micro-c0001", "nano-vs-micro-c0002"]
    assert citations[-1].id == "nano-vs-micro-c0242"
    assert [c.start for c in citations] == sorted(c.start for c in citations)
    for citation in citations:
        assert text[citation.start : citation.end] == citation.marker
        passage = by_id[citation.passage_id]
        assert passage.start <= citation.start < citation.end <= passage.end
        assert 1 <= citation.ref_number <= 138


@pytest.mark.parametrize(
    ("number", "count"),
    [
        # vehicle1–3, (refs.1,4), (ref.1)
        (1, 3),
        # octahedra97, structure97, channels97, (versus Li/Li+)97, materials97; Fig. 3 credits ref.97 twice;
        # Table 1 Nb2O5 (refs.97,126,127); the footnote's literature41,49,63,97,...
        (97, 9),
        # particles105, batteries105, steps105; Fig. 4 credit ref.105
        (105, 4),
        # nanoparticles63, materials63; Table 1 LMFP63 and footnote; Fig. 2 credit ref.63
        (63, 5),
        # migration18,20; size18,20; extraction20,58; concern20,68,69
        (20, 4),
        # Table 1 FeF3 (ref.119) and the footnote's 112–138
        (119, 2),
    ],
)
def test_cited_count(article, number, count):
    _, _, _, references = article
    assert references[number - 1].number == number
    assert references[number - 1].cited_count == count


@pytest.mark.parametrize(
    ("context", "before", "sentence"),
    [
        (
            "combustion engine vehicle1–3.",
            "combustion engine vehicle",
            "The cost of LIBs is at present about US$150 kWh–1 but it is dropping; the US Department of "
            "Energy concludes that below a threshold of around US$100 kWh–1, LIBs will be more "
            "cost-effective than an internal combustion engine vehicle1–3.",
        ),
        (
            "and ref.23, Elsevier.",
            "and ",
            "Data in panel b adapted with permission from ref.22, Wiley, and ref.23, Elsevier.",
        ),
        (
            "from the literature41,49,63,97,112–138.",
            "from the literature",
            "The table shows typical values taken from the literature41,49,63,97,112–138.",
        ),
        (
            "(versus Li/Li+)97.",
            "(versus Li/Li+)",
            "In addition, these oxides possess multiple redox couples (Nb4+/Nb5+, Nb3+/Nb4+, W5+/W6+ and "
            "W4+/W5+) active at safe potentials above 1 V (versus Li/Li+)97.",
        ),
        (
            "in the case of LixFePO4)30.",
            "in the case of LixFePO4)",
            "Microparticles of certain electrode materials (such as LiFePO4 or TiO2) exhibit a "
            "room-temperature miscibility gap wherein Li-poor and Li-rich phases coexist in a certain "
            "composition range (0.05 < x < 0.89 in the case of LixFePO4)30.",
        ),
    ],
)
def test_citation_sentence(article, context, before, sentence):
    text, _, citations, _ = article
    start = _only(text, context) + len(before)
    assert {c.sentence for c in citations if c.start == start} == {sentence}


# --- problems -----------------------------------------------------------------------------------------------


def _single_passage(text: str) -> Passage:
    return Passage(
        id="doc-p001",
        document_id="doc",
        section_id=None,
        kind=PassageKind.PARAGRAPH,
        ordinal=1,
        start=0,
        end=len(text),
        text=clean(text, 0, len(text), word_counts(text)).text,
    )


def test_a_small_document():
    text = "Intro line.\nNanoparticles help1,3. Also\nshown before (refs.2–3)."
    citations, references = parse_citations("doc", text, [_single_passage(text)])
    assert [(c.id, c.ref_number, c.marker, c.start) for c in citations] == [
        ("doc-c0001", 1, "1,3", 30),
        ("doc-c0002", 3, "1,3", 30),
        ("doc-c0003", 2, "refs.2–3", 54),
        ("doc-c0004", 3, "refs.2–3", 54),
    ]
    first, second = "Nanoparticles help1,3.", "Also shown before (refs.2–3)."
    assert [c.sentence for c in citations] == [first, first, second, second]
    assert [(r.id, r.cited_count) for r in references] == [("doc-r001", 1), ("doc-r002", 1), ("doc-r003", 2)]


def test_a_reversed_ref_range_is_reported_with_its_line():
    text = "First line.\nAs shown before (refs.53–49)."
    with pytest.raises(IngestError) as caught:
        parse_citations("doc", text, [_single_passage(text)], source="corpus/doc/document.txt")
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == ("corpus/doc/document.txt", 2)
    assert "'refs.53–49'" in problem.message
    assert "reversed range" in problem.message


def test_reference_zero_is_reported():
    text = "Cited here (ref.0)."
    with pytest.raises(IngestError) as caught:
        parse_citations("doc", text, [_single_passage(text)])
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == ("doc", 1)
    assert "reference 0" in problem.message
