"""Planned evaluation of the rules' graph patterns: join order from the graph's statistics, and evaluation
on plain dicts.

rdflib orders the patterns of a basic graph pattern by how many constants they have, at parse time and
again at evaluation, whatever they join on: ``?row mskg:source "table1"`` comes first and the claim rules
take seconds. ``plan`` orders each pattern list so that every pattern joins on variables bound before it,
fewest expected matches first, and flags it; rdflib then hands flagged patterns (and filters over them)
to ``_evaluate_planned`` through its ``CUSTOM_EVALS`` hook, which leaves every other query alone. Matching
runs on dicts with per-predicate indexes (``Index``) instead of rdflib's per-binding contexts and store
scans; ``(NOT) EXISTS`` over a planned pattern is a look-up and a numeric comparison is done directly.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from decimal import Decimal

from rdflib import Dataset, Literal, URIRef, Variable
from rdflib.namespace import RDF
from rdflib.paths import MulPath
from rdflib.paths import Path as PropertyPath
from rdflib.plugins.sparql import CUSTOM_EVALS
from rdflib.plugins.sparql.evalutils import _ebv
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query, QueryContext

Triple = tuple[URIRef, URIRef, URIRef | Literal]
_TYPE = RDF.type
#: marks a basic graph pattern whose pattern order ``plan`` chose
_PLANNED = "multiscale_kg_planned"


class Statistics:
    """Triple counts per predicate (and per class for ``rdf:type``) of one graph, for planning joins."""

    def __init__(self, graph: Dataset):
        self.store = graph.store
        self._counts: dict = {}

    def _count(self, predicate, obj=None) -> tuple[int, int, int]:
        key = (predicate, obj)
        if key not in self._counts:
            subjects, objects, n = set(), set(), 0
            for (s, _, o), _ in self.store.triples((None, predicate, obj), None):
                n += 1
                subjects.add(s)
                objects.add(o)
            self._counts[key] = (n, max(len(subjects), 1), max(len(objects), 1))
        return self._counts[key]

    def cost(self, triple: tuple, known: set[Variable]) -> float:
        """Expected matches of a pattern once ``known`` are bound."""

        def bound(term) -> bool:
            return not isinstance(term, Variable) or term in known

        subject, predicate, obj = triple
        if isinstance(predicate, MulPath):
            if predicate.mod != "+" and not (bound(subject) or bound(obj)):
                return float("inf")  # a zero-length path with both ends free matches every node
            predicate = predicate.path
        if not isinstance(predicate, URIRef):
            return float("inf") if not bound(subject) else 100.0
        if predicate == RDF.type and not isinstance(obj, Variable):
            n, _, _ = self._count(predicate, obj)
            return 1.0 if bound(subject) else float(n)
        n, subjects, objects = self._count(predicate)
        if bound(subject):
            return 1.0 if bound(obj) else n / subjects
        return n / objects if bound(obj) else float(n)


def plan(query: Query, statistics: Statistics) -> None:
    """Order the patterns of every basic graph pattern of ``query`` so that each joins on variables bound by
    the ones before it, fewest expected matches first. rdflib's own order (at parse and again at evaluation)
    puts patterns with constants first whatever they join on: ``?row mskg:source "table1"`` then makes the
    claim rules a thousand times slower. A planned pattern list is evaluated as it stands
    (``_evaluate_planned``)."""

    def visit(node, outer: frozenset = frozenset()) -> None:
        if isinstance(node, CompValue):
            if node.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
                # rdflib keeps the translated pattern as an attribute, beside the parsed one in the dict;
                # it joins an empty pattern to it, which costs a hash join per test: drop that
                graph = node.graph
                if graph.name == "Join" and graph.p1.name == "BGP" and not graph.p1.triples:
                    node.graph = graph = graph.p2
                visit(graph, outer)
                return
            if node.name == "Filter":  # the filter's EXISTS patterns run with the solution's bindings
                visit(node.p, outer)
                visit(node.expr, outer | frozenset(node.p.get("_vars", ())))
                return
            if node.name == "BGP":
                remaining, ordered, known = list(node.triples), [], set(outer)
                while remaining:
                    best = min(range(len(remaining)), key=lambda i: (statistics.cost(remaining[i], known), i))
                    triple = remaining.pop(best)
                    ordered.append(triple)
                    known |= {term for term in triple if isinstance(term, Variable)}
                node["triples"] = ordered
                node[_PLANNED] = True
                return
            for value in node.values():
                visit(value, outer)
        elif isinstance(node, list | tuple):
            for item in node:
                visit(item, outer)

    visit(query.algebra.p)


class Index:
    """Subject and object look-ups per predicate (and members per class), built on first use from one
    graph's store and kept up to date with the engine's conclusions: a dict look-up instead of a store scan
    that also works out each triple's named graphs."""

    def __init__(self, store):
        self.store = store
        self.by_predicate: dict[URIRef, tuple[dict, dict]] = {}
        self.by_class: dict[URIRef, dict] = {}

    def _predicate(self, predicate: URIRef) -> tuple[dict, dict]:
        if predicate not in self.by_predicate:
            subjects: dict = defaultdict(dict)
            objects: dict = defaultdict(dict)
            for (s, _, o), _ in self.store.triples((None, predicate, None), None):
                subjects[s][o] = None
                objects[o][s] = None
            self.by_predicate[predicate] = (subjects, objects)
        return self.by_predicate[predicate]

    def _members(self, cls) -> dict:
        if cls not in self.by_class:
            self.by_class[cls] = {s: None for (s, _, _), _ in self.store.triples((None, _TYPE, cls), None)}
        return self.by_class[cls]

    def add(self, triple: Triple) -> None:
        s, p, o = triple
        if p in self.by_predicate:
            self.by_predicate[p][0][s][o] = None
            self.by_predicate[p][1][o][s] = None
        if str.__eq__(p, _TYPE) and o in self.by_class:
            self.by_class[o][s] = None

    def match(self, s, p: URIRef, o) -> Iterable[tuple]:
        if o is not None and str.__eq__(p, _TYPE):
            members = self._members(o)
            return ((x, o) for x in members) if s is None else (((s, o),) if s in members else ())
        subjects, objects = self._predicate(p)
        if s is not None:
            found = subjects.get(s, {})
            return ((s, x) for x in found) if o is None else (((s, o),) if o in found else ())
        if o is not None:
            return ((x, o) for x in objects.get(o, {}))
        return ((x, y) for x, found in subjects.items() for y in found)


