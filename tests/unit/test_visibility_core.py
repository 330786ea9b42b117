"""The one entry point: every provider goes to its strategy, and the answer is one table."""

from __future__ import annotations

import numpy as np
import pytest

from groundnet.missions import get_spacecraft
from groundnet.orbits.trajectory import AtBodyTrajectory
from groundnet.stations import load_network
from groundnet.visibility.core import find_windows, usable_elevation_deg, with_min_elevation
from groundnet.visibility.deepspace import trajectory_pass_table
from groundnet.visibility.passes import PassTable
from groundnet.visibility.passes import find_passes

START = 1.7955e9
END = START + 2 * 86400.0


def _same(a, b):
    assert len(a) == len(b)
    for name in ("aos", "tca", "los", "max_elevation_deg", "aos_azimuth_deg", "los_azimuth_deg"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert a.object_id.tolist() == b.object_id.tolist() and a.station_id.tolist() == b.station_id.tolist()


def test_each_provider_goes_to_its_strategy_and_mixes_in_one_table():
    antennas = load_network().select("NNO-1,KIR-1")
    sentinel, mex = get_spacecraft("SENTINEL-2A"), get_spacecraft("MEX")
    mars = AtBodyTrajectory("mars barycenter", name="Mars", object_id="4", error_bound_km=0.0)
    # Element sets (also an Earth-orbiting spacecraft, under its own name) take the compiled search.
    by_elements = find_passes([sentinel.elements], antennas, START, END)
    _same(find_windows(sentinel, antennas, START, END), by_elements)
    _same(find_windows([sentinel.trajectory], antennas, START, END), by_elements)
    assert set(find_windows(sentinel, antennas, START, END).object_name) == {"Sentinel-2A"}
    # Trajectories and deep-space spacecraft take the light-time-corrected search.
    _same(find_windows(mars, antennas, START, END), trajectory_pass_table(mars, antennas, START, END))
    _same(find_windows(mex, antennas, START, END), trajectory_pass_table(mex.trajectory, antennas, START, END))
    # Mixed: numbers and text ids in one table, in the canonical order.
    mixed = find_windows([sentinel, mex, mars], antennas, START, END)
    assert set(mixed.object_id.tolist()) == {"40697", "MEX", "4"}
    assert np.all(np.diff(mixed.aos) >= 0)
    assert len(mixed) == len(by_elements) + 2 * len(find_windows(mex, antennas, START, END))


def test_one_usable_elevation_for_every_strategy():
    antenna = load_network().get("NNO-1")
    az = np.array([0.0, 90.0, 180.0, 270.0])
    np.testing.assert_array_equal(usable_elevation_deg(antenna, az), antenna.elevation_floor_deg(az))
    np.testing.assert_array_equal(usable_elevation_deg(antenna, az, 25.0), np.full(4, 25.0))
    with pytest.raises(TypeError, match="not a position provider"):
        find_windows(["nonsense"], [antenna], START, END)


class _Sgp4Samples:
    """One element set as a bundle of launch samples (the launch-sample strategy's provider)."""

    def __init__(self, element, start, end):
        from groundnet.orbits.propagation import Propagator

        self.propagator, self.object_ids, self.object_names = Propagator([element]), [element.norad_id], ["sgp4"]
        self.spans_unix = np.array([[start, end]])

    def itrs_states(self, samples, t):
        from groundnet.orbits.teme import teme_to_itrs

        t = np.asarray(t, dtype=np.float64)
        shape = np.broadcast_shapes(np.shape(samples), t.shape)
        flat = np.broadcast_to(t, shape).ravel()
        s = self.propagator.propagate(flat)
        p, v = teme_to_itrs(s.position_km[0], s.velocity_km_s[0], flat)
        return p.reshape(shape + (3,)), v.reshape(shape + (3,))


def test_a_minimum_elevation_override_gives_the_same_windows_on_every_path(tmp_path):
    """``--min-elevation`` (the compiled search), a trajectory's search and a LEOP scenario's
    ``min_elevation_deg`` (launch samples) all take their floor from ``with_min_elevation``: one
    threshold replacing the antenna's minimum and its horizon mask, so the same windows."""
    import dataclasses
    from pathlib import Path

    from groundnet.leop import load_scenario
    from groundnet.leop.acquisition import scenario_antennas
    from groundnet.orbits.trajectory import Sgp4Trajectory
    from groundnet.visibility.bundle import bundle_pass_table

    (tmp_path / "mask.toml").write_text(
        '[[antenna]]\nid = "PAR"\nlatitude_deg = 48.85\nlongitude_deg = 2.35\naltitude_m = 35\n'
        "min_elevation_deg = 2\nhorizon_mask = [[0, 0], [44, 0], [45, 30], [135, 30], [136, 0]]\n", encoding="utf-8")
    scenario = load_scenario(Path(__file__).resolve().parents[2] / "src" / "groundnet" / "data" / "leop" / "galileo_vs15.toml")
    scenario = dataclasses.replace(scenario, station_file=str(tmp_path / "mask.toml"), station_ids=("PAR",),
                                   min_elevation_deg=12.0)
    masked = load_network(str(tmp_path / "mask.toml")).get("PAR")
    override = scenario_antennas(scenario)
    assert override == with_min_elevation([masked], 12.0)
    assert override[0].horizon_mask == () and override[0].min_elevation_deg == 12.0

    iss = get_spacecraft("ISS").elements
    t0 = iss.epoch_unix
    t1 = t0 + 86400.0
    compiled = find_passes([iss], [masked], t0, t1, min_elevation_deg=12.0)
    by_trajectory = trajectory_pass_table(Sgp4Trajectory(iss), [masked], t0, t1, min_elevation_deg=12.0, step_s=15.0)
    by_samples = bundle_pass_table(_Sgp4Samples(iss, t0, t1), [masked], t0, t1, min_elevation_deg=12.0, step_s=15.0)
    by_scenario = bundle_pass_table(_Sgp4Samples(iss, t0, t1), override, t0, t1, step_s=15.0)
    assert len(compiled) >= 3
    for table in (by_trajectory, by_samples, by_scenario):
        assert len(table) == len(compiled)
        # Light time (a few ms over a LEO range) is all that separates the trajectory search.
        np.testing.assert_allclose(table.aos, compiled.aos, atol=0.05)
        np.testing.assert_allclose(table.los, compiled.los, atol=0.05)
        np.testing.assert_allclose(table.max_elevation_deg, compiled.max_elevation_deg, atol=0.01)
    # The mask counts without the override: the 30 deg wall from 45 to 135 deg of azimuth shortens windows.
    own = find_passes([iss], [masked], t0, t1)
    assert len(own) != len(compiled) or not np.allclose(own.aos, compiled.aos, atol=1.0)
    np.testing.assert_allclose(usable_elevation_deg(masked, [90.0, 200.0]), [30.0, 2.0])
    np.testing.assert_allclose(usable_elevation_deg(masked, [90.0, 200.0], 12.0), [12.0, 12.0])


def test_a_trajectory_fills_the_one_pass_table_with_the_columns_of_element_sets():
    antennas = load_network().select("NNO-1,KIR-1")
    mex, sentinel = get_spacecraft("MEX"), get_spacecraft("SENTINEL-2A")
    table = find_windows(mex, antennas, START, END)
    assert isinstance(table, PassTable) and len(table) >= 2
    assert set(table.object_id.tolist()) == {"MEX"} and set(table.station_id.tolist()) == {"NNO-1", "KIR-1"}
    assert np.isnan(table.elements_age_days).all()
    assert np.all(table.aos <= table.tca) and np.all(table.tca <= table.los)
    rows, sgp4_rows = table.to_rows(), find_windows(sentinel, antennas, START, END).to_rows()
    assert list(rows[0]) == list(sgp4_rows[0]) == list(PassTable.ROW_FIELDS)
    assert rows[0]["elements_age_days"] is None and sgp4_rows[0]["elements_age_days"] is not None
    # Nothing in the window: an empty table that still names the object and the antennas.
    empty = trajectory_pass_table(mex.trajectory, antennas, START, START)
    assert len(empty) == 0 and empty.labels.object_ids.tolist() == ["MEX"]


def test_launch_samples_go_through_the_one_search_each_within_its_own_span():
    """LEOP's nominal and dispersed samples are one provider: the one pass table, one object per
    sample, no window outside a sample's span, windows clipped at switch-on where in view then."""
    import dataclasses
    from pathlib import Path

    from groundnet.leop import load_scenario
    from groundnet.leop.acquisition import SampleBundle, propagate_samples, scenario_antennas
    from groundnet.visibility.geometry import StationFrames, look_angles

    path = Path(__file__).resolve().parents[2] / "src" / "groundnet" / "data" / "leop" / "galileo_vs15.toml"
    sc = load_scenario(path)
    sc = dataclasses.replace(sc, dispersions=dataclasses.replace(sc.dispersions, method="monte_carlo", samples=6))
    antennas = scenario_antennas(sc)
    track, _, info = propagate_samples(sc, sc.launch_times_unix[0], antennas)
    bundle = SampleBundle(track, info["horizon_s"])
    spans = bundle.spans_unix
    table = find_windows(bundle, antennas, spans[:, 0].min(), spans[:, 1].max(), step_s=sc.search_step_s)
    assert isinstance(table, PassTable) and len(table) > 0
    assert set(table.object_name.tolist()) <= {"nominal", *(f"sample {m}" for m in range(1, 7))}
    assert np.all(np.diff(table.aos) >= 0)  # the canonical order
    assert np.all(table.aos >= spans[table.obj, 0]) and np.all(table.los <= spans[table.obj, 1])
    assert np.all(table.aos <= table.tca) and np.all(table.tca <= table.los)
    np.testing.assert_array_equal(table.aos[table.aos_clipped], spans[table.obj[table.aos_clipped], 0])
    np.testing.assert_array_equal(table.los[table.los_clipped], spans[table.obj[table.los_clipped], 1])
    assert np.isnan(table.elements_age_days).all()
    # Each AOS and LOS not clipped is where the elevation crosses the antenna's floor (to 1 mdeg).
    for edge, clipped in (("aos", table.aos_clipped), ("los", table.los_clipped)):
        i = np.flatnonzero(~clipped)
        t = getattr(table, edge)[i]
        p, _ = bundle.itrs_states(table.obj[i], t)
        for k, row in enumerate(i):
            antenna = antennas[table.sta[row]]
            la = look_angles(StationFrames.of([antenna]), p[k][None, :])
            margin = la.elevation_deg[0, 0] - usable_elevation_deg(antenna, la.azimuth_deg[0])[0]
            assert abs(margin) < 1e-3, (edge, antenna.id)


def test_the_api_pass_schema_is_the_pass_tables_columns():
    from groundnet.api.schemas import Pass

    antennas = load_network().select("NNO-1,KIR-1")
    rows = find_windows([get_spacecraft("SENTINEL-2A"), get_spacecraft("MEX")], antennas, START, END).to_rows()
    assert list(Pass.model_fields) == list(PassTable.ROW_FIELDS)
    assert {type(r["object_id"]) for r in rows} == {str}  # text ids mixed in: every id as text
    for row in rows:
        assert Pass.model_validate(row).model_dump() == row
