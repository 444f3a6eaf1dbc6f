"""The answer page ``/-/answers/<drawback>``: which strategies address a drawback, graded, with the path of
each as steps, the quotes and cited references of every step, the trade-offs, the example materials and their
numbers, and a link for every entity (``queries/answers.py`` builds it; this module only renders)."""

from __future__ import annotations

import urllib.parse

import sqlite_utils
from datasette.utils import tilde_encode
from datasette.utils.asgi import NotFound, Response

from ..queries.answers import answer_page
from ..schema.vocab import Support
from .entities import RELATION_PHRASES, labels_of, row_url, split_key
from .settings import settings

#: what each grade means, as the page says it
GRADE_NOTES = {
    "stated": "the article says this strategy improves this drawback",
    "chained": "every link (feature, what it mitigates, the drawback's cause) is stated for this strategy",
    "inherited": "a link comes from the strategy's family (or, for a family, from one of its examples)",
    "prospect": "the article only proposes this strategy",
}


def _step_nodes(steps) -> list[str]:
    found = []
    for step in steps:
        found += [step.source, step.target, *_step_nodes(step.because)]
    return found


def _step(datasette, database: str, labels: dict, document_id: str, step) -> dict:
    def node(key: str) -> dict:
        kind, identifier = split_key(key)
        url = row_url(datasette, database, kind, identifier)
        return {"label": labels.get(key, identifier), "kind": kind, "url": url}

    refs = [
        {"number": n, "url": datasette.urls.row(database, "refs", tilde_encode(f"{document_id}-r{n:03d}"))}
        for n in step.ref_numbers
    ]
    return {
        "source": node(step.source),
        "phrase": RELATION_PHRASES.get(step.relation, (step.relation,))[0],
        "target": node(step.target),
        "quotes": step.quotes,
        "refs": refs,
        "rule": step.rule,
        "because": [_step(datasette, database, labels, document_id, s) for s in step.because],
    }


async def answer_view(datasette, request):
    name = settings(datasette)["database"]
    drawback_id = urllib.parse.unquote(request.url_vars["drawback"])
    try:
        db = datasette.get_database(name)
    except KeyError:
        raise NotFound(f"database {name} is not served") from None
    try:
        page = await db.execute_fn(lambda conn: answer_page(sqlite_utils.Database(conn), drawback_id))
    except KeyError as error:
        raise NotFound(str(error.args[0])) from None
    answers = [a for group in page.groups.values() for a in group]
    nodes = [key for a in answers for _, _, steps in a.paths for key in _step_nodes(steps)]
    labels = await labels_of(db, nodes)
    document = await db.execute(
        "select document_id from evidence where subject_kind = 'drawback' and subject_id = ? limit 1",
        [drawback_id],
    )
    document_id = document.first()[0] if document.first() else ""
    groups = []
    for grade, group in page.groups.items():
        items = []
        for a in group:
            items.append(
                {
                    "answer": a,
                    "url": row_url(datasette, name, "strategy", a.strategy_id),
                    "paths": [
                        {
                            "support": support,
                            "explanation": explanation,
                            "steps": [_step(datasette, name, labels, document_id, s) for s in steps],
                        }
                        for support, explanation, steps in a.paths
                    ],
                    "costs": [
                        {"cost": c, "url": row_url(datasette, name, "drawback", c.drawback_id)}
                        for c in a.costs
                    ],
                    "values": [
                        {"value": v, "url": row_url(datasette, name, "material", v.material_id)}
                        for v in a.values
                    ],
                }
            )
        groups.append({"grade": grade, "note": GRADE_NOTES[grade], "answers": items})
    context = {
        "page": page,
        "groups": groups,
        "grades": [{"grade": g.value, "note": GRADE_NOTES[g.value]} for g in Support],
        "drawback_url": row_url(datasette, name, "drawback", drawback_id),
        "picture_url": datasette.urls.path(f"/-/graph/drawback/{urllib.parse.quote(drawback_id)}"),
        "falls_short": [
            {**row, "url": row_url(datasette, name, "strategy", row["strategy_id"])}
            for row in page.falls_short
        ],
    }
    html = await datasette.render_template("mskg_answer.html", context, request=request)
    return Response.html(html)
