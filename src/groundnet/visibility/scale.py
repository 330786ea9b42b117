"""Pass prediction at catalog scale: every core of one machine, or a Dask cluster, and streamed output.

``find_passes`` answers one call for every object × station × the window in one process. Here the
same question is cut into tasks: chunks of the catalog (balanced by cost, so a task of GEO objects
takes as long as a task of LEO ones), chunks of the stations when there are hundreds, and slices
of the window (one day: the engine's own search block), so that what one task holds does not grow
with the window or the network. Tasks run on a local process pool or a Dask cluster; the element
sets are shipped with the tasks, so workers need no catalog file.

Each task's passes spill to a sorted Arrow file (``_Runs``); when a slice is complete its files are
merged into sorted batches and written (``_Spool``) before the next, so the output streams and
memory stays flat. A pass that crosses a slice boundary comes back as two clipped pieces, joined
again as the engine joins its blocks: the result is that of one ``find_passes`` call over the
whole window, in the same order (angles up to the last bit of rounding). docs/scale.md tells the
whole story.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from .. import arrow_numpy as an
from ..errors import GroundnetError
from ..orbits.elements import ElementSet
from ..stations.network import Antenna
from . import arrow
from .passes import PassLabels

DEFAULT_SLICE_S = 86400.0  # one block of find_passes
# Work per task, in object-station-days: large enough that per-call overheads vanish in the
# vectorised engine, small enough that a task's arrays stay small and that tasks balance.
DEFAULT_TASK_PAIR_DAYS = 40_000.0
# Stations are split among tasks only when chunks of the catalog would be smaller than this: each
# task propagates and screens its objects again, once per station chunk.
MIN_TASK_OBJECTS = 50


class ScaleError(GroundnetError):
    pass


# --- planning ---------------------------------------------------------------------------------


def object_cost(elements: Sequence[ElementSet]) -> np.ndarray:
    """Relative cost of one object over one station-day in ``find_passes``.

    A fit to the engine's CPU time per object on the full catalog (10 stations, 1 day, 400
    objects of each kind): a fixed part and a part per SGP4 sample (the engine's step for that
    orbit: an hour in GEO, eight minutes in LEO, a minute or less at a HEO perigee; the search's
    samples, screens and refinements follow the same step). Measured per object: LEO 0.59 ms,
    eccentric LEO 1.07 ms, MEO 0.31 ms, GEO 0.11 ms, HEO 2.47 ms; the fit is within 30 % of
    each (a fit with a part per revolution underrated HEO chunks by 2.5x: their task took
    twice as long as any other).
    """
    from ..orbits.propagation import OrbitShape
    from .passes import sgp4_step_s

    samples_per_day = 86400.0 / sgp4_step_s(OrbitShape.of(list(elements)))
    return 1.0 + 0.053 * samples_per_day


def balanced_chunks(costs: np.ndarray, n_chunks: int) -> list[np.ndarray]:
    """Split indices into ``n_chunks`` contiguous runs of the cost-sorted order with about equal total cost.

    Sorting by cost keeps like orbits together (the engine's step per chunk then suits all of
    them); cutting by cumulative cost balances the chunks.
    """
    order = np.argsort(costs, kind="stable")
    n_chunks = max(1, min(n_chunks, len(order)))
    cumulative = np.cumsum(costs[order])
    cuts = np.searchsorted(cumulative, cumulative[-1] * np.arange(1, n_chunks) / n_chunks, side="right")
    return [np.sort(part) for part in np.split(order, cuts) if len(part)]


@dataclass(frozen=True)
class Task:
    slice_no: int
    objects: int  # index into the plan's object chunks
    stations: int  # index into the plan's station chunks
    start_unix: float
    end_unix: float
    cost: float  # object-station-days weighted by object_cost, for balance and progress


@dataclass(frozen=True)
class TaskPlan:
    """How a job is cut into tasks (not a schedule: see ``groundnet.schedule`` for antenna plans)."""

    object_chunks: list[np.ndarray]
    station_chunks: list[np.ndarray]
    slices: list[tuple[float, float]]
    tasks: list[list[Task]]  # per slice, costliest first

    @property
    def total_cost(self) -> float:
        return sum(t.cost for s in self.tasks for t in s)


def plan_tasks(
    elements: Sequence[ElementSet],
    antennas: Sequence[Antenna],
    start_unix: float,
    end_unix: float,
    *,
    workers: int = 1,
    slice_s: float = DEFAULT_SLICE_S,
    task_pair_days: float = DEFAULT_TASK_PAIR_DAYS,
) -> TaskPlan:
    """Cut the job into tasks: catalog chunks × station chunks × time slices."""
    from .passes import BLOCK_S

    if not end_unix > start_unix:
        raise ScaleError("the window is empty: --end must be after --start")
    if slice_s <= 0 or abs(slice_s / BLOCK_S - round(slice_s / BLOCK_S)) > 1e-9:
        # find_passes searches whole blocks from its start; slices made of whole blocks make a
        # sliced run the very same computation as one call.
        raise ScaleError(f"the time slice must be a whole number of {BLOCK_S:g} s blocks, got {slice_s:g} s")
    if not elements or not antennas:
        raise ScaleError("nothing to compute: no objects or no stations selected")
    n_slices = max(1, math.ceil((end_unix - start_unix) / slice_s - 1e-9))
    edges = [start_unix + k * slice_s for k in range(n_slices)] + [end_unix]
    slices = list(zip(edges[:-1], edges[1:]))
    costs = object_cost(elements)
    slice_days = min(slice_s, end_unix - start_unix) / 86400.0
    pair_days = len(elements) * len(antennas) * slice_days
    # Enough tasks per slice to keep every worker busy (at least 4 per worker, and as many for
    # each: the last tasks of a slice then finish close together), few enough that each is a
    # big vectorised call.
    n_tasks = max(4 * workers if workers > 1 else 1, math.ceil(pair_days / task_pair_days))
    n_tasks = workers * math.ceil(n_tasks / workers) if workers > 1 else n_tasks
    # Stations are split only when the catalog alone cannot make tasks small enough.
    n_station_chunks = max(1, min(len(antennas), math.ceil(n_tasks / max(1, len(elements) // MIN_TASK_OBJECTS))))
    n_object_chunks = max(1, math.ceil(n_tasks / n_station_chunks))
    object_chunks = balanced_chunks(costs, n_object_chunks)
    station_chunks = [c for c in np.array_split(np.arange(len(antennas)), n_station_chunks) if len(c)]
    tasks = []
    for k, (a, b) in enumerate(slices):
        days = (b - a) / 86400.0
        row = [
            Task(k, i, j, a, b, float(costs[oc].sum()) * len(sc) * days)
            for i, oc in enumerate(object_chunks)
            for j, sc in enumerate(station_chunks)
        ]
        row.sort(key=lambda t: -t.cost)  # longest first: the pool's tail is then short
        tasks.append(row)
    return TaskPlan(object_chunks, station_chunks, slices, tasks)


# --- the task (runs in a worker) --------------------------------------------------------------


def run_task(
    elements: Sequence[ElementSet],
    antennas: Sequence[Antenna],
    start_unix: float,
    end_unix: float,
    min_elevation_deg: float | None,
    object_index: np.ndarray,
    station_index: np.ndarray,
    failures=None,
) -> pa.Table:
    """One task on a worker: ``find_passes`` on a chunk, as a sorted ``arrow.RUN_SCHEMA`` table
    (compact to ship) whose objects and stations are numbered as in the job (``object_index``,
    ``station_index``: the job's index of each element set and antenna given)."""
    from .passes import find_passes

    passes = find_passes(elements, antennas, start_unix, end_unix, min_elevation_deg=min_elevation_deg,
                         failures=failures)
    return arrow.run_table(passes, object_index, station_index)


# --- executors: where tasks run ---------------------------------------------------------------


class _InProcess:
    """Runs each task when it is submitted (one worker: no pool to start, nothing to ship)."""

    workers = 1
    description = "in this process"

    class _Done:
        def __init__(self, fn, args):
            try:
                self._value, self._error = fn(*args), None
            except BaseException as exc:  # re-raised by result(), like a pool's future
                self._value, self._error = None, exc

        def result(self):
            if self._error is not None:
                raise self._error
            return self._value

    def submit(self, fn, *args):
        return self._Done(fn, args)

    def scatter(self, value):
        return value

    def wait_any(self, futures):
        return set(futures), set()

    def close(self):
        pass


class _ProcessPool:
    """A local pool of worker processes (fork: the workers start in milliseconds, modules loaded).

    Each worker warms up as it starts (``_warm_up``: the compiled search loaded, the time scales
    read), so that a pool started early does that while this process still reads the catalog.
    """

    def __init__(self, workers: int):
        import concurrent.futures as cf
        import multiprocessing as mp

        self._cf = cf
        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        self.workers = workers
        self.description = f"{workers} local worker processes"
        self._pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context(method),
                                            initializer=_warm_up)
        # Start the workers now (with fork, all at the first task), before any progress-bar thread
        # exists in this process; they warm up on their own meanwhile.
        self._pool.submit(bool)

    def submit(self, fn, *args):
        return self._pool.submit(fn, *args)

    def scatter(self, value):
        return value

    def wait_any(self, futures):
        done, pending = self._cf.wait(futures, return_when=self._cf.FIRST_COMPLETED)
        return done, pending

    def close(self):
        self._pool.shutdown(wait=True, cancel_futures=True)


