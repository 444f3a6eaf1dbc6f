"""A SPARQL worker process: opens a build's graph store, then answers queries sent over a pipe, one at a time.

The worker opens the build's Oxigraph store on disk read-only (``graph/store.py`` ``read_store``): every
worker reads the same files, through the system's page cache, so the endpoint's memory does not grow with
its workers, and a worker that replaces a killed one is ready as soon as it has opened the store. It runs
each query there, with the
dataset the request names (``default-graph-uri``/``named-graph-uri``, or the query's FROM, both taken as
names of graphs in the store: nothing is fetched) or else the union of all graphs as the default graph, and
relative IRIs resolved against ``query_guard.BASE_IRI``.

Queries run here rather than in the web server so that a slow or greedy query costs one worker, never the
server: the worker stops its own query at the time limit (SIGALRM), its memory is capped (RLIMIT_AS), it
cannot open a network connection, and the server kills and replaces it if it ever stops answering.

No network, twice over. Oxigraph answers SERVICE with an HTTP client of its own, written in Rust, which a
patched Python ``socket`` cannot see; so before anything else the worker moves into a network namespace of
its own (a new user and network namespace, with no interface up, not even loopback), where every
connection fails in the kernel, whoever opens it. Where the system does not allow unprivileged namespaces
the worker goes on with the Python guard alone (``disable_network``), and relies on every query being
checked (``query_guard.check``: no SERVICE, no FROM) in the server and again here.

The pool (``sparql_pool``) forks each worker from a fork server that has imported this module and run
``warm`` (``sparql_preload``), and the worker runs ``run``.
"""

from __future__ import annotations

import ctypes
import itertools
import os
import resource
import signal
import socket
import sys
import traceback
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox
from rdflib.plugins.sparql.sparql import Query

from ..graph.namespaces import PREFIXES
from ..graph.store import read_store
from ..queries.sparql import QueryError, named_queries
from .query_guard import BASE_IRI, check, in_query_order
from .results import GRAPH_FORMATS, term

_CLONE_NEWUSER, _CLONE_NEWNET = 0x10000000, 0x40000000
#: how the worker is kept off the network (reported to the server when it is ready)
NAMESPACE, PYTHON_GUARD = "network namespace", "python socket guard"
_PREFIX_STRINGS = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
_KINDS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


class QueryTimeout(BaseException):  # not an Exception: no ``except Exception`` in rdflib may swallow it
    pass


def _refuse_network(*args, **kwargs):
    raise PermissionError("network access is disabled in the SPARQL worker")


def disable_network() -> None:
    """Queries never reach outside the process: every outgoing connection fails."""
    socket.socket.connect = _refuse_network  # type: ignore[method-assign]
    socket.socket.connect_ex = _refuse_network  # type: ignore[method-assign]
    socket.create_connection = _refuse_network  # type: ignore[assignment]
    socket.getaddrinfo = _refuse_network  # type: ignore[assignment]


def isolate_network() -> bool:
    """Move this process into new user and network namespaces (Linux); True when it is now without network.

    Must run while the process has one thread. The user namespace maps the process's own ids to themselves,
    so files stay readable as before.
    """
    if not sys.platform.startswith("linux"):
        return False
    uid, gid = os.getuid(), os.getgid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) != 0:
            return False
    except (OSError, AttributeError):
        return False
    for path, text in (
        ("/proc/self/setgroups", "deny"),
        ("/proc/self/uid_map", f"{uid} {uid} 1"),
        ("/proc/self/gid_map", f"{gid} {gid} 1"),
    ):
        try:
            with open(path, "w", encoding="ascii") as file:
                file.write(text)
        except OSError:
            pass  # unmapped ids read files as before; only the names shown change
    return True


def limit_memory(megabytes: int) -> None:
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _on_alarm(signum, frame):
    raise QueryTimeout


class QueryFailed(Exception):
    """The engine refused or could not evaluate the query: the client's error (400), not the server's."""


def _engine_arguments(prepared: Query, dataset: dict | None) -> dict:
    """How Oxigraph sees the dataset: the protocol's graphs, the query's FROM, or the union of all graphs."""
    arguments: dict = {"base_iri": BASE_IRI, "prefixes": _PREFIX_STRINGS}
    if dataset and (dataset["default"] or dataset["named"]):
        arguments["default_graph"] = [ox.NamedNode(iri) for iri in dataset["default"]]
        arguments["named_graphs"] = [ox.NamedNode(iri) for iri in dataset["named"]]
    elif not getattr(prepared.algebra, "datasetClause", None):
        arguments["use_default_graph_as_union"] = True
    return arguments


