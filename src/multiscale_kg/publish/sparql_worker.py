"""A SPARQL worker process: loads a build's RDF once, then answers queries sent over a pipe, one at a time.

Queries run here rather than in the web server so that a slow or greedy query costs one worker, never the
server: the worker stops its own query at the time limit (SIGALRM), its memory is capped (RLIMIT_AS), it
cannot open a network connection, and the server kills and replaces it if it ever stops answering.

No network, twice over. Oxigraph answers SERVICE with an HTTP client of its own, written in Rust, which a
patched Python ``socket`` cannot see; so before anything else the worker moves into a network namespace of
its own (a new user and network namespace, with no interface up, not even loopback), where every
connection fails in the kernel, whoever opens it. Where the system does not allow unprivileged namespaces
the worker goes on with the Python guard alone (``disable_network``), and relies on every query being
checked (``query_guard.check``: no SERVICE, no FROM) in the server and again here.

    python -m multiscale_kg.publish.sparql_worker FOLDER READ_FD WRITE_FD MEMORY_MB
"""

from __future__ import annotations

import ctypes
import itertools
import os
import resource
import signal
import socket
import sys
from multiprocessing.connection import Connection
from pathlib import Path

from ..graph.namespaces import PREFIXES
from ..queries.sparql import QueryError, run
from .query_guard import check
from .results import GRAPH_FORMATS, term

_CLONE_NEWUSER, _CLONE_NEWNET = 0x10000000, 0x40000000
#: how the worker is kept off the network (reported to the server when it is ready)
NAMESPACE, PYTHON_GUARD = "network namespace", "python socket guard"


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


def answer(dataset, request: dict) -> dict:
    """Run one query; a reply with ``status`` 200 and a result table, or an error status and message."""
    max_rows, time_limit = request["max_rows"], request["time_limit_s"]
    signal.setitimer(signal.ITIMER_REAL, time_limit)
    try:
        check(request["query"])  # the server checked it too; a worker never trusts its pipe alone
        result = run(dataset, request["query"])
        kind = result.type
        if kind == "ASK":
            table = {"type": kind, "vars": [], "rows": [], "boolean": bool(result.askAnswer)}
        elif kind == "SELECT":
            variables = [str(v) for v in result.vars]
            rows = [[term(row[v]) for v in result.vars] for row in itertools.islice(result, max_rows + 1)]
            table = {"type": kind, "vars": variables, "rows": rows}
        else:
            graph = result.graph
            triples = sorted(graph) if len(graph) <= max_rows else list(itertools.islice(graph, max_rows + 1))
            rows = [[term(s), term(p), term(o)] for s, p, o in triples]
            table = {"type": kind, "vars": ["subject", "predicate", "object"], "rows": rows}
            if request["format"] in GRAPH_FORMATS and len(graph) <= max_rows:
                for prefix, namespace in PREFIXES.items():
                    graph.bind(prefix, namespace)
                table["text"] = graph.serialize(format=GRAPH_FORMATS[request["format"]][1])
        signal.setitimer(signal.ITIMER_REAL, 0)
    except QueryTimeout:
        return {"status": 408, "error": f"the query ran longer than the time limit of {time_limit:g} s"}
    except QueryError as error:
        signal.setitimer(signal.ITIMER_REAL, 0)
        return {"status": 400, "error": str(error)}
    except MemoryError:
        signal.setitimer(signal.ITIMER_REAL, 0)
        return {"status": 413, "error": "the query needed more memory than allowed", "restart": True}
    except Exception as error:  # an evaluation error of rdflib is the query's fault, reported as such
        signal.setitimer(signal.ITIMER_REAL, 0)
        return {"status": 400, "error": f"query failed: {type(error).__name__}: {error}"}
    if len(table["rows"]) > max_rows:
        return {
            "status": 413,
            "error": f"the result has more than {max_rows} rows; add a LIMIT (the row cap is {max_rows})",
        }
    return {"status": 200, "table": table}


def serve(folder: Path, requests: Connection, replies: Connection, memory_mb: int) -> int:
    isolation = NAMESPACE if isolate_network() else PYTHON_GUARD  # first: while there is one thread
    disable_network()
    from ..api import KnowledgeGraph

    signal.signal(signal.SIGALRM, _on_alarm)
    try:
        dataset = KnowledgeGraph(folder).rdf
        len(dataset)
    except Exception as error:
        replies.send({"ready": False, "error": f"{folder}: cannot load the RDF: {error}"})
        return 1
    limit_memory(memory_mb)
    replies.send({"ready": True, "network": isolation})
    while True:
        try:
            request = requests.recv()
        except (EOFError, OSError):  # the server has gone: so does the worker
            return 0
        reply = answer(dataset, request)
        replies.send(reply)
        if reply.get("restart"):
            return 0


def main(argv: list[str]) -> int:
    folder, read_fd, write_fd, memory_mb = Path(argv[0]), int(argv[1]), int(argv[2]), int(argv[3])
    return serve(folder, Connection(read_fd, writable=False), Connection(write_fd, readable=False), memory_mb)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
