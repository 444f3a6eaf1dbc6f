"""Concepts shared, statements per document: ``corpus/concepts.yaml`` defines each concept once, a document's
``annotations.yaml`` quotes the concepts it discusses and adds its own statements; the article's curated
rows are those it had before the split."""

from __future__ import annotations

from pathlib import Path

import pytest

from multiscale_kg.build import DB_NAME
from multiscale_kg.cli import main
from multiscale_kg.errors import IngestError
from multiscale_kg.ingest import ingest_corpus
from multiscale_kg.ingest.annotation_items import DEFINITIONS
from multiscale_kg.ingest.concepts import CONCEPTS_NAME, load_vocabulary
from multiscale_kg.ingest.quotes import normalise_quote
from multiscale_kg.schema.knowledge import Annotations, concept_fields

from .conftest import ARTICLE, CORPUS, add_article_copy
from .curated_rows import ADDED_COLUMNS, MOVED_COLUMNS, TABLES, all_rows, as_before, read_golden

CONCEPTS = CORPUS / CONCEPTS_NAME
ANNOTATIONS = "nano-vs-micro/annotations.yaml"


def line_of(path: Path, fragment: str) -> int:
    """The 1-based line of ``path`` on which ``fragment`` (unique in the file) is written."""
    text = path.read_text(encoding="utf-8")
    assert text.count(fragment) == 1, fragment
    return text[: text.index(fragment)].count("\n") + 1


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def problems(corpus: Path) -> list[str]:
    with pytest.raises(IngestError) as caught:
        ingest_corpus(corpus)
    return [str(problem) for problem in caught.value.problems]


# ---- the shipped vocabulary --------------------------------------------------------------------------------


def test_every_concept_kind_has_a_definition_schema():
    assert (
        set(DEFINITIONS)
        == set(concept_fields(Annotations))
        == {
            "mechanisms",
            "advantages",
            "drawbacks",
            "causes",
            "strategies",
            "features",
        }
    )


def test_the_article_defines_no_concept_of_its_own_and_quotes_every_concept(kb):
    vocabulary = load_vocabulary(CONCEPTS)
    concepts = {e.id for name in concept_fields(Annotations) for e in getattr(kb, name)}
    assert concepts == set(vocabulary.concepts)
    assert len(concepts) == 8 + 11 + 22 + 23 + 23 + 23
    for name in concept_fields(Annotations):
        for entity in getattr(kb, name):
            assert entity.evidence and {ev.document_id for ev in entity.evidence} == {"nano-vs-micro"}
    assert "label:" not in (ARTICLE / "annotations.yaml").read_text(encoding="utf-8").split("\nclaims:")[0]


def test_a_concepts_definition_is_a_skos_concept_of_the_corpus_scheme(dataset):
    from rdflib import Literal
    from rdflib.namespace import RDF, SKOS

    from multiscale_kg.graph.namespaces import MSKG, iri

    node = iri("mechanism", "critical-size-fracture")
    scheme = iri("scheme", "concepts")
    assert {
        (node, RDF.type, SKOS.Concept),
        (node, RDF.type, MSKG.Mechanism),
        (node, SKOS.inScheme, scheme),
    } <= set(dataset.triples((node, None, None)))
    assert dataset.value(node, SKOS.prefLabel) == Literal(
        "Fracture resistance below a critical particle size"
    )
    assert str(dataset.value(node, SKOS.definition)).startswith("Silicon particles below a critical diameter")
    assert (iri("claim", "nano-vs-micro-micro-better-cost"), RDF.type, SKOS.Concept) not in dataset


@pytest.fixture(scope="module")
def dataset(kb):
    from multiscale_kg.graph.store import to_dataset
    from multiscale_kg.ingest import document_texts

    return to_dataset(kb, document_texts(CORPUS, kb))


# ---- before and after the split ----------------------------------------------------------------------------


def test_every_curated_row_of_the_article_is_what_it_was_before_the_split(built):
    """The golden file holds the rows of the build before concepts moved to concepts.yaml (statements and
    evidence then had ids without their document). Every row of every curated, statement and derived table
    is the same, written as the golden file writes it; the only columns added are the documents of the
    statements, and the only values that moved are the lines of annotations.yaml quotes are written on."""
    golden = read_golden()
    rows = all_rows(built / DB_NAME)
    assert as_before(rows, "nano-vs-micro", golden) == {
        table: sorted(
            (
                {k: v for k, v in row.items() if k not in MOVED_COLUMNS.get(table, set())}
                for row in golden[table]
            ),
            key=lambda row: row["id"],
        )
        for table in TABLES
    }
    for table in TABLES:
        if golden[table] and rows[table]:
            assert set(rows[table][0]) - set(golden[table][0]) == ADDED_COLUMNS.get(table, set()), table
    assert sum(len(found) for found in golden.values()) == 1580


