"""Look angles from ground antennas to inertial (GCRS) trajectory samples.

The inertial-to-Earth-fixed rotation is Skyfield's ITRS frame (precession, nutation, Earth
rotation with UT1, polar motion) from the ``skyfield-data`` files; velocities get the Earth's
rotation term. Axis order follows the engine: [station, sample, time].
"""

from __future__ import annotations

import math

import numpy as np

from ..stations import Antenna
from ..timebase import skyfield_times

SPEED_OF_LIGHT_KM_S = 299792.458
EARTH_ROTATION_RAD_S = 7.292115e-5


def gcrs_to_itrs(t_unix, pos_gcrs, vel_gcrs):
    """Rotate [..., T, 3] inertial states at times [T] into the Earth-fixed ITRS frame."""
    from skyfield.framelib import itrs

    t = np.atleast_1d(np.asarray(t_unix, dtype=np.float64))
    rot = itrs.rotation_at(skyfield_times(t))  # [3, 3, T]
    if rot.ndim == 2:
        rot = rot[:, :, None]
    pos = np.einsum("ijt,...tj->...ti", rot, pos_gcrs)
    vel = np.einsum("ijt,...tj->...ti", rot, vel_gcrs)
    vel[..., 0] += EARTH_ROTATION_RAD_S * pos[..., 1]
    vel[..., 1] -= EARTH_ROTATION_RAD_S * pos[..., 0]
    return pos, vel


def itrs_to_gcrs(t_unix, pos_itrs, vel_itrs):
    """The inverse of :func:`gcrs_to_itrs`."""
    from skyfield.framelib import itrs

    t = np.atleast_1d(np.asarray(t_unix, dtype=np.float64))
    rot = itrs.rotation_at(skyfield_times(t))
    if rot.ndim == 2:
        rot = rot[:, :, None]
    vel = np.array(vel_itrs, dtype=np.float64, copy=True)
    vel[..., 0] -= EARTH_ROTATION_RAD_S * pos_itrs[..., 1]
    vel[..., 1] += EARTH_ROTATION_RAD_S * pos_itrs[..., 0]
    return np.einsum("jit,...tj->...ti", rot, pos_itrs), np.einsum("jit,...tj->...ti", rot, vel)


def _enu_axes(antenna: Antenna) -> np.ndarray:
    lat, lon = math.radians(antenna.latitude_deg), math.radians(antenna.longitude_deg)
    east = np.array([-math.sin(lon), math.cos(lon), 0.0])
    north = np.array([-math.sin(lat) * math.cos(lon), -math.sin(lat) * math.sin(lon), math.cos(lat)])
    up = np.array([math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)])
    return np.stack([east, north, up])


def look_angles(antennas: list[Antenna], pos_itrs, vel_itrs) -> dict[str, np.ndarray]:
    """Azimuth, elevation (deg), range (km) and range rate (km/s), each [station, ..., T].

    ``pos_itrs``/``vel_itrs`` are Earth-fixed states [..., T, 3] (see :func:`gcrs_to_itrs`).
    Geometric (no refraction, no light-time): at LEOP distances light time is under 0.3 s.
    """
    out = {k: [] for k in ("azimuth_deg", "elevation_deg", "range_km", "range_rate_km_s")}
    for ant in antennas:
        rel = pos_itrs - ant.itrs_km
        rng = np.linalg.norm(rel, axis=-1)
        enu = rel @ _enu_axes(ant).T
        out["azimuth_deg"].append(np.degrees(np.arctan2(enu[..., 0], enu[..., 1])) % 360.0)
        out["elevation_deg"].append(np.degrees(np.arcsin(np.clip(enu[..., 2] / rng, -1.0, 1.0))))
        out["range_km"].append(rng)
        out["range_rate_km_s"].append(np.sum(rel * vel_itrs, axis=-1) / rng)
    return {k: np.stack(v) for k, v in out.items()}


def downlink_doppler_hz(range_rate_km_s, downlink_hz: float):
    """One-way Doppler shift (received minus transmitted, Hz) of a carrier sent by the spacecraft.

    Relativistic radial form, f_r/f_t = sqrt((1 - beta)/(1 + beta)) with beta = range rate / c;
    it differs from the first-order -f*beta by under 1 Hz at S band for LEOP speeds.
    """
    beta = np.asarray(range_rate_km_s, dtype=np.float64) / SPEED_OF_LIGHT_KM_S
    return downlink_hz * (np.sqrt((1.0 - beta) / (1.0 + beta)) - 1.0)
