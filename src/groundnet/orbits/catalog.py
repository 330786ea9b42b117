"""Load object catalogs (TLE and CCSDS OMM files) into validated element sets, with a full report.

``load_catalog`` reads one file, several, a directory, or a bundled catalog name (``"demo"``);
``parse_catalog_text`` reads text already in memory. Either way the format is sniffed from the
content (TLE, OMM JSON, CSV, XML or KVN; gzip-compressed files too), every record is validated,
and the result says what was kept, what was rejected (file, line, reason) and what deserves a
warning (stale epochs, duplicates replaced by a newer epoch). Nothing is dropped silently:
``records == accepted + rejected + duplicates`` for every load.
"""

from __future__ import annotations

import dataclasses
import gzip
import io
import os
import re
import zlib
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator, Sequence

from ..errors import InputFileError
from ..files import CATALOG_LIMIT_BYTES, check_regular_file, open_bounded
from ..timebase import format_utc
from . import omm, tle
from .elements import ElementSet
from .validation import RecordProblem, check_elements, element_warnings

FORMATS = ("tle", "omm-json", "omm-csv", "omm-xml", "omm-kvn")
DEFAULT_STALE_AFTER_DAYS = 30.0
# A future epoch more than this after the reference time is worth a warning.
FUTURE_TOLERANCE_DAYS = 1.0
BUNDLED_CATALOGS = {"demo": "demo_catalog.tle"}
_SNIFF_BYTES = 64 * 1024
# TLE files up to this size are checked and converted whole, column by column (tle.parse_clean_file).
WHOLE_FILE_BYTES = 256 * 1024 * 1024
# progress(bytes read, total bytes) while a load runs (for a progress bar).
Progress = Callable[[int, int], None]


class CatalogFileError(InputFileError):
    """A catalog path cannot be read at all (missing, a directory without files, unreadable)."""


@dataclass(frozen=True)
class Rejection:
    """A record (or a run of lines) that could not be used, and why."""

    file: str
    line: int | None  # first line of the record, 1-based; None for a problem with the whole file
    reason: str
    code: str = "invalid"
    object_id: int | None = None
    last_line: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class CatalogWarning:
    """A record that was kept (or replaced) but deserves attention."""

    file: str
    line: int | None
    reason: str
    code: str
    object_id: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class FileSummary:
    path: str
    format: str | None
    # Counted before duplicates are resolved; a problem with the whole file counts as one rejection.
    records: int = 0  # accepted + rejected

    accepted: int = 0
    rejected: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class CatalogLoad:
    """What a load produced: the element sets kept, every rejection and warning, per-file counts."""

    elements: list[ElementSet] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[CatalogWarning] = field(default_factory=list)
    files: list[FileSummary] = field(default_factory=list)
    reference_time_unix: float | None = None  # what stale epochs were measured against
    stale_after_days: float = DEFAULT_STALE_AFTER_DAYS

    @property
    def duplicates(self) -> int:
        return sum(1 for w in self.warnings if w.code == "duplicate")

    @property
    def counts(self) -> dict[str, int]:
        return {
            "records": sum(f.records for f in self.files),
            "accepted": len(self.elements),
            "rejected": len(self.rejected),
            "duplicates_replaced": self.duplicates,
            "stale": sum(1 for w in self.warnings if w.code == "stale"),
            "warnings": len(self.warnings),
        }

    def by_id(self) -> dict[int, ElementSet]:
        """Element sets by NORAD catalog number (duplicates are already resolved to the newest epoch)."""
        return {e.norad_id: e for e in self.elements}

    def report(self) -> dict:
        """The whole report as JSON-ready data (what ``groundnet catalog check --format json`` prints)."""
        return {
            "counts": self.counts,
            "reference_time": format_utc(self.reference_time_unix) if self.reference_time_unix is not None else None,
            "stale_after_days": self.stale_after_days,
            "files": [f.as_dict() for f in self.files],
            "rejected": [r.as_dict() for r in self.rejected],
            "warnings": [w.as_dict() for w in self.warnings],
        }


# --- format sniffing ---------------------------------------------------------------------------

