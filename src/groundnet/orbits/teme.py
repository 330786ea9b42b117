"""SGP4's TEME frame to the Earth-fixed ITRS, with UT1 and polar motion.

TEME -> PEF is a rotation by Greenwich mean sidereal time (the 1982 formula of AIAA 2006-6753
Appendix C) at UT1; PEF -> ITRS applies polar motion ``W = R1(yp) R2(xp) R3(-s')``. Both come from
``groundnet.orbits.frames`` (``gmst82_rad``, ``polar_motion``), the one Earth-orientation module:
UT1-UTC and the pole from ``skyfield-data``'s finals2000A.all through ``timebase.timescale()``,
nothing downloaded. Beyond the end of that table Skyfield extrapolates UT1 and holds the last
pole position (a few metres at most on the ground).
"""

from __future__ import annotations

import numpy as np

from . import frames


class EarthOrientation:
    """The Earth's orientation as SGP4's TEME needs it: ``frames``' GMST (1982) and polar motion.

    ``pole=False`` leaves polar motion out (to measure what it does).
    """

    def __init__(self, pole: bool = True):
        self.pole = pole

    @classmethod
    def covering(cls, start_unix: float, end_unix: float) -> "EarthOrientation":
        """The orientation for a span (``frames`` caches what it computes, by day)."""
        return cls()

    def gmst82_rad(self, unix_s) -> tuple[np.ndarray, float]:
        """GMST (1982 formula) at UT1 in radians, and its rate in rad/s (``frames.gmst82_rad``)."""
        return frames.gmst82_rad(unix_s)

    def polar_motion_matrix(self, unix_s) -> np.ndarray:
        """``W`` with ``r_itrs = W @ r_pef``, shape ``(time, 3, 3)``."""
        t = np.atleast_1d(np.asarray(unix_s, dtype=np.float64))
        if not self.pole:
            return np.broadcast_to(np.eye(3), (t.size, 3, 3)).copy()
        return np.moveaxis(frames.polar_motion(t), 2, 0)


def teme_to_pef(position_km, velocity_km_s, theta_rad, theta_rate_rad_s):
    """Rotate TEME states ``[..., 3]`` into the pseudo Earth-fixed frame at sidereal angles ``theta``.

    ``theta`` broadcasts against the states' leading axes (e.g. shape ``(time,)`` for ``[obj, time, 3]``).
    """
    c, s = np.cos(theta_rad), np.sin(theta_rad)
    x, y = position_km[..., 0], position_km[..., 1]
    xp, yp = c * x + s * y, c * y - s * x
    r = np.stack([xp, yp, position_km[..., 2]], axis=-1)
    if velocity_km_s is None:
        return r, None
    vx, vy = velocity_km_s[..., 0], velocity_km_s[..., 1]
    # d/dt of the rotation: the frame turns at theta_rate about +z.
    v = np.stack([c * vx + s * vy + theta_rate_rad_s * yp, c * vy - s * vx - theta_rate_rad_s * xp,
                  velocity_km_s[..., 2]], axis=-1)
    return r, v


def teme_to_itrs(position_km, velocity_km_s, unix_s, orientation: EarthOrientation | None = None):
    """TEME positions (km) and velocities (km/s) ``[..., time, 3]`` at POSIX times ``(time,)`` -> ITRS."""
    t = np.atleast_1d(np.asarray(unix_s, dtype=np.float64))
    eop = orientation or EarthOrientation.covering(t.min(), t.max())
    theta, rate = eop.gmst82_rad(t)
    r_pef, v_pef = teme_to_pef(np.asarray(position_km, dtype=np.float64),
                               None if velocity_km_s is None else np.asarray(velocity_km_s, dtype=np.float64),
                               theta, rate)
    w = eop.polar_motion_matrix(t)  # (time, 3, 3)
    r = np.einsum("tij,...tj->...ti", w, r_pef)
    v = None if v_pef is None else np.einsum("tij,...tj->...ti", w, v_pef)
    return r, v
