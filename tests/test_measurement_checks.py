"""Another paper's values against the review's Table 1 (``measurement_checks``).

Two corpora: the review with a short document written here for the purpose (a column-aligned table of LFP at
two particle sizes and of Si, a volumetric capacity in another unit than Table 1's, and prose retentions),
ingested only; and the shared build of the review with the test documents of ``fixtures/documents``.
Expected positions were read off Table 1 by hand (LFP: nano 130–169 mAh g−1 at 20–200 nm, micro 72–115 at
0.4–6 µm, micro first-cycle CE ≥97 %; LCO retention after 50 cycles: nano 93 %, micro 63 %).
"""

from __future__ import annotations

import hashlib
import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import sqlite_utils

from multiscale_kg.build import DB_NAME
from multiscale_kg.ingest import ingest_corpus
from multiscale_kg.queries.claims import Bounds
from multiscale_kg.queries.derived_rows import measurement_check_rows
from multiscale_kg.queries.measurement_checks import measurement_checks, position, same_material, table1_rows
from multiscale_kg.schema import KnowledgeBase
from multiscale_kg.schema.derived import MeasurementCheckRow
from multiscale_kg.tables import model_columns, model_row

from .conftest import CORPUS, add_article_copy

SIZES_TEXT = """Olivine and silicon electrodes at two particle sizes

Abstract
We compare LiFePO4 (LFP) cathodes and silicon anodes made of nanoparticles and of micrometre-sized particles.

1. Results
The electrodes are compared in Table 1.

Table 1. Electrodes at 0.1C.
Sample        Particle size (nm)   Reversible capacity (mA h g−1)   ICE (%)   Volumetric capacity (mA h cm−3)
LFP           40–60                162                              98.5      350
LFP           2000–8000            105                              96.0      410
Si            30                   3200                             72.0      900

a Capacities per mass of active material.

2. Discussion
The LFP nanoplates retained 91% of their capacity after 50 cycles [1]. The LiCoO2 (LCO) electrode retained
90% of its capacity after 100 cycles [1].

References
[1] A. Author, B. Author, A made-up title, J. Power Sources 1 (2020) 1–2.
"""


def add_sizes_document(corpus: Path) -> None:
    """The two-size paper (``SIZES_TEXT``), uncurated, as the corpus's document ``olivine-sizes``."""
    folder = corpus / "olivine-sizes"
    folder.mkdir()
    (folder / "document.txt").write_text(SIZES_TEXT, encoding="utf-8")
    (folder / "document.toml").write_text('title = "Olivine and silicon electrodes"\n', encoding="utf-8")


@pytest.fixture(scope="module")
def sizes_kb(tmp_path_factory) -> KnowledgeBase:
    corpus = tmp_path_factory.mktemp("sizes") / "corpus"
    shutil.copytree(CORPUS, corpus)
    add_sizes_document(corpus)
    return ingest_corpus(corpus)


@pytest.fixture(scope="module")
def sizes_checks(sizes_kb) -> dict:
    return {check.id: check for check in measurement_checks(sizes_kb)}


def test_every_check_row_is_a_valid_row_of_its_model(sizes_kb, sizes_checks):
    """The rows are written as dicts, unvalidated: each must be what its model would store."""
    found = list(measurement_check_rows(None, sizes_kb))
    assert [row["id"] for row in found] == list(sizes_checks)
    columns = list(model_columns(MeasurementCheckRow))
    for row in found:
        assert sorted(row) == sorted(columns)
        assert model_row(MeasurementCheckRow(**row)) == tuple(row[column] for column in columns)


def _bounds(low: str | None, high: str | None) -> Bounds:
    return Bounds(None if low is None else Decimal(low), None if high is None else Decimal(high))


@pytest.mark.parametrize(
    ("value", "reference", "expected"),
    [
        (("151", "151"), ("130", "169"), "within"),
        (("151", "151"), ("72", "115"), "above"),
        (("96", "96"), ("97", None), "below"),  # against "≥97"
        (("98.5", "98.5"), ("97", None), "within"),
        (("2000", "8000"), ("400", "6000"), "overlaps"),  # a range reaching past the row's
        (("99.5", None), ("65", "80"), "above"),  # "≥99.5"
        (("70", None), ("65", "80"), "overlaps"),  # "≥70" may lie inside or above
        ((None, "60"), ("65", "80"), "below"),  # "≤60"
        (("93", "93"), ("93", "93"), "within"),
    ],
)
def test_a_value_lies_within_above_below_or_across_a_range(value, reference, expected):
    assert position(_bounds(*value), _bounds(*reference)) == expected


