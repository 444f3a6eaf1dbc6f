"""A build's progress: a bar per document stage on a terminal, plain stage lines when piped or in CI."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest

from multiscale_kg.build import build
from multiscale_kg.cli import main
from multiscale_kg.progress import Progress, wants_bar

from .test_build import SECOND_DOCUMENT, SECOND_META

STAGES = ["ingest", "rdf", "rules", "shacl", "sqlite", "networkx", "serialise"]
STAGE_LINE = re.compile(r"^(\w+)\s+[\d.]+ ms$")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(scope="module")
def two_documents(tmp_path_factory) -> Path:
    """A corpus of two small uncurated documents: quick to build, several documents to count."""
    corpus = tmp_path_factory.mktemp("two") / "corpus"
    for name in ("first", "second"):
        folder = corpus / name
        folder.mkdir(parents=True)
        folder.joinpath("document.txt").write_text(SECOND_DOCUMENT, encoding="utf-8")
        folder.joinpath("document.toml").write_text(SECOND_META, encoding="utf-8")
    return corpus


@pytest.mark.parametrize(
    ("stream", "environ", "bar"),
    [
        (Terminal(), {"TERM": "xterm-256color"}, True),
        (io.StringIO(), {"TERM": "xterm-256color"}, False),  # piped, or a file
        (Terminal(), {"TERM": "xterm-256color", "CI": "true"}, False),
        (Terminal(), {"TERM": "dumb"}, False),
    ],
)
def test_a_bar_only_for_a_person_at_a_terminal(stream, environ, bar):
    assert wants_bar(stream, environ) is bar


def test_a_terminal_of_no_width_gets_stage_lines():
    """A pseudo-terminal whose size was never set (a bar would draw nothing), then one 80 columns wide."""
    import fcntl
    import struct
    import termios

    leader, follower = os.openpty()
    with os.fdopen(follower, "w") as stream:
        assert wants_bar(stream, {"TERM": "xterm"}) is False
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        assert wants_bar(stream, {"TERM": "xterm"}) is True
    os.close(leader)


def test_a_piped_build_prints_one_line_per_stage(two_documents, tmp_path, capsys):
    assert main(["build", "--corpus", str(two_documents), "--out", str(tmp_path / "db")]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert [STAGE_LINE.match(line).group(1) for line in lines[:-1]] == STAGES
    assert lines[-1].startswith(f"built {tmp_path / 'db'}/ from 2 document(s): ")
    assert "\r" not in "".join(lines)


def test_a_build_on_a_terminal_shows_documents_rate_and_time_left(two_documents, tmp_path):
    terminal = Terminal()
    report = build(two_documents, tmp_path / "db", progress=Progress(stream=terminal, bar=True))
    shown = terminal.getvalue()
    for stage in ("ingest", "shacl"):  # the stages that go document by document
        assert re.search(rf"\r{stage}:\s+0%\|[^|]*\| 0/2 \[00:00<\?, \?doc/s\]", shown), stage
    lines = [line.split("\r")[-1] for line in shown.split("\n") if line.strip()]
    assert [STAGE_LINE.match(line).group(1) for line in lines] == STAGES
    assert [name for name, _ in report.stages] == STAGES


def test_one_document_has_no_bar(tmp_path):
    terminal = Terminal()
    progress = Progress(stream=terminal, bar=True)
    with progress.documents("ingest", 1) as done:
        done("only")
    assert STAGE_LINE.match(terminal.getvalue().strip())
    assert "\r" not in terminal.getvalue()