class _Dask:
    """A Dask distributed cluster: an existing scheduler (``tcp://host:port``) or a LocalCluster."""

    def __init__(self, address: str | None, workers: int):
        import distributed

        self._distributed = distributed
        self._cluster = None
        if address in (None, "local"):
            self._cluster = distributed.LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                worker_class=distributed.Nanny,
            )
            address = self._cluster.scheduler_address
        try:
            self._client = distributed.Client(address, timeout="20s")
        except OSError as exc:
            raise ScaleError(
                f"cannot reach the Dask scheduler at {address}: {exc}; start it with `dask scheduler` "
                "and give its address as --dask tcp://HOST:8786 (see docs/scale.md)"
            ) from None
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})))
        self.description = f"Dask cluster at {address} ({self.workers} workers)"

    def submit(self, fn, *args):
        return self._client.submit(fn, *args, pure=False)

    def scatter(self, value):
        # A chunk's element sets go to the workers once and serve every slice of the window. As
        # one object: scattering the list itself would make one key per element set.
        return self._client.scatter([value], hash=False)[0]

    def wait_any(self, futures):
        result = self._distributed.wait(list(futures), return_when="FIRST_COMPLETED")
        return set(result.done), set(result.not_done)

    def close(self):
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def _warm_up() -> None:
    """Run in each worker as it starts: one small search loads what every task needs (the
    compiled search from numba's cache, the Earth orientation and time scale tables)."""
    from ..orbits.catalog import load_catalog
    from ..stations import load_network
    from .passes import find_passes

    element = load_catalog("demo").elements[0]  # a LEO orbit: the compiled code is the same for every orbit
    antenna = next(iter(load_network(None)))
    find_passes([element], [antenna], element.epoch_unix, element.epoch_unix + 6 * 3600.0)


