"""TEME -> ITRS against Skyfield, TEME's sidereal angle against Vallado, and SGP4 states no real orbit has become masks.

Reference: Skyfield's own chain TEME -> GCRS -> ITRS (IAU 2000A nutation, UT1-UTC and polar
motion from the same finals2000A.all), for the ISS element set of the real 2023-10-09 catalog.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from skyfield.api import EarthSatellite
from skyfield.framelib import itrs

from groundnet.orbits.catalog import load_catalog
from groundnet.orbits.elements import ElementSet
from groundnet.orbits.propagation import REASON_UNPHYSICAL, Propagator
from groundnet.orbits.teme import EarthOrientation, teme_to_itrs
from groundnet.stations import load_network
from groundnet.timebase import parse_utc, skyfield_times, timescale, to_unix
from groundnet.visibility.passes import find_passes

ONE_CM_KM = 1e-5
ONE_CM_S_KM_S = 1e-5
ONE_MAS_DEG = 1.0 / 3.6e6


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


def measure_teme_to_itrs() -> tuple[float, float]:
    """Largest ITRS position (km) and velocity (km/s) difference from Skyfield over five days of the ISS."""
    element = _iss()
    t = element.epoch_unix + np.linspace(-2 * 86400.0, 3 * 86400.0, 11)
    states = Propagator([element]).propagate(t)
    r, v = teme_to_itrs(states.position_km[0], states.velocity_km_s[0], t)
    sat = EarthSatellite.from_satrec(element.satrec(), timescale())
    r_sf, v_sf = sat.at(skyfield_times(t)).frame_xyz_and_velocity(itrs)
    return float(np.abs(r - r_sf.km.T).max()), float(np.abs(v - v_sf.km_per_s.T).max())


def test_teme_to_itrs_matches_skyfield_to_a_centimetre():
    """Reference: Skyfield's own TEME -> GCRS -> ITRS (IAU 2000A, UT1 and polar motion from finals2000A.all)."""
    dr, dv = measure_teme_to_itrs()
    assert dr < ONE_CM_KM
    assert dv < ONE_CM_S_KM_S


def test_the_teme_sidereal_angle_is_vallados_and_comes_from_the_one_earth_orientation_module():
    """Reference: Vallado, Fundamentals of Astrodynamics and Applications, Example 3-5: on
    1992-08-20 12:14:00 UT1, GMST (1982 formula) = 152.578787810 deg. The TEME path and
    ``frames`` give one angle (there is one implementation); 1 mas = 2.8e-7 deg."""
    from groundnet.orbits import frames

    utc = to_unix(parse_utc("1992-08-20T12:14:00Z"))
    t = utc - float(skyfield_times(utc).dut1)  # the UTC instant whose UT1 is 12:14:00
    theta, rate = EarthOrientation.covering(t, t).gmst82_rad(np.array([t]))
    assert abs(np.degrees(theta[0]) - 152.578787810) < ONE_MAS_DEG
    assert rate == pytest.approx(7.292115855e-5, rel=1e-9)  # rad/s, the 1982 formula's rate (Vallado eq. 3-40)
    np.testing.assert_array_equal(theta, frames.gmst82_rad(np.array([t]))[0])
    # TEME is not the IAU 2006 mean equinox: the 1982 angle differs from the GMST inside the GAST of
    # frames.sidereal_parts by tens of mas (Skyfield's TEME frame keeps the 1982 angle too).
    times = to_unix(parse_utc("2023-10-09T00:00:00Z")) + np.arange(4) * 3600.0
    apart_mas = np.degrees(frames.gmst82_rad(times)[0] - np.radians(skyfield_times(times).gmst * 15.0)) / ONE_MAS_DEG
    assert np.all((np.abs(apart_mas) > 20.0) & (np.abs(apart_mas) < 100.0))


def test_polar_motion_is_applied():
    element = _iss()
    t = np.array([element.epoch_unix])
    states = Propagator([element]).propagate(t)
    no_pole = EarthOrientation(pole=False)
    r1, _ = teme_to_itrs(states.position_km[0], None, t, EarthOrientation.covering(t[0], t[0]))
    r0, _ = teme_to_itrs(states.position_km[0], None, t, no_pole)
    shift = np.linalg.norm(r1 - r0)
    # The pole wanders by ~0.2-0.5 arcsec: 7 to 20 m at the ISS's distance from the Earth's axis.
    assert 0.002 < shift < 0.05


def test_stale_element_sets_far_from_any_orbit_are_masked(shared_data):
    """FIELD-NOTES: stale sets reach radii of millions of km with SGP4 error code 0."""
    by_id = load_catalog(shared_data / "catalog" / "spacetrack_full_catalog_3le_2023-10-09.txt").by_id()
    stale = [by_id[n] for n in (27353, 29925, 34378)]  # debris with epochs 3 to 12 weeks old
    t = np.array([1696896000.0])  # 2023-10-10T00:00:00Z
    for e in stale:
        err, r, _ = e.satrec().sgp4(2440587.5 + t[0] / 86400.0, 0.0)
        assert err == 0 and np.linalg.norm(r) > 1e6  # SGP4 itself sees nothing wrong
    states = Propagator(stale).propagate(t)
    assert (states.reason[:, 0] == REASON_UNPHYSICAL).all()
    assert np.isnan(states.position_km).all()
    assert len(find_passes(stale, load_network().select("KIR-1,MLG"), t[0], t[0] + 3600.0)) == 0
