"""Per-document builds: a cold build and a rebuild after one document changed, with 1 and 2 processes.

For each corpus size N (copies of the article annotating the same concepts, ``synth.py --shared``), in
separate output folders, whole-process ``mskg build`` runs:

1. cold, ``--jobs 1`` (corpus state A; fills the output's cache);
2. one document's title changed (state B); rebuild of output 1, ``--jobs 1``: only that document recomputed;
3. cold, ``--jobs 2`` of state B, into a second output: compared with the rebuild of step 2 (the database's
   content and bytes, the store's quads, the N-Quads and graph.json bytes);
4. another document changed (state C); rebuild of output 3, ``--jobs 2``.

Above ``--full-up-to`` documents (default 10) the plan is shorter, three builds of one output: cold with
``--jobs 2``, then one changed with ``--jobs 1``, then another changed with ``--jobs 2`` (at 100 documents
each build takes minutes; the byte-identity of a rebuild is then not compared at that size).

Run: python -m benchmarks.incremental [--sizes 10 100] [--full-up-to 10]  → benchmarks/results/incremental.md
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from multiscale_kg.build import compare

from .common import header, write
from .synth import make_corpus

STAGES = ("ingest", "rdf", "rules", "shacl", "sqlite", "networkx", "serialise")
_STAGE = re.compile(r"^(\w+)\s+([\d.]+) ms$")
_DOCUMENTS = re.compile(r"\((\d+) document\(s\) read, (\d+) from the cache\)$")
TARGET_SECONDS = 10.0


@dataclass
class Run:
    name: str
    seconds: float
    stages: dict[str, float] = field(default_factory=dict)
    read: int = 0
    cached: int = 0


def mskg_build(corpus: Path, out: Path, jobs: int, name: str) -> Run:
    command = [sys.executable, "-m", "multiscale_kg.cli", "build", "--corpus", str(corpus), "--out", str(out)]
    started = time.perf_counter()
    done = subprocess.run([*command, "--jobs", str(jobs)], capture_output=True, text=True, check=True)
    run = Run(name, time.perf_counter() - started)
    for line in done.stderr.splitlines():
        if stage := _STAGE.match(line):
            run.stages[stage.group(1)] = float(stage.group(2)) / 1000
        elif documents := _DOCUMENTS.search(line):
            run.read, run.cached = int(documents.group(1)), int(documents.group(2))
    print(f"  {name}: {run.seconds:.1f} s, {run.read} read, {run.cached} cached", file=sys.stderr)
    return run


def change(folder: Path) -> None:
    meta = folder / "document.toml"
    meta.write_text(meta.read_text(encoding="utf-8").replace('title = "', 'title = "Revised: ', 1))


def identical(built: Path, rebuilt: Path) -> list[str]:
    differences = compare(built, rebuilt)
    for name in ("multiscale.db", "multiscale.nq", "graph.json"):
        if (built / name).read_bytes() != (rebuilt / name).read_bytes():
            differences.append(f"{name}: bytes differ")
    return differences


def measure(size: int, scratch: Path, full: bool) -> tuple[list[Run], list[str] | None]:
    corpus = scratch / f"corpus-{size}"
    folders = make_corpus(size, corpus, shared=True)
    one, two = scratch / f"j1-{size}" / "db", scratch / f"j2-{size}" / "db"
    if not full:
        runs = [mskg_build(corpus, one, 2, "cold, --jobs 2")]
        change(folders[len(folders) // 2])
        runs.append(mskg_build(corpus, one, 1, "one changed, --jobs 1"))
        change(folders[-1])
        runs.append(mskg_build(corpus, one, 2, "one changed, --jobs 2"))
        return runs, None
    runs = [mskg_build(corpus, one, 1, "cold, --jobs 1")]
    change(folders[len(folders) // 2])
    runs.append(mskg_build(corpus, one, 1, "one changed, --jobs 1"))
    runs.append(mskg_build(corpus, two, 2, "cold, --jobs 2"))
    differences = identical(two, one)
    change(folders[-1])
    runs.append(mskg_build(corpus, two, 2, "one changed, --jobs 2"))
    return runs, differences


def report(results: dict[int, tuple[list[Run], list[str] | None]]) -> list[str]:
    lines = header("Per-document builds: cold and one document changed", ["pyoxigraph", "pydantic"])
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    lines += [
        "Corpus: `benchmarks/synth.py --shared` (copies of the article annotating the same concepts). Each "
        "build is a whole `mskg build` process; *one changed* rebuilds the output of the build above it "
        "after one document's title changed (its cache beside the output holds every other document). "
        f"Load average at the end (1, 5, 15 min): {load} on {os.cpu_count()} cores.",
        "",
        "| N | build | wall | documents read / from the cache | " + " | ".join(STAGES) + " |",
        "|---|---|---|---|" + "---|" * len(STAGES),
    ]
    for size, (runs, _) in results.items():
        for run in runs:
            stages = " | ".join(f"{run.stages.get(stage, 0):.2f}" for stage in STAGES)
            lines.append(
                f"| {size} | {run.name} | {run.seconds:.1f} s | {run.read} / {run.cached} | {stages} |"
            )
    lines += ["", "## Targets", "", "| target | measured | verdict |", "|---|---|---|"]
    for size, (runs, differences) in results.items():
        fastest = min(run.seconds for run in runs if run.name.startswith("one changed"))
        verdict = "met" if fastest <= TARGET_SECONDS else "**missed**"
        lines.append(f"| one document of {size} changed: rebuild ≤ 10 s | {fastest:.1f} s | {verdict} |")
        if differences is None:
            lines.append(f"| one document of {size} changed: byte-identical to a cold build | not run | — |")
            continue
        same = "identical" if not differences else "; ".join(differences[:3])
        lines.append(
            f"| one document of {size} changed: byte-identical to a cold build | {same} | "
            f"{'met' if not differences else '**missed**'} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--full-up-to", type=int, default=10, help="the four-build plan up to this size")
    parser.add_argument("--name", default="incremental", help="the result file's name in benchmarks/results")
    args = parser.parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory(prefix="mskg-incremental-") as scratch:
        for size in args.sizes:
            print(f"N = {size}", file=sys.stderr)
            results[size] = measure(size, Path(scratch), size <= args.full_up_to)
    path = write(args.name, report(results))
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