_JSON_START = re.compile(r"^(\[\s*[{\]]|\{\s*\")")
_XML_OMM = re.compile(r"<([\w.-]+:)?(ndm|omm)[\s>]", re.IGNORECASE)
_CSV_KEYS = ("OBJECT_NAME", "OBJECT_ID", "EPOCH", "MEAN_MOTION", "NORAD_CAT_ID")
_KVN_KEYS = {"CCSDS_OMM_VERS", "COMMENT", "CREATION_DATE", "ORIGINATOR", "MESSAGE_ID", "OBJECT_NAME", "OBJECT_ID",
             "CLASSIFICATION"}


def sniff_format(head: bytes, name: str = "") -> str | None:
    """The catalog format of a file from its first bytes (the extension only breaks ties); None if binary.

    Each format needs a clear sign (an XML ``<ndm>``/``<omm>`` element, a JSON list of objects, a
    KVN keyword, a CSV header of OMM keywords, a TLE line 1) so that one damaged line at the top
    of a TLE file does not make the whole file read as something else.
    """
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if not text:
        return "tle"
    # Binary: many NUL, control or undecodable bytes (a stray one is a damaged line, reported as such).
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f") + sample.count("\ufffd")
    if controls * 20 > len(sample):
        return None
    first_line = text.split("\n", 1)[0].strip()
    upper = first_line.upper().replace(" ", "").replace('"', "")
    if text.startswith("<?xml") or (text[0] == "<" and _XML_OMM.search(text)):
        return "omm-xml"
    if _JSON_START.match(text):
        return "omm-json"
    if "=" in first_line and first_line.split("=", 1)[0].strip() in _KVN_KEYS:
        return "omm-kvn"
    if "," in first_line and sum(key in upper.split(",") for key in _CSV_KEYS) >= 2:
        return "omm-csv"
    if any(tle.is_line1(line) for line in text.splitlines()):
        return "tle"
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    return {"json": "omm-json", "csv": "omm-csv", "xml": "omm-xml", "kvn": "omm-kvn"}.get(suffix, "tle")


# --- loading ---------------------------------------------------------------------------------

