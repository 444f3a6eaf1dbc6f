"""``mskg add PATH.txt``: a paper's text becomes a corpus folder with a document.toml to fill in, the corpus
is built, and a summary says what was read; an existing name, a missing or non-UTF-8 file and a bad name are
refused with exit 2 and leave the corpus as it was.

Each test works in a temporary folder with a copy of the corpus (``corpus_copy``); the papers are the test
documents of ``fixtures/documents``, given as loose ``.txt`` files.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from multiscale_kg.cli import main
from multiscale_kg.errors import IngestError, Problem
from multiscale_kg.ingest.documents import read_document
from multiscale_kg.schema.vocab import MetadataStatus

from .conftest import TEST_DOCUMENTS

SI, GARNET = "yolk-shell-si-anode", "garnet-lfp-cathode"
#: what ``mskg add`` prints for the garnet paper, the build time left out
GOLDEN = Path(__file__).resolve().parent / "fixtures" / "mskg-add-garnet.txt"


@pytest.fixture()
def workspace(corpus_copy, monkeypatch) -> Path:
    """A folder holding ``corpus/`` and the two papers as ``<name>.txt``; the working directory."""
    folder = corpus_copy.parent
    for name in (SI, GARNET):
        shutil.copyfile(TEST_DOCUMENTS / name / "document.txt", folder / f"{name}.txt")
    monkeypatch.chdir(folder)
    return folder


def run(capsys, *argv: str) -> tuple[int, list[str], str]:
    code = main(["add", *argv])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_adding_two_papers_builds_and_summarises_what_was_read(workspace, capsys):
    (workspace / "datasette_metadata.json").write_text("{}\n", encoding="utf-8")  # a site to keep current
    code, out, _ = run(capsys, f"{SI}.txt", "--no-build")
    assert code == 0
    assert out == [
        f"added corpus/{SI}/ (document.txt, and document.toml to fill in: its fields are marked unchecked)",
        "not built: run 'mskg build --corpus corpus' when the corpus is complete",
    ]
    assert not (workspace / "db").exists()

    code, out, _ = run(capsys, f"{GARNET}.txt")
    assert code == 0
    shown = re.sub(r"in \d+\.\d s$", "in SECONDS s", "\n".join(out), flags=re.M)
    assert shown + "\n" == GOLDEN.read_text(encoding="utf-8")
    title = (workspace / f"{GARNET}.txt").read_text(encoding="utf-8").splitlines()[0]
    assert out[2] == f"{GARNET}: {title}"
    db = sqlite3.connect(workspace / "db" / "multiscale.db")
    assert [r[0] for r in db.execute("select id from documents order by id")] == [GARNET, "nano-vs-micro", SI]
    assert db.execute("select count(*) from measurements where document_id = ?", [SI]).fetchone() == (53,)
    metadata = json.loads((workspace / "datasette_metadata.json").read_text(encoding="utf-8"))
    assert metadata["source_url"] == "/-/documents"
    assert metadata["source"].count(";") == 2


def test_the_new_folder_holds_the_text_as_given_and_metadata_marked_unchecked(workspace, capsys):
    code, _, _ = run(capsys, f"{SI}.txt", "--no-build", "--slug", "si-yolk-shell")
    assert code == 0
    folder = workspace / "corpus" / "si-yolk-shell"
    assert sorted(p.name for p in folder.iterdir()) == ["document.toml", "document.txt"]
    assert (folder / "document.txt").read_bytes() == (workspace / f"{SI}.txt").read_bytes()
    toml = (folder / "document.toml").read_text(encoding="utf-8")
    fields = ("title", "journal", "article_type", "year", "volume", "pages", "doi", "authors")
    for field in (*fields, "corresponding_author"):
        line = next(line for line in toml.splitlines() if line.lstrip("# ").startswith(f"{field} ="))
        assert "# unchecked" in line, line
    document = read_document(folder).document
    assert document.title == (workspace / f"{SI}.txt").read_text(encoding="utf-8").splitlines()[0]
    assert document.metadata_status == {"title": MetadataStatus.UNCHECKED}
    assert document.id == "si-yolk-shell"


def test_an_existing_name_is_refused_and_the_folder_left_alone(workspace, capsys):
    before = (workspace / "corpus" / "nano-vs-micro" / "document.txt").read_bytes()
    shutil.copyfile(workspace / f"{SI}.txt", workspace / "nano-vs-micro.txt")
    code, out, err = run(capsys, "nano-vs-micro.txt")
    assert code == 2 and out == []
    assert err == (
        "error: corpus/nano-vs-micro: a document named 'nano-vs-micro' is already in the corpus; choose "
        "another name with --slug NAME, or remove the folder to add it again\n"
    )
    assert (workspace / "corpus" / "nano-vs-micro" / "document.txt").read_bytes() == before
    assert sorted(p.name for p in (workspace / "corpus").iterdir() if p.is_dir()) == ["nano-vs-micro"]


@pytest.mark.parametrize(
    ("argv", "write", "message"),
    [
        (["missing.txt"], None, "error: missing.txt: file not found (expected a paper's text, UTF-8)"),
        (
            ["latin1.txt"],
            b"Caf\xe9 au lait\n",
            "error: latin1.txt:1: not valid UTF-8 (byte 0xe9 at offset 3); expected UTF-8 text",
        ),
        (["empty.txt"], b" \n\n", "error: empty.txt: the document is empty; expected the article's text"),
        (
            [f"{SI}.txt", "--slug", "Bad Name"],
            None,
            "error: 'Bad Name' is not a document name: use lowercase letters, digits and single hyphens "
            "(--slug yolk-shell-si-anode)",
        ),
    ],
)
def test_bad_input_is_refused_with_exit_2(workspace, capsys, argv, write, message):
    if write is not None:
        (workspace / argv[0]).write_bytes(write)
    code, out, err = run(capsys, *argv)
    assert (code, out, err) == (2, [], message + "\n")
    assert sorted(p.name for p in (workspace / "corpus").iterdir() if p.is_dir()) == ["nano-vs-micro"]


def test_a_corpus_that_does_not_build_with_the_paper_is_left_as_it_was(workspace, capsys, monkeypatch):
    def failing_build(corpus, out, log=None):
        raise IngestError(Problem(f"corpus/{SI}/document.txt", "cannot be read"))

    monkeypatch.setattr("multiscale_kg.build.build", failing_build)
    code, out, err = run(capsys, f"{SI}.txt")
    assert code == 2
    assert [line.split(" (")[0] for line in out] == [f"added corpus/{SI}/"]
    assert err.splitlines() == [
        f"removed corpus/{SI}/: the corpus does not build with it",
        f"error: corpus/{SI}/document.txt: cannot be read",
    ]
    assert sorted(p.name for p in (workspace / "corpus").iterdir() if p.is_dir()) == ["nano-vs-micro"]
