"""The rule engine: SPARQL CONSTRUCT rules read from files and run over asserted ∪ inferred to a fixpoint.

A rule is one ``.rq`` file: a header comment stating the rule in one English sentence, then a CONSTRUCT
query whose template is one triple. The engine

- parses every rule once (a syntax error, an update or a template of several triples names the file);
- orders the rules in strata: a rule that tests the absence of a predicate (``FILTER NOT EXISTS``,
  ``MINUS``) runs after every rule that concludes that predicate, so negation only ever sees a finished
  relation; a rule whose negation depends on its own conclusions cannot be ordered and is refused;
- runs each stratum to a fixpoint, re-running only the rules whose predicates gained triples in the last
  round, and stops with an error naming the rules still producing after ``max_rounds`` rounds;
- records every derivation: the rule, and the premises, which are the triples of the rule's required graph
  pattern as the solution instantiates them. Class tests (``rdf:type``) and literal conditions (values,
  ``"table1"``) are guards rather than premises: a premise links two resources.

Rules are prepared once per process; before each stratum their patterns are planned against the graph's
statistics and then evaluated by ``planner.py`` (rdflib's evaluator only for what it does not plan).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from urllib.parse import unquote

from rdflib import Dataset, Literal, URIRef, Variable
from rdflib.namespace import RDF
from rdflib.paths import MulPath
from rdflib.paths import Path as PropertyPath
from rdflib.plugins.sparql.evaluate import evalPart
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query, QueryContext

from ..errors import IngestError, Problem, display_path
from ..graph.namespaces import GRAPH_INFERRED
from .planner import ACTIVE_INDEX, Index, Statistics, filtered, match, plan, planned
from .sparql import QueryError, prepare

Triple = tuple[URIRef, URIRef, URIRef | Literal]
#: how many rounds a stratum may take before its rules are declared non-terminating
MAX_ROUNDS = 20
#: a predicate read through a variable or a negated property path: the rule may read anything
ANY = URIRef("urn:x-mskg:any-predicate")


def rules_dir() -> Path:
    """The package's rule files (``queries/rules/*.rq``)."""
    return Path(str(files("multiscale_kg.queries").joinpath("rules")))


@dataclass(frozen=True)
class Pattern:
    triple: tuple  # (subject, predicate, object): Variables or terms
    optional: bool  # from an OPTIONAL or UNION branch: a premise only when the solution matches it


@dataclass(frozen=True)
class Rule:
    id: str  # the file name without .rq
    path: Path
    statement: str  # the header comment: the rule in one sentence
    query: Query
    concludes: URIRef  # the template's predicate
    reads: frozenset[URIRef]  # predicates of its graph patterns, negated ones included
    negates: frozenset[URIRef]  # predicates under FILTER NOT EXISTS or MINUS
    patterns: tuple[Pattern, ...]  # candidate premises, in evaluation order
    variables: tuple[Variable, ...]  # in order of first appearance: they name the derivations

    @property
    def file(self) -> str:
        return display_path(self.path)


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
    seconds_by_rule: dict[str, float] = field(default_factory=dict)  # for profiling, never written out


# ---- reading rules ----------------------------------------------------------------------------------------


def _problem(path: Path, message: str, line: int | None = None) -> IngestError:
    return IngestError([Problem(display_path(path), message, line)])


