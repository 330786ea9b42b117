"""The compiled row writer (``text_rows``) writes the very bytes of Arrow's kernels (``output``)."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from groundnet import output
from groundnet.text_rows import rows_bytes

FLOATS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.floats(min_value=-1e13, max_value=1e13),
    st.integers(-10**9, 10**9).map(lambda k: k / 1000),  # exact 3-decimal values
    st.integers(-10**9, 10**9).map(lambda k: (k + 0.5) / 1000),  # ties at the 4th decimal
    st.sampled_from([0.0, -0.0, 0.0004, -0.0004, 0.0005, -0.0005, 1e-7, 9999999999.9995, 9999999999.999, 1e10, -1e10, 1.7e308, -1e301]),
)
NS = st.integers(-(2**63) + 1, 2**63 - 1)
TEXTS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12) | st.sampled_from(
    ['a,b', 'say "hi"', "two\nlines", "", "Ω-1"])


def columns(n: int):
    maybe = lambda s: st.one_of(st.none(), s)  # noqa: E731
    return st.fixed_dictionaries({
        "i": st.lists(maybe(st.integers(-(2**63), 2**63 - 1)), min_size=n, max_size=n),
        "u8": st.lists(st.integers(0, 255), min_size=n, max_size=n),
        "f": st.lists(maybe(FLOATS), min_size=n, max_size=n),
        "f32": st.lists(st.floats(width=32), min_size=n, max_size=n),
        "t": st.lists(maybe(NS), min_size=n, max_size=n),
        "b": st.lists(maybe(st.booleans()), min_size=n, max_size=n),
        "s": st.lists(maybe(TEXTS), min_size=n, max_size=n),
    })


def table_of(data: dict) -> pa.Table:
    return pa.table({
        "i": pa.array(data["i"], pa.int64()),
        "u8": pa.array(data["u8"], pa.uint8()),
        "f": pa.array(data["f"], pa.float64()),
        "f32": pa.array(data["f32"], pa.float32()),
        "t": pa.array(data["t"], pa.timestamp("ns", tz="UTC")),
        "b": pa.array(data["b"], pa.bool_()),
        "s": pa.array(data["s"], pa.string()),
        "d": pa.array(data["s"], pa.string()).dictionary_encode(),
        "day": pa.array([None if v is None else abs(v) % 100_000 for v in data["i"]], pa.date32()),
    })


def arrow_reference(table: pa.Table, kind: str) -> bytes:
    saved = output.COMPILED_ROWS
    output.COMPILED_ROWS = math.inf
    try:
        return bytes(output.arrow_rows_bytes(table, kind))
    finally:
        output.COMPILED_ROWS = saved


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 30).flatmap(columns), st.sampled_from(["csv", "json", "ndjson"]))
def test_compiled_rows_are_arrows_bytes(data, kind):
    table = table_of(data)
    assert bytes(rows_bytes(table, kind)) == arrow_reference(table, kind)


@pytest.mark.parametrize("kind", ["csv", "json", "ndjson"])
def test_a_table_of_passes_is_written_alike(kind):
    """Past ``COMPILED_ROWS`` rows ``arrow_rows_bytes`` takes the compiled path: the same bytes."""
    rng = np.random.default_rng(7)
    n = output.COMPILED_ROWS + 1000
    aos = 1696896000.0 + np.sort(rng.uniform(0, 86400, n))
    table = pa.table({
        "object_id": pa.array(rng.integers(1, 60000, n)),
        "object_name": pa.array(rng.choice(["ISS (ZARYA)", "COSMOS 1408 DEB", 'NAME "Q"', "A,B"], n)),
        "aos": pa.array((aos * 1e9).astype(np.int64), pa.timestamp("ns", tz="UTC")),
        "max_elevation_deg": pa.array(np.where(rng.random(n) < 0.01, np.nan, rng.uniform(0, 90, n))),
        "aos_clipped": pa.array(rng.random(n) < 0.5),
    })
    assert bytes(output.arrow_rows_bytes(table, kind)) == arrow_reference(table, kind)
