"""An electrode reaction of a material: how many electrons one formula unit exchanges, which is what its
theoretical capacity needs. Curated in each document's ``reactions.yaml``; read and checked by
``ingest/reactions.py``."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

from .knowledge import Evidence
from .models import Model, Slug

#: ``article``: the text states the reaction (its quote is the evidence); ``standard``: textbook
#: electrochemistry the text takes for granted
BASES = ("article", "standard")


class Reaction(Model):
    material_id: Slug
    reaction: str
    electrons: Decimal = Field(gt=0)
    #: the formula whose molar mass the capacity is per: the material's own unless the file names another
    formula_unit: str
    basis: Literal["article", "standard"]
    note: str | None = None
    evidence: Evidence | None = None
    #: where it is curated: the file as shown to users and the line of its entry
    file: str
    line: int
