"""Load test of ``mskg serve`` on 127.0.0.1: concurrent clients mixing table pages, row pages, canned
queries and SPARQL queries while one deliberately slow SPARQL query (a Cartesian product) runs into its time
limit.

Bounded: every client stops after its fixed number of requests or when the duration is over, whichever
comes first; each request has a timeout; the server is started on a free port of 127.0.0.1 and stopped at
the end. Passes when no answer is a 5xx, no request fails to connect, the slow query is stopped with 408,
and the 99th percentile of the fast requests stays under 10x their median.

Run: python -m benchmarks.load [--db db] [--clients 8] [--seconds 20] [--requests 2000] [--processes 2]
     → benchmarks/results/load.md (or --output FILE); exit 1 when a criterion fails.
     ``--processes 2 1`` runs the load once per server configuration and compares them.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from .common import header, write

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # never anything else: the load stays on this machine
#: bounds of the waits: a server that has not answered /-/versions.json by then has failed to start
START_S, REQUEST_TIMEOUT_S = 120.0, 60.0
#: the criterion on the fast requests: p99 under this many times their median
TAIL_RATIO = 10.0
MIX_SEED_STEP = 5  # each client starts the mix at a different place, so the kinds interleave
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SPARQL_JSON = {"accept": "application/sparql-results+json"}


@dataclass(frozen=True)
class Request:
    kind: str  # table, row, canned, sparql or slow
    name: str
    path: str
    headers: dict[str, str]


@dataclass(frozen=True)
class Outcome:
    request: Request
    client: int
    started: float  # seconds since the run began
    seconds: float
    status: int | None  # None: no HTTP answer (connection refused, reset, timed out)
    error: str | None = None


def sparql(name: str, query: str, kind: str = "sparql") -> Request:
    return Request(kind, name, "/-/sparql?" + urllib.parse.urlencode({"query": query}), SPARQL_JSON)


def fast_mix() -> list[Request]:
    """The fast requests, in the order a client cycles through them."""
    from multiscale_kg.queries.sparql import named_queries

    pages = [
        Request("table", "strategies", "/multiscale/strategies", {}),
        Request("table", "measurements of Table 1", "/multiscale/measurements?source=table1", {}),
        Request("table", "drawbacks", "/multiscale/drawbacks", {}),
        Request("table", "passages, full-text search", "/multiscale/passages?_search=silicon", {}),
        Request("row", "strategy ant-nest-si", "/multiscale/strategies/ant-nest-si", {}),
        Request("row", "material si", "/multiscale/materials/si", {}),
        Request(
            "canned",
            "strategies-for-drawback",
            "/multiscale/strategies-for-drawback?drawback=nano-low-first-cycle-ce",
            {},
        ),
        Request("canned", "nano-vs-micro", "/multiscale/nano-vs-micro?property=first_cycle_ce", {}),
        Request("canned", "claim-checks (JSON)", "/multiscale/claim-checks.json", {}),
    ]
    queries = [sparql(name, q.text) for name, q in named_queries().items()]
    mix: list[Request] = []
    for index in range(max(len(pages), len(queries))):  # pages and SPARQL queries alternate
        mix += pages[index : index + 1] + queries[index : index + 1]
    return mix


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _get(port: int, path: str, timeout: float = 10.0) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


class Server:
    """``mskg serve`` in a subprocess on a free port of 127.0.0.1, until the ``with`` block ends."""

    def __init__(
        self, db: Path, corpus: Path, metadata: Path, time_limit_s: float | None, processes: int = 1
    ):
        self.port = free_port()
        self.metadata = metadata
        self._folder: tempfile.TemporaryDirectory | None = None
        if time_limit_s is not None:  # the same metadata, with the SPARQL time limit of this run
            data = json.loads(metadata.read_text(encoding="utf-8"))
            data.setdefault("plugins", {}).setdefault("multiscale-kg", {})["sparql_time_limit_s"] = (
                time_limit_s
            )
            self._folder = tempfile.TemporaryDirectory(prefix="mskg-load-")
            self.metadata = Path(self._folder.name) / metadata.name
            self.metadata.write_text(json.dumps(data), encoding="utf-8")
        self.command = [sys.executable, "-m", "multiscale_kg.cli", "serve", "--db", str(db)]
        self.command += ["--corpus", str(corpus), "--metadata", str(self.metadata)]
        self.command += ["--host", HOST, "--port", str(self.port), "--processes", str(processes)]

    def __enter__(self) -> Server:
        self.log = tempfile.TemporaryFile()  # read back only when the server fails
        self.process = subprocess.Popen(self.command, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_S
        while True:
            try:
                if _get(self.port, "/-/versions.json", timeout=5)[0] == 200:
                    return self
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                output = self.output()
                self.__exit__()
                raise RuntimeError(f"mskg serve did not start:\n{output[-3000:]}")
            time.sleep(0.2)

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        if self._folder is not None:
            self._folder.cleanup()

    def json(self, path: str):
        status, body = _get(self.port, path)
        if status != 200:
            raise RuntimeError(f"{path}: HTTP {status}")
        return json.loads(body)


class Client(threading.Thread):
    """One client: its own keep-alive connection, requests one after the other."""

    def __init__(self, number: int, port: int, plan, began: float, stop_at: float, requests: int):
        super().__init__(name=f"load-client-{number}", daemon=True)
        self.number, self.port, self.plan = number, port, plan
        self.began, self.stop_at, self.requests = began, stop_at, requests
        self.outcomes: list[Outcome] = []
        self.connection: http.client.HTTPConnection | None = None

    def _send(self, request: Request) -> Outcome:
        started = time.perf_counter()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT_S)
            self.connection.request("GET", request.path, headers=request.headers)
            response = self.connection.getresponse()
            response.read()
            status, error = response.status, None
            if response.getheader("connection", "").lower() == "close":
                self._drop()
        except (OSError, http.client.HTTPException) as failure:
            status, error = None, f"{type(failure).__name__}: {failure}"
            self._drop()
        now = time.perf_counter()
        return Outcome(request, self.number, started - self.began, now - started, status, error)

    def _drop(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def run(self) -> None:
        for count in range(self.requests):
            if time.perf_counter() >= self.stop_at:
                break
            self.outcomes.append(self._send(self.plan(count, time.perf_counter() - self.began)))
        self._drop()


def warm_up(port: int, mix: list[Request], rounds: int = 1) -> None:
    """Each request of the mix first, ``rounds`` times, each on a new connection: the SPARQL workers of a
    server process start (and load the RDF) on its first query."""
    for request in mix * rounds:
        connection = http.client.HTTPConnection(HOST, port, timeout=START_S)
        try:
            connection.request("GET", request.path, headers=request.headers)
            connection.getresponse().read()
        finally:
            connection.close()


def run_load(port: int, clients: int, seconds: float, requests: int, slow_at: float) -> list[Outcome]:
    """``clients`` clients for ``seconds`` (at most ``requests`` each); client 0 sends the slow query once,
    ``slow_at`` seconds in, and fast requests before and after it."""
    mix = fast_mix()
    slow = sparql("Cartesian product of all triples (slow)", SLOW, kind="slow")
    slow_sent = threading.Event()

    def plan_for(number: int):
        def plan(count: int, elapsed: float) -> Request:
            if number == 0 and elapsed >= slow_at and not slow_sent.is_set():
                slow_sent.set()
                return slow
            return mix[(number * MIX_SEED_STEP + count) % len(mix)]

        return plan

    began = time.perf_counter()
    threads = [Client(n, port, plan_for(n), began, began + seconds, requests) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + REQUEST_TIMEOUT_S + 5)
    return [outcome for thread in threads for outcome in thread.outcomes]


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0..1) of a non-empty list: the smallest value with at least
    that share of the values at or below it."""
    ordered = sorted(values)
    rank = min(len(ordered), max(1, math.ceil(share * len(ordered) - 1e-9)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Verdict:
    fast: int
    server_errors: int
    connection_errors: int
    slow_statuses: list[int | None]
    p50_ms: float
    p99_ms: float
    during_slow: int  # fast requests that started and finished while the slow query ran

    @property
    def ratio(self) -> float:
        return self.p99_ms / self.p50_ms if self.p50_ms else float("inf")

    def checks(self) -> list[tuple[str, bool]]:
        return [
            (f"no 5xx answer ({self.server_errors})", self.server_errors == 0),
            (f"no connection error ({self.connection_errors})", self.connection_errors == 0),
            (f"the slow query was sent and answered 408 ({self.slow_statuses})", self.slow_statuses == [408]),
            (
                f"fast requests answered while the slow query ran ({self.during_slow})",
                self.during_slow > 0,
            ),
            (
                f"p99 of the fast requests under {TAIL_RATIO:g}x their median "
                f"({self.p99_ms:.1f} ms / {self.p50_ms:.1f} ms = {self.ratio:.1f}x)",
                self.ratio < TAIL_RATIO,
            ),
        ]

    @property
    def passed(self) -> bool:
        return self.fast > 0 and all(ok for _, ok in self.checks())


def judge(outcomes: list[Outcome]) -> Verdict:
    fast = [o for o in outcomes if o.request.kind != "slow"]
    slow = [o for o in outcomes if o.request.kind == "slow"]
    times = [o.seconds * 1000 for o in fast] or [0.0]
    during = 0
    for s in slow:
        end = s.started + s.seconds
        during += sum(1 for o in fast if o.started >= s.started and o.started + o.seconds <= end)
    return Verdict(
        fast=len(fast),
        server_errors=sum(1 for o in outcomes if o.status is not None and o.status >= 500),
        connection_errors=sum(1 for o in outcomes if o.status is None),
        slow_statuses=[o.status for o in slow],
        p50_ms=percentile(times, 0.50),
        p99_ms=percentile(times, 0.99),
        during_slow=during,
    )


def _row(label: str, items: list[Outcome]) -> str:
    times = [o.seconds * 1000 for o in items]
    statuses: dict[str, int] = {}
    for o in items:
        key = str(o.status) if o.status is not None else "no answer"
        statuses[key] = statuses.get(key, 0) + 1
    shown = ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))
    cells = [percentile(times, p) for p in (0.5, 0.9, 0.99)] + [max(times)]
    return f"| {label} | {len(items)} | " + " | ".join(f"{c:.1f}" for c in cells) + f" | {shown} |"


