"""SHACL validators on the same data: pyshacl against the alternatives on PyPI, timed, and checked as strict.

Data: what the build validates (``graph/shacl.py``): the closure of the shapes' focus nodes (their statements
along the shapes' paths, the nodes reached, their classes) of a synthetic corpus of N documents
(``benchmarks/synth.py``), as N-Triples text; every validator starts from that text (parsing is part of
its time). Strictness: the shipped graph must conform, and each of a fixed list of broken copies (a
statement the shapes require removed, a second value where one is allowed, a wrong datatype, an empty
node of a targeted class, a value of the wrong class) must give exactly the violations pyshacl gives,
compared as (focus node, the shape's own message). A validator that is missing is reported as such.

Run: python -m benchmarks.shacl [--sizes 1 10]  → benchmarks/results/shacl.md
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import SH

from multiscale_kg.graph.shacl import _Graph, _Reads, closure, focus_nodes, shapes
from multiscale_kg.graph.store import open_store
from multiscale_kg.ingest import document_texts, ingest_corpus

from .build import machine_load
from .common import header, measure, write
from .synth import SOURCE, make_corpus

M = "https://w3id.org/multiscale-kg/"
Key = tuple[str, str]


def closure_ntriples(corpus: Path) -> str:
    """The closure of every focus node of ``corpus`` (one pass), as sorted N-Triples."""
    from multiscale_kg.graph.store import fill

    kb = ingest_corpus(corpus)
    store = open_store()
    fill(store, kb, document_texts(corpus, kb))
    graph = _Graph(store)
    reads = _Reads.of(shapes())
    nodes = [n for found in focus_nodes(graph, reads).values() for n in found]
    text = ox.serialize(closure(graph, reads, nodes), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    return "".join(sorted(text.splitlines(keepends=True)))


def _messages() -> set[str]:
    return {str(m) for m in shapes().objects(None, SH.message)}


def _key(focus: str, messages: list[str], own: set[str]) -> Key:
    found = [m for m in messages if m in own]
    return focus.strip("<>"), found[0] if found else ""


def _from_report_graph(results: Graph, own: set[str]) -> set[Key]:
    return {
        _key(str(results.value(r, SH.focusNode)), [str(m) for m in results.objects(r, SH.resultMessage)], own)
        for r in results.subjects(SH.resultSeverity, SH.Violation)
    }


def validators() -> dict[str, Callable[[str], tuple[bool, set[Key]]] | str]:
    """Name → validate(N-Triples text) → (conforms, violations); a string says why one is missing."""
    own = _messages()
    shapes_text = shapes().serialize(format="turtle")
    found: dict = {}

    import pyshacl

    def with_pyshacl(text: str):
        conforms, results, _ = pyshacl.validate(
            Graph().parse(data=text, format="nt"), shacl_graph=shapes(), inference="none"
        )
        return conforms, _from_report_graph(results, own)

    found[f"pyshacl {_version('pyshacl')}"] = with_pyshacl
    try:
        import pyshacl_turbo

        def with_turbo(text: str):
            conforms, results, _ = pyshacl_turbo.validate(
                Graph().parse(data=text, format="nt"), shacl_graph=shapes(), inference="none"
            )
            return conforms, _from_report_graph(results, own)

        found[f"pyshacl-turbo {_version('pyshacl-turbo')}"] = with_turbo
    except ImportError as error:
        found["pyshacl-turbo"] = f"not installed ({error})"
    try:
        import shifty

        def with_shifty(text: str):
            conforms, results, _ = shifty.validate(
                Graph().parse(data=text, format="nt"), shapes(), infer=False
            )
            return conforms, _from_report_graph(results, own)

        found[f"pyshifty {_version('pyshifty')}"] = with_shifty
    except ImportError as error:
        found["pyshifty"] = f"not installed ({error})"
    try:
        import shacl_rust

        def with_shacl_rust(text: str):
            report = shacl_rust.validate(text, shapes_text, data_format="nt")
            return report["conforms"], {
                _key(r["focusNode"], r.get("messages", []), own) for r in report["results"]
            }

        found[f"shacl-rust {_version('shacl-rust')}"] = with_shacl_rust
    except ImportError as error:
        found["shacl-rust"] = f"not installed ({error})"
    try:
        import shacl

        compiled = shacl.Shapes.from_turtle(shapes_text)

        def with_shacl(text: str):
            report = compiled.validate_text(text, "nt")
            return report.conforms, {_key(r.focus_node, list(r.messages), own) for r in report.results}

        found[f"shacl {_version('shacl')}"] = with_shacl
    except ImportError as error:
        found["shacl"] = f"not installed ({error})"
    return found


def _version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


def _targeted(text: str) -> set[str]:
    """The nodes of a class a shape targets, in N-Triples ``text``."""
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    classes = {f"<{c}>" for c in _Reads.of(shapes()).classes}
    found = set()
    for line in text.splitlines():
        subject, predicate, rest = line.split(" ", 2)
        if predicate == rdf_type and rest.rsplit(" ", 1)[0] in classes:
            found.add(subject.strip("<>"))
    return found


def broken_copies(text: str) -> dict[str, str]:
    """Named broken copies of the closure text: each breaks one thing a shape requires."""
    lines = text.splitlines(keepends=True)
    measurement = f"<{M}id/measurement/nano-vs-micro-t1-si-nano-gravimetric-capacity>"
    drawback, cause = f"<{M}id/drawback/micro-fracture>", f"<{M}id/cause/void-space-between-particles>"
    strategy, material = f"<{M}id/strategy/ant-nest-si>", f"<{M}id/material/si>"
    annotation = f"<{M}id/measurement/nano-vs-micro-t1-si-nano-gravimetric-capacity/evidence/1>"
    selector = f"{annotation[:-1]}/quote>"
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    xsd = "http://www.w3.org/2001/XMLSchema#"

    def without(*prefixes: str) -> list[str]:
        return [line for line in lines if not line.startswith(prefixes)]

    return {
        "no material": "".join(without(f"{measurement} <{M}ontology#ofMaterial>")),
        "no cause": "".join(without(f"{drawback} <{M}ontology#causedBy>")),
        "no evidence": "".join(without(f"{cause} <http://www.w3.org/ns/prov#wasDerivedFrom>")),
        "no features": "".join(without(f"{strategy} <{M}ontology#hasFeature>")),
        "no method": "".join(without(f"{measurement} <{M}ontology#method>")),
        "no exact quote": "".join(without(f"{selector} <http://www.w3.org/ns/oa#exact>")),
        "second property": "".join(lines)
        + f"{measurement} <{M}ontology#property> <{M}id/property/volumetric_capacity> .\n",
        "unknown method": "".join(without(f"{measurement} <{M}ontology#method>"))
        + f'{measurement} <{M}ontology#method> "guessed" .\n',
        "value not a decimal": "".join(without(f"{measurement} <{M}ontology#valueMin>"))
        + f'{measurement} <{M}ontology#valueMin> "3579"^^<{xsd}string> .\n',
        "start not an integer": "".join(lines)
        + f'{annotation[:-1]}/position> <http://www.w3.org/ns/oa#start> "1.5"^^<{xsd}decimal> .\n',
        "material not a Material": "".join(without(f"{material} {rdf_type}")),
        "empty strategy": "".join(lines) + f"<{M}id/strategy/lonely> {rdf_type} <{M}ontology#Strategy> .\n",
    }


def measure_validators(sizes: list[int], scratch: Path, source: Path = SOURCE) -> dict:
    found = validators()
    data = {}
    for n in sizes:
        corpus = scratch / f"corpus-{n}"
        make_corpus(n, corpus, source)
        data[n] = closure_ntriples(corpus)
    result: dict = {"sizes": {n: len(text.splitlines()) for n, text in data.items()}, "rows": {}}
    broken = broken_copies(data[sizes[0]])
    reference = next(v for v in found.values() if not isinstance(v, str))
    # pyshacl also reports nested sh:node results on annotations, which no shape targets: compared without
    targeted = {name: _targeted(text) for name, text in broken.items()}
    expected = {
        name: {k for k in reference(text)[1] if k[0] in targeted[name]} for name, text in broken.items()
    }
    for name, validate in found.items():
        if isinstance(validate, str):
            result["rows"][name] = validate
            continue
        row: dict = {"times": {}, "conforms": {}}
        for n, text in data.items():
            row["conforms"][n], _ = validate(text)
            row["times"][n] = measure(lambda v=validate, t=text: v(t), runs=5, warmup=1, budget=60)
        outcomes = {k: validate(text) for k, text in broken.items()}
        row["fails"] = sum(not conforms for conforms, _ in outcomes.values())
        row["agree"] = sorted(
            k for k, (_, keys) in outcomes.items() if {x for x in keys if x[0] in targeted[k]} == expected[k]
        )
        row["differ"] = sorted(set(broken) - set(row["agree"]))
        result["rows"][name] = row
    result["broken"] = {name: sorted(keys) for name, keys in expected.items()}
    return result


def report(result: dict, load: str) -> list[str]:
    lines = header(
        "SHACL validators: pyshacl and the alternatives on the same data", ["rdflib", "pyoxigraph"]
    )
    sizes = list(result["sizes"])
    lines += [
        "Data: the closure of the shapes' focus nodes of a synthetic corpus (`graph/shacl.py`, "
        "`benchmarks/synth.py`) as N-Triples text, "
        + ", ".join(f"{result['sizes'][n]:,} triples at N={n}" for n in sizes)
        + f"; each validator parses it itself. {load}",
        "",
        "| validator | " + " | ".join(f"N={n}" for n in sizes) + " | shipped graph conforms | broken copies "
        "failed | same violations as pyshacl |",
        "|---|" + "---|" * len(sizes) + "---|---|---|",
    ]
    for name, row in result["rows"].items():
        if isinstance(row, str):
            lines.append(f"| {name} | {row} |" + " |" * (len(sizes) + 2))
            continue
        times = " | ".join(row["times"][n].ms() for n in sizes)
        conforms = all(row["conforms"].values())
        total = len(row["agree"]) + len(row["differ"])
        strict = f"{len(row['agree'])} of {total}"
        if row["differ"]:
            strict += " (differs on: " + ", ".join(row["differ"]) + ")"
        lines.append(f"| {name} | {times} | {conforms} | {row['fails']} of {total} | {strict} |")
    lines += [
        "",
        "Violations pyshacl reports on each broken copy (focus node, the shape's own message), leaving out "
        "the results it adds for the evidence annotation a failed `sh:node` reaches (no shape targets it; "
        "the other validators report the failure once, on the fact):",
        "",
    ]
    for name, keys in result["broken"].items():
        shown = "; ".join(
            f"{focus.rsplit('/id/', 1)[-1]}: {message or '(no message)'}" for focus, message in keys
        )
        lines.append(f"- {name}: {shown}")
    return lines


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10])
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mskg-shacl-") as scratch:
        result = measure_validators(args.sizes, Path(scratch))
    lines = report(result, machine_load())
    path = write("shacl", lines)
    print("\n".join(lines))
    return path


if __name__ == "__main__":
    main()