class _Collector:
    """Accumulates records from one or more sources; resolves duplicates and stale epochs at the end."""

    def __init__(self, require_checksums: bool = True, progress: Progress | None = None, total_bytes: int = 0) -> None:
        self.require_checksums = require_checksums
        self.result = CatalogLoad()
        self._index: dict[int, int] = {}
        self._progress = progress
        self._total_bytes = total_bytes
        self._bytes_before = 0  # size of the sources already read
        self._file: IO[bytes] | None = None  # the source being read, for its position

    def _report_progress(self) -> None:
        if self._progress is not None and self._file is not None:
            self._progress(self._bytes_before + self._file.tell(), self._total_bytes)

    def add_source(self, label: str, open_binary: Callable[[], IO[bytes]], size: int, fmt: str | None = None) -> None:
        summary = FileSummary(label, None)
        self.result.files.append(summary)

        def reject(line: int | None, reason: str, code: str, object_id: int | None = None,
                   last_line: int | None = None) -> None:
            summary.rejected += 1
            summary.records += 1
            self.result.rejected.append(Rejection(label, line, reason, code, object_id, last_line))

        with open_binary() as raw:
            self._file = raw
            try:
                self._read_source(raw, label, summary, reject, fmt)
            finally:
                self._file = None
                self._bytes_before += size
                if self._progress is not None:
                    self._progress(self._bytes_before, self._total_bytes)

    def _read_source(self, raw: IO[bytes], label: str, summary: FileSummary, reject, fmt: str | None) -> None:
        head = raw.read(_SNIFF_BYTES)
        if head[:2] == b"\x1f\x8b":
            try:
                with gzip.GzipFile(fileobj=_rewound(raw)) as unzipped:
                    bounded = io.BufferedReader(_BoundedReader(unzipped, CATALOG_LIMIT_BYTES, label))
                    self._read(bounded, _head(bounded), label, summary, reject, fmt)
            except (OSError, EOFError, zlib.error) as exc:
                reject(None, f"a damaged gzip file ({exc}): the records before the damage are kept", "unreadable")
            except CatalogFileError as exc:
                reject(None, f"{exc.reason}: the records before it are kept", "too_large")
            return
        self._read(raw, _head(_rewound(raw)), label, summary, reject, fmt)

    def _read(self, raw: IO[bytes], head: bytes, label: str, summary: FileSummary, reject, fmt: str | None) -> None:
        if not head:  # nothing but blank lines, however many
            anything = bool(raw.read(1))
            reject(None, "the file holds only blank lines" if anything else "the file is empty", "empty")
            return
        fmt = fmt or sniff_format(head, label)
        summary.format = fmt
        if fmt is None:
            reject(None, "a binary file, not a TLE or OMM catalog (NUL or control bytes near the start)", "binary")
            return
        if fmt == "omm-xml":
            items: Iterator = omm.read_xml(raw)
        else:
            text = io.TextIOWrapper(raw, encoding="utf-8", errors="surrogateescape")
            if fmt == "tle":
                sample = head.decode("utf-8", errors="replace")
                items = self._tle_items(text, label, tle.expects_names(sample), self._whole_file_records(raw, label))
            else:
                items = {"omm-json": omm.read_json, "omm-csv": omm.read_csv, "omm-kvn": omm.read_kvn}[fmt](text)
        for count, item in enumerate(items):
            if count % 4096 == 4095:
                self._report_progress()
            if isinstance(item, RecordProblem):
                reject(item.line, item.reason, item.code, item.object_id, item.last_line)
                continue
            if isinstance(item, ElementSet):
                elements = item
            else:
                line, fields = item
                try:
                    elements = omm.omm_to_elements(fields, line=line, source=label)
                except RecordProblem as problem:
                    reject(problem.line, problem.reason, problem.code, problem.object_id)
                    continue
            summary.records += 1
            summary.accepted += 1
            self._keep(elements)
        if summary.records == 0:
            reject(None, f"no records found (read as {fmt})", "no_records")

    @staticmethod
    def _whole_file_records(raw: IO[bytes], label: str) -> list | None:
        """``tle.parse_clean_file`` of a cleanly laid out file (read whole, up to ``WHOLE_FILE_BYTES``),
        else None (the stream rewound for the line reader)."""
        try:
            data = raw.read(WHOLE_FILE_BYTES + 1)
            records = tle.parse_clean_file(data, label) if len(data) <= WHOLE_FILE_BYTES else None
        except (OSError, EOFError, zlib.error, CatalogFileError):  # a damaged or oversized gzip: line by line
            records = None
        raw.seek(0)
        return records

    def _tle_items(self, text: IO[str], label: str, names: bool | None,
                   groups: list | None = None) -> Iterator[ElementSet | RecordProblem]:
        for group in groups if groups is not None else tle.group_tle_lines(enumerate(text, 1), names):
            if isinstance(group, ElementSet):  # checked column by column already; the value ranges here
                try:
                    check_elements(group)
                except RecordProblem as problem:
                    problem.line = group.line
                    yield problem
                    continue
                yield group
                continue
            if isinstance(group, tle.BrokenGroup):
                yield RecordProblem(group.reason, line=group.line_no, object_id=group.object_id, code="malformed",
                                    last_line=group.last_line_no if group.last_line_no != group.line_no else None)
                continue
            notes: list[tuple[str, str]] = []
            try:
                elements = tle.record_to_elements(group, label, notes=notes, require_checksum=self.require_checksums)
            except RecordProblem as problem:
                problem.line = group.line_no
                yield problem
                continue
            for code, reason in notes:
                self.result.warnings.append(CatalogWarning(label, group.line_no, reason, code, elements.norad_id))
            yield elements

    def _keep(self, e: ElementSet) -> None:
        if not e.name.isprintable() and e.name != _printable(e.name):
            self.result.warnings.append(CatalogWarning(e.source, e.line, "the name has bytes that are not UTF-8 "
                                                       "or control characters; they are shown as U+FFFD",
                                                       "name_encoding", e.norad_id))
            e = dataclasses.replace(e, name=_printable(e.name))
        at = self._index.get(e.norad_id)
        if at is None:
            self._index[e.norad_id] = len(self.result.elements)
            self.result.elements.append(e)
            return
        old = self.result.elements[at]
        newer, older = (e, old) if e.epoch_unix >= old.epoch_unix else (old, e)
        self.result.elements[at] = newer
        self.result.warnings.append(CatalogWarning(
            older.source, older.line,
            f"duplicate of object {e.norad_id}: kept {newer.source}:{newer.line} (epoch {newer.epoch_iso}), "
            f"dropped {older.source}:{older.line} (epoch {older.epoch_iso})", "duplicate", e.norad_id))

    def finish(self, reference_time_unix: float | None, stale_after_days: float) -> CatalogLoad:
        result = self.result
        explicit = reference_time_unix is not None
        if reference_time_unix is None and result.elements:
            reference_time_unix = max(e.epoch_unix for e in result.elements)
        result.reference_time_unix = reference_time_unix
        result.stale_after_days = stale_after_days
        for e in result.elements:
            for code, reason in element_warnings(e):
                result.warnings.append(CatalogWarning(e.source, e.line, reason, code, e.norad_id))
        if reference_time_unix is None:
            return result
        for e in result.elements:
            age_days = (reference_time_unix - e.epoch_unix) / 86400.0
            if age_days > stale_after_days:
                result.warnings.append(CatalogWarning(
                    e.source, e.line, f"stale epoch {e.epoch_iso}: {age_days:.1f} days before the reference time "
                    f"{format_utc(reference_time_unix)} (limit {stale_after_days:g} days)", "stale", e.norad_id))
            elif explicit and -age_days > FUTURE_TOLERANCE_DAYS:
                result.warnings.append(CatalogWarning(
                    e.source, e.line, f"epoch {e.epoch_iso} is {-age_days:.1f} days after the reference time "
                    f"{format_utc(reference_time_unix)}", "future_epoch", e.norad_id))
        return result


