"""The support grade of every derived ``strategy addresses drawback``: how strongly the article backs it.

A path (one derivation) is graded by its weakest link:

- ``stated``: it rests on a curated ``improves`` statement, the article saying this strategy improves it;
- ``chained``: every premise is a curated statement and none crosses ``exampleOf``: the strategy's own
  feature, which mitigates a cause of the drawback, each link with its own quote;
- ``inherited``: a premise is itself derived (a feature inherited from the family) or the path goes
  through ``exampleOf`` (a family credited with what one of its examples does);
- ``prospect``: whatever the path, the article only proposes the strategy.

A pair reached by several paths takes its best path's grade; every path keeps its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..graph.namespaces import local, node_id
from ..schema import KnowledgeBase
from ..schema.vocab import Support
from .engine import Derivation, Triple

#: the relation whose derivations are graded
GRADED = "addresses"


@dataclass(frozen=True)
class Grades:
    """Each ``addresses`` derivation's own grade, and each (strategy, drawback) pair's best one."""

    by_derivation: Mapping[str, Support]
    by_pair: Mapping[tuple[str, str], Support]


def prospects(kb: KnowledgeBase) -> set[str]:
    return {strategy.id for strategy in kb.strategies if strategy.prospect}


def path_support(derivation: Derivation, derived: set[Triple], proposed: set[str]) -> Support:
    """The grade of one derivation; ``derived`` are the triples the rules concluded (not curated)."""
    if node_id(derivation.conclusion[0]) in proposed:
        return Support.PROSPECT
    relations = {local(premise[1]) for premise in derivation.premises}
    if "improves" in relations:
        return Support.STATED
    if "exampleOf" in relations or any(premise in derived for premise in derivation.premises):
        return Support.INHERITED
    return Support.CHAINED


def grade(kb: KnowledgeBase, derivations: Iterable[Derivation], derived: set[Triple]) -> Grades:
    proposed = prospects(kb)
    by_derivation: dict[str, Support] = {}
    by_pair: dict[tuple[str, str], Support] = {}
    for d in derivations:
        if local(d.conclusion[1]) != GRADED:
            continue
        support = path_support(d, derived, proposed)
        by_derivation[d.id] = support
        pair = (node_id(d.conclusion[0]), node_id(d.conclusion[2]))
        by_pair[pair] = Support.best([support, by_pair.get(pair, support)])
    return Grades(dict(sorted(by_derivation.items())), dict(sorted(by_pair.items())))
