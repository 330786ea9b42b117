"""Edge cases of the catalog-scale runner and its streamed output: element sets sharing a NORAD
id, stations listed out of their text order, passes cut by slice boundaries, empty slices and
empty results, and output files that fail while being written."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyarrow as pa
import pytest

from groundnet.orbits.propagation import OrbitShape
from groundnet.output import arrow_text
from groundnet.stations import load_network
from groundnet.visibility import arrow, scale, sinks
from groundnet.visibility.passes import PassTable, checked_steps, find_passes, order_by_time_then_key

DAY0 = 1696896000.0  # 2023-10-10T00:00:00Z
DAY = 86400.0


@pytest.fixture(scope="module")
def twins(full_catalog):
    """LEO and GEO objects (passes cut by midnight, windows longer than a day) each twice: the
    same elements under a second name, so that every pass of one has a twin with the same AOS."""
    rng = np.random.default_rng(17)
    leo = [e for e in full_catalog if 14.0 < e.mean_motion_rev_day < 15.6 and e.eccentricity < 0.01]
    geo = [e for e in full_catalog if abs(e.mean_motion_rev_day - 1.0027) < 0.003 and e.eccentricity < 0.001]
    picked = [leo[i] for i in rng.choice(len(leo), 10, replace=False)]
    picked += [geo[i] for i in rng.choice(len(geo), 4, replace=False)]
    return picked + [replace(e, name=e.name + " (TWIN)") for e in picked]


@pytest.fixture(scope="module")
def stations():
    return load_network().select("NNO-1,CEB,KIR-1")  # index order unlike the ids' text order


def test_ties_keep_lexsorts_order_by_position():
    rng = np.random.default_rng(0)
    time = rng.choice(np.arange(5.0), 3000)
    key = rng.integers(0, 3, 3000)  # many rows with the same time and key
    np.testing.assert_array_equal(order_by_time_then_key(time, key), np.lexsort((key, time)))


def test_twins_and_unsorted_stations_come_out_as_one_call_gives_them(twins, stations, monkeypatch, tmp_path):
    single = find_passes(twins, stations, DAY0, DAY0 + 2 * DAY)
    rows = single.to_rows()
    assert rows == single.sort().to_rows()
    assert [r["station_id"] for r in rows[:3]] == sorted(r["station_id"] for r in rows[:3])  # clipped at start: ties
    los_day = np.floor((single.los - DAY0) / DAY)
    assert ((los_day > np.floor((single.aos - DAY0) / DAY)) & (single.los < DAY0 + 2 * DAY)).any()
    # Many tasks in this process, two slices, small merge batches: ties meet across tasks and late rows.
    monkeypatch.setattr(scale._Runs, "BATCH_ROWS", 25)
    scaled = scale.find_passes_at_scale(twins, stations, DAY0, DAY0 + 2 * DAY, slice_s=DAY, task_pair_days=3)
    assert scaled.to_rows() == rows
    path = tmp_path / "twins.csv"
    written = scale.find_passes_at_scale(twins, stations, DAY0, DAY0 + 2 * DAY, slice_s=DAY, task_pair_days=3,
                                         sink=sinks.open_sink(path))
    assert written == len(rows) and path.read_text(encoding="utf-8") == arrow_text(single.to_arrow(), "csv")


def test_sliced_runs_of_decaying_debris_equal_one_call(full_catalog, stations):
    """High-drag debris whose SGP4 step check (around the first perigee after a block's start)
    gives another step from one day to the next: each slice of the runner and each block of one
    call check from the same instants (AOS differed by up to 1.2 s when one call checked only
    from the window's start)."""
    debris = [next(e for e in full_catalog if e.norad_id == n) for n in (38792, 56737, 57660, 42269, 35742)]
    shape = OrbitShape.of(debris)
    assert (checked_steps(debris, shape, DAY0) != checked_steps(debris, shape, DAY0 + DAY)).any()
    single = find_passes(debris, stations, DAY0, DAY0 + 3 * DAY)
    sliced = scale.find_passes_at_scale(debris, stations, DAY0, DAY0 + 3 * DAY, slice_s=DAY)
    assert len(single) > 20
    np.testing.assert_array_equal(sliced.aos, single.aos)
    np.testing.assert_array_equal(sliced.los, single.los)
    assert sliced.to_rows() == single.to_rows()


def test_nothing_visible_gives_empty_tables_and_files(full_catalog, stations, tmp_path):
    # Two GEO objects seen from none of these stations: every task and every slice is empty.
    far = [e for e in full_catalog if abs(e.mean_motion_rev_day - 1.0027) < 0.003 and e.eccentricity < 0.001]
    unseen = [e for e in far if len(find_passes([e], stations, DAY0, DAY0 + 3600.0)) == 0][:2]
    assert len(unseen) == 2
    table = scale.find_passes_at_scale(unseen, stations, DAY0, DAY0 + 3 * DAY, slice_s=DAY)
    assert len(table) == 0 and table.to_rows() == []
    for ext in ("parquet", "json"):
        path = tmp_path / f"none.{ext}"
        assert scale.find_passes_at_scale(unseen, stations, DAY0, DAY0 + 3 * DAY, slice_s=DAY,
                                          sink=sinks.open_sink(path)) == 0
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".groundnet")] == []
    assert len(sinks.read_parquet_passes(tmp_path / "none.parquet")) == 0
    assert (tmp_path / "none.json").read_text(encoding="utf-8") == "[]\n"


