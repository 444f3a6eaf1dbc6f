"""The benchmarks are not part of the suite; these tests check that the runner runs (on a tiny corpus, one
run each) and pin the parts whose output is not a timing: the synthetic corpus, the import-chain reading,
the growth factors, and the SQL floor of every named query."""

from __future__ import annotations

import subprocess
import sys

import yaml
from benchmarks.build import importers
from benchmarks.scale import MEASURES, extrapolate, growth
from benchmarks.sparql import SQL
from benchmarks.synth import make_corpus

from multiscale_kg.ingest import ingest_corpus
from multiscale_kg.queries.sparql import named_queries

from .conftest import ARTICLE, ROOT

TINY_LINES = 60  # the article's first lines: a title, an abstract, a few citations; no table, no annotations


def test_the_runner_runs_every_benchmark_on_a_tiny_corpus(tmp_path):
    corpus = tmp_path / "corpus" / "tiny"
    corpus.mkdir(parents=True)
    lines = ARTICLE.joinpath("document.txt").read_text(encoding="utf-8").splitlines(keepends=True)
    corpus.joinpath("document.txt").write_text("".join(lines[:TINY_LINES]), encoding="utf-8")
    corpus.joinpath("document.toml").write_text(
        'title = "The first lines of the article"\n', encoding="utf-8"
    )
    results = tmp_path / "results"
    command = [sys.executable, "-m", "benchmarks", "--quick", "--corpus", str(corpus.parent)]
    run = subprocess.run(
        [*command, "--results", str(results), "--minutes", "2"], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr[-3000:]
    written = sorted(p.name for p in results.iterdir())
    assert written == ["build.md", "rules.md", "scale.md", "serve.md", "sparql.md"]
    for name in ("build", "sparql", "serve", "rules"):
        text = results.joinpath(f"{name}.md").read_text(encoding="utf-8")
        assert text.startswith("# ") and "Machine: " in text and "## Targets" in text, name
    sparql = results.joinpath("sparql.md").read_text(encoding="utf-8")
    rows = {line.split(" | ")[0][2:]: line for line in sparql.splitlines() if line.startswith("| ")}
    for name in named_queries():  # the SQL floor agrees; so do the stores, except that rdflib's Memory
        # store answers an aggregate over no solutions with one empty group. The named queries name the
        # article's document and entities, which the tiny corpus lacks: no rows
        agree = "False, True |" if name == "evidence-behind-a-fact" else "True, True |"
        assert rows[name].startswith(f"| {name} | 0 |") and rows[name].endswith(agree), name
    scale = results.joinpath("scale.md").read_text(encoding="utf-8")
    table = scale.split("| N | build |", 1)[1].split("\n\n", 1)[0].splitlines()[2:]
    assert [row.split(" | ")[0] for row in table] == ["| 1", "| 2"]
    assert all(
        row.split(" | ")[1].endswith(" s") for row in table
    )  # a build time: neither failed nor skipped
    assert "| target | measured | verdict |" in run.stdout


def test_synthetic_copies_have_their_own_document_and_curated_ids(tmp_path):
    folders = make_corpus(3, tmp_path)
    assert [f.name for f in folders] == ["nano-vs-micro", "nano-vs-micro-s0001", "nano-vs-micro-s0002"]
    assert [sorted(p.name for p in f.iterdir()) for f in folders] == [
        ["annotations.yaml", "document.toml", "document.txt", "materials.yaml", "reactions.yaml"],
        ["annotations.yaml", "document.toml", "document.txt", "materials.yaml"],
        ["annotations.yaml", "document.toml", "document.txt", "materials.yaml"],
    ]
    copy = yaml.safe_load(folders[2].joinpath("annotations.yaml").read_text(encoding="utf-8"))
    assert copy["document"] == "nano-vs-micro-s0002"
    assert "ant-nest-si-s0002" in {s["id"] for s in copy["strategies"]}
    # a relation's material keeps its id (materials are merged), a curated object gets the suffix
    assert {"subject": "nb16w5o55-s0002", "relation": "usesMaterial", "object": "nb16w5o55"}.items() <= next(
        r for r in copy["relations"] if r["subject"] == "nb16w5o55-s0002" and r["relation"] == "usesMaterial"
    ).items()
    assert {
        (r["subject"], r["object"])
        for r in copy["relations"]
        if r["subject"] == "nb16w5o55-s0002" and r["relation"] == "exampleOf"
    } == {("nb16w5o55-s0002", "natural-nanoporosity-s0002")}
    assert {m["strategy"] for m in copy["measurements"] if "strategy" in m} <= {
        s["id"] for s in copy["strategies"]
    }
    assert folders[2].joinpath("document.txt").read_bytes() == ARTICLE.joinpath("document.txt").read_bytes()

    kb, one = ingest_corpus(tmp_path), ingest_corpus(ARTICLE.parent)
    assert len(kb.documents) == 3
    assert len(kb.strategies) == 3 * len(one.strategies)
    assert len(kb.relations) == 3 * len(one.relations)
    assert len(kb.measurements) == 3 * len(one.measurements)
    assert len(kb.citations) == 3 * len(one.citations)
    assert {m.id for m in kb.materials} == {m.id for m in one.materials}


IMPORTTIME = """\
import time:       100 |        100 |       pandas.core
import time:        50 |        150 |     pandas
import time:       300 |        450 |   sqlite_utils.db
import time:        10 |        460 | sqlite_utils
import time:        20 |         20 |     yaml.cyaml
import time:         5 |         25 |   yaml
import time:         7 |         32 | multiscale_kg.ingest
import time:        40 |         40 | pyshacl
"""


def test_importers_reads_the_chain_that_first_imported_a_module():
    assert importers(IMPORTTIME, "pandas") == ["sqlite_utils", "sqlite_utils.db"]
    assert importers(IMPORTTIME, "yaml") == ["multiscale_kg.ingest"]
    assert importers(IMPORTTIME, "pyshacl") == []  # imported at the top: from inside a function
    assert importers(IMPORTTIME, "datasette") is None


def test_growth_per_decade_and_extrapolation():
    results = [
        {"n": 1, "build_s": 2.0},
        {"n": 10, "build_s": 30.0},
        {"n": 100, "skipped": "not run"},
    ]
    assert growth(results, MEASURES["build time"]) == [(1, 10, 15.0)]
    assert round(extrapolate(results, 100), 6) == 450.0  # 15x per decade, once more
    assert extrapolate(results[:1], 100) is None


def test_every_named_query_has_its_sql_floor():
    assert {p.stem for p in SQL.glob("*.sql")} == {*named_queries(), "rule-fixpoint"}
