"""Pass tables as Arrow tables: what tasks ship back, what the streaming writers take.

Two schemas. ``SCHEMA`` is the public one (what sinks write and ``to_pass_table`` reads): times
as POSIX seconds (float64, exactly the engine's values), angles in degrees, object and station
as their ids and names, one row per pass. ``RUN_SCHEMA`` is what tasks return and the scale
runner sorts and merges: the same columns, but the object and the station as indices into the
job's lists (``Labels``), so that moving rows around moves numbers, not text; ``Labels.public``
makes the public table at the end. Sorting, joining the two pieces of a pass cut at a slice
boundary, and the keys for merging late rows into a sorted stream all work on columns, never row
by row.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

_MEASURES = [
    ("aos", pa.float64()),
    ("tca", pa.float64()),
    ("los", pa.float64()),
    ("max_elevation_deg", pa.float64()),
    ("aos_azimuth_deg", pa.float64()),
    ("los_azimuth_deg", pa.float64()),
    ("aos_clipped", pa.bool_()),
    ("los_clipped", pa.bool_()),
]
SCHEMA = pa.schema([("object_id", pa.int64()), ("object_name", pa.string()), ("station_id", pa.string())] + _MEASURES)
RUN_SCHEMA = pa.schema([("object", pa.int32()), ("station", pa.int32())] + _MEASURES)
TIME_COLUMNS = ("aos", "tca", "los")


def from_pass_table(table) -> pa.Table:
    """The engine's ``PassTable`` as an Arrow table of ``SCHEMA``."""
    columns = {}
    for field in SCHEMA:
        values = np.asarray(getattr(table, field.name))
        if field.type == pa.string():
            values = values.astype(str)  # NumPy's fixed-width text converts ten times faster than objects
        columns[field.name] = pa.array(values, type=field.type)
    return pa.table(columns, schema=SCHEMA)


def run_table(passes, object_index: np.ndarray, station_index: np.ndarray) -> pa.Table:
    """``passes.IndexedPasses`` of a task as a ``RUN_SCHEMA`` table, with its objects and
    stations renumbered into the job's lists (``object_index[i]`` is the job's index of the
    task's object i)."""
    columns = {
        "object": pa.array(np.asarray(object_index)[passes.obj], pa.int32()),
        "station": pa.array(np.asarray(station_index)[passes.sta], pa.int32()),
    }
    for name, kind in _MEASURES:
        columns[name] = pa.array(getattr(passes, name), type=kind)
    return pa.table(columns, schema=RUN_SCHEMA)


def to_pass_table(table: pa.Table):
    """Back to the engine's ``PassTable`` (the in-memory result)."""
    from .passes import PassTable

    columns = {name: table.column(name).to_numpy(zero_copy_only=False) for name in SCHEMA.names}
    for name in ("object_name", "station_id"):
        columns[name] = columns[name].astype(object)
    return PassTable(**columns)


def empty(schema: pa.Schema = SCHEMA) -> pa.Table:
    return schema.empty_table()


def concat(tables: list[pa.Table], schema: pa.Schema = SCHEMA) -> pa.Table:
    tables = [t for t in tables if len(t)]
    return pa.concat_tables(tables).combine_chunks() if tables else empty(schema)


def ends_at(table: pa.Table, boundary_unix: float) -> np.ndarray:
    """Passes clipped at ``boundary_unix`` (a slice's end): they go on in the next slice."""
    los = table.column("los").to_numpy()
    return table.column("los_clipped").to_numpy(zero_copy_only=False) & (los == boundary_unix)


