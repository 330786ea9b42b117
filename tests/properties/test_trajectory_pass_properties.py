"""Properties of the light-time-corrected pass search for any trajectory (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groundnet.orbits.trajectory import AtBodyTrajectory
from groundnet.missions import get_spacecraft
from groundnet.stations.network import Antenna
from groundnet.visibility.deepspace import _clearance, trajectory_pass_table

HUNDREDTH_DEGREE = 0.01


def _rows(trajectory, antenna, start, end):
    """The trajectory strategy's pass table (also for an SGP4 trajectory, which ``find_windows``
    gives the compiled search), one dict per pass, times in POSIX seconds."""
    table = trajectory_pass_table(trajectory, [antenna], start, end)
    return [{"aos": float(table.aos[i]), "tca": float(table.tca[i]), "los": float(table.los[i]),
             "max_elevation_deg": float(table.max_elevation_deg[i]), "duration_s": float(table.duration_s[i]),
             "aos_clipped": bool(table.aos_clipped[i]), "los_clipped": bool(table.los_clipped[i])}
            for i in range(len(table))]
MARS = AtBodyTrajectory("mars", name="Mars", object_id="4", error_bound_km=0.0)


def _antenna(lat, lon, min_el):
    return Antenna(id="P-1", name="probe", network="test", latitude_deg=lat, longitude_deg=lon, altitude_m=100.0,
                   min_elevation_deg=min_el)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lat=st.floats(-70, 70), lon=st.floats(-180, 180), min_el=st.floats(0, 40),
       day=st.integers(0, 3650), which=st.sampled_from(["mars", "SOLO"]))
def test_passes_are_ordered_disjoint_and_start_and_end_on_the_floor(lat, lon, min_el, day, which):
    traj = MARS if which == "mars" else get_spacecraft("SOLO").trajectory
    antenna = _antenna(lat, lon, min_el)
    start = 1.6e9 + day * 86400.0
    rows = _rows(traj, antenna, start, start + 2 * 86400.0)
    last_los = -np.inf
    for r in rows:
        assert r["aos"] <= r["tca"] <= r["los"]
        assert r["aos"] > last_los
        last_los = r["los"]
        for key, clipped in (("aos", r["aos_clipped"]), ("los", r["los_clipped"])):
            if not clipped:
                _, _, el = _clearance(traj, antenna, np.array([r[key]]))
                assert abs(el[0] - min_el) < HUNDREDTH_DEGREE
        assert r["max_elevation_deg"] >= min_el - HUNDREDTH_DEGREE


def test_a_grazing_pass_between_two_samples_is_found():
    antenna = _antenna(40.45, -4.37, 0.0)
    start = 1.79e9
    t = start + np.arange(0, 86400.0, 10.0)
    _, _, el = _clearance(MARS, antenna, t)
    peak = float(el.max())
    # A floor 0.02 deg below the peak: Mars stays above it for a few minutes only, well inside the
    # 10-minute sampling step used for objects beyond the Moon.
    grazing = _antenna(40.45, -4.37, peak - 0.02)
    rows = _rows(MARS, grazing, start, start + 86400.0)
    assert len(rows) == 1
    assert rows[0]["duration_s"] < 600.0
    assert abs(rows[0]["tca"] - t[int(el.argmax())]) < 60.0


def test_tca_is_the_highest_elevation_of_the_pass():
    from groundnet.stations import load_network

    antenna = load_network().get("CEB")
    start = 1.7955e9
    for sid in ("SENTINEL-2A", "SOLO"):
        traj = get_spacecraft(sid).trajectory
        for r in _rows(traj, antenna, start, start + 86400.0):
            if r["aos_clipped"] or r["los_clipped"]:
                continue
            sweep = r["tca"] + np.linspace(-30.0, 30.0, 601)
            _, _, el = _clearance(traj, antenna, sweep)
            assert abs(sweep[int(np.argmax(el))] - r["tca"]) <= 0.2  # seconds
            assert r["max_elevation_deg"] >= el.max() - 1e-5


def test_aos_and_los_are_within_a_millisecond_of_the_crossing():
    from groundnet.stations import load_network

    network = load_network()
    start = 1.7955e9
    for sid, station in (("SENTINEL-2A", "CEB"), ("SOLO", "CEB"), ("MEX", "MLG"), ("XMM-NEWTON", "MLG"),
                         ("GSAT0201", "KIR-1")):
        antenna, traj = network.get(station), get_spacecraft(sid).trajectory
        for r in _rows(traj, antenna, start, start + 86400.0):
            for key, rising in (("aos", True), ("los", False)):
                if r[f"{key}_clipped"]:
                    continue
                before, after = _clearance(traj, antenna, np.array([r[key] - 1e-3,
                                                                    r[key] + 1e-3]))[0]
                assert (before < 0.0 <= after) if rising else (before >= 0.0 > after), (sid, key)