def test_every_value_of_a_table1_material_and_property_is_placed_against_both_scales(sizes_checks):
    found = {
        check_id: (c.nano.value, c.nano.size, c.micro.value, c.micro.size)
        for check_id, c in sizes_checks.items()
    }
    assert found == {
        "olivine-sizes-table-1-r01-c3--nano-vs-micro--lfp": ("within", "within", "above", "below"),
        "olivine-sizes-table-1-r01-c4--nano-vs-micro--lfp": (None, None, "within", "below"),
        "olivine-sizes-table-1-r01-c5--nano-vs-micro--lfp": (None, None, None, None),
        "olivine-sizes-table-1-r02-c3--nano-vs-micro--lfp": ("below", "above", "within", "overlaps"),
        "olivine-sizes-table-1-r02-c4--nano-vs-micro--lfp": (None, None, "below", "overlaps"),
        "olivine-sizes-table-1-r02-c5--nano-vs-micro--lfp": (None, None, None, None),
        "olivine-sizes-q0002--nano-vs-micro--lco": ("below", None, "above", None),
    }
    # not checked: the Si row names no material of the document, and Table 1 has no LFP cycle retention


def test_the_note_says_where_the_value_lies_and_which_conditions_differ(sizes_checks):
    notes = {check_id.split("--")[0]: c.note for check_id, c in sizes_checks.items()}
    assert notes["olivine-sizes-table-1-r01-c3"] == (
        "162 mAh g-1 for lfp (40–60 nm) against Table 1 of nano-vs-micro: within nano 130–169 (particles "
        "40–60 nm: within 20–200 nm); above micro 72–115 (particles 40–60 nm: below 400–6000 nm); "
        "conditions: rate 0.1C vs not stated"
    )
    assert notes["olivine-sizes-table-1-r01-c4"] == (
        "98.5 % for lfp (40–60 nm) against Table 1 of nano-vs-micro: Table 1 gives no nano value; within "
        "micro ≥97 (particles 40–60 nm: below 400–6000 nm); conditions: rate 0.1C vs not stated"
    )
    assert notes["olivine-sizes-table-1-r01-c5"] == (
        "350 mAh cm-3 for lfp (40–60 nm) against Table 1 of nano-vs-micro: not compared with nano 90 mAh l-1 "
        "(another unit); not compared with micro 225 mAh l-1 (another unit)"
    )
    assert notes["olivine-sizes-q0002"] == (
        "90 % for lco against Table 1 of nano-vs-micro: below nano 93; above micro 63; "
        "conditions: cycles 100 vs 50"
    )


def test_the_same_material_is_the_same_material_id(sizes_checks):
    check = sizes_checks["olivine-sizes-table-1-r01-c3--nano-vs-micro--lfp"]
    table_row = check.nano.row
    assert table_row.id == "nano-vs-micro-t1-lfp-nano-gravimetric-capacity"
    assert same_material(check.measurement, table_row)
    assert not same_material(check.measurement.model_copy(update={"material_id": None}), table_row)
    assert not same_material(check.measurement.model_copy(update={"material_id": "lco"}), table_row)


# --- in the build ---------------------------------------------------------------------------------------


def test_the_review_alone_has_nothing_to_check(db):
    assert db["measurement_checks"].count == 0


def test_the_garnet_papers_lfp_capacity_is_checked_in_sqlite(built_documents):
    db = sqlite_utils.Database(built_documents / DB_NAME)
    rows = list(db.query("select * from measurement_checks order by id"))
    assert rows == [
        {
            "id": "garnet-lfp-cathode-q0006--nano-vs-micro--lfp",
            "measurement_id": "garnet-lfp-cathode-q0006",
            "document_id": "garnet-lfp-cathode",
            "material_id": "lfp",
            "property": "gravimetric_capacity",
            "method": "automatic",
            "value_min": 151.0,
            "value_max": 151.0,
            "qualifier": "=",
            "unit": "mAh g-1",
            "size_min_nm": None,
            "size_max_nm": None,
            "cycles": None,
            "rate_condition": "0.1C",
            "review_document_id": "nano-vs-micro",
            "reading": "nano-vs-micro--lfp--gravimetric_capacity",
            "other_reviews": 0,
            "nano_measurement_id": "nano-vs-micro-t1-lfp-nano-gravimetric-capacity",
            "nano_min": 130.0,
            "nano_max": 169.0,
            "nano_qualifier": "=",
            "nano_position": "within",
            "nano_size_position": None,
            "micro_measurement_id": "nano-vs-micro-t1-lfp-micro-gravimetric-capacity",
            "micro_min": 72.0,
            "micro_max": 115.0,
            "micro_qualifier": "=",
            "micro_position": "above",
            "micro_size_position": None,
            "note": "151 mAh g-1 for lfp against Table 1 of nano-vs-micro: within nano 130–169; above micro "
            "72–115; conditions: rate 0.1C vs not stated",
        }
    ]
    quote = db["measurements"].get(rows[0]["measurement_id"])["quote"]
    assert "151 mAh g(-1) at 0.1C" in quote
    # the yolk-shell paper's table rows (Si NP, Si@C, ...) name no material of their document
    assert db.execute(
        "select count(*) from measurements where document_id = 'yolk-shell-si-anode' "
        "and material_id is not null and property = 'gravimetric_capacity'"
    ).fetchone() == (0,)


