"""The article's causal web as curated knowledge: size effects, drawbacks, their causes, and the strategies
whose features mitigate those causes. Every entity and every relation carries evidence: exact quotes of the
text resolved to offsets, the passage and the references cited in the quoted sentences.

The web the rules reason over: a Strategy hasFeature a Feature, the Feature mitigates a Cause, a Drawback is
causedBy that Cause, so the Strategy addresses the Drawback. Which (subject kind, object kind) pairs each
relation accepts is data (``RELATION_KINDS``), checked by the loader.
"""

from __future__ import annotations

import typing
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from pydantic import Field, computed_field

from .models import Measurement, Model, Slug
from .vocab import Property, Qualifier, Scale


class Domain(StrEnum):
    """Which of the article's three analyses a size effect belongs to."""

    KINETICS = "kinetics"
    THERMODYNAMICS = "thermodynamics"
    MECHANICS = "mechanics"


class DrawbackKind(StrEnum):
    #: a shortcoming of one particle scale (nano or micro)
    DRAWBACK = "drawback"
    #: a price a strategy pays for its benefits (heavy elements, costly synthesis, ...)
    TRADEOFF = "tradeoff"
    #: a hazard of an electrode chemistry whatever its particle scale (lithium plating, polysulfide shuttle)
    CHEMISTRY = "chemistry"


class EntityKind(StrEnum):
    MECHANISM = "mechanism"
    ADVANTAGE = "advantage"
    DRAWBACK = "drawback"
    CAUSE = "cause"
    STRATEGY = "strategy"
    FEATURE = "feature"
    CLAIM = "claim"
    CONTEXT = "context"
    MATERIAL = "material"


#: the kinds defined once for the corpus (``corpus/concepts.yaml``, SKOS concepts in the RDF) and quoted by
#: every document that discusses them; a claim and a context fact are statements of one document, a material
#: is parsed from the text
CONCEPT_KINDS = frozenset(
    {
        EntityKind.MECHANISM,
        EntityKind.ADVANTAGE,
        EntityKind.DRAWBACK,
        EntityKind.CAUSE,
        EntityKind.STRATEGY,
        EntityKind.FEATURE,
    }
)


class RelationType(StrEnum):
    CAUSED_BY = "causedBy"
    HAS_FEATURE = "hasFeature"
    MITIGATES = "mitigates"
    INTRODUCES = "introduces"
    EXAMPLE_OF = "exampleOf"
    USES_MATERIAL = "usesMaterial"
    EXEMPLIFIED_BY = "exemplifiedBy"
    EXPLAINS = "explains"
    FALLS_SHORT_ON = "fallsShortOn"
    #: the text says this strategy (or this example) improves this drawback: a "stated" answer
    IMPROVES = "improves"
    #: the text says something about this example that contradicts a feature of its family
    LACKS_FEATURE = "lacksFeature"


_K = EntityKind

#: The (subject kind, object kind) pairs each relation accepts.
RELATION_KINDS: dict[RelationType, frozenset[tuple[EntityKind, EntityKind]]] = {
    RelationType.CAUSED_BY: frozenset({(_K.DRAWBACK, _K.CAUSE)}),
    RelationType.HAS_FEATURE: frozenset({(_K.STRATEGY, _K.FEATURE)}),
    RelationType.MITIGATES: frozenset({(_K.FEATURE, _K.CAUSE)}),
    RelationType.INTRODUCES: frozenset({(_K.STRATEGY, _K.DRAWBACK)}),
    RelationType.EXAMPLE_OF: frozenset({(_K.STRATEGY, _K.STRATEGY)}),
    RelationType.USES_MATERIAL: frozenset({(_K.STRATEGY, _K.MATERIAL)}),
    RelationType.EXEMPLIFIED_BY: frozenset({(_K.MECHANISM, _K.MATERIAL)}),
    RelationType.EXPLAINS: frozenset({(_K.MECHANISM, _K.ADVANTAGE), (_K.MECHANISM, _K.DRAWBACK)}),
    RelationType.FALLS_SHORT_ON: frozenset({(_K.STRATEGY, _K.DRAWBACK)}),
    RelationType.IMPROVES: frozenset({(_K.STRATEGY, _K.DRAWBACK)}),
    RelationType.LACKS_FEATURE: frozenset({(_K.STRATEGY, _K.FEATURE)}),
}


class Evidence(Model):
    """One exact quote of the document that backs a statement."""

    document_id: Slug
    passage_id: Slug
    #: the quote as it reads in the passage's clean text
    quote: str
    #: original offsets of the quote in document.txt
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    #: reference numbers cited in the sentence(s) the quote lies in
    ref_numbers: tuple[int, ...] = ()
    #: line of the annotation file the quote was written on
    line: int | None = None


class Entity(Model):
    #: the node kind of a curated entity (set by each kind of entity)
    KIND: ClassVar[EntityKind]

    id: Slug
    label: str
    evidence: tuple[Evidence, ...] = Field(min_length=1)


class Mechanism(Entity):
    """A size effect: how particle size changes kinetics, thermodynamics or mechanics."""

    KIND = EntityKind.MECHANISM

    description: str | None = None
    domain: Domain
    #: the scale the effect favours; None when it only shifts a property (the voltage profile)
    favours: Scale | None
    #: materials the text uses as examples (the exemplifiedBy relations)
    material_ids: tuple[Slug, ...] = ()


class Advantage(Entity):
    KIND = EntityKind.ADVANTAGE
    scale: Scale
    #: mechanisms that explain it (the explains relations)
    mechanism_ids: tuple[Slug, ...] = ()


