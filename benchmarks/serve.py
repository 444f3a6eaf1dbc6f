"""Serving: requests per second and p50/p99 latency at 8 concurrent clients on 127.0.0.1.

``mskg serve`` (Datasette with ``suggest_facets`` off and the facets declared in the metadata) is started on
a free port of 127.0.0.1; each of 8 client threads keeps one HTTP/1.1 connection and sends a fixed number of
requests to one endpoint at a time: a table page as JSON, a facet page (HTML, the declared facets), a canned
query (JSON) and a SPARQL lookup (the two-hop named query, JSON). Beside it, the same table page from a
server with Datasette's default ``suggest_facets`` on (the alternative the serve command turns off), and from
two server processes sharing the immutable database file (scaling out). Bounded:
a fixed number of requests, each with a timeout; the servers are stopped at the end. The clients run on
the same 2 cores as the server, so the rates are a lower bound.

Run: python -m benchmarks.serve [--db db] [--requests 100]  → benchmarks/results/serve.md
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from multiscale_kg.publish.commands import datasette_arguments
from multiscale_kg.queries.sparql import named_queries

from .build import CORPUS, ROOT, machine_load
from .common import header, write

HOST = "127.0.0.1"
CLIENTS = 8
START_S, REQUEST_TIMEOUT_S = 120.0, 30.0
METADATA = ROOT / "datasette_metadata.json"
#: the targets: requests per second of the table JSON and the SPARQL lookup, p99 of every endpoint
TABLE_RATE, SPARQL_RATE, P99_S = 400, 200, 0.100
DATABASE = "multiscale"


def endpoints() -> dict[str, str]:
    lookup = urllib.parse.urlencode({"query": named_queries()["feature-mitigates-cause-of"].text})
    return {
        "table JSON": f"/{DATABASE}/measurements.json?_size=50",
        "facet page": f"/{DATABASE}/measurements?scale=nano&_size=20",
        "canned query": f"/{DATABASE}/nano-vs-micro.json",
        "SPARQL lookup": f"/-/sparql?{lookup}&format=json",
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    """A server process on a free port of 127.0.0.1, stopped when the block ends."""

    def __init__(self, command: list[str], port: int):
        self.port = port
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the server; closed in __exit__)
        self.process = subprocess.Popen(
            command, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=ROOT
        )

    def __enter__(self) -> Server:
        deadline = time.monotonic() + START_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._log.seek(0)
                raise RuntimeError(f"the server stopped:\n{self._log.read().decode()[-2000:]}")
            try:
                status, _ = get(self.port, "/-/versions.json")
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        self.__exit__()
        raise RuntimeError(f"the server did not answer within {START_S:g} s")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


def get(port: int, path: str, connection: http.client.HTTPConnection | None = None) -> tuple[int, bytes]:
    own = connection is None
    connection = connection or http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        if own:
            connection.close()


@dataclass(frozen=True)
class Load:
    requests: int
    errors: int
    seconds: float
    p50: float
    p99: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def load(port: int | list[int], path: str, per_client: int, clients: int = CLIENTS) -> Load:
    """``clients`` threads, each sending ``per_client`` requests for ``path`` over its own connection (to
    the servers of ``port`` in turn when it is a list: client n talks to ``port[n % len(port)]``)."""
    ports = port if isinstance(port, list) else [port]
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def client(port: int) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
        mine, failed = [], 0
        barrier.wait()
        for _ in range(per_client):
            began = time.perf_counter()
            try:
                status, _ = get(port, path, connection)
                failed += status != 200
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
            mine.append(time.perf_counter() - began)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client, args=(ports[n % len(ports)],)) for n in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * len(ordered)) - 1)]
    return Load(len(ordered), errors[0], seconds, statistics.median(ordered), p99)


#: frames where a thread waits rather than works: left out of a profile's shares
_IDLE = ("select (selectors.py", "wait (threading.py", "get (queue.py", "(concurrent/futures/thread.py:81)")
#: frames of request handling worth showing with their inclusive share
_SHOWN = ("datasette/views", "datasette/facets", "datasette/app.py", "multiscale_kg/", "jinja2/environment")


def spied(port: int, pid: int, path: str, per_client: int, subprocesses: bool) -> list[str]:
    """A py-spy profile of the server (and its SPARQL workers) while it answers ``path``: the frames with
    the most samples of their own, and the request-handling frames with the most samples under them."""
    with tempfile.TemporaryDirectory(prefix="mskg-spy-") as folder:
        raw = Path(folder) / "profile.txt"
        spy_binary = shutil.which("py-spy") or shutil.which("py-spy", path=str(Path(sys.executable).parent))
        if spy_binary is None:
            return ["", f"No profile of {path}: py-spy is not installed (pip install -e '.[bench]')."]
        command = [
            spy_binary,
            "record",
            "--pid",
            str(pid),
            "--format",
            "raw",
            "-o",
            str(raw),
            "--rate",
            "250",
        ]
        command += ["--subprocesses"] if subprocesses else []
        try:
            spy = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        except FileNotFoundError:
            return ["", f"No profile of {path}: py-spy is not installed (pip install -e '.[bench]')."]
        time.sleep(1.0)
        load(port, path, per_client)
        spy.send_signal(2)  # SIGINT: py-spy writes what it has
        _, error = spy.communicate(timeout=60)
        if not raw.exists():
            return ["", f"No profile of {path}: py-spy failed ({error.decode()[-200:].strip()})."]
        own, under, total = Counter(), Counter(), 0
        for line in raw.read_text(encoding="utf-8").splitlines():
            stack, _, count = line.rpartition(" ")
            frames = stack.split(";")
            if not frames or any(idle in frames[-1] for idle in _IDLE):
                continue
            total += int(count)
            own[frames[-1]] += int(count)
            for frame in set(frames):
                if any(part in frame for part in _SHOWN):
                    under[frame] += int(count)
    shares = [f"{n / total:6.1%}  {frame}" for frame, n in own.most_common(12)]
    # below the frames every request passes through (the server's main loop, routing, the view itself)
    handling = [f"{n / total:6.1%}  {frame}" for frame, n in under.most_common(60) if n / total < 0.25][:14]
    return [
        "",
        f"Profile of the server answering `{path[:60]}` (py-spy, {total} samples, waiting left out):",
        "",
        "```",
        "own samples:",
        *shares,
        "",
        "request handling, samples under the frame:",
        *handling,
        "```",
    ]


def serve_command(db: Path, corpus: Path, port: int) -> list[str]:
    return [
        sys.executable, "-m", "multiscale_kg.cli", "serve", "--db", str(db), "--corpus", str(corpus),
        "--port", str(port), "--host", HOST, "--metadata", str(METADATA),
    ]  # fmt: skip


def suggesting_command(db: Path, port: int) -> list[str]:
    """The same Datasette, with its default ``suggest_facets`` on."""
    arguments = datasette_arguments(db, METADATA, HOST, port)
    at = arguments.index("suggest_facets")
    arguments[at + 1] = "on"
    return [sys.executable, "-m", "datasette", *arguments]


def measure_serving(
    db: Path, corpus: Path, per_client: int, alternative: bool = True, profile_missed: bool = True
) -> dict:
    results: dict[str, Load] = {}
    profiles: list[str] = []
    port = free_port()
    with Server(serve_command(db, corpus, port), port) as server:
        for name, path in endpoints().items():
            warm = load(port, path, max(2, per_client // 10))  # SPARQL workers load the RDF on first use
            if warm.errors:
                raise RuntimeError(f"{name}: {path} fails ({warm.errors} errors while warming up)")
            results[name] = load(port, path, per_client)
        if alternative:  # what the facets the metadata declares cost a JSON client
            results["table JSON, _nofacet=1"] = load(
                port, endpoints()["table JSON"] + "&_nofacet=1", per_client
            )
        for name, least in (("table JSON", TABLE_RATE), ("SPARQL lookup", SPARQL_RATE)):
            result = results[name]
            if profile_missed and (result.rate < least or result.p99 > P99_S):
                path = endpoints()[name]
                profiles += spied(port, server.process.pid, path, per_client, name == "SPARQL lookup")
    if not alternative:
        return {"loads": results, "profiles": profiles}
    path = endpoints()["table JSON"]
    port = free_port()
    with Server(suggesting_command(db, port), port):
        load(port, path, max(2, per_client // 10))
        results["table JSON, suggest_facets on"] = load(port, path, per_client)
    ports = [free_port(), free_port()]  # the same immutable file served by two processes
    with (
        Server(serve_command(db, corpus, ports[0]), ports[0]),
        Server(serve_command(db, corpus, ports[1]), ports[1]),
    ):
        load(ports, path, max(2, per_client // 10))
        results["table JSON, 2 server processes"] = load(ports, path, per_client)
    return {"loads": results, "profiles": profiles}


def report(db: Path, measured: dict, per_client: int, load_note: str) -> list[str]:
    results: dict[str, Load] = measured["loads"]
    lines = header("Serving: mskg serve (Datasette) at 8 concurrent clients", ["datasette", "uvicorn"])
    lines += [
        f"Build: {db}/. {CLIENTS} clients x {per_client} requests per endpoint over keep-alive connections, "
        f"on 127.0.0.1; clients and server share the machine's cores. {load_note}",
        "",
        "| endpoint | path | requests/s | p50 | p99 | errors |",
        "|---|---|---|---|---|---|",
    ]
    paths = endpoints()
    for name, result in results.items():
        path = paths.get(name, paths["table JSON"] + ("&_nofacet=1" if "_nofacet" in name else ""))
        shown = path if len(path) < 60 else path[:57] + "..."
        lines.append(
            f"| {name} | `{shown}` | {result.rate:.0f} | {result.p50 * 1000:.1f} ms | "
            f"{result.p99 * 1000:.1f} ms | {result.errors} |"
        )
    table, sparql = results["table JSON"], results["SPARQL lookup"]
    suggesting = results.get("table JSON, suggest_facets on")
    worst_p99 = max(r.p99 for name, r in results.items() if name in paths)
    errors = sum(r.errors for r in results.values())
    lines += ["", "## Targets", "", "| target | measured | verdict |", "|---|---|---|"]
    lines += [
        f"| table JSON >= {TABLE_RATE} requests/s | {table.rate:.0f}/s | "
        f"{_verdict(table.rate >= TABLE_RATE)} |",
        f"| SPARQL lookup >= {SPARQL_RATE} requests/s | {sparql.rate:.0f}/s | "
        f"{_verdict(sparql.rate >= SPARQL_RATE)} |",
        f"| p99 <= {P99_S * 1000:.0f} ms, every endpoint | {worst_p99 * 1000:.1f} ms | "
        f"{_verdict(worst_p99 <= P99_S)} |",
        f"| zero errors | {errors} | {_verdict(errors == 0)} |",
    ]
    if suggesting:
        lines += [
            "",
            f"Suggested facets off vs on (table JSON): {table.rate:.0f}/s vs {suggesting.rate:.0f}/s "
            f"({table.rate / suggesting.rate:.1f}x), p50 {table.p50 * 1000:.1f} vs "
            f"{suggesting.p50 * 1000:.1f} ms.",
        ]
    scaled = results.get("table JSON, 2 server processes")
    if scaled:
        lines.append(
            f"Scaling out (table JSON): one process {table.rate:.0f}/s, two processes serving the same "
            f"immutable file {scaled.rate:.0f}/s ({scaled.rate / table.rate:.1f}x on {os.cpu_count()} cores "
            "shared with the clients)."
        )
    if measured["profiles"]:
        lines += ["", "## What bounds the missed targets", *measured["profiles"]]
    return lines


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=Path("db"), help="build folder")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the corpus of that build")
    parser.add_argument("--requests", type=int, default=100, help="requests per client and endpoint")
    args = parser.parse_args(argv)
    results = measure_serving(args.db.resolve(), args.corpus.resolve(), args.requests)
    lines = report(args.db, results, args.requests, machine_load())
    path = write("serve", lines)
    print("\n".join(lines))
    return path


if __name__ == "__main__":
    main()
