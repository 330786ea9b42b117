"""Injections from a launcher's TLE and from a CCSDS OPM; the service entry point's limits."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from groundnet.leop import ScenarioError, analyse_toml, load_scenario
from groundnet.leop.geometry import gcrs_to_itrs, itrs_to_gcrs
from groundnet.leop.injection import separation_state
from groundnet.timebase import parse_utc, skyfield_times, to_unix

ONE_METRE = 1e-3  # km

# Galileo 14 (GSAT0211, NORAD 41549), CelesTrak active set of 2026-05-07 in ../shared/data/catalog.
L1 = "1 41549U 16030A   26126.73557493  .00000007  00000+0  00000+0 0  9998"
L2 = "2 41549  55.1074 222.8349 0002536 347.9112  12.1241  1.70474249 61961"

TLE_SCENARIO = f'''
[launch]
time = "2026-05-06T16:00:00Z"
[injection]
kind = "tle"
line1 = "{L1}"
line2 = "{L2}"
[spacecraft]
downlink_hz = 2.2e9
separation_offset_s = 3600
[stations]
ids = ["NNO-1", "KIR-1", "MLG"]
[analysis]
coverage_hours = 6
'''


def test_shared_tle_is_the_one_in_the_catalog(shared_data):
    text = (shared_data / "catalog" / "celestrak_active_3le_2026-05-07.txt").read_text()
    assert L1 in text and L2 in text


def test_tle_injection_matches_skyfield_earth_satellite(tmp_path):
    from skyfield.api import EarthSatellite

    from groundnet.timebase import timescale

    p = tmp_path / "s.toml"
    p.write_text(TLE_SCENARIO)
    sc = load_scenario(p)
    pos, vel, info = separation_state(sc, sc.launch_times_unix[0])
    sat = EarthSatellite(L1, L2, "GSAT0211", timescale())
    ref = sat.at(skyfield_times(sc.launch_times_unix[0] + 3600.0))
    assert np.linalg.norm(pos - ref.position.km) < ONE_METRE
    assert np.linalg.norm(vel - ref.velocity.km_per_s) < 1e-6


def test_delayed_launch_keeps_the_ground_track(tmp_path):
    p = tmp_path / "s.toml"
    p.write_text(TLE_SCENARIO.replace('line2 = ', 'reference_launch = "2026-05-06T15:00:00Z"\nline2 = '))
    sc = load_scenario(p)
    t_launch = sc.launch_times_unix[0]
    pos, vel, info = separation_state(sc, t_launch)
    assert info["launch_delay_s"] == 3600.0
    # the state the TLE gives one hour earlier, Earth-fixed, equals ours Earth-fixed now
    p_ref, v_ref, _ = separation_state(sc, t_launch - 3600.0)  # the reference lift-off itself
    a, av = gcrs_to_itrs(t_launch, p_ref[None], v_ref[None])
    b, bv = gcrs_to_itrs(t_launch + 3600.0, pos[None], vel[None])
    assert np.linalg.norm(a - b) < ONE_METRE
    assert np.linalg.norm(av - bv) < 1e-6


def test_itrs_round_trip():
    t = np.array([to_unix(parse_utc("2016-03-14T20:12:00Z"))])
    p = np.array([[7000.0, -1200.0, 3000.0]])
    v = np.array([[1.0, 7.0, -0.5]])
    q, w = itrs_to_gcrs(t, *gcrs_to_itrs(t, p, v))
    assert np.allclose(q, p, atol=1e-9) and np.allclose(w, v, atol=1e-12)


def test_opm_injection_through_the_ccsds_reader(shared_data, tmp_path):
    """The CCSDS Blue Book OPM (ITRF2000, Earth-fixed) as the separation state: back in the
    Earth-fixed frame at its epoch we must find the file's X, Y, Z."""
    opm = shared_data / "ccsds" / "bb502_opm_g1.kvn"
    epoch = to_unix(parse_utc("2022-12-18T14:28:15.1172Z"))
    scen = tmp_path / "opm.toml"
    scen.write_text(f'''
[launch]
time = "2022-12-18T13:28:15.1172Z"
[injection]
kind = "opm"
file = "{opm}"
[spacecraft]
downlink_hz = 2.2e9
separation_offset_s = 3600
[stations]
ids = ["KIR-1", "MSP"]
[analysis]
coverage_hours = 3
[dispersions]
method = "none"
''')
    sc = load_scenario(scen)
    pos, vel, _ = separation_state(sc, sc.launch_times_unix[0])
    p_itrs, _ = gcrs_to_itrs(np.array([epoch]), pos[None], vel[None])
    assert np.linalg.norm(p_itrs[0] - [6503.514, 1239.647, -717.490]) < 0.01  # 10 m: ITRF2000 vs ITRS, polar motion
    from groundnet.leop import run_scenario

    res = run_scenario(sc, with_pointing=False)[0]
    assert res.info["source"] == "OPM"


