"""The rules stage at N = 1, 10, 100 documents sharing concepts: its time, rule by rule, growth per decade.

For each N: ``benchmarks/synth.py --shared`` writes the corpus (copies of the article annotating the same
concepts, as the documents of one corpus do); it is ingested and projected into an in-memory store as a build
does (``fill``), then the derive stage of a build runs on that store (``queries/derive.py``: theoretical
capacities, the rules to a fixpoint, their provenance). Reported: the stage's CPU and wall time, each rule's
CPU time summed over its rounds (``Inference.seconds_by_rule``) and the derivations per rule.
``--digest FILE`` also writes each N's derivations (rule, conclusion, premises) as JSON lines, to compare
two versions of the rules: the same derivations give the same file.

Run: python -m benchmarks.rules [--sizes 1 10 100]  → benchmarks/results/rules.md
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from .build import machine_load
from .common import header, write
from .synth import SOURCE, make_corpus

SIZES = (1, 10, 100)
#: growth per decade the rules stage may show (linear is about 10x)
GROWTH_TARGET = 11.0


def measure_rules(
    n: int,
    scratch: Path,
    source: Path = SOURCE,
    digest: Path | None = None,
    shared: bool = True,
    runs: int = 3,
) -> dict:
    """Ingest a corpus of ``n`` copies of ``source`` (sharing its concepts), project it, and time the derive
    stage on it (the fastest of ``runs``)."""
    from multiscale_kg.graph.store import fill, open_store
    from multiscale_kg.ingest import document_texts, ingest_corpus
    from multiscale_kg.queries.derive import derive
    from multiscale_kg.queries.rule_files import load_rules

    load_rules()  # parsed once per process: not part of any N's stage

    corpus = scratch / f"rules-{n}"
    make_corpus(n, corpus, source, shared=shared)
    kb = ingest_corpus(corpus)
    texts = document_texts(corpus, kb)
    projected = open_store()
    fill(projected, kb, texts)
    quads = len(projected)
    gc.collect()
    gc.freeze()  # as a build does: the collector does not re-scan the knowledge base during the stage
    best = None
    for _ in range(runs):  # each run on a fresh copy of the projection; the fastest counts (a shared machine)
        store = open_store()
        store.bulk_extend(projected.quads_for_pattern(None, None, None, None))
        started, cpu = time.perf_counter(), time.process_time()
        inference = derive(kb, texts, store).inference
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        if best is None or cpu < best[1]:
            best = (seconds, cpu, inference)
        del store
    seconds, cpu, inference = best
    gc.unfreeze()
    per_rule = Counter(d.rule for d in inference.derivations.values())
    if digest is not None:
        with digest.open("a", encoding="utf-8") as out:
            for d in sorted(inference.derivations.values(), key=lambda d: d.id):
                premises = [[str(t) for t in p] for p in d.premises]
                row = [n, d.id, d.rule, [str(t) for t in d.conclusion], premises]
                out.write(json.dumps(row) + "\n")
    return {
        "n": n,
        "quads": quads,
        "seconds": seconds,
        "cpu": cpu,
        "rules_seconds": inference.seconds,
        "by_rule": dict(sorted(inference.seconds_by_rule.items())),
        "derivations": dict(sorted(per_rule.items())),
        "rounds": inference.rounds,
    }


def run_sizes(
    sizes: list[int],
    scratch: Path,
    source: Path = SOURCE,
    digest: Path | None = None,
    shared: bool = True,
    runs: int = 3,
) -> list[dict]:
    results = []
    for n in sizes:
        results.append(measure_rules(n, scratch, source, digest, shared, runs))
        print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    return results


def _growth(results: list[dict], value) -> list[str]:
    pairs = itertools.pairwise(results)
    return [f"{value(large) / value(small):.1f}x" if value(small) else "—" for small, large in pairs]


def report(results: list[dict]) -> list[str]:
    lines = header("Rules: the derive stage on N documents sharing concepts", ["rdflib", "pyoxigraph"])
    lines += [
        "Corpus: `python -m benchmarks.synth N OUT --shared` (copies of the article, each its own title and "
        "document, annotating the same concepts: a shared drawback or strategy is part of every document). "
        "Stage: `derive()` on the projected store (theoretical capacities, the rules to a fixpoint, their "
        "provenance), with the knowledge base frozen for the garbage collector as a build has it, the run of "
        "least CPU time of 3 per N, each on a fresh copy of the projected store; the "
        "machine is shared, so CPU time (which a busy machine does not inflate) is what the target reads. "
        + machine_load(),
        "",
        "| N | quads | derive stage (CPU) | derive stage (wall) | rules (wall) | rounds |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        stage, evaluated = f"{r['seconds']:.3f} s", f"{r['rules_seconds']:.3f} s"
        cpu = f"{r['cpu']:.3f} s"
        lines.append(f"| {r['n']} | {r['quads']:,} | {cpu} | {stage} | {evaluated} | {r['rounds']} |")
    rules = sorted({rule for r in results for rule in r["by_rule"]})
    lines += ["", "Each rule's CPU time (all its rounds, s):", ""]
    lines += ["| rule | " + " | ".join(f"N={r['n']}" for r in results) + " | growth per decade |"]
    lines += ["|---|" + "---|" * len(results) + "---|"]
    for rule in rules:
        times = [r["by_rule"].get(rule, 0.0) for r in results]
        growth = ", ".join(_growth(results, lambda r, rule=rule: r["by_rule"].get(rule, 0.0)))
        lines.append(f"| {rule} | " + " | ".join(f"{t:.4f}" for t in times) + f" | {growth} |")
    lines += ["", "Derivations per rule:", ""]
    lines += ["| rule | " + " | ".join(f"N={r['n']}" for r in results) + " |"]
    lines += ["|---|" + "---|" * len(results)]
    for rule in rules:
        counts = " | ".join(f"{r['derivations'].get(rule, 0):,}" for r in results)
        lines.append(f"| {rule} | {counts} |")
    growth = _growth(results, lambda r: r["cpu"])
    worst = max((float(g[:-1]) for g in growth if g != "—"), default=0.0)
    lines += [
        "",
        "## Targets",
        "",
        "| target | measured | verdict |",
        "|---|---|---|",
        f"| rules stage (CPU time) growth per decade <= {GROWTH_TARGET:g}x | "
        f"{', '.join(growth) or '—'} | {'met' if growth and worst <= GROWTH_TARGET else '**missed**'} |",
    ]
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--digest", type=Path, help="write each N's derivations here (JSON lines)")
    parser.add_argument(
        "--own-concepts", action="store_true", help="each copy its own concepts (to compare derivations)"
    )
    parser.add_argument("--no-write", action="store_true", help="print the report instead of writing it")
    args = parser.parse_args(argv)
    if args.digest is not None:
        args.digest.write_text("", encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="mskg-rules-") as folder:
        results = run_sizes(args.sizes, Path(folder), digest=args.digest, shared=not args.own_concepts)
    lines = report(results)
    if args.no_write:
        print("\n".join(lines))
    else:
        print(f"wrote {write('rules', lines)}", file=sys.stderr)


if __name__ == "__main__":
    main()
