"""Pydantic models and controlled vocabularies: the single source of truth."""

from .kb import KnowledgeBase
from .models import (
    Citation,
    Document,
    Material,
    Measurement,
    Passage,
    Reference,
    Section,
    Span,
)
from .vocab import Chemistry, PassageKind, Property, Qualifier, Role, Scale, Source

__all__ = [
    "Chemistry",
    "Citation",
    "Document",
    "KnowledgeBase",
    "Material",
    "Measurement",
    "Passage",
    "PassageKind",
    "Property",
    "Qualifier",
    "Reference",
    "Role",
    "Scale",
    "Section",
    "Source",
    "Span",
]