class Labels:
    """The objects and stations of one job: what the indices of its ``RUN_SCHEMA`` tables mean.

    Orders run tables canonically (by AOS, then NORAD id, then station id) on integer keys
    (``passes.PairKey``), and makes the public ``SCHEMA`` table from a run table.
    """

    def __init__(self, object_ids, object_names, station_ids):
        from .passes import PairKey

        self.object_ids = np.asarray(object_ids, dtype=np.int64)
        self.object_names = pa.array(list(object_names), pa.string())
        self.station_ids = pa.array(list(station_ids), pa.string())
        self._key = PairKey(self.object_ids, list(station_ids))

    def _pair_key(self, table: pa.Table) -> np.ndarray:
        """One integer per row ordering (object id, station id) as the canonical order does."""
        return self._key(table.column("object").to_numpy(), table.column("station").to_numpy())

    def sort(self, table: pa.Table) -> pa.Table:
        from .passes import order_by_time_then_key

        if not len(table):
            return table
        return table.take(order_by_time_then_key(table.column("aos").to_numpy(), self._pair_key(table)))

    def last_key(self, table: pa.Table) -> tuple[float, int]:
        """The sort key of the last row of a sorted table."""
        last = table.slice(len(table) - 1)
        return float(last.column("aos")[0].as_py()), int(self._pair_key(last)[0])

    def before_key(self, table: pa.Table, key: tuple[float, int]) -> np.ndarray:
        """Rows whose sort key is before (or equal to) ``key``."""
        aos = table.column("aos").to_numpy()
        return (aos < key[0]) | ((aos == key[0]) & (self._pair_key(table) <= key[1]))

    def public(self, table: pa.Table) -> pa.Table:
        """A run table as a ``SCHEMA`` table: ids and names looked up by index (in Arrow)."""
        obj, sta = table.column("object"), table.column("station")
        columns = {
            "object_id": pa.array(self.object_ids[obj.to_numpy()]),
            "object_name": self.object_names.take(obj),
            "station_id": self.station_ids.take(sta),
        }
        for name, _ in _MEASURES:
            columns[name] = table.column(name)
        return pa.table(columns, schema=SCHEMA)


def join_at_boundary(before: pa.Table, after: pa.Table, boundary_unix: float) -> pa.Table:
    """``after`` with each pass of ``before`` clipped at the boundary joined to its continuation
    (``RUN_SCHEMA`` tables).

    As ``find_passes`` joins its own day blocks: AOS and its azimuth from the first piece, LOS
    and its azimuth from the last, TCA and maximum elevation from the higher piece (the first
    on a tie). A piece without a partner (the elevation within rounding of the threshold at
    the boundary) ended or began there: it is not clipped, as ``find_passes`` reports it.
    """
    if not len(before):
        return after
    continues = after.column("aos_clipped").to_numpy(zero_copy_only=False) & (
        after.column("aos").to_numpy() == boundary_unix)
    tail = after.filter(continues)

    def pairs(t: pa.Table) -> np.ndarray:
        return (t.column("object").to_numpy().astype(np.int64) << 32) | t.column("station").to_numpy().astype(np.int64)

    # A pass and its continuation share (object, station); a pair is open at most once.
    head_pairs, tail_pairs = pairs(before), pairs(tail)
    match = np.full(len(before), -1)
    if len(tail):
        order = np.argsort(tail_pairs)
        at = np.minimum(np.searchsorted(tail_pairs[order], head_pairs), len(tail) - 1)
        found = tail_pairs[order][at] == head_pairs
        match[found] = order[at[found]]
    joined_head = np.flatnonzero(match >= 0)
    h, t = before.take(joined_head), tail.take(match[joined_head])
    h_max, t_max = h.column("max_elevation_deg").to_numpy(), t.column("max_elevation_deg").to_numpy()
    peak_in_tail = t_max > h_max
    joined = pa.table(
        {
            "object": h.column("object"),
            "station": h.column("station"),
            "aos": h.column("aos"),
            "tca": np.where(peak_in_tail, t.column("tca").to_numpy(), h.column("tca").to_numpy()),
            "los": t.column("los"),
            "max_elevation_deg": np.maximum(h_max, t_max),
            "aos_azimuth_deg": h.column("aos_azimuth_deg"),
            "los_azimuth_deg": t.column("los_azimuth_deg"),
            "aos_clipped": h.column("aos_clipped"),
            "los_clipped": t.column("los_clipped"),
        },
        schema=RUN_SCHEMA,
    )
    unjoined_tail = np.ones(len(tail), dtype=bool)
    unjoined_tail[match[joined_head]] = False
    ended = _unclipped(before.filter(match < 0), "los_clipped")
    began = _unclipped(tail.filter(unjoined_tail), "aos_clipped")
    return concat([joined, ended, began, after.filter(~continues)], RUN_SCHEMA)


def _unclipped(table: pa.Table, flag: str) -> pa.Table:
    return table.set_column(table.schema.get_field_index(flag), flag, pa.array(np.zeros(len(table), bool)))
