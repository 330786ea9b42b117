"""Pass tables as Arrow tables: what tasks ship back, what the streaming writers take.

One schema (``SCHEMA``): times as POSIX seconds (float64, exactly the engine's values), angles in
degrees, one row per pass. Sorting, joining the two pieces of a pass cut at a slice boundary, and
the keys for merging late rows into a sorted stream all work on columns, never row by row.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SCHEMA = pa.schema(
    [
        ("object_id", pa.int64()),
        ("object_name", pa.string()),
        ("station_id", pa.string()),
        ("aos", pa.float64()),
        ("tca", pa.float64()),
        ("los", pa.float64()),
        ("max_elevation_deg", pa.float64()),
        ("aos_azimuth_deg", pa.float64()),
        ("los_azimuth_deg", pa.float64()),
        ("aos_clipped", pa.bool_()),
        ("los_clipped", pa.bool_()),
    ]
)
TIME_COLUMNS = ("aos", "tca", "los")
# The order of find_passes' table (PassTable.sort): by AOS, then object, then station.
SORT_KEYS = ("aos", "object_id", "station_id")


def from_pass_table(table) -> pa.Table:
    """The engine's ``PassTable`` as an Arrow table of ``SCHEMA``."""
    columns = {}
    for field in SCHEMA:
        values = np.asarray(getattr(table, field.name))
        if field.type == pa.string():
            values = values.astype(str)  # NumPy's fixed-width text converts ten times faster than objects
        columns[field.name] = pa.array(values, type=field.type)
    return pa.table(columns, schema=SCHEMA)


def from_indexed(passes) -> pa.Table:
    """``passes.IndexedPasses`` as an Arrow table of ``SCHEMA``: the text columns gathered from
    the few distinct names by index, in Arrow, rather than converted one Python string per pass."""
    columns = {}
    for field in SCHEMA:
        if field.name == "object_id":
            columns[field.name] = pa.array(passes.object_ids[passes.obj])
        elif field.name == "object_name":
            columns[field.name] = pa.array(passes.object_names.tolist(), pa.string()).take(pa.array(passes.obj))
        elif field.name == "station_id":
            columns[field.name] = pa.array(passes.station_ids.tolist(), pa.string()).take(pa.array(passes.sta))
        else:
            columns[field.name] = pa.array(getattr(passes, field.name), type=field.type)
    return pa.table(columns, schema=SCHEMA)


def to_pass_table(table: pa.Table):
    """Back to the engine's ``PassTable`` (the in-memory result)."""
    from .passes import PassTable

    columns = {name: table.column(name).to_numpy(zero_copy_only=False) for name in SCHEMA.names}
    for name in ("object_name", "station_id"):
        columns[name] = columns[name].astype(object)
    return PassTable(**columns)


def empty() -> pa.Table:
    return SCHEMA.empty_table()


def concat(tables: list[pa.Table]) -> pa.Table:
    tables = [t for t in tables if len(t)]
    return pa.concat_tables(tables).combine_chunks() if tables else empty()


def sort(table: pa.Table) -> pa.Table:
    return table.sort_by([(k, "ascending") for k in SORT_KEYS])


def ends_at(table: pa.Table, boundary_unix: float) -> np.ndarray:
    """Passes clipped at ``boundary_unix`` (a slice's end): they go on in the next slice."""
    los = table.column("los").to_numpy()
    return table.column("los_clipped").to_numpy(zero_copy_only=False) & (los == boundary_unix)


def join_at_boundary(before: pa.Table, after: pa.Table, boundary_unix: float) -> pa.Table:
    """``after`` with each pass of ``before`` clipped at the boundary joined to its continuation.

    As ``find_passes`` joins its own day blocks: AOS and its azimuth from the first piece, LOS
    and its azimuth from the last, TCA and maximum elevation from the higher piece (the first
    on a tie).
    """
    if not len(before):
        return after
    continues = after.column("aos_clipped").to_numpy(zero_copy_only=False) & (
        after.column("aos").to_numpy() == boundary_unix)
    tail = after.filter(continues)
    tail_row = {pair: i for i, pair in enumerate(zip(tail.column("object_id").to_pylist(),
                                                     tail.column("station_id").to_pylist()))}
    match = np.array([tail_row.get(pair, -1) for pair in zip(before.column("object_id").to_pylist(),
                                                             before.column("station_id").to_pylist())],
                     dtype=np.int64)
    joined_head = np.flatnonzero(match >= 0)
    h, t = before.take(joined_head), tail.take(match[joined_head])
    h_max, t_max = h.column("max_elevation_deg").to_numpy(), t.column("max_elevation_deg").to_numpy()
    peak_in_tail = t_max > h_max
    joined = pa.table(
        {
            "object_id": h.column("object_id"),
            "object_name": h.column("object_name"),
            "station_id": h.column("station_id"),
            "aos": h.column("aos"),
            "tca": np.where(peak_in_tail, t.column("tca").to_numpy(), h.column("tca").to_numpy()),
            "los": t.column("los"),
            "max_elevation_deg": np.maximum(h_max, t_max),
            "aos_azimuth_deg": h.column("aos_azimuth_deg"),
            "los_azimuth_deg": t.column("los_azimuth_deg"),
            "aos_clipped": h.column("aos_clipped"),
            "los_clipped": t.column("los_clipped"),
        },
        schema=SCHEMA,
    )
    unjoined_tail = np.ones(len(tail), dtype=bool)
    unjoined_tail[match[joined_head]] = False
    return concat([joined, before.filter(match < 0), tail.filter(unjoined_tail), after.filter(~continues)])


def last_key(table: pa.Table) -> tuple:
    """The sort key of the last row of a sorted table."""
    return tuple(table.column(k)[len(table) - 1].as_py() for k in SORT_KEYS)


def before_key(table: pa.Table, key: tuple) -> np.ndarray:
    """Rows whose sort key is lexicographically before (or equal to) ``key``."""
    before = np.zeros(len(table), dtype=bool)
    tied = np.ones(len(table), dtype=bool)
    for name, value in zip(SORT_KEYS, key):
        column = table.column(name)
        less = pc.less(column, pa.scalar(value, type=column.type)).to_numpy(zero_copy_only=False)
        equal = pc.equal(column, pa.scalar(value, type=column.type)).to_numpy(zero_copy_only=False)
        before |= tied & less
        tied &= equal
    return before | tied
