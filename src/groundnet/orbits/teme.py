"""SGP4's TEME frame to the Earth-fixed ITRS, with UT1 and polar motion.

TEME -> PEF is a rotation by Greenwich mean sidereal time (the 1982 GMST formula of AIAA
2006-6753 Appendix C) evaluated at UT1; PEF -> ITRS applies polar motion
``W = R1(yp) R2(xp) R3(-s')`` (the same product Skyfield uses). UT1-UTC and the pole
coordinates come from ``skyfield-data``'s finals2000A.all through ``timebase.timescale()``:
nothing is downloaded. Beyond the end of that table Skyfield extrapolates UT1 and holds the last
pole position (a few metres at most on the ground).

Earth orientation changes slowly, so ``EarthOrientation`` samples it once an hour over the span
asked for and interpolates: UT1-TAI is smooth (the leap seconds are applied exactly per sample),
and the pole moves by well under a millimetre of surface per hour.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..timebase import SECONDS_PER_DAY, UNIX_EPOCH_JD, skyfield_times, tai_minus_utc_s

ARCSEC_RAD = np.pi / (180.0 * 3600.0)
J2000_JD = 2451545.0
NODE_STEP_S = 3600.0


@dataclass(frozen=True)
class EarthOrientation:
    """UT1 and pole coordinates tabulated hourly over a span, interpolated to any time in it."""

    node_unix: np.ndarray
    ut1_minus_tai_s: np.ndarray
    xp_rad: np.ndarray
    yp_rad: np.ndarray
    sprime_rad: np.ndarray

    @classmethod
    def covering(cls, start_unix: float, end_unix: float) -> "EarthOrientation":
        first = np.floor(float(start_unix) / NODE_STEP_S) * NODE_STEP_S - NODE_STEP_S
        last = np.ceil(float(end_unix) / NODE_STEP_S) * NODE_STEP_S + NODE_STEP_S
        nodes = np.arange(first, last + 0.5 * NODE_STEP_S, NODE_STEP_S)
        t = skyfield_times(nodes)
        sprime, xp, yp = t.polar_motion_angles()
        ut1_minus_tai = (t.dut1 - tai_minus_utc_s(nodes))
        ones = np.ones_like(nodes)
        return cls(
            node_unix=nodes,
            ut1_minus_tai_s=np.asarray(ut1_minus_tai, dtype=np.float64),
            xp_rad=np.asarray(xp, dtype=np.float64) * ARCSEC_RAD * ones,
            yp_rad=np.asarray(yp, dtype=np.float64) * ARCSEC_RAD * ones,
            sprime_rad=np.asarray(sprime, dtype=np.float64) * ARCSEC_RAD * ones,
        )

    def ut1_minus_utc_s(self, unix_s) -> np.ndarray:
        t = np.asarray(unix_s, dtype=np.float64)
        return np.interp(t, self.node_unix, self.ut1_minus_tai_s) + tai_minus_utc_s(t)

    def gmst82_rad(self, unix_s) -> tuple[np.ndarray, float]:
        """GMST (1982 formula) at UT1 in radians, and its rate in rad/s."""
        t = np.asarray(unix_s, dtype=np.float64)
        days = t / SECONDS_PER_DAY
        whole = np.floor(days)
        # UT1 as a Julian date split into (whole + 0.5) and a fraction, as Skyfield does.
        fraction = (days - whole) + self.ut1_minus_utc_s(t) / SECONDS_PER_DAY
        centuries = (whole + (UNIX_EPOCH_JD - J2000_JD) + fraction) / 36525.0
        g = 67310.54841 + (8640184.812866 + (0.093104 + (-6.2e-6) * centuries) * centuries) * centuries
        theta = np.mod(0.5 + fraction + np.mod(g / SECONDS_PER_DAY, 1.0), 1.0) * (2.0 * np.pi)
        rate = (1.0 + 8640184.812866 / (SECONDS_PER_DAY * 36525.0)) * 2.0 * np.pi / SECONDS_PER_DAY
        return theta, rate

    def polar_motion_matrix(self, unix_s) -> np.ndarray:
        """``W`` with ``r_itrs = W @ r_pef``, shape ``(..., 3, 3)``."""
        t = np.asarray(unix_s, dtype=np.float64)
        xp = np.interp(t, self.node_unix, self.xp_rad)
        yp = np.interp(t, self.node_unix, self.yp_rad)
        sp = np.interp(t, self.node_unix, self.sprime_rad)
        return _rot_x(yp) @ _rot_y(xp) @ _rot_z(-sp)


def _rot_x(a):
    c, s, z, o = np.cos(a), np.sin(a), np.zeros_like(a), np.ones_like(a)
    return np.stack([np.stack([o, z, z], -1), np.stack([z, c, -s], -1), np.stack([z, s, c], -1)], -2)


def _rot_y(a):
    c, s, z, o = np.cos(a), np.sin(a), np.zeros_like(a), np.ones_like(a)
    return np.stack([np.stack([c, z, s], -1), np.stack([z, o, z], -1), np.stack([-s, z, c], -1)], -2)


def _rot_z(a):
    c, s, z, o = np.cos(a), np.sin(a), np.zeros_like(a), np.ones_like(a)
    return np.stack([np.stack([c, -s, z], -1), np.stack([s, c, z], -1), np.stack([z, z, o], -1)], -2)


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
