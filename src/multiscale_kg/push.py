"""Beyond one process: the graph as N-Quads with a named graph per document, and ``mskg push`` to a store.

``document_quads`` splits the build's asserted graph by document: a statement goes to the graph of the
document its subject belongs to (``…/graph/document/<id>``), found by following the links every resource of
a document has: a passage, section or reference ``dcterms:isPartOf`` its document; a citation or an
annotation is ``mskg:inPassage`` a passage; a measurement, curated entity or relation statement
``prov:wasDerivedFrom`` an annotation; a target, selector or metadata field belongs to what points at it.
What belongs to no single document (materials, which the pipeline merges across documents, and the build's
provenance) stays in the asserted graph; the inferred and ontology graphs are kept as they are. Each
statement keeps exactly one graph, so the union of the graphs, which the named queries read, is the build's.

``push`` sends graphs to a SPARQL 1.1 Graph Store (Oxigraph, Fuseki, ...) with the Graph Store HTTP Protocol:
one ``PUT <store>?graph=<iri>`` of N-Triples per graph, which replaces that graph and leaves the others.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError

_DCTERMS = "http://purl.org/dc/terms/"
_OA = "http://www.w3.org/ns/oa#"
_PROV = "http://www.w3.org/ns/prov#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: the seconds one PUT may take (a large graph on a slow store)
HTTP_TIMEOUT_S = 600


def _base() -> str:
    from .graph.namespaces import BASE  # rdflib comes with it: only when a command needs it

    return BASE


def document_graph_iri(document: str) -> str:
    """The named graph of a document, from the document's IRI (…/id/document/<id>)."""
    return f"{_base()}graph/document/{document.rsplit('/', 1)[-1]}"


def _nquads(folder: Path) -> Path:
    from .graph.serialize import FORMATS

    path = Path(folder) / FORMATS["nq"]
    if not path.is_file():
        raise UsageError(f"{path}: no N-Quads in the build folder; run 'mskg build' first")
    return path


class _Owners:
    """Which document each resource of the asserted graph belongs to (see the module docstring)."""

    def __init__(self, path: Path, asserted: str):
        import pyoxigraph as ox

        base = _base()
        mskg = base + "ontology#"
        up = {  # predicate → the resource the subject belongs with: the object
            _DCTERMS + "isPartOf",
            mskg + "inPassage",
            _PROV + "wasDerivedFrom",
        }
        # predicate → the object belongs with the subject
        down = {_OA + "hasTarget", _OA + "hasSelector", mskg + "metadata"}
        self.documents: set = set()
        self.links: dict = {}
        document_class = ox.NamedNode(mskg + "Document")
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
            if not isinstance(quad.graph_name, ox.NamedNode) or quad.graph_name.value != asserted:
                continue
            predicate = quad.predicate.value
            if predicate == _RDF_TYPE and quad.object == document_class:
                self.documents.add(quad.subject)
            elif predicate in up:
                self.links.setdefault(quad.subject, quad.object)
            elif predicate in down:
                self.links.setdefault(quad.object, quad.subject)
        self._found: dict = {}

    def document(self, node) -> object | None:
        """The document ``node`` belongs to, or None (a material, the build's provenance)."""
        seen = []
        while node not in self.documents:
            if node in self._found:
                node = self._found[node]
                break
            seen.append(node)
            node = self.links.get(node)
            if node is None or len(seen) > 16:  # a chain is a few links long; longer is not ours
                node = None
                break
        for item in seen:
            self._found[item] = node
        return node


def document_quads(folder: Path) -> Iterator:
    """The build's quads (pyoxigraph ``Quad``) with the asserted graph split into one graph per document."""
    import pyoxigraph as ox

    from .graph.namespaces import GRAPH_ASSERTED

    path = _nquads(folder)
    asserted = str(GRAPH_ASSERTED)
    owners = _Owners(path, asserted)
    graphs: dict = {}
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
        if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value == asserted:
            document = owners.document(quad.subject)
            if document is not None:
                graph = graphs.get(document)
                if graph is None:
                    graph = graphs[document] = ox.NamedNode(document_graph_iri(document.value))
                quad = ox.Quad(quad.subject, quad.predicate, quad.object, graph)
        yield quad


def write_document_nquads(folder: Path, output) -> None:
    """N-Quads with a graph per document (see ``document_quads``) to a path or a binary file object."""
    import pyoxigraph as ox

    ox.serialize(document_quads(folder), output, format=ox.RdfFormat.N_QUADS)


# ---- pushing to a Graph Store ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Pushed:
    graph: str
    triples: int
    seconds: float


def graph_store_url(store: str, graph: str) -> str:
    """``<store>?graph=<iri>`` (the Graph Store HTTP Protocol's indirect identification)."""
    separator = "&" if "?" in store else "?"
    return f"{store}{separator}{urllib.parse.urlencode({'graph': graph})}"


def _put(url: str, body: bytes) -> None:
    request = urllib.request.Request(
        url, data=body, method="PUT", headers={"Content-Type": "application/n-triples"}
    )
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_S) as response:
            response.read()
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", "replace").strip()[:300]
        raise UsageError(f"{url}: the store answered {error.code} {error.reason}: {detail}") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise UsageError(f"{url}: cannot reach the store ({reason})") from None


def push(folder: Path, store: str, graph_per_document: bool = False) -> list[Pushed]:
    """PUT every named graph of the build (split per document if asked) to the Graph Store at ``store``."""
    import pyoxigraph as ox

    if not store.startswith(("http://", "https://")):
        raise UsageError(f"{store}: expected the store's Graph Store URL, e.g. http://127.0.0.1:7878/store")
    quads = (
        document_quads(folder)
        if graph_per_document
        else ox.parse(path=str(_nquads(folder)), format=ox.RdfFormat.N_QUADS)
    )
    pushed = []
    with tempfile.TemporaryDirectory(prefix="mskg-push-") as scratch:
        staged = ox.Store(scratch)  # on disk: a corpus-sized dataset need not fit in memory
        staged.bulk_extend(quads)
        for graph in sorted(staged.named_graphs(), key=lambda g: g.value):
            started = time.perf_counter()
            found = staged.quads_for_pattern(None, None, None, graph)
            triples = [ox.Triple(q.subject, q.predicate, q.object) for q in found]
            _put(graph_store_url(store, graph.value), ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
            pushed.append(Pushed(graph.value, len(triples), time.perf_counter() - started))
        del staged
    return pushed


def _push_command(args: argparse.Namespace) -> int:
    from .cli import open_graph

    started = time.perf_counter()
    pushed = push(open_graph(args).folder, args.store, args.graph_per_document)
    triples = sum(p.triples for p in pushed)
    print(
        f"pushed {len(pushed)} graph(s), {triples} triples, to {args.store} "
        f"in {time.perf_counter() - started:.2f} s",
        file=sys.stderr,
    )
    return 0


def register(commands) -> None:
    push_parser = commands.add_parser(
        "push", help="send the graph to a SPARQL 1.1 Graph Store (Oxigraph, Fuseki, ...) over HTTP"
    )
    push_parser.add_argument(
        "--store", required=True, help="the store's Graph Store URL, e.g. http://127.0.0.1:7878/store"
    )
    push_parser.add_argument(
        "--graph-per-document",
        action="store_true",
        help="split the asserted graph into one named graph per document (as 'mskg export --format nquads')",
    )
    push_parser.add_argument("--db", type=Path, help="build folder (default: $MSKG_DB, else db)")
    push_parser.set_defaults(run=_push_command)
