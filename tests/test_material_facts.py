"""One material, facts per document: a material is one entity, what each document says about it is kept
with that document, a curated value never yields to an automatic one, and curated documents that disagree
are reported."""

from __future__ import annotations

import shutil
from pathlib import Path

from multiscale_kg.cli import main
from multiscale_kg.ingest import ingest_corpus
from multiscale_kg.ingest.material_merge import merge_materials
from multiscale_kg.schema import Material
from multiscale_kg.schema.material_facts import Disagreement, disagreements
from multiscale_kg.schema.vocab import Chemistry, Method, Role

from .conftest import add_article_copy

DOCUMENTS = Path(__file__).resolve().parent / "fixtures" / "documents"
GARNET = "garnet-lfp-cathode"


def lfp(document_id: str, **values) -> Material:
    return Material(
        **{"id": "lfp", "name": "LiFePO4", "document_id": document_id, "start": 10, "end": 17} | values
    )


def test_a_curated_material_is_kept_whichever_document_comes_first():
    automatic = lfp("a-paper", role=Role.ANODE)
    curated = lfp(
        "b-review", name="lithium iron phosphate", role=Role.CATHODE, chemistry=Chemistry.INTERCALATION
    )
    materials, facts = merge_materials([automatic, curated], curated={"b-review"})
    assert materials == [curated]
    assert [(f.id, f.document_id, f.material_id, f.method, f.name, f.role) for f in facts] == [
        ("a-paper-lfp", "a-paper", "lfp", Method.AUTOMATIC, "LiFePO4", Role.ANODE),
        ("b-review-lfp", "b-review", "lfp", Method.CURATED, "lithium iron phosphate", Role.CATHODE),
    ]


def test_without_a_curated_document_the_first_document_names_the_material():
    first, second = lfp("a-paper"), lfp("b-paper", abbreviation="LFP")
    assert merge_materials([first, second], curated=set())[0] == [first]
    assert merge_materials([first, second], curated={"a-paper", "b-paper"})[0] == [first]


def test_only_curated_values_that_differ_disagree():
    columns = ("document_id", "method", "formula", "role", "chemistry")
    facts = [
        {"material_id": "lfp", **dict(zip(columns, values, strict=True))}
        for values in (
            ("a", "curated", "LiFePO4", "cathode", "intercalation"),
            ("b", "curated", "LiFePO4", None, "conversion"),
            ("c", "automatic", "LiFe2PO4", "anode", "alloying"),
            ("d", "curated", None, "cathode", "conversion"),
        )
    ]
    assert disagreements(facts) == [
        Disagreement("lfp", "chemistry", {"intercalation": ("a",), "conversion": ("b", "d")})
    ]
    assert str(disagreements(facts)[0]) == (
        "material 'lfp': curated chemistry disagrees: 'intercalation' in a; 'conversion' in b, d"
    )


def test_an_uncurated_paper_does_not_replace_the_articles_lfp(kb, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(Path(__file__).resolve().parents[1] / "corpus", corpus)
    shutil.copytree(DOCUMENTS / GARNET, corpus / GARNET)
    both = ingest_corpus(corpus)
    assert {m.id: m for m in both.materials}["lfp"] == {m.id: m for m in kb.materials}["lfp"]
    assert [m for m in both.materials if m.document_id == "nano-vs-micro"] == list(kb.materials)
    facts = {(f.document_id, f.method): f for f in both.material_facts if f.material_id == "lfp"}
    assert set(facts) == {("nano-vs-micro", Method.CURATED), (GARNET, Method.AUTOMATIC)}
    article = facts[("nano-vs-micro", Method.CURATED)]
    assert (article.name, article.formula, article.role, article.chemistry) == (
        "lithium iron phosphate",
        "LiFePO4",
        Role.CATHODE,
        Chemistry.INTERCALATION,
    )
    garnet = facts[(GARNET, Method.AUTOMATIC)]
    assert (garnet.formula, garnet.abbreviation, garnet.chemistry) == ("LiFePO4", "LFP", None)
    text = (corpus / GARNET / "document.txt").read_text(encoding="utf-8")
    assert text[garnet.start : garnet.end] in ("LiFePO4", "LFP")
    assert [f for f in both.material_facts if f.document_id == "nano-vs-micro"] == list(kb.material_facts)


def test_validate_reports_two_curated_documents_that_disagree(corpus_copy, capsys):
    copy = add_article_copy(corpus_copy, "second-look")
    materials = copy / "materials.yaml"
    text = materials.read_text(encoding="utf-8")
    entry = "  - id: lfp\n"
    start = text.index(entry)
    end = text.index("  - id:", start + len(entry))
    assert "    chemistry: intercalation\n" in text[start:end]
    changed = text[start:end].replace("chemistry: intercalation", "chemistry: conversion")
    materials.write_text(text[:start] + changed + text[end:], encoding="utf-8")
    assert main(["validate", "--corpus", str(corpus_copy)]) == 0
    out = capsys.readouterr().out
    assert (
        "materials whose curated documents disagree: 1\n"
        "  material 'lfp': curated chemistry disagrees: 'intercalation' in nano-vs-micro; 'conversion' in "
        "second-look\n"
    ) in out
