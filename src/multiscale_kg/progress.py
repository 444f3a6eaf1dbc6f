"""How a build reports its progress: a bar per document stage on a terminal, plain stage lines otherwise.

Every stage ends with one line, ``<stage> <milliseconds> ms`` (the benchmarks read these). A stage that
goes document by document (reading the corpus, validating it) also shows a bar on a terminal: documents
done of all, the rate and the time left (tqdm). When the output is not a terminal (piped, a file) or runs
in CI (``CI`` set), or ``TERM`` is ``dumb``, there is no bar: only the stage lines, which a log keeps
readable.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

#: a bar is shown only for stages of at least this many documents (one document is over at once)
MIN_DOCUMENTS = 2


def wants_bar(stream: TextIO, environ: dict[str, str] | None = None) -> bool:
    """Is ``stream`` a terminal a person watches (not CI, not a dumb terminal, not one of no width)?"""
    environ = os.environ if environ is None else environ
    if environ.get("CI") or environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and _columns(stream) != 0


def _columns(stream: TextIO) -> int | None:
    """The terminal's width; 0 for a terminal whose size was never set (a bar would draw nothing there),
    None when the stream has no file descriptor to ask."""
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return None


class Progress:
    """Stage lines through ``log``; document bars on ``stream`` when ``bar`` (by default: when it is a
    terminal a person watches, ``wants_bar``)."""

    def __init__(
        self, log: Callable[[str], None] | None = None, stream: TextIO | None = None, bar: bool | None = None
    ):
        self.stream = stream if stream is not None else sys.stderr
        self.log = log if log is not None else self._line
        self.bar = wants_bar(self.stream) if bar is None else bar
        self.stages: list[tuple[str, float]] = []

    def _line(self, line: str) -> None:
        print(line, file=self.stream, flush=True)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        seconds = time.perf_counter() - started
        self.stages.append((name, seconds))
        self.log(f"{name:<10} {seconds * 1000:8.1f} ms")

    @contextmanager
    def documents(self, name: str, total: int) -> Iterator[Callable[[str], None]]:
        """A stage done document by document: the callable it yields is called once per document done."""
        if not self.bar or total < MIN_DOCUMENTS:
            with self.stage(name):
                yield lambda document: None
            return
        from tqdm import tqdm

        with (
            self.stage(name),
            tqdm(
                total=total, desc=name, unit="doc", file=self.stream, leave=False, dynamic_ncols=True
            ) as bar,
        ):
            yield lambda document: bar.update(1)
