"""Two-line element sets: fixed-column parsing and validation, 2-line and 3-line files.

A TLE line is 69 columns wide (1-based columns below, as in the Space-Track and CelesTrak
format descriptions). Each line ends in a modulo-10 checksum over columns 1-68 (digits count
their value, ``-`` counts 1). Catalog numbers are five columns: digits (possibly unpadded,
``"   29"``) or Alpha-5 (``T0288`` = 27 × 10,000 + 288).

``group_tle_lines`` groups the lines of a file into records (or runs of lines that form none);
``record_to_elements`` builds and validates an :class:`~groundnet.orbits.elements.ElementSet`
or says why not. One record at a time, so one damaged record never takes its neighbours down.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from operator import itemgetter
from typing import Iterable, Iterator

import numpy as np

from .elements import ElementSet
from .validation import RecordProblem, check_elements

LINE_LENGTH = 69
# Alpha-5: the first character of a 5-column catalog number may be a letter (I and O skipped).
ALPHA5_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
MAX_ALPHA5_ID = 339_999
# 1-based columns that are blank in a well-formed line; a shifted or reflowed line breaks them.
_BLANK_COLUMNS = {
    "1": (2, 9, 18, 33, 44, 53, 62, 64),
    "2": (2, 8, 17, 26, 34, 43, 52),
}
_BLANKS = {which: (itemgetter(*(c - 1 for c in cols)), (" ",) * len(cols)) for which, cols in _BLANK_COLUMNS.items()}
_YEAR_START: dict[int, float] = {}
# Past the catalog number, designator and classification, a line holds only numbers: anything else
# (a letter, "_") would slip through float() or the checksum, e.g. "0.e019" reads as 0.
_NUMERIC_FROM = {"1": 18, "2": 8}
_NUMERIC = re.compile(r"[0-9 .+-]*")
_FIELDS = {  # (first column, last column, name) of the numeric fields, for messages
    "1": ((19, 32, "epoch"), (34, 43, "first derivative of mean motion"), (45, 52, "second derivative of mean motion"),
          (54, 61, "B*"), (63, 63, "ephemeris type"), (65, 68, "element set number"), (69, 69, "checksum")),
    "2": ((9, 16, "inclination"), (18, 25, "RAAN"), (27, 33, "eccentricity"), (35, 42, "argument of perigee"),
          (44, 51, "mean anomaly"), (53, 63, "mean motion"), (64, 68, "revolution number"), (69, 69, "checksum")),
}


def _field_at(which: str, col: int) -> str:
    for first, last, name in _FIELDS[which]:
        if first <= col <= last:
            return f"{name} (columns {first}-{last})"
    return f"column {col}"


def decode_catalog_number(field: str) -> int:
    """The integer catalog number of a 5-column TLE field: ``"25544"``, ``"   29"``, ``"T0288"`` → 270288."""
    text = field.strip()
    if not text:
        raise ValueError("catalog number is blank")
    if text.isascii() and text.isdigit():
        return int(text)
    head, tail = text[0].upper(), text[1:]
    if len(text) == 5 and head in ALPHA5_LETTERS and tail.isascii() and tail.isdigit():
        return (ALPHA5_LETTERS.index(head) + 10) * 10_000 + int(tail)
    if head in "IO" and len(text) == 5 and tail.isdigit():
        raise ValueError(f"catalog number '{text}': Alpha-5 does not use the letters I and O")
    raise ValueError(f"catalog number '{text}' is neither digits nor Alpha-5 (a letter and four digits)")


def encode_catalog_number(norad_id: int) -> str:
    """The 5-column TLE form of a catalog number (Alpha-5 above 99,999)."""
    if 0 <= norad_id <= 99_999:
        return f"{norad_id:05d}"
    if norad_id <= MAX_ALPHA5_ID:
        return ALPHA5_LETTERS[norad_id // 10_000 - 10] + f"{norad_id % 10_000:04d}"
    raise ValueError(f"catalog number {norad_id} does not fit in a TLE (Alpha-5 ends at {MAX_ALPHA5_ID})")


# Checksum values per byte: a digit counts its value, a minus sign counts 1, everything else 0.
_CHECKSUM_VALUES = bytes((c - 48) if 48 <= c <= 57 else (1 if c == 45 else 0) for c in range(256))


def checksum(line: str) -> int:
    """Modulo-10 checksum of columns 1-68: digits count their value, minus signs count 1."""
    return sum(line[:68].encode("ascii", errors="ignore").translate(_CHECKSUM_VALUES)) % 10


def is_line1(text: str) -> bool:
    return text.startswith("1 ")


def is_line2(text: str) -> bool:
    return text.startswith("2 ")


@dataclass
class TleRecord:
    """The lines of one record as found in a file (``name`` is None for 2-line records)."""

    line_no: int  # first line of the record (the name line when there is one)
    name: str | None
    line1: str
    line2: str


def _field(line: str, first: int, last: int) -> str:
    """Columns first..last (1-based, inclusive)."""
    return line[first - 1:last]


def _number(line: str, first: int, last: int, what: str, line_no: int) -> float:
    text = line[first - 1:last]
    try:
        value = float(text)  # surrounding blanks are allowed
    except ValueError:
        raise RecordProblem(f"{what} (columns {first}-{last}) '{text.strip()}' is not a number", line=line_no) from None
    if not math.isfinite(value):
        raise RecordProblem(f"{what} (columns {first}-{last}) is '{text.strip()}'", line=line_no)
    return value


def _implied_decimal(line: str, first: int, what: str, line_no: int) -> float:
    """An 8-column field ``SMMMMMSE`` meaning ±0.MMMMM × 10^±E (TLE's second derivative and B*)."""
    text = line[first - 1:first + 7]
    sign, mantissa, exp_sign, exp_digit = text[0], text[1:6], text[6], text[7]
    if (sign not in " +-" or exp_sign not in "+-" or not exp_digit.isdigit()
            or not mantissa.replace(" ", "0").isdigit()):
        raise RecordProblem(f"{what} (columns {first}-{first + 7}) '{text}' is not in the form ±NNNNN±N", line=line_no)
    return float(f"{sign.strip()}.{mantissa.replace(' ', '0')}e{exp_sign}{exp_digit}")


def _check_layout(line: str, which: str, line_no: int, notes: list[tuple[str, str]] | None,
                  require_checksum: bool) -> str:
    """The first 69 columns of a line after checking its length, characters, blanks and checksum.

    ``notes`` collects (code, text) warnings about a line that is still usable.
    """
    if not line.isascii() or not line.isprintable():
        bad = next(i for i, ch in enumerate(line) if ord(ch) > 126 or not ch.isprintable()) + 1
        kind = "a non-ASCII" if ord(line[bad - 1]) > 127 else "a control"
        raise RecordProblem(f"line {which} has {kind} character at column {bad}", line=line_no)
    if len(line) < LINE_LENGTH:
        raise RecordProblem(f"line {which} is {len(line)} characters long, {LINE_LENGTH} expected (truncated?)",
                            line=line_no)
    numeric_from = _NUMERIC_FROM[which]
    if not _NUMERIC.fullmatch(line, numeric_from - 1, LINE_LENGTH):
        col = next(i for i in range(numeric_from - 1, LINE_LENGTH) if line[i] not in "0123456789 .+-") + 1
        raise RecordProblem(f"line {which}: {_field_at(which, col)} holds '{line[col - 1]}' at column {col}, where "
                            "only digits, blanks, '.', '+' and '-' belong", line=line_no)
    pick, blanks = _BLANKS[which]
    if pick(line) != blanks:
        col = next(c for c in _BLANK_COLUMNS[which] if line[c - 1] != " ")
        raise RecordProblem(f"line {which}: column {col} should be blank but holds '{line[col - 1]}' "
                            "(columns shifted?)", line=line_no)
    if len(line) > LINE_LENGTH and line[LINE_LENGTH] != " ":
        raise RecordProblem(f"line {which} is {len(line)} characters long, {LINE_LENGTH} expected "
                            "(columns shifted?)", line=line_no)
    if len(line) > LINE_LENGTH and notes is not None:
        notes.append(("extra_columns", f"line {which}: {len(line) - LINE_LENGTH} characters after column 69 ignored"))
    digit = line[LINE_LENGTH - 1]
    if not digit.isdigit() or int(digit) != checksum(line):
        found = f"is {digit}" if digit.isdigit() else f"(column 69) '{digit}' is not a digit"
        reason = f"line {which}: checksum {found}, the line sums to {checksum(line)}"
        if require_checksum:
            raise RecordProblem(reason, line=line_no, code="checksum")
        if notes is not None:
            notes.append(("checksum", reason + " (kept: checksums not required)"))
    return line[:LINE_LENGTH]


def full_year(year2: int) -> int:
    """A TLE's two-digit year: 57-99 → 19xx, 00-56 → 20xx (the first satellite flew in 1957)."""
    return 1900 + year2 if year2 >= 57 else 2000 + year2


def tle_epoch_unix(year2: int, day_of_year: float) -> float:
    """POSIX seconds of a TLE epoch (day 1.0 = 1 January 00:00 UTC)."""
    start = _YEAR_START.get(year2)
    if start is None:
        start = _YEAR_START[year2] = datetime(full_year(year2), 1, 1, tzinfo=timezone.utc).timestamp()
    return start + (day_of_year - 1.0) * 86400.0


def _cospar(designator: str) -> str:
    """``98067A`` → ``1998-067A`` (blank stays blank)."""
    d = designator.strip()
    if len(d) >= 5 and d[:5].isdigit():
        return f"{full_year(int(d[:2]))}-{d[2:5]}{d[5:]}"
    return d


# A well-formed line, all of it: blank columns, the characters each field may hold, 69 columns.
_WELL_FORMED_1 = re.compile(r"1 [0-9A-Z ]{5}[A-Z ] [0-9A-Z ]{8} [0-9]{2}[0-9 .]{12} [0-9 .+-]{10} [0-9 +-]{8} "
                            r"[0-9 +-]{8} [0-9 ] [0-9 ]{4}[0-9]")
_WELL_FORMED_2 = re.compile(r"2 [0-9A-Z ]{5} [0-9 .]{8} [0-9 .]{8} [0-9]{7} [0-9 .]{8} [0-9 .]{8} [0-9 .]{11}[0-9 ]{5}[0-9]")


def _quick_elements(rec: TleRecord, source: str) -> ElementSet | None:
    """The element set of a well-formed record, or None to let the checking path say what is wrong.

    The common case in one pass: whole-line patterns, checksums, and conversions that would raise
    on anything odd. Its values are those of the checking path (a test compares both on every real record).
    """
    l1, l2 = rec.line1, rec.line2
    if not (len(l1) == len(l2) == LINE_LENGTH and _WELL_FORMED_1.fullmatch(l1) and _WELL_FORMED_2.fullmatch(l2)
            and l1[2:7] == l2[2:7] and checksum(l1) == ord(l1[68]) - 48 and checksum(l2) == ord(l2[68]) - 48):
        return None
    try:
        norad_id = decode_catalog_number(l1[2:7])
        year2, day = int(l1[18:20]), float(l1[20:32])
        n1, n2 = l1[44:52], l1[53:61]  # second derivative of mean motion, B*
        if not (1.0 <= day < 366.0) or n1[6] not in "+-" or n2[6] not in "+-" or not (n1[1:6] + n2[1:6]).isdigit():
            return None
        elements = ElementSet(
            norad_id=norad_id,
            name=(rec.name or "").strip(),
            epoch_unix=tle_epoch_unix(year2, day),
            mean_motion_rev_day=float(l2[52:63]),
            eccentricity=float("0." + l2[26:33]),
            inclination_deg=float(l2[8:16]),
            raan_deg=float(l2[17:25]),
            arg_perigee_deg=float(l2[34:42]),
            mean_anomaly_deg=float(l2[43:51]),
            # "-11606-4" is -0.11606e-4; the pattern above let only digits and signs through.
            bstar=float(f"{n2[0].strip()}.{n2[1:6]}e{n2[6:8]}"),
            mean_motion_dot=float(l1[33:43]),
            mean_motion_ddot=float(f"{n1[0].strip()}.{n1[1:6]}e{n1[6:8]}"),
            international_designator=_cospar(l1[9:17]),
            classification=l1[7].strip() or "U",
            element_set_no=int(l1[64:68].strip() or 0),
            rev_at_epoch=int(l2[63:68].strip() or 0),
            source=source,
            line=rec.line_no,
        )
    except (ValueError, RecordProblem):
        return None
    return elements


def record_to_elements(rec: TleRecord, source: str = "", *, notes: list[tuple[str, str]] | None = None,
                       require_checksum: bool = True) -> ElementSet:
    """Build and validate one element set; raises :class:`RecordProblem` naming the line and column.

    Warnings about a usable record (ignored columns, a checksum when not required) go to ``notes``.
    """
    quick = _quick_elements(rec, source)
    if quick is not None:
        check_elements(quick)
        return quick
    return checked_record_to_elements(rec, source, notes=notes, require_checksum=require_checksum)


def checked_record_to_elements(rec: TleRecord, source: str = "", *, notes: list[tuple[str, str]] | None = None,
                               require_checksum: bool = True) -> ElementSet:
    """:func:`record_to_elements` field by field, with a message naming the line and columns of any fault."""
    n1, n2 = rec.line_no + (1 if rec.name is not None else 0), rec.line_no + (2 if rec.name is not None else 1)
    try:
        l1 = _check_layout(rec.line1, "1", n1, notes, require_checksum)
        l2 = _check_layout(rec.line2, "2", n2, notes, require_checksum)
    except RecordProblem as problem:
        problem.object_id = _catalog_number_or_none(rec.line1[2:7]) or _catalog_number_or_none(rec.line2[2:7])
        raise
    try:
        norad_id = decode_catalog_number(_field(l1, 3, 7))
    except ValueError as exc:
        raise RecordProblem(f"line 1: {exc}", line=n1) from None
    if _field(l2, 3, 7).strip() != _field(l1, 3, 7).strip():
        raise RecordProblem(f"line 2 is for catalog number '{_field(l2, 3, 7).strip()}', line 1 for "
                            f"'{_field(l1, 3, 7).strip()}' (lines from different objects?)", line=n2, object_id=norad_id)
    try:
        year_text, day_text = _field(l1, 19, 20), _field(l1, 21, 32)
        if not year_text.isdigit():
            raise RecordProblem(f"epoch year (columns 19-20) '{year_text}' is not two digits", line=n1)
        day = _number(l1, 21, 32, "epoch day", n1)
        year2 = int(year_text)
        year = full_year(year2)
        days_in_year = 366 if (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 365
        if not 1.0 <= day < days_in_year + 1.0:
            raise RecordProblem(f"epoch day of year (columns 21-32) '{day_text.strip()}' is outside 1..{days_in_year}",
                                line=n1)
        ecc_text = _field(l2, 27, 33)
        if not ecc_text.replace(" ", "0").isdigit():
            raise RecordProblem(f"eccentricity (columns 27-33) '{ecc_text}' is not 7 digits", line=n2)
        rev_text = _field(l2, 64, 68).strip()
        if rev_text and not rev_text.isdigit():
            raise RecordProblem(f"revolution number (columns 64-68) '{rev_text}' is not a number", line=n2)
        set_text = _field(l1, 65, 68).strip()
        if set_text and not set_text.isdigit():
            raise RecordProblem(f"element set number (columns 65-68) '{set_text}' is not a number", line=n1)
        elements = ElementSet(
            norad_id=norad_id,
            name=(rec.name or "").strip(),
            epoch_unix=tle_epoch_unix(year2, day),
            mean_motion_rev_day=_number(l2, 53, 63, "mean motion", n2),
            eccentricity=float("0." + ecc_text.replace(" ", "0")),
            inclination_deg=_number(l2, 9, 16, "inclination", n2),
            raan_deg=_number(l2, 18, 25, "right ascension of the ascending node", n2),
            arg_perigee_deg=_number(l2, 35, 42, "argument of perigee", n2),
            mean_anomaly_deg=_number(l2, 44, 51, "mean anomaly", n2),
            bstar=_implied_decimal(l1, 54, "B*", n1),
            mean_motion_dot=_number(l1, 34, 43, "first derivative of mean motion", n1),
            mean_motion_ddot=_implied_decimal(l1, 45, "second derivative of mean motion", n1),
            international_designator=_cospar(_field(l1, 10, 17)),
            classification=_field(l1, 8, 8).strip() or "U",
            element_set_no=int(set_text or 0),
            rev_at_epoch=int(rev_text or 0),
            source=source,
            line=rec.line_no,
        )
    except RecordProblem as problem:
        problem.object_id = norad_id
        raise
    check_elements(elements)
    return elements


def _catalog_number_or_none(field: str) -> int | None:
    try:
        return decode_catalog_number(field)
    except ValueError:
        return None


@dataclass
class BrokenGroup:
    """Consecutive lines that form no record (reported as one rejection)."""

    line_no: int
    last_line_no: int
    reason: str
    object_id: int | None = None


class _BrokenRun:
    """Accumulates the lines of one broken group without holding them (a junk file may be huge)."""

    def __init__(self) -> None:
        self.first = self.last = 0
        self.count = 0
        self.line1_at: int | None = None
        self.line2_at: int | None = None
        self.other_at: int | None = None
        self.other_text = ""
        self.object_id: int | None = None

    def accepts(self, text: str) -> bool:
        """A line 1, or a second line 2, starts a new group: each damaged record is reported apart."""
        if is_line1(text):
            return self.line1_at is None and self.line2_at is None
        if is_line2(text):
            return self.line2_at is None
        return True

    def add(self, line_no: int, text: str) -> None:
        if not self.count:
            self.first = line_no
        self.last = line_no
        self.count += 1
        if is_line1(text) or is_line2(text):
            if is_line1(text):
                self.line1_at = line_no
            else:
                self.line2_at = line_no
            if self.object_id is None:
                self.object_id = _catalog_number_or_none(text[2:7])
        elif self.other_at is None:
            self.other_at, self.other_text = line_no, text

    def group(self) -> BrokenGroup:
        snippet = self.other_text[:30] + ("..." if len(self.other_text) > 30 else "")
        if self.line1_at is not None and self.line2_at is not None:
            reason = f"line 1 (line {self.line1_at}) and line 2 (line {self.line2_at}) are not consecutive"
        elif self.line1_at is not None:
            reason = f"a line 1 (line {self.line1_at}) without a line 2 after it"
        elif self.line2_at is not None:
            reason = f"a line 2 (line {self.line2_at}) without a line 1 before it"
        elif self.count == 1:
            reason = "a line that is neither a TLE line nor a name followed by one"
        else:
            reason = f"{self.count} lines that are neither TLE lines nor names followed by them"
        if self.other_at is not None and (self.line1_at is not None or self.line2_at is not None):
            reason += f"; line {self.other_at} reads '{snippet}'"
        elif self.other_at is not None:
            reason += f": '{snippet}'"
        return BrokenGroup(self.first, self.last, reason, self.object_id)


def expects_names(sample: str) -> bool | None:
    """Whether a file is 3-line (a name before each line 1), judged on a sample of its lines.

    Most line 1s in a 3-line file follow a name line, none in a 2-line file; a majority vote keeps
    one damaged line from changing the verdict. None when the sample holds no line 1.
    """
    previous = ""
    with_name = total = 0
    for raw in sample.splitlines():
        text = raw.rstrip()
        if not text.strip() or text.startswith("#"):
            continue
        if is_line1(text):
            total += 1
            with_name += not (is_line1(previous) or is_line2(previous) or not previous)
        previous = text
    return None if total == 0 else 2 * with_name > total


def group_tle_lines(lines: Iterable[tuple[int, str]], names: bool | None = None) -> Iterator[TleRecord | BrokenGroup]:
    """Group numbered lines (line ends already removed) into 2- or 3-line records.

    Every record ends with its line 2: a record is a line 2, the line 1 just before it and, in a
    3-line file, the name line before that (``names``: whether the file is 3-line, see
    :func:`expects_names`; None decides from the records read so far). Lines between two records
    that form none are reported as one broken group per damaged record (a new group starts at
    each line 1), so a damaged line costs its own record only. Blank lines and lines starting with
    ``#`` are skipped. At most three lines are held, whatever the size of the file.
    """
    pending: list[tuple[int, str]] = []
    broken: _BrokenRun | None = None
    named = unnamed = 0

    def to_broken(items: list[tuple[int, str]]) -> Iterator[BrokenGroup]:
        nonlocal broken
        for line_no, text in items:
            if broken is not None and not broken.accepts(text):
                yield broken.group()
                broken = None
            if broken is None:
                broken = _BrokenRun()
            broken.add(line_no, text)

    def close_broken() -> Iterator[BrokenGroup]:
        nonlocal broken
        if broken is not None:
            yield broken.group()
            broken = None

    for line_no, raw in lines:
        text = raw.rstrip()
        if not text or text[0] == "#":
            continue
        if text[:2] != "2 ":
            pending.append((line_no, text))
            if len(pending) > 2:
                # A record's lines before its line 2 are at most a name and a line 1.
                yield from to_broken(pending[:-2])
                del pending[:-2]
            continue
        if not pending or not is_line1(pending[-1][1]):
            yield from to_broken(pending + [(line_no, text)])
            pending.clear()
            continue
        names_expected = names if names is not None else named >= unnamed
        start = len(pending) - 1
        if start >= 1 and names_expected and not is_line1(pending[start - 1][1]):
            start -= 1
        if start:
            yield from to_broken(pending[:start])
        if broken is not None:
            yield from close_broken()
        record = pending[start:]
        pending.clear()
        if len(record) == 2:
            named += 1
            yield TleRecord(record[0][0], _clean_name(record[0][1]), record[1][1], text)
        else:
            unnamed += 1
            yield TleRecord(record[0][0], None, record[0][1], text)
    yield from to_broken(pending)
    yield from close_broken()


def _clean_name(text: str) -> str:
    """CelesTrak pads names to 24 columns; Space-Track 3LE prefixes them with ``0 ``."""
    name = text.strip()
    return name[2:].strip() if name.startswith("0 ") else name


# --------------------------------------------------------------------------------------------
# Whole files at once: the same checks as ``_quick_elements``, column by column over every record


def _column_table(pattern: str) -> np.ndarray:
    """(69, 256) bool: which byte may stand in each column of a fixed-width line pattern made of
    literal characters and classes such as ``[0-9A-Z ]{5}`` (the ``_WELL_FORMED_*`` patterns)."""
    table = np.zeros((LINE_LENGTH, 256), bool)
    col = 0
    for literal, cls, count in re.findall(r"([^\[])|\[([^\]]+)\](?:\{(\d+)\})?", pattern):
        allowed = set()
        if literal:
            allowed.add(ord(literal))
        else:
            k = 0
            while k < len(cls):
                if k + 2 < len(cls) and cls[k + 1] == "-":
                    allowed.update(range(ord(cls[k]), ord(cls[k + 2]) + 1))
                    k += 3
                else:
                    allowed.add(ord(cls[k]))
                    k += 1
        for _ in range(int(count or 1)):
            table[col, list(allowed)] = True
            col += 1
    assert col == LINE_LENGTH
    return table


_ALLOWED = {}


def _allowed(which: str) -> np.ndarray:
    if which not in _ALLOWED:
        _ALLOWED[which] = _column_table((_WELL_FORMED_1 if which == "1" else _WELL_FORMED_2).pattern)
    return _ALLOWED[which]


_CHECKSUM_ARRAY = np.frombuffer(_CHECKSUM_VALUES, np.uint8)
_YEAR_PREFIX = {f"{y:02d}".encode(): f"{full_year(y)}-" for y in range(100)}
_DIGIT_VALUE = np.full(256, -1, np.int64)
_DIGIT_VALUE[48:58] = np.arange(10)
_DIGIT_VALUE[32] = 0  # a blank counts as 0 in right-aligned numbers
_ALPHA5_VALUE = np.full(256, -1, np.int64)
_ALPHA5_VALUE[48:58] = np.arange(10)
_ALPHA5_VALUE[32] = 0
for _i, _letter in enumerate(ALPHA5_LETTERS):
    _ALPHA5_VALUE[ord(_letter)] = 10 + _i


def _integers(cols: np.ndarray) -> np.ndarray:
    """Right-aligned digits (blanks as 0) of ``(n, width)`` byte columns as integers."""
    value = np.zeros(cols.shape[0], np.int64)
    for k in range(cols.shape[1]):
        value = value * 10 + _DIGIT_VALUE[cols[:, k]]
    return value


def _decimals(block: np.ndarray) -> np.ndarray:
    """Fixed-width decimal fields (``(n, width)`` bytes such as `` 51.6439``) as floats, each
    correctly rounded (the same value as ``float(text)``)."""
    return np.array(block.view(f"S{block.shape[1]}").ravel().astype(np.float64))


def _implied_decimals(block: np.ndarray) -> np.ndarray:
    """``SMMMMMSE`` fields (±0.MMMMM × 10^±E) as floats, one correctly rounded division each."""
    sign = np.where(block[:, 0] == ord("-"), -1.0, 1.0)
    mantissa = _integers(block[:, 1:6]).astype(np.float64)
    exponent = np.where(block[:, 6] == ord("-"), -1, 1) * _DIGIT_VALUE[block[:, 7]]
    shift = 5 - exponent  # value = mantissa / 10**shift, with 10**shift exact (|shift| <= 14)
    value = np.where(shift >= 0, mantissa / 10.0 ** np.maximum(shift, 0), mantissa * 10.0 ** np.maximum(-shift, 0))
    return sign * value


def parse_clean_file(data: bytes, source: str = "") -> list | None:
    """The records of a whole TLE file at once, when its layout is clean: every non-blank line
    (``#`` comments aside) in records of a name, a line 1 and a line 2 (or line 1 and line 2
    only), line ends ``\\n`` or ``\\r\\n``. Returns None for any other layout (the line-by-line
    reader handles it); else one item per record, in file order: an ``ElementSet`` for each
    record that passes every check of ``_quick_elements`` (the same values, to the bit), or the
    ``TleRecord`` for the checking path to judge."""
    if b"\r" in data.replace(b"\r\n", b"\n") or b"\x0b" in data or b"\x0c" in data:
        return None
    lines = data.replace(b"\r\n", b"\n").split(b"\n")
    kept = [(i + 1, line.rstrip()) for i, line in enumerate(lines) if line.strip() and line[:1] != b"#"]
    if not kept:
        return None
    starts = [line[:2] for _, line in kept]
    if len(kept) % 3 == 0 and all(s == b"1 " for s in starts[1::3]) and all(s == b"2 " for s in starts[2::3]) \
            and not any(s in (b"1 ", b"2 ") for s in starts[0::3]):
        per = 3
    elif len(kept) % 2 == 0 and all(s == b"1 " for s in starts[0::2]) and all(s == b"2 " for s in starts[1::2]):
        per = 2
    else:
        return None
    n = len(kept) // per
    first = [kept[k][0] for k in range(0, len(kept), per)]
    names = [kept[k][1] for k in range(0, len(kept), per)] if per == 3 else None
    if names is not None and not all(name.decode("utf-8", "surrogateescape").rstrip() for name in names):
        return None  # a name line that only Unicode calls blank: the line reader decides
    raw1 = [kept[k][1] for k in range(per - 2, len(kept), per)]
    raw2 = [kept[k][1] for k in range(per - 1, len(kept), per)]
    good = np.array([len(a) == LINE_LENGTH and len(b) == LINE_LENGTH for a, b in zip(raw1, raw2)], bool)
    pad = b" " * LINE_LENGTH
    l1 = np.frombuffer(b"".join(a if ok else pad for a, ok in zip(raw1, good)), np.uint8).reshape(n, LINE_LENGTH)
    l2 = np.frombuffer(b"".join(b if ok else pad for b, ok in zip(raw2, good)), np.uint8).reshape(n, LINE_LENGTH)
    cols = np.arange(LINE_LENGTH)
    good &= _allowed("1")[cols, l1].all(axis=1) & _allowed("2")[cols, l2].all(axis=1)
    good &= (l1[:, 2:7] == l2[:, 2:7]).all(axis=1)
    good &= (_CHECKSUM_ARRAY[l1[:, :68]].sum(axis=1, dtype=np.int64) % 10 == l1[:, 68] - 48)
    good &= (_CHECKSUM_ARRAY[l2[:, :68]].sum(axis=1, dtype=np.int64) % 10 == l2[:, 68] - 48)
    # Fields: those of _quick_elements, with its extra conditions.
    digits_ok = np.isin(l1[:, 45:50], np.arange(48, 58)).all(axis=1) & np.isin(l1[:, 54:59], np.arange(48, 58)).all(axis=1)
    signs_ok = np.isin(l1[:, 50], (43, 45)) & np.isin(l1[:, 59], (43, 45))
    good &= digits_ok & signs_ok
    ident = l1[:, 2:7]
    is_digit, is_blank = (ident >= 48) & (ident <= 57), ident == 32
    # Digits after leading blanks (``"   29"``), as int() reads the stripped text; or Alpha-5.
    numeric_id = (is_digit | is_blank).all(axis=1) & is_digit[:, -1] & ~(np.maximum.accumulate(is_digit, axis=1) & is_blank).any(axis=1)
    alpha_ok = (_ALPHA5_VALUE[ident[:, 0]] >= 10) & is_digit[:, 1:].all(axis=1)
    good &= numeric_id | alpha_ok
    norad = np.where(numeric_id, _integers(ident), _ALPHA5_VALUE[ident[:, 0]] * 10_000 + _integers(ident[:, 1:5]))
    year2 = _integers(l1[:, 18:20])
    with np.errstate(all="ignore"):
        day = _decimals(np.where(good[:, None], l1[:, 20:32], ord("0")))
        good &= (day >= 1.0) & (day < 366.0)
        values = {name: _decimals(np.where(good[:, None], block, ord("0"))) for name, block in (
            ("n", l2[:, 52:63]), ("inc", l2[:, 8:16]), ("raan", l2[:, 17:25]), ("argp", l2[:, 34:42]),
            ("ma", l2[:, 43:51]), ("ndot", l1[:, 33:43]))}
    ecc = _integers(l2[:, 26:33]) / 1e7
    bstar = _implied_decimals(l1[:, 53:61])
    nddot = _implied_decimals(l1[:, 44:52])
    set_no = _integers(l1[:, 64:68])
    revs = _integers(l2[:, 63:68])
    out: list = []
    columns = [x.tolist() for x in (good, norad, year2, day, values["n"], ecc, values["inc"], values["raan"],
                                     values["argp"], values["ma"], bstar, values["ndot"], nddot, set_no, revs)]
    for k, (ok, nid, yy, dd, mm, e, inc, raan, argp, ma, bs, nd, ndd, sn, rv) in enumerate(zip(*columns)):
        if names is None:
            name = None
        elif names[k].isascii():  # _clean_name on the bytes
            raw_name = names[k].strip()
            name = (raw_name[2:].strip() if raw_name[:2] == b"0 " else raw_name).decode("ascii")
        else:
            name = _clean_name(names[k].decode("utf-8", errors="surrogateescape"))
        if not ok:
            out.append(TleRecord(first[k], name, raw1[k].decode("ascii", errors="surrogateescape"),
                                 raw2[k].decode("ascii", errors="surrogateescape")))
            continue
        line1 = raw1[k]
        designator = line1[9:17]
        cospar = (_YEAR_PREFIX[designator[:2]] + designator[2:].rstrip().decode("ascii") if designator[:5].isdigit()
                  else _cospar(designator.decode("ascii")))
        out.append(ElementSet(nid, (name or "").strip(), tle_epoch_unix(yy, dd), mm, e, inc, raan, argp, ma, bs, nd, ndd,
                              cospar, chr(line1[7]).strip() or "U", sn, rv, source, first[k]))
    return out
