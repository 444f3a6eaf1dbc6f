"""Aggregates over the whole corpus, counted once at build time into the inferred graph.

A named query that counts every measurement of the corpus per call grows with the corpus; it reads these
counts instead (``measurements-per-property.rq``): one node per (property, scale) with the number of
measurements of that property at that scale, as ``?m a mskg:Measurement ; mskg:property ?p ; mskg:scale ?s``
counts them in the graph. Each count is ``prov:wasDerivedFrom`` every measurement it counts, so it is traced,
through them, to their quotes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from rdflib.namespace import PROV, RDF

from ..graph.namespaces import MSKG, iri
from ..graph.rdf import literal
from ..graph.rdf_terms import concept
from ..schema import KnowledgeBase
from .rule_store import Triple


def measurement_counts(kb: KnowledgeBase) -> Iterator[Triple]:
    """The number of measurements of each property at each scale (a measurement of no scale has none)."""
    counted: dict[tuple, list[str]] = defaultdict(list)
    for m in kb.measurements:
        if m.scale:
            counted[m.property, m.scale].append(m.id)
    for (prop, scale), ids in sorted(counted.items(), key=lambda item: (str(item[0][0]), str(item[0][1]))):
        prop_code = getattr(prop, "value", prop)
        scale_code = getattr(scale, "value", scale)
        node = iri("measurement-count", f"{prop_code}--{scale_code}")
        yield node, RDF.type, MSKG.MeasurementCount
        yield node, MSKG.countedProperty, concept("property", prop)
        yield node, MSKG.countedScale, concept("scale", scale)
        yield node, MSKG.measurementCount, literal(len(ids))
        for measurement_id in sorted(ids):
            yield node, PROV.wasDerivedFrom, iri("measurement", measurement_id)
