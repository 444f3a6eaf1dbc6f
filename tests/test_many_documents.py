"""Many documents, nothing lost: the article with a copy of itself (the same concepts annotated twice), and
the article with each paper nobody curated, build with exit 0, and every curated row of the article is the
one a build of the article alone writes."""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from multiscale_kg.build import DB_NAME
from multiscale_kg.cli import main

from .conftest import CORPUS, add_article_copy
from .curated_rows import CONCEPT_TABLES, DERIVED_TABLES, STATEMENT_TABLES, all_rows
from .test_publish import Site

DOCUMENTS = Path(__file__).resolve().parent / "fixtures" / "documents"
ARTICLE = "nano-vs-micro"
COPY = "nano-vs-micro-copy"


def built_corpus(tmp_path_factory, name: str, add) -> Path:
    """The shipped corpus plus what ``add(corpus)`` puts in it, built with ``mskg build`` (exit 0)."""
    root = tmp_path_factory.mktemp(name)
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    add(corpus)
    assert main(["build", "--corpus", str(corpus), "--out", str(root / "db")]) == 0
    return root / "db" / DB_NAME


@pytest.fixture(scope="module")
def alone(built) -> dict[str, list[dict]]:
    return all_rows(built / DB_NAME)


@pytest.fixture(scope="module")
def copy_db(tmp_path_factory) -> Path:
    return built_corpus(tmp_path_factory, "copy", lambda corpus: add_article_copy(corpus, COPY))


@pytest.fixture(scope="module")
def with_copy(copy_db) -> dict[str, list[dict]]:
    return all_rows(copy_db)


@pytest.fixture(scope="module", params=sorted(p.name for p in DOCUMENTS.iterdir()))
def with_paper(request, tmp_path_factory) -> dict[str, list[dict]]:
    name = request.param
    return all_rows(
        built_corpus(tmp_path_factory, name, lambda corpus: shutil.copytree(DOCUMENTS / name, corpus / name))
    )


def keyed(rows: list[dict]) -> dict[str, dict]:
    return {row["id"]: row for row in rows}


#: what a material's theoretical capacity says about the measurements of every document that exceed it
_EXCEEDED = ("exceeded_by", "note")


def assert_article_rows_unchanged(alone: dict, combined: dict) -> None:
    """The article's statements are exactly those of the article alone; every concept and derived row of
    the article alone is in the combined build unchanged (another document may add its own). A theoretical
    capacity is the material's: the measurements of other documents that exceed it are listed beside the
    article's."""
    for table in STATEMENT_TABLES:
        mine = [r for r in combined[table] if r["document_id"] == ARTICLE]
        assert mine == alone[table], table
    for table in (*CONCEPT_TABLES, *DERIVED_TABLES):
        rows = keyed(combined[table])
        if table == "theoretical_capacities":
            measurements = {m["id"] for m in alone["measurements"]}
            for row in alone[table]:
                other = rows[row["id"]]
                assert {k: v for k, v in other.items() if k not in _EXCEEDED} == {
                    k: v for k, v in row.items() if k not in _EXCEEDED
                }
                exceeding = [m for m in json.loads(other["exceeded_by"]) if m in measurements]
                assert exceeding == json.loads(row["exceeded_by"]), row["id"]
            continue
        assert [rows.get(key) for key in keyed(alone[table])] == alone[table], table


def test_the_article_and_its_copy_build_and_the_articles_rows_are_those_of_the_article_alone(
    alone, with_copy
):
    assert_article_rows_unchanged(alone, with_copy)
    for table in CONCEPT_TABLES:
        assert with_copy[table] == alone[table], table  # the same concepts, defined once
    for table in ("strategy_addresses", "strategy_candidates", "strategy_profiles"):
        assert with_copy[table] == alone[table], table  # the same facts derive the same answers


def test_each_document_of_the_copy_states_the_same_concepts_with_its_own_quotes(alone, with_copy):
    evidence = with_copy["evidence"]
    article = [r for r in evidence if r["document_id"] == ARTICLE]
    copy = [r for r in evidence if r["document_id"] == COPY]
    assert len(article) == len(copy) == len(alone["evidence"]) == len(evidence) / 2

    def same_quote(row: dict) -> tuple:
        kind, subject = row["subject_kind"], row["subject_id"]
        if kind in ("claim", "context", "measurement"):  # a statement of its own document
            subject = subject.replace(COPY, ARTICLE, 1)
        return kind, subject, row["quote"], row["start"], row["end"], row["annotation_line"]

    assert sorted(map(same_quote, copy)) == sorted(map(same_quote, article))
    quoted = len([r for r in alone["evidence"] if r["subject_id"] == "micro-fracture"])
    assert {r["id"] for r in evidence if r["subject_id"] == "micro-fracture"} == {
        f"{document}/drawback/micro-fracture/{n}"
        for document in (ARTICLE, COPY)
        for n in range(1, quoted + 1)
    }
    keys = {ARTICLE: set(), COPY: set()}
    for row in with_copy["drawback_causes"]:
        document, key = row["id"].split("/", 1)
        assert document == row["document_id"]
        keys[document].add(key)
    assert (
        keys[COPY]
        == keys[ARTICLE]
        == {row["id"].removeprefix(f"{ARTICLE}/") for row in alone["drawback_causes"]}
    )


