"""Table 1 of the shipped article: materials, one measurement per filled cell, and errors on broken rows.

The expected cells are in ``fixtures/table1.csv``, transcribed by reading ``document.txt`` (one line per
cell; empty fields are "no value").
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from multiscale_kg.errors import IngestError
from multiscale_kg.ingest.cleantext import word_counts
from multiscale_kg.ingest.documents import read_document
from multiscale_kg.ingest.layout import regions
from multiscale_kg.ingest.structure import parse_structure
from multiscale_kg.ingest.table import Table1, TableMaterial, parse_table1
from multiscale_kg.schema import PassageKind

ARTICLE = Path(__file__).resolve().parent.parent / "corpus" / "nano-vs-micro"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "table1.csv"
PATH = "corpus/nano-vs-micro/document.txt"
DOC = "nano-vs-micro"

# name as printed, id, type, reference numbers printed beside it, line of document.txt
MATERIALS = [
    ("LCO", "lco", "cathode", (112,), 455),
    ("LFP", "lfp", "cathode", (113, 114, 115), 459),
    ("NCA", "nca", "cathode", (116, 117), 463),
    ("LNMO", "lnmo", "cathode", (118,), 467),
    ("FeF3", "fef3", "cathode", (119,), 471),
    ("LMFP", "lmfp", "cathode", (63,), 475),
    ("C–S", "c-s", "cathode", (120,), 479),
    ("Si", "si", "anode", (121, 122), 483),
    ("Fe2O3", "fe2o3", "anode", (49, 123, 124, 125), 487),
    ("Nb2O5", "nb2o5", "anode", (97, 126, 127), 491),
    ("V2O5", "v2o5", "anode", (128, 129), 495),
    ("Co3O4", "co3o4", "anode", (130, 131), 499),
    ("C", "c", "anode", (132, 133, 134), 503),
    ("TiO2", "tio2", "anode", (41, 135, 136, 137, 138), 507),
]

# the "–" cells of the printed table
DASHES = {
    ("lfp", "nano", "cycle_retention"),
    ("lfp", "nano", "first_cycle_ce"),
    ("lfp", "micro", "cycle_retention"),
    ("fef3", "nano", "volumetric_capacity"),
    ("fef3", "micro", "volumetric_capacity"),
    ("c-s", "nano", "volumetric_capacity"),
    ("c-s", "micro", "volumetric_capacity"),
    ("co3o4", "micro", "rate_retention"),
    ("tio2", "nano", "volumetric_capacity"),
    ("tio2", "micro", "volumetric_capacity"),
}

COLUMNS = [
    "Gravimetric capacity",
    "Volumetric capacity",
    "Cyclic stability",
    "C-rate",
    "First cycle Coulombic efficiency",
]
EXPECTED_VALUE = "a number, a range such as '776–1,363', a bound such as '≤690', or '–' for no value"


def parse(text: str) -> Table1 | None:
    _, passages = parse_structure(DOC, text, regions(text), word_counts(text))
    return parse_table1(DOC, text, passages, PATH)


@pytest.fixture(scope="module")
def original() -> str:
    return read_document(ARTICLE).text


@pytest.fixture(scope="module")
def table(original) -> Table1:
    parsed = parse(original)
    assert parsed is not None
    return parsed


def expected_cells() -> dict[tuple[str, str, str], dict[str, object]]:
    def number(field: str) -> Decimal | None:
        return Decimal(field) if field else None

    cells = {}
    with FIXTURE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = (row["material"], row["scale"], row["property"])
            assert key not in cells, f"fixture repeats {key}"
            cells[key] = {
                "value_min": number(row["value_min"]),
                "value_max": number(row["value_max"]),
                "qualifier": row["qualifier"],
                "unit": row["unit"],
                "cycles": int(row["cycles"]) if row["cycles"] else None,
                "rate_condition": row["rate_condition"] or None,
                "footnote": row["footnote"] or None,
                "particle_size_text": row["particle_size_text"],
                "size_min_nm": number(row["size_min_nm"]),
                "size_max_nm": number(row["size_max_nm"]),
            }
    return cells


def test_fixture_has_130_cells_and_no_dash_cell():
    cells = expected_cells()
    assert len(cells) == 130
    assert not DASHES & cells.keys()


def test_every_cell_matches_the_transcription_field_by_field(table):
    parsed = {(m.material_id, m.scale.value, m.property.value): m for m in table.measurements}
    assert len(table.measurements) == 130
    assert parsed.keys() == expected_cells().keys()
    for key, expected in expected_cells().items():
        m = parsed[key]
        actual = {
            "value_min": m.value_min,
            "value_max": m.value_max,
            "qualifier": m.qualifier.value,
            "unit": m.unit,
            "cycles": m.cycles,
            "rate_condition": m.rate_condition,
            "footnote": m.footnote,
            "particle_size_text": m.particle_size_text,
            "size_min_nm": m.size_min_nm,
            "size_max_nm": m.size_max_nm,
        }
        assert actual == expected, key


def test_dash_cells_yield_no_measurement(table):
    parsed = {(m.material_id, m.scale.value, m.property.value) for m in table.measurements}
    assert not DASHES & parsed
    assert len(parsed) + len(DASHES) == 28 * 5


def test_materials_types_and_reference_numbers(table, original):
    assert [(m.name, m.material_id, m.type, m.ref_numbers, m.line) for m in table.materials] == MATERIALS
    for material in table.materials:
        assert original[material.start : material.end] == material.name


def test_each_measurement_quotes_its_own_cell_in_a_row_passage(table, original):
    _, passages = parse_structure(DOC, original, regions(original), word_counts(original))
    rows = {p.id: p for p in passages if p.kind is PassageKind.TABLE_ROW}
    for m in table.measurements:
        assert original[m.start : m.end] == m.quote
        row = rows[m.passage_id]
        assert row.start <= m.start < m.end <= row.end


def test_quotes_of_tricky_cells(table):
    by_id = {m.id: m for m in table.measurements}
    quotes = {
        "nano-vs-micro-t1-lco-micro-volumetric-capacity": "776–1,363a",
        "nano-vs-micro-t1-lco-nano-cycle-retention": "93% (50 cycles)",
        "nano-vs-micro-t1-si-micro-cycle-retention": "≤9 % (10 cycles)",
        "nano-vs-micro-t1-nb2o5-nano-cycle-retention": "71% (100 cycles)a",
        "nano-vs-micro-t1-c-s-micro-rate-retention": "22% (6.6 A/ g–1)",
        "nano-vs-micro-t1-c-s-nano-first-cycle-ce": "≤93a",
        "nano-vs-micro-t1-co3o4-nano-gravimetric-capacity": "1,068b",
        "nano-vs-micro-t1-c-nano-cycle-retention": "65–100% (100 cycles)",
    }
    assert {key: by_id[key].quote for key in quotes} == quotes


def test_units_come_from_the_header_and_the_percent_cells(table):
    units = {(m.property.value, m.unit_printed, m.unit, m.unit_qudt) for m in table.measurements}
    qudt = "http://qudt.org/vocab/unit/"
    assert units == {
        ("gravimetric_capacity", "mah g–1", "mAh g-1", qudt + "MilliA-HR-PER-GM"),
        ("volumetric_capacity", "mah l–1", "mAh l-1", qudt + "A-HR-PER-M3"),
        ("cycle_retention", "%", "%", qudt + "PERCENT"),
        ("rate_retention", "%", "%", qudt + "PERCENT"),
        ("first_cycle_ce", "%", "%", qudt + "PERCENT"),
    }


def test_footnote_texts_come_from_the_table_footnotes(table):
    texts = {(m.footnote, m.footnote_text) for m in table.measurements}
    assert texts == {
        (None, None),
        ("a", "Ballpark measurement calculated either manually or predicted theoretically."),
        ("b", "Capacity calculated at different current density."),
    }


def test_measurements_carry_provenance_and_the_material_references(table):
    refs = {m.material_id: m.ref_numbers for m in table.materials}
    for m in table.measurements:
        assert m.source.value == "table1"
        assert m.document_id == DOC
        assert m.ref_numbers == refs[m.material_id]
        assert m.id == f"{DOC}-t1-{m.material_id}-{m.scale.value}-{m.property.value.replace('_', '-')}"


def test_no_table_passages_gives_none(original):
    _, passages = parse_structure(DOC, original, regions(original), word_counts(original))
    prose = [p for p in passages if not p.kind.value.startswith("table")]
    assert parse_table1(DOC, original, prose, PATH) is None


# --- errors: each on a copy of the text with one row changed -------------------------------------------


def problems(original: str, *edits: tuple[str, str]) -> list[tuple[int, str]]:
    text = original
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    with pytest.raises(IngestError) as info:
        parse(text)
    assert all(p.file == PATH for p in info.value.problems)
    return [(p.line, p.message) for p in info.value.problems]


LCO_NANO = "Cathode LCO112 300 nm 203 ≤690 93% (50 cycles) 49.7% (7C) 86\n"
LCO_MICRO = "1 µm 194 776–1,363a 63% (50 cycles) 10% (7C) 94\n"
LFP_NANO = "LFP113–115 20–200 nm 130–169 90 – 80% (2C) –\n"


def test_missing_column(original):
    assert problems(original, (LCO_NANO, "Cathode LCO112 300 nm 203 ≤690 93% (50 cycles) 49.7% (7C)\n")) == [
        (
            455,
            "Table 1: row has 4 value cells after the particle size, expected 5 "
            f"({', '.join(COLUMNS)}): a column is missing",
        ),
    ]


def test_extra_column(original):
    assert problems(original, (LCO_MICRO, "1 µm 194 776–1,363a 63% (50 cycles) 10% (7C) 94 95\n")) == [
        (
            457,
            "Table 1: row has 6 value cells after the particle size, expected 5 "
            f"({', '.join(COLUMNS)}): extra cell '95'",
        ),
    ]


def test_non_numeric_value(original):
    assert problems(original, (LCO_NANO, LCO_NANO.replace(" 203 ", " 2O3 "))) == [
        (455, f"Table 1, column 'Gravimetric capacity': cannot read '2O3' (expected {EXPECTED_VALUE})"),
    ]


def test_reversed_value_range(original):
    row = "Nb2O5 (refs.97,126,127) 20–50 nm 75–160 50–80 "
    assert problems(original, (row, row.replace("50–80", "80–50"))) == [
        (
            491,
            "Table 1, column 'Volumetric capacity': range '80–50' is reversed (expected the smaller number "
            "first)",
        ),
    ]


def test_bound_on_a_range(original):
    assert problems(original, (LCO_NANO, LCO_NANO.replace("≤690", "≤690–700"))) == [
        (
            455,
            "Table 1, column 'Volumetric capacity': '≤690–700' puts a bound on a range (expected either "
            "'≤690' or '776–1,363')",
        ),
    ]


def test_type_without_a_material(original):
    assert problems(original, (LCO_NANO, LCO_NANO.replace("LCO112 ", ""))) == [
        (
            455,
            "Table 1: after the type 'Cathode' expected the material and its reference numbers, such as "
            "'LCO112' or 'FeF3 (ref.119)'",
        ),
    ]


def test_reversed_size_range(original):
    row = "FeF3 (ref.119) 30–50 nm"
    assert problems(original, (row, "FeF3 (ref.119) 30–10 nm")) == [
        (
            471,
            "Table 1, particle size '30–10 nm': range '30–10' is reversed (expected the smaller number "
            "first)",
        ),
    ]


def test_unknown_unit_of_a_particle_size(original):
    assert problems(original, (LCO_NANO, LCO_NANO.replace("300 nm", "300 xm"))) == [
        (
            455,
            "Table 1, particle size '300 xm': unknown unit symbol 'xm' (expected a length unit such as "
            "'nm' or 'µm')",
        ),
    ]


def test_unknown_unit_of_a_rate(original):
    row = "NCA116,117 200–500 nm 196 370 ≥95% (100 cycles) 80% (1.37 A g–1) 70"
    assert problems(original, (row, row.replace("1.37 A g–1", "1.37 Zz g–1"))) == [
        (
            463,
            "Table 1, column 'C-rate': '80% (1.37 Zz g–1)': unknown unit symbol 'Zz' (expected a current "
            "density such as '1.37 A g–1')",
        ),
    ]


def test_unknown_unit_in_the_header_is_reported_once(original):
    assert problems(original, ("(mah g–1)", "(mah zz–1)")) == [
        (
            437,
            "Table 1, column 'Gravimetric capacity' has no unit for '203' (expected '%' in the cell or a "
            "unit in the header; the header's '(mah zz–1)' is not a unit: unknown unit symbol 'zz')",
        ),
    ]


def test_header_without_a_column(original):
    names = (
        "'gravimetric capacity', 'volumetric capacity', 'cyclic stability', 'c-rate', "
        "'first cycle coulombic efficiency'"
    )
    assert problems(original, ("Volumetric \ncapacity", "Areal \ncapacity")) == [
        (437, f"Table 1 header has no column 'volumetric capacity' (expected the columns {names})"),
    ]


def test_micro_row_without_its_nano_row(original):
    # the LFP nano row and its blank line removed: LFP's micro row follows LCO's micro row
    assert problems(original, (LFP_NANO + "\n", "")) == [
        (
            459,
            "Table 1: micro row without its nano row (expected a row opening with the material and its "
            "reference numbers, such as 'LCO112' or 'FeF3 (ref.119)', before this one)",
        ),
    ]


def test_nano_row_without_its_micro_row(original):
    assert problems(original, (LCO_MICRO + "\n", "")) == [
        (
            455,
            "Table 1: material 'LCO' has a nano row but no micro row (expected the micro row on the "
            "next line)",
        ),
    ]


def test_cycling_cell_without_cycles(original):
    assert problems(original, (LCO_NANO, LCO_NANO.replace("93% (50 cycles)", "93%"))) == [
        (
            455,
            "Table 1, column 'Cyclic stability': '93%' needs the number of cycles, as in '93% (50 cycles)'",
        ),
    ]


def test_percent_in_a_capacity_column(original):
    assert problems(original, (LCO_NANO, LCO_NANO.replace(" 203 ", " 203% "))) == [
        (455, "Table 1, column 'Gravimetric capacity': '203%' has '%' but the column's unit is 'mah g–1'"),
    ]


def test_undefined_footnote(original):
    assert problems(original, ("1,068b", "1,068c")) == [
        (
            499,
            "Table 1, column 'Gravimetric capacity': '1,068c' has footnote 'c', which the table's "
            "footnotes do not define (defined: a, b)",
        ),
    ]


def test_all_problems_of_the_table_are_reported_together(original):
    found = problems(
        original,
        (LCO_NANO, LCO_NANO.replace(" 203 ", " 2O3 ")),
        ("1,068b", "1,068c"),
        ("0.3–5 µm ≤200 – 45% (20 cycles) 60% (5 A g–1) 96", "0.3–5 µm ≤200 – 45% (20 cycles) 60% (5 A g–1)"),
    )
    assert [line for line, _ in found] == [455, 499, 509]


def test_table_material_is_a_frozen_record(table):
    assert isinstance(table.materials[0], TableMaterial)
    with pytest.raises(AttributeError):
        table.materials[0].name = "X"  # type: ignore[misc]
