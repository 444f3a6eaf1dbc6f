"""``mskg review-answers``: write each curated document's reviewed answer table from the current build.

A reader's verdicts are kept for every answer that did not change; a changed or new answer gets an empty
verdict, and the test of the table fails until someone reads it (docs/rules.md).
"""

from __future__ import annotations

import argparse
from pathlib import Path


def _review(args: argparse.Namespace) -> int:
    from ..api import load
    from ..queries.review import write_reviews

    for path in write_reviews(load(args.db, args.corpus).db, args.corpus):
        print(f"wrote {path}")
    return 0


def register(commands) -> None:
    review = commands.add_parser(
        "review-answers",
        help="write corpus/<doc>/review/answers.tsv from the build, keeping readers' verdicts",
    )
    review.add_argument("--db", type=Path, help="build folder (default: $MSKG_DB, else db)")
    review.add_argument(
        "--corpus", type=Path, help="folder of document folders (default: $MSKG_CORPUS, else corpus)"
    )
    review.set_defaults(run=_review)
