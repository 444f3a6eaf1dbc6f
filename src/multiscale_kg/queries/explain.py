"""Answers with their reasons, read from a built database: which strategies address a drawback, and why a
strategy does (the chain strategy → feature → cause ← drawback, each step with its quotes and cited
references) or does not (which link is missing, and what the article says about the attempt).

Both read the derived tables (``strategy_addresses``, ``derivations``, ``derivation_premises``) and the link
tables; nothing is recomputed here, so the CLI, the API and Datasette give the same answers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import sqlite_utils

from ..errors import UnknownIdError
from ..schema.knowledge import statement_key
from ..schema.vocab import Support

#: the order of a chain's steps: family link, feature, what it mitigates, what the drawback comes from
_STEP_ORDER = {"exampleOf": 0, "hasFeature": 1, "mitigates": 2, "causedBy": 3}
_MAX_DEPTH = 4  # inferred premises are explained by their own derivations, this deep at most


@dataclass
class Step:
    """One premise: ``source relation target`` with the quotes behind it, or the derivation it came from."""

    source: str  # node keys: "strategy/ant-nest-si"
    relation: str
    target: str
    quotes: list[str]
    ref_numbers: list[int]
    rule: str | None = None  # the rule that inferred it, when it is not curated
    because: list[Step] = field(default_factory=list)

    def lines(self, indent: str = "    ") -> list[str]:
        shown = [f"{indent}{self.source} —{self.relation}→ {self.target}"]
        if self.rule:
            shown[0] += f"   (inferred by rule {self.rule})"
        refs = f"  [refs {', '.join(map(str, self.ref_numbers))}]" if self.ref_numbers else ""
        for n, quote in enumerate(self.quotes):
            shown.append(f"{indent}    “{quote}”{refs if n == 0 else ''}")
        for step in self.because:
            shown += step.lines(indent + "    ")
        return shown


@dataclass
class Chain:
    derivation_id: str
    rule: str
    #: this path's grade (its weakest link)
    support: str
    feature_id: str | None
    cause_id: str | None
    via_strategy_id: str
    explanation: str
    steps: list[Step]


@dataclass
class Explanation:
    strategy_id: str
    drawback_id: str
    strategy_label: str
    drawback_label: str
    chains: list[Chain]
    #: why there is no chain, link by link (empty when the strategy addresses the drawback)
    missing: list[str]
    #: what the article says about the strategy and this drawback: falls short on it, introduces it
    statements: list[Step]

    @property
    def addressed(self) -> bool:
        return bool(self.chains)

    @property
    def support(self) -> str | None:
        """The answer's grade: its best chain's; None when the strategy does not address the drawback."""
        return Support.best(c.support for c in self.chains).value if self.chains else None

    def lines(self) -> list[str]:
        verdict = (
            f"addresses {self.drawback_id} [{self.support}]"
            if self.addressed
            else f"does not address {self.drawback_id}"
        )
        shown = [
            f"{self.strategy_id} {verdict}",
            f"  {self.strategy_label} → {self.drawback_label}",
        ]
        for n, chain in enumerate(self.chains, start=1):
            shown += ["", f"  chain {n}, {chain.support} (rule {chain.rule}): {chain.explanation}"]
            for step in chain.steps:
                shown += step.lines()
        if self.missing:
            shown += ["", "  missing link:"] + [f"    - {line}" for line in self.missing]
        if self.statements:
            shown += ["", "  the article says:"]
            for step in self.statements:
                shown += step.lines()
        return shown


def _one(db: sqlite_utils.Database, table: str, key: str, what: str) -> dict:
    rows = list(db.query(f"select * from [{table}] where id = ?", [key]))
    if not rows:
        known = ", ".join(r["id"] for r in db.query(f"select id from [{table}] order by id"))
        raise UnknownIdError(f"no {what} {key!r}; {what} ids are: {known}")
    return rows[0]


def _steps(db: sqlite_utils.Database, derivation_id: str, depth: int = 0) -> list[Step]:
    rows = db.query(
        "select * from derivation_premises where derivation_id = ? order by position", [derivation_id]
    )
    steps = []
    for row in rows:
        step = Step(
            row["subject"],
            row["relation"],
            row["object"],
            json.loads(row["quotes"]),
            json.loads(row["ref_numbers"]),
        )
        if row["inferred"]:
            for d in db.query(
                "select * from derivations where statement_id = ? order by id", [row["statement_id"]]
            ):
                step.rule = d["rule_id"]
                if depth < _MAX_DEPTH:
                    step.because = _steps(db, d["id"], depth + 1)
                break
        steps.append(step)
    return sorted(steps, key=lambda s: _STEP_ORDER.get(s.relation, len(_STEP_ORDER)))


def _statement_steps(
    db: sqlite_utils.Database, table: str, strategy_id: str, drawback_id: str, relation: str
):
    for row in db.query(
        f"select * from [{table}] where strategy_id = ? and drawback_id = ? order by id",
        [strategy_id, drawback_id],
    ):
        # one step per document's statement, with that document's quotes
        quotes = [
            r["quote"]
            for r in db.query(
                "select quote from evidence where subject_kind = 'statement' and subject_id = ? "
                "and document_id = ? order by id",
                [statement_key(strategy_id, relation, drawback_id), row["document_id"]],
            )
        ]
        yield Step(
            f"strategy/{strategy_id}",
            relation,
            f"drawback/{drawback_id}",
            quotes,
            json.loads(row["ref_numbers"] or "[]"),
        )


def _features(db: sqlite_utils.Database, strategy_id: str) -> list[str]:
    """The strategy's features, its own and those it inherits (inferred hasFeature edges)."""
    return [
        r["target"].split("/", 1)[1]
        for r in db.query(
            "select target from edges where source = ? and relation = 'hasFeature' order by target",
            [f"strategy/{strategy_id}"],
        )
    ]