def _run(rows):
    """A RUN_SCHEMA table from (object, station, aos, los, max_el, aos_clipped, los_clipped) rows."""
    o, s, aos, los, el, ac, lc = (list(c) for c in zip(*rows)) if rows else ([],) * 7
    return pa.table({
        "object": pa.array(o, pa.int32()), "station": pa.array(s, pa.int32()),
        "aos": pa.array(aos, pa.float64()), "tca": pa.array(np.add(aos, 1.0), pa.float64()),
        "los": pa.array(los, pa.float64()), "max_elevation_deg": pa.array(el, pa.float64()),
        "aos_azimuth_deg": pa.array(np.zeros(len(o)), pa.float64()),
        "los_azimuth_deg": pa.array(np.ones(len(o)), pa.float64()),
        "aos_clipped": pa.array(ac, pa.bool_()), "los_clipped": pa.array(lc, pa.bool_()),
    }, schema=arrow.RUN_SCHEMA)


def test_join_at_boundary_joins_pairs_and_unclips_pieces_without_a_partner():
    b = 1000.0
    before = _run([(0, 1, 900.0, b, 30.0, False, True),   # continues
                   (2, 0, 950.0, b, 10.0, False, True)])  # ends exactly at the boundary: no continuation
    after = _run([(0, 1, b, 1100.0, 45.0, True, False),
                  (3, 0, b, 1050.0, 20.0, True, False),   # begins at the boundary: nothing before it
                  (1, 1, 1010.0, 1200.0, 50.0, False, False)])
    joined = arrow.join_at_boundary(before, after, b).to_pydict()
    got = {(o, s): i for i, (o, s) in enumerate(zip(joined["object"], joined["station"]))}
    assert len(got) == 4
    i = got[(0, 1)]
    assert (joined["aos"][i], joined["los"][i]) == (900.0, 1100.0)
    assert (joined["max_elevation_deg"][i], joined["tca"][i]) == (45.0, b + 1.0)  # from the higher piece
    assert not joined["aos_clipped"][i] and not joined["los_clipped"][i]
    # A piece that meets nothing at the boundary was not cut by it: the window did not end there.
    assert not joined["los_clipped"][got[(2, 0)]] and not joined["aos_clipped"][got[(3, 0)]]


class _Broken(sinks.ParquetSink):
    def _write(self, batch):
        raise OSError(28, "No space left on device")