def _leaves_open_premises(path: Path) -> dict[tuple, list[str]]:
    """(document, conclusion, premise) → the quotes of each premise of a ``leaves-open`` derivation, the
    copy's ids read as the article's; the document is the one the derivation joins within."""
    by_derivation: dict[str, list[tuple]] = {}
    with closing(sqlite3.connect(path)) as db:
        rows = db.execute(
            "select p.derivation_id, d.subject, d.object, p.subject, p.relation, p.object, p.quotes "
            "from derivation_premises p join derivations d on d.id = p.derivation_id "
            "where d.rule_id = 'leaves-open' order by p.id"
        )
        for derivation, *row in rows:
            by_derivation.setdefault(derivation, []).append(tuple(row))
    found: dict[tuple, list[str]] = {}
    for premises in by_derivation.values():
        document = COPY if any(row[4] == f"document/{COPY}" for row in premises) else ARTICLE
        for *names, quotes in premises:
            key = (document, *(name.replace(COPY, ARTICLE) for name in names))
            found.setdefault(key, []).append(quotes)
    return found


def test_a_derivation_within_one_document_rests_on_that_documents_quotes(built, copy_db):
    """A drawback both documents annotate has the quotes of both, but the derivation that a strategy of
    the copy leaves it open joins within the copy: its premises quote the copy only, as in the article."""
    alone = _leaves_open_premises(built / DB_NAME)
    combined = _leaves_open_premises(copy_db)
    assert len(alone) == 1062
    for document in (ARTICLE, COPY):
        assert {key[1:]: quotes for key, quotes in combined.items() if key[0] == document} == {
            key[1:]: quotes for key, quotes in alone.items()
        }


def test_the_copys_claims_are_checked_against_its_own_table(with_copy):
    checks = with_copy["claim_checks"]
    mine = {r["id"].removeprefix(f"{ARTICLE}-"): r for r in checks if r["document_id"] == ARTICLE}
    copy = {r["id"].removeprefix(f"{COPY}-"): r for r in checks if r["document_id"] == COPY}
    assert set(mine) == set(copy) and len(mine) == 118
    for key, row in copy.items():
        assert row["claim_id"].startswith(f"{COPY}-")
        assert (row["verdict"], row["note"]) == (mine[key]["verdict"], mine[key]["note"]), key
        for side in ("nano_measurement_id", "micro_measurement_id"):
            assert (row[side] or "").startswith(COPY) == bool(row[side]), key


def test_the_article_with_a_paper_nobody_curated_keeps_every_curated_row(alone, with_paper):
    assert_article_rows_unchanged(alone, with_paper)
    assert keyed(with_paper["materials"])["lfp"] == keyed(alone["materials"])["lfp"]


@pytest.fixture(scope="module")
def disagreeing(tmp_path_factory) -> Path:
    """The article and a copy whose curators call LFP a conversion material."""

    def add(corpus: Path) -> None:
        materials = add_article_copy(corpus, COPY) / "materials.yaml"
        text = materials.read_text(encoding="utf-8")
        start = text.index("  - id: lfp\n")
        end = text.index("  - id:", start + 1)
        entry = text[start:end].replace("chemistry: intercalation", "chemistry: conversion")
        materials.write_text(text[:start] + entry + text[end:], encoding="utf-8")

    return built_corpus(tmp_path_factory, "disagreeing", add).parent


def test_a_materials_page_shows_each_documents_facts_and_where_they_disagree(disagreeing):
    site = Site(disagreeing)
    try:
        page = site.get("/multiscale/materials/lfp").text
    finally:
        site.close()
    assert "What each document says" in page
    assert (
        "material &#39;lfp&#39;: curated chemistry disagrees: &#39;intercalation&#39; in nano-vs-micro; "
        "&#39;conversion&#39; in nano-vs-micro-copy"
    ) in page
    assert page.count("(disagrees)") == 2
    assert "A copy of Nanostructuring versus microstructuring in battery electrodes" in page
