"""Deep-space geometry against numbers groundnet did not produce.

* Skyfield with JPL DE421 (an independent light-time and pointing implementation):
  Earth-Mars light time, range, azimuth and elevation from ESA and DSN antennas, and the rise and
  set times of Mars above 10 deg at the 35 m deep-space antennas.
* CSPICE (spkcpo, converged Newtonian light time 'CN'): Solar Orbiter's range and light time from
  New Norcia, from the ESA SPICE Service orbit kernel.
* The published worked Doppler example of James R. Miller (G3RUH), AMSAT-BB, 22 Dec 2004,
  "Re: A doppler 2.4GHz question" (http://www.amsat.org/amsat/archive/amsat-bb/200412/msg00216.html):
  7.290 km/s of range rate at S-band (wavelength 0.125 m) is 58.3 kHz of Doppler shift.
"""

from __future__ import annotations

import numpy as np
import pytest

from groundnet.orbits import frames
from groundnet.orbits.trajectory import AtBodyTrajectory, load_trajectory
from groundnet.stations import load_network
from groundnet.timebase import format_utc, parse_utc, planetary_ephemeris, skyfield_times, to_unix
from groundnet.visibility.core import find_windows
from groundnet.visibility.deepspace import link_geometry
from groundnet.visibility.geometry import doppler_shift_hz

ONE_METRE_KM = 1e-3
TEN_METRES_KM = 1e-2
ONE_MICROSECOND = 1e-6
ONE_SECOND = 1.0
MILLIDEGREE = 1e-3

SOLO_SPK = "ephemerides/solo_ANC_soc-orbit_20200210-20301118_L006_V1_00018_V01.bsp"


def _unix(text: str) -> float:
    return to_unix(parse_utc(text))


@pytest.fixture(scope="module")
def network():
    return load_network()


@pytest.fixture(scope="module")
def mars():
    return AtBodyTrajectory("mars barycenter", name="Mars", object_id="4", error_bound_km=0.0)


def mars_vs_skyfield(mars, antenna) -> dict[str, float]:
    """Largest differences from Skyfield's ``observe().apparent().altaz()``: range (km), light time
    (s), elevation and azimuth (deg, the azimuth's scaled by the cosine of the elevation)."""
    from skyfield.api import wgs84

    # Instants spread over two years, each hour of the day represented.
    times = _unix("2025-01-01T00:00:00Z") + np.arange(24) * (30.5 * 86400 + 3600.0)
    ours = link_geometry(mars, [antenna], times)
    eph = planetary_ephemeris()
    site = eph["earth"] + wgs84.latlon(antenna.latitude_deg, antenna.longitude_deg, elevation_m=antenna.altitude_m)
    astrometric = site.at(skyfield_times(times)).observe(eph["mars barycenter"])
    alt, az, _ = astrometric.apparent().altaz()
    daz = (ours.azimuth_deg[0] - az.degrees + 180.0) % 360.0 - 180.0
    return {"range_km": float(np.max(np.abs(ours.downleg_range_km[0] - astrometric.distance().km))),
            "light_time_s": float(np.max(np.abs(ours.downleg_light_time_s[0] - astrometric.light_time * 86400.0))),
            "elevation_deg": float(np.max(np.abs(ours.elevation_deg[0] - alt.degrees))),
            "azimuth_deg": float(np.max(np.abs(daz * np.cos(np.radians(alt.degrees)))))}


@pytest.mark.parametrize("station_id", ["NNO-1", "CEB", "MLG", "DSS-14", "DSS-43"])
def test_earth_mars_light_time_range_and_pointing_match_skyfield(network, mars, station_id):
    d = mars_vs_skyfield(mars, network.get(station_id))
    assert d["range_km"] < ONE_METRE_KM
    assert d["light_time_s"] < ONE_MICROSECOND
    assert d["elevation_deg"] < MILLIDEGREE
    assert d["azimuth_deg"] < MILLIDEGREE


