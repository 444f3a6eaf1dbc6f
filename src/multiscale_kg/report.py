"""What `mskg validate` reports: counts per kind, SHACL, unbound prose quantities, annotation coverage and
the materials whose curated documents disagree."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .graph.shacl import ShaclReport, validate
from .graph.store import to_dataset
from .ingest import document_texts, ingest_corpus
from .ingest.cleantext import clean, word_counts
from .ingest.quantities import find_quantities
from .schema import KnowledgeBase, PassageKind
from .schema.material_facts import Disagreement, disagreements

#: passages whose numbers are prose (Table 1's own numbers are its measurements)
_PROSE = (PassageKind.PARAGRAPH, PassageKind.CAPTION)


@dataclass(frozen=True)
class Unbound:
    passage_id: str
    start: int
    end: int
    printed: str


@dataclass
class ValidationReport:
    counts: dict[str, int]
    shacl: ShaclReport
    unbound: list[Unbound]
    covered: int
    paragraphs: int
    uncovered: list[str] = field(default_factory=list)
    #: a material's formula, role or chemistry curated differently by two documents
    material_disagreements: list[Disagreement] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.shacl.conforms

    def lines(self) -> list[str]:
        out = ["counts:"]
        out += [f"  {name:<16} {n:>5}" for name, n in self.counts.items()]
        share = 100 * self.covered / self.paragraphs if self.paragraphs else 100.0
        out.append(
            f"coverage: {self.covered} of {self.paragraphs} body paragraphs carry an annotation "
            f"({share:.0f}%)"
        )
        out += [f"  not annotated: {passage}" for passage in self.uncovered]
        out.append(f"materials whose curated documents disagree: {len(self.material_disagreements)}")
        out += [f"  {d}" for d in self.material_disagreements]
        out.append(f"unbound quantities: {len(self.unbound)}")
        out += [f"  {u.passage_id} [{u.start}:{u.end}] {u.printed}" for u in self.unbound]
        out.append(
            "SHACL: conforms" if self.shacl.conforms else f"SHACL: {len(self.shacl.violations)} violations"
        )
        out += [f"  {v}" for v in self.shacl.violations]
        return out


def _counts(kb: KnowledgeBase) -> dict[str, int]:
    counts = {name: len(getattr(kb, name)) for name in type(kb).model_fields}
    by_source = Counter(m.source.value for m in kb.measurements)
    counts.update({f"measurements:{s}": n for s, n in sorted(by_source.items())})
    return counts


def unbound_quantities(kb: KnowledgeBase, texts: dict[str, str]) -> list[Unbound]:
    used = {(u.passage_id, u.start, u.end) for u in kb.quantity_uses}
    found = []
    vocabularies = {doc_id: word_counts(text) for doc_id, text in texts.items()}
    for passage in kb.passages:
        if passage.kind not in _PROSE:
            continue
        text = texts[passage.document_id]
        cleaned = clean(text, passage.start, passage.end, vocabularies[passage.document_id])
        for quantity in find_quantities(cleaned.text):
            start, end = cleaned.to_original(quantity.start, quantity.end)
            if (passage.id, start, end) not in used:
                found.append(Unbound(passage.id, start, end, quantity.printed))
    return found


def annotated_passages(kb: KnowledgeBase) -> set[str]:
    return {ev.passage_id for ev in kb.curated_evidence()} | {m.passage_id for m in kb.measurements}


def validation_report(corpus: Path) -> ValidationReport:
    kb = ingest_corpus(corpus)
    texts = document_texts(corpus, kb)
    annotated = annotated_passages(kb)
    paragraphs = [p for p in kb.passages if p.kind is PassageKind.PARAGRAPH]
    return ValidationReport(
        counts=_counts(kb),
        shacl=validate(to_dataset(kb, texts)),
        unbound=unbound_quantities(kb, texts),
        covered=sum(p.id in annotated for p in paragraphs),
        paragraphs=len(paragraphs),
        uncovered=[p.id for p in paragraphs if p.id not in annotated],
        material_disagreements=disagreements(fact.model_dump(mode="json") for fact in kb.material_facts),
    )
