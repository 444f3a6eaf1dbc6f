"""The benchmark runner: each benchmark beside its alternative, bounded in time, results in results/.

    python -m benchmarks                 # build, sparql, engines, serve, rules (N = 1, 10, 100), scale
    python -m benchmarks --quick         # one run each, few requests, scale N = 1, 2: checks it all runs
    python -m benchmarks --only build sparql --corpus corpus --results benchmarks/results --minutes 90

Each benchmark writes ``<results>/<name>.md`` (machine, versions, medians of at least 5 runs with min and max,
ratios measured in the same run) and the runner prints the targets of all of them in one table. The scale
benchmark gets the time that is left of ``--minutes`` and stops at it. ``--quick`` results are for checking
that the runner works, not for comparison: one run each (a result needs 5), no profiles, no alternatives.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from . import build, common, rules, scale, serve, sparql, sparql_engines
from .build import CORPUS, build_command, machine_load, run_process

BENCHMARKS = ("build", "sparql", "engines", "serve", "rules", "scale")


def _targets(lines: list[str]) -> list[str]:
    """The rows of the "| target | ..." tables of a report."""
    rows, inside = [], False
    for line in lines:
        if line.startswith("| target |"):
            inside = True
            continue
        if inside and line.startswith("|---"):
            continue
        if inside and line.startswith("| "):
            rows.append(line)
        else:
            inside = False
    return rows


def _write(name: str, lines: list[str], summary: list[str]) -> None:
    path = common.write(name, lines)
    print(f"wrote {path}", file=sys.stderr, flush=True)
    summary += [row.replace("| ", f"| {name}: ", 1) for row in _targets(lines)]


def run(args: argparse.Namespace) -> list[str]:
    common.RESULTS = args.results  # every benchmark writes through common.write
    deadline = time.monotonic() + args.minutes * 60
    quick = args.quick
    summary: list[str] = []
    corpus = args.corpus.resolve()
    with tempfile.TemporaryDirectory(prefix="mskg-bench-") as folder:
        scratch = Path(folder)
        if "build" in args.only:
            result = build.measure_build(
                corpus, runs=1 if quick else 5, import_checks=not quick, profile_missed=not quick
            )
            _write("build", build.report(corpus, result, machine_load()), summary)
        db = scratch / "db"
        if {"sparql", "engines", "serve"} & set(args.only):
            built = run_process(build_command(corpus, db))
            if built.returncode:
                raise SystemExit(f"the build of {corpus} failed:\n{built.stderr[-3000:]}")
        if "sparql" in args.only:
            result = sparql.measure_queries(
                db, corpus, budget=0.5 if quick else 20.0, runs=1 if quick else 7, profile_missed=not quick
            )
            _write("sparql", sparql.report(db, result, machine_load()), summary)
        if "engines" in args.only and not quick:
            sparql_engines.main(["--db", str(db)])
        if "serve" in args.only:
            per_client = 3 if quick else 100
            results = serve.measure_serving(
                db, corpus, per_client, alternative=not quick, profile_missed=not quick
            )
            _write("serve", serve.report(db, results, per_client, machine_load()), summary)
        source = args.source or (sorted(p for p in corpus.iterdir() if p.is_dir())[0])
        if "rules" in args.only:
            sizes = [1, 2] if quick else list(rules.SIZES)
            results = rules.run_sizes(sizes, scratch, source, runs=1 if quick else 3)
            _write("rules", rules.report(results), summary)
        if "scale" in args.only:
            minutes = max(0.5, (deadline - time.monotonic()) / 60)
            sizes = args.sizes or ([1, 2] if quick else list(scale.SIZES))
            results = scale.run_sizes(sizes, minutes, scratch, source)
            _write("scale", scale.report(results, minutes, machine_load()), summary)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one run each: check that everything runs")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="corpus to build and query")
    parser.add_argument("--results", type=Path, default=common.RESULTS, help="folder for the result files")
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, default=list(BENCHMARKS))
    parser.add_argument("--minutes", type=float, default=90.0, help="time limit; scale gets what is left")
    parser.add_argument("--sizes", type=int, nargs="+", help="scale: corpus sizes (default 1 10 100 1000)")
    parser.add_argument("--source", type=Path, help="scale: the document folder to copy (default: first)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    summary = run(args)
    print("\n| target | measured | verdict |\n|---|---|---|")
    print("\n".join(summary))
    print(f"\n{len(summary)} targets in {time.perf_counter() - started:.0f} s; results in {args.results}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