def report(outcomes: list[Outcome], verdict: Verdict, setup: dict) -> list[str]:
    """The section of one run: setup, latencies by kind and by request, checks."""
    processes = setup["processes"]
    lines = [
        f"Server: `mskg serve --processes {processes}`: "
        + (f"{processes} server processes, each" if processes > 1 else "1 server process")
        + f" with {setup['workers']} SPARQL worker processes.",
        "",
        f"Setup: {setup['clients']} clients on 127.0.0.1 for {setup['seconds']:g} s (at most "
        f"{setup['requests']} requests each), keep-alive connections, requests one after the other per "
        f"client; client 0 sends the slow query once, {setup['slow_at']:g} s in. SPARQL: time limit "
        f"{setup['time_limit']:g} s, row cap {setup['max_rows']}. Datasette: immutable database "
        f"({setup['immutable']}), SQL time limit "
        f"{setup['sql_time_limit_ms']} ms. Before the run, each request of the mix {setup['warm_up']} "
        "times, each on a new connection (a server process starts its SPARQL workers on its first query).",
        "",
        f"Load average (1 min) of the machine just before the run: {setup['load_before']:.2f}, on "
        f"{os.cpu_count()} cores (other work on the machine competes with the server and its clients).",
        "",
        f"Requests: {len(outcomes)} in {setup['elapsed']:.1f} s ({len(outcomes) / setup['elapsed']:.0f}/s).",
        "",
        "| requests | n | p50 ms | p90 ms | p99 ms | max ms | answers |",
        "|---|---|---|---|---|---|---|",
        _row("all fast requests", [o for o in outcomes if o.request.kind != "slow"]),
    ]
    for kind in ("table", "row", "canned", "sparql", "slow"):
        items = [o for o in outcomes if o.request.kind == kind]
        if items:
            lines.append(_row(kind if kind != "slow" else "slow query (Cartesian product)", items))
    slow = [o for o in outcomes if o.request.kind == "slow"]
    if slow:
        ran = slow[0]
        fast = [o for o in outcomes if o.request.kind != "slow"]
        during = [
            o for o in fast if ran.started <= o.started and o.started + o.seconds <= ran.started + ran.seconds
        ]
        others = [o for o in fast if o not in during]
        if during and others:
            lines.append(_row("fast requests while the slow query ran", during))
            lines.append(_row("fast requests before or after it", others))
    lines += ["", "By request:", "", "| request | kind | n | p50 ms | p90 ms | p99 ms | max ms | answers |"]
    lines.append("|---|---|---|---|---|---|---|---|")
    for kind, name in dict.fromkeys((o.request.kind, o.request.name) for o in outcomes):
        if kind != "slow":
            items = [o for o in outcomes if (o.request.kind, o.request.name) == (kind, name)]
            lines.append(_row(name, items).replace(" | ", f" | {kind} | ", 1))
    lines += ["", "| check | result |", "|---|---|"]
    lines += [f"| {text} | {'pass' if ok else 'FAIL'} |" for text, ok in verdict.checks()]
    errors = sorted({o.error for o in outcomes if o.error})
    if errors:
        lines += ["", "Connection errors: " + "; ".join(errors[:5])]
    lines += ["", f"Result: {'PASS' if verdict.passed else 'FAIL'}."]
    return lines


