"""The electrode reactions of a document's materials (``reactions.yaml``), checked like every curated file.

A reaction says how many electrons one formula unit exchanges, which is what a theoretical capacity needs.
Each entry has a basis: ``article`` when the text states the reaction (its quote must occur exactly once),
``standard`` when it is textbook electrochemistry the text takes for granted. Problems are collected and
raised together, each with the file and line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import IngestError, Problem, display_path
from ..schema import Material, Passage
from ..schema.formulas import parse_formula
from ..schema.knowledge import Evidence
from ..schema.reactions import BASES, Reaction
from . import yaml_lines
from .quotes import QuoteIndex, normalise_quote

REACTIONS_NAME = "reactions.yaml"
_KEYS = {"material", "reaction", "electrons", "formula_unit", "basis", "quote", "note"}


class _Reader:
    def __init__(
        self,
        path: Path,
        document_id: str,
        text: str,
        passages: Sequence[Passage],
        materials: dict[str, Material],
    ):
        self.file = display_path(path)
        self.path = path
        self.document_id = document_id
        self.materials = materials
        self.index = QuoteIndex(text, passages)
        self.passages = {p.id: p for p in passages}
        self.problems: list[Problem] = []

    def problem(self, message: str, line: int | None) -> None:
        self.problems.append(Problem(self.file, message, line))

    def read(self) -> list[Reaction]:
        try:
            root = yaml_lines.read(self.path)
        except IngestError as error:
            self.problems += error.problems
            return []
        if not isinstance(root, MappingNode):
            self.problem("expected a mapping with 'document' and 'reactions'", 1)
            return []
        top = yaml_lines.entries(root)
        document = top.get("document")
        if not isinstance(document, ScalarNode) or document.value != self.document_id:
            self.problem(
                f"'document' must be '{self.document_id}' (the folder's document id)", yaml_lines.line(root)
            )
        entries = top.get("reactions")
        if not isinstance(entries, SequenceNode):
            self.problem("'reactions' must be a list of reactions", yaml_lines.line(root))
            return []
        reactions: dict[str, Reaction] = {}
        for node in entries.value:
            reaction = self.entry(node)
            if reaction is None:
                continue
            if reaction.material_id in reactions:
                first = reactions[reaction.material_id].line
                self.problem(
                    f"material '{reaction.material_id}' has a reaction already (line {first})", reaction.line
                )
                continue
            reactions[reaction.material_id] = reaction
        return list(reactions.values())

    def entry(self, node: Node) -> Reaction | None:
        line = yaml_lines.line(node)
        if not isinstance(node, MappingNode):
            self.problem("a reaction is a mapping (material, reaction, electrons, basis)", line)
            return None
        unknown = sorted({str(key.value) for key, _ in node.value} - _KEYS)
        if unknown:
            self.problem(f"unknown key(s) {unknown}; expected some of {sorted(_KEYS)}", line)
        fields = yaml_lines.scalars(node)
        missing = [key for key in ("material", "reaction", "electrons", "basis") if key not in fields]
        if missing:
            self.problem(f"a reaction needs {', '.join(missing)}", line)
            return None
        material_id, material_line = fields["material"]
        material = self.materials.get(material_id)
        problems = len(self.problems)
        if material is None:
            self.problem(
                f"unknown material '{material_id}' (not in the materials of the corpus)", material_line
            )
        try:
            electrons = Decimal(fields["electrons"][0])
        except InvalidOperation:
            electrons = Decimal(0)
        if not electrons > 0:
            self.problem(
                f"electrons must be a positive number, not {fields['electrons'][0]!r}", fields["electrons"][1]
            )
        default = material.formula if material is not None and material.formula else ""
        formula_unit, unit_line = fields.get("formula_unit", (default, line))
        if material is not None and parse_formula(formula_unit) is None:
            self.problem(
                f"'{material_id}' has no formula a molar mass can be computed from ({formula_unit!r}); "
                "give formula_unit (e.g. S for a sulfur composite)",
                unit_line,
            )
        basis, basis_line = fields["basis"]
        if basis not in BASES:
            self.problem(f"basis must be one of {list(BASES)}, not {basis!r}", basis_line)
        evidence = self.quote(fields.get("quote"), basis, line)
        if len(self.problems) > problems:
            return None
        return Reaction(
            material_id=material_id,
            reaction=fields["reaction"][0],
            electrons=electrons,
            formula_unit=formula_unit,
            basis=basis,
            note=fields.get("note", (None, 0))[0],
            evidence=evidence,
            file=self.file,
            line=line,
        )

    def quote(self, field: tuple[str, int] | None, basis: str, line: int) -> Evidence | None:
        if field is None:
            if basis == "article":
                self.problem("basis 'article' needs the quote that states the reaction", line)
            return None
        quote, quote_line = field
        if basis == "standard":
            self.problem(
                "a 'standard' reaction has no quote; use basis 'article' for a quoted one", quote_line
            )
            return None
        matches = self.index.find_all(quote)
        if len(matches) != 1:
            found = "not found in the text" if not matches else f"found {len(matches)} times; lengthen it"
            self.problem(f'quote {found}: "{normalise_quote(quote)}"', quote_line)
            return None
        match = matches[0]
        passage = self.passages[match.passage_id]
        return Evidence(
            document_id=self.document_id,
            passage_id=passage.id,
            quote=passage.text[match.clean_start : match.clean_end],
            start=match.start,
            end=match.end,
            line=quote_line,
        )


def load_reactions(
    path: Path, document_id: str, text: str, passages: Sequence[Passage], materials: Iterable[Material]
) -> list[Reaction]:
    """One document's ``reactions.yaml``, checked against the corpus's materials and the document's text."""
    reader = _Reader(path, document_id, text, passages, {m.id: m for m in materials})
    reactions = reader.read()
    if reader.problems:
        raise IngestError(reader.problems)
    return reactions


def _same_reaction(one: Reaction, other: Reaction) -> bool:
    return (one.reaction, one.electrons, one.formula_unit, one.basis) == (
        other.reaction,
        other.electrons,
        other.formula_unit,
        other.basis,
    )


def one_reaction_per_material(reactions: Iterable[Reaction]) -> list[Reaction]:
    """The reactions of every document, in material id order, the first document's where several state the
    same reaction; one IngestError lists a material given two different reactions."""
    seen: dict[str, Reaction] = {}
    problems = []
    for reaction in reactions:
        first = seen.setdefault(reaction.material_id, reaction)
        if first is not reaction and not _same_reaction(first, reaction):
            problems.append(
                Problem(
                    reaction.file,
                    f"material '{reaction.material_id}' has another reaction in {first.file}:{first.line} "
                    f"({first.reaction}); one material has one electrode reaction",
                    reaction.line,
                )
            )
    if problems:
        raise IngestError(problems)
    return sorted(seen.values(), key=lambda r: r.material_id)
