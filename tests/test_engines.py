"""The build's store, queried directly (``mskg sparql``, ``kg.sparql``) or through rdflib (``kg.rdf``),
answers every named query exactly as rdflib's own store does on the build's N-Quads."""

from __future__ import annotations

import functools

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


@pytest.fixture(scope="module")
def memory_answers(stores):
    """rdflib's own answer to a named query, computed once: its engine takes seconds on some of them."""
    memory, _ = stores
    return functools.cache(lambda name: answers(memory, named_queries()[name].text))


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_both_stores_give_the_same_answers(stores, memory_answers, name):
    _, oxigraph = stores
    text = named_queries()[name].text
    assert memory_answers(name) == answers(oxigraph, text)
    assert answers(oxigraph, text)


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_the_build_store_queried_directly_gives_the_same_answers(memory_answers, built, name):
    text = named_queries()[name].text
    assert answers(read_store(built), text) == memory_answers(name)