def _header(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return " ".join(part for part in lines if part)


def _syntax_line(message: str) -> int | None:
    found = re.search(r"line:(\d+)", message)
    return int(found.group(1)) if found else None


def _walk_predicates(node, negated: bool = False) -> Iterator[tuple[URIRef, bool]]:
    """Every predicate a graph pattern reads, and whether it is read under negation."""
    if isinstance(node, CompValue):
        if node.name in ("BGP", "TriplesBlock"):
            for triple in node.triples:
                yield from ((p, negated) for p in _path_predicates(triple[1]))
            return
        if node.name == "Builtin_NOTEXISTS":
            yield from _walk_predicates(node.graph, True)
            return
        if node.name == "Minus":
            yield from _walk_predicates(node.p1, negated)
            yield from _walk_predicates(node.p2, True)
            return
        for value in node.values():
            yield from _walk_predicates(value, negated)
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _walk_predicates(item, negated)


def _path_predicates(predicate) -> Iterator[URIRef]:
    if isinstance(predicate, URIRef):
        yield predicate
    elif isinstance(predicate, PropertyPath) and not type(predicate).__name__.startswith("Negated"):
        parts = getattr(predicate, "args", None) or [
            getattr(predicate, "path", getattr(predicate, "arg", None))
        ]
        for part in parts:
            yield from _path_predicates(part)
    else:  # a variable predicate or a negated path: anything may match
        yield ANY


def _walk_patterns(node, optional: bool = False) -> Iterator[Pattern]:
    """The triple patterns a solution must (or, in OPTIONAL and UNION branches, may) have matched."""
    if not isinstance(node, CompValue):
        return
    if node.name == "BGP":
        for s, p, o in node.triples:
            if isinstance(p, URIRef):
                yield Pattern((s, p, o), optional)
            elif isinstance(p, MulPath) and isinstance(p.path, URIRef):  # p? p* p+: the one-step case
                yield Pattern((s, p.path, o), True)
    elif node.name == "Join":
        yield from _walk_patterns(node.p1, optional)
        yield from _walk_patterns(node.p2, optional)
    elif node.name in ("LeftJoin", "Union"):
        yield from _walk_patterns(node.p1, optional or node.name == "Union")
        yield from _walk_patterns(node.p2, True)
    elif node.name == "Minus":
        yield from _walk_patterns(node.p1, optional)
    elif node.name != "ToMultiSet" and "p" in node:  # a sub-select's variables are not the rule's
        yield from _walk_patterns(node.p, optional)


def _variables(text: str, template: Sequence) -> tuple[Variable, ...]:
    """Template variables first, then the others in the order the rule text names them."""
    names = [str(term) for term in template[0] if isinstance(term, Variable)]
    body = text.split("WHERE", 1)[-1] if "WHERE" in text else text
    for name in re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", "\n".join(_code_lines(body))):
        if name not in names:
            names.append(name)
    return tuple(Variable(name) for name in names)


def _code_lines(text: str) -> Iterator[str]:
    for line in text.splitlines():
        yield line.split("#", 1)[0] if not line.lstrip().startswith("PREFIX") else ""


def load_rule(path: Path) -> Rule:
    """Parse and check one rule file; raise IngestError naming the file (and line) when it is unusable.
    A file is parsed once per process while it is unchanged (parsing costs more than running it)."""
    stat = path.stat()
    return _load_rule(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _load_rule(path: Path, mtime_ns: int, size: int) -> Rule:
    text = path.read_text(encoding="utf-8")
    statement = _header(text)
    if not statement:
        raise _problem(path, "a rule starts with a comment stating the rule in one sentence", 1)
    try:
        query = prepare(text)
    except QueryError as error:
        raise _problem(path, str(error), _syntax_line(str(error))) from None
    algebra = query.algebra
    if algebra.name != "ConstructQuery" or not algebra.template:
        raise _problem(path, "a rule is a CONSTRUCT query with a template (CONSTRUCT { ... } WHERE { ... })")
    template = list(algebra.template)
    if len(template) != 1:
        raise _problem(path, f"a rule concludes one triple pattern; its template has {len(template)}")
    predicate = template[0][1]
    if not isinstance(predicate, URIRef):
        raise _problem(path, "the template's predicate must be an IRI, so the engine knows what it concludes")
    read = list(_walk_predicates(algebra.p))
    patterns = tuple(
        p
        for p in _walk_patterns(algebra.p)
        if p.triple[1] != RDF.type and not isinstance(p.triple[2], Literal)
    )
    return Rule(
        id=path.stem,
        path=path,
        statement=statement,
        query=query,
        concludes=predicate,
        reads=frozenset(p for p, _ in read),
        negates=frozenset(p for p, negated in read if negated),
        patterns=tuple(dict.fromkeys(patterns)),
        variables=_variables(text, template),
    )


def load_rules(folder: Path | None = None) -> tuple[Rule, ...]:
    """Every ``*.rq`` of ``folder`` (the package's rules by default), in file-name order."""
    folder = folder or rules_dir()
    paths = sorted(folder.glob("*.rq"))
    problems: list[Problem] = []
    rules = []
    for path in paths:
        try:
            rules.append(load_rule(path))
        except IngestError as error:
            problems.extend(error.problems)
    if problems:
        raise IngestError(problems)
    return tuple(rules)


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


def _solutions(dataset: Dataset, rule: Rule) -> Iterable[Mapping]:
    """The rule's solutions: plain dicts when its pattern is a planned one (with filters), which is every
    rule of the package; rdflib's own evaluation otherwise."""
    ctx = QueryContext(dataset, initBindings={}, datasetClause=None)
    ctx.prologue = rule.query.prologue
    part = rule.query.algebra.p
    part = part.p if part.name == "Project" else part  # a CONSTRUCT projects every variable it binds
    if planned(part):
        return match(ctx, part.triples, {})
    if part.name == "Filter" and planned(part.p):
        return (binding for _, binding in filtered(ctx, part))
    return evalPart(ctx, rule.query.algebra.p)


def _instantiate(pattern: tuple, solution) -> Triple | None:
    terms = tuple(solution.get(term) if isinstance(term, Variable) else term for term in pattern)
    return terms if all(isinstance(t, URIRef | Literal) for t in terms) else None  # type: ignore[return-value]


class _Run:
    def __init__(self, dataset: Dataset, inference: Inference):
        self.dataset = dataset
        self.inferred = dataset.graph(GRAPH_INFERRED)
        self.inference = inference

    def apply(self, rule: Rule) -> set[Triple]:
        """Evaluate one rule; add its new conclusions to the inferred graph and return them."""
        found: dict[Triple, list[Derivation]] = {}
        for solution in _solutions(self.dataset, rule):
            conclusion = _instantiate(rule.query.algebra.template[0], solution)
            if conclusion is None or isinstance(conclusion[0], Literal):
                continue
            premises = []
            for pattern in rule.patterns:
                premise = _instantiate(pattern.triple, solution)
                if premise is None or isinstance(premise[2], Literal):
                    continue
                if pattern.optional and premise not in self.dataset:
                    continue
                premises.append(premise)
            names = [_local(solution.get(v)) for v in rule.variables if isinstance(solution.get(v), URIRef)]
            identifier = "--".join([rule.id, *names])
            found.setdefault(conclusion, []).append(
                Derivation(identifier, rule.id, conclusion, tuple(premises))
            )
        new = set()
        for conclusion, derivations in found.items():
            if conclusion not in self.inference.triples and conclusion in self.dataset:
                continue  # asserted (or seeded) already: nothing to derive
            if conclusion not in self.inference.triples:
                new.add(conclusion)
            for derivation in derivations:
                self._record(derivation)
        index = ACTIVE_INDEX.get()
        for triple in sorted(new):
            self.inferred.add(triple)
            if index is not None:
                index.add(triple)
        self.inference.triples |= new
        return new

    def _record(self, derivation: Derivation) -> None:
        known = self.inference.derivations.get(derivation.id)
        if known is not None:  # two solutions that differ only in literals: one derivation, all premises
            premises = tuple(sorted(set(known.premises) | set(derivation.premises)))
            derivation = Derivation(known.id, known.rule, known.conclusion, premises)
        self.inference.derivations[derivation.id] = derivation


def run_rules(
    dataset: Dataset, rules: Sequence[Rule] | None = None, max_rounds: int = MAX_ROUNDS
) -> Inference:
    """Run ``rules`` (the package's by default) over ``dataset`` to a fixpoint, adding the conclusions to its
    inferred named graph; raise IngestError naming the rules when a stratum does not converge."""
    started = time.perf_counter()
    rules = tuple(load_rules() if rules is None else rules)
    strata = stratify(rules)
    inference = Inference(rules=rules, strata=tuple(tuple(r.id for r in stratum) for stratum in strata))
    run = _Run(dataset, inference)
    token = ACTIVE_INDEX.set(Index(dataset.store))
    try:
        _run_strata(run, strata, max_rounds)
    finally:
        ACTIVE_INDEX.reset(token)
    inference.seconds = time.perf_counter() - started
    return inference


def _run_strata(run: _Run, strata: Sequence[tuple[Rule, ...]], max_rounds: int) -> None:
    inference, dataset = run.inference, run.dataset
    for stratum in strata:
        statistics = Statistics(dataset)  # counted afresh: earlier strata added triples
        for rule in stratum:
            plan(rule.query, statistics)
        pending: Iterable[Rule] = stratum
        for _ in range(max_rounds):
            changed: set[URIRef] = set()
            for rule in pending:
                inference.rounds += 1
                began = time.perf_counter()
                changed |= {p for _, p, _ in run.apply(rule)}
                spent = time.perf_counter() - began
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
