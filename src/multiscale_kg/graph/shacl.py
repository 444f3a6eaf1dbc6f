"""SHACL validation of the asserted graph (with the ontology, which defines the concept schemes)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files

from rdflib import Dataset, Graph
from rdflib.namespace import SH

from .namespaces import GRAPH_ASSERTED, GRAPH_ONTOLOGY


@dataclass(frozen=True, order=True)
class Violation:
    focus: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.focus} {self.path}: {self.message}"


@dataclass(frozen=True)
class ShaclReport:
    conforms: bool
    violations: tuple[Violation, ...]
    text: str


def shapes() -> Graph:
    return Graph().parse(
        data=files("multiscale_kg.schema").joinpath("shapes.ttl").read_text(encoding="utf-8"), format="turtle"
    )


def validate(dataset: Dataset) -> ShaclReport:
    import pyshacl  # imported here: only builds and `mskg validate` need it

    data = Graph()
    for graph_name in (GRAPH_ASSERTED, GRAPH_ONTOLOGY):
        for triple in dataset.graph(graph_name):
            data.add(triple)
    conforms, results, text = pyshacl.validate(data, shacl_graph=shapes(), inference="none")
    violations = sorted(
        Violation(
            str(results.value(r, SH.focusNode)),
            str(results.value(r, SH.resultPath) or ""),
            str(results.value(r, SH.resultMessage) or results.value(r, SH.sourceConstraintComponent)),
        )
        for r in results.subjects(SH.resultSeverity, SH.Violation)
    )
    return ShaclReport(bool(conforms), tuple(violations), text)
