"""Scale: synthetic corpora of N = 1, 10, 100, 1,000 documents built and queried; growth per decade.

For each N: ``benchmarks/synth.py`` writes the corpus; a whole-process ``mskg build`` gives the build time,
its peak RSS and the time of each stage; the sizes of the SQLite database, the graph store and the N-Quads
file, and the number of quads; then a separate process opens the build's store read-only as the API does
(``kg.store``) and times every named query (the two-hop and the aggregate shown, the slowest named). The
growth factor per decade is the ratio of a measure at 10N to the same at N (linear growth is about 10x).

Bounded: the run stops at its deadline; a size whose build, extrapolated from the growth so far, would not
finish in the time left is not started (and reported as not measured: targets are judged on measured sizes
only); every build and query process has a timeout and an address-space cap, so an oversized run fails
alone instead of exhausting the machine.

Run: python -m benchmarks.scale [--sizes 1 10 100 1000] [--minutes 60]  → benchmarks/results/scale.md
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

from multiscale_kg.build import DB_NAME
from multiscale_kg.graph.serialize import FORMATS
from multiscale_kg.graph.store import STORE_NAME

from .build import ROOT, build_command, machine_load, run_process, stages
from .common import header, write
from .synth import SOURCE, make_corpus

SIZES = (1, 10, 100, 1000)
TWO_HOP, AGGREGATE = "feature-mitigates-cause-of", "measurements-per-property"
#: address-space cap of each build and query process (the targets' peak RSS: 2 GB at 100, 4 GB at 1,000)
MEMORY_CAP_GB = 12
#: a size is started only if its extrapolated build time fits the time left, with this margin
MARGIN = 1.5

_QUERIES = """
import json, sys, time
from pathlib import Path
from multiscale_kg.api import KnowledgeGraph
from multiscale_kg.queries.sparql import named_queries, run_store
from benchmarks.common import measure
started = time.perf_counter()
store = KnowledgeGraph(Path(sys.argv[1])).store
found = {"open": time.perf_counter() - started}
for name, query in named_queries().items():
    t = measure(lambda: run_store(store, query.text), runs=7, budget=60)
    found[name] = [t.median, t.low, t.high, t.runs]
print(json.dumps(found))
"""


def capped_process(command: list[str], timeout: float):
    return run_process(command, timeout=timeout, cwd=ROOT, memory_cap=MEMORY_CAP_GB * 2**30)


def count_lines(path: Path) -> int:
    lines = 0
    with path.open("rb") as file:
        while chunk := file.read(1 << 24):
            lines += chunk.count(b"\n")
    return lines


def derivations_per_rule(path: Path) -> dict[str, int]:
    """How many derivations each rule recorded (the ``derivations`` table), {} if the build has none."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            rows = connection.execute("select rule_id, count(*) from derivations group by rule_id")
            return dict(sorted(rows.fetchall()))
    except sqlite3.Error:
        return {}


def measure_size(n: int, scratch: Path, timeout: float, source: Path = SOURCE) -> dict:
    corpus, out = scratch / f"corpus-{n}", scratch / f"db-{n}"
    started = time.perf_counter()
    make_corpus(n, corpus, source, shared=True)  # documents of one corpus annotate its concepts
    result: dict = {"n": n, "synth_s": time.perf_counter() - started}
    built = capped_process(build_command(corpus, out), timeout)
    result.update(build_s=built.seconds, rss=built.peak_rss, stages=stages(built.stderr))
    if built.returncode:
        last = [line for line in built.stderr.strip().splitlines() if line.strip()][-1:] or ["killed"]
        result["error"] = f"build exit {built.returncode} after {built.seconds:.0f} s: {last[0][:200]}"
        shutil.rmtree(corpus, ignore_errors=True)
        return result
    folder = out.resolve()
    result.update(
        db_bytes=(folder / DB_NAME).stat().st_size,
        store_bytes=sum(p.stat().st_size for p in (folder / STORE_NAME).rglob("*") if p.is_file()),
        nq_bytes=(folder / FORMATS["nq"]).stat().st_size,
        quads=count_lines(folder / FORMATS["nq"]),
    )
    result["derivations"] = derivations_per_rule(folder / DB_NAME)
    remaining = max(60.0, timeout - built.seconds)
    queried = capped_process([sys.executable, "-c", _QUERIES, str(folder)], remaining)
    if queried.returncode:
        result["query_error"] = f"exit {queried.returncode}: {queried.stderr.strip()[-200:]}"
    else:
        result["queries"] = json.loads(queried.stdout.strip().splitlines()[-1])
        result["query_rss"] = queried.peak_rss
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)
    out.unlink(missing_ok=True)
    return result