def mars_rises_and_sets_vs_skyfield(mars, antenna) -> tuple[int, float]:
    """Rises and sets of Mars above the antenna's 10 deg over three days: how many, and the largest
    difference (s) from Skyfield's ``find_risings``/``find_settings`` (asserting the same count)."""
    from skyfield import almanac
    from skyfield.api import wgs84

    eph = planetary_ephemeris()
    start, end = _unix("2026-03-01T00:00:00Z"), _unix("2026-03-04T00:00:00Z")
    assert antenna.min_elevation_deg == 10.0
    ours = find_windows(mars, [antenna], start, end)
    site = eph["earth"] + wgs84.latlon(antenna.latitude_deg, antenna.longitude_deg, elevation_m=antenna.altitude_m)
    t0, t1 = skyfield_times(start), skyfield_times(end)
    rises, _ = almanac.find_risings(site, eph["mars barycenter"], t0, t1, horizon_degrees=10.0)
    sets, _ = almanac.find_settings(site, eph["mars barycenter"], t0, t1, horizon_degrees=10.0)
    theirs_aos = [(t.utc_datetime().timestamp()) for t in rises]
    theirs_los = [(t.utc_datetime().timestamp()) for t in sets]
    our_aos = ours.aos[ours.aos > start]
    our_los = ours.los[ours.los < end]
    assert len(our_aos) == len(theirs_aos) >= 2
    assert len(our_los) == len(theirs_los) >= 2
    return len(our_aos) + len(our_los), float(max(np.max(np.abs(our_aos - theirs_aos)),
                                                  np.max(np.abs(our_los - theirs_los))))


def test_mars_rise_and_set_at_the_deep_space_antennas_match_skyfield(network, mars):
    for antenna in network.select("NNO-1,CEB,MLG"):
        assert mars_rises_and_sets_vs_skyfield(mars, antenna)[1] < ONE_SECOND


def solar_orbiter_vs_spice(shared_data, antenna=None) -> tuple[float, float]:
    """Largest range (km) and light-time (s) differences of Solar Orbiter from CSPICE's converged
    ('CN') solution: from ``antenna`` (``spkcpo``, 8 instants 2022-2023), or from the Earth's centre
    (``spkezr``, 6 instants across the 2021 flybys) without one."""
    from types import SimpleNamespace

    import spiceypy

    from groundnet.orbits import spk

    traj = load_trajectory(shared_data / SOLO_SPK)
    if antenna is None:
        antenna = SimpleNamespace(id="GEOCENTRE", itrs_km=np.zeros(3), latitude_deg=0.0, longitude_deg=0.0)
        times = _unix("2021-08-09T00:00:00Z") + np.arange(6) * 60.0 * 86400.0  # across the Venus and Earth flybys
    else:
        times = _unix("2022-03-26T12:00:00Z") + np.arange(8) * 45.0 * 86400.0
    ours = link_geometry(traj, [antenna], times)
    d_range, d_lt = [], []
    for i, t in enumerate(times):
        et = float(spk.unix_to_et(t)[0])
        with spk.SPICE_LOCK:
            if antenna.id == "GEOCENTRE":
                state, lt = spiceypy.spkezr("-144", et, "J2000", "CN", "EARTH")
            else:
                # SPICE solves the light time itself (converged Newtonian, 'CN') from the station's position.
                station_gcrs, _ = frames.station_state_gcrs(antenna.itrs_km, t)
                state, lt = spiceypy.spkcpo("-144", et, "J2000", "OBSERVER", "CN", station_gcrs, "EARTH", "J2000")
        d_range.append(abs(ours.downleg_range_km[0, i] - np.linalg.norm(state[:3])))
        d_lt.append(abs(ours.downleg_light_time_s[0, i] - lt))
    return float(max(d_range)), float(max(d_lt))


def spice_single_iteration_km(shared_data) -> float:
    """How far SPICE's single-iteration light-time correction (``LT``) puts Solar Orbiter from its
    converged one (``CN``), seen from the Earth's centre, at the instants of both SPICE comparisons (km)."""
    import spiceypy

    from groundnet.orbits import spk

    times = np.concatenate([_unix("2021-08-09T00:00:00Z") + np.arange(6) * 60.0 * 86400.0,
                            _unix("2022-03-26T12:00:00Z") + np.arange(8) * 45.0 * 86400.0])
    load_trajectory(shared_data / SOLO_SPK).state_gcrs(times[:1])  # the kernel loaded
    worst = 0.0
    for t in times:
        et = float(spk.unix_to_et(t)[0])
        with spk.SPICE_LOCK:
            single, _ = spiceypy.spkezr("-144", et, "J2000", "LT", "EARTH")
            converged, _ = spiceypy.spkezr("-144", et, "J2000", "CN", "EARTH")
        worst = max(worst, float(np.linalg.norm(np.asarray(single[:3]) - np.asarray(converged[:3]))))
    return worst


def test_spice_single_iteration_light_time_is_why_the_comparison_is_with_cn(shared_data):
    """Our converged solution agrees with SPICE's ``CN`` to metres; its ``LT`` is kilometres away."""
    assert spice_single_iteration_km(shared_data) > 100 * TEN_METRES_KM


