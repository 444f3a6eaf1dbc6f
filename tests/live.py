"""`mskg serve` as a real server for the tests that need one (a browser, HTTP clients, the W3C suite)."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: generous for a loaded 2-core machine; a server that starts never waits it out
START_S = 90


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(folder: Path, corpus: Path = ROOT / "corpus", processes: int = 1) -> Iterator[str]:
    """`mskg serve` of the build folder ``folder`` in ``processes`` processes on a free port of 127.0.0.1;
    its base URL.

    The folder must hold a current build of ``corpus`` (or `mskg serve` rebuilds it)."""
    port = free_port()
    command = [sys.executable, "-m", "multiscale_kg.cli", "serve", "--db", str(folder), "--port", str(port)]
    command += ["--metadata", str(ROOT / "datasette_metadata.json"), "--corpus", str(corpus)]
    command += ["--processes", str(processes)]
    log = tempfile.TemporaryFile()  # noqa: SIM115  # read back only when the server fails to start
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_S
    while True:
        try:
            with urllib.request.urlopen(base + "/-/versions.json", timeout=5) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log.seek(0)
            pytest.fail(f"mskg serve did not start:\n{log.read().decode(errors='replace')[-3000:]}")
        time.sleep(0.2)
    try:
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
