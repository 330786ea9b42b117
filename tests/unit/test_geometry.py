"""Look angles, light time and Doppler on cases worked by hand; TEME -> ITRS against Skyfield."""

from __future__ import annotations

import math

import numpy as np
import pytest
from skyfield.api import EarthSatellite
from skyfield.framelib import itrs

from groundnet.orbits.elements import ElementSet
from groundnet.orbits.propagation import Propagator
from groundnet.orbits.teme import teme_to_itrs
from groundnet.stations import Antenna
from groundnet.timebase import skyfield_times, timescale
from groundnet.visibility.geometry import (
    SPEED_OF_LIGHT_KM_S,
    StationFrames,
    doppler_shift_hz,
    light_time_s,
    look_angles,
)

ONE_MM_KM = 1e-6
TEN_CM_KM = 1e-4
EQUATOR = Antenna("EQ", "equator", "test", 0.0, 0.0, 0.0)


def test_light_time_is_range_over_c():
    # 299,792.458 km is one light-second by the definition of the metre.
    assert light_time_s(SPEED_OF_LIGHT_KM_S) == pytest.approx(1.0, abs=1e-15)
    assert light_time_s(np.array([384400.0]))[0] == pytest.approx(1.2822, abs=1e-4)  # Earth-Moon


def test_doppler_sign_and_size():
    # An object approaching at 7 km/s shifts a 2.2 GHz carrier up by f v / c = 15.4e9 / 299792.458 = 51,368.9 Hz.
    shift = doppler_shift_hz(-7.0, 2.2e9)
    assert shift == pytest.approx(2.2e9 * 7.0 / 299792.458, rel=1e-12)
    assert shift == pytest.approx(51368.9, abs=0.05)
    assert doppler_shift_hz(7.0, 2.2e9) == pytest.approx(-shift)
    assert doppler_shift_hz(0.0, 8.4e9) == 0.0


def test_look_angles_from_the_equator_on_the_prime_meridian():
    frames = StationFrames.of([EQUATOR])
    a = 6378.137
    # Straight up, 1000 km: elevation 90, range 1000 km, receding at 1 km/s.
    up = look_angles(frames, np.array([[a + 1000.0, 0.0, 0.0]]), np.array([[1.0, 0.0, 0.0]]))
    assert up.elevation_deg[0, 0] == pytest.approx(90.0)
    assert up.range_km[0, 0] == pytest.approx(1000.0)
    assert up.range_rate_km_s[0, 0] == pytest.approx(1.0)
    # 1000 km east of the zenith at the same height: azimuth 90, elevation atan(1000/1000) = 45 deg.
    east = look_angles(frames, np.array([[a + 1000.0, 1000.0, 0.0]]), np.array([[0.0, 0.0, 0.0]]))
    assert east.azimuth_deg[0, 0] == pytest.approx(90.0)
    assert east.elevation_deg[0, 0] == pytest.approx(45.0)
    assert east.range_km[0, 0] == pytest.approx(math.sqrt(2.0) * 1000.0)
    # North: azimuth 0; south: 180; west: 270.
    pos = np.array([[a + 10.0, 0.0, 100.0], [a + 10.0, 0.0, -100.0], [a + 10.0, -100.0, 0.0]])
    az = look_angles(frames, pos).azimuth_deg[0]
    np.testing.assert_allclose(az, [0.0, 180.0, 270.0], atol=1e-9)
    # Moving across the line of sight: range rate zero, Doppler zero.
    across = look_angles(frames, np.array([[a + 500.0, 0.0, 0.0]]), np.array([[0.0, 7.5, 0.0]]))
    assert across.range_rate_km_s[0, 0] == pytest.approx(0.0, abs=1e-12)
    assert across.doppler_shift_hz(2.2e9)[0, 0] == pytest.approx(0.0, abs=1e-3)


def test_look_angles_axis_order_is_station_object_time():
    stations = StationFrames.of([EQUATOR, Antenna("N", "north pole", "test", 90.0, 0.0, 0.0)])
    pos = np.zeros((3, 4, 3)) + np.array([7000.0, 0.0, 0.0])
    assert look_angles(stations, pos).elevation_deg.shape == (2, 3, 4)


def _iss() -> ElementSet:
    # ISS (ZARYA) as ../shared/data/catalog/spacetrack_full_catalog_3le_2023-10-09.txt gives it (lines 19682-19683).
    from sgp4.api import Satrec

    sat = Satrec.twoline2rv(
        "1 25544U 98067A   23282.71486326  .00020100  00000-0  35938-3 0  9998",
        "2 25544  51.6410 121.2575 0005123  92.3190 358.8196 15.49983917419557",
    )
    xp = 1440.0 / (2.0 * math.pi)
    return ElementSet(
        norad_id=25544, name="ISS (ZARYA)", epoch_unix=(sat.jdsatepoch - 2440587.5 + sat.jdsatepochF) * 86400.0,
        mean_motion_rev_day=sat.no_kozai * xp, eccentricity=sat.ecco, inclination_deg=math.degrees(sat.inclo),
        raan_deg=math.degrees(sat.nodeo), arg_perigee_deg=math.degrees(sat.argpo),
        mean_anomaly_deg=math.degrees(sat.mo), bstar=sat.bstar,
        mean_motion_dot=sat.ndot * xp * 1440.0, mean_motion_ddot=sat.nddot * xp * 1440.0**2,
    )


def test_teme_to_itrs_matches_skyfield_to_a_centimetre():
    """Reference: Skyfield's own TEME -> GCRS -> ITRS (IAU 2000A, UT1 and polar motion from finals2000A.all)."""
    element = _iss()
    t = element.epoch_unix + np.linspace(-2 * 86400.0, 3 * 86400.0, 11)
    states = Propagator([element]).propagate(t)
    r, v = teme_to_itrs(states.position_km[0], states.velocity_km_s[0], t)
    sat = EarthSatellite.from_satrec(element.satrec(), timescale())
    r_sf, v_sf = sat.at(skyfield_times(t)).frame_xyz_and_velocity(itrs)
    assert np.abs(r - r_sf.km.T).max() < TEN_CM_KM / 10
    assert np.abs(v - v_sf.km_per_s.T).max() < 1e-5  # 1 cm/s (Skyfield drops GMST-GAST rate terms)


def test_polar_motion_is_applied():
    element = _iss()
    t = np.array([element.epoch_unix])
    states = Propagator([element]).propagate(t)
    from groundnet.orbits.teme import EarthOrientation

    eop = EarthOrientation.covering(t[0], t[0])
    no_pole = EarthOrientation(eop.node_unix, eop.ut1_minus_tai_s, 0 * eop.xp_rad, 0 * eop.yp_rad, 0 * eop.sprime_rad)
    r1, _ = teme_to_itrs(states.position_km[0], None, t, eop)
    r0, _ = teme_to_itrs(states.position_km[0], None, t, no_pole)
    shift = np.linalg.norm(r1 - r0)
    # The pole wanders by ~0.2-0.5 arcsec: 7 to 20 m at the ISS's distance from the Earth's axis.
    assert 0.002 < shift < 0.05
