"""Named queries on documents that share concepts: a query that answers for one document gives that
document's answer however many copies join it, and the corpus-wide count is the count of the corpus."""

from __future__ import annotations

import pytest
from benchmarks.synth import make_corpus

from multiscale_kg.api import KnowledgeGraph
from multiscale_kg.graph.store import fill, open_store
from multiscale_kg.ingest import document_texts, ingest_corpus
from multiscale_kg.queries.derive import derive
from multiscale_kg.queries.sparql import named_queries, run_values

from .conftest import ARTICLE

#: the named queries whose answer is the whole corpus's, not one document's or one concept's
CORPUS_WIDE = {"measurements-per-property"}


@pytest.fixture(scope="module")
def three_copies(tmp_path_factory):
    """The graph store of three copies of the article annotating the same concepts, made as a build does."""
    corpus = tmp_path_factory.mktemp("shared") / "corpus"
    make_corpus(3, corpus, ARTICLE, shared=True)
    kb = ingest_corpus(corpus)
    texts = document_texts(corpus, kb)
    store = open_store()
    fill(store, kb, texts)
    derive(kb, texts, store)
    return store


def comparable(rows: list[dict]) -> list[tuple]:
    """Rows as sorted tuples; a GROUP_CONCAT (evidence's references) in any order."""

    def cell(name, value):
        return ",".join(sorted(value.split(","))) if name == "references" else value

    return sorted(tuple((name, cell(name, value)) for name, value in row.items()) for row in rows)


@pytest.mark.parametrize("name", sorted(set(named_queries()) - CORPUS_WIDE))
def test_copies_sharing_concepts_leave_a_named_answer_as_it_is(built, three_copies, name):
    text = named_queries()[name].text
    one = KnowledgeGraph(built).sparql(text)
    assert one
    assert comparable(run_values(three_copies, text)) == comparable(one)


def test_measurement_counts_are_the_counts_of_the_corpus(built, three_copies):
    live = """
    SELECT ?property ?scale (COUNT(?m) AS ?measurements)
    WHERE { ?m a mskg:Measurement ; mskg:property/skos:prefLabel ?property ;
               mskg:scale/skos:prefLabel ?scale . }
    GROUP BY ?property ?scale ORDER BY ?property ?scale"""
    text = named_queries()["measurements-per-property"].text
    counted = run_values(three_copies, text)
    assert counted == run_values(three_copies, live)
    one = KnowledgeGraph(built).sparql(text)  # three copies of each measurement of the article
    assert counted == [{**row, "measurements": 3 * row["measurements"]} for row in one]


def test_each_measurement_count_is_derived_from_exactly_the_measurements_it_counts(three_copies):
    text = """
    SELECT ?count ?n (COUNT(?m) AS ?sources)
           (SUM(IF(?p = ?countedProperty && ?s = ?countedScale, 1, 0)) AS ?matching)
    WHERE { ?count a mskg:MeasurementCount ; mskg:measurementCount ?n ;
                   mskg:countedProperty ?countedProperty ; mskg:countedScale ?countedScale ;
                   prov:wasDerivedFrom ?m .
            ?m a mskg:Measurement ; mskg:property ?p ; mskg:scale ?s . }
    GROUP BY ?count ?n"""
    rows = run_values(three_copies, text)
    assert len(rows) == len(run_values(three_copies, "SELECT ?c WHERE { ?c a mskg:MeasurementCount }")) == 29
    assert [(r["n"], r["matching"]) for r in rows] == [(r["sources"], r["sources"]) for r in rows]
