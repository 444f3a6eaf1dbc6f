"""Printing query results: an aligned table for people, JSON, CSV or TSV for programs."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence

from tabulate import tabulate


def print_rows(columns: Sequence[str], rows: Sequence[Sequence], fmt: str = "table") -> None:
    out = sys.stdout
    if fmt == "json":
        json.dump([dict(zip(columns, row, strict=True)) for row in rows], out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt in ("csv", "tsv"):
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        out.write(tabulate(rows, headers=list(columns), tablefmt="simple", disable_numparse=True) + "\n")
