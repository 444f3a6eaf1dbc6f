"""A small pool of SPARQL worker processes for one build folder, started on first use.

``run`` is blocking (call it from a thread): it takes an idle worker, sends the query and waits for the
reply. The worker enforces the time limit itself; if it has not answered a grace period later (stuck in C
code, out of memory) it is killed and replaced in the background (the replacement opens the build's store
again: no reload), and the caller gets a 408 reply. When every worker is busy a caller waits at most
BUSY_WAIT_S for one, then gets 503 with ``retry_after`` (seconds): it never waits out a start-up. Every
reply is a dict with ``status`` (200, 400, 408, 413, 500, 503) and either ``table`` or ``error``.
"""

from __future__ import annotations

import atexit
import multiprocessing
import queue
import threading
from dataclasses import dataclass
from pathlib import Path

from . import sparql_worker

#: how long a worker may take to start (open the build's store) before it is given up
START_TIMEOUT_S = 30.0
#: how long a query waits for a busy worker to become free before it is answered 503
BUSY_WAIT_S = 0.25
#: the Retry-After (seconds) of that 503
RETRY_AFTER_S = 1
#: extra time a worker gets past the time limit to stop its own query before it is killed
GRACE_S = 0.5

# Workers are forked from one fork server that has imported and warmed up what a worker runs
# (``sparql_preload``): its pages are shared by every worker instead of rebuilt in each, so a worker adds
# little more than its own store caches to the endpoint's memory. The server forks from one thread, so a
# worker starts with one thread, as moving it into its own network namespace requires.
_FORKS = multiprocessing.get_context("forkserver")
_FORKS.set_forkserver_preload(["multiscale_kg.publish.sparql_preload"])


@dataclass(frozen=True)
class Limits:
    time_limit_s: float = 5.0
    max_rows: int = 2000
    workers: int = 2
    memory_mb: int = 2048


class WorkerError(RuntimeError):
    """A worker could not be started (no store in the build folder, a crash while opening it)."""


class PoolBusy(RuntimeError):
    """Every worker is answering a query: the caller is told to come back (503, Retry-After)."""


class _Worker:
    def __init__(self, folder: Path, memory_mb: int):
        child_requests, self.requests = _FORKS.Pipe(duplex=False)
        self.replies, child_replies = _FORKS.Pipe(duplex=False)
        self.process = _FORKS.Process(
            target=sparql_worker.run,
            args=(folder, child_requests, child_replies, memory_mb),
            name="sparql-worker",
            daemon=True,
        )
        try:
            self.process.start()
        except (EOFError, OSError) as error:  # the fork server is gone: it failed to start or to preload
            for connection in (child_requests, child_replies, self.requests, self.replies):
                connection.close()
            raise WorkerError(
                f"the SPARQL worker could not be started ({type(error).__name__}: {error}); the server's log "
                "has the fork server's error"
            ) from None
        child_requests.close()
        child_replies.close()
        self.network: str | None = None  # how the worker is kept off the network, once it is ready
        self._stopping = threading.Lock()

    def wait_ready(self) -> None:
        if not self.replies.poll(START_TIMEOUT_S):
            self.kill()
            raise WorkerError(f"the SPARQL worker did not open the store within {START_TIMEOUT_S:g} s")
        try:
            hello = self.replies.recv()
        except (EOFError, OSError):
            self.kill()
            raise WorkerError("the SPARQL worker exited while opening the store") from None
        if not hello.get("ready"):
            self.kill()
            raise WorkerError(hello.get("error", "the SPARQL worker could not start"))
        self.network = hello.get("network")

    def kill(self) -> None:
        """Stop the worker and close its pipes. Safe twice and from two threads at once (a pool closed while
        the worker starts): a pipe closed twice could close a descriptor the process has reused since."""
        with self._stopping:
            if self.process.exitcode is None:
                self.process.kill()
            self.process.join()
            for connection in (self.requests, self.replies):
                if not connection.closed:
                    connection.close()


