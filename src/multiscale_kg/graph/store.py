"""The graph of record: an Oxigraph store in the build folder, filled by one streamed bulk load.

A build opens ``<build>/store`` read-write and bulk-loads the RDF projection (the asserted graph) and the
ontology from a generator, so the corpus is never held as a list of terms; the rules then add the inferred
graph (``queries/derive.py``) and the build writes the N-Quads file from the store. Once a build is
published nothing writes its store again: readers open it read-only (``read_store``), any number of
processes at once, each reading the same files instead of a copy in its memory.

One bulk load per build, not one per document: each ``bulk_extend`` call writes and syncs new files for
every index (about 0.13 s on this machine whatever its size), while one call over a generator sorts and
writes in batches of bounded memory.

Oxigraph stores literals by value: ``"3000.0"^^xsd:decimal`` is kept, queried and written as ``"3000"``,
the same number. Every reader of a build (SPARQL, the API, the exports) sees these canonical forms.
"""

from __future__ import annotations

import io
import zlib
from collections import deque
from collections.abc import Iterable, Iterator
from importlib.resources import files
from itertools import chain
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import XSD

from ..errors import ReadOnlyError, UsageError
from ..schema import KnowledgeBase
from .namespaces import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY, PREFIXES
from .rdf import CORPUS_PARTS, DOCUMENT_PARTS, Triple, asserted_triples
from .serialize import to_ox

#: the store's folder inside a build folder
STORE_NAME = "store"


_XSD_STRING = str(XSD.string)


def from_ox(term) -> URIRef | BNode | Literal:
    """A pyoxigraph term as an rdflib term; a plain string as a plain literal (as rdflib parses "x")."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


class OxTerms:
    """rdflib terms as pyoxigraph terms, each converted once (an IRI recurs in many triples)."""

    def __init__(self):
        self._found: dict = {}

    def __call__(self, term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        found = self._found.get(term)
        if found is None:
            found = self._found[term] = to_ox(term)
        return found

    def quads(self, triples: Iterable[Triple], graph) -> Iterator[ox.Quad]:
        name = self(graph)
        for s, p, o in triples:
            yield ox.Quad(self(s), self(p), self(o), name)


def ontology_quads() -> Iterator[ox.Quad]:
    text = files("multiscale_kg.schema").joinpath("ontology.ttl").read_bytes()
    name = ox.NamedNode(str(GRAPH_ONTOLOGY))
    for triple in ox.parse(text, format=ox.RdfFormat.TURTLE):
        yield ox.Quad(triple.subject, triple.predicate, triple.object, name)


def projection_quads(
    kb: KnowledgeBase, texts: dict[str, str], inferred: Iterable[Triple] = ()
) -> Iterator[ox.Quad]:
    """The asserted graph of ``kb``, the ontology and ``inferred``, as quads, one at a time."""
    terms = OxTerms()
    return chain(
        terms.quads(asserted_triples(kb, texts), GRAPH_ASSERTED),
        ontology_quads(),
        terms.quads(inferred, GRAPH_INFERRED),
    )


def oxigraph_of(graph: Dataset | ox.Store) -> ox.Store | None:
    """The pyoxigraph store holding ``graph``: itself, the one an oxrdflib Dataset wraps; None otherwise."""
    if isinstance(graph, ox.Store):
        return graph
    inner = getattr(graph.store, "_inner", None)  # oxrdflib's OxigraphStore
    return inner if isinstance(inner, ox.Store) else None


def open_store(path: Path | None = None) -> ox.Store:
    """A writable store: in the folder ``path`` (created), or in memory when ``path`` is None."""
    return ox.Store() if path is None else ox.Store(str(path))


def fill(
    store: ox.Store,
    kb: KnowledgeBase,
    texts: dict[str, str],
    inferred: Iterable[Triple] = (),
    documents: list[bytes] | None = None,
) -> None:
    """Load the projection of ``kb``; with ``documents`` (each document's ``document_nquads``, emptied as it
    is read), only the corpus-wide parts are projected here and the documents' shares are loaded as they
    are, decompressed a megabyte at a time."""
    if documents is None:
        store.bulk_extend(projection_quads(kb, texts, inferred))
        return
    reader = io.BufferedReader(_Chunks(documents), buffer_size=1 << 20)
    store.bulk_load(reader, format=ox.RdfFormat.N_QUADS)
    terms = OxTerms()
    store.bulk_extend(
        chain(
            terms.quads(asserted_triples(kb, texts, CORPUS_PARTS), GRAPH_ASSERTED),
            ontology_quads(),
            terms.quads(inferred, GRAPH_INFERRED),
        )
    )


def document_nquads(view: KnowledgeBase, text: str) -> bytes:
    """One document's share of the asserted graph (``DOCUMENT_PARTS``) as zlib-compressed N-Quads: ``view``
    holds that document's items only, ``text`` is its original text. Compressed, because a build holds
    every document's share until it loads them (about a tenth of the size; level 1 costs little time)."""
    triples = asserted_triples(view, {view.documents[0].id: text}, DOCUMENT_PARTS)
    nquads = ox.serialize(OxTerms().quads(triples, GRAPH_ASSERTED), format=ox.RdfFormat.N_QUADS)
    return zlib.compress(nquads, level=1)


