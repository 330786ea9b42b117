"""The compiled pieces of the pass search, each against a plain reference: NumPy's own functions
or closed-form answers. (The search as a whole is checked in tests/reference and tests/properties.)"""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pytest

from groundnet.stations.network import Antenna
from groundnet.visibility import arrow, refine, search
from groundnet.visibility.passes import PassLabels, PassTable, _Frame, _Stations, order_by_time_then_key
from groundnet.visibility.sinks import OutputError, open_sink


def _antenna(mask, min_elevation_deg=5.0):
    return Antenna("T", "Test", "TEST", 40.0, -4.0, 650.0, min_elevation_deg=min_elevation_deg, horizon_mask=mask)


@pytest.mark.parametrize("mask", [
    ((0.0, 12.0), (90.0, 3.0), (180.0, 20.0), (270.0, 8.0)),
    ((10.0, 7.0), (200.0, 1.0)),  # the wrap-around segment spans 0 deg
    ((45.0, 30.0),),  # one point: a flat mask
    ((0.0, 2.0), (120.0, 2.0), (240.0, 2.0)),  # under the minimum elevation everywhere
])
def test_mask_threshold_is_numpys_periodic_interpolation(mask):
    antenna = _antenna(mask)
    stations = _Stations.of([antenna], None)
    frame = _Frame(np.zeros((1, 3)), *np.eye(3)[:, None, :], np.ones(1), np.zeros((1, 3)), np.zeros(1))
    kernel_stations = stations.for_search(frame)
    azimuths = np.linspace(0.0, 359.99, 2001)
    got = np.array([search._mask_floor(kernel_stations, 0, az)[0] for az in azimuths])
    np.testing.assert_allclose(got, antenna.elevation_floor_deg(azimuths), atol=1e-9)
    # The slope is the threshold's derivative in azimuth (deg/deg), away from the mask's corners.
    h = 1e-4
    slope = np.array([search._mask_floor(kernel_stations, 0, az)[1] for az in azimuths])
    numeric = (antenna.elevation_floor_deg(azimuths + h) - antenna.elevation_floor_deg(azimuths - h)) / (2 * h)
    smooth = np.abs(numeric - np.roll(numeric, 1)) < 1e-6
    np.testing.assert_allclose(slope[smooth], numeric[smooth], atol=1e-5)


def test_canonical_order_matches_lexsort_with_many_ties():
    rng = np.random.default_rng(3)
    time = rng.choice(np.array([0.0, 1.5, 2.25, 7.0, 1e9]), 5000) + rng.choice([0.0, 0.0, 0.0, 1e-3], 5000)
    key = rng.integers(0, 50, 5000)
    order = order_by_time_then_key(time, key)
    expected = np.lexsort((key, time))
    np.testing.assert_array_equal(time[order], time[expected])
    np.testing.assert_array_equal(key[order], key[expected])


def test_run_tables_sort_as_the_public_schema_does():
    # Station indices in an order unlike their ids' text order, repeated NORAD ids, tied AOS.
    labels = PassLabels([25544, 7, 25544, 900], ["ISS", "A", "ISS (copy)", "B"], ["VIL-2", "CEB", "NNO-1", "KIR-1"])
    rng = np.random.default_rng(11)
    n = 400
    aos = rng.choice([100.0, 100.0, 250.5, 300.0], n) + rng.integers(0, 3, n)
    run = pa.table({
        "object": pa.array(rng.integers(0, 4, n), pa.int32()),
        "station": pa.array(rng.integers(0, 4, n), pa.int32()),
        "aos": aos, "tca": aos + 1.0, "los": aos + 2.0,
        "max_elevation_deg": rng.uniform(5, 90, n), "aos_azimuth_deg": rng.uniform(0, 360, n),
        "los_azimuth_deg": rng.uniform(0, 360, n), "aos_clipped": np.zeros(n, bool), "los_clipped": np.zeros(n, bool),
    }, schema=arrow.RUN_SCHEMA)
    ours = arrow.as_pass_table(labels, arrow.sort_run(labels, run)).to_arrow()
    # The canonical order on the text itself (Arrow's own sort), against the labels' integer keys.
    public = arrow.as_pass_table(labels, run).to_arrow().sort_by(
        [("aos", "ascending"), ("object_id", "ascending"), ("station_id", "ascending")])
    for name in ("aos", "object_id", "station_id"):
        assert ours.column(name).to_pylist() == public.column(name).to_pylist()
    key = arrow.last_key(labels, arrow.sort_run(labels, run).slice(0, 150))
    before = arrow.before_key(labels, arrow.sort_run(labels, run), key)
    assert before.sum() == 150 and before[:150].all()


