"""The build's store, queried directly (``mskg sparql``, ``kg.sparql``) or through rdflib (``kg.rdf``),
answers every named query exactly as rdflib's own store does on the build's N-Quads."""

from __future__ import annotations

import pytest
from benchmarks.sparql_engines import answers

from multiscale_kg.api import load_dataset
from multiscale_kg.graph.serialize import FORMATS
from multiscale_kg.graph.store import read_store
from multiscale_kg.queries.sparql import named_queries


@pytest.fixture(scope="module")
def stores(built):
    path = built / FORMATS["nq"]
    return load_dataset(path, store="default"), load_dataset(path)


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_both_stores_give_the_same_answers(stores, name):
    memory, oxigraph = stores
    text = named_queries()[name].text
    assert answers(memory, text) == answers(oxigraph, text)
    assert answers(oxigraph, text)


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_the_build_store_queried_directly_gives_the_same_answers(stores, built, name):
    memory, _ = stores
    text = named_queries()[name].text
    assert answers(read_store(built), text) == answers(memory, text)
