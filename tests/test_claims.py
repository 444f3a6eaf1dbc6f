"""The article's claims checked against its own Table 1 (verdicts from the claim rules)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from multiscale_kg.graph.store import to_dataset
from multiscale_kg.ingest import document_texts
from multiscale_kg.queries.claims import Bounds, claim_checks, python_verdict, table1_materials, verdict
from multiscale_kg.queries.derive import derive

from .conftest import CORPUS

TABLE1 = [
    "c",
    "c-s",
    "co3o4",
    "fe2o3",
    "fef3",
    "lco",
    "lfp",
    "lmfp",
    "lnmo",
    "nb2o5",
    "nca",
    "si",
    "tio2",
    "v2o5",
]


@pytest.fixture(scope="module")
def checks(kb):
    texts = document_texts(CORPUS, kb)
    derived = derive(kb, texts, to_dataset(kb, texts))
    return list(claim_checks(kb, derived.inference))


def verdicts(db, claim: str) -> dict[str, str]:
    """The verdicts of one of the article's claims (a claim's id is its document's and the curated id)."""
    rows = db.query(
        "select material_id, verdict from claim_checks where claim_id = ?", [f"nano-vs-micro-{claim}"]
    )
    return {row["material_id"]: row["verdict"] for row in rows}


def test_the_issue_expected_verdicts(db):
    first_cycle = verdicts(db, "micro-better-first-cycle-ce")
    assert {m: first_cycle[m] for m in ("lco", "nca", "si", "fe2o3")} == dict.fromkeys(
        ("lco", "nca", "si", "fe2o3"), "supports"
    )
    assert verdicts(db, "nano-better-cycle-retention")["lnmo"] == "contradicts"  # 62% vs 95%
    gravimetric = verdicts(db, "nano-better-gravimetric-capacity")
    assert (gravimetric["co3o4"], gravimetric["nb2o5"]) == ("contradicts", "contradicts")


def test_every_verdict_of_two_claims(db):
    # read off Table 1: nano 75.9 vs micro 84 (C), ≤93 vs ≥95 (C–S), 76 vs 74 (Co3O4: nano higher),
    # 85–95 vs 95 (Nb2O5: the ranges touch), LFP has no nano value
    assert verdicts(db, "micro-better-first-cycle-ce") == {
        "c": "supports",
        "c-s": "supports",
        "co3o4": "contradicts",
        "fe2o3": "supports",
        "fef3": "supports",
        "lco": "supports",
        "lfp": "insufficient",
        "lmfp": "supports",
        "lnmo": "supports",
        "nb2o5": "overlaps",
        "nca": "supports",
        "si": "supports",
        "tio2": "supports",
        "v2o5": "supports",
    }
    # Si 1,500–3,000 vs 500–1,500 share 1,500; C nanosheets 65–100% contain the bulk 85%
    gravimetric = verdicts(db, "nano-better-gravimetric-capacity")
    assert [m for m, v in gravimetric.items() if v == "overlaps"] == ["si"]
    assert verdicts(db, "nano-better-cycle-retention")["c"] == "overlaps"


def test_the_table_covers_every_table1_material_and_every_claim(db, kb):
    assert table1_materials(kb) == {"nano-vs-micro": TABLE1}
    with_property = sorted(c.id for c in kb.claims if c.property is not None)
    rows = list(db.query("select claim_id, material_id from claim_checks where material_id is not null"))
    assert sorted((r["claim_id"], r["material_id"]) for r in rows) == [
        (claim, material) for claim in with_property for material in TABLE1
    ]
    qualitative = sorted(c.id for c in kb.claims if c.property is None)
    rows = list(db.query("select claim_id, verdict, note from claim_checks where material_id is null"))
    assert sorted(r["claim_id"] for r in rows) == qualitative
    assert {(r["verdict"], r["note"]) for r in rows} == {
        ("insufficient", "qualitative claim: it names no property, so Table 1 cannot test it")
    }


def test_claims_without_a_table1_column_are_insufficient_and_say_why(db):
    row = db["claim_checks"].get("nano-vs-micro-micro-better-mass-loading--si")
    assert (row["verdict"], row["note"]) == ("insufficient", "Table 1 has no mass loading column")
    row = db["claim_checks"].get("nano-vs-micro-nano-better-cycle-retention--lfp")
    assert row["note"] == "Table 1 gives no nano and micro value of cycle retention for lfp"


def test_notes_show_both_values_and_what_differs(db):
    assert (
        db["claim_checks"].get("nano-vs-micro-nano-better-cycle-retention--lnmo")["note"]
        == "nano 62 vs micro 95 %"
    )
    assert db["claim_checks"].get("nano-vs-micro-nano-better-cycle-retention--co3o4")["note"] == (
        "nano 97 vs micro 28.4 %; cycles differ (nano 100, micro 45)"
    )
    assert db["claim_checks"].get("nano-vs-micro-nano-better-rate-capability--v2o5")["note"] == (
        "nano 82.5 vs micro 71 %; rates differ (nano 3 A g-1, micro 2 A g-1)"
    )


def test_bounds_keep_their_qualifier(db):
    row = db["claim_checks"].get("nano-vs-micro-micro-better-first-cycle-ce--si")
    assert (row["nano_min"], row["nano_max"], row["nano_qualifier"]) == (65.0, 80.0, "=")
    assert (row["micro_min"], row["micro_max"], row["micro_qualifier"]) == (90.0, None, ">=")


def test_the_rules_and_the_python_comparison_agree_on_every_row(checks):
    assert len(checks) == 118
    assert [(c.id, c.verdict) for c in checks] == [(c.id, python_verdict(c)) for c in checks]


@pytest.mark.parametrize(
    ("better", "other", "expected"),
    [
        (Bounds(Decimal(95), None), Bounds(Decimal(70), Decimal(80)), "supports"),  # ≥95 vs 70–80
        (Bounds(None, Decimal(93)), Bounds(Decimal(95), None), "contradicts"),  # ≤93 vs ≥95
        (Bounds(Decimal(95), None), Bounds(Decimal(95), Decimal(95)), "overlaps"),  # ≥95 vs 95: not a point
        (Bounds(None, Decimal(300)), Bounds(Decimal(200), Decimal(200)), "overlaps"),  # ≤300 may be below
        (Bounds(Decimal(85), Decimal(95)), Bounds(Decimal(95), Decimal(95)), "overlaps"),  # touching ranges
        (None, Bounds(Decimal(1), Decimal(1)), "insufficient"),
    ],
)
def test_verdict_reads_bounds_as_ranges(better, other, expected):
    assert verdict(better, other) == expected
