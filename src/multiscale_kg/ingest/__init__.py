"""Parsers, one per structure of the source text; ``ingest_corpus`` runs them all."""

from .pipeline import document_texts, ingest_corpus

__all__ = ["document_texts", "ingest_corpus"]
