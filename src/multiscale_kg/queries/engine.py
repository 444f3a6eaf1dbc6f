"""The rule engine: SPARQL CONSTRUCT rules read from files and run over asserted ∪ inferred to a fixpoint.

A rule is one ``.rq`` file: a header comment stating the rule in one English sentence, then a CONSTRUCT
query whose template is one triple. The engine

- parses every rule once with rdflib (a syntax error, an update or a template of several triples names the
  file) and reads from its algebra what the rule reads, negates and may take as premises;
- orders the rules in strata: a rule that tests the absence of a predicate (``FILTER NOT EXISTS``,
  ``MINUS``) runs after every rule that concludes that predicate, so negation only ever sees a finished
  relation; a rule whose negation depends on its own conclusions cannot be ordered and is refused;
- runs each stratum to a fixpoint on the graph's pyoxigraph store (``rule_store.py``), re-running only the
  rules whose predicates gained triples in the last round, and stops with an error naming the rules still
  producing after ``max_rounds`` rounds;
- records every derivation: the rule, and the premises, which are the triples of the rule's required graph
  pattern as the solution instantiates them. Class tests (``rdf:type``) and literal conditions (values,
  ``"table1"``) are guards rather than premises: a premise links two resources.

A rule runs as the SELECT of its WHERE clause (``SELECT *`` in place of the template), so each solution
gives both the conclusion (the template instantiated) and the premises. Reading and analysing the rule
files is ``rule_files.py``; ordering and running them is here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from urllib.parse import unquote

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef, Variable

from ..errors import IngestError, Problem
from .rule_files import ANY, Rule, load_rules
from .rule_store import RuleStore, Triple

#: how many rounds a stratum may take before its rules are declared non-terminating
MAX_ROUNDS = 20


@dataclass(frozen=True)
class Derivation:
    """One application of a rule: its conclusion and the premises the solution matched."""

    id: str
    rule: str
    conclusion: Triple
    premises: tuple[Triple, ...]


@dataclass
class Inference:
    rules: tuple[Rule, ...]
    strata: tuple[tuple[str, ...], ...]  # rule ids per stratum, in run order
    triples: set[Triple] = field(default_factory=set)  # conclusions that were not in the graph before
    derivations: dict[str, Derivation] = field(default_factory=dict)
    rounds: int = 0  # rule evaluations, all strata together
    seconds: float = 0.0
    #: for profiling, never written out: each rule's CPU time (a busy machine does not inflate it)
    seconds_by_rule: dict[str, float] = field(default_factory=dict)


# ---- ordering --------------------------------------------------------------------------------------------


def _producers(rules: Sequence[Rule], predicate: URIRef) -> list[Rule]:
    return [r for r in rules if predicate in (r.concludes, ANY)] if predicate != ANY else list(rules)


def stratify(rules: Sequence[Rule]) -> tuple[tuple[Rule, ...], ...]:
    """Strata of rules: a rule runs no earlier than the rules it reads, after the ones it negates."""
    level = {rule.id: 0 for rule in rules}
    for _ in range(len(rules) + 1):
        changed = False
        for rule in rules:
            wanted = 0
            for predicate in rule.reads:
                negated = predicate in rule.negates
                for producer in _producers(rules, predicate):
                    wanted = max(wanted, level[producer.id] + (1 if negated else 0))
            if wanted != level[rule.id]:
                level[rule.id], changed = wanted, True
        if not changed:
            break
    else:
        cyclic = [r for r in rules if level[r.id] >= len(rules)]
        raise IngestError(
            [
                Problem(
                    rule.file,
                    "the rule tests the absence of a predicate that it, or a rule depending on it, "
                    "concludes; negation must only see finished relations (no stratification exists)",
                )
                for rule in cyclic
            ]
        )
    top = max(level.values(), default=-1)
    return tuple(tuple(r for r in rules if level[r.id] == n) for n in range(top + 1) if n in level.values())


# ---- running ---------------------------------------------------------------------------------------------


def _local(node) -> str:
    text = str(node)
    return unquote(text.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1])


_TERM = (URIRef, Literal)


@dataclass(frozen=True)
class _Layout:
    """Where a rule's template, patterns and naming variables find their terms in a solution row (the
    row's columns, then the patterns' constants): each triple is one itemgetter call per solution."""

    constants: tuple
    template: Callable[[Sequence], tuple]
    patterns: tuple[tuple[Callable[[Sequence], tuple], bool], ...]
    names: tuple[int, ...]

    @classmethod
    def of(cls, rule: Rule, variables: Sequence[Variable]) -> _Layout:
        column = {variable: n for n, variable in enumerate(variables)}
        constants: list = []

        def slot(term) -> int:
            if isinstance(term, Variable) and term in column:
                return column[term]
            constants.append(None if isinstance(term, Variable) else term)  # unbound: not a premise
            return len(variables) + len(constants) - 1

        def getter(triple: tuple) -> Callable[[Sequence], tuple]:
            return itemgetter(*(slot(term) for term in triple))

        template = getter(rule.query.algebra.template[0])
        patterns = tuple((getter(p.triple), p.optional) for p in rule.patterns)
        names = tuple(column[v] for v in rule.variables if v in column)
        return cls(tuple(constants), template, patterns, names)


class _Run:
    def __init__(self, inference: Inference, store: RuleStore):
        self.inference = inference
        self.store = store
        self._names: dict = {}  # an IRI's last segment, as derivation names use it

    def _name(self, node: URIRef) -> str:
        name = self._names.get(node)
        if name is None:
            name = self._names[node] = _local(node)
        return name

    def apply(self, rule: Rule) -> set[Triple]:
        """Evaluate one rule; add its new conclusions to the inferred graph and return them."""
        variables, rows = self.store.rows(rule.select)
        layout = _Layout.of(rule, variables)
        found: dict[Triple, list[Derivation]] = {}
        for row in rows:
            row.extend(layout.constants)
            conclusion = layout.template(row)
            s, p, o = conclusion
            if not (isinstance(s, URIRef) and isinstance(p, _TERM) and isinstance(o, _TERM)):
                continue  # unbound, a blank node, or a literal subject: nothing to conclude
            premises = []
            for getter, optional in layout.patterns:
                premise = getter(row)
                s, p, o = premise
                if not (isinstance(s, _TERM) and isinstance(p, _TERM) and isinstance(o, URIRef)):
                    continue  # a premise links two resources
                if optional and not self.store.holds(premise):
                    continue
                premises.append(premise)
            names = [self._name(row[n]) for n in layout.names if isinstance(row[n], URIRef)]
            identifier = "--".join([rule.id, *names])
            found.setdefault(conclusion, []).append(
                Derivation(identifier, rule.id, conclusion, tuple(premises))
            )
        new = set()
        for conclusion, derivations in found.items():
            if conclusion not in self.inference.triples and self.store.holds(conclusion):
                continue  # asserted (or seeded) already: nothing to derive
            if conclusion not in self.inference.triples:
                new.add(conclusion)
            for derivation in derivations:
                self._record(derivation)
        self.store.add(sorted(new))
        self.inference.triples |= new
        return new

    def _record(self, derivation: Derivation) -> None:
        known = self.inference.derivations.get(derivation.id)
        if known is not None:  # two solutions that differ only in literals: one derivation, all premises
            premises = tuple(sorted(set(known.premises) | set(derivation.premises)))
            derivation = Derivation(known.id, known.rule, known.conclusion, premises)
        self.inference.derivations[derivation.id] = derivation


def run_rules(
    graph: Dataset | ox.Store | RuleStore, rules: Sequence[Rule] | None = None, max_rounds: int = MAX_ROUNDS
) -> Inference:
    """Run ``rules`` (the package's by default) over ``graph`` to a fixpoint, adding the conclusions to its
    inferred named graph; raise IngestError naming the rules when a stratum does not converge."""
    started = time.perf_counter()
    rules = tuple(load_rules() if rules is None else rules)
    strata = stratify(rules)
    inference = Inference(rules=rules, strata=tuple(tuple(r.id for r in stratum) for stratum in strata))
    store = graph if isinstance(graph, RuleStore) else RuleStore(graph, rules)
    _run_strata(_Run(inference, store), strata, max_rounds)
    inference.seconds = time.perf_counter() - started
    return inference


def _run_strata(run: _Run, strata: Sequence[tuple[Rule, ...]], max_rounds: int) -> None:
    inference = run.inference
    for stratum in strata:
        pending: Iterable[Rule] = stratum
        for _ in range(max_rounds):
            changed: set[URIRef] = set()
            for rule in pending:
                inference.rounds += 1
                began = time.process_time()
                changed |= {p for _, p, _ in run.apply(rule)}
                spent = time.process_time() - began
                inference.seconds_by_rule[rule.id] = inference.seconds_by_rule.get(rule.id, 0.0) + spent
            if not changed:
                break
            pending = [r for r in stratum if r.reads & (changed | {ANY})]
        else:
            still = [r for r in pending if run.apply(r)]
            raise IngestError(
                [
                    Problem(
                        rule.file,
                        "the rule does not reach a fixpoint: it still concludes new triples after "
                        f"{max_rounds} rounds (does it make new resources from its own conclusions?)",
                    )
                    for rule in still or pending
                ]
            )
