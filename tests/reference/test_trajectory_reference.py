"""Trajectories and the numerical propagator against independent data.

* The lunar transfer SPK in ../shared/data/ephemerides was produced by GMAT (NASA's General Mission
  Analysis Tool) with its own force model and integrator: a state taken from it and propagated by
  groundnet must stay on it over a day.
* Two-body motion: the orbit closes after one Keplerian period (a closed form), energy and angular
  momentum stay constant.
* OEM interpolation: an OEM written from the Solar Orbiter SPK at 1 h steps, read back and
  interpolated as its header says, against SPICE at the half hours.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from groundnet.ccsds import parse_message
from groundnet.ccsds.writer import trajectory_oem_text
from groundnet.errors import OutOfSpanError
from groundnet.orbits import frames
from groundnet.orbits.numerical import FULL, GM_EARTH_KM3_S2, TWO_BODY, propagate
from groundnet.orbits.trajectory import load_trajectory, oem_trajectory

HUNDRED_METRES_KM = 0.1
ONE_METRE_KM = 1e-3


@pytest.fixture(scope="module")
def moon_transfer(shared_data):
    return load_trajectory(shared_data / "ephemerides" / "MoonTransfer.bsp")


GMAT_ARC_S = (600.0, 3600.0, 6 * 3600.0, 86400.0)


def gmat_transfer_errors_km(moon_transfer, model) -> np.ndarray:
    """Distance (km) from GMAT's lunar transfer of a state taken from it 3 h into its first coast
    arc and propagated with ``model``, after each of ``GMAT_ARC_S``."""
    first = moon_transfer.segments[0]  # one coast arc, no manoeuvre inside
    t0 = first.start_unix + 3 * 3600.0
    p0, v0 = moon_transfer.state_gcrs(t0)
    times = t0 + np.array(GMAT_ARC_S)
    assert times[-1] < first.end_unix
    reference, _ = moon_transfer.state_gcrs(times)
    ours, _ = propagate(np.concatenate([p0, v0]), t0, times, model)
    return np.linalg.norm(ours - reference, axis=0)


def test_full_force_model_follows_gmat_lunar_transfer_for_a_day(moon_transfer):
    error_km = gmat_transfer_errors_km(moon_transfer, FULL)
    assert error_km.max() < HUNDRED_METRES_KM, error_km
    # Without the Sun and the Moon the same arc is tens of km off: the third bodies matter.
    assert gmat_transfer_errors_km(moon_transfer, TWO_BODY)[-1] > 10.0


def test_backward_and_forward_propagation_agree(moon_transfer):
    first = moon_transfer.segments[0]
    t0 = first.start_unix + 12 * 3600.0
    p0, v0 = moon_transfer.state_gcrs(t0)
    times = t0 + np.array([-6 * 3600.0, -600.0, 0.0, 600.0, 6 * 3600.0])
    ours, _ = propagate(np.concatenate([p0, v0]), t0, times, FULL)
    reference, _ = moon_transfer.state_gcrs(times)
    assert np.linalg.norm(ours - reference, axis=0).max() < HUNDRED_METRES_KM


def test_two_body_orbit_closes_after_one_period_and_keeps_its_invariants():
    r0, e = 7000.0, 0.1
    a = r0 / (1 - e)  # start at perigee
    v0 = math.sqrt(GM_EARTH_KM3_S2 * (1 + e) / r0)
    state = np.array([r0, 0.0, 0.0, 0.0, v0 * math.cos(0.5), v0 * math.sin(0.5)])
    period = 2 * math.pi * math.sqrt(a**3 / GM_EARTH_KM3_S2)
    times = 1.7e9 + np.linspace(0.0, 3 * period, 61)
    pos, vel = propagate(state, 1.7e9, times, TWO_BODY)
    energy = 0.5 * np.sum(vel**2, axis=0) - GM_EARTH_KM3_S2 / np.linalg.norm(pos, axis=0)
    h = np.cross(pos.T, vel.T)
    # Outputs between integration steps are interpolated (quintic Hermite): invariants hold to ~1e-8.
    assert np.ptp(energy) / abs(energy[0]) < 1e-7
    assert np.max(np.linalg.norm(h - h[0], axis=1)) / np.linalg.norm(h[0]) < 1e-7
    back, _ = propagate(state, 1.7e9, [1.7e9 + period, 1.7e9 + 3 * period], TWO_BODY)
    assert np.linalg.norm(back[:, 0] - state[:3]) < ONE_METRE_KM
    assert np.linalg.norm(back[:, 1] - state[:3]) < 3 * ONE_METRE_KM


def test_many_states_propagate_in_one_call_like_one_by_one(moon_transfer):
    t0 = moon_transfer.segments[0].start_unix + 3600.0
    p0, v0 = moon_transfer.state_gcrs(t0)
    base = np.concatenate([p0, v0])
    states = np.stack([base, base + [1.0, 0, 0, 0, 0.001, 0], base + [0, -2.0, 0, 0.002, 0, 0]])
    times = t0 + np.array([3600.0, 7200.0])
    together, _ = propagate(states, t0, times, FULL)
    assert together.shape == (3, 3, 2)
    for k in range(3):
        alone, _ = propagate(states[k], t0, times, FULL)
        assert np.linalg.norm(together[k] - alone, axis=0).max() < ONE_METRE_KM


@pytest.mark.parametrize("encoding", ["KVN", "XML"])
@pytest.mark.parametrize("method, degree", [("HERMITE", 7), ("LAGRANGE", 7), ("LAGRANGE", 9)])
def test_oem_interpolation_matches_spice_between_nodes(shared_data, encoding, method, degree):
    solo = load_trajectory(shared_data / "ephemerides" / "solo_ANC_soc-orbit_20200210-20301118_L006_V1_00018_V01.bsp")
    t0 = 1.80e9
    nodes = t0 + 3600.0 * np.arange(25)
    text = trajectory_oem_text(solo, nodes, creation_unix=t0, encoding=encoding)
    text = text.replace("INTERPOLATION = HERMITE", f"INTERPOLATION = {method}") \
        .replace("INTERPOLATION_DEGREE = 7", f"INTERPOLATION_DEGREE = {degree}") \
        .replace("<INTERPOLATION>HERMITE</INTERPOLATION>", f"<INTERPOLATION>{method}</INTERPOLATION>") \
        .replace("<INTERPOLATION_DEGREE>7</INTERPOLATION_DEGREE>",
                 f"<INTERPOLATION_DEGREE>{degree}</INTERPOLATION_DEGREE>")
    oem = parse_message(text, "solo.oem")
    assert oem.segments[0].interpolation == method and oem.segments[0].interpolation_degree == degree
    traj = oem_trajectory(oem)
    mid = nodes[:-1] + 1800.0
    ours, ours_v = traj.state_gcrs(mid)
    reference, reference_v = solo.state_gcrs(mid)
    assert np.linalg.norm(ours - reference, axis=0).max() < ONE_METRE_KM
    assert np.linalg.norm(ours_v - reference_v, axis=0).max() < 1e-6  # mm/s
    with pytest.raises(OutOfSpanError, match="outside the trajectory's span"):
        traj.state_gcrs(nodes[-1] + 1.0)


def test_opm_in_an_earth_fixed_frame_starts_where_the_message_says(shared_data):
    traj = load_trajectory(shared_data / "ccsds" / "bb502_opm_g1.kvn", arc_days=0.5)
    assert traj.kind == "opm"
    msg = parse_message((shared_data / "ccsds" / "bb502_opm_g1.kvn").read_text(), "opm")
    p, v = traj.state_gcrs(msg.epoch_unix)
    p_itrf, v_itrf = frames.gcrs_to_itrs(p, v, msg.epoch_unix)
    assert np.linalg.norm(p_itrf - msg.position_km) < ONE_METRE_KM
    assert np.linalg.norm(v_itrf - msg.velocity_km_s) < 1e-6