@contextmanager
def open_executor(workers: int | None = None, dask: str | None = None) -> Iterator:
    """Where the tasks run: ``dask`` = a scheduler address or ``"local"`` (a LocalCluster of
    ``workers`` processes); otherwise ``workers`` local processes (default: one per core), or this
    process when ``workers`` is 1."""
    n = workers if workers is not None else (os.cpu_count() or 1)
    if n < 1:
        raise ScaleError(f"--workers must be at least 1, got {n}")
    if dask:
        executor = _Dask(dask, n)
    elif n == 1:
        executor = _InProcess()
    else:
        executor = _ProcessPool(n)
    try:
        yield executor
    finally:
        executor.close()


# --- progress ---------------------------------------------------------------------------------


@contextmanager
def _progress_bar(enabled: bool, total: float, what: str):
    if not enabled:
        yield lambda amount: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    console = Console(stderr=True)
    console.print(what, highlight=False)
    with Progress(
        TextColumn("passes"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(), console=console,
    ) as bar:
        task = bar.add_task("passes", total=total)
        yield lambda amount: bar.advance(task, amount)


def progress_wanted(quiet: bool) -> bool:
    """A progress bar on standard error unless --quiet or standard error is not a terminal."""
    return not quiet and sys.stderr.isatty()


# --- the run ----------------------------------------------------------------------------------


def find_passes_at_scale(
    elements: Sequence[ElementSet],
    antennas: Sequence[Antenna],
    start_unix: float,
    end_unix: float,
    *,
    min_elevation_deg: float | None = None,
    executor=None,
    sink=None,
    slice_s: float = DEFAULT_SLICE_S,
    task_pair_days: float = DEFAULT_TASK_PAIR_DAYS,
    progress: bool = False,
    failures=None,
):
    """Every pass, as ``find_passes`` would give it, computed in tasks and streamed to ``sink``.

    ``executor`` comes from :func:`open_executor` (default: this process). ``sink`` is a
    :mod:`groundnet.visibility.sinks` sink (default: memory). Returns ``sink.close()``: the
    ``PassTable`` for the memory sink, the number of passes written for a file sink.
    ``failures`` (``orbits.propagation.first_failures`` over the whole window) is computed here
    when not given, once for every task.
    """
    import tempfile

    from .sinks import MemorySink

    from ..orbits.propagation import first_failures

    elements, antennas = list(elements), list(antennas)
    if failures is None and elements and end_unix > start_unix:
        failures = first_failures(elements, end_unix)
    sink = sink if sink is not None else MemorySink()
    spill_dir = getattr(sink, "path", None)
    with (open_executor(1) if executor is None else _borrowed(executor)) as ex, tempfile.TemporaryDirectory(
        prefix=".groundnet-passes-", dir=None if spill_dir is None else spill_dir.parent
    ) as scratch:
        plan = plan_tasks(elements, antennas, start_unix, end_unix, workers=ex.workers,
                          slice_s=slice_s, task_pair_days=task_pair_days)
        object_args = [ex.scatter([elements[i] for i in chunk]) for chunk in plan.object_chunks]
        failure_args = [failures.subset(chunk) for chunk in plan.object_chunks]
        station_args = [[antennas[i] for i in chunk] for chunk in plan.station_chunks]
        labels = PassLabels.of(elements, antennas)
        runs = _Runs(Path(scratch), labels)
        spool = _Spool(sink, plan.slices, Path(scratch), labels)
        days = (end_unix - start_unix) / 86400.0
        label = f"{len(elements)} objects × {len(antennas)} stations × {days:g} days, {len(plan.tasks[0])} tasks a day, {ex.description}"
        try:
            with _progress_bar(progress, plan.total_cost, label) as advance:
                for slice_no in _slices_in_order(ex, plan, runs, object_args, station_args, min_elevation_deg, advance,
                                                 failure_args):
                    spool.add_slice(slice_no, runs.merged(slice_no))
            return spool.finish()
        except BaseException:
            sink.discard()  # the writer thread stops and the file is closed (nothing if finish closed it)
            raise


@contextmanager
def _borrowed(executor):
    yield executor


def _slices_in_order(ex, plan: TaskPlan, runs: "_Runs", object_args, station_args, min_elevation_deg, advance,
                     failure_args):
    """Run the tasks, keeping at most two slices in flight; yield each slice number once all its runs are in."""
    lookahead = 2
    waiting: dict = {}  # future -> task
    remaining = {k: len(row) for k, row in enumerate(plan.tasks)}
    submitted = finished = 0
    while finished < len(plan.slices):
        while submitted < len(plan.slices) and submitted < finished + lookahead:
            for task in plan.tasks[submitted]:
                fut = ex.submit(run_task, object_args[task.objects], station_args[task.stations],
                                task.start_unix, task.end_unix, min_elevation_deg,
                                plan.object_chunks[task.objects], plan.station_chunks[task.stations],
                                failure_args[task.objects])
                waiting[fut] = task
            submitted += 1
        done, _ = ex.wait_any(set(waiting))
        for fut in done:
            task = waiting.pop(fut)
            runs.add(task.slice_no, fut.result())
            remaining[task.slice_no] -= 1
            advance(task.cost)
        while finished < len(plan.slices) and remaining[finished] == 0:
            yield finished
            finished += 1


class _Runs:
    """Each task's passes, sorted, in an Arrow file on disk until its slice is merged.

    Nothing of a slice is held in memory while it computes: a 400-station day is tens of millions
    of passes. ``merged`` reads the runs memory-mapped and yields the slice in sorted batches of
    about ``BATCH_ROWS`` rows (a merge by AOS windows: each run is sorted, so a window is one
    contiguous range of every run). Batches of a quarter of a million rows: the output's writer
    starts formatting the first while the next is merged.
    """

    BATCH_ROWS = 1 << 18

    def __init__(self, directory: Path, labels):
        self.directory = directory
        self.labels = labels
        self.paths: dict[int, list[Path]] = {}

    def add(self, slice_no: int, table: pa.Table) -> None:
        import pyarrow.ipc as ipc

        if not len(table):
            return
        path = self.directory / f"run-{slice_no}-{len(self.paths.setdefault(slice_no, []))}.arrow"
        with ipc.new_file(path, arrow.RUN_SCHEMA) as writer:
            writer.write_table(table)  # sorted by the task
        self.paths[slice_no].append(path)

    def merged(self, slice_no: int) -> Iterator[pa.Table]:
        import pyarrow.ipc as ipc

        paths = self.paths.pop(slice_no, [])
        tables = [ipc.open_file(pa.memory_map(str(p))).read_all().combine_chunks() for p in paths]
        try:
            total = sum(len(t) for t in tables)
            if total == 0:
                return
            aos = [an.numpy(t.column("aos")) for t in tables]
            # Window edges at quantiles of a sample of every run's AOS (every 64th: the runs are sorted).
            sample = np.sort(np.concatenate([a[::64] for a in aos] + [a[-1:] for a in aos]))
            n_windows = max(1, math.ceil(total / self.BATCH_ROWS))
            edges = np.unique(sample[np.linspace(0, len(sample) - 1, n_windows + 1).astype(np.int64)][1:-1])
            lo = [0] * len(tables)
            for edge in list(edges) + [np.inf]:
                parts = []
                for i, (t, a) in enumerate(zip(tables, aos)):
                    hi = len(a) if edge == np.inf else int(np.searchsorted(a, edge, side="left"))
                    if hi > lo[i]:
                        parts.append(t.slice(lo[i], hi - lo[i]))
                    lo[i] = hi
                if parts:
                    yield arrow.sort_run(self.labels, arrow.concat(parts, arrow.RUN_SCHEMA))
        finally:
            del tables
            for p in paths:
                p.unlink(missing_ok=True)


class _Spool:
    """Joins passes cut at slice boundaries, writes sorted batches; late passes merged in at the end.

    A pass still visible at a slice's end is held until its continuation arrives. Once joined it
    sorts before rows already written (it began in an earlier slice): it waits in a short list
    (long passes are few: boundary crossers, objects near GEO, HEO apogees) and ``finish`` merges
    it into place. For that, a window of several slices is first written to a spool Arrow file,
    then read back batch by batch into the sink (little more than a copy).
    """

    def __init__(self, sink, slices: list[tuple[float, float]], scratch: Path, labels):
        self.sink = sink
        self.slices = slices
        self.labels = labels
        self.open = arrow.empty(arrow.RUN_SCHEMA)  # passes clipped at the previous slice's end
        self.late: list[pa.Table] = []
        self.last_key = None  # sort key of the last row written
        self.spool_path = None
        self.spool = None
        if len(slices) > 1:
            import pyarrow.ipc as ipc

            self.spool_path = scratch / "spool.arrow"
            self.spool = ipc.new_file(self.spool_path, arrow.RUN_SCHEMA)

    def add_slice(self, slice_no: int, batches: Iterator[pa.Table]) -> None:
        start, end = self.slices[slice_no]
        first = True
        for table in batches:
            if first:  # continuations start at the slice's first instant: all in the first batch
                table = arrow.sort_run(self.labels, arrow.join_at_boundary(self.open, table, boundary_unix=start))
                self.open, first = arrow.empty(arrow.RUN_SCHEMA), False
            if end < self.slices[-1][1]:
                still_open = arrow.ends_at(table, end)
                if still_open.any():
                    self.open = arrow.concat([self.open, table.filter(an.array(still_open))], arrow.RUN_SCHEMA)
                    table = table.filter(an.array(~still_open))
            self._write(table)
        if first and len(self.open):  # an empty slice: the held passes end at its start
            self._write(arrow.sort_run(self.labels, arrow.join_at_boundary(self.open, arrow.empty(arrow.RUN_SCHEMA), start)))
            self.open = arrow.empty(arrow.RUN_SCHEMA)

    def _write(self, table: pa.Table) -> None:
        if self.last_key is not None and len(table):
            early = arrow.before_key(self.labels, table, self.last_key)
            if early.any():
                self.late.append(table.filter(an.array(early)))
                table = table.filter(an.array(~early))
        if len(table):
            self.last_key = arrow.last_key(self.labels, table)
            if self.spool is not None:
                self.spool.write_table(table, max_chunksize=len(table))
            else:
                self.sink.write(arrow.as_pass_table(self.labels, table))

    def finish(self):
        late = arrow.sort_run(self.labels, arrow.concat(self.late, arrow.RUN_SCHEMA))
        if self.spool is None:  # one slice: nothing comes late
            return self.sink.close()
        import pyarrow.ipc as ipc

        self.spool.close()
        # Read, not memory-mapped: mapped pages would stay resident until the end, and the spool
        # holds the whole window.
        spooled = ipc.open_file(pa.OSFile(str(self.spool_path)))
        for group in range(spooled.num_record_batches):
            batch = pa.Table.from_batches([spooled.get_batch(group)])
            n = int(arrow.before_key(self.labels, late, arrow.last_key(self.labels, batch)).sum()) if len(late) else 0
            if n:
                batch = arrow.sort_run(self.labels, arrow.concat([batch, late.slice(0, n)], arrow.RUN_SCHEMA))
                late = late.slice(n)
            self.sink.write(arrow.as_pass_table(self.labels, batch))
        self.sink.write(arrow.as_pass_table(self.labels, late))
        return self.sink.close()


# --- what the command line calls --------------------------------------------------------------

# Below this many object-station-days one process answers faster than a pool can start.
POOL_THRESHOLD_PAIR_DAYS = 20_000.0


def wants_pool(workers: int | None, dask: str | None, n_objects: int, n_stations: int, window_s: float) -> bool:
    """Whether a job should leave this process: asked for (--workers N > 1, --dask), or large."""
    if dask:
        return True
    if workers is not None:
        return workers > 1
    return n_objects * n_stations * window_s / 86400.0 >= POOL_THRESHOLD_PAIR_DAYS


# Bytes of a three-line TLE record: a catalog file's size tells about how many objects it holds.
TLE_RECORD_BYTES = 165


@contextmanager
def early_pool(workers: int | None, dask: str | None, catalog_path, n_stations: int, window_s: float):
    """A local pool started before the catalog is read, when the file's size alone says the job
    will want one (``wants_pool``): its workers warm up while this process reads. Yields the pool
    (for ``run_to_file``/``run_in_memory``'s ``pool``) or None."""
    n = workers if workers is not None else (os.cpu_count() or 1)
    try:
        size = os.path.getsize(catalog_path) if catalog_path and os.path.isfile(catalog_path) else 0
    except OSError:
        size = 0
    if dask or n < 2 or not wants_pool(workers, None, size // TLE_RECORD_BYTES, n_stations, window_s):
        yield None
        return
    pool = _ProcessPool(n)
    try:
        yield pool
    finally:
        pool.close()


def _executor(n: int, dask: str | None, pool):
    """The started ``pool`` when it has the ``n`` workers wanted, else a new executor."""
    return _borrowed(pool) if pool is not None and not dask and pool.workers == n else open_executor(n, dask)


def _workers_for(workers, dask, elements, antennas, start_unix, end_unix) -> int:
    if workers is not None or dask:
        return workers if workers is not None else (os.cpu_count() or 1)
    return (os.cpu_count() or 1) if wants_pool(None, None, len(elements), len(antennas), end_unix - start_unix) else 1


def run_in_memory(elements, antennas, start_unix, end_unix, *, min_elevation_deg=None, workers=None,
                  dask=None, quiet=False, failures=None, pool=None):
    """The whole ``PassTable`` (as ``find_passes`` gives it), computed on a pool or a cluster
    (``pool``: one from ``early_pool``, used when it fits)."""
    n = _workers_for(workers, dask, elements, antennas, start_unix, end_unix)
    with _executor(n, dask, pool) as executor:
        return find_passes_at_scale(elements, antennas, start_unix, end_unix, min_elevation_deg=min_elevation_deg,
                                    executor=executor, progress=progress_wanted(quiet), failures=failures)


def run_to_file(elements, antennas, start_unix, end_unix, path, *, fmt=None, min_elevation_deg=None,
                workers=None, dask=None, quiet=False, failures=None, pool=None) -> int:
    """Stream every pass to ``path`` (Parquet, CSV or JSON); returns how many were written
    (``pool``: one from ``early_pool``, used when it fits)."""
    from .sinks import open_sink

    n = _workers_for(workers, dask, elements, antennas, start_unix, end_unix)
    sink = open_sink(path, fmt)
    with _executor(n, dask, pool) as executor:
        return find_passes_at_scale(elements, antennas, start_unix, end_unix, min_elevation_deg=min_elevation_deg,
                                    executor=executor, sink=sink, progress=progress_wanted(quiet), failures=failures)
