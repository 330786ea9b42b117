"""Where streamed passes go: memory, Parquet, CSV or JSON, one sorted Arrow batch at a time.

Parquet keeps full precision and types: ``aos``, ``tca``, ``los`` as UTC timestamps in nanoseconds
(they read back to the very same float seconds),
``object_id`` as int64, angles and ``duration_s`` as float64, one row group per batch (a slice
of the window, or part of one). CSV and JSON are exactly what ``groundnet passes --format csv|json``
prints for the same passes (the rows of ``PassTable.to_rows()``), written batch by batch.
"""

from __future__ import annotations

import io
import json
import os
import queue
import threading
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import GroundnetError
from ..output import _json_default, render
from . import arrow

FORMATS = ("parquet", "csv", "json")


class OutputError(GroundnetError):
    pass


def _unix_to_ns(seconds: np.ndarray) -> np.ndarray:
    # Whole seconds and the fraction apart: float64 POSIX seconds have ~0.24 µs resolution, so the
    # nearest nanosecond reads back to the same float.
    whole = np.floor(seconds)
    return whole.astype(np.int64) * 1_000_000_000 + np.round((seconds - whole) * 1e9).astype(np.int64)


def _ns_to_unix(ns: np.ndarray) -> np.ndarray:
    whole, rest = np.divmod(ns, 1_000_000_000)
    return whole.astype(np.float64) + rest / 1e9


def parquet_table(batch: pa.Table) -> pa.Table:
    """A batch as the Parquet file holds it: times as UTC timestamps, and ``duration_s``."""
    columns, fields = [], []
    for field in arrow.SCHEMA:
        column = batch.column(field.name)
        if field.name in arrow.TIME_COLUMNS:
            column = pa.array(_unix_to_ns(column.to_numpy()), type=pa.timestamp("ns", tz="UTC"))
            field = pa.field(field.name, column.type)
        columns.append(column)
        fields.append(field)
        if field.name == "los_azimuth_deg":
            duration = batch.column("los").to_numpy() - batch.column("aos").to_numpy()
            columns.append(pa.array(duration))
            fields.append(pa.field("duration_s", pa.float64()))
    return pa.Table.from_arrays(columns, schema=pa.schema(fields))


def read_parquet_passes(path: str | Path) -> pa.Table:
    """A Parquet file written here, back in ``arrow.SCHEMA`` (times as POSIX seconds)."""
    table = pq.read_table(path)
    columns = {}
    for name in arrow.SCHEMA.names:
        column = table.column(name)
        if name in arrow.TIME_COLUMNS:
            column = pa.array(_ns_to_unix(column.cast(pa.int64()).to_numpy()))
        columns[name] = column
    return pa.table(columns, schema=arrow.SCHEMA)


class MemorySink:
    """Keeps the batches; ``close()`` returns one ``PassTable``."""

    def __init__(self):
        self.batches: list[pa.Table] = []

    def write(self, batch: pa.Table) -> None:
        self.batches.append(batch)

    def close(self):
        return arrow.to_pass_table(arrow.concat(self.batches))

    def discard(self) -> None:
        self.batches = []


