"""The build, whole-process, against its import floor; per stage; and which commands import what eagerly.

- whole process: ``python -m multiscale_kg.cli build`` of a corpus, wall time and peak RSS;
- import floor: ``python -c "import <the third-party packages a build has loaded when it ends>"``, found by
  running a build and reading ``sys.modules`` (so the floor follows the code, nothing is listed by hand);
- per stage: the stage times a build logs (ingest, rdf, rules, shacl, sqlite, networkx, serialise), and the
  rest of the wall time (interpreter start and imports);
- lazy imports: for ``import multiscale_kg.cli``, ``mskg --help`` and a build, whether pandas, pyshacl and
  datasette are imported, and by which module (``python -X importtime``).

Run: python -m benchmarks.build [--corpus corpus]  → benchmarks/results/build.md
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .common import Timing, header, write

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
#: imports only some commands need: they should not be paid by the others
LAZY = ("pandas", "pyshacl", "datasette")
_STAGE = re.compile(r"^(\w+)\s+([\d.]+) ms$")


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss: int  # bytes
    returncode: int
    stdout: str
    stderr: str


def run_process(
    command: list[str],
    timeout: float = 3600.0,
    cwd: Path | None = None,
    memory_cap: int | None = None,
    env: dict[str, str] | None = None,
) -> Run:
    """Run ``command`` to its end (killed at ``timeout`` s); wall time and the peak RSS of that process
    (``wait4``'s rusage). ``memory_cap`` bytes of address space, if given, bound the process."""

    def cap() -> None:
        if memory_cap:
            resource.setrlimit(resource.RLIMIT_AS, (memory_cap, memory_cap))

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=cwd, env=env, preexec_fn=cap
        )
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > timeout:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.002)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: tell Popen
        out.seek(0)
        err.seek(0)
        return Run(
            seconds,
            usage.ru_maxrss * 1024,
            process.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )


def timing(values: list[float]) -> Timing:
    return Timing(statistics.median(values), min(values), max(values), len(values))


def seconds(t: Timing) -> str:
    return f"{t.median:.2f} s (min {t.low:.2f}, max {t.high:.2f}, n={t.runs})"


def build_command(corpus: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "multiscale_kg.cli", "build", "--corpus", str(corpus), "--out", str(out)]


_LIST_IMPORTS = """
import importlib.util, json, sys
from pathlib import Path
from multiscale_kg.build import build
build(Path(sys.argv[1]), Path(sys.argv[2]), log=lambda line: None)
own = {"multiscale_kg", "benchmarks", "__main__"}
names = {m.split(".")[0] for m in list(sys.modules)}
def importable(name):  # a package on the path, not a module an extension registers (cython_runtime)
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False
third_party = names - set(sys.stdlib_module_names) - own
print(json.dumps(sorted(n for n in third_party if not n.startswith("_") and importable(n))))
"""