def test_solar_orbiter_range_and_light_time_match_spice(network, shared_data):
    d_range, d_lt = solar_orbiter_vs_spice(shared_data, network.get("NNO-1"))
    assert d_range < TEN_METRES_KM and d_lt < 0.1 * ONE_MICROSECOND


def test_solar_orbiter_geocentric_light_time_matches_spkezr(shared_data):
    """SPICE's own light-time solution (spkezr, converged 'CN') from the Earth's centre."""
    d_range, d_lt = solar_orbiter_vs_spice(shared_data)
    assert d_range < TEN_METRES_KM and d_lt < 0.1 * ONE_MICROSECOND


G3RUH_SHIFT_HZ = 58.3e3


def g3ruh_doppler_hz() -> float:
    """Our Doppler shift for G3RUH's example: 7.290 km/s receding at a wavelength of 0.125 m."""
    return float(doppler_shift_hz(7.290, 299792.458e3 / 0.125))


def test_doppler_matches_the_published_worked_example():
    # G3RUH: 7.290 km/s range rate at a wavelength of 0.125 m gives -58.3 kHz (receding).
    assert g3ruh_doppler_hz() == pytest.approx(-G3RUH_SHIFT_HZ, abs=0.05e3)
    assert doppler_shift_hz(-7.290, 299792.458e3 / 0.125) == pytest.approx(G3RUH_SHIFT_HZ, abs=0.05e3)


def test_the_board_shifts_frequencies_as_the_published_worked_example():
    """The board's frequencies (``live.board.link_frequencies``) on G3RUH's example: approaching at 7.290 km/s, the
    S-band downlink arrives 58.3 kHz high; receding, the uplink must be sent 58.3 kHz high to arrive on its channel."""
    from groundnet.live.board import link_frequencies
    from groundnet.missions import Link, Spacecraft

    frequency_hz = 299792.458e3 / 0.125
    sc = Spacecraft("G3RUH", "worked example", "approximate", downlink=Link("S", "down", frequency_hz),
                    uplink=Link("S", "up", frequency_hz))
    approaching = link_frequencies(sc, -7.290)
    assert approaching["downlink_hz"] == frequency_hz
    assert approaching["downlink_received_hz"] - frequency_hz == pytest.approx(G3RUH_SHIFT_HZ, abs=0.05e3)
    assert approaching["uplink_transmit_hz"] - frequency_hz == pytest.approx(-G3RUH_SHIFT_HZ, abs=0.05e3)
    receding = link_frequencies(sc, 7.290)
    assert receding["downlink_received_hz"] - frequency_hz == pytest.approx(-G3RUH_SHIFT_HZ, abs=0.05e3)
    assert receding["uplink_transmit_hz"] - frequency_hz == pytest.approx(G3RUH_SHIFT_HZ, abs=0.05e3)


def doppler_vs_light_time(shared_data, antenna) -> tuple[float, float]:
    """Two-way Doppler (Hz at 7.15 GHz up, 880/749) and one-way Doppler ratio against the numerical
    derivative of our own RTLT and downleg light time (Solar Orbiter, central differences of 1 s)."""
    traj = load_trajectory(shared_data / SOLO_SPK)
    t = _unix("2024-05-01T10:00:00Z") + np.array([-1.0, 0.0, 1.0])
    g = link_geometry(traj, [antenna], t)
    d_rtlt = (g.rtlt_s[0, 2] - g.rtlt_s[0, 0]) / 2.0
    d_down = (g.downleg_light_time_s[0, 2] - g.downleg_light_time_s[0, 0]) / 2.0
    uplink_hz = 7.15e9
    expected_two_way = uplink_hz * 880.0 / 749.0 * (1.0 - d_rtlt)
    # And the range rate is c times the same derivative.
    assert g.range_rate_km_s[0, 1] == pytest.approx(299792.458 * d_down, abs=1e-6)
    return (float(abs(g.two_way_downlink_hz(uplink_hz)[0, 1] - expected_two_way)),
            float(abs(g.downleg_doppler_ratio[0, 1] - (1.0 - d_down))))


def test_doppler_is_the_derivative_of_the_light_time(network, shared_data):
    """Two-way Doppler ratio = d(transmit time)/d(receive time) = 1 - d(RTLT)/dt; one-way likewise."""
    two_way_hz, one_way_ratio = doppler_vs_light_time(shared_data, network.get("CEB"))
    assert two_way_hz < 0.05  # Hz, out of 8.4 GHz
    assert one_way_ratio < 1e-11  # 0.08 Hz at 8.4 GHz