def _evaluate(store: ox.Store, request: dict, max_rows: int):
    """The raw answer of Oxigraph, at most ``max_rows + 1`` rows; QueryFailed for an error of the query."""
    prepared = check(request["query"])  # the server checked it too; a worker never trusts its pipe alone
    try:
        result = store.query(request["query"], **_engine_arguments(prepared, request.get("dataset")))
        if isinstance(result, ox.QueryBoolean):
            return prepared, bool(result), None
        variables = list(result.variables) if isinstance(result, ox.QuerySolutions) else None
        return prepared, list(itertools.islice(result, max_rows + 1)), variables
    except (SyntaxError, RuntimeError, ValueError) as error:  # how pyoxigraph reports a query's own errors
        raise QueryFailed(f"query failed: {error}") from None


def _table(prepared: Query, request: dict, found, variables, max_rows: int) -> dict:
    kind = _KINDS[prepared.algebra.name]
    if kind == "ASK":
        return {"type": kind, "vars": [], "rows": [], "boolean": found}
    if kind == "SELECT":
        ordered = in_query_order(request["query"], [v.value for v in variables])
        rows = [[term(solution[name]) for name in ordered] for solution in found]
        return {"type": kind, "vars": ordered, "rows": rows}
    triples = sorted(found, key=str) if len(found) <= max_rows else found
    rows = [[term(t.subject), term(t.predicate), term(t.object)] for t in triples]
    table = {"type": kind, "vars": ["subject", "predicate", "object"], "rows": rows}
    if request["format"] in GRAPH_FORMATS and len(found) <= max_rows:
        rdf_format = getattr(ox.RdfFormat, GRAPH_FORMATS[request["format"]][1])
        prefixes = None if rdf_format in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS) else _used(triples)
        table["text"] = ox.serialize(triples, format=rdf_format, prefixes=prefixes).decode("utf-8")
    return table


def _used(triples) -> dict[str, str]:
    """Our prefixes that some IRI of ``triples`` starts with (a Turtle answer declares no others)."""
    iris = {node.value for t in triples for node in t if isinstance(node, ox.NamedNode)}
    iris |= {t.object.datatype.value for t in triples if isinstance(t.object, ox.Literal)}
    return {p: ns for p, ns in _PREFIX_STRINGS.items() if any(iri.startswith(ns) for iri in iris)}


def answer(store: ox.Store, request: dict) -> dict:
    """Run one query; a reply with ``status`` 200 and a result table, or an error status and message.

    The query's own faults (refused, malformed, not evaluable) are 400; anything else that goes wrong here
    is the server's: 500, with the details for the server's log."""
    max_rows, time_limit = request["max_rows"], request["time_limit_s"]
    signal.setitimer(signal.ITIMER_REAL, time_limit)
    try:
        try:
            prepared, found, variables = _evaluate(store, request, max_rows)
            table = _table(prepared, request, found, variables, max_rows)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except QueryTimeout:
        return {"status": 408, "error": f"the query ran longer than the time limit of {time_limit:g} s"}
    except (QueryError, QueryFailed) as error:
        return {"status": 400, "error": str(error)}
    except MemoryError:
        return {"status": 413, "error": "the query needed more memory than allowed", "restart": True}
    except Exception as error:
        return {
            "status": 500,
            "error": "internal error in the SPARQL worker (the server log has the details)",
            "detail": f"{type(error).__name__}: {error}\n{traceback.format_exc()}",
        }
    if len(table["rows"]) > max_rows:
        return {
            "status": 413,
            "error": f"the result has more than {max_rows} rows; add a LIMIT (the row cap is {max_rows})",
        }
    return {"status": 200, "table": table}


def serve(folder: Path, requests: Connection, replies: Connection, memory_mb: int) -> int:
    isolation = NAMESPACE if isolate_network() else PYTHON_GUARD  # first: while there is one thread
    disable_network()
    signal.signal(signal.SIGALRM, _on_alarm)
    try:
        store = read_store(folder)
    except Exception as error:
        replies.send({"ready": False, "error": f"{folder}: cannot open the graph store: {error}"})
        return 1
    limit_memory(memory_mb)
    replies.send({"ready": True, "network": isolation})
    while True:
        try:
            request = requests.recv()
        except (EOFError, OSError):  # the server has gone: so does the worker
            return 0
        reply = answer(store, request)
        replies.send(reply)
        if reply.get("restart"):
            return 0


def run(folder: Path, requests: Connection, replies: Connection, memory_mb: int) -> None:
    """A worker's whole life, in the process the pool forks for it."""
    os.setsid()  # a Ctrl-C in the terminal stops the server, which then ends its workers
    sys.exit(serve(folder, requests, replies, memory_mb))


def warm() -> None:
    """Build, before any worker forks, what a worker's first query would build lazily: rdflib's parse of a
    query, Oxigraph's evaluation and the conversion of an answer, once for each named query."""
    store = ox.Store()
    for query in named_queries().values():
        request = {"query": query.text, "format": "json", "dataset": None}
        prepared, found, variables = _evaluate(store, request, max_rows=1)
        _table(prepared, request, found, variables, max_rows=1)
