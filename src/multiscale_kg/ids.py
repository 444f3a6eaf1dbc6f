"""Stable, typeable ids: lowercase ASCII slugs ("ant-nest-si", "alpha-fe2o3", "c-s")."""

from __future__ import annotations

import re
import unicodedata

_SPELLED = {
    "–": "-",
    "—": "-",
    "−": "-",
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "λ": "lambda",
    "µ": "u",
    "μ": "u",
}


def slugify(text: str) -> str:
    spelled = "".join(_SPELLED.get(ch, ch) for ch in text)
    ascii_text = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def material_id(name: str) -> str:
    """A material's id from its abbreviation, formula or name as printed: "C–S" → "c-s", "LCO" → "lco"."""
    return slugify(name)