def _rewound(stream):
    stream.seek(0)
    return stream


def _head(stream: IO[bytes]) -> bytes:
    """The first ``_SNIFF_BYTES`` after any leading blank lines (however many), the stream rewound:
    what the format sniffer looks at."""
    blank = b" \t\r\n\f\v\xef\xbb\xbf"
    while True:
        chunk = stream.read(_SNIFF_BYTES)
        content = chunk.lstrip(blank)
        if content or not chunk:
            head = content + stream.read(_SNIFF_BYTES - len(content)) if content else b""
            stream.seek(0)
            return head


class _BoundedReader(io.RawIOBase):
    """A decompressed stream that refuses to grow past ``limit`` bytes (a gzip bomb)."""

    def __init__(self, inner: IO[bytes], limit: int, label: str):
        self._inner, self._limit, self._label, self._count = inner, limit, label, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        self._count = self._inner.seek(offset, whence)
        return self._count

    def tell(self) -> int:
        return self._count

    def readinto(self, buffer) -> int:
        data = self._inner.read(min(len(buffer), self._limit + 1 - self._count))
        self._count += len(data)
        if self._count > self._limit:
            raise CatalogFileError(self._label, f"decompresses past the {self._limit:,} byte limit for a catalog")
        buffer[:len(data)] = data
        return len(data)




def _printable(text: str) -> str:
    """Undecodable bytes and control characters as U+FFFD."""
    text = text.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")
    return "".join("\ufffd" if ord(ch) < 32 or ord(ch) == 127 else ch for ch in text)


def _expand(path_or_paths: str | os.PathLike | Iterable[str | os.PathLike]) -> list[tuple[str, Path]]:
    items = [path_or_paths] if isinstance(path_or_paths, (str, os.PathLike)) else list(path_or_paths)
    if not items:
        raise CatalogFileError("(no path)", "no catalog given: name a TLE or OMM file, a directory, or 'demo'")
    out: list[tuple[str, Path]] = []
    for item in items:
        path = Path(item)
        if not path.exists() and str(item) in BUNDLED_CATALOGS:
            out.append((str(item), bundled_catalog_path(str(item))))
        elif path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            if not files:
                raise CatalogFileError(str(path), "the directory holds no files")
            out.extend((str(p), p) for p in files)
        elif path.is_file():
            out.append((str(path), path))
        elif path.exists() or path.is_symlink():  # a device, a FIFO, a socket: refused before any read
            check_regular_file(path, limit_bytes=CATALOG_LIMIT_BYTES, what="TLE or OMM catalog file",
                               error=CatalogFileError)
            raise CatalogFileError(str(path), "cannot be read as a file")
        else:
            known = ", ".join(f"'{n}'" for n in BUNDLED_CATALOGS)
            raise CatalogFileError(str(path), f"no such file or directory (give a TLE or OMM file, a directory, "
                                              f"or a bundled catalog: {known})")
    return out


