"""The named SPARQL queries at N documents sharing concepts, through the API, on a store made as a build does.

Used by ``benchmarks/sparql.py --sizes N ...``: its report gets a table of each named query's median time and
rows at each N, and the target "every named query <= 100 ms at 1,000 documents".
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .build import ROOT
from .synth import make_corpus

#: the slowest named query may take this long at 1,000 documents
SCALE_TARGET_S, SCALE_TARGET_N = 0.100, 1000

_TIME_NAMED = """
import json, sys
from pathlib import Path
from multiscale_kg.api import KnowledgeGraph
from multiscale_kg.queries.sparql import named_queries
from benchmarks.common import measure
kg = KnowledgeGraph(Path(sys.argv[1]))
found = {}
for name, query in named_queries().items():
    t = measure(lambda: kg.sparql(query.text), runs=7, budget=30)
    found[name] = [t.median, t.low, t.high, t.runs, len(kg.sparql(query.text))]
print(json.dumps(found))
"""


def store_of(n: int, scratch: Path) -> Path:
    """A folder holding the graph store of ``n`` copies of the article sharing concepts, as a build makes it
    (ingest, projection, the derive stage), without the build's other outputs."""
    from multiscale_kg.graph.store import STORE_NAME, fill, open_store
    from multiscale_kg.ingest import document_texts, ingest_corpus
    from multiscale_kg.queries.derive import derive

    corpus, folder = scratch / f"corpus-{n}", scratch / f"store-{n}"
    make_corpus(n, corpus, shared=True)
    kb = ingest_corpus(corpus)
    texts = document_texts(corpus, kb)
    store = open_store(folder / STORE_NAME)
    fill(store, kb, texts)
    derive(kb, texts, store)
    store.flush()
    return folder


def time_named(folder: Path) -> dict:
    """Each named query through the API on the store in ``folder``, in a fresh process (as a reader opens a
    build): {name: [median, min, max, runs, rows]}."""
    done = subprocess.run(
        [sys.executable, "-c", _TIME_NAMED, str(folder)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def measure_scale(sizes: list[int], scratch: Path, folders: dict[int, Path] | None = None) -> list[dict]:
    """The named queries at each N (the store built here, or taken from ``folders``)."""
    found = []
    for n in sizes:
        folder = (folders or {}).get(n) or store_of(n, scratch)
        found.append({"n": n, "queries": time_named(folder)})
    return found


def scale_section(scale: list[dict]) -> list[str]:
    if not scale:
        return []
    names = sorted(scale[0]["queries"])
    lines = [
        "",
        "## Named queries at N documents sharing concepts",
        "",
        "Each N: `python -m benchmarks.synth N OUT --shared` (copies of the article annotating the same "
        "concepts), ingested, projected and derived into a store on disk as a build does; then a fresh "
        "process opens it read-only (`KnowledgeGraph.sparql`) and times each named query (median, rows).",
        "",
        "| query | " + " | ".join(f"N={s['n']}" for s in scale) + " |",
        "|---|" + "---|" * len(scale),
    ]
    for name in names:
        cells = []
        for s in scale:
            median, *_, rows = s["queries"][name]
            cells.append(f"{median * 1000:.2f} ms ({rows} rows)")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def scale_targets(scale: list[dict]) -> list[str]:
    if not scale:
        return []
    largest = scale[-1]
    name, timing = max(largest["queries"].items(), key=lambda item: item[1][0])
    measured = f"N={largest['n']}: slowest {name} {timing[0] * 1000:.1f} ms"
    if largest["n"] < SCALE_TARGET_N:
        return [f"| every named query <= 100 ms at N=1,000 | {measured} (N=1,000 not measured) | — |"]
    verdict = "met" if timing[0] <= SCALE_TARGET_S else "**missed**"
    return [f"| every named query <= 100 ms at N=1,000 | {measured} | {verdict} |"]