def test_service_refuses_server_files_and_oversized_requests(shared_data):
    opm = shared_data / "ccsds" / "bb502_opm_g1.kvn"
    text = f'[launch]\ntime = "2022-12-18T13:28:15Z"\n[injection]\nkind = "opm"\nfile = "{opm}"\n[spacecraft]\ndownlink_hz = 2.2e9\nseparation_offset_s = 3600\n'
    with pytest.raises(ScenarioError, match="cannot name files on the server"):
        analyse_toml(text)
    big = TLE_SCENARIO + '[dispersions]\nsamples = 5000\ntiming_sigma_s = 1\n'
    with pytest.raises(ScenarioError, match="at most 2000 per request"):
        analyse_toml(big)
    doc = analyse_toml(TLE_SCENARIO)
    assert doc["launches"][0]["first_station"] in ("NNO-1", "KIR-1", "MLG")


def earth_rotation_difference_rad() -> float:
    """Largest element difference between our GCRS -> ITRS rotation and Skyfield's at 400 random
    times over 40 days (rad, for small angles)."""
    from groundnet.orbits.frames import itrs_rotation
    from skyfield.framelib import itrs

    from groundnet.timebase import skyfield_times

    t = to_unix(parse_utc("2016-05-24T12:00:00Z")) + np.sort(np.random.default_rng(3).uniform(0, 40 * 86400, 400))
    direct = itrs.rotation_at(skyfield_times(t))  # GCRS -> ITRS, IAU 2000A at each time
    return float(np.abs(itrs_rotation(t) - direct).max())


def test_interpolated_earth_rotation_matches_the_direct_one():
    """The daily-sampled slow terms stay within 2e-9 rad (0.4 mas) of Skyfield's full ITRS rotation."""
    assert earth_rotation_difference_rad() < 2e-9


def test_elements_at_an_earlier_epoch_are_propagated_to_separation():
    """Galileo's circular injection given 10 min before separation, 10 min of mean motion further
    back along the orbit, lands within 50 m of the example's state at separation (J2, Sun and
    Moon act over those 10 min; the circular mean motion does not include them: 6 m measured)."""
    import dataclasses

    from groundnet.leop import orbit

    sc = load_scenario("galileo_vs15")  # the bundled scenario, by name
    t0 = sc.launch_times_unix[0]
    pos, vel, _ = separation_state(sc, t0)
    a = orbit.EARTH_RADIUS_KM + sc.injection.perigee_altitude_km
    back_deg = math.degrees(math.sqrt(orbit.MU_EARTH_KM3_S2 / a**3) * 600.0)
    early = dataclasses.replace(sc, injection=dataclasses.replace(
        sc.injection, epoch_offset_s=sc.injection.epoch_offset_s - 600.0,
        downrange_from_site_deg=sc.injection.downrange_from_site_deg - back_deg))
    p2, v2, _ = separation_state(early, t0)
    assert p2.shape == (3,) and np.linalg.norm(p2 - pos) < 0.05


def test_service_bounds_the_search_grid():
    heavy = TLE_SCENARIO.replace("coverage_hours = 6", "coverage_hours = 720\nsearch_step_s = 0.5")
    heavy += "[dispersions]\nsamples = 100\ntiming_sigma_s = 1\n"  # 101 x 3 stations x 5.2e6 grid times
    with pytest.raises(ScenarioError, match="station-sample-times"):
        analyse_toml(heavy)