class Drawback(Entity):
    KIND = EntityKind.DRAWBACK
    #: the scale that suffers it; None for a drawback the text does not tie to a particle scale
    scale: Scale | None
    kind: DrawbackKind


class Cause(Entity):
    """The physical origin of drawbacks (high specific surface area, long diffusion length, ...)."""

    KIND = EntityKind.CAUSE


class Strategy(Entity):
    KIND = EntityKind.STRATEGY
    #: a family of approaches (engineered nanoporosity) rather than one reported example
    is_family: bool = False
    #: the hedged sentence ("may", "could", "is expected to") when the text only proposes the strategy
    prospect_evidence: tuple[Evidence, ...] = ()

    @computed_field
    @property
    def prospect(self) -> bool:
        """Whether the article only proposes the strategy."""
        return bool(self.prospect_evidence)


class Feature(Entity):
    """A property of a strategy's particles or electrode that can mitigate a cause."""

    KIND = EntityKind.FEATURE


class Claim(Entity):
    """One of a document's summary judgements, one per (property, better scale) where it has both. A claim
    is a statement of its document (not a shared concept): its id is ``<document>-<id as curated>``."""

    KIND = EntityKind.CLAIM

    document_id: Slug
    statement: str
    property: Property | None = None
    better_scale: Scale | None = None


class ContextFact(Entity):
    """A statement or number of the prose that is deliberately not bound to a material, and why. A statement
    of its document: its id is ``<document>-<id as curated>``."""

    KIND = EntityKind.CONTEXT

    document_id: Slug
    reason: str
    #: the quantity as printed in the clean text, with its parsed value; None for a statement (an equation)
    quantity: str | None = None
    value_min: Decimal | None = None
    value_max: Decimal | None = None
    qualifier: Qualifier | None = None
    unit_printed: str | None = None
    unit: str | None = None
    unit_qudt: str | None = None


def statement_key(subject_id: str, relation: str, object_id: str) -> str:
    """The key of a (subject, relation, object) fact, whichever documents state it: its rdf:Statement and
    the ``subject_id`` of the evidence rows behind it."""
    return f"{subject_id}--{relation}--{object_id}"


class Relation(Model):
    """One document's statement of a (subject, relation, object) fact, with that document's quotes. Several
    documents may state the same fact; each statement is its own."""

    document_id: Slug
    subject_id: Slug
    relation: RelationType
    object_id: Slug
    evidence: tuple[Evidence, ...] = Field(min_length=1)
    note: str | None = None

    @property
    def key(self) -> str:
        """The fact's key (the same in every document that states it)."""
        return statement_key(self.subject_id, self.relation.value, self.object_id)

    @property
    def id(self) -> str:
        """The statement's id: its document and the fact's key."""
        return f"{self.document_id}/{self.key}"


class QuantityUse(Model):
    """A number of the prose and what uses it: a measurement's value, condition or particle size, or a
    context fact. Whatever the quantity parser finds and no QuantityUse covers is unbound."""

    passage_id: Slug
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    printed: str
    used_by: Slug
    role: str  # "value" | "condition" | "particle_size" | "context"


def item_models(model: type[Model]) -> dict[str, type]:
    """Field → the model of its items, for the tuple-of-models fields of ``model``."""
    found = {}
    for name, info in model.model_fields.items():
        args = typing.get_args(info.annotation)
        if typing.get_origin(info.annotation) is tuple and args and isinstance(args[0], type):
            found[name] = args[0]
    return found


def entity_fields(model: type[Model]) -> dict[str, EntityKind]:
    """Field → entity kind, for the fields of ``model`` that hold curated entities, in declaration order."""
    return {name: item.KIND for name, item in item_models(model).items() if issubclass(item, Entity)}


def concept_fields(model: type[Model]) -> dict[str, EntityKind]:
    """Field → entity kind, for the fields of ``model`` that hold concepts (``CONCEPT_KINDS``)."""
    return {name: kind for name, kind in entity_fields(model).items() if kind in CONCEPT_KINDS}


class Curated(Model):
    """What curators state about a corpus: the causal web's entities and relations, the measurements of the
    prose and the numbers they use. A document's Annotations and the KnowledgeBase both hold these."""

    mechanisms: tuple[Mechanism, ...] = ()
    advantages: tuple[Advantage, ...] = ()
    drawbacks: tuple[Drawback, ...] = ()
    causes: tuple[Cause, ...] = ()
    strategies: tuple[Strategy, ...] = ()
    features: tuple[Feature, ...] = ()
    claims: tuple[Claim, ...] = ()
    context: tuple[ContextFact, ...] = ()
    relations: tuple[Relation, ...] = ()
    measurements: tuple[Measurement, ...] = ()
    quantity_uses: tuple[QuantityUse, ...] = ()


class Annotations(Curated):
    """One document's ``annotations.yaml``, checked: the concepts it quotes (each with this document's
    quotes only) and its statements."""

    document_id: Slug
    #: concept id → where the definition this document uses is written ("file:line")
    defined_at: dict[str, str] = Field(default_factory=dict)

    def entities(self) -> dict[str, Entity]:
        """Every annotated entity by id."""
        groups = (getattr(self, name) for name in entity_fields(type(self)))
        return {entity.id: entity for group in groups for entity in group}

    def objects(self, subject_id: str, relation: RelationType) -> tuple[str, ...]:
        """Objects of ``subject_id``'s ``relation`` relations, in file order."""
        return tuple(
            r.object_id for r in self.relations if r.subject_id == subject_id and r.relation == relation
        )