class _FileSink:
    """A file written batch by batch on a thread of its own: encoding one batch (Parquet's
    encoders release the GIL) overlaps with sorting the next one, on another core."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.rows = 0
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._open()
        except OSError as exc:
            raise OutputError(f"{self.path}: cannot write the output: {exc.strerror or exc}") from None
        self._queue: queue.Queue = queue.Queue(maxsize=2)  # at most two batches wait: memory stays flat
        self._error: BaseException | None = None
        self._stopped = False
        self._thread = threading.Thread(target=self._drain, name="groundnet-output", daemon=True)
        self._thread.start()

    def write(self, batch: pa.Table) -> None:
        self._raise_failure()
        if self._stopped:  # nobody would take it from the queue
            raise OutputError(f"{self.path}: the output is already closed")
        if len(batch):
            self._queue.put(self._prepare(batch))
            self.rows += len(batch)

    def _prepare(self, batch: pa.Table):
        """What the writer thread writes, made in the caller's thread (it shares the work)."""
        return batch

    def close(self) -> int:
        """Finish the file; returns the number of passes written."""
        self._stop()
        self._raise_failure()
        return self.rows

    def discard(self) -> None:
        """Stop after a failure elsewhere: the file is closed with what was written so far (once:
        after ``close`` nothing is left to do)."""
        if not self._stopped:
            self._error = self._error or OutputError(f"{self.path}: the run failed before the output was complete")
        self._stop()

    def _stop(self) -> None:
        """Let the writer thread finish the queue, then close the file; only the first call acts."""
        if self._stopped:
            return
        self._stopped = True
        self._queue.put(None)
        self._thread.join()
        try:
            self._close()
        except Exception as exc:  # after a failed write the close often fails too: the first failure is the one to tell
            self._error = self._error or exc

    def _drain(self) -> None:
        while (batch := self._queue.get()) is not None:
            if self._error is None:  # after a failure the rest is only drained, so write() never blocks
                try:
                    self._write(batch)
                except BaseException as exc:  # re-raised in the caller's thread
                    self._error = exc

    def _raise_failure(self) -> None:
        if isinstance(self._error, OSError):
            raise OutputError(f"{self.path}: cannot write the output: {self._error.strerror or self._error}")
        if self._error is not None:
            raise self._error


class ParquetSink(_FileSink):
    def _open(self):
        self._writer = pq.ParquetWriter(self.path, parquet_table(arrow.empty()).schema, compression="zstd",
                                       # Dictionaries only where values repeat: trying them on every
                                       # column costs a quarter of the writing time.
                                       use_dictionary=["object_name", "station_id"])

    def _prepare(self, batch):
        return parquet_table(batch)

    def _write(self, table):
        self._writer.write_table(table, row_group_size=max(1, len(table)))

    def _close(self):
        self._writer.close()


class _TextSink(_FileSink):
    def _open(self):
        self._file = open(self.path, "w", encoding="utf-8", newline="")

    def _rows(self, batch: pa.Table) -> list[dict]:
        return arrow.to_pass_table(batch).to_rows()


class CsvSink(_TextSink):
    """The CSV of ``groundnet.output.render`` (a header, then one line per pass), streamed."""

    def _open(self):
        super()._open()
        self._header_written = False

    def _write(self, batch):
        text = render(self._rows(batch), "csv")
        if self._header_written:
            text = text.split("\n", 1)[1]
        self._header_written = True
        self._file.write(text)

    def _close(self):
        if not self._header_written:
            self._file.write(render([], "csv"))
        self._file.close()


class JsonSink(_TextSink):
    """The JSON list of ``groundnet.output.render`` (indent 2), streamed one object at a time."""

    def _open(self):
        super()._open()
        self._first = True

    def _write(self, batch):
        buf = io.StringIO()
        for row in self._rows(batch):
            buf.write("[\n" if self._first else ",\n")
            self._first = False
            text = json.dumps(row, indent=2, default=_json_default, allow_nan=False)
            buf.write("  " + text.replace("\n", "\n  "))
        self._file.write(buf.getvalue())

    def _close(self):
        self._file.write("[]\n" if self._first else "\n]\n")
        self._file.close()


def format_of(path: str | Path, fmt: str | None = None) -> str:
    """The output format: ``fmt`` if given, else from the file's extension."""
    if fmt:
        if fmt not in FORMATS:
            raise OutputError(f"cannot stream passes as '{fmt}': choose one of {', '.join(FORMATS)}")
        return fmt
    ext = Path(path).suffix.lower().lstrip(".")
    if ext in ("parquet", "pq"):
        return "parquet"
    if ext in FORMATS:
        return ext
    raise OutputError(f"{path}: cannot tell the output format from the extension; use .parquet, .csv or .json")


def open_sink(path: str | Path | None, fmt: str | None = None):
    """A sink for ``path`` (``None``: memory), its format from ``fmt`` or the extension."""
    if path is None:
        return MemorySink()
    kind = format_of(path, fmt)
    return {"parquet": ParquetSink, "csv": CsvSink, "json": JsonSink}[kind](os.fspath(path))
