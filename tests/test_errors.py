"""The catalogue of bad inputs: each breaks a copy of the corpus one way, and ``mskg build`` must exit 2 with
exactly these messages (file, line or quote, and what was expected) and leave the previous ``db/`` as it was,
byte for byte.

docs/errors.md shows this catalogue; a test checks it is up to date. To regenerate it after a change here:

    python tests/test_errors.py --write
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DOCS = ROOT / "docs" / "errors.md"
FOLDER = "corpus/nano-vs-micro"
TEXT, META, ANNOTATIONS = (
    f"{FOLDER}/{name}" for name in ("document.txt", "document.toml", "annotations.yaml")
)
CONCEPTS = "corpus/concepts.yaml"
COLUMNS = (
    "Gravimetric capacity, Volumetric capacity, Cyclic stability, C-rate, First cycle Coulombic efficiency"
)
BEGIN = "<!-- catalogue: generated from tests/test_errors.py by `python tests/test_errors.py --write` -->"
END = "<!-- end of catalogue -->"


@dataclass(frozen=True)
class Case:
    id: str
    title: str  # the bad input, in a few words
    change: str  # what was changed, for docs/errors.md
    breakage: Callable[[Path], None]  # breaks the working folder (holding corpus/ and rules/)
    errors: str  # exactly what `mskg build` prints on stderr
    rules: bool = False  # the case adds a rule file (rules/ stands in for the package's rules)


# ---- ways to break a corpus --------------------------------------------------------------------------------


def at(snippet: str) -> int:
    """The line of the shipped annotations.yaml that ``snippet`` starts on: a message names the line of the
    broken item, which moves whenever curators edit the file above it."""
    text = (ROOT / ANNOTATIONS).read_text(encoding="utf-8")
    assert text.count(snippet) == 1, snippet
    return text.count("\n", 0, text.index(snippet)) + 1


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit_text(root: Path, old: str, new: str) -> None:
    """Change document.txt and record its new sha256 in document.toml, as a curator fixing the text would."""
    text = root / TEXT
    replace_once(text, old, new)
    meta = root / META
    digest = hashlib.sha256(text.read_bytes()).hexdigest()
    meta.write_text(
        re.sub(r'sha256 = "[0-9a-f]+"', f'sha256 = "{digest}"', meta.read_text(encoding="utf-8")),
        encoding="utf-8",
    )


def edit(path: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda root: replace_once(root / path, old, new)


def latin1_micro(root: Path) -> None:
    path = root / TEXT
    raw = path.read_bytes()
    old = "(≥1 µm) particles.".encode()
    assert raw.count(old) == 1
    path.write_bytes(raw.replace(old, old.replace("µ".encode(), b"\xb5")))


def add_rule(name: str, text: str) -> Callable[[Path], None]:
    return lambda root: (root / "rules" / name).write_text(text, encoding="utf-8")


LCO_NANO = "Cathode LCO112 300 nm 203 ≤690 93% (50 cycles) 49.7% (7C) 86\n"
LCO_MICRO = "1 µm 194 776–1,363a 63% (50 cycles) 10% (7C) 94\n"
FIRST_MECHANISM = "  - id: solid-state-diffusion-time\n"
SECOND_MECHANISM = "  - id: antisite-channel-blocking\n"
VOID_SPACE = (
    "{subject: nano-poor-volumetric-density, relation: causedBy, object: void-space-between-particles,"
)
POROSITY_QUOTE = (
    '"Porosity can be engineered not only at the particle level, but also at the electrode level"'
)
FRACTURE_CAUSE = "{subject: micro-fracture, relation: causedBy, object: volume-change-stress,"
EXAMPLES = "  # --- examples of each family\n"
DUPLICATE_MECHANISM = """\
  - id: solid-state-diffusion-time
    quote: "double-edged sword"

"""
NOT_A_SLUG = """\
  - id: "Ant Nest/Si#1"
    label: An id that is not a slug
    domain: kinetics
    favours: nano
    quote: "double-edged sword"

"""
UNQUOTED_FEATURE = """\
  - id: thin-film-coating
    label: Thin film coating (no document discusses it)

