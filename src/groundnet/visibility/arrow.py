"""Pass tables as Arrow tables: the public table every writer takes, and what scale tasks ship back.

Two schemas. The public one (``public_schema``; ``PassTable.to_arrow`` makes it, ``pass_table``
reads it back) has the columns of ``passes.ROW_FIELDS``: the object's id (int64 when every
object of the table has a number, else text), name and station id, AOS/TCA/LOS as UTC
timestamps in nanoseconds (they read back to the very same float seconds), angles in degrees,
``duration_s``, ``elements_age_days`` (null for trajectories) and the two clip flags. It is what
CSV, JSON, NDJSON and Parquet files hold (``groundnet.output`` writes them straight from it).

``RUN_SCHEMA`` is what scale tasks return and the scale runner sorts and merges: the object and
the station as indices into the job's ``passes.PassLabels``, times as POSIX seconds, so that
moving rows around moves numbers, not text; ``as_pass_table`` makes the ``PassTable`` of a run
table at the end. Sorting, joining the two pieces of a pass cut at a slice boundary, and the
keys for merging late rows into a sorted stream all work on columns, never row by row.
"""

from __future__ import annotations

import weakref

import numpy as np
import pyarrow as pa

from .. import arrow_numpy as an

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
RUN_SCHEMA = pa.schema([("object", pa.int32()), ("station", pa.int32())] + _MEASURES)
TIME_COLUMNS = ("aos", "tca", "los")
TIME_TYPE = pa.timestamp("ns", tz="UTC")


def public_schema(numeric_ids: bool = True) -> pa.Schema:
    """The columns of ``PassTable.to_arrow`` (``passes.ROW_FIELDS``)."""
    from .passes import ROW_FIELDS

    kinds = dict(_MEASURES)
    kinds.update({name: TIME_TYPE for name in TIME_COLUMNS})
    kinds.update(object_id=pa.int64() if numeric_ids else pa.string(), object_name=pa.string(),
                 station_id=pa.string(), duration_s=pa.float64(), elements_age_days=pa.float64())
    return pa.schema([(name, kinds[name]) for name in ROW_FIELDS])


SCHEMA = public_schema()


def unix_to_ns(seconds: np.ndarray) -> np.ndarray:
    # Whole seconds and the fraction apart: float64 POSIX seconds have ~0.24 µs resolution, so the
    # nearest nanosecond reads back to the same float.
    whole = np.floor(seconds)
    return whole.astype(np.int64) * 1_000_000_000 + np.round((seconds - whole) * 1e9).astype(np.int64)


def ns_to_unix(ns: np.ndarray) -> np.ndarray:
    whole, rest = np.divmod(ns, 1_000_000_000)
    return whole.astype(np.float64) + rest / 1e9


_LABEL_COLUMNS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _label_columns(labels, numeric: bool) -> tuple:
    """The object ids (int64 NumPy or Arrow text), names and station ids of ``labels`` as
    columns to look up by index; made once per labels (a streamed run writes many batches)."""
    cached = _LABEL_COLUMNS.get(labels)
    if cached is None or cached[0] != numeric:
        ids = labels.object_id_column(numeric)
        cached = (numeric, ids if numeric else an.text(ids), an.text(labels.object_names), an.text(labels.station_ids))
        _LABEL_COLUMNS[labels] = cached
    return cached[1:]


def public_table(table) -> pa.Table:
    """A ``PassTable`` as the public Arrow table: labels looked up by index, in Arrow."""
    obj, sta = an.array(table.obj, pa.int64()), an.array(table.sta, pa.int64())
    numeric = table.numeric_ids
    ids, names, stations = _label_columns(table.labels, numeric)
    columns = {
        "object_id": an.array(ids[table.obj], pa.int64()) if numeric else ids.take(obj),
        "object_name": names.take(obj),
        "station_id": stations.take(sta),
    }
    for name in TIME_COLUMNS:
        columns[name] = an.array(unix_to_ns(getattr(table, name)), TIME_TYPE)
    for name in ("max_elevation_deg", "aos_azimuth_deg", "los_azimuth_deg", "duration_s", "elements_age_days",
                 "aos_clipped", "los_clipped"):
        values = getattr(table, name)
        columns[name] = an.array(values, mask=np.isnan(values)) if values.dtype.kind == "f" else an.array(values)
    schema = public_schema(numeric)
    return pa.table({name: columns[name] for name in schema.names}, schema=schema)


def pass_table(table: pa.Table):
    """A public Arrow table (``PassTable.to_arrow``, a Parquet file of passes) as a ``PassTable``."""
    from .passes import MEASURES, PassLabels, PassTable

    n = len(table)
    if n == 0:
        return PassTable.empty()
    ids = table.column("object_id").combine_chunks().dictionary_encode()
    names = table.column("object_name").combine_chunks().dictionary_encode()
    pair = an.numpy(ids.indices).astype(np.int64) * len(names.dictionary) + an.numpy(names.indices)
    _, first, obj_index = np.unique(pair, return_index=True, return_inverse=True)
    stations = table.column("station_id").combine_chunks().dictionary_encode()
    sta_index = an.numpy(stations.indices)
    object_ids = ids.dictionary.take(ids.indices.take(an.array(first))).to_pylist()
    object_names = names.dictionary.take(names.indices.take(an.array(first))).to_pylist()
    age = an.numpy(table.column("elements_age_days")).astype(np.float64)
    tca = ns_to_unix(an.numpy(table.column("tca")))
    epochs = np.full(len(first), np.nan)
    known = ~np.isnan(age)
    epochs[obj_index[known]] = tca[known] - age[known] * 86400.0  # back from the age: within rounding
    labels = PassLabels(object_ids, object_names, stations.dictionary.to_pylist(), epochs)
    cols = {}
    for name in MEASURES:
        column = table.column(name)
        cols[name] = ns_to_unix(an.numpy(column)) if name in TIME_COLUMNS else an.numpy(column).copy()
    return PassTable(labels, obj_index.astype(np.int64), sta_index.astype(np.int64), **cols)


