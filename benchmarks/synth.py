"""A synthetic corpus: N documents shaped like the article, for the scale benchmark.

Copy 0 is the source document as it is (so the named queries that name an entity, like ``ant-nest-si``, still
find it), with the corpus's ``concepts.yaml``; copy k is a folder ``<name>-s<k>`` with the same text and
metadata, whose curated ids (mechanisms, drawbacks, causes, strategies, features, claims, context facts, ...)
carry the suffix ``-s<k>`` everywhere they are named: entity ids, relation subjects and objects, measurement
strategies. Its concepts are therefore its own: each is defined in the copy's annotations (the definition of
``concepts.yaml`` written into the item), so every copy has the article's distributions of passages,
citations, Table 1 rows, prose quantities, annotations and derivations. With ``shared=True`` the copies keep
the concept ids instead: the same concepts annotated by every copy, as documents of one corpus are.

Materials keep their ids: they are parsed from the text (Table 1, abbreviations, formulas), so the same text
names the same materials, and the pipeline merges a material named by several documents into one, as it
would for a real corpus of articles about the same chemistries. A material's electrode reaction may be
stated by one document only (the reactions loader refuses a second one), so ``reactions.yaml`` stays with
copy 0.

Run: python -m benchmarks.synth N OUT [--source corpus/nano-vs-micro]
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import yaml

from multiscale_kg.ingest.annotations import ANNOTATIONS_NAME
from multiscale_kg.ingest.concepts import CONCEPTS_NAME
from multiscale_kg.ingest.documents import META_NAME, TEXT_NAME
from multiscale_kg.schema.knowledge import RELATION_KINDS, EntityKind, RelationType

SOURCE = Path(__file__).resolve().parent.parent / "corpus" / "nano-vs-micro"
MATERIALS_NAME = "materials.yaml"
REACTIONS_NAME = "reactions.yaml"
#: stands for a copy's suffix in the annotations template; replaced by "" (copy 0) or "-s0001", ...
_MARK = "__SYNTH__"


def copy_name(name: str, n: int) -> str:
    return name if n == 0 else f"{name}-s{n:04d}"


def curated_ids(annotations: dict) -> set[str]:
    """The ids the annotations define (every section whose items carry an ``id``)."""
    return {
        item["id"]
        for items in annotations.values()
        if isinstance(items, list)
        for item in items
        if isinstance(item, dict) and "id" in item
    }


def _object_is_material(relation: str) -> bool:
    kinds = RELATION_KINDS[RelationType(relation)]
    return any(object_kind == EntityKind.MATERIAL for _, object_kind in kinds)


def with_definitions(annotations: dict, concepts: dict) -> dict:
    """The annotations with each concept item's definition (from ``concepts.yaml``) written into it."""
    definitions = {
        item["id"]: item for items in concepts.values() if isinstance(items, list) for item in items
    }
    return {
        section: [{**definitions.get(item.get("id"), {}), **item} for item in items]
        if isinstance(items, list) and section in concepts
        else items
        for section, items in annotations.items()
    }


def annotations_template(annotations: dict) -> dict:
    """The annotations with every curated id (where it is named as one) followed by the suffix mark."""
    ids = curated_ids(annotations)

    def mark(value: str) -> str:
        return value + _MARK if value in ids else value

    marked: dict = {}
    for section, items in annotations.items():
        if not isinstance(items, list):
            marked[section] = items
            continue
        marked[section] = []
        for item in items:
            item = dict(item)
            if "id" in item:
                item["id"] = mark(item["id"])
            if section == "relations":
                item["subject"] = mark(item["subject"])
                if not _object_is_material(item["relation"]):
                    item["object"] = mark(item["object"])
            if section == "measurements" and "strategy" in item:
                item["strategy"] = mark(item["strategy"])
            marked[section].append(item)
    return marked


def _document_toml(text: str, n: int) -> str:
    if n == 0:
        return text
    lines = []
    for line in text.splitlines():
        if line.startswith("title = "):
            line = f'{line[:-1]} (synthetic copy {n})"'
        lines.append(line)
    return "\n".join(lines) + "\n"


def _read(path: Path) -> dict:
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}


def make_corpus(n: int, out: Path, source: Path = SOURCE, shared: bool = False) -> list[Path]:
    """Write ``n`` document folders shaped like ``source`` into ``out`` (created), and the corpus's concepts;
    return the folders. ``shared``: the copies annotate the source's concepts instead of their own."""
    out.mkdir(parents=True, exist_ok=True)
    name = source.name
    if (source.parent / CONCEPTS_NAME).exists():
        shutil.copyfile(source.parent / CONCEPTS_NAME, out / CONCEPTS_NAME)
    annotations = _read(source / ANNOTATIONS_NAME)
    template = ""
    if annotations:
        own = annotations if shared else with_definitions(annotations, _read(source.parent / CONCEPTS_NAME))
        template = yaml.safe_dump(
            own if shared else annotations_template(own), allow_unicode=True, sort_keys=False, width=10_000
        )
    meta = (source / META_NAME).read_text(encoding="utf-8")
    folders = []
    for k in range(n):
        folder = out / copy_name(name, k)
        folder.mkdir(exist_ok=True)
        suffix = copy_name("", k)  # "" or "-s0001"
        shutil.copyfile(source / TEXT_NAME, folder / TEXT_NAME)
        (folder / META_NAME).write_text(_document_toml(meta, k), encoding="utf-8")
        if k == 0 and (source / ANNOTATIONS_NAME).exists():
            shutil.copyfile(source / ANNOTATIONS_NAME, folder / ANNOTATIONS_NAME)
        elif template:
            text = template.replace(_MARK, suffix).replace(
                f"document: {name}\n", f"document: {folder.name}\n", 1
            )
            (folder / ANNOTATIONS_NAME).write_text(text, encoding="utf-8")
        if (source / MATERIALS_NAME).exists():
            shutil.copyfile(source / MATERIALS_NAME, folder / MATERIALS_NAME)
        if k == 0 and (source / REACTIONS_NAME).exists():
            shutil.copyfile(source / REACTIONS_NAME, folder / REACTIONS_NAME)
        folders.append(folder)
    return folders


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of documents")
    parser.add_argument("out", type=Path, help="corpus folder to write")
    parser.add_argument("--source", type=Path, default=SOURCE, help="the document folder to copy")
    parser.add_argument(
        "--shared", action="store_true", help="the copies annotate the source's concepts, not their own"
    )
    args = parser.parse_args(argv)
    folders = make_corpus(args.n, args.out, args.source, args.shared)
    print(f"wrote {len(folders)} document folders to {args.out}/")


if __name__ == "__main__":
    main()
