"""The Python API: load(), views, queries and traversal, and the examples its docs show."""

from __future__ import annotations

import doctest
import os

import pandas as pd
import pytest

import multiscale_kg
from multiscale_kg import api
from multiscale_kg.api import KnowledgeGraph, load
from multiscale_kg.schema.kb import NODE_KINDS
from multiscale_kg.tables import TABLES


@pytest.fixture(scope="session")
def kg(built) -> KnowledgeGraph:
    return api.open_build(built)


def test_load_builds_when_missing_and_reuses_a_current_build(corpus_copy, tmp_path):
    out = tmp_path / "db"
    first = load(out, corpus_copy)
    manifest = (out / "build.json").read_text(encoding="utf-8")
    target = out.resolve()
    second = load(out, corpus_copy)
    assert out.resolve() == target  # not rebuilt: same build folder
    assert (out / "build.json").read_text(encoding="utf-8") == manifest
    assert (
        first.sql("select count(*) as n from refs")
        == second.sql("select count(*) as n from refs")
        == [{"n": 138}]
    )
    (corpus_copy / "nano-vs-micro" / "materials.yaml").write_text(
        (corpus_copy / "nano-vs-micro" / "materials.yaml").read_text(encoding="utf-8") + "\n",
        encoding="utf-8",
    )
    load(out, corpus_copy)
    assert out.resolve() != target  # an input changed: rebuilt


def test_the_module_docstring_examples_run(built, monkeypatch):
    monkeypatch.chdir(built.parent)
    # no corpus folder here: load() uses the build as it is
    if not (built.parent / "db").exists():
        os.symlink(built.name, built.parent / "db")
    result = doctest.testmod(api, raise_on_error=False, verbose=False)
    assert (result.failed, result.attempted) == (0, 6)


def test_views(kg):
    assert kg.db["refs"].count == 138
    quads = (kg.folder / "multiscale.nq").read_text(encoding="utf-8").count("\n")
    assert len(kg.rdf) == quads  # every quad the build wrote is loaded
    tables = [spec.name for spec in TABLES if spec.attribute in NODE_KINDS]  # one row per node
    assert kg.nx.number_of_nodes() == sum(kg.db[t].count for t in tables)


def test_sparql_returns_python_values(kg):
    rows = kg.sparql("""
        PREFIX mskg: <https://w3id.org/multiscale-kg/ontology#>
        SELECT ?n WHERE { ?r mskg:number ?n ; mskg:citedCount 9 }""")
    assert rows == [{"n": 97}]
    assert kg.sparql("ASK { ?s a <https://w3id.org/multiscale-kg/ontology#Strategy> }") is True


def test_measurements_are_a_filtered_dataframe(kg):
    frame = kg.measurements(material_id="lnmo", property="cycle_retention")
    assert isinstance(frame, pd.DataFrame)
    assert frame[["scale", "value_min", "cycles"]].to_dict("records") == [
        {"scale": "micro", "value_min": 95.0, "cycles": 500},
        {"scale": "nano", "value_min": 62.0, "cycles": 500},
    ]
    with pytest.raises(ValueError, match="unknown measurement columns"):
        kg.measurements(colour="red")


def test_neighbors_of_a_drawback(kg):
    causes = kg.neighbors("drawback/nano-low-first-cycle-ce", relation="causedBy")
    assert [(n["direction"], n["node"]) for n in causes] == [("out", "cause/high-specific-surface-area")]
    with pytest.raises(KeyError, match="node keys are kind/id"):
        kg.neighbors("nano-low-first-cycle-ce")


def test_path_from_a_strategy_to_the_drawback_it_fixes_carries_quotes(kg):
    steps = kg.path("strategy/aligned-particles", "drawback/micro-slow-kinetics")
    assert [(s["source"], s["relation"], s["target"]) for s in steps] == [
        ("strategy/aligned-particles", "hasFeature", "feature/low-tortuosity-alignment"),
        ("feature/low-tortuosity-alignment", "mitigates", "cause/tortuous-transport-pathways"),
        ("drawback/micro-slow-kinetics", "causedBy", "cause/tortuous-transport-pathways"),
    ]
    assert all(step["quote"] for step in steps)
    # where the article says so in one sentence, the path is that statement
    [stated] = kg.path("strategy/ant-nest-si", "drawback/micro-fracture")
    assert (stated["relation"], stated["quote"]) == (
        "improves",
        "leading to high structural stability and stable electrochemical performance",
    )


def test_package_level_load_is_the_api_load():
    assert multiscale_kg.load.__doc__.startswith("Load the knowledge graph")


def test_an_unknown_support_grade_names_the_grades(kg):
    expected = "unknown support grade 'certain'; expected one of: stated, chained, inherited, prospect"
    with pytest.raises(ValueError) as raised:
        kg.strategies_for("micro-fracture", min_support="certain")
    assert str(raised.value) == expected
    with pytest.raises(ValueError) as raised:
        kg.explain("calendering", "micro-fracture", min_support="certain")
    assert str(raised.value) == expected
