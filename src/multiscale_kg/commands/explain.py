"""``mskg explain STRATEGY DRAWBACK`` and ``mskg strategies-for DRAWBACK`` (registered by cli.py).

Both read a built database. Exit 0 with an answer; 1 when the strategy does not address the drawback (the
missing link is printed) or no strategy addresses it; 2 for an unknown id.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path


def _graph_db(args: argparse.Namespace):
    from ..api import open_build

    return open_build(args.db).db


def _explain(args: argparse.Namespace) -> int:
    from ..queries.explain import explain

    found = explain(_graph_db(args), args.strategy, args.drawback, args.min_support)
    if args.format == "json":
        shown = {**asdict(found), "addressed": found.addressed, "support": found.support}
        print(json.dumps(shown, ensure_ascii=False, indent=1))
    else:
        print("\n".join(found.lines()))
    return 0 if found.addressed else 1


def _strategies_for(args: argparse.Namespace) -> int:
    from ..queries.explain import falls_short, strategies_for

    db = _graph_db(args)
    found = strategies_for(db, args.drawback, args.min_support)
    short = falls_short(db, args.drawback)
    if args.format == "json":
        print(json.dumps({"strategies": found, "falls_short": short}, ensure_ascii=False, indent=1))
        return 0 if found else 1
    floor = f" ({args.min_support} or better)" if args.min_support else ""
    print(f"{len(found)} strategies address {args.drawback}{floor}")
    for entry in found:
        family = " (family)" if entry["is_family"] else ""
        print(f"\n  [{entry['support']}] {entry['strategy_id']}{family}: {entry['label']}")
        chain_rules = [rule for rule in entry["rules"] if rule != "stated"]
        if "stated" in entry["rules"]:
            print("    the article says it improves this drawback  [stated]")
        if entry["features"]:
            via = f"{', '.join(entry['features'])} → {', '.join(entry['causes'])}"
            if entry["through"]:
                via += f" (through {', '.join(entry['through'])})"
            print(f"    via {via}  [{', '.join(chain_rules)}]")
        print(f"    trade-offs: {', '.join(entry['tradeoffs']) or 'none curated'}")
    for row in short:
        print(f"\n  falls short (the article says): {row['strategy_id']}: “{row['quote']}”")
    return 0 if found else 1


def register(commands) -> None:
    explain = commands.add_parser(
        "explain",
        help="why a strategy addresses a drawback (the chain, with quotes), or which link is missing",
    )
    explain.add_argument("strategy", help="a strategy id, e.g. ant-nest-si")
    explain.add_argument("drawback", help="a drawback id, e.g. micro-fracture")
    explain.add_argument("--db", type=Path, help="build folder (default: $MSKG_DB, else db)")
    explain.add_argument("--format", choices=["text", "json"], default="text")
    _add_min_support(explain)
    explain.set_defaults(run=_explain)

    strategies = commands.add_parser(
        "strategies-for", help="the strategies that address a drawback, with their trade-offs"
    )
    strategies.add_argument("drawback", help="a drawback id, e.g. micro-slow-kinetics")
    strategies.add_argument("--db", type=Path, help="build folder (default: $MSKG_DB, else db)")
    strategies.add_argument("--format", choices=["text", "json"], default="text")
    _add_min_support(strategies)
    strategies.set_defaults(run=_strategies_for)


def _add_min_support(parser) -> None:
    from ..schema.vocab import Support

    parser.add_argument(
        "--min-support",
        choices=[grade.value for grade in Support],
        help="keep answers graded this or better (stated > chained > inherited > prospect)",
    )
