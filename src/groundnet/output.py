"""Shared output for every listing command: ``--format table|csv|json`` and ``--output PATH``.

``--output`` decides the file's format by its extension, on every command: ``.csv``, ``.json``
(a list of objects), ``.ndjson`` (one object per line), ``.parquet`` or ``.txt`` (the table the
terminal shows); any other extension is refused (``file_format``). ``--format`` only chooses what the terminal shows; given beside
``--output`` it must agree with the extension.

Listings come as rows (dicts) or as an Arrow table (``PassTable.to_arrow()``). Arrow tables are
written column by column (``arrow_text``: every value formatted by Arrow's compute kernels, no
Python object per row); rows go through the same formats by Python's ``csv`` and ``json``.
Cells in CSV and tables: floats to three decimals, times as ISO 8601 UTC with milliseconds and
``Z``, booleans ``True``/``False``, missing values empty; JSON has numbers, ``true``/``false`` and ``null``.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import sys
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .errors import GroundnetError


class OutputFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


# File formats by extension (``--output``).
FILE_FORMATS = {".csv": "csv", ".json": "json", ".ndjson": "ndjson", ".parquet": "parquet", ".txt": "table"}


class OutputError(GroundnetError):
    """An output file cannot be written (or its format cannot be told)."""


def file_format(path: str | Path, fmt: OutputFormat | str | None = None) -> str:
    """The format ``--output PATH`` writes, from its extension; ``fmt`` (``--format``), if not
    the terminal's table, must agree with it."""
    if Path(path).is_dir():
        raise OutputError(f"--output {path}: is a directory; give a file name such as {Path(path) / 'out.csv'}")
    ext = Path(path).suffix.lower()
    kind = FILE_FORMATS.get(ext)
    if kind is None:
        raise OutputError(f"--output {path}: cannot tell the format from the extension '{ext or '(none)'}'; "
                          f"name the file with one of {', '.join(FILE_FORMATS)}")
    given = OutputFormat(fmt).value if fmt is not None else "table"
    if given not in ("table", kind) and not (given == "json" and kind == "ndjson"):
        raise OutputError(f"--format {given} does not match --output {path} (a {kind} file): "
                          f"drop --format, or name the file {Path(path).stem}.{given}")
    return kind


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


def _table_text(cells: list[list[str]], columns: list[str], title: str | None) -> str:
    # Wide enough for every cell (ISO times must not be cut), within a screen's reach.
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    if len(cells) > PLAIN_TABLE_ROWS:
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


def render(rows: list[dict], fmt: OutputFormat | str, columns: list[str] | None = None, title: str | None = None) -> str:
    """Rows as a Rich table, CSV (header + rows), a JSON list of objects, or NDJSON."""
    fmt = fmt.value if isinstance(fmt, OutputFormat) else str(fmt)
    columns = columns or (list(rows[0].keys()) if rows else [])
    if fmt == "json":
        return json.dumps(rows, indent=2, default=_json_default, allow_nan=False) + "\n"
    if fmt == "ndjson":
        return "".join(json.dumps(r, default=_json_default, allow_nan=False) + "\n" for r in rows)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([_cell(r.get(c)) for c in columns])
        return buf.getvalue()
    if fmt != "table":
        raise OutputError(f"unknown output format '{fmt}': choose table, csv or json")
    rows, columns, title = _for_display(rows, columns, title)
    return _table_text([[_cell(r.get(c)) for c in columns] for r in rows], columns, title)


# --------------------------------------------------------------------------------------------
# Arrow tables, formatted column by column


def _is_arrow(value) -> bool:
    import pyarrow as pa

    return isinstance(value, (pa.Table, pa.RecordBatch))


def _large(text: str):
    from .arrow_numpy import text_scalar

    return text_scalar(text, large=True)


def _csv_quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text


_NS_PER_UNIT = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}


