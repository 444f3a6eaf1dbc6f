"""RDF terms of the projection: literals in canonical form, concept IRIs, the triple type."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from enum import Enum

from rdflib import Literal, URIRef

from .closed_terms import XSD
from .namespaces import iri

Triple = tuple[URIRef, URIRef, URIRef | Literal]


def decimal_lexical(value: Decimal) -> str:
    """The canonical xsd:decimal form ("3000.0", "0.025"): Turtle writes it as is, so it re-parses equal."""
    text = format(value.normalize(), "f")
    return text if "." in text else text + ".0"


def literal(value: object) -> Literal:
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, Decimal):
        return Literal(decimal_lexical(value), datatype=XSD.decimal)
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    if isinstance(value, float):
        return Literal(decimal_lexical(Decimal(repr(value))), datatype=XSD.decimal)
    if isinstance(value, Enum):
        return Literal(value.value)
    return Literal(str(value))


def concept(scheme: str, value: Enum | str) -> URIRef:
    return iri(scheme, value.value if isinstance(value, Enum) else value)


def optional_fields(node: URIRef, item: object, fields) -> Iterator[Triple]:
    """``node predicate value`` for each (field, predicate) of ``item`` whose value is not None."""
    for field, predicate in fields:
        value = getattr(item, field)
        if value is not None:
            yield node, predicate, literal(value)
