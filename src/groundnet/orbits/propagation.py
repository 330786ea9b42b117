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


class Propagator:
    """SGP4 for a list of element sets, all evaluated together."""

    def __init__(self, elements: Sequence[ElementSet]):
        self.elements = list(elements)
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
        reason[(reason == 0) & ~self._physical(r, v)] = REASON_UNPHYSICAL
        valid = reason == 0
        r[~valid] = np.nan
        v[~valid] = np.nan
        return States(t, r, v, valid, reason)

    def _physical(self, r: np.ndarray, v: np.ndarray) -> np.ndarray:
        radius = np.sqrt(np.einsum("...i,...i->...", r, r))
        speed = np.sqrt(np.einsum("...i,...i->...", v, v))
        # Generous bounds: perturbations and drag move a real orbit by far less than this. A bound
        # orbit is slower than the escape speed at its radius, whatever its elements say.
        max_radius = (1.5 * self.shape.apogee_radius_km + 2000.0)[:, None]
        with np.errstate(invalid="ignore", divide="ignore"):
            max_speed = 1.1 * np.sqrt(2.0 * MU_KM3_S2 / radius) + 0.5
            return (radius >= MIN_RADIUS_KM) & (radius <= max_radius) & (speed <= max_speed)


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