# --- several reviews -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reviews_kb(tmp_path_factory) -> KnowledgeBase:
    """Three reviews with the article's Table 1 (two copies; copy b prints LFP's nano capacity as 130–168),
    and the two-size paper."""
    corpus = tmp_path_factory.mktemp("reviews") / "corpus"
    shutil.copytree(CORPUS, corpus)
    add_article_copy(corpus, "review-copy-a")
    changed = add_article_copy(corpus, "review-copy-b") / "document.txt"
    old = changed.read_bytes()
    new = old.replace("20–200 nm 130–169".encode(), "20–200 nm 130–168".encode(), 1)
    changed.write_bytes(new)
    meta = changed.with_name("document.toml")  # the text's digest follows the text
    digests = (hashlib.sha256(old).hexdigest(), hashlib.sha256(new).hexdigest())
    meta.write_text(meta.read_text(encoding="utf-8").replace(*digests), encoding="utf-8")
    add_sizes_document(corpus)
    return ingest_corpus(corpus)


@pytest.fixture(scope="module")
def reviews_checks(reviews_kb) -> dict:
    return {check.id: check for check in measurement_checks(reviews_kb)}


def test_reviews_printing_the_same_row_share_one_reading(reviews_kb):
    rows = table1_rows(reviews_kb)
    capacity = [(row.id, row.reading) for row in rows["lfp", "gravimetric_capacity"]]
    assert capacity == [
        ("nano-vs-micro--lfp--gravimetric_capacity", "nano-vs-micro--lfp--gravimetric_capacity"),
        ("review-copy-a--lfp--gravimetric_capacity", "nano-vs-micro--lfp--gravimetric_capacity"),
        ("review-copy-b--lfp--gravimetric_capacity", "review-copy-b--lfp--gravimetric_capacity"),
    ]
    retention = [row.reading for row in rows["lco", "cycle_retention"]]
    assert retention == ["nano-vs-micro--lco--cycle_retention"] * 3


def test_a_value_is_placed_once_against_each_reading(reviews_checks):
    mine = {
        check_id: (c.reading, c.other_reviews, c.nano.value)
        for check_id, c in reviews_checks.items()
        if check_id.startswith("olivine-sizes-table-1-r01-c3--")
    }
    assert mine == {
        "olivine-sizes-table-1-r01-c3--nano-vs-micro--lfp": (
            "nano-vs-micro--lfp--gravimetric_capacity",
            1,
            "within",
        ),
        "olivine-sizes-table-1-r01-c3--review-copy-b--lfp": (
            "review-copy-b--lfp--gravimetric_capacity",
            0,
            "within",
        ),
    }
    assert reviews_checks["olivine-sizes-q0002--nano-vs-micro--lco"].note == (
        "90 % for lco against Table 1 of nano-vs-micro (and of 2 other reviews printing the same row): "
        "below nano 93; above micro 63; conditions: cycles 100 vs 50"
    )


def test_a_reviews_own_row_is_not_its_reading_but_the_others_are(reviews_checks):
    """A review's cell is placed against the readings other reviews print: named after the first of them
    that is not itself, and counting only the others."""
    cell = "-t1-lfp-nano-gravimetric-capacity"
    found = {
        check_id: (c.review_document_id, c.other_reviews, c.nano.value)
        for check_id, c in reviews_checks.items()
        if check_id.split("--")[0].endswith(cell)
    }
    assert found == {
        f"nano-vs-micro{cell}--review-copy-a--lfp": ("review-copy-a", 0, "within"),
        f"nano-vs-micro{cell}--review-copy-b--lfp": ("review-copy-b", 0, "overlaps"),
        f"review-copy-a{cell}--nano-vs-micro--lfp": ("nano-vs-micro", 0, "within"),
        f"review-copy-a{cell}--review-copy-b--lfp": ("review-copy-b", 0, "overlaps"),
        f"review-copy-b{cell}--nano-vs-micro--lfp": ("nano-vs-micro", 1, "within"),
    }


def test_the_checks_grow_with_the_reviews_not_with_their_square(reviews_checks):
    """Each of a review's 133 values meets one reading per row the other reviews print: one, or two for
    LFP's capacity (its two cells) in the reviews that do not print copy b's reading. Placed against each
    other review one by one, the three would have 266 checks each."""
    per_document = Counter(c.measurement.document_id for c in reviews_checks.values())
    assert per_document == {
        "nano-vs-micro": 135,
        "review-copy-a": 135,
        "review-copy-b": 133,
        "olivine-sizes": 9,
    }
