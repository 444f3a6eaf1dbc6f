"""The per-document function on a Dask cluster (``mskg build --scheduler ADDRESS``; the ``cluster`` extra).

The workers run the same ``build_document`` as a local process pool and must see the corpus at the same path
(a shared file system), with the same version of this package installed. Results come back to this process,
which merges them, caches them and writes the build as it does for a local build.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..errors import UsageError

#: how long the scheduler may take to answer before the build gives up on it
CONNECT_SECONDS = 10.0
INSTALL = "pip install 'multiscale-kg[cluster]'"


def run_on_cluster(
    function: Callable, tasks: Sequence[tuple], address: str, done: Callable[[int], None]
) -> list:
    """``[function(*task) for task in tasks]`` computed by the workers of the scheduler at ``address``."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise UsageError(
            f"--scheduler {address}: running on a Dask cluster needs Dask distributed, the cluster extra "
            f"({INSTALL})"
        ) from None
    try:
        client = Client(address, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError, ValueError) as error:
        raise UsageError(
            f"--scheduler {address}: cannot reach the Dask scheduler ({error}); expected the address a "
            f"running scheduler prints, e.g. tcp://host:8786"
        ) from None
    with client:
        if not tasks:
            return []
        futures = client.map(function, *zip(*tasks, strict=True), pure=False)
        index = {future.key: number for number, future in enumerate(futures)}
        results: list = [None] * len(tasks)
        for future in as_completed(futures):
            number = index[future.key]
            results[number] = future.result()
            done(number)
        return results