def growth(results: list[dict], value) -> list[tuple[int, int, float]]:
    """(N, 10N, value(10N) / value(N)) for each pair of measured sizes a decade apart."""
    found = {r["n"]: value(r) for r in results if "error" not in r and value(r) is not None}
    return [(n, n * 10, found[n * 10] / found[n]) for n in sorted(found) if n * 10 in found and found[n]]


MEASURES = {
    "build time": lambda r: r.get("build_s"),
    "peak RSS": lambda r: r.get("rss"),
    "database size": lambda r: r.get("db_bytes"),
    "N-Quads size": lambda r: r.get("nq_bytes"),
    "quads": lambda r: r.get("quads"),
    "rule time": lambda r: r.get("stages", {}).get("rules"),
    "2-hop query": lambda r: r.get("queries", {}).get(TWO_HOP, [None])[0],
    "aggregate query": lambda r: r.get("queries", {}).get(AGGREGATE, [None])[0],
    "slowest named query": lambda r: _slowest(r)[1],
}


def _slowest(result: dict) -> tuple[str | None, float | None]:
    """The named query with the longest median, and that median."""
    timed = {k: v[0] for k, v in result.get("queries", {}).items() if isinstance(v, list)}
    if not timed:
        return None, None
    name = max(timed, key=timed.__getitem__)
    return name, timed[name]


def extrapolate(results: list[dict], n: int, value=MEASURES["build time"]) -> float | None:
    """A measure at ``n`` from the growth between the last two measured sizes (a power law); None without
    two measured sizes."""
    measured = [(r["n"], value(r)) for r in results if "error" not in r and "skipped" not in r and value(r)]
    if len(measured) < 2:
        return None
    (n1, v1), (n2, v2) = measured[-2:]
    exponent = math.log(v2 / v1) / math.log(n2 / n1)
    return v2 * (n / n2) ** exponent


#: (measure, N, limit, unit): the targets of the issue, judged on measured sizes only
TARGETS = (
    ("build time", 100, 60.0, "s"),
    ("peak RSS", 100, 2 * 2**30, "GB"),
    ("build time", 1000, 300.0, "s"),
    ("peak RSS", 1000, 4 * 2**30, "GB"),
    ("slowest named query", 1000, 0.1, "ms"),
)
GROWTH_LIMIT = 11.0


def targets(results: list[dict]) -> list[str]:
    """The targets, each judged on its measured size; a size that was not measured says so."""
    measured = {r["n"]: r for r in results if "error" not in r and "skipped" not in r}
    rows = []
    for name, n, limit, unit in TARGETS:
        value = MEASURES[name](measured[n]) if n in measured else None
        label = f"| {name} at N={n:,} <= {_limit(limit, unit)} |"
        if value is None:
            rows.append(f"{label} not measured | — |")
            continue
        shown = {"s": f"{value:.1f} s", "GB": f"{value / 2**30:.2f} GB", "ms": f"{value * 1000:.1f} ms"}[unit]
        rows.append(f"{label} {shown} | {'met' if value <= limit else '**missed**'} |")
    for name in ("build time", "peak RSS"):
        factors = growth(results, MEASURES[name])
        if factors:
            worst = max(f for _, _, f in factors)
            verdict = "met" if worst <= GROWTH_LIMIT else "**missed**"
            rows.append(
                f"| {name} growth per decade <= {GROWTH_LIMIT:g}x | worst measured {worst:.1f}x | {verdict} |"
            )
    return ["| target | measured | verdict |", "|---|---|---|", *rows]


def _limit(limit: float, unit: str) -> str:
    return {"s": f"{limit:g} s", "GB": f"{limit / 2**30:g} GB", "ms": f"{limit * 1000:g} ms"}[unit]


def run_sizes(sizes: list[int], minutes: float, scratch: Path, source: Path = SOURCE) -> list[dict]:
    deadline = time.monotonic() + minutes * 60
    results: list[dict] = []
    for n in sizes:
        left = deadline - time.monotonic()
        expected = extrapolate(results, n)
        if expected is not None and expected * MARGIN > left:
            skipped = f"not run: extrapolated build {expected:.0f} s > {left:.0f} s left"
            results.append({"n": n, "skipped": skipped, "expected_s": expected})
            continue
        if left < 30:
            results.append({"n": n, "skipped": "not run: the time limit was reached"})
            continue
        print(f"scale: N={n} ({left:.0f} s left)", file=sys.stderr, flush=True)
        results.append(measure_size(n, scratch, left, source))
        if "error" in results[-1]:
            print(f"scale: N={n}: {results[-1]['error']}", file=sys.stderr, flush=True)
    return results


