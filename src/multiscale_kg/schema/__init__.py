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
    Table,
    TableCell,
)
from .vocab import Chemistry, Method, PassageKind, Property, Qualifier, Role, Scale, Source, TableProfile

__all__ = [
    "Chemistry",
    "Citation",
    "Document",
    "KnowledgeBase",
    "Material",
    "Measurement",
    "Method",
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
    "Table",
    "TableCell",
    "TableProfile",
]
