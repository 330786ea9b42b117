"""Where streamed passes go: memory, or a Parquet, CSV, JSON or NDJSON file, one sorted batch at a time.

A sink takes ``PassTable`` batches (in the canonical order). File sinks write the public Arrow
table (``PassTable.to_arrow``) through ``groundnet.output.ArrowFileWriter``: the very bytes
``groundnet passes --output FILE`` writes for a table computed in one piece. Parquet keeps full
precision and types: ``aos``, ``tca``, ``los`` as UTC timestamps in nanoseconds (they read back
to the very same float seconds), ``object_id`` as int64, angles, ``duration_s`` and
``elements_age_days`` as float64, one row group per batch (a slice of the window, or part of one).
"""

from __future__ import annotations

import os
import queue
import threading
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..output import FILE_FORMATS, ArrowFileWriter, OutputError, file_format
from . import arrow

FORMATS = tuple(k for k in FILE_FORMATS.values() if k != "table")

__all__ = ["FORMATS", "MemorySink", "OutputError", "open_sink", "read_parquet_passes"]


def read_parquet_passes(path: str | Path):
    """A Parquet file of passes written here, as a ``PassTable``."""
    return arrow.pass_table(pq.read_table(path))


class MemorySink:
    """Keeps the batches; ``close()`` returns one ``PassTable``."""

    def __init__(self):
        self.batches: list = []

    def write(self, batch) -> None:
        if len(batch):
            self.batches.append(batch)

    def close(self):
        from .passes import MEASURES, PassTable

        if not self.batches:
            return PassTable.empty()
        first = self.batches[0]
        if all(b.labels is first.labels for b in self.batches):  # one job's labels: no merging
            import numpy as np

            cols = {name: np.concatenate([getattr(b, name) for b in self.batches]) for name in MEASURES}
            return PassTable(first.labels, np.concatenate([b.obj for b in self.batches]),
                             np.concatenate([b.sta for b in self.batches]), **cols)
        return PassTable.concat(self.batches)

    def discard(self) -> None:
        self.batches = []


class _FileSink:
    """A file written batch by batch on a thread of its own: formatting and encoding one batch
    (Arrow's kernels and Parquet's encoders release the GIL) overlap with sorting the next one,
    on another core."""

    kind = "parquet"

    def __init__(self, path: str | Path, schema: pa.Schema | None = None):
        self.path = Path(path)
        self.rows = 0
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = ArrowFileWriter(self.path, self.kind, schema or arrow.SCHEMA)
        except OSError as exc:
            raise OutputError(f"{self.path}: cannot write the output: {exc.strerror or exc}") from None
        self._queue: queue.Queue = queue.Queue(maxsize=2)  # at most two batches wait: memory stays flat
        self._error: BaseException | None = None
        self._stopped = False
        self._thread = threading.Thread(target=self._drain, name="groundnet-output", daemon=True)
        self._thread.start()

    def write(self, batch) -> None:
        """Queue a ``PassTable`` (or an Arrow table of the public schema) for writing."""
        self._raise_failure()
        if self._stopped:  # nobody would take it from the queue
            raise OutputError(f"{self.path}: the output is already closed")
        if len(batch):
            self._queue.put(batch.to_arrow() if hasattr(batch, "to_arrow") else batch)
            self.rows += len(batch)

    def _write(self, table: pa.Table) -> None:
        self._writer.write(table)

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
            self._writer.close()
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
    kind = "parquet"


class CsvSink(_FileSink):
    kind = "csv"


class JsonSink(_FileSink):
    kind = "json"


class NdjsonSink(_FileSink):
    kind = "ndjson"


def format_of(path: str | Path, fmt: str | None = None) -> str:
    """The output format of ``path``, from its extension (``fmt``, if given, must agree)."""
    return file_format(path, fmt)


def open_sink(path: str | Path | None, fmt: str | None = None, schema: pa.Schema | None = None):
    """A sink for ``path`` (``None``: memory), its format from the extension."""
    if path is None:
        return MemorySink()
    kind = format_of(path, fmt)
    if kind == "table":
        raise OutputError(f"{path}: passes are streamed as .parquet, .csv, .json or .ndjson, not as a text table")
    sink = {"parquet": ParquetSink, "csv": CsvSink, "json": JsonSink, "ndjson": NdjsonSink}[kind]
    return sink(os.fspath(path), schema)
