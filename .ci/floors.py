"""The declared minimum versions as pip constraints: ``name==floor`` for every ``name>=floor`` requirement of
the package and of the extras named on the command line (``python .ci/floors.py test``)."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

pyproject = Path(__file__).parent.parent / "pyproject.toml"
project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
requirements = list(project["dependencies"])
for extra in sys.argv[1:]:
    requirements += project["optional-dependencies"][extra]
for requirement in requirements:
    floor = re.match(r"([A-Za-z0-9_.-]+)\s*>=\s*([^,;\s]+)", requirement)
    if floor is None:
        sys.exit(f"pyproject.toml: {requirement!r} has no floor (name>=version)")
    print(f"{floor.group(1)}=={floor.group(2)}")
