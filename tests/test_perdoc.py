"""Per-document builds: each document's part of the build is cached by its inputs' digest and may run in
several processes; a rebuild computes only the documents that changed, and every build of the same corpus
holds the same bytes, however it was computed."""

from __future__ import annotations

import io
import shutil
import zlib
from pathlib import Path

import pytest

from multiscale_kg import build as build_module
from multiscale_kg.build import build, compare
from multiscale_kg.cli import main
from multiscale_kg.errors import IngestError
from multiscale_kg.graph.store import fill, open_store
from multiscale_kg.ingest.concepts import CONCEPTS_NAME
from multiscale_kg.ingest.pipeline import merge_documents
from multiscale_kg.perdoc.cache import DocumentCache, cache_folder, document_key
from multiscale_kg.perdoc.corpus import run_corpus

from .conftest import CORPUS, TEST_DOCUMENTS, add_article_copy, content_digests

GARNET, YOLK, YOLK_COPY = "garnet-lfp-cathode", "yolk-shell-si-anode", "yolk-shell-si-anode-copy"


def quiet(line: str) -> None:
    pass


def small_corpus(root: Path) -> Path:
    """The two test documents and a retitled copy of one of them: three small documents."""
    corpus = root / "corpus"
    for folder in sorted(TEST_DOCUMENTS.iterdir()):
        shutil.copytree(folder, corpus / folder.name)
    copy = shutil.copytree(corpus / YOLK, corpus / YOLK_COPY)
    meta = copy / "document.toml"
    meta.write_text(meta.read_text(encoding="utf-8").replace('title = "', 'title = "A copy of ', 1))
    return corpus


def change_garnet(corpus: Path) -> None:
    text = corpus / GARNET / "document.txt"
    before = text.read_text(encoding="utf-8")
    after = before.replace("garnet", "garnet-type", 1)
    assert after != before
    text.write_text(after, encoding="utf-8")


def entry(corpus: Path, out: Path, name: str) -> Path:
    return cache_folder(out) / f"{document_key(corpus / name, corpus / CONCEPTS_NAME)}.pickle"


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    """A corpus built cold, one document changed, built again into the same output; and a cold build of the
    changed corpus elsewhere, without a cache."""
    root = tmp_path_factory.mktemp("perdoc")
    corpus = small_corpus(root)
    out = root / "incremental" / "db"
    first = build(corpus, out, log=quiet)
    change_garnet(corpus)
    second = build(corpus, out, log=quiet)
    cold = root / "cold" / "db"
    build(corpus, cold, log=quiet, cache=False)
    return corpus, out, first, second, cold


def test_a_rebuild_computes_only_the_document_that_changed(rebuilt):
    _, _, first, second, _ = rebuilt
    assert (first.built, first.cached) == ([GARNET, YOLK, YOLK_COPY], [])
    assert (second.built, second.cached) == ([GARNET], [YOLK, YOLK_COPY])


def test_the_rebuild_is_byte_identical_to_a_cold_build(rebuilt):
    _, out, _, _, cold = rebuilt
    assert compare(cold, out) == []
    for name in ("multiscale.nq", "graph.json", "multiscale.db"):
        assert (out / name).read_bytes() == (cold / name).read_bytes(), name
    assert content_digests(out) == content_digests(cold)


def test_the_cache_keeps_one_entry_per_document_of_the_corpus_and_lies_beside_the_output(rebuilt):
    corpus, out, *_ = rebuilt
    assert cache_folder(out) == out.parent / ".db-cache"
    assert sorted(p.name for p in cache_folder(out).iterdir()) == sorted(
        entry(corpus, out, name).name for name in (GARNET, YOLK, YOLK_COPY)
    )


def test_two_processes_build_the_same_bytes_as_one(rebuilt, tmp_path, capsys):
    corpus, *_, cold = rebuilt
    out = tmp_path / "db"
    assert main(["build", "--corpus", str(corpus), "--out", str(out), "--jobs", "2"]) == 0
    assert capsys.readouterr().err.splitlines()[-1].endswith(" s (3 document(s) read, 0 from the cache)")
    assert main(["build", "--corpus", str(corpus), "--out", str(out), "--jobs", "2"]) == 0
    assert capsys.readouterr().err.splitlines()[-1].endswith(" s (0 document(s) read, 3 from the cache)")
    assert compare(cold, out) == []
    assert content_digests(out) == content_digests(cold)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: data[:-100] + bytes(100),  # its payload overwritten
        lambda data: b"not an entry",
        lambda data: b"",
    ],
    ids=["truncated", "overwritten", "foreign", "empty"],
)
def test_a_damaged_cache_entry_is_rebuilt_not_trusted(rebuilt, tmp_path, damage):
    corpus, _, _, _, cold = rebuilt
    out = tmp_path / "db"
    build(corpus, out, log=quiet)
    damaged = entry(corpus, out, YOLK)
    damaged.write_bytes(damage(damaged.read_bytes()))
    report = build(corpus, out, log=quiet)
    assert (report.built, report.cached) == ([YOLK], [GARNET, YOLK_COPY])
    assert content_digests(out) == content_digests(cold)
    assert DocumentCache(cache_folder(out)).get(damaged.stem) is not None  # stored again, whole


