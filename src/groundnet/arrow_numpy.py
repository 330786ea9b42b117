"""NumPy arrays and Python text to Arrow and back, through buffers.

``pa.array``, ``pa.scalar``, ``Array.to_numpy``, ``schema.empty_table`` and compute calls given
NumPy or Python values first ask whether pandas is installed, which imports it (a large
import) in every process that writes passes: the command and each of its worker processes, for
nothing. These helpers build the same arrays from the values' memory instead; every path that
moves passes (``visibility.arrow``, ``visibility.scale``, ``groundnet.output``) goes through them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

_NUMPY_OF = {
    pa.int8(): np.int8, pa.int16(): np.int16, pa.int32(): np.int32, pa.int64(): np.int64,
    pa.uint8(): np.uint8, pa.uint16(): np.uint16, pa.uint32(): np.uint32, pa.uint64(): np.uint64,
    pa.float32(): np.float32, pa.float64(): np.float64,
}


def _bitmap(flags: np.ndarray) -> pa.Buffer:
    return pa.py_buffer(np.packbits(np.ascontiguousarray(flags, dtype=bool), bitorder="little"))


def array(values, type: pa.DataType | None = None, mask: np.ndarray | None = None) -> pa.Array:
    """A NumPy array (integers, floats, booleans; 1-D) as an Arrow array of ``type`` (default: its
    own), null where ``mask`` is True."""
    values = np.asarray(values)
    if type is None:
        type = pa.bool_() if values.dtype == bool else pa.from_numpy_dtype(values.dtype)
    n = len(values)
    validity = None
    null_count = 0
    if mask is not None and (mask := np.asarray(mask, dtype=bool)).any():
        validity, null_count = _bitmap(~mask), int(mask.sum())
    if pa.types.is_boolean(type):
        data = _bitmap(values.astype(bool, copy=False))
    elif pa.types.is_timestamp(type) or pa.types.is_duration(type):
        data = pa.py_buffer(np.ascontiguousarray(values, dtype=np.int64))
    else:
        data = pa.py_buffer(np.ascontiguousarray(values, dtype=_NUMPY_OF[type]))
    return pa.Array.from_buffers(type, n, [validity, data], null_count=null_count)


def numpy(column) -> np.ndarray:
    """An Arrow column of numbers, times or booleans (an array or a chunked array) as a NumPy
    array (read-only when it is a view). Nulls are NaN in floating-point columns; in others they
    come out as whatever the data buffer holds there (``nulls`` tells where)."""
    if isinstance(column, pa.ChunkedArray):
        chunks = [numpy(c) for c in column.chunks]
        if len(chunks) == 1:
            return chunks[0]
        dtype = _dtype(column.type)
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype)
    n, offset = len(column), column.offset
    data = column.buffers()[1]
    if pa.types.is_boolean(column.type):
        if n == 0:
            return np.zeros(0, bool)
        bits = np.frombuffer(data, np.uint8, count=(offset + n + 7) // 8)
        return np.unpackbits(bits, bitorder="little", count=offset + n)[offset:].view(bool)
    dtype = _dtype(column.type)
    if n == 0:
        return np.zeros(0, dtype)
    values = np.frombuffer(data, dtype, count=offset + n)[offset:]
    if column.null_count and dtype.kind == "f":
        values = np.where(nulls(column), np.nan, values)
    return values


def nulls(column: pa.Array) -> np.ndarray:
    """Where an Arrow array is null, as a NumPy boolean array."""
    n, validity = len(column), column.buffers()[0]
    if not column.null_count or validity is None:
        return np.zeros(n, bool)
    bits = np.frombuffer(validity, np.uint8, count=(column.offset + n + 7) // 8)
    return ~np.unpackbits(bits, bitorder="little", count=column.offset + n)[column.offset:].view(bool)


def _dtype(type: pa.DataType):
    if pa.types.is_boolean(type):
        return np.dtype(bool)
    if pa.types.is_timestamp(type) or pa.types.is_duration(type):
        return np.dtype(np.int64)
    return np.dtype(_NUMPY_OF[type])


def text(values: Sequence[str], large: bool = False) -> pa.Array:
    """Python strings (no ``None``) as an Arrow ``string`` (or ``large_string``) array."""
    encoded = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, np.int64 if large else np.int32)
    if encoded:
        np.cumsum([len(b) for b in encoded], out=offsets[1:])
    return pa.Array.from_buffers(pa.large_string() if large else pa.string(), len(encoded),
                                 [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))])


def text_scalar(value: str, large: bool = True) -> pa.Scalar:
    return text([value], large)[0]


def float_scalar(value: float) -> pa.Scalar:
    return array(np.array([value], np.float64))[0]


def empty_table(schema: pa.Schema) -> pa.Table:
    """A table of ``schema`` with no rows."""
    return pa.Table.from_batches([], schema=schema)
