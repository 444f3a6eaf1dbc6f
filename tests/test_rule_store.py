"""The rules' working copy: the quads of the graph of record some rule can read, each in its graph."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import pyoxigraph as ox
import pytest

from multiscale_kg.graph.namespaces import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY
from multiscale_kg.queries.rule_files import load_rules
from multiscale_kg.queries.rule_store import RuleStore, _patterns


@pytest.fixture(scope="module")
def of_record(built) -> ox.Store:
    return ox.Store.read_only(str(built / "store"))


def _by_pattern(store: ox.Store, patterns) -> set[ox.Quad]:
    """The definition: the quads matching each (predicate, object) pattern, looked up one by one."""
    found = set()
    for predicate, obj in patterns:
        terms = (None if t is None else ox.NamedNode(str(t)) for t in (predicate, obj))
        found.update(store.quads_for_pattern(None, *terms, None))
    return found


def test_the_working_copy_holds_what_the_rules_read_in_its_graphs(of_record):
    rules = load_rules()
    working = set(RuleStore(of_record, rules).working)
    assert working == _by_pattern(of_record, _patterns(rules))
    assert Counter(q.graph_name.value for q in working) == {  # a finished build: its inferred graph too
        str(GRAPH_ASSERTED): 2438,
        str(GRAPH_INFERRED): 145,
        str(GRAPH_ONTOLOGY): 12,
    }


def test_a_rule_that_reads_any_predicate_gets_every_quad(of_record):
    reads_anything = SimpleNamespace(sources={(None, None)})
    assert set(RuleStore(of_record, [reads_anything]).working) == set(of_record)