def _size(value: float) -> str:
    return f"{value / 2**20:.1f} MiB" if value < 2**30 else f"{value / 2**30:.2f} GiB"


def report(results: list[dict], minutes: float, load: str) -> list[str]:
    lines = header(
        "Scale: synthetic corpora of N documents shaped like the article", ["rdflib", "pyoxigraph"]
    )
    lines += [
        "Corpus: `benchmarks/synth.py --shared` (copies of the article, each with its own title and document "
        "id, annotating the corpus's shared concepts; they share the materials parsed from the text, "
        "which the pipeline merges). "
        f"Time limit {minutes:.0f} min; each process has at most {MEMORY_CAP_GB} GB of address space. {load}",
        "",
        "| N | build | peak RSS | rules | database | store | N-Quads | quads | 2-hop query | aggregate query "
        "| slowest named query |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if "skipped" in r:
            lines.append(f"| {r['n']} | {r['skipped']} | | | | | | | | | |")
            continue
        if "error" in r:
            lines.append(f"| {r['n']} | failed: {r['error']} | {_size(r['rss'])} | | | | | | | | |")
            continue
        queries = r.get("queries", {})
        two_hop = queries.get(TWO_HOP)
        aggregate = queries.get(AGGREGATE)
        slowest, _ = _slowest(r)
        lines.append(
            f"| {r['n']} | {r['build_s']:.1f} s | {_size(r['rss'])} | {r['stages'].get('rules', 0):.2f} s | "
            f"{_size(r['db_bytes'])} | {_size(r['store_bytes'])} | {_size(r['nq_bytes'])} | {r['quads']:,} | "
            f"{_query(two_hop)} | {_query(aggregate)} | "
            f"{slowest}: {_query(queries.get(slowest)) if slowest else '—'} |"
        )
    pairs = growth(results, MEASURES["build time"])
    lines += ["", "Growth per decade (linear is about 10x):", ""]
    if not pairs:
        lines.append("No two sizes a decade apart were both measured.")
    else:
        lines.append("| measure | " + " | ".join(f"{n} → {m}" for n, m, _ in pairs) + " |")
        lines.append("|---|" + "---|" * len(pairs))
    for name, value in MEASURES.items() if pairs else ():
        factors = {(n, m): f for n, m, f in growth(results, value)}
        shown = [f"{factors[(n, m)]:.1f}x" if (n, m) in factors else "—" for n, m, _ in pairs]
        lines.append(f"| {name} | " + " | ".join(shown) + " |")
    lines += ["", "## Targets", "", *targets(results)]
    stage_rows = [r for r in results if "stages" in r and "error" not in r]
    if stage_rows:
        names = list(stage_rows[-1]["stages"])
        lines += [
            "",
            "Build stages (s):",
            "",
            "| N | " + " | ".join(names) + " |",
            "|---|" + "---|" * len(names),
        ]
        for r in stage_rows:
            lines.append(f"| {r['n']} | " + " | ".join(f"{r['stages'].get(s, 0):.2f}" for s in names) + " |")
    counted = [r for r in results if r.get("derivations")]
    if counted:
        rules = sorted({rule for r in counted for rule in r["derivations"]})
        lines += [
            "",
            "Derivations recorded per rule (each becomes provenance triples and rows of `derivations`):",
            "",
            "| N | " + " | ".join(rules) + " |",
            "|---|" + "---|" * len(rules),
        ]
        for r in counted:
            lines.append(
                f"| {r['n']} | " + " | ".join(f"{r['derivations'].get(rule, 0):,}" for rule in rules) + " |"
            )
    return lines


def _query(values: list | None) -> str:
    if not values:
        return "—"
    median, low, high, runs = values
    return f"{median * 1000:.2f} ms (min {low * 1000:.2f}, max {high * 1000:.2f}, n={runs})"


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--minutes", type=float, default=60.0, help="time limit of the whole run")
    parser.add_argument("--scratch", type=Path, default=None, help="where corpora and builds go (temporary)")
    parser.add_argument("--source", type=Path, default=SOURCE, help="the document folder to copy")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mskg-scale-", dir=args.scratch) as scratch:
        results = run_sizes(args.sizes, args.minutes, Path(scratch), args.source)
    lines = report(results, args.minutes, machine_load())
    path = write("scale", lines)
    print("\n".join(lines))
    return path


if __name__ == "__main__":
    main()