def run_configuration(args: argparse.Namespace, processes: int) -> tuple[list[Outcome], dict]:
    """Start ``mskg serve --processes N``, warm it up, run the load, stop it."""
    slow_at = args.seconds / 4 if args.slow_at is None else args.slow_at
    with Server(args.db, args.corpus, args.metadata, args.time_limit, processes) as server:
        plugin = {
            "sparql_time_limit_s": 5,
            "sparql_workers": 2,
            "sparql_max_rows": 2000,
            **json.loads(server.metadata.read_text(encoding="utf-8"))
            .get("plugins", {})
            .get("multiscale-kg", {}),
        }
        settings = server.json("/-/settings.json")
        databases = server.json("/-/databases.json")
        rounds = 2 * processes if args.warm_up is None else args.warm_up
        warm_up(server.port, fast_mix(), rounds=rounds)
        load_before = os.getloadavg()[0]
        began = time.perf_counter()
        outcomes = run_load(server.port, args.clients, args.seconds, args.requests, slow_at)
        elapsed = time.perf_counter() - began
    setup = {
        "processes": processes,
        "clients": args.clients,
        "seconds": args.seconds,
        "requests": args.requests,
        "slow_at": slow_at,
        "workers": plugin["sparql_workers"],
        "time_limit": float(plugin["sparql_time_limit_s"]),
        "max_rows": plugin["sparql_max_rows"],
        "immutable": ", ".join(
            f"{d['name']}: {'yes' if not d['is_mutable'] else 'NO'}"
            for d in databases
            if d["name"] != "_internal"
        ),
        "sql_time_limit_ms": settings["sql_time_limit_ms"],
        "elapsed": elapsed,
        "load_before": load_before,
        "warm_up": rounds,
    }
    return outcomes, setup


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=ROOT / "db", help="build folder (default: db)")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--metadata", type=Path, default=ROOT / "datasette_metadata.json")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--requests", type=int, default=2000, help="at most this many requests per client")
    parser.add_argument(
        "--slow-at", type=float, default=None, help="when the slow query goes (default: 1/4 in)"
    )
    parser.add_argument(
        "--time-limit", type=float, default=None, help="SPARQL time limit (default: metadata)"
    )
    parser.add_argument(
        "--processes",
        type=int,
        nargs="+",
        default=[2],
        help="mskg serve --processes N; several values: one run each, compared (default: 2)",
    )
    parser.add_argument(
        "--warm-up", type=int, default=None, help="rounds of the mix before the run (default: 2 per process)"
    )
    parser.add_argument("--output", type=Path, default=None, help="result file (default: results/load.md)")
    args = parser.parse_args(argv)
    lines = header("Load: `mskg serve` under concurrent clients", ["datasette", "uvicorn", "pyoxigraph"])
    verdicts = []
    for processes in args.processes:
        outcomes, setup = run_configuration(args, processes)
        verdict = judge(outcomes)
        verdicts.append((processes, verdict))
        if len(args.processes) > 1:
            lines += [f"## `mskg serve --processes {processes}`", ""]
        lines += [*report(outcomes, verdict, setup), ""]
    if len(verdicts) > 1:
        lines += [
            "## Summary",
            "",
            "| server processes | p99 / p50 of the fast requests | result |",
            "|---|---|---|",
        ]
        lines += [f"| {n} | {v.ratio:.1f}x | {'PASS' if v.passed else 'FAIL'} |" for n, v in verdicts]
    if args.output is None:
        path = write("load", lines)
    else:
        path = args.output
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(f"written: {path}", file=sys.stderr)
    return 0 if all(v.passed for _, v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