def bundled_catalog_path(name: str) -> Path:
    """The file of a catalog shipped with groundnet (``demo``)."""
    return Path(str(resources.files("groundnet.data").joinpath(BUNDLED_CATALOGS[name])))


def load_catalog(
    path_or_paths: str | os.PathLike | Sequence[str | os.PathLike],
    *,
    reference_time_unix: float | None = None,
    stale_after_days: float = DEFAULT_STALE_AFTER_DAYS,
    format: str | None = None,
    require_checksums: bool = True,
    progress: Progress | None = None,
) -> CatalogLoad:
    """Read TLE/OMM files (or a directory of them, or ``"demo"``) into validated element sets.

    Formats are sniffed from each file's content unless ``format`` (one of ``FORMATS``) is given.
    An object found more than once keeps its newest epoch (a ``duplicate`` warning names both
    records). Epochs more than ``stale_after_days`` before ``reference_time_unix`` get a ``stale``
    warning; without a reference time the newest epoch in the load is the reference, so a load's
    report does not depend on when it runs.

    ``progress(bytes_read, total_bytes)`` is called now and then while the files are read.
    ``require_checksums=False`` keeps TLE records whose checksum is wrong, with a ``checksum``
    warning (Vallado's SGP4 verification file has such test records); every other check stays.

    Raises :class:`CatalogFileError` only when a path cannot be opened at all; everything wrong
    inside a file is reported in the result.
    """
    _check_format(format)
    sources = _expand(path_or_paths)
    sizes = [check_regular_file(path, limit_bytes=CATALOG_LIMIT_BYTES, what="TLE or OMM catalog file",
                                error=CatalogFileError) for _, path in sources]
    collector = _Collector(require_checksums, progress, sum(sizes))
    for (label, path), size in zip(sources, sizes):
        try:
            collector.add_source(label, lambda p=path: open_bounded(p, limit_bytes=CATALOG_LIMIT_BYTES, what="TLE or OMM catalog file",
                                                                    error=CatalogFileError), size, format)
        except OSError as exc:
            raise CatalogFileError(label, f"cannot read the file: {exc.strerror or exc}") from None
    return collector.finish(reference_time_unix, stale_after_days)


def parse_catalog_text(
    text: str | bytes,
    *,
    source: str = "<text>",
    reference_time_unix: float | None = None,
    stale_after_days: float = DEFAULT_STALE_AFTER_DAYS,
    format: str | None = None,
    require_checksums: bool = True,
) -> CatalogLoad:
    """Like :func:`load_catalog` for a catalog already in memory (an upload, a test); ``source`` labels it."""
    _check_format(format)
    data = text.encode("utf-8", errors="surrogateescape") if isinstance(text, str) else bytes(text)
    collector = _Collector(require_checksums)
    collector.add_source(source, lambda: io.BufferedReader(io.BytesIO(data)), len(data), format)
    return collector.finish(reference_time_unix, stale_after_days)


def _check_format(fmt: str | None) -> None:
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"unknown catalog format '{fmt}'; choose one of {', '.join(FORMATS)}")


def object_row(e: ElementSet) -> dict:
    """One object as a listing row: id, name, epoch, period, perigee and apogee heights (SGP4's own), inclination."""
    sat = e.satrec()
    return {
        "object_id": e.norad_id,
        "object_name": e.name,
        "international_designator": e.international_designator,
        "epoch": e.epoch_iso,
        "period_min": round(e.period_min, 3),
        "perigee_km": round(sat.altp * sat.radiusearthkm, 1),
        "apogee_km": round(sat.alta * sat.radiusearthkm, 1),
        "inclination_deg": e.inclination_deg,
        "eccentricity": e.eccentricity,
    }