def test_a_failing_writer_stops_the_run_with_one_clear_error(twins, stations, tmp_path):
    sink = _Broken(tmp_path / "full.parquet")
    with pytest.raises(sinks.OutputError, match=r"full\.parquet.*No space left"):
        scale.find_passes_at_scale(twins, stations, DAY0, DAY0 + 2 * DAY, slice_s=DAY, sink=sink)
    assert not sink._thread.is_alive()
    sink.discard()  # again, after the run: nothing to do, nothing raised
    assert [p.name for p in tmp_path.iterdir()] == ["full.parquet"]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("ext", ["parquet", "csv", "json"])
def test_close_and_discard_after_a_failure_do_not_hang_or_mask_it(tmp_path, ext):
    sink = sinks.open_sink(tmp_path / f"p.{ext}")
    calls = []

    def fail(batch):
        calls.append(len(batch))
        raise OSError(5, "Input/output error")

    sink._write = fail
    one = _one_pass()
    for _ in range(6):  # more than the queue holds: write() neither blocks nor writes after the failure
        try:
            sink.write(one)
        except sinks.OutputError:
            break
    with pytest.raises(sinks.OutputError, match="Input/output error"):
        sink.close()
    assert calls == [1]
    sink.discard()  # after close(): a no-op
    with pytest.raises(sinks.OutputError):
        sink.close()  # the failure is still the answer
    assert not sink._thread.is_alive()


def test_discard_closes_the_file_with_what_was_written(tmp_path):
    sink = sinks.open_sink(tmp_path / "part.json")
    sink.write(_one_pass())
    sink.discard()
    assert not sink._thread.is_alive()
    sink.discard()
    assert (tmp_path / "part.json").read_text(encoding="utf-8").rstrip().endswith("]")
    with pytest.raises(sinks.OutputError, match="failed before the output was complete"):
        sink.close()


def _one_pass():
    f = np.array([1.0])
    return PassTable.from_columns(object_id=[25544], object_name=["ISS"], station_id=["CEB"], aos=f, tca=f + 1,
                                  los=f + 2, max_elevation_deg=f * 40, aos_azimuth_deg=f * 10, los_azimuth_deg=f * 200,
                                  aos_clipped=[False], los_clipped=[False])


def test_a_decay_inside_the_window_reaches_every_slice_from_one_computation(full_catalog, stations, monkeypatch):
    """Debris that decays (SGP4 error 6) on the second day of a three-day window: the failure is
    found once for the whole window and every slice's task gets it, so that no slice after the
    decay counts a sample as visible, and the sliced run equals one call."""
    from groundnet.orbits import propagation

    debris = [next(e for e in full_catalog if e.norad_id == n) for n in (35742, 56737, 57660)]
    end = DAY0 + 3 * DAY
    whole = propagation.first_failures(debris, end)
    assert ((whole.time_unix > DAY0 + DAY) & (whole.time_unix < DAY0 + 2 * DAY)).all()
    assert set(whole.reason) == {6}
    computed, given = [], []
    real_first_failures, real_run_task = propagation.first_failures, scale.run_task

    def counting(elements, until_unix):
        computed.append(until_unix)
        return real_first_failures(elements, until_unix)

    def recording(elements, antennas, start_unix, end_unix, *args):
        given.append((start_unix, args[-1]))
        return real_run_task(elements, antennas, start_unix, end_unix, *args)

    monkeypatch.setattr(propagation, "first_failures", counting)
    monkeypatch.setattr(scale, "run_task", recording)
    sliced = scale.find_passes_at_scale(debris, stations, DAY0, end, slice_s=DAY)
    assert computed == [end]  # once, for the whole window
    assert sorted(start for start, _ in given) == [DAY0, DAY0 + DAY, DAY0 + 2 * DAY]
    for _, failures in given:
        np.testing.assert_array_equal(failures.time_unix, whole.time_unix)
    monkeypatch.undo()
    single = find_passes(debris, stations, DAY0, end)
    assert len(single) > 10
    assert sliced.to_rows() == single.to_rows()
    for k, e in enumerate(debris):
        mine = sliced.obj == k
        assert mine.any() and (sliced.los[mine] <= whole.time_unix[k]).all()
