"""The build's stages at N documents sharing concepts, whole-process, optionally against another source tree.

For each N: a synthetic corpus of N copies of the article that annotate the same concepts
(``synth.make_corpus(shared=True)``, as documents of one corpus do), built with ``mskg build`` in a process
of its own; its stage lines (ingest, rdf, rules, shacl, sqlite, networkx, serialise), wall time and peak RSS.
With ``--baseline TREE`` each build is also run with the ``src/`` of another checkout first on the path
(a before/after in the same run, alternated so both see the same machine load).

Run: python -m benchmarks.stages [--sizes 1 10 30] [--baseline /path/to/other/checkout] → results/stages.md
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import tempfile
from itertools import pairwise
from pathlib import Path

from .build import build_command, machine_load, run_process, stages
from .common import header, write
from .synth import make_corpus

STAGES = ("ingest", "rdf", "rules", "shacl", "sqlite", "networkx", "serialise")
#: issue 15's targets: the seconds a build of 100 documents may take, and its growth per decade
TARGET_100_S = 60.0
TARGET_GROWTH = 11.0


def build_once(corpus: Path, out: Path, source: Path | None, timeout: float) -> dict:
    env = dict(os.environ)
    if source is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(source / "src"), env.get("PYTHONPATH")]))
    run = run_process(build_command(corpus, out), timeout=timeout, env=env)
    if run.returncode:
        raise RuntimeError(f"the build of {corpus} failed:\n{run.stderr[-2000:]}")
    shutil.rmtree(out.resolve(), ignore_errors=True)
    out.unlink(missing_ok=True)
    return {"seconds": run.seconds, "rss": run.peak_rss, "stages": stages(run.stderr)}


def measure(
    sizes: list[int], runs: int, baseline: Path | None, timeout: float, baseline_up_to: int | None = None
) -> dict[str, dict[int, dict]]:
    """variant ("this", "baseline") → N → the median run (by wall time) of ``runs``; the baseline is built
    at the sizes up to ``baseline_up_to`` (all when None)."""
    variants = {"this": None} | ({"baseline": baseline} if baseline else {})
    found: dict[str, dict[int, dict]] = {name: {} for name in variants}
    with tempfile.TemporaryDirectory(prefix="mskg-bench-stages-") as folder:
        scratch = Path(folder)
        for n in sizes:
            corpus = scratch / f"corpus-{n}"
            make_corpus(n, corpus, shared=True)
            done: dict[str, list[dict]] = {name: [] for name in variants}
            for _ in range(runs):
                for name, source in variants.items():
                    if name == "baseline" and baseline_up_to is not None and n > baseline_up_to:
                        continue
                    done[name].append(build_once(corpus, scratch / f"db-{n}", source, timeout))
            for name, results in done.items():
                if results:
                    found[name][n] = sorted(results, key=lambda r: r["seconds"])[len(results) // 2]
            shutil.rmtree(corpus)
    return found


def _growth(results: dict[int, dict], value) -> list[str]:
    sizes = sorted(results)
    return [
        f"{value(results[b]) / value(results[a]):.1f}x ({a} → {b})"
        for a, b in pairwise(sizes)
        if value(results[a]) >= 0.01  # a stage that took no time has no growth to show
    ]


def _per_decade(results: dict[int, dict]) -> float | None:
    """The build time's worst growth between two measured sizes, scaled to a factor of 10 in N."""
    sizes = sorted(results)
    factors = [
        (results[b]["seconds"] / results[a]["seconds"]) ** (1 / math.log10(b / a)) for a, b in pairwise(sizes)
    ]
    return max(factors) if factors else None


def report(found: dict[str, dict[int, dict]], runs: int, baseline: Path | None, load: str) -> list[str]:
    lines = header("Build stages at N documents that share concepts", ["pyoxigraph", "shacl"])
    lines += [
        f"Corpus: `benchmarks/synth.py` with shared concepts; each figure the median of {runs} whole-process "
        f"build(s). {load}",
        "",
    ]
    for name, results in found.items():
        title = "this tree" if name == "this" else f"baseline: {baseline}"
        lines += [
            f"## {title}",
            "",
            "| N | build | peak RSS | " + " | ".join(STAGES) + " |",
            "|---|---|---|" + "---|" * len(STAGES),
        ]
        for n, r in sorted(results.items()):
            cells = [f"{r['stages'].get(stage, 0):.2f}" for stage in STAGES]
            lines.append(
                f"| {n} | {r['seconds']:.2f} s | {r['rss'] / 2**20:.0f} MiB | " + " | ".join(cells) + " |"
            )
        lines += ["", "Growth: build " + ", ".join(_growth(results, lambda r: r["seconds"]))]
        for stage in ("sqlite", "shacl", "serialise", "networkx"):
            lines.append(
                f"- {stage} " + ", ".join(_growth(results, lambda r, s=stage: r["stages"].get(s, 0)))
            )
        lines.append("")
    results = found["this"]
    per_decade = _per_decade(results)
    lines += ["## Targets (this tree)", "", "| target | measured | verdict |", "|---|---|---|"]
    if 100 in results:
        took = results[100]["seconds"]
        verdict = "met" if took <= TARGET_100_S else "**missed**"
        lines.append(f"| 100 documents <= {TARGET_100_S:.0f} s | {took:.1f} s | {verdict} |")
    else:
        lines.append(f"| 100 documents <= {TARGET_100_S:.0f} s | not measured | — |")
    if per_decade is not None:
        verdict = "met" if per_decade <= TARGET_GROWTH else "**missed**"
        lines.append(
            f"| build growth <= {TARGET_GROWTH:.0f}x per decade | worst {per_decade:.1f}x | {verdict} |"
        )
    return lines


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 30])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--baseline", type=Path, help="another checkout to build with, for a before/after")
    parser.add_argument("--baseline-up-to", type=int, help="build the baseline only up to this size")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds one build may take")
    args = parser.parse_args(argv)
    found = measure(args.sizes, args.runs, args.baseline, args.timeout, args.baseline_up_to)
    lines = report(found, args.runs, args.baseline, machine_load())
    path = write("stages", lines)
    print("\n".join(lines))
    return path


if __name__ == "__main__":
    main()
