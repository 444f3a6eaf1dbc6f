"""The site in several server processes: ``mskg serve --processes N``.

Datasette draws its pages in one process, one at a time: under many clients every page waits for the pages
drawn before it, the long ones (the measurements table) longest. With N processes sharing the listening
socket (uvicorn's workers), a page one process is drawing holds up only that process's requests
(benchmarks/results/load.md). Each process builds the same Datasette from the configuration ``mskg serve``
leaves in the environment: the immutable database, the metadata, the settings and one secret, so that a
cookie or CSRF token one process signed is good in every other. Each process has its own SPARQL workers and
follows the ``db`` link on its own (``following``): after a rebuild every process switches to the new build,
and the old build's folder goes when the last of them has left it.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

#: the environment variable that carries the configuration to the server processes
ENVIRONMENT = "MSKG_SERVE"


def configuration(database: Path, metadata: Path, settings: dict, secret: str | None = None) -> str:
    """The configuration of the processes as the environment carries it (JSON)."""
    return json.dumps(
        {
            "database": str(database.absolute()),
            "metadata": str(metadata.absolute()),
            "settings": settings,
            "secret": secret or secrets.token_hex(32),
        }
    )


def create():
    """The ASGI application of one server process (uvicorn calls it in each process it starts)."""
    from datasette.app import Datasette
    from datasette.utils import parse_metadata

    config = json.loads(os.environ[ENVIRONMENT])
    metadata = parse_metadata(Path(config["metadata"]).read_text(encoding="utf-8"))
    datasette = Datasette(
        immutables=[config["database"]],
        metadata=metadata,
        settings=config["settings"],
        secret=config["secret"],
    )
    return datasette.app()


def serve_processes(
    database: Path, metadata: Path, settings: dict, host: str, port: int, processes: int
) -> int:
    """Serve the site from ``processes`` processes until interrupted."""
    import uvicorn

    os.environ[ENVIRONMENT] = configuration(database, metadata, settings)
    uvicorn.run(
        f"{__name__}:create",
        factory=True,
        host=host,
        port=port,
        workers=processes,
        log_level="info",
        lifespan="on",
    )
    return 0
