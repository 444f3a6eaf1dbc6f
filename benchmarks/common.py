"""Timing helpers and the result-file header shared by the benchmarks."""

from __future__ import annotations

import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


@dataclass(frozen=True)
class Timing:
    median: float
    low: float
    high: float
    runs: int

    def ms(self) -> str:
        low, high = self.low * 1000, self.high * 1000
        return f"{self.median * 1000:.2f} ms (min {low:.2f}, max {high:.2f}, n={self.runs})"


def measure(action: Callable[[], object], runs: int = 7, warmup: int = 1, budget: float = 20.0) -> Timing:
    """Median, min and max of ``runs`` timed calls (fewer if the time budget runs out, never below 5)."""
    for _ in range(warmup):
        action()
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < runs and (len(times) < 5 or time.perf_counter() - started < budget):
        t = time.perf_counter()
        action()
        times.append(time.perf_counter() - t)
    return Timing(statistics.median(times), min(times), max(times), len(times))


def header(title: str, packages: list[str]) -> list[str]:
    versions = ", ".join(f"{name} {version(name)}" for name in packages)
    return [
        f"# {title}",
        "",
        f"Machine: {platform.machine()}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {_cores()} cores. Packages: {versions}.",
        "Absolute times are context; the ratios, measured in the same run, are what counts.",
        "",
    ]


def _cores() -> int:
    import os

    return os.cpu_count() or 1


def write(name: str, lines: list[str]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
