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

    found = explain(_graph_db(args), args.strategy, args.drawback)
    if args.format == "json":
        print(json.dumps({**asdict(found), "addressed": found.addressed}, ensure_ascii=False, indent=1))
    else:
        print("\n".join(found.lines()))
    return 0 if found.addressed else 1


def _strategies_for(args: argparse.Namespace) -> int:
    from ..queries.explain import falls_short, strategies_for

    db = _graph_db(args)
    found = strategies_for(db, args.drawback)
    short = falls_short(db, args.drawback)
    if args.format == "json":
        print(json.dumps({"strategies": found, "falls_short": short}, ensure_ascii=False, indent=1))
        return 0 if found else 1
    print(f"{len(found)} strategies address {args.drawback}")
    for entry in found:
        family = " (family)" if entry["is_family"] else ""
        print(f"\n  {entry['strategy_id']}{family}: {entry['label']}")
        via = f"{', '.join(entry['features'])} → {', '.join(entry['causes'])}"
        if entry["through"]:
            via += f" (through {', '.join(entry['through'])})"
        print(f"    via {via}  [{', '.join(entry['rules'])}]")
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
    explain.add_argument("--db", type=Path, default=Path("db"), help="build folder (default: db)")
    explain.add_argument("--format", choices=["text", "json"], default="text")
    explain.set_defaults(run=_explain)

    strategies = commands.add_parser(
        "strategies-for", help="the strategies that address a drawback, with their trade-offs"
    )
    strategies.add_argument("drawback", help="a drawback id, e.g. micro-slow-kinetics")
    strategies.add_argument("--db", type=Path, default=Path("db"), help="build folder (default: db)")
    strategies.add_argument("--format", choices=["text", "json"], default="text")
    strategies.set_defaults(run=_strategies_for)