"""
FAMILY_LOOP = """\
  - {subject: engineered-nanoporosity, relation: exampleOf, object: electrode-level-porosity,
     quote: "double-edged sword"}
  - {subject: electrode-level-porosity, relation: exampleOf, object: engineered-nanoporosity,
     quote: "double-edged sword"}
"""
BROKEN_RULE = """\
# A rule whose WHERE clause is never closed.
PREFIX mskg: <https://w3id.org/multiscale-kg/ontology#>
CONSTRUCT { ?strategy mskg:addresses ?drawback }
WHERE { ?strategy mskg:hasFeature ?feature .
"""
ENDLESS_RULE = """\
# Every strategy, and every resource this rule makes, has a successor: a new resource each round.
PREFIX mskg: <https://w3id.org/multiscale-kg/ontology#>
CONSTRUCT { ?next mskg:successorOf ?node }
WHERE {
  { ?node a mskg:Strategy } UNION { ?node mskg:successorOf ?before }
  BIND(IRI(CONCAT(STR(?node), "-next")) AS ?next)
}
"""


CATALOGUE = [
    # ---- the corpus and its documents
    Case(
        "missing-corpus",
        "Missing corpus folder",
        "The folder given as `--corpus` does not exist.",
        lambda root: shutil.rmtree(root / "corpus"),
        "error: corpus: corpus folder not found (expected a folder of document folders, each with "
        "document.txt and document.toml)\n",
    ),
    Case(
        "folder-not-a-slug",
        "Document folder whose name is not a slug",
        "The folder `corpus/nano-vs-micro` renamed `corpus/Nano vs Micro`.",
        lambda root: (root / FOLDER).rename(root / "corpus" / "Nano vs Micro"),
        "error: corpus/Nano vs Micro: the folder's name is the document's id: expected a slug of lowercase "
        "letters, digits and single hyphens (e.g. 'nano-vs-micro'), not 'Nano vs Micro'\n",
    ),
    Case(
        "not-utf8",
        "document.txt not UTF-8",
        "The µ of “(≥1 µm)” on line 108 saved as the Latin-1 byte 0xb5.",
        latin1_micro,
        f"error: {TEXT}:108: not valid UTF-8 (byte 0xb5 at offset 4000); expected UTF-8 text\n",
    ),
    Case(
        "empty-document",
        "Empty document",
        "document.txt holds only whitespace.",
        lambda root: (root / TEXT).write_text("\n \n", encoding="utf-8"),
        f"error: {TEXT}: the document is empty; expected the article's text\n",
    ),
    Case(
        "missing-toml",
        "document.toml missing",
        "The document folder has no document.toml.",
        lambda root: (root / META).unlink(),
        f"error: {META}: file not found (expected the document's bibliographic metadata)\n",
    ),
    Case(
        "toml-wrong-type",
        "document.toml field of the wrong type",
        '`year = 2022` becomes `year = "twenty"`.',
        edit(META, "year = 2022", 'year = "twenty"'),
        f"error: {META}:8: field 'year': Input should be a valid integer, unable to parse string as an "
        "integer\n",
    ),
    Case(
        "sha256-mismatch",
        "sha256 in document.toml not matching the text",
        "“(≥1 µm)” on line 108 becomes “(≥2 µm)”; document.toml keeps the old sha256.",
        edit(TEXT, "(≥1 µm) particles.", "(≥2 µm) particles."),
        f"error: {META}:20: sha256 63f4e7af1c898f8822ee10411ddb7af90d3d89a306b079d96f75e093c9edd2ff does "
        "not match document.txt (its sha256 is "
        "982d7cb2033703d10203c4ad659136cf0df9ec4a4915eab02f2ffa1abd3badf7); the text changed or the hash is "
        "wrong\n",
    ),
    # ---- Table 1 (document.txt edited, its sha256 updated)
    Case(
        "table-missing-column",
        "Table 1 row with a missing column",
        "LCO's nano row loses its last cell (“86”).",
        lambda root: edit_text(root, LCO_NANO, LCO_NANO.replace(" 86\n", "\n")),
        f"error: {TEXT}:455: Table 1: row has 4 value cells after the particle size, expected 5 ({COLUMNS}): "
        "a column is missing\n",
    ),
    Case(
        "table-extra-column",
        "Table 1 row with an extra column",
        "LCO's micro row gains a sixth cell (“95”).",
        lambda root: edit_text(root, LCO_MICRO, LCO_MICRO.replace(" 94\n", " 94 95\n")),
        f"error: {TEXT}:457: Table 1: row has 6 value cells after the particle size, expected 5 ({COLUMNS}): "
        "extra cell '95'\n",
    ),
    Case(
        "table-non-numeric",
        "Table 1 value that is not a number",
        "LCO's nano gravimetric capacity “203” printed with a letter O: “2O3”.",
        lambda root: edit_text(root, LCO_NANO, LCO_NANO.replace(" 203 ", " 2O3 ")),
        f"error: {TEXT}:455: Table 1, column 'Gravimetric capacity': cannot read '2O3' (expected a number, "
        "a range such as '776–1,363', a bound such as '≤690', or '–' for no value)\n",
    ),
    Case(
        "table-reversed-range",
        "Table 1 range printed backwards",
        "FeF3's nano particle size “30–50 nm” becomes “30–10 nm”.",
        lambda root: edit_text(root, "FeF3 (ref.119) 30–50 nm", "FeF3 (ref.119) 30–10 nm"),
        f"error: {TEXT}:471: Table 1, particle size '30–10 nm': range '30–10' is reversed (expected the "
        "smaller number first)\n",
    ),
    Case(
        "table-unknown-unit",
        "Table 1 unit that does not exist",
        "LCO's nano particle size “300 nm” becomes “300 xm”.",
        lambda root: edit_text(root, LCO_NANO, LCO_NANO.replace("300 nm", "300 xm")),
        f"error: {TEXT}:455: Table 1, particle size '300 xm': unknown unit symbol 'xm' (expected a length "
        "unit such as 'nm' or 'µm')\n",
    ),
    # ---- annotations.yaml
    Case(
        "annotations-yaml-syntax",
        "annotations.yaml syntax error",
        "`document: nano-vs-micro` (line 23) becomes `document: [nano-vs-micro`: a list never closed.",
        edit(ANNOTATIONS, "document: nano-vs-micro", "document: [nano-vs-micro"),
        f"error: {ANNOTATIONS}:28: YAML syntax error: expected ',' or ']', but got '?' (while parsing a flow "
        "sequence opened at line 23)\n",
    ),
    Case(
        "unknown-id",
        "Reference to an unknown id",
        "A causedBy relation names the cause `void-space` instead of `void-space-between-particles`.",
        edit(
            ANNOTATIONS,
            "relation: causedBy, object: void-space-between-particles,\n"
            '     quote: "This void space has no impact',
            'relation: causedBy, object: void-space,\n     quote: "This void space has no impact',
        ),
        f"error: {ANNOTATIONS}:760: relation 'nano-poor-volumetric-density causedBy void-space': unknown "
        "object id 'void-space' (expected the id of a cause; did you mean 'void-space-between-particles'?)\n",
    ),
    Case(
        "duplicate-id",
        "Duplicate id",
        "A second mechanism with the id of the first, `solid-state-diffusion-time`.",
        edit(ANNOTATIONS, SECOND_MECHANISM, DUPLICATE_MECHANISM + SECOND_MECHANISM),
        f"error: {ANNOTATIONS}:35: duplicate id 'solid-state-diffusion-time' (first defined at line 29)\n",
    ),
    Case(
        "conflicting-definition",
        "A concept defined two different ways",
        "The article's item for `micro-fracture` says `scale: nano`; corpus/concepts.yaml defines it with "
        "`scale: micro`.",
        edit(ANNOTATIONS, "  - id: micro-fracture\n", "  - id: micro-fracture\n    scale: nano\n"),
        f"error: {ANNOTATIONS}:190: drawback 'micro-fracture' is defined differently in {CONCEPTS}:185: "
        "scale is 'micro' there and 'nano' here (remove 'scale' here, or make the two agree)\n",
    ),
    Case(
        "unknown-concept",
        "A document quotes a concept the corpus does not define",
        "The article's item for `micro-fracture` names `micro-fractures`.",
        edit(ANNOTATIONS, "  - id: micro-fracture\n", "  - id: micro-fractures\n"),
        f"error: {ANNOTATIONS}:189: drawback 'micro-fractures': unknown drawback: did you mean "
        f"'micro-fracture'? define it in {CONCEPTS} (id, label, ...), or give its label and keys here when "
        "only this document discusses it\n",
    ),
    Case(
        "unquoted-concept",
        "A concept no document quotes",
        "A feature added to corpus/concepts.yaml that no annotations.yaml quotes.",
        edit(CONCEPTS, "  - id: pedot-coating\n", UNQUOTED_FEATURE + "  - id: pedot-coating\n"),
        f"error: {CONCEPTS}:433: feature 'thin-film-coating' is quoted by no document: a concept's evidence "
        "is the quotes of the documents that discuss it; quote it in a document's annotations.yaml, or "
        "remove it\n",
    ),
    Case(
        "id-not-a-slug",
        "Id that is not a slug",
        "A mechanism with the id `Ant Nest/Si#1`: capitals, a space, a slash and a hash.",
        edit(ANNOTATIONS, SECOND_MECHANISM, NOT_A_SLUG + SECOND_MECHANISM),
        f"error: {ANNOTATIONS}:35: mechanisms item 'Ant Nest/Si#1': key 'id': 'Ant Nest/Si#1' is not a valid "
        "id: expected a slug of lowercase letters, digits and single hyphens, e.g. 'ant-nest-si'\n",
    ),
    Case(
        "quote-not-found",
        "Quote not found in the text",
        "A strategy's quote reworded: “Porosity can be engineered only at the particle level”.",
        edit(
            ANNOTATIONS,
            '"Porosity can be engineered not only at the particle level, but also at the electrode level"',
            '"Porosity can be engineered only at the particle level"',
        ),
        f"error: {ANNOTATIONS}:355: strategy 'electrode-level-porosity': quote not found in the text: "
        '"Porosity can be engineered only at the particle level"\n',
    ),
    Case(
        "ambiguous-quote",
        "Ambiguous quote",
        "A strategy's quote cut down to “reduced memory effect”, which the article prints three times.",
        edit(
            ANNOTATIONS,
            '"Porosity can be engineered not only at the particle level, but also at the electrode level"',
            '"reduced memory effect"',
        ),
        f"error: {ANNOTATIONS}:355: strategy 'electrode-level-porosity': quote occurs 3 times (in "
        'nano-vs-micro-p009, nano-vs-micro-p070, nano-vs-micro-p109); add "occurrence: N" (1..3) or lengthen '
        'it: "reduced memory effect"\n',
    ),
    Case(
        "wrong-kind",
        "Relation to an entity of the wrong kind",
        "`micro-fracture causedBy volume-change-stress` becomes `ant-nest-si causedBy si`: a strategy caused "
        "by a material.",
        edit(
            ANNOTATIONS,
            "{subject: micro-fracture, relation: causedBy, object: volume-change-stress,",
            "{subject: ant-nest-si, relation: causedBy, object: si,",
        ),
        f"error: {ANNOTATIONS}:797: relation 'ant-nest-si causedBy si': causedBy needs a drawback as its "
        "subject, but 'ant-nest-si' is a strategy\n"
        f"error: {ANNOTATIONS}:797: relation 'ant-nest-si causedBy si': causedBy needs a cause as its "
        "object, but 'si' is a material\n",
    ),
    Case(
        "example-of-cycle",
        "Cycle in exampleOf",
        "Two families made examples of each other.",
        edit(
            ANNOTATIONS,
            "  # --- examples of each family\n",
            f"  # --- examples of each family\n{FAMILY_LOOP}",
        ),
        f"error: {ANNOTATIONS}:924: exampleOf cycle: electrode-level-porosity → engineered-nanoporosity → "
        "electrode-level-porosity (expected exampleOf to lead from an example up to its family, never "
        "back)\n",
    ),
    # ---- rules (rules/ holds the package's rules and one more)
    Case(
        "rule-syntax-error",
        "Rule file with a SPARQL syntax error",
        "A rule whose WHERE clause is never closed (rules/broken.rq).",
        add_rule("broken.rq", BROKEN_RULE),
        "error: rules/broken.rq:5: SPARQL syntax error: Expected ConstructQuery, found end of text  (at char "
        "195), (line:5, col:1)\n",
        rules=True,
    ),
    Case(
        "rule-without-fixpoint",
        "Rule that produces triples forever",
        "A rule that makes a new resource from each of its own conclusions (rules/endless.rq).",
        add_rule("endless.rq", ENDLESS_RULE),
        "error: rules/endless.rq: the rule does not reach a fixpoint: it still concludes new triples after "
        "20 rounds (does it make new resources from its own conclusions?)\n",
        rules=True,
    ),
]


# ---- the tests ---------------------------------------------------------------------------------------------


def snapshot(root: Path) -> tuple[list[str], str, dict[str, str]]:
    """What a build may touch: the names beside db/ (the corpus aside), its target, its files' digests (the
    store's files included)."""
    names = sorted(p.name for p in root.iterdir() if p.name not in ("corpus", "rules"))
    target = root / "db"
    folder = target.resolve()
    files = {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
    return names, os.readlink(target), files


def previous_build(built: Path, root: Path) -> None:
    """A complete earlier build in root/db, laid out as `mskg build` leaves it (lock file included)."""
    shutil.copytree(built.resolve(), root / ".db-build-previous")
    (root / "db").symlink_to(".db-build-previous")
    (root / ".db-lock").touch()


# a build reports the time of each stage it finished on stderr; the problems come after
STAGE_LINE = re.compile(r"[a-z]+ +\d+\.\d ms")


@pytest.mark.parametrize("case", CATALOGUE, ids=[case.id for case in CATALOGUE])
def test_bad_input_exits_2_with_its_message_and_leaves_db_as_it_was(
    case, built, tmp_path, monkeypatch, capsys
):
    from multiscale_kg.cli import main

    monkeypatch.chdir(tmp_path)  # paths in messages are relative to the working folder
    shutil.copytree(CORPUS, tmp_path / "corpus")
    if case.rules:
        from multiscale_kg.queries import rule_files

        shutil.copytree(rule_files.rules_dir(), tmp_path / "rules")
        monkeypatch.setattr(rule_files, "rules_dir", lambda: tmp_path / "rules")
    previous_build(built, tmp_path)
    before = snapshot(tmp_path)
    case.breakage(tmp_path)
    capsys.readouterr()

    assert main(["build", "--corpus", "corpus", "--out", "db"]) == 2
    lines = capsys.readouterr().err.splitlines(keepends=True)
    stages = [line for line in lines if not line.startswith("error: ")]
    assert "".join(lines[len(stages) :]) == case.errors
    assert all(STAGE_LINE.fullmatch(line.rstrip("\n")) for line in stages), stages
    assert snapshot(tmp_path) == before


def test_catalogue_ids_are_unique():
    assert len({case.id for case in CATALOGUE}) == len(CATALOGUE)


# ---- docs/errors.md ----------------------------------------------------------------------------------------


def render() -> str:
    """The catalogue as Markdown: one entry per case, with the change and the exact output."""
    parts = [BEGIN, ""]
    for case in CATALOGUE:
        parts += [f"### {case.title}", "", f"`{case.id}` — {case.change}", ""]
        parts += ["```", case.errors.rstrip("\n"), "```", ""]
    parts.append(END)
    return "\n".join(parts)


def catalogue_in_docs() -> str:
    text = DOCS.read_text(encoding="utf-8")
    assert text.count(BEGIN) == 1 and text.count(END) == 1, f"{DOCS} lost its catalogue markers"
    return text[text.index(BEGIN) : text.index(END) + len(END)]


def test_docs_errors_md_shows_the_catalogue():
    assert catalogue_in_docs() == render(), "docs/errors.md is stale: run python tests/test_errors.py --write"


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python tests/test_errors.py --write")
    DOCS.write_text(DOCS.read_text(encoding="utf-8").replace(catalogue_in_docs(), render()), encoding="utf-8")