def test_numbers_and_text_ids_mix_in_one_canonical_order():
    # A NORAD number and a text id in one table (an element set and a deep-space trajectory).
    one = PassTable.from_columns(object_id=["MEX", 40697, "MEX", 7], object_name=["Mars Express", "S2A", "Mars Express", "X"],
                                 station_id=["NNO-1", "KIR-1", "CEB", "NNO-1"], aos=[5.0, 5.0, 5.0, 5.0],
                                 tca=[6.0] * 4, los=[7.0] * 4, max_elevation_deg=[10.0] * 4, aos_azimuth_deg=[0.0] * 4,
                                 los_azimuth_deg=[0.0] * 4, aos_clipped=[False] * 4, los_clipped=[False] * 4)
    other = PassTable.from_columns(object_id=["-144"], object_name=["Solar Orbiter"], station_id=["CEB"], aos=[1.0],
                                   tca=[2.0], los=[3.0], max_elevation_deg=[9.0], aos_azimuth_deg=[1.0],
                                   los_azimuth_deg=[2.0], aos_clipped=[False], los_clipped=[False])
    table = PassTable.concat([one, other]).sort()
    # By AOS, then numbers (by value) before text ids, then station.
    assert [(r["object_id"], r["station_id"]) for r in table.to_rows()] == [
        ("-144", "CEB"), ("7", "NNO-1"), ("40697", "KIR-1"), ("MEX", "CEB"), ("MEX", "NNO-1")]
    assert table.object_id.dtype == object and table.labels.object_ids.tolist().count(-144) == 1
    back = PassTable.from_arrow(table.to_arrow())
    assert back.to_rows() == table.to_rows()
    numeric = PassTable.concat([other, one.take(one.object_id != "MEX")]).sort()
    assert numeric.to_arrow().schema.field("object_id").type == pa.int64()
    assert [r["object_id"] for r in numeric.to_rows()] == [-144, 7, 40697]


def test_bracketed_newton_finds_a_root_and_a_maximum():
    # f(t) = t^3 - 2t - 5 (Newton's own example): root 2.0945514815423265.
    def f(t):
        return t**3 - 2 * t - 5, 3 * t**2 - 2

    lo, hi = 2.0, 3.0
    x = refine.cubic_root_guess(lo, hi, f(lo)[0], f(hi)[0], f(lo)[1], f(hi)[1])
    f_lo, f_hi, side = f(lo)[0], f(hi)[0], 0
    curvature = refine.root_curvature(lo, hi, f(lo)[1], f(hi)[1])
    for _ in range(refine.MAX_ITERATIONS):
        x, lo, hi, f_lo, f_hi, side, done = refine.bracket_step(
            x, *f(x), lo, hi, f_lo, f_hi, side, f_lo < 0, refine.TOLERANCE_S, curvature)
        if done:
            break
    assert abs(x - 2.0945514815423265) < 1e-6
    # The peak of a cubic Hermite interpolant of g = sin(t) on [1, 2] is close to pi/2.
    peak = refine.cubic_peak_guess(1.0, 2.0, math.sin(1.0), math.sin(2.0), math.cos(1.0), math.cos(2.0))
    assert abs(peak - math.pi / 2) < 0.01


def test_quintic_basis_reproduces_a_quintic_exactly():
    # p(s) = 1 + s - 2 s^2 + 3 s^3 - s^4 + 0.5 s^5 from its value, slope and curvature at 0 and 1.
    c = np.array([1.0, 1.0, -2.0, 3.0, -1.0, 0.5])

    def p(s, d=0):
        poly = np.polynomial.Polynomial(c).deriv(d)
        return poly(s)

    ends = np.array([p(0), p(0, 1), p(0, 2), p(1), p(1, 1), p(1, 2)])
    s = np.linspace(0.0, 1.0, 11)
    w = search.quintic_weights(s, 2)
    for order in range(3):
        np.testing.assert_allclose(ends @ w[order], p(s, order), atol=1e-12)


def test_a_failed_write_names_the_output_file(tmp_path, monkeypatch):
    sink = open_sink(tmp_path / "passes.parquet")

    def disk_full(batch):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sink, "_write", disk_full)
    sink.write(_one_pass())
    with pytest.raises(OutputError, match=r"passes\.parquet.*No space left"):
        sink.close()


def _one_pass():
    f = np.array([1.0])
    return PassTable.from_columns(object_id=[25544], object_name=["ISS"], station_id=["CEB"], aos=f, tca=f + 1,
                                  los=f + 2, max_elevation_deg=f * 40, aos_azimuth_deg=f * 10, los_azimuth_deg=f * 200,
                                  aos_clipped=[False], los_clipped=[False])
