"""`mskg export`: one serialisation of a built graph, to a file or stdout.

A build writes N-Quads and the node-link JSON; Turtle, N-Triples, TriG, JSON-LD and GraphML are made from
them here, when asked for.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .build import GRAPH_NAME
from .graph.nx import write_graphml
from .graph.serialize import BUILT, FORMATS


def export(graph, fmt: str, output: Path | None) -> None:
    """Copy a serialisation the build wrote (N-Quads, node-link JSON), or make one from them: another RDF
    format, GraphML, or N-Quads with a named graph per document (``nquads``)."""
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
    if fmt == "json" or fmt in BUILT:
        data = (graph.folder / (GRAPH_NAME if fmt == "json" else FORMATS[fmt])).read_bytes()
    else:
        data = serialized(graph.folder, fmt)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        output.write_bytes(data)


def serialized(folder: Path, fmt: str) -> bytes:
    """The build's graph in ``fmt`` (a key of ``FORMATS``), made from its N-Quads."""
    import pyoxigraph as ox

    from .graph.serialize import serialize_quads

    found = ox.parse(path=str(Path(folder) / FORMATS["nq"]), format=ox.RdfFormat.N_QUADS)
    return serialize_quads(found, fmt)
