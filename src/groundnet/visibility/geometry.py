"""Look angles from antennas to objects: azimuth, elevation, range, range rate, light time, Doppler.

Arrays in, arrays out, axis order ``[station, object, time]``. Positions are Earth-fixed (ITRS)
in km, velocities in km/s relative to the rotating Earth, so the range rate is the rate of change
of the distance between the antenna and the object.

Conventions:

* azimuth from geodetic north through east, in [0, 360); elevation above the WGS-84 ellipsoid's
  local horizontal plane (no refraction);
* one-way light time is ``range / c`` (the light time at the instant, not iterated: under
  0.1 ms of difference for Earth orbiters);
* Doppler shift is one-way, to first order in v/c: ``received - transmitted = -f * range_rate / c``.
  It is **positive while the object approaches** (range decreasing) and negative while it
  recedes. The neglected second-order terms are below 1e-9 of the carrier for Earth orbiters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

import numpy as np

from ..constants import SPEED_OF_LIGHT_KM_S
from ..stations import Antenna

if TYPE_CHECKING:
    from ..orbits.propagation import States



@dataclass(frozen=True)
class StationFrames:
    """Earth-fixed position and local east/north/up axes of each antenna, arrays ``(station, 3)``."""

    ids: tuple[str, ...]
    position_km: np.ndarray
    east: np.ndarray
    north: np.ndarray
    up: np.ndarray

    @classmethod
    def of(cls, antennas: Sequence[Antenna]) -> "StationFrames":
        lat = np.radians([a.latitude_deg for a in antennas])
        lon = np.radians([a.longitude_deg for a in antennas])
        pos = np.array([a.itrs_km for a in antennas], dtype=np.float64).reshape(-1, 3)
        sl, cl, so, co = np.sin(lat), np.cos(lat), np.sin(lon), np.cos(lon)
        east = np.stack([-so, co, np.zeros_like(so)], -1)
        north = np.stack([-sl * co, -sl * so, cl], -1)
        up = np.stack([cl * co, cl * so, sl], -1)
        return cls(tuple(a.id for a in antennas), pos, east, north, up)


@dataclass(frozen=True)
class LookAngles:
    """Geometry ``[station, object, time]``; NaN where the object's state is invalid."""

    azimuth_deg: np.ndarray
    elevation_deg: np.ndarray
    range_km: np.ndarray
    range_rate_km_s: np.ndarray

    @property
    def light_time_s(self) -> np.ndarray:
        return light_time_s(self.range_km)

    def doppler_shift_hz(self, carrier_hz) -> np.ndarray:
        return doppler_shift_hz(self.range_rate_km_s, carrier_hz)


def look_angles(stations: StationFrames, position_km, velocity_km_s=None) -> LookAngles:
    """Look angles from each station to Earth-fixed states ``[object, time, 3]`` (or ``[time, 3]``).

    Returns arrays shaped ``[station, object, time]`` (``[station, time]`` for ``[time, 3]`` input).
    """
    r = np.asarray(position_km, dtype=np.float64)
    extra = r.ndim - 1
    shape = (-1,) + (1,) * extra + (3,)
    rho = r[None, ...] - stations.position_km.reshape(shape)

    def comp(axis):
        a = axis.reshape(shape)
        return rho[..., 0] * a[..., 0] + rho[..., 1] * a[..., 1] + rho[..., 2] * a[..., 2]

    e, n, u = comp(stations.east), comp(stations.north), comp(stations.up)
    rng = np.sqrt(rho[..., 0] ** 2 + rho[..., 1] ** 2 + rho[..., 2] ** 2)
    az = np.mod(np.degrees(np.arctan2(e, n)), 360.0)
    el = np.degrees(np.arctan2(u, np.hypot(e, n)))
    if velocity_km_s is None:
        rr = np.full_like(rng, np.nan)
    else:
        v = np.asarray(velocity_km_s, dtype=np.float64)[None, ...]
        rr = (rho[..., 0] * v[..., 0] + rho[..., 1] * v[..., 1] + rho[..., 2] * v[..., 2]) / rng
    return LookAngles(az, el, rng, rr)


def light_time_s(range_km) -> np.ndarray:
    """One-way light time for a distance."""
    return np.asarray(range_km, dtype=np.float64) / SPEED_OF_LIGHT_KM_S


def doppler_shift_hz(range_rate_km_s, carrier_hz) -> np.ndarray:
    """One-way Doppler shift (received minus transmitted), positive while the range decreases."""
    return -np.asarray(carrier_hz, dtype=np.float64) * np.asarray(range_rate_km_s, dtype=np.float64) / SPEED_OF_LIGHT_KM_S


def look(elements, antennas: Sequence[Antenna], unix_s) -> tuple[LookAngles, States]:
    """Propagate element sets (SGP4), rotate to ITRS and look from each antenna: ``[station, object, time]``.

    Returns the look angles and the propagation result, whose ``valid``/``reason`` say which
    samples could not be computed (their geometry is NaN).
    """
    from ..orbits.propagation import Propagator
    from ..orbits.teme import teme_to_itrs

    t = np.atleast_1d(np.asarray(unix_s, dtype=np.float64))
    states = Propagator(elements).propagate(t)
    r, v = teme_to_itrs(states.position_km, states.velocity_km_s, t)
    return look_angles(StationFrames.of(antennas), r, v), states