def test_each_quote_keeps_the_line_of_annotations_yaml_it_is_written_on(db):
    lines = (ARTICLE / "annotations.yaml").read_text(encoding="utf-8").splitlines()
    rows = list(db.query("select quote, annotation_line from evidence where annotation_line is not null"))
    assert len(rows) == 659 - 171  # every quote but the measurements' (parsed, not curated)
    for row in rows:
        written = normalise_quote(lines[row["annotation_line"] - 1])
        assert normalise_quote(row["quote"])[:20] in written, row


# ---- problems ----------------------------------------------------------------------------------------------


def test_a_concept_defined_differently_in_a_document_names_both_places(corpus_copy, monkeypatch):
    monkeypatch.chdir(corpus_copy.parent)
    annotations = corpus_copy / ANNOTATIONS
    replace_once(annotations, "  - id: micro-fracture\n", "  - id: micro-fracture\n    scale: nano\n")
    defined = line_of(corpus_copy / CONCEPTS_NAME, "  - id: micro-fracture\n")
    restated = line_of(annotations, "  - id: micro-fracture\n    scale: nano\n") + 1
    assert problems(Path("corpus")) == [
        f"corpus/{ANNOTATIONS}:{restated}: drawback 'micro-fracture' is defined differently in "
        f"corpus/concepts.yaml:{defined}: scale is 'micro' there and 'nano' here (remove 'scale' here, or "
        "make the two agree)"
    ]


def test_a_conflicting_definition_exits_2_naming_both_files_and_lines(corpus_copy, monkeypatch, capsys):
    monkeypatch.chdir(corpus_copy.parent)
    annotations = corpus_copy / ANNOTATIONS
    replace_once(annotations, "  - id: micro-fracture\n", "  - id: micro-fracture\n    label: Cracks\n")
    assert main(["build", "--corpus", "corpus", "--out", "db"]) == 2
    err = capsys.readouterr().err
    defined = line_of(corpus_copy / CONCEPTS_NAME, "  - id: micro-fracture\n")
    assert f"corpus/{ANNOTATIONS}:{line_of(annotations, '    label: Cracks')}: " in err
    assert f"is defined differently in corpus/concepts.yaml:{defined}: label is " in err
    assert "Traceback" not in err
    assert not Path("db").exists()


def test_a_restated_definition_that_agrees_is_accepted(corpus_copy):
    replace_once(
        corpus_copy / ANNOTATIONS, "  - id: micro-fracture\n", "  - id: micro-fracture\n    scale: micro\n"
    )
    kb = ingest_corpus(corpus_copy)
    assert {d.id: d.scale for d in kb.drawbacks}["micro-fracture"].value == "micro"


def test_one_id_defined_twice_in_concepts_yaml_names_both_lines(corpus_copy, monkeypatch):
    monkeypatch.chdir(corpus_copy.parent)
    concepts = corpus_copy / CONCEPTS_NAME
    first = line_of(concepts, "  - id: volume-change-stress\n")
    replace_once(concepts, "  - id: pedot-coating\n", "  - id: volume-change-stress\n")
    second = line_of(concepts, "    label: Conductive polymer (PEDOT) coating")  # the item's next line
    assert problems(Path("corpus")) == [
        f"corpus/concepts.yaml:{second - 1}: feature 'volume-change-stress': the id 'volume-change-stress' "
        f"is defined twice (also as a cause at line {first}); one id names one concept"
    ]


def test_a_concept_in_the_wrong_section_names_its_definition(corpus_copy, monkeypatch):
    monkeypatch.chdir(corpus_copy.parent)
    annotations = corpus_copy / ANNOTATIONS
    text = annotations.read_text(encoding="utf-8")
    annotations.write_text(
        text.replace("causes:\n", 'causes:\n  - id: micro-fracture\n    quote: "micro"\n', 1),
        encoding="utf-8",
    )
    line = line_of(annotations, '    quote: "micro"') - 1
    defined = line_of(corpus_copy / CONCEPTS_NAME, "  - id: micro-fracture\n")
    found = problems(Path("corpus"))
    assert (
        f"corpus/{ANNOTATIONS}:{line}: causes item 'micro-fracture': 'micro-fracture' is a drawback in "
        f"corpus/concepts.yaml:{defined}, not a cause"
    ) in found