@lru_cache(maxsize=4)
def _clock_texts(quoted: bool):
    """``HH:MM:SS.`` for every second of a day and ``mmmZ`` for every millisecond (fixed-width bytes)."""
    import numpy as np

    quote = '"' if quoted else ""
    clock = np.array([f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.".encode() for s in range(86400)], "S9")
    milli = np.array([f"{m:03d}Z{quote}".encode() for m in range(1000)], f"S{4 + len(quote)}")
    return clock, milli


def _iso_column(column, quoted: bool):
    """Timestamps as ISO 8601 UTC text with milliseconds and ``Z`` (``timebase.format_utc``'s
    form), assembled from tables of fixed-width pieces (the date of each day in the column, the
    clock of each second of a day, each millisecond) into one buffer: Arrow's strftime takes
    seconds per million values."""
    import datetime as dt

    import numpy as np
    import pyarrow as pa

    from .arrow_numpy import nulls, numpy

    missing = nulls(column)
    ns = np.where(missing, 0, numpy(column)) * _NS_PER_UNIT[column.type.unit]
    ms = (ns + 500_000) // 1_000_000  # to the nearest millisecond
    days, ms_of_day = np.divmod(ms, 86_400_000)
    seconds, milli = np.divmod(ms_of_day, 1000)
    quote = '"' if quoted else ""
    first = int(days.min()) if len(days) else 0
    span = int(days.max()) - first + 1 if len(days) else 0
    if span > 1_000_000:  # times centuries apart: one date per value
        first, index = 0, None
        dates = [dt.date(1970, 1, 1) + dt.timedelta(days=int(d)) for d in days]
    else:
        index = days - first
        dates = [dt.date(1970, 1, 1) + dt.timedelta(days=first + d) for d in range(span)]
    date_text = np.array([f"{quote}{d.isoformat()}T".encode() for d in dates], f"S{11 + len(quote)}")
    clock, millis = _clock_texts(quoted)
    parts = [date_text if index is None else date_text[index], clock[seconds], millis[milli]]
    width = sum(p.dtype.itemsize for p in parts)
    record = np.empty(len(ms), np.dtype({"names": ["d", "c", "m"], "formats": [p.dtype for p in parts],
                                         "offsets": [0, parts[0].dtype.itemsize, width - parts[2].dtype.itemsize],
                                         "itemsize": width}))
    record["d"], record["c"], record["m"] = parts
    offsets = np.arange(len(ms) + 1, dtype=np.int64) * width
    validity = pa.py_buffer(np.packbits(~missing, bitorder="little")) if column.null_count else None
    return pa.LargeStringArray.from_buffers(len(ms), pa.py_buffer(offsets), pa.py_buffer(record.view(np.uint8)),
                                            validity, int(missing.sum()))


def round3(column):
    """A float column rounded to 3 decimals as float64 (the text of every float cell), with no -0.

    Values too large to scale by 1000 (beyond 1e300) have no decimals to round: Arrow's round
    would refuse them (overflow), so they are kept as they are."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from .arrow_numpy import float_scalar

    values = column.cast(pa.float64())
    huge = pc.greater(pc.abs(values), float_scalar(1e300))
    if pc.any(huge).as_py():
        rounded = pc.round(pc.if_else(huge, float_scalar(0.0), values), 3)
        return pc.add(pc.if_else(huge, values, rounded), float_scalar(0.0))
    return pc.add(pc.round(values, 3), float_scalar(0.0))  # + 0: no "-0"


def _text_column(column, kind: str):
    """One Arrow column as large strings, no nulls: cells for ``kind`` (``csv``, ``cell`` for
    terminal tables, or ``json`` values)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from .arrow_numpy import float_scalar, text, text_scalar

    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    t = column.type
    missing = "null" if kind == "json" else ""
    if pa.types.is_timestamp(t):
        out = _iso_column(column, quoted=kind == "json")
    elif pa.types.is_floating(t):
        values = round3(column)
        out = pc.cast(values, pa.string())
        finite = pc.is_finite(values)
        if pc.sum(finite).as_py() != len(values) - values.null_count:
            out = pc.if_else(finite, out, pa.nulls(1, pa.string())[0])
    elif pa.types.is_integer(t):
        out = pc.cast(column, pa.string())
    elif pa.types.is_boolean(t):
        yes, no = ("true", "false") if kind == "json" else ("True", "False")
        out = pc.if_else(column, text_scalar(yes, large=False), text_scalar(no, large=False))
    elif pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_dictionary(t):
        # Each distinct value is quoted (or JSON-escaped) once, then looked up by index.
        encoded = column if pa.types.is_dictionary(t) else pc.dictionary_encode(column)
        values = encoded.dictionary.to_pylist()
        quote = json.dumps if kind == "json" else (_csv_quote if kind == "csv" else str)
        out = text([quote(v) for v in values], large=True).take(encoded.indices)
    else:
        convert = (lambda v: json.dumps(v, default=_json_default)) if kind == "json" else _cell
        out = text([missing if v is None else convert(v) for v in column.to_pylist()], large=True)
    return pc.fill_null(out.cast(pa.large_string()), _large(missing))


def _joined_bytes(parts: list) -> memoryview:
    """``parts`` (large string arrays and text) concatenated row by row, all rows as one buffer."""
    import numpy as np
    import pyarrow.compute as pc

    joined = pc.binary_join_element_wise(*[_large(p) if isinstance(p, str) else p for p in parts], _large(""))
    offsets = np.frombuffer(joined.buffers()[1], dtype=np.int64)[joined.offset:joined.offset + len(joined) + 1]
    return memoryview(joined.buffers()[2])[int(offsets[0]):int(offsets[-1])] if len(joined) else memoryview(b"")


def _csv_lines(cells: list, names: list[str]):
    """Text columns (no nulls) as CSV lines by Arrow's CSV writer, or None when a cell holds a
    quote, comma or line break (quoted already: the writer would quote it again)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    out = pa.BufferOutputStream()
    try:
        pcsv.write_csv(pa.Table.from_arrays(cells, names=names), out,
                       pcsv.WriteOptions(include_header=False, batch_size=1 << 16, quoting_style="none"))
    except pa.ArrowInvalid:
        return None
    return memoryview(out.getvalue())


# From this many rows, the compiled writer (``text_rows``, the same bytes) beats Arrow's kernels
# by more than loading it costs.
COMPILED_ROWS = 20_000


def arrow_rows_bytes(table, kind: str) -> memoryview:
    """The rows of an Arrow table as ``kind`` (``csv``: lines; ``ndjson``: one object a line;
    ``json``: objects each followed by ``,\\n``), without header or brackets."""
    names = table.schema.names
    if not len(table):
        return memoryview(b"")
    if len(table) >= COMPILED_ROWS:
        from .text_rows import rows_bytes

        return rows_bytes(table, kind)
    if kind == "csv":
        cells = [_text_column(table.column(i), "csv") for i in range(len(names))]
        lines = _csv_lines(cells, names)
        if lines is not None:
            return lines
        parts = []
        for i, cell in enumerate(cells):
            parts += [cell, "," if i < len(names) - 1 else "\n"]
        return _joined_bytes(parts)
    parts = []
    for i, name in enumerate(names):
        parts += [("{" if i == 0 else ",") + json.dumps(name) + ":", _text_column(table.column(i), "json")]
    parts.append("},\n" if kind == "json" else "}\n")
    return _joined_bytes(parts)


def csv_header(names: list[str]) -> str:
    return ",".join(_csv_quote(n) for n in names) + "\n"


def arrow_text(table, kind: str) -> str:
    """A whole Arrow table as CSV (with its header), JSON (a list, one object a line) or NDJSON."""
    body = bytes(arrow_rows_bytes(table, kind)).decode("utf-8")
    if kind == "csv":
        return csv_header(table.schema.names) + body
    if kind == "json":
        return "[\n" + body[:-2] + "\n]\n" if body else "[]\n"
    return body


class ArrowFileWriter:
    """One output file of ``kind`` written from Arrow tables, batch after batch (the passes
    streamed by ``groundnet passes`` and every other listing's ``--output``).

    CSV, JSON and NDJSON text is made in pieces of ``PIECE_ROWS`` rows on one thread per core
    (Arrow's kernels and NumPy release the GIL), written in order."""

    PIECE_ROWS = 1 << 17

    def __init__(self, path: str | Path, kind: str, schema=None):
        self.path, self.kind, self.schema = Path(path), kind, schema
        self._parquet = None
        self._file = None
        self._wrote_rows = False
        self._threads = None
        if kind != "parquet":
            self._file = open(self.path, "wb")
        elif schema is not None:
            self._open_parquet(schema)

    def _open_parquet(self, schema) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.schema = schema
        text = [f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
        # Dictionaries only where values repeat (ids, names): trying them on every column costs
        # a quarter of the writing time.
        self._parquet = pq.ParquetWriter(self.path, schema, compression="zstd", use_dictionary=text)

    def write(self, table) -> None:
        if self.kind == "parquet":
            if self._parquet is None:
                self._open_parquet(table.schema)
            if len(table):
                self._parquet.write_table(table, row_group_size=max(1, len(table)))
            return
        if self.kind == "csv" and self._file.tell() == 0:
            self._file.write(csv_header(table.schema.names).encode("utf-8"))
        for text in self._text_pieces(table):
            if self.kind == "json":
                self._file.write(b",\n" if self._wrote_rows else b"[\n")
                text = text[:-2]
            self._file.write(text)
            self._wrote_rows = True

    def _text_pieces(self, table):
        import os

        n, step = len(table), self.PIECE_ROWS
        if n <= step or (os.cpu_count() or 1) == 1:
            if n:
                yield arrow_rows_bytes(table, self.kind)
            return
        if self._threads is None:
            from concurrent.futures import ThreadPoolExecutor

            self._threads = ThreadPoolExecutor(os.cpu_count(), thread_name_prefix="groundnet-format")
        pieces = [table.slice(i, step) for i in range(0, n, step)]
        yield from self._threads.map(lambda piece: arrow_rows_bytes(piece, self.kind), pieces)

    def close(self) -> None:
        if self._threads is not None:
            self._threads.shutdown()
        if self.kind == "parquet":
            if self._parquet is None:
                import pyarrow as pa

                self._open_parquet(self.schema if self.schema is not None else pa.schema([]))
            self._parquet.close()
            return
        if self.kind == "csv" and self._file.tell() == 0 and self.schema is not None:
            self._file.write(csv_header(self.schema.names).encode("utf-8"))
        if self.kind == "json":
            self._file.write(b"\n]\n" if self._wrote_rows else b"[]\n")
        self._file.close()


def _rows_to_arrow(rows: list[dict], columns: list[str] | None, path: Path):
    import pyarrow as pa

    try:
        table = pa.Table.from_pylist(rows)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise OutputError(f"--output {path}: these rows cannot be a Parquet table ({exc}); "
                          "write .csv, .json or .ndjson instead") from None
    return table.select(columns) if columns and rows else table


def emit(
    rows,
    fmt: OutputFormat | str = OutputFormat.table,
    *,
    columns: list[str] | None = None,
    output: Path | None = None,
    title: str | None = None,
) -> None:
    """Write a listing to ``output`` (its format from the extension) or to standard output (``fmt``).

    ``rows``: dicts, or an Arrow table (or an object with ``to_arrow()``, such as a
    ``PassTable``). ``columns`` picks and orders the columns of the terminal's table.
    """
    if hasattr(rows, "to_arrow"):
        rows = rows.to_arrow()
    arrow_table = _is_arrow(rows)
    if output is not None:
        kind = file_format(output, fmt)
        if kind == "table":
            Path(output).write_text(_terminal_text(rows, arrow_table, columns, title), encoding="utf-8")
            return
        if arrow_table or kind == "parquet":
            table = rows if arrow_table else _rows_to_arrow(list(rows), columns, Path(output))
            if arrow_table and columns and OutputFormat(fmt) is not OutputFormat.table:
                table = table.select(columns)
            writer = ArrowFileWriter(output, kind, table.schema)
            writer.write(table)
            writer.close()
            return
        text = render(list(rows), kind, columns if OutputFormat(fmt) is not OutputFormat.table else None, title)
        Path(output).write_text(text, encoding="utf-8")
        return
    fmt = OutputFormat(fmt)
    if fmt is OutputFormat.table:
        sys.stdout.write(_terminal_text(rows, arrow_table, columns, title))
    elif not arrow_table:
        sys.stdout.write(render(list(rows), fmt, columns, title))
    else:
        sys.stdout.write(arrow_text(rows.select(columns) if columns else rows, fmt.value))


def _terminal_text(rows, arrow_table: bool, columns: list[str] | None, title: str | None) -> str:
    """The table the terminal shows, of rows or of an Arrow table (its cells formatted by Arrow)."""
    if not arrow_table:
        return render(list(rows), OutputFormat.table, columns, title)
    table = rows.select(columns) if columns else rows
    cells = [c.to_pylist() for c in (_text_column(col, "cell") for col in table.columns)]
    return _table_text([list(r) for r in zip(*cells)], table.schema.names, title)
