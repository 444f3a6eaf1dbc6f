"""Serving: requests per second, p50/p99 latency and server CPU per request at 8 concurrent clients on
127.0.0.1, and the memory of the SPARQL worker pool with 1, 2 and 4 workers.

The default ``mskg serve`` (its default number of processes, ``suggest_facets`` off, the facets declared in
the metadata) is started on a free port of 127.0.0.1; each of 8 client threads keeps one HTTP/1.1
connection and sends a fixed number of requests to one endpoint at a time: a table page as JSON, a facet
page (HTML, the declared facets), a canned query (JSON) and a SPARQL lookup (the two-hop named query,
JSON). Beside it, the same table page without facets (``_nofacet=1``), from one server process, and from a
server with Datasette's default ``suggest_facets`` on (the alternative the serve command turns off). The
server's CPU per request (the server processes and their SPARQL workers, user + system) does not depend on
what else the machine runs; requests per second and latency do. Bounded: a fixed number of requests, each
with a timeout; the servers are stopped at the end. The clients run on the same cores as the server, so
the rates are a lower bound.

The pool's memory: a WorkerPool of the build with 1, 2 and 4 workers, each worker having answered every
named query; the sum over the workers of RSS, PSS (shared pages divided among the processes that map them)
and anonymous memory (the process's own), beside the anonymous memory one worker would add by holding the
build's N-Quads in an in-memory store (as workers did before they opened the store on disk).

Run: python -m benchmarks.serve [--db db] [--requests 100]  → benchmarks/results/serve.md
"""

from __future__ import annotations

import argparse
import functools
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

from multiscale_kg.graph.serialize import FORMATS
from multiscale_kg.graph.store import STORE_NAME
from multiscale_kg.publish.commands import datasette_arguments
from multiscale_kg.publish.sparql_pool import Limits, WorkerPool
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
    cpu_s: float | None = None  # the server's CPU over the load (user + system), when measured
    client_cpu_s: float | None = None  # the clients' (this process's) CPU over the load

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_ms(self) -> float | None:
        return None if self.cpu_s is None else 1000 * self.cpu_s / self.requests

    @property
    def client_cpu_ms(self) -> float | None:
        return None if self.client_cpu_s is None else 1000 * self.client_cpu_s / self.requests


def _own_cpu() -> float:
    times = os.times()
    return times.user + times.system


_TICK = os.sysconf("SC_CLK_TCK")


