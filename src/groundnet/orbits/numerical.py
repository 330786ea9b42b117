"""Numerical orbit propagation over short arcs (hours to a few days) around the Earth.

    from groundnet.orbits.numerical import propagate, ForceModel, FULL, TWO_BODY_J2
    positions_km, velocities_km_s = propagate(state_km_kms, epoch_unix, times_unix, force_model=FULL)

* ``state_km_kms``: GCRS position and velocity ``[x, y, z, vx, vy, vz]`` (km, km/s) at ``epoch_unix``
  (POSIX seconds), shape ``(6,)`` for one object or ``(m, 6)`` for many (dispersions: one call).
* ``times_unix``: output times, any order, before or after the epoch, shape ``(n,)``.
* Returns positions and velocities of shape ``(3, n)`` for one object, ``(m, 3, n)`` for many.

Force models (:class:`ForceModel`): the Earth's point mass (GM of EGM2008/WGS-84), optionally its
J2 zonal harmonic about the true pole of the epoch, optionally the Sun and the Moon as point masses
from JPL DE421. Not modelled: higher harmonics, drag, solar radiation pressure, manoeuvres; these
limit the arcs this is good for (docs/deep-space.md gives measured errors).

Integrator: Dormand-Prince 5(4) with adaptive steps (relative tolerance ``rtol`` on the state, at
least ``atol_km`` in position); output at the requested times by quintic Hermite interpolation
between steps from positions, velocities and accelerations at both ends.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..constants import WGS84_A_KM, WGS84_GM_KM3_S2
from ..errors import TrajectoryError

GM_EARTH_KM3_S2 = WGS84_GM_KM3_S2  # WGS-84 / EGM2008
J2_EARTH = 1.08262668e-3  # EGM2008 (unnormalised C20 = -J2)
R_EARTH_KM = WGS84_A_KM
GM_SUN_KM3_S2 = 1.32712440041e11  # DE421
GM_MOON_KM3_S2 = 4902.800066  # DE421


@dataclass(frozen=True)
class ForceModel:
    """Which accelerations act on the spacecraft."""

    j2: bool = True
    sun: bool = True
    moon: bool = True
    gm_km3_s2: float = GM_EARTH_KM3_S2

    @property
    def name(self) -> str:
        parts = ["two-body"] + (["J2"] if self.j2 else []) + (["Sun"] if self.sun else []) + (["Moon"] if self.moon else [])
        return " + ".join(parts)


TWO_BODY = ForceModel(j2=False, sun=False, moon=False)
TWO_BODY_J2 = ForceModel(j2=True, sun=False, moon=False)
FULL = ForceModel()

# Dormand-Prince 5(4) tableau.
_C = np.array([0.0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0, 1.0])
_A = [
    [],
    [1 / 5],
    [3 / 40, 9 / 40],
    [44 / 45, -56 / 15, 32 / 9],
    [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
    [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
    [35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
]
_B5 = np.array([35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0.0])
_B4 = np.array([5179 / 57600, 0.0, 7571 / 16695, 393 / 640, -92097 / 339200, 187 / 2100, 1 / 40])


class _ThirdBodies:
    """Geocentric Sun and Moon positions from DE421, tabulated once and interpolated (cubic Hermite)."""

    STEP_S = 3600.0

    def __init__(self, t0: float, t1: float, model: ForceModel):
        from .frames import centre_state_gcrs

        self.bodies = []
        if not (model.sun or model.moon):
            return
        lo, hi = min(t0, t1) - self.STEP_S, max(t0, t1) + self.STEP_S
        n = int(np.ceil((hi - lo) / self.STEP_S)) + 1
        self.t0 = lo
        self.nodes = lo + self.STEP_S * np.arange(n)
        for flag, name, gm in ((model.sun, "sun", GM_SUN_KM3_S2), (model.moon, "moon", GM_MOON_KM3_S2)):
            if flag:
                p, v = centre_state_gcrs(name, self.nodes)
                self.bodies.append((gm, p, v))

    def positions(self, t: float):
        if not self.bodies:
            return
        h = self.STEP_S
        i = min(max(int((t - self.t0) // h), 0), self.nodes.size - 2)
        s = (t - self.nodes[i]) / h
        h00, h10, h01, h11 = 2 * s**3 - 3 * s**2 + 1, s**3 - 2 * s**2 + s, -2 * s**3 + 3 * s**2, s**3 - s**2
        for gm, p, v in self.bodies:
            yield gm, h00 * p[:, i] + h10 * h * v[:, i] + h01 * p[:, i + 1] + h11 * h * v[:, i + 1]


def _acceleration(t: float, r: np.ndarray, model: ForceModel, pole: np.ndarray, bodies: _ThirdBodies) -> np.ndarray:
    """Acceleration (m, 3) in km/s^2 for positions r (m, 3) at time t."""
    r2 = np.einsum("ij,ij->i", r, r)
    rn = np.sqrt(r2)
    a = -model.gm_km3_s2 * r / (rn**3)[:, None]
    if model.j2:
        z = r @ pole
        k = 1.5 * J2_EARTH * model.gm_km3_s2 * R_EARTH_KM**2 / rn**5
        a += (k * (5.0 * z**2 / r2 - 1.0))[:, None] * r - (2.0 * k * z)[:, None] * pole[None, :]
    for gm, rb in bodies.positions(t):
        d = rb[None, :] - r
        dn = np.linalg.norm(d, axis=1)
        a += gm * (d / (dn**3)[:, None] - rb / np.linalg.norm(rb) ** 3)
    return a


def propagate(
    state_km_kms,
    epoch_unix: float,
    times_unix,
    force_model: ForceModel = FULL,
    *,
    rtol: float = 1e-10,
    atol_km: float = 1e-6,
    max_steps: int = 2_000_000,
) -> tuple[np.ndarray, np.ndarray]:
    """Positions and velocities (GCRS, km and km/s) at ``times_unix`` from a state at ``epoch_unix``."""
    state = np.asarray(state_km_kms, dtype=np.float64)
    single = state.ndim == 1
    states = np.atleast_2d(state)
    if states.shape[-1] != 6 or states.ndim != 2:
        raise TrajectoryError(f"state must have shape (6,) or (m, 6) [x y z vx vy vz], got {state.shape}")
    if not np.all(np.isfinite(states)):
        raise TrajectoryError("state contains NaN or infinite values")
    radius = np.linalg.norm(states[:, :3], axis=1)
    if np.any(radius < 6000.0):
        raise TrajectoryError(f"initial radius {radius.min():.1f} km is inside the Earth: is the state in km?")
    times = np.atleast_1d(np.asarray(times_unix, dtype=np.float64))
    m, n = states.shape[0], times.size
    pos = np.empty((m, 3, n))
    vel = np.empty((m, 3, n))
    if n:
        from .frames import true_pole_gcrs

        pole = true_pole_gcrs(epoch_unix) if force_model.j2 else np.array([0.0, 0.0, 1.0])
        bodies = _ThirdBodies(min(times.min(), epoch_unix), max(times.max(), epoch_unix), force_model)
        for direction in (1.0, -1.0):
            sel = np.nonzero((times - epoch_unix) * direction >= 0.0)[0] if direction > 0 else \
                np.nonzero(times < epoch_unix)[0]
            if sel.size == 0:
                continue
            order = sel[np.argsort((times[sel] - epoch_unix) * direction)]
            p, v = _integrate(states, epoch_unix, times[order], direction, force_model, pole, bodies, rtol, atol_km,
                              max_steps)
            pos[:, :, order] = p
            vel[:, :, order] = v
    if single:
        return pos[0], vel[0]
    return pos, vel


def _integrate(states, t0, out_times, direction, model, pole, bodies, rtol, atol_km, max_steps):
    m = states.shape[0]
    n = out_times.size
    pos_out = np.empty((m, 3, n))
    vel_out = np.empty((m, 3, n))
    y = states.copy()
    t = t0
    f = lambda tt, yy: np.concatenate([yy[:, 3:], _acceleration(tt, yy[:, :3], model, pole, bodies)], axis=1)  # noqa: E731
    k1 = f(t, y)
    # Initial step: a small fraction of the shortest orbital time scale r / v.
    r = np.linalg.norm(y[:, :3], axis=1)
    v = np.linalg.norm(y[:, 3:], axis=1)
    h = direction * float(min(60.0, 0.01 * np.min(r / np.maximum(v, 1e-9))))
    j = 0
    # Outputs at the epoch itself.
    while j < n and out_times[j] == t0:
        pos_out[:, :, j], vel_out[:, :, j] = y[:, :3], y[:, 3:]
        j += 1
    steps = 0
    t_end = out_times[-1]
    while j < n:
        steps += 1
        if steps > max_steps:
            raise TrajectoryError(f"numerical propagation needed over {max_steps} steps: arc too long or orbit "
                                  "too close to the Earth")
        if direction * (t + h - t_end) > 0:
            h = t_end - t
        ks = [k1]
        for i in range(1, 7):
            yi = y + h * sum(a * kk for a, kk in zip(_A[i], ks))
            ks.append(f(t + _C[i] * h, yi))
        y5 = y + h * sum(b * kk for b, kk in zip(_B5, ks) if b)
        y4 = y + h * sum(b * kk for b, kk in zip(_B4, ks) if b)
        scale = np.concatenate([
            np.maximum(atol_km, rtol * np.maximum(np.abs(y[:, :3]).max(axis=1, keepdims=True),
                                                  np.abs(y5[:, :3]).max(axis=1, keepdims=True))) * np.ones((m, 3)),
            np.maximum(atol_km * 1e-3, rtol * np.maximum(np.abs(y[:, 3:]).max(axis=1, keepdims=True),
                                                         np.abs(y5[:, 3:]).max(axis=1, keepdims=True))) * np.ones((m, 3)),
        ], axis=1)
        err = float(np.sqrt(np.mean(((y5 - y4) / scale) ** 2)))
        if err <= 1.0 or abs(h) < 1e-6:
            t_new = t + h
            k_new = ks[6]  # FSAL: derivative at (t_new, y5)
            # Outputs inside [t, t_new]: quintic Hermite from p, v, a at both ends.
            while j < n and direction * (out_times[j] - t_new) <= 0:
                pos_out[:, :, j], vel_out[:, :, j] = _hermite5(t, y, k1, t_new, y5, k_new, out_times[j])
                j += 1
            t, y, k1 = t_new, y5, k_new
            factor = 0.9 * (1.0 / max(err, 1e-10)) ** 0.2
            h *= min(5.0, max(0.2, factor))
        else:
            h *= max(0.1, 0.9 * (1.0 / err) ** 0.25)
    return pos_out, vel_out


def _hermite5(t0, y0, f0, t1, y1, f1, t):
    """Quintic Hermite interpolation of position (and its derivative) from p, v, a at both ends."""
    h = t1 - t0
    s = (t - t0) / h
    p0, v0, a0 = y0[:, :3], y0[:, 3:], f0[:, 3:]
    p1, v1, a1 = y1[:, :3], y1[:, 3:], f1[:, 3:]
    s2, s3, s4, s5 = s * s, s**3, s**4, s**5
    h0 = 1 - 10 * s3 + 15 * s4 - 6 * s5
    h1 = s - 6 * s3 + 8 * s4 - 3 * s5
    h2 = 0.5 * s2 - 1.5 * s3 + 1.5 * s4 - 0.5 * s5
    h3 = 0.5 * s3 - s4 + 0.5 * s5
    h4 = -4 * s3 + 7 * s4 - 3 * s5
    h5 = 10 * s3 - 15 * s4 + 6 * s5
    d0 = -30 * s2 + 60 * s3 - 30 * s4
    d1 = 1 - 18 * s2 + 32 * s3 - 15 * s4
    d2 = s - 4.5 * s2 + 6 * s3 - 2.5 * s4
    d3 = 1.5 * s2 - 4 * s3 + 2.5 * s4
    d4 = -12 * s2 + 28 * s3 - 15 * s4
    d5 = 30 * s2 - 60 * s3 + 30 * s4
    pos = h0 * p0 + h1 * h * v0 + h2 * h * h * a0 + h3 * h * h * a1 + h4 * h * v1 + h5 * p1
    vel = (d0 * p0 + d1 * h * v0 + d2 * h * h * a0 + d3 * h * h * a1 + d4 * h * v1 + d5 * p1) / h
    return pos, vel