class WorkerPool:
    def __init__(self, folder: Path, limits: Limits = Limits()):
        self.folder = Path(folder)
        self.limits = limits
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._started = False
        self._starting = 0  # workers started and not yet ready (or failed)
        self._error: str | None = None

    # -- workers ------------------------------------------------------------------------------------------

    def _spawn(self) -> None:
        """Start one worker and make it available; remembers why when it cannot start."""
        worker = None
        try:
            worker = _Worker(self.folder, self.limits.memory_mb)
            with self._lock:
                self._all.add(worker)
            worker.wait_ready()
        except (WorkerError, OSError) as error:
            with self._lock:
                self._all.discard(worker)  # type: ignore[arg-type]
                self._starting -= 1
            self._error = str(error)
            self._idle.put(None)  # type: ignore[arg-type]  # wakes a waiting caller to report the error
            return
        self._error = None
        with self._lock:
            self._starting -= 1
            closed = worker not in self._all  # the pool was closed while the worker started
        if closed:
            worker.kill()
            return
        self._idle.put(worker)

    def _spawn_in_background(self) -> None:
        with self._lock:
            self._starting += 1
        threading.Thread(target=self._spawn, name="sparql-worker-start", daemon=True).start()

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()
        with self._lock:
            running = self._started
        if running:  # not after close()
            self._spawn_in_background()

    def _start(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
        for _ in range(max(1, self.limits.workers)):
            self._spawn_in_background()

    def _acquire(self) -> _Worker:
        self._start()
        with self._lock:
            starting = self._starting
        # a worker that is starting will be free soon; busy ones may stay busy up to the time limit
        try:
            worker = self._idle.get(timeout=START_TIMEOUT_S if starting else BUSY_WAIT_S)
        except queue.Empty:
            raise PoolBusy(
                f"every SPARQL worker ({self.limits.workers}) is busy; try again in {RETRY_AFTER_S} s"
            ) from None
        if worker is None:
            with self._lock:
                self._started = bool(self._all)  # none running: the next request tries again
            raise WorkerError(self._error or "the SPARQL worker could not start")
        return worker

    # -- queries ------------------------------------------------------------------------------------------

    def run(self, query: str, result_format: str, dataset: dict | None = None) -> dict:
        """Answer ``query`` in ``result_format``; ``dataset``: the protocol's graphs, as
        ``{"default": [iri, ...], "named": [iri, ...]}`` (None: the union of all graphs, or the query's FROM).
        """
        try:
            worker = self._acquire()
        except PoolBusy as error:
            return {"status": 503, "error": str(error), "retry_after": RETRY_AFTER_S}
        except WorkerError as error:
            return {"status": 503, "error": str(error)}
        request = {
            "query": query,
            "format": result_format,
            "dataset": dataset,
            "max_rows": self.limits.max_rows,
            "time_limit_s": self.limits.time_limit_s,
        }
        try:
            worker.requests.send(request)
            if not worker.replies.poll(self.limits.time_limit_s + GRACE_S):
                self._replace(worker)
                return {
                    "status": 408,
                    "error": f"the query ran longer than the time limit of {self.limits.time_limit_s:g} s",
                }
            reply = worker.replies.recv()
        except (EOFError, OSError):
            self._replace(worker)
            return {"status": 413, "error": "the query stopped its worker (memory or time exhausted)"}
        if reply.get("restart"):
            self._replace(worker)
        else:
            self._idle.put(worker)
        return reply

    def isolation(self) -> set[str]:
        """How the ready workers are kept off the network (sparql_worker.NAMESPACE or PYTHON_GUARD)."""
        with self._lock:
            return {w.network for w in self._all if w.network}

    def close(self) -> None:
        """Stop every worker; a later query starts new ones."""
        with self._lock:
            workers, self._all = list(self._all), set()
            self._started = False
        while True:  # the idle queue must not hand out a stopped worker
            try:
                self._idle.get_nowait()
            except queue.Empty:
                break
        for worker in workers:
            worker.kill()

    def idle(self) -> int:
        """How many workers wait for a query."""
        return self._idle.qsize()

    def pids(self) -> list[int]:
        """The process ids of the running workers."""
        with self._lock:
            return sorted(w.process.pid for w in self._all if w.process.exitcode is None)


_pools: dict[tuple[Path, Limits], WorkerPool] = {}
_pools_lock = threading.Lock()


def pool_for(folder: Path, limits: Limits) -> WorkerPool:
    """The one pool of a build folder and limits in this process."""
    key = (Path(folder).resolve(), limits)
    with _pools_lock:
        if key not in _pools:
            _pools[key] = WorkerPool(key[0], limits)
        return _pools[key]


def retire(folder: Path) -> None:
    """Stop the workers of every pool of ``folder`` and forget those pools (a build no longer served)."""
    folder = Path(folder).resolve()
    with _pools_lock:
        retired = [key for key in _pools if key[0] == folder]
        pools = [_pools.pop(key) for key in retired]
    for pool in pools:
        pool.close()


@atexit.register
def close_all() -> None:
    with _pools_lock:
        pools = list(_pools.values())
    for pool in pools:
        pool.close()
