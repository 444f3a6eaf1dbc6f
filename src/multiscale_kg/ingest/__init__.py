"""Parsers, one per structure of the source text; ``ingest_corpus`` runs them all."""

from .pipeline import ingest_corpus

__all__ = ["ingest_corpus"]
