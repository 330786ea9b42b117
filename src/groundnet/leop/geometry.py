"""Inertial (GCRS) trajectory samples to Earth-fixed states, for many samples at once.

``groundnet.orbits.frames`` rotates one trajectory, (3, n); LEOP carries a dispersion bundle of
samples on a common time grid, [sample, time, 3], so this applies the Earth's orientation of
``frames.itrs_rotation`` (the one in groundnet), computed once per time, to every sample. Look
angles and Doppler are the engine's (``groundnet.visibility.geometry``).
"""

from __future__ import annotations

import numpy as np

from ..constants import EARTH_ROTATION_RAD_S
from ..orbits.frames import itrs_rotation


def _rotations(t_unix) -> np.ndarray:
    """ITRS rotation matrices (3, 3, T), r_itrs = R @ r_gcrs."""
    rot = itrs_rotation(np.atleast_1d(np.asarray(t_unix, dtype=np.float64)))
    return rot if rot.ndim == 3 else rot[:, :, None]


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