#: the index of the graph the engine is running on (None outside run_rules: look-ups go to the store)
ACTIVE_INDEX: ContextVar[Index | None] = ContextVar("multiscale_kg_rule_index", default=None)


def match(ctx: QueryContext, patterns: Sequence[tuple], binding: dict) -> Iterator[dict]:
    """Nested-loop join of ``patterns`` in order, on plain dicts (rdflib's evalBGP copies its context at
    every step, which costs more than the look-ups)."""
    if not patterns:
        yield binding
        return
    pattern, rest = patterns[0], patterns[1:]
    query = tuple(binding.get(term) if isinstance(term, Variable) else term for term in pattern)
    index = ACTIVE_INDEX.get()
    if isinstance(pattern[1], PropertyPath):
        found = ((s, o) for s, _, o in ctx.graph.triples(query))  # type: ignore[union-attr, arg-type]
    elif index is not None and index.store is ctx.graph.store:  # type: ignore[union-attr]
        found = index.match(*query)
    else:
        found = ((s, o) for (s, _, o), _ in ctx.graph.store.triples(query, None))  # type: ignore[union-attr]
    for subject, obj in found:
        extended = binding
        for term, value in ((pattern[0], subject), (pattern[2], obj)):
            if isinstance(term, Variable):
                if term not in extended:
                    extended = {**extended, term: value}
                elif extended[term] != value:  # the same variable twice in one pattern (?x p ?x)
                    break
        else:
            yield from match(ctx, rest, extended)


def planned(part) -> bool:
    return isinstance(part, CompValue) and part.name == "BGP" and bool(part.get(_PLANNED))


def _start(ctx: QueryContext, part: CompValue) -> dict:
    variables = {term for triple in part.triples for term in triple if isinstance(term, Variable)}
    return {v: ctx[v] for v in variables if ctx[v] is not None}


_COMPARE = {"<": operator.lt, ">": operator.gt, "<=": operator.le, ">=": operator.ge}


def _numeric_comparison(expr) -> bool:
    """``?a > ?b`` (variables or literals): compared directly instead of through rdflib's evaluator."""
    return (
        getattr(expr, "name", None) == "RelationalExpression"
        and expr.op in _COMPARE
        and all(isinstance(side, Variable | Literal) for side in (expr.expr, expr.other))
    )


def _compare(expr, binding: dict) -> bool:
    values = [binding.get(side) if isinstance(side, Variable) else side for side in (expr.expr, expr.other)]
    numbers = [v.toPython() if isinstance(v, Literal) else None for v in values]
    if not all(isinstance(n, int | float | Decimal) and not isinstance(n, bool) for n in numbers):
        return False  # unbound or not a number: a type error, which a FILTER reads as false
    return _COMPARE[expr.op](numbers[0], numbers[1])


def filtered(ctx: QueryContext, part: CompValue) -> Iterator[tuple[dict, dict]]:
    """A FILTER over a planned pattern, as (start, binding) dicts: its (NOT) EXISTS tests on planned
    patterns run as plain look-ups, numeric comparisons directly; only the remaining expressions go through
    rdflib's expression evaluator."""
    conjuncts = [part.expr]
    if getattr(part.expr, "name", None) == "ConditionalAndExpression":
        conjuncts = [part.expr.expr, *(part.expr.other or [])]
    tests, comparisons, others = [], [], []
    for expr in conjuncts:
        name = getattr(expr, "name", None)
        if name in ("Builtin_EXISTS", "Builtin_NOTEXISTS") and planned(expr.graph):
            tests.append((name == "Builtin_EXISTS", expr.graph.triples))
        elif _numeric_comparison(expr):
            comparisons.append(expr)
        else:
            others.append(expr)
    start = _start(ctx, part.p)
    for binding in match(ctx, part.p.triples, start):
        if not all(_compare(expr, binding) for expr in comparisons):
            continue
        if any((next(match(ctx, triples, binding), None) is not None) != wanted for wanted, triples in tests):
            continue
        if others:
            solution = _solution(ctx, start, binding)
            scoped = solution if part.no_isolated_scope else solution.forget(ctx, _except=part._vars)
            if not all(_ebv(expr, scoped) for expr in others):
                continue
        yield start, binding


def _evaluate_planned(ctx: QueryContext, part: CompValue):
    """rdflib hook: evaluate planned patterns (and filters over them) in the engine's order; anything else is
    left to rdflib."""
    if planned(part):
        start = _start(ctx, part)
        return (_solution(ctx, start, binding) for binding in match(ctx, part.triples, start))
    if part.name == "Filter" and planned(part.p):
        return (_solution(ctx, start, binding) for start, binding in filtered(ctx, part))
    raise NotImplementedError


def _solution(ctx: QueryContext, start: dict, binding: dict):
    pushed = ctx.push()
    for variable, value in binding.items():
        if variable not in start:
            pushed[variable] = value
    return pushed.solution()


CUSTOM_EVALS[_PLANNED] = _evaluate_planned