def _parents() -> dict[int, int]:
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[int(stat.parent.name)] = int(fields[1])
    return found


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of process ``pid`` and of its running descendants."""
    total = 0
    for member in {pid} | descendants(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / _TICK


def measured(server: Server, path: str, per_client: int, clients: int = CLIENTS) -> Load:
    """``load`` of ``server``, with the CPU its processes spent on it."""
    before, clients_before = tree_cpu(server.process.pid), _own_cpu()
    result = load(server.port, path, per_client, clients)
    spent, clients_spent = tree_cpu(server.process.pid) - before, _own_cpu() - clients_before
    return Load(result.requests, result.errors, result.seconds, result.p50, result.p99, spent, clients_spent)


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
_IDLE = (
    "select (selectors.py",
    "wait (threading.py",
    "get (queue.py",
    "(concurrent/futures/thread.py:81)",
    "_recv (multiprocessing/connection.py",  # an idle SPARQL worker waiting for a query
)
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


def serve_command(db: Path, corpus: Path, port: int, processes: int | None = None) -> list[str]:
    """``mskg serve`` as a user starts it (its default number of processes unless ``processes``)."""
    command = [
        sys.executable, "-m", "multiscale_kg.cli", "serve", "--db", str(db), "--corpus", str(corpus),
        "--port", str(port), "--host", HOST, "--metadata", str(METADATA),
    ]  # fmt: skip
    return command + ([] if processes is None else ["--processes", str(processes)])


def suggesting_command(db: Path, port: int) -> list[str]:
    """The same Datasette in one process, with its default ``suggest_facets`` on."""
    arguments = datasette_arguments(db, METADATA, HOST, port)
    at = arguments.index("suggest_facets")
    arguments[at + 1] = "on"
    return [sys.executable, "-m", "datasette", *arguments]


def _memory(pid: int) -> dict[str, float]:
    """RSS, PSS and private memory (pages no other process maps) of process ``pid``, in MiB."""
    found = dict.fromkeys(("Rss", "Pss", "Private"), 0.0)
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Pss"):
            found[name] = int(rest.split()[0]) / 1024
        elif name.startswith("Private_"):
            found["Private"] += int(rest.split()[0]) / 1024
    return found


def descendants(pid: int) -> set[int]:
    """The running processes started by ``pid``, and by those, and so on."""
    parents = _parents()
    tree, grown = {pid}, True
    while grown:
        more = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= more
        grown = bool(more)
    return tree - {pid}


def _ask_all(pool: WorkerPool, queries: list[str]) -> None:
    for query in queries:
        pool.run(query, "json")


def pool_memory(db: Path, sizes: tuple[int, ...] = (1, 2, 4)) -> list[dict]:
    """The memory of a SPARQL worker pool of ``db`` with each number of workers, every worker having
    answered every named query (each query is sent once per worker): the workers' and every process the pool
    started for them (the fork server they are forked from, multiprocessing's resource tracker)."""
    results = []
    queries = [q.text for q in named_queries().values()]
    for workers in sizes:
        pool = WorkerPool(db.resolve(), Limits(workers=workers))
        try:
            ask = functools.partial(_ask_all, pool, queries)
            threads = [threading.Thread(target=ask) for _ in range(workers)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            pids = pool.pids()
            processes = descendants(os.getpid())
            memory = [_memory(pid) for pid in processes]
        finally:
            pool.close()
        results.append(
            {
                "workers": len(pids),
                "processes": len(processes),
                **{name: sum(m[name] for m in memory) for name in ("Rss", "Pss", "Private")},
            }
        )
    return results


_IN_MEMORY = """
import sys, pyoxigraph as ox
from multiscale_kg.publish.sparql_worker import answer
from multiscale_kg.queries.sparql import named_queries
def anonymous():
    for line in open("/proc/self/smaps_rollup"):
        if line.startswith("Anonymous:"):
            return int(line.split()[1]) / 1024
def ask_all(store):
    for query in named_queries().values():
        answer(store, {"query": query.text, "format": "json", "dataset": None, "max_rows": 2000,
                       "time_limit_s": 60})
before = anonymous()
on_disk = ox.Store.read_only(sys.argv[2])
ask_all(on_disk)
opened = anonymous()
store = ox.Store()
store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)
ask_all(store)
print(before, opened - before, anonymous() - opened)
"""


def worker_floor_and_copy_mb(db: Path) -> tuple[float, float, float]:
    """A worker process's own memory once its modules are imported; what opening the build's store on disk
    and answering every named query there adds to it; what an in-memory copy of the build's N-Quads, asked
    the same queries, adds to that (MiB)."""
    run = subprocess.run(
        [sys.executable, "-c", _IN_MEMORY, str(db / FORMATS["nq"]), str(db / STORE_NAME)],
        capture_output=True,
        text=True,
        check=True,
    )
    floor, store, copy = run.stdout.split()
    return float(floor), float(store), float(copy)


def build_memory(db: Path) -> dict:
    """The pool's memory for the build in ``db`` (``pool_memory``), the worker's floor and the size of a
    copy of its graph."""
    floor, store, copy = worker_floor_and_copy_mb(db)
    quads = sum(1 for _ in (db / FORMATS["nq"]).open("rb"))
    return {
        "db": str(db),
        "quads": quads,
        "store_mb": directory_mb(db / STORE_NAME),
        "pool": pool_memory(db),
        "floor_mb": floor,
        "store_open_mb": store,
        "copy_mb": copy,
    }


def directory_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def measure_serving(
    db: Path,
    corpus: Path,
    per_client: int,
    alternative: bool = True,
    profile_missed: bool = True,
    memory_dbs: tuple[Path, ...] = (),
) -> dict:
    results: dict[str, Load] = {}
    profiles: list[str] = []
    port = free_port()
    with Server(serve_command(db, corpus, port), port) as server:
        for name, path in endpoints().items():
            warm = load(port, path, max(2, per_client // 10))  # SPARQL workers open the store on first use
            if warm.errors:
                raise RuntimeError(f"{name}: {path} fails ({warm.errors} errors while warming up)")
            results[name] = measured(server, path, per_client)
        if alternative:  # what the facets the metadata declares cost a JSON client
            results["table JSON, _nofacet=1"] = measured(
                server, endpoints()["table JSON"] + "&_nofacet=1", per_client
            )
        for name, least in (("table JSON", TABLE_RATE), ("SPARQL lookup", SPARQL_RATE)):
            result = results[name]
            if profile_missed and (result.rate < least or result.p99 > P99_S):
                path = endpoints()[name]
                profiles += spied(port, server.process.pid, path, per_client, True)
    memory = [build_memory(folder.resolve()) for folder in (db, *memory_dbs)]
    if not alternative:
        return {"loads": results, "profiles": profiles, "memory": memory}
    path = endpoints()["table JSON"]
    port = free_port()
    with Server(serve_command(db, corpus, port, processes=1), port) as server:
        load(port, path, max(2, per_client // 10))
        results["table JSON, 1 server process"] = measured(server, path, per_client)
    port = free_port()
    with Server(suggesting_command(db, port), port) as server:
        load(port, path, max(2, per_client // 10))
        results["table JSON, 1 process, suggest_facets on"] = measured(server, path, per_client)
    return {"loads": results, "profiles": profiles, "memory": memory}


def report(db: Path, measured: dict, per_client: int, load_note: str) -> list[str]:
    from multiscale_kg.publish.commands import DEFAULT_PROCESSES

    results: dict[str, Load] = measured["loads"]
    lines = header("Serving: mskg serve (Datasette) at 8 concurrent clients", ["datasette", "uvicorn"])
    lines += [
        f"Build: {db}/. `mskg serve` as started by default ({DEFAULT_PROCESSES} server processes on "
        f"{os.cpu_count()} cores). {CLIENTS} clients x {per_client} requests per endpoint over keep-alive "
        f"connections, on 127.0.0.1; clients and server share the machine's cores. {load_note}",
        "",
        "| endpoint | path | requests/s | p50 | p99 | server CPU per request | clients' CPU per request "
        "| errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    paths = endpoints()
    for name, result in results.items():
        path = paths.get(name, paths["table JSON"] + ("&_nofacet=1" if "_nofacet" in name else ""))
        shown = path if len(path) < 60 else path[:57] + "..."
        cpu = "" if result.cpu_ms is None else f"{result.cpu_ms:.2f} ms"
        client_cpu = "" if result.client_cpu_ms is None else f"{result.client_cpu_ms:.2f} ms"
        lines.append(
            f"| {name} | `{shown}` | {result.rate:.0f} | {result.p50 * 1000:.1f} ms | "
            f"{result.p99 * 1000:.1f} ms | {cpu} | {client_cpu} | {result.errors} |"
        )
    table, sparql = results["table JSON"], results["SPARQL lookup"]
    worst_name, worst = max(((n, r) for n, r in results.items() if n in paths), key=lambda item: item[1].p99)
    errors = sum(r.errors for r in results.values())
    memory = measured["memory"]
    lines += ["", "## Targets", "", "| target | measured | verdict |", "|---|---|---|"]
    lines += [
        f"| table JSON >= {TABLE_RATE} requests/s | {table.rate:.0f}/s | "
        f"{_verdict(table.rate >= TABLE_RATE)} |",
        f"| table JSON p99 <= {P99_S * 1000:.0f} ms | {table.p99 * 1000:.1f} ms | "
        f"{_verdict(table.p99 <= P99_S)} |",
        f"| SPARQL lookup >= {SPARQL_RATE} requests/s | {sparql.rate:.0f}/s | "
        f"{_verdict(sparql.rate >= SPARQL_RATE)} |",
        f"| p99 <= {P99_S * 1000:.0f} ms, every endpoint | {worst.p99 * 1000:.1f} ms ({worst_name}) | "
        f"{_verdict(worst.p99 <= P99_S)} |",
        f"| zero errors | {errors} | {_verdict(errors == 0)} |",
    ]
    for build in memory:
        pool = build["pool"]
        added = _added_per_worker(pool)
        lines.append(
            f"| no copy of the graph per SPARQL worker ({build['quads']} quads) | "
            f"the store on disk, asked every named query, adds {build['store_open_mb']:.1f} MiB to a worker; "
            f"a copy in memory would add {build['copy_mb']:.1f} MiB | "
            f"{_verdict(build['store_open_mb'] < build['copy_mb'])} |"
        )
        lines.append(
            f"| the pool's memory does not grow with its workers ({build['quads']} quads) | "
            f"PSS {pool[0]['Pss']:.0f} → {pool[-1]['Pss']:.0f} MiB from {pool[0]['workers']} to "
            f"{pool[-1]['workers']} workers, {added:.1f} MiB per added worker (a worker started on its own "
            f"imports {build['floor_mb']:.0f} MiB of modules) | "
            f"{_verdict(pool[-1]['Pss'] <= pool[0]['Pss'] * 1.1)} |"
        )
    lines += [
        "",
        "## The SPARQL worker pool's memory",
        "",
        "Workers are forked from one fork server that has imported and warmed up their modules "
        "(`publish/sparql_preload.py`), and open the build's store read-only: the modules' pages and the "
        "store's files (in the system's page cache) are shared. PSS divides a shared page among the "
        "processes that map it; private memory is what no other process maps (the store's caches, objects a "
        "worker made or wrote to). The sums include the fork server and multiprocessing's resource tracker.",
        "",
        "| build | workers | processes | RSS, sum | PSS, sum | private, sum | PSS per added worker | "
        "a worker started on its own: modules | a copy of the graph |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for build in memory:
        for index, row in enumerate(build["pool"]):
            step = "" if index == 0 else f"{_added_per_worker(build['pool'][: index + 1]):.1f} MiB"
            lines.append(
                f"| {build['quads']} quads, store {build['store_mb']:.1f} MiB | {row['workers']} | "
                f"{row['processes']} | {row['Rss']:.1f} MiB | {row['Pss']:.1f} MiB | "
                f"{row['Private']:.1f} MiB | {step} | {build['floor_mb']:.1f} MiB | "
                f"{build['copy_mb']:.1f} MiB |"
            )
    lines += [
        "",
        "A copy of the graph: the memory a worker would add by holding the build's N-Quads in an in-memory "
        "store and answering the named queries there, as workers did before they opened the store on disk. "
        "A worker started on its own: the "
        "anonymous memory of a fresh Python once it has imported the worker's modules, what each worker cost "
        "before workers were forked from the warmed fork server.",
    ]
    single = results.get("table JSON, 1 server process")
    suggesting = results.get("table JSON, 1 process, suggest_facets on")
    if table.cpu_ms and table.client_cpu_ms:
        ceiling = os.cpu_count() * 1000 / (table.cpu_ms + table.client_cpu_ms)
        lines += [
            "",
            f"Table JSON costs {table.cpu_ms:.2f} ms of server CPU and {table.client_cpu_ms:.2f} ms of the "
            f"clients' a request: on {os.cpu_count()} cores shared by both and nothing else, at most about "
            f"{ceiling:.0f} requests/s.",
        ]
    if single:
        lines += [
            "",
            f"Scaling out (table JSON): one server process {single.rate:.0f}/s, the default "
            f"{DEFAULT_PROCESSES} {table.rate:.0f}/s ({table.rate / single.rate:.1f}x on {os.cpu_count()} "
            "cores shared with the clients).",
        ]
    if suggesting and single and suggesting.cpu_ms and single.cpu_ms:
        lines.append(
            f"Suggested facets off vs on (table JSON, one process): {single.cpu_ms:.2f} vs "
            f"{suggesting.cpu_ms:.2f} ms of server CPU per request."
        )
    if measured["profiles"]:
        lines += ["", "## What bounds the missed targets", *measured["profiles"]]
    return lines


def _added_per_worker(pool: list[dict]) -> float:
    """PSS (MiB) each worker adds, from the first row of ``pool`` to its last."""
    first, last = pool[0], pool[-1]
    return (last["Pss"] - first["Pss"]) / max(1, last["workers"] - first["workers"])


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=Path("db"), help="build folder")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the corpus of that build")
    parser.add_argument("--requests", type=int, default=100, help="requests per client and endpoint")
    parser.add_argument(
        "--memory-db", type=Path, nargs="*", default=[], help="more builds to measure the pool's memory on"
    )
    args = parser.parse_args(argv)
    one, five, _ = os.getloadavg()
    started = f"Load average at the start: {one:.2f} (1 min), {five:.2f} (5 min)."
    # the link itself, not the build it points to: a serve that rebuilds replaces the link
    results = measure_serving(
        args.db.absolute(), args.corpus.resolve(), args.requests, memory_dbs=tuple(args.memory_db)
    )
    lines = report(args.db, results, args.requests, f"{started} {machine_load()}")
    path = write("serve", lines)
    print("\n".join(lines))
    return path


if __name__ == "__main__":
    main()
