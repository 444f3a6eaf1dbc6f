"""Quotes → Evidence: a curator's quote found exactly once (or at its ``occurrence``) in the document's
passages, with its original offsets and the reference numbers cited in the sentences it lies in; and the
quantities the quantity parser finds in each passage."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..schema.knowledge import Evidence, QuantityUse
from ..schema.models import Citation, Passage
from .annotation_items import Problems, Resolved
from .cleantext import CleanText, clean, word_counts
from .quantities import Quantity, find_quantities
from .quotes import QuoteIndex, normalise_quote
from .sentences import sentence_spans


class QuoteResolver:
    def __init__(
        self, document_id: str, text: str, passages: Sequence[Passage], citations: Iterable[Citation]
    ):
        self.document_id = document_id
        self.index = QuoteIndex(text, passages)
        vocabulary = word_counts(text)
        self.passages = {p.id: p for p in passages}
        self.cleaned: dict[str, CleanText] = {p.id: clean(text, p.start, p.end, vocabulary) for p in passages}
        self.citations: dict[str, list[Citation]] = {}
        for citation in citations:
            self.citations.setdefault(citation.passage_id, []).append(citation)
        self._quantities: dict[str, list[Quantity]] = {}

    def resolve(
        self, quote: str, occurrence: int | None, line: int, problems: Problems, where: str
    ) -> Resolved | None:
        """The quote's evidence and clean span; None (and a problem) when it is missing or ambiguous."""
        shown = normalise_quote(quote)
        matches = self.index.find_all(quote)
        if not matches:
            problems.add(f'{where}: quote not found in the text: "{shown}"', line)
            return None
        if occurrence is None and len(matches) > 1:
            passages = ", ".join(dict.fromkeys(m.passage_id for m in matches))
            problems.add(
                f'{where}: quote occurs {len(matches)} times (in {passages}); add "occurrence: N" '
                f'(1..{len(matches)}) or lengthen it: "{shown}"',
                line,
            )
            return None
        if occurrence is not None and occurrence > len(matches):
            problems.add(
                f"{where}: occurrence {occurrence} asked but the quote occurs "
                f'{len(matches)} time(s): "{shown}"',
                line,
            )
            return None
        match = matches[(occurrence or 1) - 1]
        passage = self.passages[match.passage_id]
        evidence = Evidence(
            document_id=self.document_id,
            passage_id=passage.id,
            quote=passage.text[match.clean_start : match.clean_end],
            start=match.start,
            end=match.end,
            ref_numbers=self._cited(passage.id, match.clean_start, match.clean_end),
            line=line,
        )
        return evidence, match.clean_start, match.clean_end

    def _cited(self, passage_id: str, start: int, end: int) -> tuple[int, ...]:
        """Reference numbers whose markers lie in the sentences overlapping the clean span [start, end)."""
        spans = [(s, e) for s, e in sentence_spans(self.passages[passage_id].text) if s < end and start < e]
        if not spans:
            return ()
        low, high = self.cleaned[passage_id].to_original(spans[0][0], spans[-1][1])
        cited = {c.ref_number for c in self.citations.get(passage_id, []) if low <= c.start < high}
        return tuple(sorted(cited))

    def quantities(self, passage_id: str) -> list[Quantity]:
        if passage_id not in self._quantities:
            self._quantities[passage_id] = find_quantities(self.passages[passage_id].text)
        return self._quantities[passage_id]

    def use(self, passage_id: str, quantity: Quantity, used_by: str, role: str) -> QuantityUse:
        start, end = self.cleaned[passage_id].to_original(quantity.start, quantity.end)
        return QuantityUse(
            passage_id=passage_id, start=start, end=end, printed=quantity.printed, used_by=used_by, role=role
        )
