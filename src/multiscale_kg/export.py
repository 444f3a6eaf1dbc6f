"""`mskg export`: one serialisation of a built graph, to a file or stdout."""

from __future__ import annotations

import sys
from pathlib import Path

from .build import GRAPH_NAME
from .graph.nx import write_graphml
from .graph.serialize import FORMATS


def export(graph, fmt: str, output: Path | None) -> None:
    """Copy a serialisation the build wrote (RDF formats, node-link JSON), or derive GraphML or N-Quads with a
    named graph per document (``nquads``) from it."""
    if fmt == "nquads":  # one named graph per document, plus the inferred and ontology graphs
        from .push import write_document_nquads

        write_document_nquads(graph.folder, output or sys.stdout.buffer)
        if output is None:
            sys.stdout.flush()
        return
    if fmt == "graphml":
        target = output or Path("/dev/stdout")
        write_graphml(graph.nx, target)
        return
    source = graph.folder / (GRAPH_NAME if fmt == "json" else FORMATS[fmt])
    data = source.read_bytes()
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        output.write_bytes(data)
