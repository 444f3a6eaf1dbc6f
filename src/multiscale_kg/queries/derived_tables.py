"""The derived SQLite tables, written into the build's database after the projected ones.

- ``rules``: every rule file with its sentence and stratum;
- ``derivations`` and ``derivation_premises``: every derivation, each premise with the quotes behind it;
- ``strategy_addresses``: which strategy addresses which drawback, through which feature and cause;
- ``strategy_candidates``: which strategy may suit which material (applicability);
- ``strategy_profiles``: each strategy's net profile (addresses, introduces, leaves open, candidates);
- ``claim_checks``: the article's claims against its Table 1;
- ``theoretical_capacities``: the theoretical capacity of each material's stated reaction, and the values
  above it.

Rows are written in id order and hold no timings, so the same inputs always give the same database.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal

import sqlite_utils

from ..graph.namespaces import short
from ..schema import KnowledgeBase
from ..tables import create_table
from ..tables import statement_id as relation_statement_id
from .claims import claim_checks, printed
from .derive import Derived, local, node_id, rule_file, statement_id
from .engine import Derivation, Inference, Triple


def _json(values: Iterable) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


class PremiseEvidence:
    """The quotes behind a premise: a curated relation's own quotes, else those of the fact's subject."""

    def __init__(self, kb: KnowledgeBase):
        self.by_statement: dict[str, list] = {}
        for relation in kb.relations:
            self.by_statement[relation_statement_id(relation)] = list(relation.evidence)
        self.by_subject: dict[str, list] = {}
        for attribute, kind in (
            ("drawbacks", "drawback"),
            ("claims", "claim"),
            ("causes", "cause"),
            ("features", "feature"),
            ("strategies", "strategy"),
        ):
            for entity in getattr(kb, attribute):
                self.by_subject[f"{kind}/{entity.id}"] = list(entity.evidence)
        self.measurements = {f"measurement/{m.id}": m for m in kb.measurements}
        self.materials = {f"material/{m.id}": m for m in kb.materials}

    def of(self, premise: Triple) -> tuple[list[str], list[int]]:
        """(quotes, cited reference numbers) behind one premise triple."""
        found = self.by_statement.get(statement_id(premise))
        if found is None:
            found = self.by_subject.get(short(premise[0]), [])
        quotes = [ev.quote for ev in found]
        refs = sorted({n for ev in found for n in ev.ref_numbers})
        subject = short(premise[0])
        if subject in self.measurements:
            m = self.measurements[subject]
            quotes, refs = [m.quote], sorted(m.ref_numbers)
        elif subject in self.materials:
            m = self.materials[subject]
            quote = {"chemistry": m.chemistry_quote, "role": m.role_quote}.get(local(premise[1]))
            quotes, refs = ([quote] if quote else []), []
        return quotes, refs


def _sentence(derivation: Derivation) -> str:
    s, p, o = derivation.conclusion
    because = "; ".join(f"{short(a)} {local(b)} {short(c)}" for a, b, c in derivation.premises)
    return f"{short(s)} {local(p)} {short(o)} ({derivation.rule}): {because}"


def _derivation_rows(derived: Derived, evidence: PremiseEvidence) -> tuple[list[dict], list[dict]]:
    inference = derived.inference
    inferred = inference.triples | derived.seeded
    rows, premise_rows = [], []
    for d in inference.derivations.values():
        s, p, o = d.conclusion
        rows.append(
            {
                "id": d.id,
                "rule_id": d.rule,
                "subject": short(s),
                "relation": local(p),
                "object": short(o),
                "statement_id": statement_id(d.conclusion),
                "premises": len(d.premises),
                "explanation": _sentence(d),
            }
        )
        for n, premise in enumerate(d.premises, start=1):
            # an inferred premise has no quotes of its own: its derivations have them
            quotes, refs = ([], []) if premise in inferred else evidence.of(premise)
            premise_rows.append(
                {
                    "id": f"{d.id}/{n}",
                    "derivation_id": d.id,
                    "position": n,
                    "subject": short(premise[0]),
                    "relation": local(premise[1]),
                    "object": short(premise[2]),
                    "statement_id": statement_id(premise),
                    "inferred": int(premise in inferred),
                    "quotes": _json(quotes),
                    "ref_numbers": _json(refs),
                }
            )
    return rows, premise_rows


def _premise(d: Derivation, relation: str, subject: str | None = None) -> Triple | None:
    for premise in d.premises:
        if local(premise[1]) == relation and (subject is None or node_id(premise[0]) == subject):
            return premise
    return None


def _labels(kb: KnowledgeBase) -> dict[str, str]:
    return {
        f"{kind}/{item.id}": item.label
        for attribute, kind in (
            ("strategies", "strategy"),
            ("features", "feature"),
            ("causes", "cause"),
            ("drawbacks", "drawback"),
        )
        for item in getattr(kb, attribute)
    }


def address_rows(kb: KnowledgeBase, inference: Inference) -> Iterator[dict]:
    """One row per derivation of ``strategy addresses drawback``, with the feature and cause it goes through.
    ``via_strategy_id`` is the strategy whose own curated hasFeature the chain rests on: the strategy itself,
    its family (a feature it inherits) or, for a family, the example that has the feature."""
    labels = _labels(kb)
    families = {r.subject_id: r.object_id for r in kb.relations if r.relation.value == "exampleOf"}
    own = {(r.subject_id, r.object_id) for r in kb.relations if r.relation.value == "hasFeature"}
    for d in inference.derivations.values():
        if local(d.conclusion[1]) != "addresses":
            continue
        strategy, drawback = node_id(d.conclusion[0]), node_id(d.conclusion[2])
        has = _premise(d, "hasFeature")
        feature, cause = node_id(has[2]), node_id(_premise(d, "mitigates")[2])
        holder = node_id(has[0])
        inherited = (holder, feature) not in own
        via = families.get(holder, holder) if inherited else holder
        sentence = f"{labels[f'strategy/{strategy}']}: "
        if holder != strategy:
            sentence += f"its example {labels[f'strategy/{holder}']} has "
        else:
            sentence += "it has "
        sentence += f"the feature “{labels[f'feature/{feature}']}”"
        if inherited:
            sentence += f" (inherited from the family {labels[f'strategy/{via}']})"
        sentence += (
            f", which mitigates “{labels[f'cause/{cause}']}”, a cause of “{labels[f'drawback/{drawback}']}”."
        )
        yield {
            "id": d.id,
            "strategy_id": strategy,
            "drawback_id": drawback,
            "rule": d.rule,
            "via_feature_id": feature,
            "via_cause_id": cause,
            "via_strategy_id": via,
            "inherited": int(inherited),
            "explanation": sentence,
            "derivation_id": d.id,
        }


def candidate_rows(inference: Inference) -> Iterator[dict]:
    for d in inference.derivations.values():
        if local(d.conclusion[1]) != "candidateFor":
            continue
        uses = _premise(d, "usesMaterial")
        used = uses[2]
        yield {
            "id": d.id,
            "strategy_id": node_id(d.conclusion[0]),
            "material_id": node_id(d.conclusion[2]),
            "via_strategy_id": node_id(uses[0]),
            "via_material_id": node_id(used),
            "chemistry": node_id(_premise(d, "chemistry", node_id(used))[2]),
            "role": node_id(_premise(d, "role", node_id(d.conclusion[2]))[2]),
            "derivation_id": d.id,
        }


def profile_rows(kb: KnowledgeBase, inference: Inference) -> Iterator[dict]:
    relations: dict[tuple[str, str], set[str]] = defaultdict(set)
    for s, p, o in inference.triples:
        relations[(node_id(s), local(p))].add(node_id(o))
    for r in kb.relations:
        if r.relation.value == "introduces":
            relations[(r.subject_id, "introduces")].add(r.object_id)
    for strategy in kb.strategies:
        lists = {
            name: sorted(relations[(strategy.id, relation)])
            for name, relation in (
                ("addresses", "addresses"),
                ("introduces", "introduces"),
                ("leaves_open", "leavesOpen"),
                ("candidate_for", "candidateFor"),
            )
        }
        yield {
            "id": strategy.id,
            **{k: _json(v) for k, v in lists.items()},
            **{f"n_{k}": len(v) for k, v in lists.items()},
        }


def claim_rows(kb: KnowledgeBase, inference: Inference) -> Iterator[dict]:
    for check in claim_checks(kb, inference):
        nano, micro = check.nano, check.micro
        yield {
            "id": check.id,
            "claim_id": check.claim_id,
            "material_id": check.material_id,
            "property": check.property,
            "better_scale": check.better_scale,
            "nano_min": _float(nano.value_min) if nano else None,
            "nano_max": _float(nano.value_max) if nano else None,
            "nano_qualifier": nano.qualifier.value if nano else None,
            "micro_min": _float(micro.value_min) if micro else None,
            "micro_max": _float(micro.value_max) if micro else None,
            "micro_qualifier": micro.qualifier.value if micro else None,
            "unit": (nano or micro).unit if (nano or micro) else None,
            "nano_measurement_id": nano.id if nano else None,
            "micro_measurement_id": micro.id if micro else None,
            "verdict": check.verdict,
            "note": check.note,
            "derivation_id": check.derivation_id,
        }


def capacity_rows(kb: KnowledgeBase, derived: Derived) -> Iterator[dict]:
    measurements = {m.id: m for m in kb.measurements}
    above: dict[str, list[str]] = defaultdict(list)
    for s, p, o in derived.inference.triples:
        if local(p) == "exceedsTheoreticalCapacity":
            above[node_id(o)].append(node_id(s))
    for c in derived.capacities:
        r, exceeded = c.reaction, sorted(above[c.material_id])
        note = None
        if exceeded:
            values = ", ".join(
                f"{measurements[i].source.value} {measurements[i].scale.value} {printed(measurements[i])}"
                for i in exceeded
            )
            note = (
                f"above the {c.rounded} mAh g-1 of {r.reaction} ({r.electrons.normalize():f} e- per "
                f"{r.formula_unit}): {values}"
            )
        ev = r.evidence
        yield {
            "id": c.material_id,
            "material_id": c.material_id,
            "reaction": r.reaction,
            "electrons": float(r.electrons),
            "formula_unit": r.formula_unit,
            "molar_mass": c.molar_mass,
            "molar_mass_source": c.molar_mass_source,
            "capacity": c.capacity,
            "unit": "mAh g-1",
            "basis": r.basis,
            "quote": ev.quote if ev else None,
            "passage_id": ev.passage_id if ev else None,
            "start": ev.start if ev else None,
            "end": ev.end if ev else None,
            "reaction_note": r.note,
            "exceeded_by": _json(exceeded),
            "note": note,
        }


def write_derived(db: sqlite_utils.Database, kb: KnowledgeBase, derived: Derived) -> None:
    """Add the derived tables to a database written by ``tables.write_database``."""
    inference = derived.inference
    evidence = PremiseEvidence(kb)
    stratum = {rule_id: n for n, ids in enumerate(inference.strata) for rule_id in ids}
    counts: dict[str, int] = defaultdict(int)
    for d in inference.derivations.values():
        counts[d.rule] += 1
    create_table(
        db,
        "rules",
        {
            "id": str,
            "file": str,
            "statement": str,
            "stratum": int,
            "concludes": str,
            "reads": str,
            "negates": str,
            "derivations": int,
        },
        (
            {
                "id": rule.id,
                "file": rule_file(rule),
                "statement": rule.statement,
                "stratum": stratum[rule.id],
                "concludes": local(rule.concludes),
                "reads": _json(sorted(local(p) for p in rule.reads)),
                "negates": _json(sorted(local(p) for p in rule.negates)),
                "derivations": counts[rule.id],
            }
            for rule in inference.rules
        ),
    )
    rows, premise_rows = _derivation_rows(derived, evidence)
    create_table(
        db,
        "derivations",
        {
            "id": str,
            "rule_id": str,
            "subject": str,
            "relation": str,
            "object": str,
            "statement_id": str,
            "premises": int,
            "explanation": str,
        },
        rows,
        [("rule_id", "rules", "id")],
    )
    create_table(
        db,
        "derivation_premises",
        {
            "id": str,
            "derivation_id": str,
            "position": int,
            "subject": str,
            "relation": str,
            "object": str,
            "statement_id": str,
            "inferred": int,
            "quotes": str,
            "ref_numbers": str,
        },
        premise_rows,
        [("derivation_id", "derivations", "id")],
    )
    create_table(
        db,
        "strategy_addresses",
        {
            "id": str,
            "strategy_id": str,
            "drawback_id": str,
            "rule": str,
            "via_feature_id": str,
            "via_cause_id": str,
            "via_strategy_id": str,
            "inherited": int,
            "explanation": str,
            "derivation_id": str,
        },
        address_rows(kb, inference),
        [
            ("strategy_id", "strategies", "id"),
            ("drawback_id", "drawbacks", "id"),
            ("via_feature_id", "features", "id"),
            ("via_cause_id", "causes", "id"),
            ("via_strategy_id", "strategies", "id"),
            ("derivation_id", "derivations", "id"),
        ],
    )
    create_table(
        db,
        "strategy_candidates",
        {
            "id": str,
            "strategy_id": str,
            "material_id": str,
            "via_strategy_id": str,
            "via_material_id": str,
            "chemistry": str,
            "role": str,
            "derivation_id": str,
        },
        candidate_rows(inference),
        [
            ("strategy_id", "strategies", "id"),
            ("material_id", "materials", "id"),
            ("via_strategy_id", "strategies", "id"),
            ("via_material_id", "materials", "id"),
            ("derivation_id", "derivations", "id"),
        ],
    )
    create_table(
        db,
        "strategy_profiles",
        {
            "id": str,
            "addresses": str,
            "introduces": str,
            "leaves_open": str,
            "candidate_for": str,
            "n_addresses": int,
            "n_introduces": int,
            "n_leaves_open": int,
            "n_candidate_for": int,
        },
        profile_rows(kb, inference),
        [("id", "strategies", "id")],
    )
    create_table(
        db,
        "claim_checks",
        {
            "id": str,
            "claim_id": str,
            "material_id": str,
            "property": str,
            "better_scale": str,
            "nano_min": float,
            "nano_max": float,
            "nano_qualifier": str,
            "micro_min": float,
            "micro_max": float,
            "micro_qualifier": str,
            "unit": str,
            "nano_measurement_id": str,
            "micro_measurement_id": str,
            "verdict": str,
            "note": str,
            "derivation_id": str,
        },
        claim_rows(kb, inference),
        [
            ("claim_id", "claims", "id"),
            ("material_id", "materials", "id"),
            ("nano_measurement_id", "measurements", "id"),
            ("micro_measurement_id", "measurements", "id"),
            ("derivation_id", "derivations", "id"),
        ],
    )
    create_table(
        db,
        "theoretical_capacities",
        {
            "id": str,
            "material_id": str,
            "reaction": str,
            "electrons": float,
            "formula_unit": str,
            "molar_mass": float,
            "molar_mass_source": str,
            "capacity": float,
            "unit": str,
            "basis": str,
            "quote": str,
            "passage_id": str,
            "start": int,
            "end": int,
            "reaction_note": str,
            "exceeded_by": str,
            "note": str,
        },
        capacity_rows(kb, derived),
        [("material_id", "materials", "id"), ("passage_id", "passages", "id")],
    )
    db["claim_checks"].create_index(["verdict"])
    db.conn.commit()
