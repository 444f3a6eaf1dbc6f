"""Rule files: each ``queries/rules/*.rq`` read once and analysed for the engine.

A rule is one ``.rq`` file: a header comment stating the rule in one English sentence, then a CONSTRUCT
query whose template is one triple. Reading a rule parses it with rdflib (a syntax error, an update or a
template of several triples names the file) and reads from its algebra what the rule reads, negates and may
take as premises; pyoxigraph, which runs it, parses it too. A rule runs as the SELECT of its WHERE clause
(``SELECT *`` in place of the template), so each solution gives both the conclusion and the premises.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef, Variable
from rdflib.namespace import RDF
from rdflib.paths import MulPath
from rdflib.paths import Path as PropertyPath
from rdflib.plugins.sparql.algebra import reorderTriples
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query

from ..errors import IngestError, Problem, display_path
from ..graph.namespaces import PREFIXES
from .files import package_folder, split_header
from .sparql import QueryError, prepare

#: a predicate read through a variable or a negated property path: the rule may read anything
ANY = URIRef("urn:x-mskg:any-predicate")


def rules_dir() -> Path:
    """The package's rule files (``queries/rules/*.rq``)."""
    return package_folder("rules")


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
    patterns: tuple[Pattern, ...]  # candidate premises, in the order the rule's algebra gives them
    variables: tuple[Variable, ...]  # in order of first appearance: they name the derivations
    select: str  # the rule's WHERE clause as a SELECT of every variable it binds: what the store runs
    sources: frozenset[tuple[URIRef | None, URIRef | None]]  # (predicate, object) of what it can read
    names_graphs: bool  # it has a GRAPH pattern: the store must keep the dataset's named graphs

    @property
    def file(self) -> str:
        return display_path(self.path)


# ---- reading rules ----------------------------------------------------------------------------------------


def _problem(path: Path, message: str, line: int | None = None) -> IngestError:
    return IngestError([Problem(display_path(path), message, line)])


def _header(text: str) -> str:
    header, _ = split_header(text, "#")
    return " ".join(part for part in header if part)


def _syntax_line(message: str) -> int | None:
    found = re.search(r"line:(\d+)", message)
    return int(found.group(1)) if found else None


def _walk_triples(node, negated: bool = False) -> Iterator[tuple[tuple, bool]]:
    """Every triple pattern of a graph pattern (sub-selects and EXISTS included), and whether it is read
    under negation."""
    if isinstance(node, CompValue):
        if node.name in ("BGP", "TriplesBlock"):
            for triples in node.triples:  # a parsed TriplesBlock (inside EXISTS) lists s p o s p o ... flat
                for n in range(0, len(triples) - 2, 3):
                    yield tuple(triples[n : n + 3]), negated
            return
        if node.name == "Builtin_NOTEXISTS":
            yield from _walk_triples(node.graph, True)
            return
        if node.name == "Minus":
            yield from _walk_triples(node.p1, negated)
            yield from _walk_triples(node.p2, True)
            return
        for value in node.values():
            yield from _walk_triples(value, negated)
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _walk_triples(item, negated)


def _walk_predicates(node) -> Iterator[tuple[URIRef, bool]]:
    """Every predicate a graph pattern reads, and whether it is read under negation."""
    for triple, negated in _walk_triples(node):
        yield from ((p, negated) for p in _path_predicates(triple[1]))


def _names_graphs(node) -> bool:
    """Whether a graph pattern has a GRAPH pattern (translated, or as parsed inside EXISTS)."""
    if isinstance(node, CompValue):
        return node.name in ("Graph", "GraphGraphPattern") or any(map(_names_graphs, node.values()))
    if isinstance(node, list | tuple):
        return any(map(_names_graphs, node))
    return False


def _sources(node) -> Iterator[tuple[URIRef | None, URIRef | None]]:
    """The (predicate, object) patterns of the triples a graph pattern can match, None standing for any: a
    class test reads only that class's members, anything else every triple of its predicates."""
    for (_, predicate, obj), _ in _walk_triples(node):
        if predicate == RDF.type and isinstance(obj, URIRef):
            yield predicate, obj
        else:
            yield from ((None if p == ANY else p, None) for p in _path_predicates(predicate))


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
    inline = _inline_bgp(node)
    if inline is not None:  # one basic graph pattern, its triples in the order rdflib gives one
        for s, p, o in reorderTriples(inline):
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


def _inline_bgp(node) -> list | None:
    """The triples of a basic graph pattern, or of a join of them and of sub-selects that project every
    variable of their basic graph pattern (``{ SELECT * WHERE { ... } }``): rules write these to fix the order
    of their joins (a document's own triples first), and they match what the pattern written inline matches.
    None for anything else."""
    if node.name == "BGP":
        return list(node.triples)
    if node.name == "ToMultiSet" and node.p.name == "Project" and node.p.p.name == "BGP":
        triples = node.p.p.triples
        variables = {t for triple in triples for t in triple if isinstance(t, Variable)}
        return list(triples) if variables <= set(node.p.PV) else None
    if node.name == "Join":
        left, right = _inline_bgp(node.p1), _inline_bgp(node.p2)
        return None if left is None or right is None else left + right
    return None


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


#: what may come before the query form: comments, IRIs and strings are skipped whole (they may hold a brace
#: or the word CONSTRUCT); the first CONSTRUCT keyword outside them starts the query form
_TOKEN = re.compile(
    r"""(?P<skip>\#[^\n]*|<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
    r"|(?P<construct>(?<![\w:?$-])CONSTRUCT(?![\w:-]))|(?P<open>\{)|(?P<close>\})",
    re.IGNORECASE,
)
#: the prefixes rdflib resolves for every query (``sparql.prepare``): the store resolves the same ones
PREFIX_STRINGS = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def _select(text: str) -> str:
    """The rule's query with ``SELECT *`` in place of ``CONSTRUCT { template }`` (a rule has a template: the
    short form ``CONSTRUCT WHERE`` is refused before). The template's newlines are kept, so that lines still
    match the file's."""
    start, depth = None, 0
    for token in _TOKEN.finditer(text):
        kind = token.lastgroup
        if kind == "skip" or (start is None and kind != "construct"):
            continue
        if start is None:
            start = token.start()
        elif kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
            if depth == 0:
                end = token.end()
                return text[:start] + "SELECT *" + "\n" * text.count("\n", start, end) + text[end:]
    raise ValueError("no CONSTRUCT template found")  # unreachable for a query rdflib parsed as CONSTRUCT


_EMPTY = ox.Store()


def _check_select(path: Path, select: str) -> None:
    """Let pyoxigraph parse the query now, so a rule it cannot run is refused with the others."""
    try:
        _EMPTY.query(select, prefixes=PREFIX_STRINGS)
    except SyntaxError as error:
        line = re.search(r"at (\d+):\d+", str(error))
        raise _problem(
            path, f"SPARQL syntax error (pyoxigraph): {error}", int(line.group(1)) if line else None
        ) from None


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
    select = _select(text)
    _check_select(path, select)
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
        select=select,
        sources=frozenset(_sources(algebra.p)),
        names_graphs=_names_graphs(algebra.p),
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
