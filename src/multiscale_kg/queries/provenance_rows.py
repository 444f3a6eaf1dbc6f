"""The rows of the ``rules``, ``derivations`` and ``derivation_premises`` tables: each rule with its
derivations, and each premise with the quotes behind it. A premise's quotes are the curated relation's own
quotes, else those of the fact's subject (a measurement's, a material's chemistry or role); an inferred
premise has none of its own: its derivations have them. A derivation that joins within a document (its
premises place their subjects in it) rests on that document's quotes only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ..graph.namespaces import local, node_id, short
from ..schema import KnowledgeBase
from ..schema import derived as rows
from .derive import Derived, rule_file, statement_id
from .engine import Derivation, Inference, Triple


class PremiseEvidence:
    """The quotes behind a premise: a curated relation's own quotes, else those of the fact's subject."""

    def __init__(self, kb: KnowledgeBase):
        self.by_statement: dict[str, list] = {}
        for r in kb.relations:  # a fact's quotes: those of every document that states it
            self.by_statement.setdefault(r.key, []).extend(r.evidence)
        self.by_subject: dict[str, list] = {}
        for attribute, kind in (
            ("drawbacks", "drawback"),
            ("claims", "claim"),
            ("causes", "cause"),
            ("features", "feature"),
            ("strategies", "strategy"),
        ):
            for entity in getattr(kb, attribute):
                self.by_subject[f"{kind}/{entity.id}"] = list(entity.evidence)
        self.measurements = {f"measurement/{m.id}": m for m in kb.measurements}
        self.materials = {f"material/{m.id}": m for m in kb.materials}
        #: (statement or subject, its key) → its evidence by document, in order (documents in corpus order)
        self._by_document: dict[tuple[str, str], dict[str, list]] = {}

    def _of_documents(self, key: tuple[str, str], evidence: list, documents: frozenset[str]) -> list:
        """The items of ``evidence`` from ``documents``, in their order: grouped once per list, since a
        concept every document quotes would otherwise be scanned whole for each premise about it."""
        grouped = self._by_document.get(key)
        if grouped is None:
            grouped = self._by_document[key] = {}
            for ev in evidence:
                grouped.setdefault(ev.document_id, []).append(ev)
        if len(documents) == 1:
            return grouped.get(next(iter(documents)), [])
        return [ev for document, found in grouped.items() if document in documents for ev in found]

    def of(self, premise: Triple, documents: frozenset[str] = frozenset()) -> tuple[list[str], list[int]]:
        """(quotes, cited reference numbers) behind one premise triple; with ``documents``, the quotes of
        those documents when they have any (a derivation that joins within a document rests on that
        document's statements: a concept a hundred documents share would otherwise bring all their quotes
        to each)."""
        key = ("statement", statement_id(premise))
        found = self.by_statement.get(key[1])
        if found is None:
            key = ("subject", short(premise[0]))
            found = self.by_subject.get(key[1], [])
        if documents:
            found = self._of_documents(key, found, documents) or found
        quotes = [ev.quote for ev in found]
        refs = sorted({n for ev in found for n in ev.ref_numbers})
        subject = short(premise[0])
        if subject in self.measurements:
            m = self.measurements[subject]
            quotes, refs = [m.quote], sorted(m.ref_numbers)
        elif subject in self.materials:
            m = self.materials[subject]
            quote = {"chemistry": m.chemistry_quote, "role": m.role_quote}.get(local(premise[1]))
            quotes, refs = ([quote] if quote else []), []
        return quotes, refs


def _sentence(derivation: Derivation) -> str:
    s, p, o = derivation.conclusion
    because = "; ".join(f"{short(a)} {local(b)} {short(c)}" for a, b, c in derivation.premises)
    return f"{short(s)} {local(p)} {short(o)} ({derivation.rule}): {because}"


def rule_rows(inference: Inference) -> Iterator[rows.RuleRow]:
    stratum = {rule_id: n for n, ids in enumerate(inference.strata) for rule_id in ids}
    counts: dict[str, int] = defaultdict(int)
    for d in inference.derivations.values():
        counts[d.rule] += 1
    for rule in inference.rules:
        yield rows.RuleRow(
            id=rule.id,
            file=rule_file(rule),
            statement=rule.statement,
            stratum=stratum[rule.id],
            concludes=local(rule.concludes),
            reads=tuple(sorted(local(p) for p in rule.reads)),
            negates=tuple(sorted(local(p) for p in rule.negates)),
            derivations=counts[rule.id],
        )


def derivation_rows(derived: Derived, kb: KnowledgeBase) -> Iterator[rows.DerivationRow]:
    for d in derived.inference.derivations.values():
        s, p, o = d.conclusion
        yield rows.DerivationRow(
            id=d.id,
            rule_id=d.rule,
            subject=short(s),
            relation=local(p),
            object=short(o),
            statement_id=statement_id(d.conclusion),
            premises=len(d.premises),
            support=derived.grades.by_derivation.get(d.id),
            explanation=_sentence(d),
        )


def within_documents(d: Derivation) -> frozenset[str]:
    """The documents a derivation joins within: those its premises place their subjects in
    (``dcterms:isPartOf``)."""
    return frozenset(node_id(premise[2]) for premise in d.premises if local(premise[1]) == "isPartOf")


def premise_rows(derived: Derived, kb: KnowledgeBase) -> Iterator[rows.PremiseRow]:
    evidence = PremiseEvidence(kb)
    inferred = derived.inference.triples | derived.seeded
    for d in derived.inference.derivations.values():
        documents = within_documents(d)
        for n, premise in enumerate(d.premises, start=1):
            quotes, refs = ([], []) if premise in inferred else evidence.of(premise, documents)
            yield rows.PremiseRow(
                id=f"{d.id}/{n}",
                derivation_id=d.id,
                position=n,
                subject=short(premise[0]),
                relation=local(premise[1]),
                object=short(premise[2]),
                statement_id=statement_id(premise),
                inferred=premise in inferred,
                quotes=tuple(quotes),
                ref_numbers=tuple(refs),
            )
