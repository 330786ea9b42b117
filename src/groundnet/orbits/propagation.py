"""Batch SGP4: a whole catalog at many times in one call, with a validity mask instead of exceptions.

``Propagator`` wraps the ``sgp4`` package's vectorized ``SatrecArray``. ``propagate(unix_s)``
returns TEME positions and velocities shaped ``[object, time, 3]`` and, per sample, whether the
state can be used and why not:

* SGP4's own error codes 1-6 (eccentricity out of range, decay, ...);
* ``REASON_UNPHYSICAL``: SGP4 reported no error but the state cannot be a real orbit around the
  Earth (inside the Earth, far beyond the element set's apogee, faster than escape speed at
  perigee). Stale element sets do this: hundreds of the public catalog's propagate to radii of
  millions of km with error code 0.

Invalid samples are set to NaN so that no later geometry can use them by accident.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from sgp4.api import SGP4_ERRORS, SatrecArray

from ..constants import WGS72_A_KM, WGS72_GM_KM3_S2, WGS72_J2
from ..timebase import unix_to_jd
from .elements import ElementSet

# WGS-72, the constants SGP4 element sets are fitted with.
MU_KM3_S2 = WGS72_GM_KM3_S2
EARTH_RADIUS_KM = WGS72_A_KM
J2 = WGS72_J2

REASON_OK = 0
REASON_UNPHYSICAL = 7
# Below the Earth's polar radius with a margin: no object orbits there.
MIN_RADIUS_KM = 6300.0

REASONS: dict[int, str] = {REASON_OK: "ok"}
REASONS.update({code: f"SGP4 error {code}: {text}" for code, text in SGP4_ERRORS.items()})
REASONS[REASON_UNPHYSICAL] = (
    "unphysical state (inside the Earth, far beyond the apogee of its elements, or faster than "
    "the escape speed at its radius): the element set is too old or broken to propagate this far"
)


@dataclass(frozen=True)
class OrbitShape:
    """Per-object figures from the mean elements, arrays of shape ``(n_objects,)``."""

    semi_major_axis_km: np.ndarray
    eccentricity: np.ndarray
    perigee_radius_km: np.ndarray
    apogee_radius_km: np.ndarray
    perigee_speed_km_s: np.ndarray
    # Largest angular rate of the object's direction seen from the Earth's centre (at perigee), rad/s.
    max_angular_rate_rad_s: np.ndarray
    # Largest radial speed of the Kepler orbit, km/s (e * sqrt(mu / p)).
    max_radial_speed_km_s: np.ndarray
    mean_motion_rev_day: np.ndarray
    bstar: np.ndarray

    @classmethod
    def of(cls, elements: Sequence[ElementSet]) -> "OrbitShape":
        n_rev_day = np.array([e.mean_motion_rev_day for e in elements], dtype=np.float64)
        ecc = np.clip(np.array([e.eccentricity for e in elements], dtype=np.float64), 0.0, 0.999)
        n_rad_s = n_rev_day * 2.0 * math.pi / 86400.0
        a = np.cbrt(MU_KM3_S2 / np.maximum(n_rad_s, 1e-12) ** 2)
        rp, ra = a * (1.0 - ecc), a * (1.0 + ecc)
        p = a * (1.0 - ecc**2)
        vp = np.sqrt(MU_KM3_S2 * (1.0 + ecc) / rp)
        return cls(
            semi_major_axis_km=a,
            eccentricity=ecc,
            perigee_radius_km=rp,
            apogee_radius_km=ra,
            perigee_speed_km_s=vp,
            max_angular_rate_rad_s=vp / rp,
            max_radial_speed_km_s=ecc * np.sqrt(MU_KM3_S2 / p),
            mean_motion_rev_day=n_rev_day,
            bstar=np.array([e.bstar for e in elements], dtype=np.float64),
        )


@dataclass
class States:
    """TEME states ``[object, time, 3]`` and their validity ``[object, time]``."""

    times_unix: np.ndarray
    position_km: np.ndarray
    velocity_km_s: np.ndarray
    valid: np.ndarray
    reason: np.ndarray  # int8 codes, see REASONS

    def reasons(self) -> dict[int, str]:
        """The reasons present in this result, by code."""
        return {int(c): REASONS[int(c)] for c in np.unique(self.reason)}


@dataclass(frozen=True)
class Failures:
    """Per object, the first instant (POSIX s, after its epoch) at which SGP4 fails, and how
    (a ``REASONS`` code); ``inf`` and 0 where it does not fail before the time checked."""

    time_unix: np.ndarray
    reason: np.ndarray

    @classmethod
    def none(cls, n: int) -> "Failures":
        return cls(np.full(n, np.inf), np.zeros(n, np.int8))

    def failed(self) -> np.ndarray:
        return np.flatnonzero(np.isfinite(self.time_unix))

    def subset(self, index) -> "Failures":
        return Failures(self.time_unix[index], self.reason[index])


# SGP4's near-Earth secular model (Hoots and Roehrich, Spacetrack Report No. 3; Vallado et al.
# 2006), WGS-72. Used to tell, without propagating, which element sets may fail before a time.
_XKE = 60.0 / math.sqrt(EARTH_RADIUS_KM**3 / MU_KM3_S2)
DEEP_SPACE_PERIOD_MIN = 225.0
SCAN_STEP_S = 60.0
SCAN_CHUNK_S = 86400.0
SCREEN_POINTS = 256


def secular_coefficients(elements: Sequence[ElementSet]) -> dict[str, np.ndarray]:
    """SGP4's drag coefficients of each element set, as ``sgp4init`` computes them (near-Earth
    orbits; deep-space ones get ``near_earth`` False): the secular semi-major axis is
    ``a (1 - C1 t - D2 t^2 - D3 t^3 - D4 t^4)^2`` and the eccentricity ``e - B* C4 t - B* C5 (...)``
    (t in minutes from epoch; D2-D4 and C5 are 0 for perigees below 220 km)."""
    ecco = np.array([e.eccentricity for e in elements], dtype=np.float64)
    inclo = np.radians([e.inclination_deg for e in elements])
    argpo = np.radians([e.arg_perigee_deg for e in elements])
    bstar = np.array([e.bstar for e in elements], dtype=np.float64)
    no = np.array([e.mean_motion_rev_day for e in elements], dtype=np.float64) * 2.0 * math.pi / 1440.0
    with np.errstate(all="ignore"):
        omeosq = 1.0 - ecco * ecco
        rteosq = np.sqrt(omeosq)
        cosio2 = np.cos(inclo) ** 2
        ak = (_XKE / no) ** (2.0 / 3.0)
        d1 = 0.75 * J2 * (3.0 * cosio2 - 1.0) / (rteosq * omeosq)
        delta = d1 / (ak * ak)
        adel = ak * (1.0 - delta * delta - delta * (1.0 / 3.0 + 134.0 * delta * delta / 81.0))
        delta = d1 / (adel * adel)
        no_unkozai = no / (1.0 + delta)
        ao = (_XKE / no_unkozai) ** (2.0 / 3.0)
        con41 = -(1.0 - 5.0 * cosio2) - 2.0 * cosio2
        x1mth2 = 1.0 - cosio2
        rp = ao * (1.0 - ecco)
        perigee_km = (rp - 1.0) * EARTH_RADIUS_KM
        sfour_km = np.where(perigee_km < 98.0, 20.0, np.where(perigee_km < 156.0, perigee_km - 78.0, 78.0))
        qzms24 = ((120.0 - sfour_km) / EARTH_RADIUS_KM) ** 4
        sfour = sfour_km / EARTH_RADIUS_KM + 1.0
        tsi = 1.0 / (ao - sfour)
        eta = ao * ecco * tsi
        etasq = eta * eta
        eeta = ecco * eta
        psisq = np.abs(1.0 - etasq)
        coef = qzms24 * tsi**4
        coef1 = coef / psisq**3.5
        cc2 = coef1 * no_unkozai * (ao * (1.0 + 1.5 * etasq + eeta * (4.0 + etasq))
                                    + 0.375 * J2 * tsi / psisq * con41 * (8.0 + 3.0 * etasq * (8.0 + etasq)))
        cc1 = bstar * cc2
        cc4 = 2.0 * no_unkozai * coef1 * ao * omeosq * (
            eta * (2.0 + 0.5 * etasq) + ecco * (0.5 + 2.0 * etasq) - J2 * tsi / (ao * psisq) * (
                -3.0 * con41 * (1.0 - 2.0 * eeta + etasq * (1.5 - 0.5 * eeta))
                + 0.75 * x1mth2 * (2.0 * etasq - eeta * (1.0 + etasq)) * np.cos(2.0 * argpo)))
        cc5 = 2.0 * coef1 * ao * omeosq * (1.0 + 2.75 * (etasq + eeta) + eeta * etasq)
        simple = rp < 220.0 / EARTH_RADIUS_KM + 1.0
        d2 = 4.0 * ao * tsi * cc1 * cc1
        temp = d2 * tsi * cc1 / 3.0
        d3 = (17.0 * ao + sfour) * temp
        d4 = 0.5 * temp * ao * tsi * (221.0 * ao + 31.0 * sfour) * cc1
    zero = np.zeros_like(cc1)
    return {
        "near_earth": 2.0 * math.pi / no < DEEP_SPACE_PERIOD_MIN, "ecco": ecco, "bstar": bstar,
        "a_er": (_XKE / no_unkozai) ** (2.0 / 3.0), "cc1": cc1, "cc4": cc4,
        "cc5": np.where(simple, zero, cc5), "d2": np.where(simple, zero, d2),
        "d3": np.where(simple, zero, d3), "d4": np.where(simple, zero, d4),
    }


def _may_fail(c: dict[str, np.ndarray], idx: np.ndarray, t_min: np.ndarray) -> np.ndarray:
    """Where SGP4's secular model leaves room for an error (``(objects, times)``): the drag
    polynomial near zero, the mean eccentricity near the ends of its range, or the secular
    perigee within 0.01 Earth radii (64 km) of the surface (short-period terms are a few km)."""
    t = t_min
    tempa = 1.0 - t * (c["cc1"][idx, None] + t * (c["d2"][idx, None] + t * (c["d3"][idx, None] + t * c["d4"][idx, None])))
    cc5_bound = 2.0 * np.abs(c["bstar"][idx] * c["cc5"][idx])[:, None]
    em = c["ecco"][idx, None] - c["bstar"][idx, None] * c["cc4"][idx, None] * t
    perigee = c["a_er"][idx, None] * tempa * tempa * (1.0 - np.clip(em + cc5_bound, 0.0, 1.0))
    with np.errstate(invalid="ignore"):
        return (tempa <= 0.05) | (em - cc5_bound < -0.001) | (em + cc5_bound >= 0.999) | (perigee < 1.01) | ~np.isfinite(perigee)


def first_failures(elements: Sequence[ElementSet], until_unix: float) -> Failures:
    """The first SGP4 failure of each element set between its epoch and ``until_unix``.

    SGP4 errors (decay: error 6, the mean eccentricity out of range: error 1, ...) and
    unphysical states mark the end of what an element set can tell; past them SGP4 may return
    states again without an error code (the drag polynomial passes through zero and the orbit
    grows back), which are not to be trusted. The secular model (``secular_coefficients``)
    tells which near-Earth element sets may fail before ``until_unix`` and from when; only
    those are propagated, every ``SCAN_STEP_S`` from there, to find SGP4's first failure (to
    the second). Deep-space orbits are not screened (``Propagator.propagate`` still masks
    every sample after a failure it meets).
    """
    elements = list(elements)
    out = Failures.none(len(elements))
    if not elements:
        return out
    epochs = np.array([e.epoch_unix for e in elements], dtype=np.float64)
    c = secular_coefficients(elements)
    idx = np.flatnonzero(c["near_earth"] & (epochs < until_unix))
    if idx.size == 0:
        return out
    span_min = (until_unix - epochs[idx]) / 60.0
    # With drag (B* >= 0) the drag polynomial falls monotonically and the mean eccentricity is
    # linear in time: the window's two ends bound the secular perigee. Only element sets whose
    # bound comes near the Earth are looked at closely.
    ends = _may_fail(c, idx, np.stack([np.zeros_like(span_min), span_min], axis=1)).any(axis=1)
    suspects = ends | (c["bstar"][idx] < 0.0)
    idx, span_min = idx[suspects], span_min[suspects]
    frac = np.linspace(0.0, 1.0, SCREEN_POINTS)
    risky = _may_fail(c, idx, span_min[:, None] * frac[None, :])
    hit = risky.any(axis=1)
    idx, span_min, first = idx[hit], span_min[hit], np.argmax(risky[hit], axis=1)
    # Where the secular model first allows a failure, to the minute (bisection between grid
    # points; each element set's own, whatever others are computed with it).
    lo = span_min * frac[np.maximum(first - 1, 0)]
    hi = span_min * frac[first]
    for _ in range(40):
        open_ = hi - lo > 1.0
        if not open_.any():
            break
        mid = np.where(open_, 0.5 * (lo + hi), lo)
        bad = _may_fail(c, idx, mid[:, None])[:, 0]
        hi, lo = np.where(open_ & bad, mid, hi), np.where(open_ & ~bad, mid, lo)
    for j, i in enumerate(idx):
        found = _scan(elements[i], epochs[i] + 60.0 * lo[j], until_unix)
        if found is not None:
            out.time_unix[i], out.reason[i] = found
    return out


def _scan(element: ElementSet, start: float, until_unix: float) -> tuple[float, int] | None:
    """SGP4's first failure of one element set from ``start`` on, to the second, or None: every
    ``SCAN_STEP_S`` (in chunks that grow), then every second of the step it fails in."""
    sat = element.satrec()
    shape = OrbitShape.of([element])

    def reasons(t: np.ndarray) -> np.ndarray:
        err, r, v = sat.sgp4_array(*unix_to_jd(t))
        reason = err.astype(np.int8)
        reason[(reason == 0) & ~_physical(shape, r[None], v[None])[0]] = REASON_UNPHYSICAL
        return reason

    chunk = 4 * 3600.0  # most failures come within a day of where the secular model allows them: little overshoot
    while start < until_unix:
        t = np.arange(start, min(until_unix, start + chunk) + SCAN_STEP_S, SCAN_STEP_S)
        reason = reasons(t)
        bad = np.flatnonzero(reason != 0)
        if bad.size:
            k = bad[0]
            if k == 0:
                return float(t[0]), int(reason[0])
            fine = t[k - 1] + np.arange(1.0, SCAN_STEP_S)
            failing = np.flatnonzero(fine_reason := reasons(fine))
            if failing.size:
                return float(fine[failing[0]]), int(fine_reason[failing[0]])
            return float(t[k]), int(reason[k])
        start, chunk = float(t[-1]), min(1.5 * chunk, SCAN_CHUNK_S)
    return None


def _physical(shape: OrbitShape, r: np.ndarray, v: np.ndarray) -> np.ndarray:
    """States ``[object, time, 3]`` that can belong to a real orbit around the Earth."""
    radius = np.sqrt(np.einsum("...i,...i->...", r, r))
    speed = np.sqrt(np.einsum("...i,...i->...", v, v))
    # Generous bounds: perturbations and drag move a real orbit by far less than this. A bound
    # orbit is slower than the escape speed at its radius, whatever its elements say.
    max_radius = (1.5 * shape.apogee_radius_km + 2000.0)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        max_speed = 1.1 * np.sqrt(2.0 * MU_KM3_S2 / radius) + 0.5
        return (radius >= MIN_RADIUS_KM) & (radius <= max_radius) & (speed <= max_speed)


class Propagator:
    """SGP4 for a list of element sets, all evaluated together.

    Every sample after an element set's first failure is invalid (with that failure's reason):
    failures met in one ``propagate`` call, and those given as ``failures`` (``first_failures``:
    known before the call, e.g. a decay before the times asked for).
    """

    def __init__(self, elements: Sequence[ElementSet], failures: Failures | None = None):
        self.elements = list(elements)
        self.failures = failures if failures is not None else Failures.none(len(self.elements))
        self.epochs_unix = np.array([e.epoch_unix for e in self.elements], dtype=np.float64)
        self.norad_ids = np.array([e.norad_id for e in self.elements], dtype=np.int64)
        self.names = np.array([e.name for e in self.elements], dtype=object)
        self.shape = OrbitShape.of(self.elements) if self.elements else None
        self._array = SatrecArray([e.satrec() for e in self.elements]) if self.elements else None

    def __len__(self) -> int:
        return len(self.elements)

    def propagate(self, times_unix) -> States:
        """TEME states of every object at every time (POSIX seconds), invalid samples NaN."""
        t = np.atleast_1d(np.asarray(times_unix, dtype=np.float64))
        if not self.elements:
            empty = np.zeros((0, t.size, 3))
            return States(t, empty, empty.copy(), np.zeros((0, t.size), bool), np.zeros((0, t.size), np.int8))
        jd, fr = unix_to_jd(t)
        err, r, v = self._array.sgp4(jd, fr)
        reason = err.astype(np.int8)
        reason[(reason == 0) & ~_physical(self.shape, r, v)] = REASON_UNPHYSICAL
        self._after_failures(t, reason)
        valid = reason == 0
        r[~valid] = np.nan
        v[~valid] = np.nan
        return States(t, r, v, valid, reason)

    def _after_failures(self, t: np.ndarray, reason: np.ndarray) -> None:
        """Mark (in place) every sample after an object's first failure with that failure's
        reason: after its epoch, the samples later than the first failure; before it, the
        samples earlier than the last one (propagating backwards)."""
        bad = reason != 0
        after = t[None, :] >= self.epochs_unix[:, None]
        first = np.where(bad & after, t[None, :], np.inf).min(axis=1)
        known = self.failures.time_unix < first
        first = np.where(known, self.failures.time_unix, first)
        last_before = np.where(bad & ~after, t[None, :], -np.inf).max(axis=1)
        if not (np.isfinite(first).any() or np.isfinite(last_before).any()):
            return
        o_fwd = np.flatnonzero(np.isfinite(first))
        for o in o_fwd:
            at = np.flatnonzero(t >= first[o])
            code = self.failures.reason[o] if known[o] else reason[o, np.argmin(np.where(bad[o] & after[o], t, np.inf))]
            reason[o, at[reason[o, at] == 0]] = code
        for o in np.flatnonzero(np.isfinite(last_before)):
            at = np.flatnonzero(t <= last_before[o])
            code = reason[o, np.argmax(np.where(bad[o] & ~after[o], t, -np.inf))]
            reason[o, at[reason[o, at] == 0]] = code


def gravity_acceleration_km_s2(position_km: np.ndarray) -> np.ndarray:
    """Point mass + J2 acceleration (WGS-72) at TEME positions ``[..., 3]``.

    SGP4 returns position and velocity; this supplies the second derivative that a quintic
    Hermite interpolant between SGP4 samples needs (drag and higher zonals are below its error).
    """
    x, y, z = position_km[..., 0], position_km[..., 1], position_km[..., 2]
    r2 = x * x + y * y + z * z
    k = -MU_KM3_S2 / (r2 * np.sqrt(r2))
    f = 1.5 * J2 * EARTH_RADIUS_KM**2 / r2
    zz = 5.0 * z * z / r2
    kxy = k * (1.0 + f * (1.0 - zz))
    return np.stack([kxy * x, kxy * y, k * (1.0 + f * (3.0 - zz)) * z], axis=-1)
