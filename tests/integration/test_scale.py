"""Catalog-scale runs give exactly what one find_passes call gives, on a process pool, on a Dask
LocalCluster, sliced over a week, and streamed to Parquet, CSV and JSON."""

from __future__ import annotations

import numpy as np
import pyarrow.parquet as pq
import pytest

from groundnet.orbits.catalog import load_catalog
from groundnet.output import arrow_text
from groundnet.stations import load_network
from groundnet.timebase import parse_utc, to_unix
from groundnet.visibility import arrow, scale, sinks
from groundnet.visibility.passes import find_passes

START = to_unix(parse_utc("2023-10-09T00:00:00Z"))  # the full catalog's date
DAY = 86400.0


@pytest.fixture(scope="module")
def catalog(shared_data):
    return load_catalog(shared_data / "catalog" / "spacetrack_full_catalog_3le_2023-10-09.txt").elements


@pytest.fixture(scope="module")
def subset(catalog):
    """A seeded sample of the real catalog with every kind of orbit: LEO, MEO, GEO, HEO."""
    elements = catalog
    rng = np.random.default_rng(7)
    n = np.array([e.mean_motion_rev_day for e in elements])
    ecc = np.array([e.eccentricity for e in elements])
    kinds = {
        "leo": np.nonzero(n > 11)[0],
        "meo": np.nonzero((n > 1.5) & (n < 4) & (ecc < 0.1))[0],
        "geo": np.nonzero((np.abs(n - 1.0027) < 0.01) & (ecc < 0.01))[0],
        "heo": np.nonzero(ecc > 0.5)[0],
    }
    counts = {"leo": 30, "meo": 8, "geo": 12, "heo": 10}
    picked = np.concatenate([rng.choice(kinds[k], counts[k], replace=False) for k in counts])
    return [elements[i] for i in np.sort(picked)]


@pytest.fixture(scope="module")
def stations():
    return load_network().select("KIR-1,MLG,NNO-1")


@pytest.fixture(scope="module")
def pool():
    with scale.open_executor(2) as executor:
        yield executor


# find_passes gives the same passes whatever the objects it is called with, but its vectorised
# dot products may round the last bit differently for another batch size: angles agree to far
# below any physical meaning, times and everything else exactly.
ANGLE_ROUNDING_DEG = 1e-9


def _same(a, b):
    """Both pass tables hold the same passes in the same order: times bit for bit, angles to rounding."""
    ta, tb = a.to_arrow(), b.to_arrow()
    assert ta.num_rows == tb.num_rows
    for name in arrow.SCHEMA.names:
        if name.endswith("_deg") or name == "elements_age_days":  # a Parquet file's age: read back within rounding
            x, y = ta.column(name).to_numpy(), tb.column(name).to_numpy()
            assert np.abs(x - y).max(initial=0.0) < ANGLE_ROUNDING_DEG, name
        else:
            assert ta.column(name).equals(tb.column(name)), name


def test_process_pool_equals_one_call(subset, stations, pool):
    end = START + DAY
    single = find_passes(subset, stations, START, end)
    assert len(single) > 100
    scaled = scale.find_passes_at_scale(subset, stations, START, end, executor=pool, task_pair_days=20)
    _same(scaled, single)


def test_week_in_daily_slices_equals_one_call_over_the_week(subset, stations, pool, monkeypatch):
    end = START + 7 * DAY
    single = find_passes(subset, stations, START, end)
    durations = np.asarray(single.los) - np.asarray(single.aos)
    # The sample must exercise the joins: passes cut by a midnight, and passes (GEO) longer than a day.
    aos_day = np.floor((np.asarray(single.aos) - START) / DAY)
    los_day = np.floor((np.asarray(single.los) - START) / DAY)
    assert (los_day > aos_day).sum() > 10
    assert (durations > 2 * DAY).any()
    # Merge each slice's runs in many small batches, as a 400-station day does in big ones.
    monkeypatch.setattr(scale._Runs, "BATCH_ROWS", 40)
    sliced = scale.find_passes_at_scale(subset, stations, START, end, executor=pool, slice_s=DAY)
    _same(sliced, single)


