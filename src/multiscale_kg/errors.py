"""Errors are values until the edge: parsers collect problems, the CLI reports them all and exits 2."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input: where it is and what was expected."""

    file: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.message}"


class IngestError(Exception):
    """Bad input. Carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def line_of(text: str, offset: int) -> int:
    """1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1


def display_path(path: Path) -> str:
    """A path as a user would type it: relative to the working directory when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class UsageError(Exception):
    """A command used wrongly (a missing database, a malformed query): exit 2 with the message."""


class UnknownIdError(UsageError, KeyError):
    """An id or node key that the build does not have; the message says which ones it has.

    A KeyError too, so ``except KeyError`` around a lookup keeps working; the CLI reports it as bad usage."""

    def __str__(self) -> str:  # KeyError would show the message quoted
        return str(self.args[0]) if self.args else ""


class ReadOnlyError(UsageError):
    """A write to a build: builds are read-only, their data changes through the corpus and a rebuild."""

    def __init__(self, database: str, refused: str):
        super().__init__(
            f"{database} is read-only ({refused}): a build is never changed in place; to change its data, "
            "edit the corpus (corpus/<document>/annotations.yaml, materials.yaml, ...) and run 'mskg build'"
        )
