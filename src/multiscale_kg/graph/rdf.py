"""The RDF projection: KnowledgeBase → the triples of the asserted graph (``graph/store.py`` stores them).

Every node has an IRI (no blank nodes), so the same KnowledgeBase always gives the same triples. Evidence is
W3C Web Annotation: the fact ``prov:wasDerivedFrom`` an ``oa:Annotation`` whose target selects the quote in
the document by exact text (``oa:TextQuoteSelector``) and by position (``oa:TextPositionSelector``); a
curated relation is also stated as an ``rdf:Statement`` carrying the evidence of every document that states
it. A concept (``CONCEPT_KINDS``) is also a ``skos:Concept`` of the corpus's scheme; its annotations, like a
statement's, are named by their document (``<node>/evidence/<document>/<n>``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from importlib.resources import files

from rdflib import Graph, Literal, URIRef

from ..schema import KnowledgeBase
from ..schema.elements import facts, kinds_of, relation_kinds
from ..schema.kb import CURATED
from ..schema.knowledge import CONCEPT_KINDS, Evidence
from ..version import __version__
from .closed_terms import DCTERMS, PROV, RDF, RDFS, SKOS
from .namespaces import (
    BIBO,
    BIRO,
    C4O,
    CITO,
    FABIO,
    GRAPH_ASSERTED,
    MSKG,
    OA,
    QUDT,
    iri,
)
from .rdf_terms import (  # noqa: F401  (literal and decimal_lexical are re-exported)
    Triple,
    concept,
    decimal_lexical,
    literal,
    optional_fields,
)
from .rdf_values import ValueTriples

#: the parts of the asserted graph that one document's own items make: a build projects them per document
DOCUMENT_PARTS = (
    "documents",
    "sections",
    "passages",
    "references",
    "tables",
    "measurements",
    "table_notes",
    "curated_evidence",
)
#: the parts made of what the corpus merges (materials, concepts, facts stated by several documents) or of
#: every document (the build activity)
CORPUS_PARTS = ("materials", "curated", "relations", "build_activity")
_CONTEXT_CHARS = 32  # prefix and suffix length of a TextQuoteSelector
#: the SKOS concept scheme of the corpus's concepts (``corpus/concepts.yaml``)
CONCEPT_SCHEME = iri("scheme", "concepts")


class _Projection(ValueTriples):
    def __init__(self, kb: KnowledgeBase, texts: dict[str, str]):
        self.kb = kb
        self.texts = texts
        self.kinds = kinds_of(kb)

    # -- evidence ----------------------------------------------------------------------------------------

    def annotation(
        self,
        subject: URIRef,
        name: str,
        document_id: str,
        passage_id: str,
        quote: str,
        start: int,
        end: int,
        refs: Iterable[int] = (),
    ) -> Iterator[Triple]:
        text = self.texts[document_id]
        ann = URIRef(f"{subject}/evidence/{name}")
        target, quote_sel, position = (
            URIRef(f"{ann}/target"),
            URIRef(f"{ann}/quote"),
            URIRef(f"{ann}/position"),
        )
        yield subject, PROV.wasDerivedFrom, ann
        yield ann, RDF.type, OA.Annotation
        yield ann, OA.motivatedBy, OA.describing
        yield ann, OA.hasBody, subject
        yield ann, OA.hasTarget, target
        yield ann, MSKG.quote, Literal(quote)
        yield ann, MSKG.inPassage, iri("passage", passage_id)
        for number in sorted(set(refs)):
            yield ann, CITO.cites, iri("reference", f"{document_id}-r{number:03d}")
        yield target, RDF.type, OA.SpecificResource
        yield target, OA.hasSource, iri("document", document_id)
        yield target, OA.hasSelector, quote_sel
        yield target, OA.hasSelector, position
        yield quote_sel, RDF.type, OA.TextQuoteSelector
        yield quote_sel, OA.exact, Literal(text[start:end])
        yield quote_sel, OA.prefix, Literal(text[max(0, start - _CONTEXT_CHARS) : start])
        yield quote_sel, OA.suffix, Literal(text[end : end + _CONTEXT_CHARS])
        yield position, RDF.type, OA.TextPositionSelector
        yield position, OA.start, literal(start)
        yield position, OA.end, literal(end)

    def evidence(self, subject: URIRef, evidence: Iterable[Evidence], prefix: str = "") -> Iterator[Triple]:
        """The annotations of quotes from any documents, numbered per document (``<document>/<n>``)."""
        counts: dict[str, int] = {}
        for ev in evidence:
            counts[ev.document_id] = n = counts.get(ev.document_id, 0) + 1
            yield from self.annotation(
                subject,
                f"{ev.document_id}/{prefix}{n}",
                ev.document_id,
                ev.passage_id,
                ev.quote,
                ev.start,
                ev.end,
                ev.ref_numbers,
            )

    # -- parsed ------------------------------------------------------------------------------------------

    def documents(self) -> Iterator[Triple]:
        for doc in self.kb.documents:
            node = iri("document", doc.id)
            yield node, RDF.type, MSKG.Document
            yield (
                node,
                RDF.type,
                FABIO.ReviewArticle if doc.article_type == "Perspective" else FABIO.Expression,
            )
            yield node, DCTERMS.title, Literal(doc.title)
            yield node, MSKG.sha256, Literal(doc.sha256)
            yield node, MSKG.path, Literal(doc.path)
            yield from optional_fields(
                node,
                doc,
                (
                    ("journal", MSKG.journal),
                    ("article_type", MSKG.articleType),
                    ("year", DCTERMS.issued),
                    ("volume", BIBO.volume),
                    ("pages", BIBO.pages),
                    ("doi", BIBO.doi),
                    ("corresponding_author", MSKG.correspondingAuthor),
                ),
            )
            for author in doc.authors:
                yield node, DCTERMS.creator, Literal(author)
            for field, status in sorted(doc.metadata_status.items()):
                meta = URIRef(f"{node}/metadata/{field}")
                yield node, MSKG.metadata, meta
                yield meta, RDF.type, MSKG.MetadataField
                yield meta, MSKG.field, Literal(field)
                yield meta, MSKG.status, concept("metadata-status", status)

    def sections(self) -> Iterator[Triple]:
        for section in self.kb.sections:
            node = iri("section", section.id)
            yield node, RDF.type, MSKG.Section
            yield node, DCTERMS.title, Literal(section.title)
            yield node, DCTERMS.isPartOf, iri("document", section.document_id)
            yield node, MSKG.level, literal(section.level)
            yield node, MSKG.ordinal, literal(section.ordinal)
            if section.parent_id:
                yield node, MSKG.parentSection, iri("section", section.parent_id)

    def passages(self) -> Iterator[Triple]:
        for passage in self.kb.passages:
            node = iri("passage", passage.id)
            yield node, RDF.type, MSKG.Passage
            yield node, DCTERMS.isPartOf, iri("document", passage.document_id)
            yield node, MSKG.kind, literal(passage.kind)
            yield node, MSKG.ordinal, literal(passage.ordinal)
            yield node, MSKG.start, literal(passage.start)
            yield node, MSKG.end, literal(passage.end)
            yield node, MSKG.text, Literal(passage.text)
            if passage.section_id:
                yield node, MSKG.inSection, iri("section", passage.section_id)
            if passage.figure is not None:
                yield node, MSKG.figure, literal(passage.figure)

    def references(self) -> Iterator[Triple]:
        for ref in self.kb.references:
            node = iri("reference", ref.id)
            yield node, RDF.type, MSKG.Reference
            yield node, RDF.type, BIRO.BibliographicReference
            yield node, DCTERMS.isPartOf, iri("document", ref.document_id)
            yield node, MSKG.number, literal(ref.number)
            yield node, MSKG.citedCount, literal(ref.cited_count)
            for author in ref.authors:
                yield node, DCTERMS.creator, Literal(author)
            yield from optional_fields(
                node,
                ref,
                (
                    ("title", DCTERMS.title),
                    ("journal", MSKG.journal),
                    ("year", DCTERMS.issued),
                    ("volume", BIBO.volume),
                    ("pages", BIBO.pages),
                    ("doi", BIBO.doi),
                    ("text", C4O.hasContent),
                ),
            )
            yield iri("document", ref.document_id), CITO.cites, node
        for citation in self.kb.citations:
            node = iri("citation", citation.id)
            yield node, RDF.type, C4O.InTextReferencePointer
            yield node, C4O.denotes, iri("reference", citation.ref_id)
            yield node, MSKG.inPassage, iri("passage", citation.passage_id)
            yield node, MSKG.marker, Literal(citation.marker)
            yield node, MSKG.start, literal(citation.start)
            yield node, MSKG.end, literal(citation.end)
            yield iri("passage", citation.passage_id), CITO.cites, iri("reference", citation.ref_id)

    # -- curated -----------------------------------------------------------------------------------------

    def curated(self) -> Iterator[Triple]:
        for attribute, kind in CURATED.items():
            for entity in getattr(self.kb, attribute):
                node = iri(kind, entity.id)
                yield node, RDF.type, MSKG[type(entity).__name__]  # the ontology names classes as the models
                yield node, RDFS.label, Literal(entity.label)
                for document_id in sorted({ev.document_id for ev in entity.evidence}):
                    yield node, DCTERMS.isPartOf, iri("document", document_id)
                if kind in CONCEPT_KINDS:
                    yield from self._concept(node, entity)
                yield from self._entity_fields(node, entity)

    def _concept(self, node: URIRef, entity) -> Iterator[Triple]:
        yield node, RDF.type, SKOS.Concept
        yield node, SKOS.inScheme, CONCEPT_SCHEME
        yield node, SKOS.prefLabel, Literal(entity.label)
        if getattr(entity, "description", None):
            yield node, SKOS.definition, Literal(entity.description)

    def _prospect(self, node: URIRef, entity) -> Iterator[Triple]:
        """The hedged sentence that shows a document only proposes a strategy (``mskg:prospect true``)."""
        prospects = list(self.evidence(node, getattr(entity, "prospect_evidence", ()), "prospect-"))
        for _, p, o in prospects:
            if p == PROV.wasDerivedFrom:
                yield node, MSKG.prospectEvidence, o
        yield from prospects

    def _entity_fields(self, node: URIRef, entity) -> Iterator[Triple]:
        # a statement's document is its dcterms:isPartOf (from its evidence)
        data = entity.model_dump(
            exclude={
                "id",
                "label",
                "evidence",
                "prospect_evidence",
                "material_ids",
                "mechanism_ids",
                "document_id",
            }
        )
        schemes = {
            "domain": "domain",
            "favours": "scale",
            "scale": "scale",
            "better_scale": "scale",
            "property": "property",
            "kind": "drawback-kind",
        }
        for field, value in sorted(data.items()):
            if value is None or value == ():
                continue
            predicate = MSKG.drawbackKind if field == "kind" else MSKG[_camel(field)]
            if field == "unit_qudt":
                yield node, QUDT.unit, URIRef(value)
            elif field in schemes:
                yield node, predicate, concept(schemes[field], value)
            else:
                yield node, predicate, literal(value)

    def relations(self) -> Iterator[Triple]:
        """Each curated fact once, as a triple and an ``rdf:Statement`` with every document's quotes."""
        for key, statements in facts(self.kb.relations).items():
            first = statements[0]
            subject_kind, object_kind = relation_kinds(self.kinds, first)
            subject = iri(subject_kind, first.subject_id)
            obj = iri(object_kind, first.object_id)
            predicate = MSKG[first.relation.value]
            yield subject, predicate, obj
            statement = iri("statement", key)
            yield statement, RDF.type, RDF.Statement
            yield statement, RDF.subject, subject
            yield statement, RDF.predicate, predicate
            yield statement, RDF.object, obj
            for relation in statements:
                if relation.note:
                    yield statement, RDFS.comment, Literal(relation.note)

    def curated_evidence(self) -> Iterator[Triple]:
        """The annotations of the curated entities' and facts' quotes: each document's are its own (numbered
        per document), so they are projected with the document, and a concept or fact many documents share
        is merged without them."""
        for attribute, kind in CURATED.items():
            for entity in getattr(self.kb, attribute):
                node = iri(kind, entity.id)
                yield from self.evidence(node, entity.evidence)
                yield from self._prospect(node, entity)
        for key, statements in facts(self.kb.relations).items():
            yield from self.evidence(
                iri("statement", key), [ev for relation in statements for ev in relation.evidence]
            )

    def build_activity(self) -> Iterator[Triple]:
        digest = "-".join(sorted(d.sha256[:16] for d in self.kb.documents))
        activity = iri("build", digest)
        agent = iri("agent", f"multiscale-kg-{__version__}")
        yield activity, RDF.type, PROV.Activity
        yield activity, PROV.wasAssociatedWith, agent
        yield agent, RDF.type, PROV.SoftwareAgent
        yield agent, RDFS.label, Literal(f"multiscale-kg {__version__}")
        for doc in self.kb.documents:
            yield activity, PROV.used, iri("document", doc.id)
        yield GRAPH_ASSERTED, PROV.wasGeneratedBy, activity

    def parts(self, names: Iterable[str]) -> Iterator[Triple]:
        for name in names:
            yield from getattr(self, name)()


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.capitalize() for word in rest)


def ontology() -> Graph:
    graph = Graph()
    graph.parse(
        data=files("multiscale_kg.schema").joinpath("ontology.ttl").read_text(encoding="utf-8"),
        format="turtle",
    )
    return graph


def asserted_triples(
    kb: KnowledgeBase, texts: dict[str, str], parts: Iterable[str] = DOCUMENT_PARTS + CORPUS_PARTS
) -> Iterator[Triple]:
    """The asserted graph of ``kb`` (its ``parts``): ``texts`` maps document ids to their original text (quote
    selectors)."""
    return _Projection(kb, texts).parts(parts)
