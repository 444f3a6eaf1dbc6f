"""KnowledgeBase: everything one build knows, parsed and curated, validated as a whole."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from pydantic import model_validator

from .knowledge import (
    Curated,
    EntityKind,
    Evidence,
    entity_fields,
    item_models,
)
from .models import (
    Citation,
    Document,
    Material,
    MaterialFact,
    Passage,
    Reference,
    ScaleDefinition,
    Section,
    Table,
    TableCell,
    TableNote,
)
from .reactions import Reaction


class KnowledgeBase(Curated):
    """The corpus as parsed (documents, their structure, references, materials, Table 1) and as curated."""

    documents: tuple[Document, ...] = ()
    sections: tuple[Section, ...] = ()
    passages: tuple[Passage, ...] = ()
    references: tuple[Reference, ...] = ()
    citations: tuple[Citation, ...] = ()
    materials: tuple[Material, ...] = ()
    #: each document's facts about each material it names (``materials`` holds one entity per material)
    material_facts: tuple[MaterialFact, ...] = ()
    table_notes: tuple[TableNote, ...] = ()
    scale_definitions: tuple[ScaleDefinition, ...] = ()
    tables: tuple[Table, ...] = ()
    table_cells: tuple[TableCell, ...] = ()
    reactions: tuple[Reaction, ...] = ()

    def curated_evidence(self) -> Iterator[Evidence]:
        """Every quote behind a curated entity or relation."""
        for name in (*CURATED, "relations"):
            for item in getattr(self, name):
                yield from item.evidence

    @model_validator(mode="after")
    def _ids_are_unique(self) -> KnowledgeBase:
        for name in type(self).model_fields:
            items = getattr(self, name)
            counts = Counter(item.id for item in items if hasattr(item, "id"))
            duplicates = sorted(i for i, n in counts.items() if n > 1)
            if duplicates:
                raise ValueError(f"{name}: duplicate ids {duplicates}")
        return self


#: KnowledgeBase field → the kind of the curated entities it holds (mechanisms → mechanism, ...)
CURATED: dict[str, EntityKind] = entity_fields(KnowledgeBase)
#: KnowledgeBase field → the node kind of its items in the graph: every field whose model declares a KIND
NODE_KINDS: dict[str, str] = {
    name: str(item.KIND) for name, item in item_models(KnowledgeBase).items() if hasattr(item, "KIND")
}
