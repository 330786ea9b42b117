"""Look angles, light time and Doppler on cases worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from groundnet.stations import Antenna
from groundnet.visibility.geometry import (
    SPEED_OF_LIGHT_KM_S,
    StationFrames,
    doppler_shift_hz,
    light_time_s,
    look_angles,
)

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
