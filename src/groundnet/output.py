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


# Rich lays out every cell and needs seconds for thousands of rows: long listings are plain text.
PLAIN_TABLE_ROWS = 300


def _plain_table(cells: list[list[str]], columns: list[str], widths: list[int], title: str | None) -> str:
    def line(values):
        return "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip() + "\n"

    head = (title + "\n") if title else ""
    rule = "  ".join("-" * w for w in widths) + "\n"
    return head + line(columns) + rule + "".join(line(row) for row in cells)


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
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    # Wide enough for every cell (ISO times must not be cut), within a screen's reach.
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    if len(rows) > PLAIN_TABLE_ROWS:
        return _plain_table(cells, columns, widths, title)
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, header_style="bold cyan")
    for c in columns:
        table.add_column(c)
    for row in cells:
        table.add_row(*row)
    buf = io.StringIO()
    width = max(100, min(240, sum(widths) + 3 * len(columns) + 1))
    Console(file=buf, width=width, force_terminal=False).print(table)
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