def test_an_unknown_concept_says_where_to_define_it(corpus_copy, monkeypatch):
    monkeypatch.chdir(corpus_copy.parent)
    annotations = corpus_copy / ANNOTATIONS
    replace_once(annotations, "  - id: micro-fracture\n", "  - id: micro-fractures\n")
    line = line_of(annotations, "  - id: micro-fractures\n")
    assert (
        f"corpus/{ANNOTATIONS}:{line}: drawback 'micro-fractures': unknown drawback: did you mean "
        "'micro-fracture'? define it in corpus/concepts.yaml (id, label, ...), or give its label and keys "
        "here when only this document discusses it"
    ) in problems(Path("corpus"))


def test_a_statement_may_not_reuse_the_id_of_a_concept(corpus_copy, monkeypatch):
    monkeypatch.chdir(corpus_copy.parent)
    annotations = corpus_copy / ANNOTATIONS
    replace_once(annotations, "  - id: industry-prefers-micro\n", "  - id: micro-fracture\n")
    line = line_of(annotations, "  - id: micro-fracture\n    label:")
    defined = line_of(corpus_copy / CONCEPTS_NAME, "  - id: micro-fracture\n")
    assert (
        f"corpus/{ANNOTATIONS}:{line}: claim 'micro-fracture': the id 'micro-fracture' is a drawback in "
        f"corpus/concepts.yaml:{defined}; one id names one thing: give the claim another id"
    ) in problems(Path("corpus"))


def test_a_concept_no_document_quotes_is_reported(corpus_copy, monkeypatch):
    """A concept has no document; its evidence is the quotes of the documents that discuss it."""
    monkeypatch.chdir(corpus_copy.parent)
    concepts = corpus_copy / CONCEPTS_NAME
    with concepts.open("a", encoding="utf-8") as handle:
        handle.write("\n  - id: unused-feature\n    label: A feature no document discusses\n")
    line = line_of(concepts, "  - id: unused-feature\n")
    assert problems(Path("corpus")) == [
        f"corpus/concepts.yaml:{line}: feature 'unused-feature' is quoted by no document: a concept's "
        "evidence is the quotes of the documents that discuss it; quote it in a document's annotations.yaml, "
        "or remove it"
    ]


def test_quotes_belong_in_a_document_not_in_concepts_yaml(corpus_copy, monkeypatch):
    monkeypatch.chdir(corpus_copy.parent)
    concepts = corpus_copy / CONCEPTS_NAME
    replace_once(
        concepts,
        "    label: Conductive polymer (PEDOT) coating\n",
        '    label: PEDOT coating\n    quote: "x"\n',
    )
    line = line_of(concepts, '    quote: "x"')
    [found] = problems(Path("corpus"))
    assert found.startswith(
        f"corpus/concepts.yaml:{line}: features item 'pedot-coating': unknown key 'quote' "
    )


def test_two_documents_that_define_one_concept_differently_are_both_named(corpus_copy, monkeypatch):
    """A concept only one document discusses may be defined in that document; a second definition elsewhere
    must agree."""
    monkeypatch.chdir(corpus_copy.parent)
    add_article_copy(corpus_copy, "second-copy")
    for name, label in (("nano-vs-micro", "Thin film"), ("second-copy", "Thin films")):
        replace_once(
            corpus_copy / name / "annotations.yaml",
            "features:\n",
            f'features:\n  - id: thin-film\n    label: {label}\n    quote: "double-edged sword"\n',
        )
    first = line_of(corpus_copy / ANNOTATIONS, "  - id: thin-film\n")
    second = line_of(corpus_copy / "second-copy" / "annotations.yaml", "  - id: thin-film\n")
    assert problems(Path("corpus")) == [
        f"corpus/second-copy/annotations.yaml:{second}: feature 'thin-film' is defined differently in "
        f"corpus/{ANNOTATIONS}:{first} (label 'Thin film' / 'Thin films'); define it once, in "
        "corpus/concepts.yaml"
    ]


def test_statement_ids_of_two_documents_that_meet_are_reported_not_a_traceback(corpus_copy, monkeypatch):
    """Document ``nano-vs-micro`` claims ``micro-better-cost``; document ``nano-vs-micro-micro`` claiming
    ``better-cost`` would give the claim the same id."""
    monkeypatch.chdir(corpus_copy.parent)
    copy = add_article_copy(corpus_copy, "nano-vs-micro-micro")
    replace_once(copy / "annotations.yaml", "  - id: micro-better-cost\n", "  - id: better-cost\n")
    found = problems(Path("corpus"))
    assert found[0].startswith("corpus: claims: duplicate ids ['nano-vs-micro-micro-better-cost']")
