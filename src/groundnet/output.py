"""Shared output for every listing command: ``--format table|csv|json`` and ``--output PATH``."""

from __future__ import annotations

import csv
import io
import json
import math
import re
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


# How tables show times and lengths (groundnet.toml's [display]); CSV and JSON stay UTC and metric.
_display = {"units": "metric", "time_zone": "UTC"}
_ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
# Column suffix -> (new suffix, factor) for imperial tables.
_IMPERIAL = (("_km_s", "_mi_s", 0.621371192237334), ("_km", "_mi", 0.621371192237334), ("_m", "_ft", 3.28083989501312))


def set_display(units: str = "metric", time_zone: str = "UTC") -> None:
    """Tables show times in ``time_zone`` (an IANA name) and lengths in ``units`` (metric or imperial)."""
    _display.update(units=units, time_zone=time_zone)


def _for_display(rows: list[dict], columns: list[str], title: str | None) -> tuple[list[dict], list[str], str | None]:
    zone = _display["time_zone"]
    imperial = _display["units"] == "imperial"
    if zone == "UTC" and not imperial:
        return rows, columns, title
    renamed = {}
    for c in columns:
        for old, new, factor in _IMPERIAL if imperial else ():
            if c.endswith(old):
                renamed[c] = (c[: -len(old)] + new, factor)
                break
    tz = None
    if zone != "UTC":
        from zoneinfo import ZoneInfo

        tz = ZoneInfo(zone)

    def cell(c, v):
        if c in renamed and isinstance(v, (int, float)) and not isinstance(v, bool):
            return v * renamed[c][1]
        if tz is not None and isinstance(v, str) and _ISO_Z.match(v):
            from datetime import datetime

            local = datetime.fromisoformat(v[:-1] + "+00:00").astimezone(tz)
            return local.isoformat(timespec="milliseconds")
        return v

    out = [{renamed.get(c, (c,))[0]: cell(c, r.get(c)) for c in columns} for r in rows]
    notes = ([f"times in {zone}"] if tz is not None else []) + (["imperial units"] if imperial else [])
    return out, [renamed.get(c, (c,))[0] for c in columns], f"{title or ''} ({', '.join(notes)})".strip()


def render(rows: list[dict], fmt: OutputFormat | str, columns: list[str] | None = None, title: str | None = None) -> str:
    """Rows as a Rich table, CSV (header + rows) or a JSON list of objects (tables follow :func:`set_display`)."""
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
    rows, columns, title = _for_display(rows, columns, title)
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