#: the most a stream of documents' shares decompresses at a time
_PIECE = 1 << 20


class _Chunks(io.RawIOBase):
    """A stream of zlib-compressed chunks read one after another, decompressed a piece at a time, each chunk
    let go of once it is read."""

    def __init__(self, chunks: list[bytes]):
        self._chunks = deque(chunks)
        chunks.clear()
        self._inflate = zlib.decompressobj()
        self._pending = b""  # compressed bytes of the current chunk not yet decompressed
        self._left = memoryview(b"")

    def readable(self) -> bool:
        return True

    def _next_piece(self) -> bool:
        """Decompress the next piece into ``_left``; False once every chunk is read."""
        while True:
            if self._pending:
                piece = self._inflate.decompress(self._pending, _PIECE)
                self._pending = self._inflate.unconsumed_tail
                if not self._pending:
                    piece += self._inflate.flush()
                if piece:
                    self._left = memoryview(piece)
                    return True
                continue
            if not self._chunks:
                return False
            self._inflate = zlib.decompressobj()
            self._pending = self._chunks.popleft()

    def readinto(self, buffer) -> int:
        if not self._left and not self._next_piece():
            return 0
        size = min(len(buffer), len(self._left))
        buffer[:size] = self._left[:size]
        self._left = self._left[size:]
        return size


def read_store(folder: Path) -> ox.Store:
    """The store of the build in ``folder``, opened read-only. Raises UsageError when there is none."""
    path = Path(folder) / STORE_NAME
    if not (path / "CURRENT").is_file():
        raise UsageError(f"{path}: no graph store in the build folder; run 'mskg build'")
    return ox.Store.read_only(str(path))


def write_nquads(store: ox.Store, path: Path) -> None:
    """Every quad of ``store`` as N-Quads. The order is the store's (by the terms' encoded keys): the same
    content gives the same bytes, whatever order it was loaded in."""
    store.dump(output=str(path), format=ox.RdfFormat.N_QUADS)


class _OxigraphStore(OxigraphStore):
    """oxrdflib's store, its triples' plain strings as plain literals: "x" and "x"^^xsd:string are one RDF
    term, which pyoxigraph returns with its datatype and rdflib would compare unequal to the plain "x" of a
    parsed file or a SHACL shape."""

    def triples(self, triple_pattern, context=None):
        for (s, p, o), contexts in super().triples(triple_pattern, context):
            if isinstance(o, Literal) and o.datatype == XSD.string:
                o = Literal(str(o))
            yield (s, p, o), contexts


class _ReadOnlyOxigraphStore(_OxigraphStore):
    """oxrdflib's store over a read-only pyoxigraph store: naming a graph (``dataset.graph(iri)``) reads it;
    any write is refused with the reason and what to do instead."""

    def __init__(self, store: ox.Store, where: str):
        super().__init__(store=store)
        self._where = where

    def add_graph(self, graph) -> None:
        pass  # a graph no quad names reads as empty, as SPARQL has it

    def _refuse(self, *_args, **_kwargs):
        raise ReadOnlyError(self._where, "the graph store was opened read-only")

    add = addN = remove = remove_graph = update = _refuse


def dataset_over(store: ox.Store, read_only: str | None = None) -> Dataset:
    """An rdflib Dataset over ``store`` (its default graph the union of the named graphs); ``read_only`` names
    the store in the error a write raises."""
    backend = _OxigraphStore(store=store) if read_only is None else _ReadOnlyOxigraphStore(store, read_only)
    dataset = Dataset(store=backend, default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    return dataset


def to_dataset(kb: KnowledgeBase, texts: dict[str, str], inferred: Iterable[Triple] = ()) -> Dataset:
    """The dataset of ``kb`` in an in-memory store: ``texts`` maps document ids to their original text (for
    quote selectors)."""
    store = open_store()
    fill(store, kb, texts, inferred)
    return dataset_over(store)