def _missing(db: sqlite_utils.Database, strategy_id: str, drawback_id: str) -> list[str]:
    causes = [
        r["cause_id"]
        for r in db.query(
            "select cause_id from drawback_causes where drawback_id = ? order by cause_id", [drawback_id]
        )
    ]
    lines = [f"{drawback_id} is caused by: {', '.join(causes) or 'no curated cause'}"]
    features = _features(db, strategy_id)
    if not features:
        lines.append(f"{strategy_id} has no features in the curated data, so it mitigates no cause")
    for feature in features:
        mitigated = [
            r["cause_id"]
            for r in db.query(
                "select cause_id from feature_mitigates where feature_id = ? order by cause_id", [feature]
            )
        ]
        lines.append(
            f"{strategy_id} has {feature}, which mitigates "
            + (", ".join(mitigated) if mitigated else "no cause (no mitigates link in the curated data)")
        )
    for row in db.query(
        "select feature_id, note from strategy_features "
        "where strategy_id = ? and note is not null order by id",
        [strategy_id],
    ):
        lines.append(f"note on {strategy_id} hasFeature {row['feature_id']}: {row['note']}")
    if causes:
        marks = ", ".join("?" for _ in causes)
        would = [
            r["feature_id"]
            for r in db.query(
                "select distinct feature_id from feature_mitigates "
                f"where cause_id in ({marks}) order by feature_id",
                causes,
            )
        ]
        if would:
            lines.append(f"features that would mitigate a cause of {drawback_id}: {', '.join(would)}")
    return lines


def _rank(support: str) -> int:
    return Support(support).rank


def _floor(min_support: str | None) -> int:
    """The worst rank a ``min_support`` keeps (every grade when None)."""
    if min_support is None:
        return len(Support)
    try:
        return Support(min_support).rank
    except ValueError:
        grades = ", ".join(grade.value for grade in Support)
        raise ValueError(f"unknown support grade {min_support!r}; expected one of: {grades}") from None


