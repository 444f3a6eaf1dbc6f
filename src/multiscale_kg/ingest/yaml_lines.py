"""Curated YAML files (annotations, materials, reactions) read as node trees that keep their line numbers,
so that every problem a loader finds names the line of the item or key it is about."""

from __future__ import annotations

from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

from ..errors import IngestError, Problem, display_path


def compose(text: str) -> Node | None:
    """The YAML node tree of ``text``, parsed by libyaml when present.

    A file that libyaml refuses is parsed again by PyYAML's own parser, whose messages say what it found.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.compose(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def syntax_problem(error: yaml.YAMLError) -> tuple[str, int | None]:
    """What a PyYAML error says, with the construct it was reading and the line that construct opened on,
    and the 1-based line where the parser stopped."""
    mark = getattr(error, "problem_mark", None)
    message = getattr(error, "problem", None) or str(error)
    context, opened = getattr(error, "context", None), getattr(error, "context_mark", None)
    if context and opened is not None:
        message += f" ({context} opened at line {opened.line + 1})"
    return message, mark.line + 1 if mark is not None else None


def read(path: Path) -> Node | None:
    """The node tree of a curated file; IngestError with the file and line when it cannot be read."""
    try:
        return compose(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise IngestError(Problem(display_path(path), f"cannot read the file: {error.strerror}")) from None
    except yaml.YAMLError as error:
        message, line = syntax_problem(error)
        raise IngestError(Problem(display_path(path), f"YAML syntax error: {message}", line)) from None


def line(node: Node) -> int:
    """The 1-based line a node starts on."""
    return node.start_mark.line + 1


def entries(node: MappingNode) -> dict[str, Node]:
    """A mapping's values by key (the first of a repeated key; ``duplicate_keys`` reports the others)."""
    found: dict[str, Node] = {}
    for key, value in node.value:
        found.setdefault(str(key.value), value)
    return found


def scalars(node: MappingNode) -> dict[str, tuple[str, int]]:
    """A mapping's scalar values by key, each with the line it is written on."""
    return {
        key: (str(value.value), line(value))
        for key, value in entries(node).items()
        if isinstance(value, ScalarNode)
    }


def key_lines(node: MappingNode) -> tuple[dict[str, int], list[tuple[str, int, int]]]:
    """Each key's line, and the repeated keys as (key, line, line of its first occurrence)."""
    lines: dict[str, int] = {}
    repeated = []
    for key, _ in node.value:
        name = str(key.value)
        if name in lines:
            repeated.append((name, line(key), lines[name]))
        lines.setdefault(name, line(key))
    return lines, repeated
