"""The reviewed answer table: every answer the build derives is the one a reader checked, graded as checked,
and the stated and chained answers are confirmed from the sentences given (at least 9 in 10)."""

from __future__ import annotations

from pathlib import Path

from multiscale_kg.queries.review import (
    DERIVED_COLUMNS,
    NOT_STATED,
    REVIEW_NAME,
    answer_rows,
    read_review,
    render,
)

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
DOCUMENT = "nano-vs-micro"


def test_the_committed_review_table_is_what_the_build_derives(db):
    """A changed answer (rules or annotations) fails here: regenerate with
    ``mskg review-answers`` and review the diff."""
    committed = read_review(CORPUS / DOCUMENT / REVIEW_NAME)
    derived = answer_rows(db, DOCUMENT)
    assert [tuple(r[c] for c in DERIVED_COLUMNS) for r in committed] == [
        tuple(r[c] for c in DERIVED_COLUMNS) for r in derived
    ]


def test_every_stated_or_chained_answer_is_read_and_nine_in_ten_are_confirmed():
    rows = [r for r in read_review(CORPUS / DOCUMENT / REVIEW_NAME) if r["support"] in ("stated", "chained")]
    assert rows
    assert all(r["reader"] in ("confirmed", "not confirmed") for r in rows), "every row needs a verdict"
    assert all(r["note"] for r in rows if r["reader"] == "not confirmed"), "say why a row is not confirmed"
    confirmed = sum(r["reader"] == "confirmed" for r in rows)
    assert confirmed / len(rows) >= 0.9, f"{confirmed} of {len(rows)} confirmed"


def test_inherited_and_prospect_answers_name_no_sentence(db):
    for row in answer_rows(db, DOCUMENT):
        assert (row["evidence"] == NOT_STATED) == (row["support"] in ("inherited", "prospect")), row


def test_rewriting_keeps_a_readers_verdict_only_where_the_answer_did_not_change():
    reviewed = [
        {
            "strategy_id": "s",
            "drawback_id": "d",
            "support": "chained",
            "evidence": "q",
            "reader": "confirmed",
            "note": "",
        },
        {
            "strategy_id": "t",
            "drawback_id": "d",
            "support": "chained",
            "evidence": "q",
            "reader": "confirmed",
            "note": "",
        },
    ]
    rows = [
        {"strategy_id": "s", "drawback_id": "d", "support": "chained", "evidence": "q"},
        {"strategy_id": "t", "drawback_id": "d", "support": "inherited", "evidence": NOT_STATED},
    ]
    assert render(rows, reviewed).splitlines() == [
        "strategy_id\tdrawback_id\tsupport\tevidence\treader\tnote",
        "s\td\tchained\tq\tconfirmed\t",
        f"t\td\tinherited\t{NOT_STATED}\t\t",
    ]
