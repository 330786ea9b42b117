"""Shared output for every listing command: ``--format table|csv|json`` and ``--output PATH``."""

from __future__ import annotations

import csv
import io
import json
import math
import sys
from enum import Enum
from pathlib import Path
from typing import Iterable


class OutputFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return f"{value:.3f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:.6g}"
    if isinstance(value, (list, tuple)):
        return "/".join(_cell(v) for v in value)
    return str(value)


def _json_default(value):
    if hasattr(value, "item"):  # NumPy scalars
        return value.item()
    if isinstance(value, (set, tuple)):
        return list(value)
    return str(value)


def render(rows: list[dict], fmt: OutputFormat | str, columns: list[str] | None = None, title: str | None = None) -> str:
    """Rows as a Rich table, CSV (header + rows) or a JSON list of objects."""
    fmt = OutputFormat(fmt)
    columns = columns or (list(rows[0].keys()) if rows else [])
    if fmt is OutputFormat.json:
        return json.dumps(rows, indent=2, default=_json_default, allow_nan=False) + "\n"
    if fmt is OutputFormat.csv:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([_cell(r.get(c)) for c in columns])
        return buf.getvalue()
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, header_style="bold cyan")
    for c in columns:
        table.add_column(c)
    for r in rows:
        table.add_row(*[_cell(r.get(c)) for c in columns])
    buf = io.StringIO()
    # Wide enough for the widest cell of each column (within 100..240), so ISO times are not cut.
    widths = [max([len(c)] + [len(_cell(r.get(c))) for r in rows]) for c in columns]
    Console(file=buf, width=max(100, min(240, sum(widths) + 3 * len(columns) + 1)), force_terminal=False).print(table)
    return buf.getvalue()


def emit(
    rows: Iterable[dict],
    fmt: OutputFormat | str = OutputFormat.table,
    *,
    columns: list[str] | None = None,
    output: Path | None = None,
    title: str | None = None,
) -> None:
    """Write rows to ``output`` (or standard output) in the chosen format."""
    text = render(list(rows), fmt, columns, title)
    if output is None:
        sys.stdout.write(text)
    else:
        Path(output).write_text(text, encoding="utf-8")
