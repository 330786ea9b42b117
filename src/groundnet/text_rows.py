"""The rows of a large Arrow table as CSV, JSON or NDJSON text in one compiled pass.

``output.arrow_rows_bytes`` defines the text of every cell (``output._text_column``): floats
rounded to 3 decimals as Arrow prints them, times as ISO 8601 UTC with milliseconds, texts quoted
once per distinct value. Assembled with Arrow kernels (a text column per cell kind, then Arrow's
CSV writer), that text of a day of the whole catalog's passes takes longer than writing it;
here numba writes the same bytes straight into one buffer in one pass over the rows, and
releases the GIL, so the writer's threads format their pieces on every core.

Only cells whose text is certain to be the same go through the kernel: integers, booleans,
texts, times in nanoseconds, and floats below 10^10 in magnitude (there the shortest decimal
that reads back to ``round(x, 3)`` is that number's own 3-decimal form).
Every other column is formatted by ``output._text_column`` and copied in as text.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from numba import njit

INT, FLOAT, TIME, BOOL, TEXT = range(5)
# Column constants, by position in ``_rows``' ``constants``: what comes before the cell, the text of a
# missing cell, of true and false, and the quote around a time.
PREFIX, MISSING, TRUE, FALSE, QUOTE = range(5)
MAX_FLOAT = 1e10  # from here Arrow writes an exponent (1e+10)
_DIGITS = 20  # an int64 has at most 19 digits and a sign

# Without numba's reference counting: these only read and write arrays their caller keeps alive,
# and an atomic increment and decrement per array argument and call would cost more than the text.
compiled = njit(cache=True, nogil=True, _nrt=False, error_model="numpy")


@compiled
def _put(buf, pos, blob, start, end):
    for i in range(start, end):
        buf[pos] = blob[i]
        pos += 1
    return pos


@compiled
def _digits(buf, pos, value, width):
    """``value`` >= 0 in decimal, at least ``width`` digits (zero-padded). Unsigned arithmetic:
    a division by 10 is then a multiplication, without the sign fix-ups of a floor division."""
    v = np.uint64(value)
    ten = np.uint64(10)
    n = 1
    power = ten
    while n < 20 and v >= power:  # the count by multiplication: cheaper than dividing
        n += 1
        power *= ten
    if n < width:
        n = width
    for i in range(n - 1, -1, -1):
        q = v // ten
        buf[pos + i] = np.uint8(48 + (v - q * ten))
        v = q
    return pos + n


@compiled
def _two(buf, pos, value):
    """0 <= ``value`` < 100 as two digits."""
    v = np.uint64(value)
    buf[pos] = np.uint8(48) + np.uint8(v // np.uint64(10))
    buf[pos + 1] = np.uint8(48) + np.uint8(v % np.uint64(10))
    return pos + 2


@compiled
def _int(buf, pos, value):
    if value < 0:
        buf[pos] = 45  # -
        pos += 1
        if value == -9223372036854775808:  # its negation does not fit: the last digit apart
            pos = _digits(buf, pos, 922337203685477580, 1)
            buf[pos] = 56
            return pos + 1
        value = -value
    return _digits(buf, pos, value, 1)


@compiled
def _float3(buf, pos, rounded):
    """A float already rounded to 3 decimals, as the shortest decimal that reads back to it."""
    k = np.int64(np.rint(rounded * 1000.0))
    if k < 0:
        buf[pos] = 45
        pos += 1
        k = -k
    u = np.uint64(k)
    pos = _digits(buf, pos, u // np.uint64(1000), 1)
    frac = u % np.uint64(1000)
    if frac:
        buf[pos] = 46  # .
        pos += 1
        width = 3
        while frac % np.uint64(10) == 0:
            frac //= np.uint64(10)
            width -= 1
        pos = _digits(buf, pos, frac, width)
    return pos


@compiled
def _date(buf, pos, days):
    """Day ``days`` since 1970-01-01 as YYYY-MM-DD (H. Hinnant's civil date, proleptic Gregorian)."""
    z = days + 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    pos = _digits(buf, pos, yoe + era * 400 + (1 if month <= 2 else 0), 4)
    buf[pos] = 45  # -
    pos = _two(buf, pos + 1, month)
    buf[pos] = 45
    return _two(buf, pos + 1, day)


@compiled
def _iso(buf, pos, ns, last_day, last_date):
    """Nanoseconds since 1970 as YYYY-MM-DDTHH:MM:SS.mmmZ (to the nearest millisecond).

    ``last_day[0]`` and ``last_date`` keep the last date written (a column of passes is mostly
    one day): it is copied, not computed again."""
    ms = (ns + 500_000) // 1_000_000
    days = ms // 86_400_000
    if days != last_day[0]:
        _date(last_date, 0, days)
        last_day[0] = days
    for i in range(10):
        buf[pos + i] = last_date[i]
    buf[pos + 10] = 84  # T
    ms_of_day = np.uint64(ms - days * 86_400_000)
    seconds = ms_of_day // np.uint64(1000)
    pos = _two(buf, pos + 11, seconds // np.uint64(3600))
    buf[pos] = 58  # :
    pos = _two(buf, pos + 1, seconds // np.uint64(60) % np.uint64(60))
    buf[pos] = 58
    pos = _two(buf, pos + 1, seconds % np.uint64(60))
    buf[pos] = 46  # .
    pos = _digits(buf, pos + 1, ms_of_day - seconds * np.uint64(1000), 3)
    buf[pos] = 90  # Z
    return pos + 1


@compiled
def _rows(buf, kinds, slots, valid, ints, floats, codes, starts, ends, blob, constants, suffix, last_day, last_date):
    """Every row: for each column its prefix and its cell; then ``suffix``. Returns the length.
    ``last_day``, ``last_date``: a date cache per column for ``_iso`` (day -1 << 62: none yet)."""
    pos = 0
    n_rows = valid.shape[0]
    for r in range(n_rows):
        for c in range(kinds.shape[0]):
            pos = _put(buf, pos, blob, constants[c, PREFIX, 0], constants[c, PREFIX, 1])
            slot = slots[c]
            kind = kinds[c]
            if not valid[r, c]:
                pos = _put(buf, pos, blob, constants[c, MISSING, 0], constants[c, MISSING, 1])
            elif kind == INT:
                pos = _int(buf, pos, ints[r, slot])
            elif kind == FLOAT:
                pos = _float3(buf, pos, floats[r, slot])
            elif kind == TIME:
                pos = _put(buf, pos, blob, constants[c, QUOTE, 0], constants[c, QUOTE, 1])
                pos = _iso(buf, pos, ints[r, slot], last_day[c:c + 1], last_date[c])
                pos = _put(buf, pos, blob, constants[c, QUOTE, 0], constants[c, QUOTE, 1])
            elif kind == BOOL:
                which = TRUE if ints[r, slot] else FALSE
                pos = _put(buf, pos, blob, constants[c, which, 0], constants[c, which, 1])
            else:
                code = codes[r, slot]
                pos = _put(buf, pos, blob, starts[code], ends[code])
        pos = _put(buf, pos, suffix, 0, suffix.shape[0])
    return pos


class _Blob:
    """Byte strings appended to one buffer; ``add`` returns each one's (start, end)."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.size = 0

    def add(self, data) -> tuple[int, int]:  # bytes, or a memoryview of a buffer (copied once, by array)
        start = self.size
        self.parts.append(data)
        self.size += len(data)
        return start, self.size

    def array(self) -> np.ndarray:
        return np.frombuffer(b"".join(self.parts), dtype=np.uint8) if self.size else np.zeros(1, np.uint8)


def _texts(array) -> tuple[np.ndarray, memoryview | bytes]:
    """A large-string array without nulls as (offsets from 0, its bytes: a view, not a copy)."""
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64)[array.offset:array.offset + len(array) + 1]
    data = array.buffers()[2]
    return offsets - offsets[0], memoryview(data)[int(offsets[0]):int(offsets[-1])] if data else b""


def rows_bytes(table: pa.Table, kind: str) -> memoryview:
    """The rows of ``table`` as ``output.arrow_rows_bytes`` makes them (``kind``: csv, json, ndjson)."""
    import json

    import pyarrow.compute as pc

    from .arrow_numpy import nulls, numpy
    from .output import _csv_quote, _text_column, round3

    n, names = len(table), table.schema.names
    as_json = kind != "csv"
    missing = b"null" if as_json else b""
    blob = _Blob()
    constants = np.zeros((len(names), 5, 2), dtype=np.int64)
    valid = np.ones((len(names), n), dtype=np.bool_)
    kinds, slots, widths = [], [], []
    ints, floats, codes, starts, ends = [], [], [], [], []

    def text_entries(array) -> tuple[int, int]:
        """A text column's distinct cells into the blob: (the code of its first, the widest)."""
        offsets, data = _texts(array)
        start, _ = blob.add(data)
        first = sum(len(s) for s in starts)
        starts.append(offsets[:-1] + start)
        ends.append(offsets[1:] + start)
        return first, int(np.diff(offsets).max()) if len(offsets) > 1 else 0

    for c, name in enumerate(names):
        column = table.column(c).combine_chunks()
        t = column.type
        prefix = (("{" if c == 0 else ",") + json.dumps(name) + ":" if as_json else ("" if c == 0 else ",")).encode()
        constants[c, PREFIX] = blob.add(prefix)
        constants[c, MISSING] = blob.add(missing)
        cell_kind, width = None, 0
        if pa.types.is_integer(t) and not (pa.types.is_uint64(t) and n and pc.max(column).as_py() >= 2**63):
            cell_kind, width = INT, _DIGITS
            valid[c] = ~nulls(column)
            ints.append(np.where(valid[c], numpy(column), 0).astype(np.int64))
        elif pa.types.is_boolean(t):
            cell_kind, width = BOOL, 5
            constants[c, TRUE] = blob.add(b"true" if as_json else b"True")
            constants[c, FALSE] = blob.add(b"false" if as_json else b"False")
            valid[c] = ~nulls(column)
            ints.append(np.where(valid[c], numpy(column), False).astype(np.int64))
        elif pa.types.is_floating(t):
            rounded = numpy(round3(column).fill_null(np.nan))
            finite = np.isfinite(rounded)
            if not (np.abs(rounded[finite]) >= MAX_FLOAT).any():
                cell_kind, width = FLOAT, 18
                valid[c] = finite
                floats.append(np.where(finite, rounded, 0.0))
        elif pa.types.is_timestamp(t) and t.unit == "ns":
            # Nanoseconds in an int64 span the years 1677 to 2262: every date has four digits.
            cell_kind, width = TIME, 26
            constants[c, QUOTE] = blob.add(b'"' if as_json else b"")
            valid[c] = ~nulls(column)
            ints.append(np.where(valid[c], numpy(column), 0).astype(np.int64))
        elif pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_dictionary(t):
            encoded = column if pa.types.is_dictionary(t) else pc.dictionary_encode(column)
            quote = json.dumps if as_json else _csv_quote
            quoted = pa.array([quote(v) for v in encoded.dictionary.to_pylist()], pa.large_string())
            first, width = text_entries(quoted)
            valid[c] = ~nulls(encoded.indices)
            codes.append(np.where(valid[c], numpy(encoded.indices.fill_null(0)), 0).astype(np.int64) + first)
            cell_kind = TEXT
        if cell_kind is None:  # formatted by Arrow, copied in as text
            first, width = text_entries(_text_column(column, "json" if as_json else "csv"))
            codes.append(np.arange(n, dtype=np.int64) + first)
            cell_kind = TEXT
        kinds.append(cell_kind)
        slots.append(len(floats) - 1 if cell_kind == FLOAT else len(codes) - 1 if cell_kind == TEXT else len(ints) - 1)
        widths.append(len(prefix) + max(width, len(missing)))

    suffix = {"csv": b"\n", "json": b"},\n", "ndjson": b"}\n"}[kind]
    buf = np.empty(n * (sum(widths) + len(suffix)), dtype=np.uint8)

    def rows_of(parts, dtype):  # row-major: the kernel reads a row's cells side by side
        return np.stack(parts, axis=1) if parts else np.zeros((n, 0), dtype)

    def flat(parts):
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)

    length = _rows(buf, np.array(kinds, np.int64), np.array(slots, np.int64), np.ascontiguousarray(valid.T),
                   rows_of(ints, np.int64), rows_of(floats, np.float64), rows_of(codes, np.int64), flat(starts),
                   flat(ends), blob.array(), constants, np.frombuffer(suffix, np.uint8),
                   np.full(len(names), -(1 << 62), np.int64), np.zeros((len(names), 10), np.uint8))
    return memoryview(buf)[:length]
