"""Map the per-document function over a corpus: in this process, in a pool of processes, or on a Dask
cluster (``cluster.py``). Results come back in the order of the tasks, whatever order they finish in."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed


def default_jobs() -> int:
    """The processes a build uses by default: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def run_documents(
    function: Callable,
    tasks: Sequence[tuple],
    jobs: int = 1,
    scheduler: str | None = None,
    done: Callable[[int], None] = lambda index: None,
) -> list:
    """``[function(*task) for task in tasks]``, computed with ``jobs`` processes (1: in this process) or on
    the Dask scheduler at ``scheduler``; ``done(index)`` is called as each task finishes."""
    if scheduler is not None:
        from .cluster import run_on_cluster

        return run_on_cluster(function, tasks, scheduler, done)
    if jobs <= 1 or len(tasks) <= 1:
        results = []
        for index, task in enumerate(tasks):
            results.append(function(*task))
            done(index)
        return results
    results: list = [None] * len(tasks)
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks))) as pool:
        futures = {pool.submit(function, *task): index for index, task in enumerate(tasks)}
        for future in as_completed(futures):
            index = futures[future]
            results[index] = future.result()
            done(index)
    return results