def explain(
    db: sqlite_utils.Database, strategy_id: str, drawback_id: str, min_support: str | None = None
) -> Explanation:
    """Why ``strategy_id`` addresses ``drawback_id``, chains best grade first (only those at
    ``min_support`` or better), or which link is missing when it does not."""
    strategy = _one(db, "strategies", strategy_id, "strategy")
    drawback = _one(db, "drawbacks", drawback_id, "drawback")
    floor = _floor(min_support)
    chains = [
        Chain(
            row["id"],
            row["rule"],
            row["path_support"],
            row["via_feature_id"],
            row["via_cause_id"],
            row["via_strategy_id"],
            row["explanation"],
            _steps(db, row["derivation_id"]),
        )
        for row in db.query(
            "select * from strategy_addresses where strategy_id = ? and drawback_id = ? order by id",
            [strategy_id, drawback_id],
        )
        if _rank(row["path_support"]) <= floor
    ]
    chains.sort(key=lambda chain: _rank(chain.support))
    statements = list(_statement_steps(db, "strategy_shortfalls", strategy_id, drawback_id, "fallsShortOn"))
    statements += _statement_steps(db, "strategy_tradeoffs", strategy_id, drawback_id, "introduces")
    missing = [] if chains else _missing(db, strategy_id, drawback_id)
    return Explanation(
        strategy_id, drawback_id, strategy["label"], drawback["label"], chains, missing, statements
    )


def strategies_for(db: sqlite_utils.Database, drawback_id: str, min_support: str | None = None) -> list[dict]:
    """The strategies that address ``drawback_id``, best supported first (``support``: stated, chained,
    inherited, prospect; then by strategy id), each with how (features, causes, rules, and ``through``: the
    family it inherits the feature from or the example that has it) and at what cost (the trade-offs it
    introduces), families and examples alike. ``min_support`` keeps the answers graded that or better."""
    _one(db, "drawbacks", drawback_id, "drawback")
    floor = _floor(min_support)
    found: dict[str, dict] = {}
    for row in db.query(
        "select a.*, s.label, s.is_family, s.prospect from strategy_addresses a "
        "join strategies s on s.id = a.strategy_id "
        "where a.drawback_id = ? order by a.strategy_id, a.id",
        [drawback_id],
    ):
        if _rank(row["support"]) > floor:
            continue
        entry = found.setdefault(
            row["strategy_id"],
            {
                "strategy_id": row["strategy_id"],
                "label": row["label"],
                "support": row["support"],
                "is_family": bool(row["is_family"]),
                "prospect": bool(row["prospect"]),
                "features": [],
                "causes": [],
                "rules": [],
                "through": [],
                "tradeoffs": [],
            },
        )
        # "through": the family or example whose own feature it is, when not the strategy's own
        through = row["via_strategy_id"] if row["via_strategy_id"] != row["strategy_id"] else None
        for key, value in (
            ("features", row["via_feature_id"]),
            ("causes", row["via_cause_id"]),
            ("rules", row["rule"]),
            ("through", through),
        ):
            if value is not None and value not in entry[key]:
                entry[key].append(value)
    for strategy_id, entry in found.items():
        entry["tradeoffs"] = [
            r["drawback_id"]
            for r in db.query(
                "select drawback_id from strategy_tradeoffs where strategy_id = ? order by drawback_id",
                [strategy_id],
            )
        ]
    return sorted(found.values(), key=lambda entry: (_rank(entry["support"]), entry["strategy_id"]))


def falls_short(db: sqlite_utils.Database, drawback_id: str) -> list[dict]:
    """Strategies the article says fall short on ``drawback_id``, with the quote."""
    return list(
        db.query(
            "select strategy_id, quote, ref_numbers from strategy_shortfalls "
            "where drawback_id = ? order by strategy_id",
            [drawback_id],
        )
    )
