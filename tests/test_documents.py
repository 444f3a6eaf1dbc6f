"""Two uncurated test documents in layouts other than the review's, parsed as one document each.

``tests/fixtures/documents/`` holds them: a research article with numbered headings, bracket citations, a
column-aligned table and an Elsevier-style reference list (``yolk-shell-si-anode``), and one with
capitalised headings, parenthesised citations, a pipe-separated "Table 2 |", a table that is only a
sentence and an ACS-style reference list (``garnet-lfp-cathode``). Every expected value below was read off
the document text by hand.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from multiscale_kg.ingest.documents import read_document
from multiscale_kg.ingest.pipeline import ingest_document
from multiscale_kg.ingest.references import find_reference_list
from multiscale_kg.schema import Method, Source, TableProfile

DOCUMENTS = Path(__file__).resolve().parent / "fixtures" / "documents"
SI, GARNET = "yolk-shell-si-anode", "garnet-lfp-cathode"


@pytest.fixture(scope="module", params=[SI, GARNET])
def name(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def parsed() -> dict[str, tuple[str, dict[str, list]]]:
    out = {}
    for doc in (SI, GARNET):
        source = read_document(DOCUMENTS / doc)
        out[doc] = (source.text, ingest_document(source))
    return out


# --- structure ----------------------------------------------------------------------------------------

SECTIONS = {
    SI: [
        ("Introduction", 1),
        ("Abstract", 1),
        ("1. Introduction", 1),
        ("2. Experimental", 1),
        ("2.1. Synthesis", 2),
        ("2.2. Characterisation and electrochemistry", 2),
        ("3. Results and discussion", 1),
        ("3.1. Structure", 2),
        ("3.2. Electrochemical performance", 2),
        ("4. Conclusions", 1),
        ("References", 1),
    ],
    GARNET: [
        ("Introduction", 1),  # the front matter before the first heading
        ("INTRODUCTION", 1),
        ("EXPERIMENTAL SECTION", 1),
        ("RESULTS AND DISCUSSION", 1),
        ("CONCLUSIONS", 1),
        ("REFERENCES", 1),
    ],
}


def test_numbered_capitalised_and_reference_headings_are_sections(parsed, name):
    _, parts = parsed[name]
    assert [(s.title, s.level) for s in parts["sections"]] == SECTIONS[name]
    assert len({s.id for s in parts["sections"]}) == len(parts["sections"])


# --- citations ----------------------------------------------------------------------------------------

CITATIONS = {
    SI: [
        ("[1,2]", (1, 2)),
        ("[3]", (3,)),
        ("[4–6]", (4, 5, 6)),
        ("[7]", (7,)),
        ("[2, 8]", (2, 8)),
        ("[9]–[11]", (9, 10, 11)),
        ("[12]", (12,)),
        ("[13]", (13,)),
        ("[14]", (14,)),
        ("[15]", (15,)),
        ("[16,17]", (16, 17)),
        ("[1, 16]", (1, 16)),
    ],
    GARNET: [
        ("(1)", (1,)),
        ("(2, 3)", (2, 3)),
        ("(4−6)", (4, 5, 6)),
        ("(7)", (7,)),
        ("(8)", (8,)),
        ("(9)", (9,)),
        ("(10, 11)", (10, 11)),
        ("(12)", (12,)),  # "Thompson et al. (2017)" before it is a year, not reference 2017
        ("(13)", (13,)),
        ("(14)", (14,)),
        ("(15, 16)", (15, 16)),
        ("(7, 17)", (7, 17)),
        ("(10, 13)", (10, 13)),
    ],
}


def test_every_in_text_citation_is_found_with_its_numbers(parsed, name):
    text, parts = parsed[name]
    markers: dict[int, tuple[str, list[int]]] = {}
    for c in parts["citations"]:
        assert text[c.start : c.end] == c.marker
        markers.setdefault(c.start, (c.marker, []))[1].append(c.ref_number)
    found = [(marker, tuple(numbers)) for _, (marker, numbers) in sorted(markers.items())]
    assert found == CITATIONS[name]


def test_no_citation_comes_from_the_reference_list(parsed, name):
    text, parts = parsed[name]
    listed = find_reference_list(text)
    assert listed is not None
    assert all(c.end <= listed.start for c in parts["citations"])
    page_numbers = {"A93", "A156", "A137"} if name == SI else {"A224", "A170"}
    assert all(page in text[listed.start :] for page in page_numbers)


# --- references -----------------------------------------------------------------------------------------

YEARS = {
    SI: [
        2004,
        2013,
        1995,
        2012,
        2012,
        2015,
        2007,
        2013,
        2012,
        2014,
        2014,
        1968,
        2007,
        2011,
        2009,
        2014,
        2001,
    ],
    GARNET: [
        2017,
        2007,
        2009,
        1997,
        2001,
        2001,
        2002,
        2001,
        2011,
        2014,
        2016,
        2017,
        2017,
        2017,
        2016,
        2016,
        2010,
    ],
}


def test_every_numbered_reference_is_a_record_with_its_year(parsed, name):
    _, parts = parsed[name]
    refs = sorted(parts["references"], key=lambda r: r.number)
    assert [r.number for r in refs] == list(range(1, 18))
    assert [r.year for r in refs] == YEARS[name]
    assert all(r.authors and r.title and r.journal and r.volume and r.pages for r in refs)


def test_cited_counts_come_from_the_body_citations(parsed, name):
    _, parts = parsed[name]
    counts = {r.number: r.cited_count for r in parts["references"]}
    expected = {n: 0 for n in range(1, 18)}
    for _, numbers in CITATIONS[name]:
        for n in numbers:
            expected[n] += 1
    assert counts == expected


@pytest.mark.parametrize(
    ("name", "number", "fields"),
    [
        (
            SI,
            1,
            (
                ("M.N. Obrovac", "L. Christensen"),
                "Structural changes in silicon anodes during lithium insertion/extraction",
                "Electrochem. Solid-State Lett.",
                2004,
                "7",
                "A93–A96",
                None,
            ),
        ),
        (
            SI,
            9,
            (
                ("N. Liu", "H. Wu", "M.T. McDowell", "Y. Yao", "C. Wang", "Y. Cui"),
                "A yolk-shell design for stabilized and scalable Li-ion battery alloy anodes",
                "Nano Lett.",
                2012,
                "12",
                "3315–3321",
                "10.1021/nl3014814",
            ),
        ),
        (
            SI,
            11,
            (
                ("J. Liu", "Y. Wen", "P.A. van Aken", "J. Maier", "Y. Yu"),
                "Facile synthesis of highly porous Ni–Sn intermetallic microcages",
                "Nano Lett.",
                2014,
                "14",
                "6387–6392",
                None,
            ),
        ),
        (
            GARNET,
            5,
            (
                ("Yamada, A.", "Chung, S. C.", "Hinokuma, K."),
                "Optimized LiFePO4 for Lithium Battery Cathodes",
                "J. Electrochem. Soc.",
                2001,
                "148",
                "A224–A229",
                None,
            ),
        ),
        (
            GARNET,
            10,
            (
                (
                    "Bernuy-Lopez, C.",
                    "Manalastas, W.",
                    "Lopez del Amo, J. M.",
                    "Aguadero, A.",
                    "Aguesse, F.",
                    "Kilner, J. A.",
                ),
                "Atmosphere Controlled Processing of Ga-Substituted Garnets for High Li-Ion Conductivity "
                "Ceramics",
                "Chem. Mater.",
                2014,
                "26",
                "3610–3617",
                "10.1021/cm5008069",
            ),
        ),
        (
            GARNET,
            6,
            (
                ("Andersson, A. S.", "Thomas, J. O."),
                "The Source of First-Cycle Capacity Loss in LiFePO4",
                "J. Power Sources",
                2001,
                "97–98",
                "498–502",
                None,
            ),
        ),
    ],
)
def test_reference_fields_as_printed(parsed, name, number, fields):
    text, parts = parsed[name]
    ref = next(r for r in parts["references"] if r.number == number)
    assert (ref.authors, ref.title, ref.journal, ref.year, ref.volume, ref.pages, ref.doi) == fields
    assert ref.id == f"{name}-r{number:03d}"
    assert text[ref.start : ref.end].split()[0] == ref.text.split()[0]


# --- tables ---------------------------------------------------------------------------------------------


def test_every_table_caption_opens_a_table(parsed):
    shapes = {
        name: [(t.label, t.profile, t.rows, t.columns) for t in parts["tables"]]
        for name, (_, parts) in parsed.items()
    }
    assert shapes == {
        SI: [("Table 1", TableProfile.CELLS, 4, 5)],
        GARNET: [("Table 2", TableProfile.CELLS, 3, 5), ("Table 3", TableProfile.TEXT, 0, 0)],
    }
    table3 = parsed[GARNET][1]["tables"][1]
    assert table3.note == "no column-separated header and rows; kept as text"
    assert table3.caption.startswith("Synthesis routes compared in this work")


def test_cells_keep_row_column_header_text_and_offsets(parsed, name):
    text, parts = parsed[name]
    cells = parts["table_cells"]
    assert len(cells) == (20 if name == SI else 15)
    for cell in cells:
        assert text[cell.start : cell.end] == cell.text
    first = cells[0]
    if name == SI:
        assert (first.row, first.column, first.header, first.text) == (1, 1, "Sample", "Si NP")
    else:
        assert (first.row, first.column, first.header, first.text) == (
            1,
            1,
            "Electrolyte",
            "LLZO (tetragonal)",
        )


# every numeric cell under a header with a unit, read off the page: (row label, property, min, max, unit)
TABLE_MEASUREMENTS = {
    SI: [
        (sample, prop, Decimal(lo), Decimal(hi), unit)
        for sample, size, capacity, ice, retention in [
            ("Si NP", ("50", "80"), "2850", "71.2", "18.5"),
            ("Si@C", ("60", "90"), "1650", "78.4", "62.0"),
            ("Si@void@C", ("3000", "5000"), "1320", "84.9", "86.4"),
            ("Graphite", ("15000", "15000"), "352", "93.1", "98.2"),
        ]
        for prop, lo, hi, unit in [
            ("particle_size", *size, "nm"),
            ("gravimetric_capacity", capacity, capacity, "mAh g-1"),
            ("first_cycle_ce", ice, ice, "%"),
            ("cycle_retention", retention, retention, "%"),
        ]
    ],
    GARNET: [
        (sample, prop, Decimal(value), Decimal(value), unit)
        for sample, ga, density, sigma, energy in [
            ("LLZO (tetragonal)", "0", "88", "0.0000021", "0.52"),
            ("Ga-LLZO", "1.5", "94", "0.0013", "0.31"),
            ("Ga-LLZO (air-aged)", "1.5", "93", "0.00040", "0.36"),
        ]
        for prop, value, unit in [
            ("mass_fraction", ga, "wt%"),
            ("relative_density", density, "%"),
            ("ionic_conductivity", sigma, "S cm-1"),
            ("activation_energy", energy, "eV"),
        ]
    ],
}


def test_numeric_cells_under_property_headers_are_automatic_measurements(parsed, name):
    _, parts = parsed[name]
    table = [m for m in parts["measurements"] if m.source is Source.TABLE]
    assert all(m.method is Method.AUTOMATIC and m.table_id == parts["tables"][0].id for m in table)
    found = [(m.sample, m.property.value, m.value_min, m.value_max, m.unit) for m in table]
    assert found == TABLE_MEASUREMENTS[name]


def test_table_conditions_and_subjects(parsed):
    si = {m.id: m for m in parsed[SI][1]["measurements"]}
    retention = si[f"{SI}-table-1-r03-c5"]
    assert (retention.cycles, retention.rate_condition) == (500, "0.2 A g−1")  # header and caption
    assert (retention.particle_size_text, retention.size_min_nm, retention.size_max_nm) == (
        "3000–5000 nm",
        Decimal(3000),
        Decimal(5000),
    )
    garnet = {m.id: m for m in parsed[GARNET][1]["measurements"]}
    assert garnet[f"{GARNET}-table-2-r01-c4"].material_id == "llzo"  # "LLZO (tetragonal)"
    assert garnet[f"{GARNET}-table-2-r02-c4"].material_id == "ga-llzo"


# --- with the review ----------------------------------------------------------------------------------


def test_the_review_with_both_documents_keeps_its_parsed_rows(kb, tmp_path):
    """The corpus plus the two test documents ingests; the review's measurements, citations, references,
    passages, tables and materials are those of the review alone (an uncurated paper's LFP is a fact of that
    paper, never the material's row)."""
    from shutil import copytree

    from multiscale_kg.ingest import ingest_corpus

    corpus = tmp_path / "corpus"
    copytree(Path(__file__).resolve().parents[1] / "corpus", corpus)
    for name in (SI, GARNET):
        copytree(DOCUMENTS / name, corpus / name)
    both = ingest_corpus(corpus)
    for field in ("measurements", "citations", "references", "passages", "sections", "tables", "materials"):
        alone = getattr(kb, field)
        review = [item for item in getattr(both, field) if item.document_id == "nano-vs-micro"]
        assert review == list(alone), field
    assert {d.id for d in both.documents} == {"nano-vs-micro", SI, GARNET}
    assert all(m.method is Method.CURATED for m in both.measurements if m.document_id == "nano-vs-micro")