def test_streamed_files_equal_the_in_memory_result(subset, stations, pool, tmp_path, monkeypatch):
    monkeypatch.setattr(scale._Runs, "BATCH_ROWS", 100)
    end = START + 3 * DAY
    single = find_passes(subset, stations, START, end)
    for ext in ("parquet", "csv", "json", "ndjson"):
        path = tmp_path / ext / f"passes.{ext}"
        written = scale.find_passes_at_scale(
            subset, stations, START, end, executor=pool, slice_s=DAY, sink=sinks.open_sink(path)
        )
        assert written == len(single)
        assert list(path.parent.iterdir()) == [path], "scratch files are removed"
        if ext == "parquet":
            parquet = pq.ParquetFile(path)
            assert parquet.num_row_groups > 1  # written as slices finished, not at once
            assert str(parquet.schema_arrow.field("aos").type) == "timestamp[ns, tz=UTC]"
            _same(sinks.read_parquet_passes(path), single)
        else:  # what `groundnet passes --output` writes for the table made in one piece
            assert path.read_text(encoding="utf-8") == arrow_text(single.to_arrow(), ext)


def test_dask_local_cluster_equals_one_call(subset, stations):
    end = START + DAY / 4
    single = find_passes(subset, stations, START, end)
    with scale.open_executor(2, dask="local") as cluster:
        assert cluster.workers == 2
        scaled = scale.find_passes_at_scale(subset, stations, START, end, executor=cluster, task_pair_days=5)
    _same(scaled, single)


def test_plan_covers_every_object_station_and_instant_once(subset, stations):
    many = load_network().select("KIR-1,RED-1,CEB,VIL-2,MSP,KRU-1,MLG,NNO-1,SMA,MLI")
    plan = scale.plan_tasks(subset, many, START, START + 2.5 * DAY, workers=2, slice_s=DAY, task_pair_days=50)
    assert plan.slices == [(START, START + DAY), (START + DAY, START + 2 * DAY), (START + 2 * DAY, START + 2.5 * DAY)]
    covered = np.zeros((len(plan.slices), len(subset), len(many)), dtype=int)
    for row in plan.tasks:
        for task in row:
            covered[np.ix_([task.slice_no], plan.object_chunks[task.objects], plan.station_chunks[task.stations])] += 1
    assert (covered == 1).all()
    assert all(len(row) >= 8 and len(row) % 2 == 0 for row in plan.tasks)  # at least 4 per worker and slice, as many each


def test_catalog_chunks_are_balanced_by_cost(catalog):
    costs = scale.object_cost(catalog)
    chunks = scale.balanced_chunks(costs, 16)
    assert sorted(np.concatenate(chunks).tolist()) == list(range(len(catalog)))
    totals = np.array([costs[c].sum() for c in chunks])
    assert len(chunks) == 16 and totals.max() < 1.01 * totals.min()
    # Like orbits together: GEO objects fill fewer, larger chunks than LEO objects.
    sizes = [len(c) for c in chunks]
    assert max(sizes) > 2 * min(sizes)


def test_bad_window_and_empty_selection_are_clear_errors(subset, stations):
    with pytest.raises(scale.ScaleError, match="after --start"):
        scale.plan_tasks(subset, stations, START, START)
    with pytest.raises(scale.ScaleError, match="no objects"):
        scale.plan_tasks([], stations, START, START + DAY)
    with pytest.raises(sinks.OutputError, match="extension"):
        sinks.open_sink("passes.xlsx")


