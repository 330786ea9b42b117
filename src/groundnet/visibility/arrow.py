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
        ("aos_unix", pa.float64()),
        ("tca_unix", pa.float64()),
        ("los_unix", pa.float64()),
        ("max_elevation_deg", pa.float64()),
        ("aos_azimuth_deg", pa.float64()),
        ("los_azimuth_deg", pa.float64()),
        ("duration_s", pa.float64()),
    ]
)
# The order of find_passes' table: by AOS, then station, then object.
SORT_KEYS = ("aos_unix", "station_id", "object_id")


def from_pass_table(table) -> pa.Table:
    """The engine's ``PassTable`` as an Arrow table of ``SCHEMA``."""
    return pa.table({name: pa.array(np.asarray(getattr(table, name)), type=SCHEMA.field(name).type)
                     for name in SCHEMA.names}, schema=SCHEMA)


def to_pass_table(table: pa.Table):
    """Back to the engine's ``PassTable`` (the in-memory result)."""
    from .passes import PassTable

    return PassTable(**{name: table.column(name).to_numpy(zero_copy_only=False) for name in SCHEMA.names})


def empty() -> pa.Table:
    return SCHEMA.empty_table()


def concat(tables: list[pa.Table]) -> pa.Table:
    tables = [t for t in tables if len(t)]
    return pa.concat_tables(tables).combine_chunks() if tables else empty()


def sort(table: pa.Table) -> pa.Table:
    return table.sort_by([(k, "ascending") for k in SORT_KEYS])


def ends_at(table: pa.Table, boundary_unix: float) -> np.ndarray:
    """Rows clipped at ``boundary_unix`` (a slice's end): the pass goes on in the next slice."""
    return table.column("los_unix").to_numpy() == boundary_unix


def join_at_boundary(before: pa.Table, after: pa.Table, boundary_unix: float) -> pa.Table:
    """``after`` with each pass that began in ``before`` (clipped at the boundary) joined to its rest.

    A piece of ``before`` whose pass does not continue (it set exactly at the boundary) is kept
    as it is.
    """
    if not len(before):
        return after
    starts = after.column("aos_unix").to_numpy() == boundary_unix
    head = before
    tail = after.filter(starts)
    key = lambda t: [f"{o}\x00{s}" for o, s in zip(t.column("object_id").to_pylist(), t.column("station_id").to_pylist())]
    tail_row = {k: i for i, k in enumerate(key(tail))}
    pairs = [(i, tail_row.get(k)) for i, k in enumerate(key(head))]
    joined_head = np.array([i for i, j in pairs if j is not None], dtype=np.int64)
    joined_tail = np.array([j for i, j in pairs if j is not None], dtype=np.int64)
    unjoined_head = np.array([i for i, j in pairs if j is None], dtype=np.int64)
    h, t = head.take(joined_head), tail.take(joined_tail)
    h_max, t_max = h.column("max_elevation_deg").to_numpy(), t.column("max_elevation_deg").to_numpy()
    peak_in_tail = t_max > h_max
    aos = h.column("aos_unix").to_numpy()
    los = t.column("los_unix").to_numpy()
    joined = pa.table(
        {
            "object_id": h.column("object_id"),
            "object_name": h.column("object_name"),
            "station_id": h.column("station_id"),
            "aos_unix": aos,
            "tca_unix": np.where(peak_in_tail, t.column("tca_unix").to_numpy(), h.column("tca_unix").to_numpy()),
            "los_unix": los,
            "max_elevation_deg": np.maximum(h_max, t_max),
            "aos_azimuth_deg": h.column("aos_azimuth_deg"),
            "los_azimuth_deg": t.column("los_azimuth_deg"),
            "duration_s": los - aos,
        },
        schema=SCHEMA,
    )
    used_tail = np.zeros(len(tail), dtype=bool)
    used_tail[joined_tail] = True
    rest_of_after = after.filter(~starts)
    return concat([joined, head.take(unjoined_head), tail.filter(~used_tail), rest_of_after])


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