def run_table(passes, object_index: np.ndarray, station_index: np.ndarray) -> pa.Table:
    """A task's ``PassTable`` as a ``RUN_SCHEMA`` table, with its objects and stations renumbered
    into the job's lists (``object_index[i]`` is the job's index of the task's object i)."""
    columns = {
        "object": an.array(np.asarray(object_index)[passes.obj], pa.int32()),
        "station": an.array(np.asarray(station_index)[passes.sta], pa.int32()),
    }
    for name, kind in _MEASURES:
        columns[name] = an.array(getattr(passes, name), kind)
    return pa.table(columns, schema=RUN_SCHEMA)


def as_pass_table(labels, table: pa.Table):
    """A ``RUN_SCHEMA`` table as the job's ``PassTable`` (``labels``: the job's ``PassLabels``)."""
    from .passes import MEASURES, PassTable

    cols = {name: an.numpy(table.column(name)) for name in MEASURES}
    return PassTable(labels, an.numpy(table.column("object")).astype(np.int64),
                     an.numpy(table.column("station")).astype(np.int64), **cols)


def empty(schema: pa.Schema = RUN_SCHEMA) -> pa.Table:
    return an.empty_table(schema)


def concat(tables: list[pa.Table], schema: pa.Schema = RUN_SCHEMA) -> pa.Table:
    tables = [t for t in tables if len(t)]
    return pa.concat_tables(tables).combine_chunks() if tables else empty(schema)


def ends_at(table: pa.Table, boundary_unix: float) -> np.ndarray:
    """Passes clipped at ``boundary_unix`` (a slice's end): they go on in the next slice."""
    los = an.numpy(table.column("los"))
    return an.numpy(table.column("los_clipped")) & (los == boundary_unix)


# --- the canonical order of run tables (``passes.canonical_order`` on the job's labels) ----------


def _pair_key(labels, table: pa.Table) -> np.ndarray:
    return labels.pair_key(an.numpy(table.column("object")), an.numpy(table.column("station")))


def sort_run(labels, table: pa.Table) -> pa.Table:
    from .passes import canonical_order

    if not len(table):
        return table
    return table.take(an.array(canonical_order(an.numpy(table.column("aos")), _pair_key(labels, table))))


def last_key(labels, table: pa.Table) -> tuple[float, int]:
    """The sort key of the last row of a sorted run table."""
    last = table.slice(len(table) - 1)
    return float(last.column("aos")[0].as_py()), int(_pair_key(labels, last)[0])


def before_key(labels, table: pa.Table, key: tuple[float, int]) -> np.ndarray:
    """Rows whose sort key is before (or equal to) ``key``."""
    aos = an.numpy(table.column("aos"))
    return (aos < key[0]) | ((aos == key[0]) & (_pair_key(labels, table) <= key[1]))


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
    continues = an.numpy(after.column("aos_clipped")) & (an.numpy(after.column("aos")) == boundary_unix)
    tail = after.filter(an.array(continues))

    def pairs(t: pa.Table) -> np.ndarray:
        return (an.numpy(t.column("object")).astype(np.int64) << 32) | an.numpy(t.column("station")).astype(np.int64)

    # A pass and its continuation share (object, station); a pair is open at most once.
    head_pairs, tail_pairs = pairs(before), pairs(tail)
    match = np.full(len(before), -1)
    if len(tail):
        order = np.argsort(tail_pairs)
        at = np.minimum(np.searchsorted(tail_pairs[order], head_pairs), len(tail) - 1)
        found = tail_pairs[order][at] == head_pairs
        match[found] = order[at[found]]
    joined_head = np.flatnonzero(match >= 0)
    h, t = before.take(an.array(joined_head)), tail.take(an.array(match[joined_head]))
    h_max, t_max = an.numpy(h.column("max_elevation_deg")), an.numpy(t.column("max_elevation_deg"))
    peak_in_tail = t_max > h_max
    joined = pa.table(
        {
            "object": h.column("object"),
            "station": h.column("station"),
            "aos": h.column("aos"),
            "tca": an.array(np.where(peak_in_tail, an.numpy(t.column("tca")), an.numpy(h.column("tca")))),
            "los": t.column("los"),
            "max_elevation_deg": an.array(np.maximum(h_max, t_max)),
            "aos_azimuth_deg": h.column("aos_azimuth_deg"),
            "los_azimuth_deg": t.column("los_azimuth_deg"),
            "aos_clipped": h.column("aos_clipped"),
            "los_clipped": t.column("los_clipped"),
        },
        schema=RUN_SCHEMA,
    )
    unjoined_tail = np.ones(len(tail), dtype=bool)
    unjoined_tail[match[joined_head]] = False
    ended = _unclipped(before.filter(an.array(match < 0)), "los_clipped")
    began = _unclipped(tail.filter(an.array(unjoined_tail)), "aos_clipped")
    return concat([joined, ended, began, after.filter(an.array(~continues))], RUN_SCHEMA)


def _unclipped(table: pa.Table, flag: str) -> pa.Table:
    return table.set_column(table.schema.get_field_index(flag), flag, an.array(np.zeros(len(table), bool)))