def test_a_document_key_covers_its_folder_and_the_shared_concepts(tmp_path):
    corpus = small_corpus(tmp_path)
    concepts = corpus / CONCEPTS_NAME
    before = {name: document_key(corpus / name, concepts) for name in (GARNET, YOLK, YOLK_COPY)}
    assert len(set(before.values())) == 3
    change_garnet(corpus)
    (corpus / YOLK / "materials.yaml").write_text("materials: []\n", encoding="utf-8")
    after = {name: document_key(corpus / name, concepts) for name in (GARNET, YOLK, YOLK_COPY)}
    assert [name for name in before if before[name] != after[name]] == [GARNET, YOLK]
    concepts.write_text("# the corpus's concepts\n", encoding="utf-8")
    assert all(document_key(corpus / name, concepts) != after[name] for name in after)


def test_every_documents_problems_are_reported_together_from_the_workers(tmp_path):
    corpus = small_corpus(tmp_path)
    (corpus / GARNET / "document.txt").write_bytes(b"\xff not utf-8")
    (corpus / YOLK_COPY / "document.toml").unlink()
    with pytest.raises(IngestError) as raised:
        build(corpus, tmp_path / "db", log=quiet, jobs=2)
    assert [(Path(p.file).parent.name, Path(p.file).name) for p in raised.value.problems] == [
        (GARNET, "document.txt"),
        (YOLK_COPY, "document.toml"),
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus"]  # no cache, no lock: nothing beside


def test_a_build_that_fails_after_reading_the_documents_leaves_the_cache_as_it_was(tmp_path, monkeypatch):
    corpus = small_corpus(tmp_path)
    out = tmp_path / "out" / "db"
    build(corpus, out, log=quiet)
    before = {p.name: p.read_bytes() for p in cache_folder(out).iterdir()}
    change_garnet(corpus)

    def failing_stage(*args, **kwargs):
        raise RuntimeError("a stage after the documents were read fails")

    monkeypatch.setattr(build_module, "write_outputs", failing_stage)
    with pytest.raises(RuntimeError):
        build(corpus, out, log=quiet)
    assert {p.name: p.read_bytes() for p in cache_folder(out).iterdir()} == before
    fresh = tmp_path / "fresh" / "db"
    with pytest.raises(RuntimeError):
        build(corpus, fresh, log=quiet)
    assert not cache_folder(fresh).exists()  # the folder it made for its cache: removed


def test_the_documents_shares_as_n_quads_and_the_corpus_parts_are_the_whole_asserted_graph(tmp_path):
    """The article, a copy annotating the same concepts and an uncurated paper: concepts, materials and facts
    are merged across documents, and each document's own items are loaded as its N-Quads."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    add_article_copy(corpus, "nano-vs-micro-copy")
    shutil.copytree(TEST_DOCUMENTS / GARNET, corpus / GARNET)
    run = run_corpus(corpus, DocumentCache(None))
    parts = [document.parts for document in run.documents]
    kb = merge_documents(corpus, run.vocabulary, parts)
    texts = {part.source.document.id: part.source.text for part in parts}
    whole, shared = open_store(), open_store()
    fill(whole, kb, texts)
    fill(shared, kb, texts, documents=[document.take_nquads() for document in run.documents])
    assert [document.nquads for document in run.documents] == [b""] * 3  # let go of once loaded
    assert len(shared) == len(whole)
    assert sorted(map(str, shared)) == sorted(map(str, whole))


def test_the_documents_compressed_shares_are_read_back_whole_a_piece_at_a_time():
    """A build holds each document's N-Quads compressed and inflates them a megabyte at a time as the store
    reads them: an empty share, one of several pieces and a small one read back as their concatenation."""
    from multiscale_kg.graph.store import _PIECE, _Chunks

    shares = [b"", b"<a> <b> <c> <g> .\n" * (_PIECE // 6), bytes(range(256)) * 1000]
    chunks = [zlib.compress(share, level=1) for share in shares]
    stream = io.BufferedReader(_Chunks(chunks), buffer_size=1 << 16)
    assert stream.read() == b"".join(shares)
    assert chunks == []  # let go of: the stream holds them
