"""Inertial (GCRS) trajectory samples to Earth-fixed states, for many samples at once.

``groundnet.orbits.frames`` rotates one trajectory, (3, n); LEOP carries a dispersion bundle of
samples on a common time grid, [sample, time, 3], so this applies the same rotation (Skyfield's
ITRS: precession, nutation, UT1, polar motion, via ``frames.itrs_rotation``) computed once per
time to every sample. Look angles and Doppler are the engine's (``groundnet.visibility.geometry``).
"""

from __future__ import annotations

import numpy as np

from ..orbits.frames import EARTH_ROTATION_RAD_S, itrs_rotation
from ..timebase import skyfield_times

# Precession-nutation, polar motion and the equation of the equinoxes change slowly (the fastest
# nutation term that matters has a period of 13.7 days): sampled hourly and interpolated they stay
# within 1e-10 rad of the direct computation, while the IAU 2000A series at every grid time would
# cost most of a LEOP analysis. Only the Earth's rotation angle (GMST) is computed at every time.
SLOW_TERMS_STEP_S = 3600.0
DIRECT_BELOW = 64


def _rotations(t_unix) -> np.ndarray:
    """ITRS rotation matrices (3, 3, T), r_itrs = R @ r_gcrs."""
    t = np.atleast_1d(np.asarray(t_unix, dtype=np.float64))
    if t.size < DIRECT_BELOW:
        rot = itrs_rotation(t)
        return rot if rot.ndim == 3 else rot[:, :, None]
    lo, hi = float(t.min()), float(t.max())
    coarse = np.arange(lo, hi + SLOW_TERMS_STEP_S, SLOW_TERMS_STEP_S)
    tc = skyfield_times(coarse)
    pn = tc.M  # precession-nutation (3, 3, n)
    eqeq_h = tc.gast - tc.gmst
    pm = tc.polar_motion_matrix() if tc.ts.polar_motion_table is not None else None

    def interp(a):
        return np.stack([[np.interp(t, coarse, a[i, j]) for j in range(3)] for i in range(3)])

    gast = (skyfield_times(t).gmst + np.interp(t, coarse, eqeq_h)) * (2 * np.pi / 24.0)
    c, s = np.cos(gast), np.sin(gast)
    zero, one = np.zeros_like(c), np.ones_like(c)
    spin = np.array([[c, s, zero], [-s, c, zero], [zero, zero, one]])  # rot_z(-gast)
    rot = np.einsum("ijt,jkt->ikt", spin, interp(pn))
    if pm is not None:
        rot = np.einsum("ijt,jkt->ikt", interp(pm), rot)
    return rot


def gcrs_to_itrs(t_unix, pos_gcrs, vel_gcrs):
    """GCRS states [..., T, 3] at times [T] to ITRS (velocity relative to the rotating Earth)."""
    rot = _rotations(t_unix)
    pos = np.einsum("ijt,...tj->...ti", rot, pos_gcrs)
    vel = np.einsum("ijt,...tj->...ti", rot, vel_gcrs)
    vel[..., 0] += EARTH_ROTATION_RAD_S * pos[..., 1]
    vel[..., 1] -= EARTH_ROTATION_RAD_S * pos[..., 0]
    return pos, vel


def itrs_to_gcrs(t_unix, pos_itrs, vel_itrs):
    """The inverse of :func:`gcrs_to_itrs`."""
    rot = _rotations(t_unix)
    vel = np.array(vel_itrs, dtype=np.float64, copy=True)
    vel[..., 0] -= EARTH_ROTATION_RAD_S * pos_itrs[..., 1]
    vel[..., 1] += EARTH_ROTATION_RAD_S * pos_itrs[..., 0]
    return np.einsum("jit,...tj->...ti", rot, pos_itrs), np.einsum("jit,...tj->...ti", rot, vel)