def runtime_imports(corpus: Path, scratch: Path) -> list[str]:
    """The third-party top-level packages a build has imported by the time it ends."""
    run = run_process([sys.executable, "-c", _LIST_IMPORTS, str(corpus), str(scratch / "imports-db")])
    if run.returncode:
        raise RuntimeError(f"the build failed:\n{run.stderr[-2000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def floor_command(imports: list[str]) -> list[str]:
    return [sys.executable, "-c", "import " + ", ".join(imports)]


def stages(stderr: str) -> dict[str, float]:
    found = {}
    for line in stderr.splitlines():
        match = _STAGE.match(line.strip())
        if match:
            found[match.group(1)] = float(match.group(2)) / 1000
    return found


# ---- who imports what ------------------------------------------------------------------------------------


def importers(importtime: str, module: str) -> list[str] | None:
    """The chain of modules that first imported ``module`` (outermost first), from ``-X importtime``
    output; None when it was not imported. (A package loaded with ``importlib.import_module`` has no line
    of its own, only its submodules: the first of them stands for it.)"""
    rows = []
    for line in importtime.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        name_part = line.rsplit("|", 1)[1]
        depth = (len(name_part) - len(name_part.lstrip(" "))) // 2
        rows.append((depth, name_part.strip()))
    for index, (depth, name) in enumerate(rows):
        if name == module or name.startswith(module + "."):
            chain, want = [], depth - 1
            for later_depth, later in rows[index + 1 :]:  # a parent is listed after its children
                if later_depth == want:
                    chain.append(later)
                    want -= 1
                    if want < 0:
                        break
            own = [m for m in chain if m != module and not m.startswith(module + ".")]
            return list(reversed(own))
    return None


def check_imports(corpus: Path, scratch: Path) -> list[tuple[str, str, list[str] | None]]:
    """(command, module, chain of importers or None) for each command and each module of LAZY."""
    commands = {
        "import multiscale_kg.cli": [sys.executable, "-X", "importtime", "-c", "import multiscale_kg.cli"],
        "mskg --help": [sys.executable, "-X", "importtime", "-m", "multiscale_kg.cli", "--help"],
        "mskg build": [sys.executable, "-X", "importtime", *build_command(corpus, scratch / "lazy-db")[1:]],
    }
    found = []
    for name, command in commands.items():
        run = run_process(command)
        for module in LAZY:
            found.append((name, module, importers(run.stderr, module)))
    return found


# ---- profiles of what misses a target ---------------------------------------------------------------------


def profile_excerpt(action, title: str, top: int = 15) -> list[str]:
    """The functions where ``action`` spends its time (pyinstrument, self time, the ``top`` first), as lines
    of a Markdown section; a note instead when pyinstrument is not installed (the ``bench`` extra)."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        return ["", f"{title}: no profile (pyinstrument is not installed: pip install -e '.[bench]')."]
    profiler = Profiler(interval=0.0005)
    profiler.start()
    try:
        action()
    finally:
        profiler.stop()
    text = profiler.output_text(flat=True, time="percent_of_total", flat_time="self", unicode=True)
    # the profiler's own frame (where it was started) is not the code under test
    rows = [line.rstrip() for line in text.splitlines() if "%" in line and "benchmarks/" not in line][:top]
    return ["", f"{title} (pyinstrument, share of self time):", "", "```", *rows, "```"]


def build_profile(corpus: Path) -> list[str]:
    """Where an in-process build of ``corpus`` spends its time (its stages; imports are done already)."""
    from multiscale_kg.build import build as run_build

    with tempfile.TemporaryDirectory(prefix="mskg-bench-profile-") as folder:
        out = Path(folder) / "db"
        run_build(corpus, out, log=lambda line: None)  # warm: rule files parsed, caches filled
        return profile_excerpt(lambda: run_build(corpus, out, log=lambda line: None), "Profile of one build")


# ---- the benchmark ---------------------------------------------------------------------------------------


def measure_build(
    corpus: Path, runs: int = 5, import_checks: bool = True, profile_missed: bool = True
) -> dict:
    """Whole-process builds and import floors, alternated so both see the same machine load."""
    with tempfile.TemporaryDirectory(prefix="mskg-bench-build-") as folder:
        scratch = Path(folder)
        imports = runtime_imports(corpus, scratch)
        builds, floors, rss, per_stage = [], [], [], {}
        run_process(floor_command(imports))  # warm the file cache once
        for _ in range(runs):
            floor = run_process(floor_command(imports))
            if floor.returncode:
                raise RuntimeError(f"the import floor failed:\n{floor.stderr[-2000:]}")
            floors.append(floor.seconds)
            built = run_process(build_command(corpus, scratch / "db"))
            if built.returncode:
                raise RuntimeError(f"the build failed:\n{built.stderr[-2000:]}")
            builds.append(built.seconds)
            rss.append(built.peak_rss)
            logged = stages(built.stderr)
            logged["start and imports"] = built.seconds - sum(logged.values())
            for stage, value in logged.items():
                per_stage.setdefault(stage, []).append(value)
        checks = check_imports(corpus, scratch) if import_checks else []
    ratio = statistics.median(builds) / statistics.median(floors)
    profile = build_profile(corpus) if profile_missed and ratio > 2 else []
    return {
        "imports": imports,
        "build": timing(builds),
        "floor": timing(floors),
        "rss": statistics.median(rss),
        "stages": {stage: timing(values) for stage, values in per_stage.items()},
        "checks": checks,
        "profile": profile,
    }


def report(corpus: Path, result: dict, load: str) -> list[str]:
    build, floor = result["build"], result["floor"]
    ratio = build.median / floor.median
    lines = header("Build: whole process against the import floor", ["rdflib", "pyoxigraph", "pyshacl"])
    lines += [
        f"Corpus: {corpus.name}/. {load}",
        "",
        "| measure | time | ratio to the floor | target |",
        "|---|---|---|---|",
        f"| import floor | {seconds(floor)} | 1.0x | |",
        f"| whole-process `mskg build` | {seconds(build)} | {ratio:.1f}x | <= 2x |",
        "",
        f"Peak RSS of a build: {result['rss'] / 2**20:.0f} MiB.",
        "",
        "The floor imports what a build has loaded when it ends (third-party packages, from `sys.modules`):",
        "`" + ", ".join(result["imports"]) + "`.",
        "",
        "| stage | time | share of the build |",
        "|---|---|---|",
    ]
    for stage, t in result["stages"].items():
        lines.append(
            f"| {stage} | {t.median * 1000:.0f} ms (min {t.low * 1000:.0f}, max {t.high * 1000:.0f}) "
            f"| {t.median / build.median:.0%} |"
        )
    lines += [
        "",
        "## Targets",
        "",
        "| target | measured | verdict |",
        "|---|---|---|",
        f"| build <= 2x the import floor | {ratio:.1f}x | {'met' if ratio <= 2 else '**missed**'} |",
    ]
    lines += result["profile"]
    if not result["checks"]:
        return lines
    lines += [
        "",
        "Imports only some commands need (`python -X importtime`):",
        "",
        "| command | module | imported by |",
        "|---|---|---|",
    ]
    for command, module, chain in result["checks"]:
        lines.append(f"| {command} | {module} | {_shown(chain, module)} |")
    return lines


def _shown(chain: list[str] | None, module: str) -> str:
    if chain is None:
        return "not imported"
    if not chain:
        return "imported inside a function, when needed (lazy)"
    ours = [n for n, name in enumerate(chain) if name.startswith("multiscale_kg")]
    chain = chain[ours[-1] :] if ours else chain  # from our last module on: who pulls it in
    return "eagerly: " + " → ".join([*chain, module])


def machine_load() -> str:
    one, five, _ = os.getloadavg()
    return f"Load average at the end: {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores."


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    result = measure_build(args.corpus, args.runs)
    lines = report(args.corpus, result, machine_load())
    path = write("build", lines)
    print("\n".join(lines))
    return path


if __name__ == "__main__":
    main()