def test_cli_streams_to_files_what_it_prints(tmp_path):
    from typer.testing import CliRunner

    from groundnet.cli import app

    window = ["--catalog", "demo", "--stations", "KIR-1,MLG", "--start", "2026-11-21T00:00:00Z",
              "--end", "2026-11-23T00:00:00Z", "--quiet"]
    printed = CliRunner().invoke(app, ["passes", *window, "--format", "csv"])
    assert printed.exit_code == 0, printed.output
    streamed = CliRunner().invoke(app, ["passes", *window, "--format", "csv", "--workers", "2",
                                        "--output", str(tmp_path / "p.csv")])
    assert streamed.exit_code == 0, streamed.output
    assert (tmp_path / "p.csv").read_text(encoding="utf-8") == printed.stdout
    parquet = CliRunner().invoke(app, ["passes", *window, "--output", str(tmp_path / "p.parquet")])
    assert parquet.exit_code == 0, parquet.output
    back = sinks.read_parquet_passes(tmp_path / "p.parquet")
    assert arrow_text(back.to_arrow(), "csv") == printed.stdout


def test_no_passes_still_make_valid_files(tmp_path):
    expected = {"csv": ",".join(arrow.SCHEMA.names) + "\n", "json": "[]\n", "ndjson": ""}
    for ext, text in expected.items():
        sink = sinks.open_sink(tmp_path / f"none.{ext}")
        assert sink.close() == 0
        assert (tmp_path / f"none.{ext}").read_text(encoding="utf-8") == text
    sink = sinks.open_sink(tmp_path / "none.parquet")
    sink.close()
    assert len(sinks.read_parquet_passes(tmp_path / "none.parquet")) == 0


PANDAS_PROBE = """
import os, sys
class Probe:  # forked workers inherit it
    def find_spec(self, name, path=None, target=None):
        if name == "pandas":
            with open(os.environ["PANDAS_MARK"], "a") as f:
                f.write(f"pandas imported in process {os.getpid()}\\n")
        return None
sys.meta_path.insert(0, Probe())
from groundnet.cli import app
app(sys.argv[1:], standalone_mode=False)
"""


@pytest.mark.parametrize("ext", ["csv", "json", "ndjson", "parquet", "txt"])
def test_writing_passes_imports_no_pandas(tmp_path, ext):
    """pyarrow imports pandas (a large import) at its first pa.array or to_numpy; the
    passes command and its workers move columns through buffers and never need it."""
    import os
    import subprocess
    import sys

    mark = tmp_path / "pandas.txt"
    argv = [sys.executable, "-c", PANDAS_PROBE, "passes", "--catalog", "demo", "--stations", "KIR-1,MLG",
            "--start", "2026-11-21T00:00:00Z", "--end", "2026-11-23T00:00:00Z", "--quiet", "--workers", "2",
            "--output", str(tmp_path / f"p.{ext}")]
    done = subprocess.run(argv, env=dict(os.environ, PANDAS_MARK=str(mark)), capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / f"p.{ext}").stat().st_size > 1000
    assert not mark.exists(), mark.read_text()


def test_a_pool_started_before_the_catalog_is_read_serves_the_job(shared_data, subset, stations, tmp_path):
    """``early_pool`` starts (and warms) workers when the catalog file's size says the job is large;
    ``run_to_file`` then uses them, with the very bytes of a run in this process."""
    from groundnet.orbits.catalog import bundled_catalog_path

    full = shared_data / "catalog" / "spacetrack_full_catalog_3le_2023-10-09.txt"
    demo = bundled_catalog_path("demo")
    with scale.early_pool(None, None, demo, len(stations), DAY) as pool:
        assert pool is None  # a few dozen objects: this process answers faster
    with scale.early_pool(1, None, full, len(stations), DAY) as pool:
        assert pool is None  # --workers 1
    with scale.early_pool(None, "local", full, len(stations), DAY) as pool:
        assert pool is None  # a Dask cluster is started by the run itself
    with scale.early_pool(2, None, full, len(stations), DAY) as pool:
        assert pool is not None and pool.workers == 2
        scale.run_to_file(subset, stations, START, START + DAY, tmp_path / "pool.csv", workers=2, pool=pool)
    scale.run_to_file(subset, stations, START, START + DAY, tmp_path / "here.csv", workers=1)
    assert (tmp_path / "pool.csv").read_bytes() == (tmp_path / "here.csv").read_bytes()
