"""A build killed at any moment leaves the old or the new complete ``db/``, never a mix.

``mskg build`` runs in a subprocess and gets SIGKILL at seeded random moments, 20 times, spread over the
part of the build that writes files (after ingest, until the swap). Before each run ``db`` points at a copy
of the old build; afterwards it must point at a folder whose files are, byte for byte, the old build or the
new one. Staging folders of killed builds stay beside ``db`` until the next build removes them; the last
run of the first series completes and must leave nothing but ``db``, its build folder and the lock file.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from multiscale_kg.build import MANIFEST_NAME

from .conftest import content_digests

SEED = 8
SERIES = 2  # run side by side (one per core), each in its own folder
KILLS_PER_SERIES = 10
# the same hash seed for every subprocess build, so two complete builds of one corpus match in every file
ENV = {**os.environ, "PYTHONHASHSEED": "0"}


def command(corpus: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "multiscale_kg.cli", "build", "--corpus", str(corpus), "--out", str(out)]


def digest(out: Path) -> dict[str, str]:
    """sha256 of every file of the build folder ``out`` points to, and of its store's quads.

    Of build.json only the corpus inputs count: it also lists the package's own files, which may be edited
    while the test runs, and the corpus is what tells the old build from the new one.
    """
    folder = out.resolve()
    found = content_digests(folder)
    inputs = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))["inputs"]
    found[MANIFEST_NAME] = json.dumps({k: v for k, v in inputs.items() if k.startswith("corpus/")})
    return found


def timed_build(corpus: Path, out: Path) -> tuple[float, float]:
    """Build in a subprocess; seconds until ingest ended (its stage line) and until the process ended."""
    started = time.monotonic()
    with subprocess.Popen(command(corpus, out), env=ENV, stderr=subprocess.PIPE, text=True) as process:
        ingest_done = None
        for line in process.stderr:
            if ingest_done is None and line.startswith("ingest"):
                ingest_done = time.monotonic() - started
    assert process.returncode == 0
    assert ingest_done is not None
    return ingest_done, time.monotonic() - started


def point_at_copy(old: Path, folder: Path, run: int) -> None:
    """Make ``folder/db`` a complete copy of the old build, swapped in like a build swaps its own."""
    copy = folder / f".db-build-old-{run:02d}"
    shutil.copytree(old.resolve(), copy)
    link = folder / "reset-link"
    link.symlink_to(copy.name)
    os.replace(link, folder / "db")


def run_series(series: int, corpus: Path, old: Path, folder: Path, window: tuple[float, float]) -> list:
    """KILLS_PER_SERIES killed builds (the first series then runs one complete build); each run's outcome."""
    rng = random.Random(SEED * 100 + series)
    folder.mkdir()
    outcomes = []
    for run in range(KILLS_PER_SERIES + (series == 0)):
        point_at_copy(old, folder, run)
        out = folder / "db"
        kill_at = rng.uniform(*window) if run < KILLS_PER_SERIES else None
        log = folder.with_name(f"{folder.name}-run-{run:02d}.log")
        with log.open("w") as stderr:
            process = subprocess.Popen(command(corpus, out), env=ENV, stderr=stderr)
            try:
                process.wait(timeout=kill_at)
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                process.wait()
        assert process.returncode in (0, -signal.SIGKILL), log.read_text()
        target = out.resolve()
        staging = sorted(p.name for p in folder.glob(".db-build-*") if p != target)
        outcomes.append((process.returncode, out.is_symlink(), target.name, digest(out), staging))
    return outcomes


def test_a_killed_build_leaves_the_old_or_the_new_db(built, corpus_copy, tmp_path):
    meta = corpus_copy / "nano-vs-micro" / "document.toml"
    title = 'title = "Nanostructuring versus microstructuring in battery electrodes"'
    changed = meta.read_text(encoding="utf-8").replace(title, 'title = "A new title"')
    meta.write_text(changed, encoding="utf-8")
    reference = tmp_path / "reference" / "db"
    ingest_done, duration = timed_build(corpus_copy, reference)
    old, new = digest(built), digest(reference)
    assert old != new

    # from just before the first file is written until just after the swap
    window = (ingest_done * 0.9, duration * 1.05)
    with ThreadPoolExecutor(SERIES) as pool:
        runs = [
            pool.submit(run_series, series, corpus_copy, built, tmp_path / f"series-{series}", window)
            for series in range(SERIES)
        ]
        results = [run.result() for run in runs]

    killed = [outcome for outcomes in results for outcome in outcomes[:KILLS_PER_SERIES]]
    assert len(killed) == 20
    for returncode, is_link, _, found, _ in killed:
        assert is_link
        assert found in (old, new)  # never a mix of the two, never a partial folder
        if returncode == 0:
            assert found == new
    # most kills hit a build that had started writing: the old db/ stayed, a staging folder was left
    while_writing = [
        staging
        for _, _, _, found, staging in killed
        if found == old and any(not name.startswith(".db-build-old-") for name in staging)
    ]
    assert len(while_writing) >= len(killed) // 2

    returncode, is_link, target, found, staging = results[0][-1]
    assert (returncode, is_link, found) == (0, True, new)
    # the complete build removed every staging folder the killed ones left, and the old build
    assert staging == []
    assert {p.name for p in (tmp_path / "series-0").iterdir()} == {"db", ".db-lock", ".db-cache", target}
    # the complete build's cache: an entry for the corpus's document, no temporary file a killed build left
    assert [p.suffix for p in (tmp_path / "series-0" / ".db-cache").iterdir()] == [".pickle"]
