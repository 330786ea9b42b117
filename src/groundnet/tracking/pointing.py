"""How a rotator is driven along a pass: azimuth range and overwind, flip-over, limits, slew rates.

A direction (azimuth ``A``, elevation ``E``) can be reached by an azimuth-elevation rotator in
several ways: ``(A + 360 k, E)`` for every ``k`` its azimuth range allows (0..360, -180..180, or an
overwind range such as 0..450), and, when its elevation reaches 180 deg, flipped over:
``(A + 180 + 360 k, 180 - E)``. :func:`plan_path` chooses one of these for every second of a pass
by dynamic programming so that the rotator

1. never has to move faster than its slew rates when some path allows it (a pass through the zenith
   followed without flip needs an azimuth swing of 180 deg in seconds: flipped, the azimuth stays
   put and the elevation runs through 90 to 180),
2. never unwinds (a 360 deg azimuth swing) in the middle of a pass when a path without one exists,
3. moves as little as possible, and is flipped only where flipping helps;

and starts where the rotator can get to before AOS (pre-positioning from where it stands, at its
slew rate). A pass that no path can follow is said before AOS (:attr:`PassPath.warnings`) and the
path with the least lag is the one taken.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from ..errors import SelectionError
from ..timebase import format_utc

# Azimuth ranges of common rotators (degrees): the name is what --az-range takes.
AZ_RANGES = {
    "0..360": (0.0, 360.0),
    "-180..180": (-180.0, 180.0),
    "0..450": (0.0, 450.0),  # overwind: Yaesu G-5500 and many others
}
# The dummy rotator of Hamlib 4.5 (rotctld -m 1) moves each axis at 6 deg/s (measured); a Yaesu G-5500
# turns 360 deg of azimuth in about 60 s and 180 deg of elevation in about 67 s.
DEFAULT_SLEW_DEG_S = 6.0

_EXCESS_WEIGHT = 1000.0  # cost per second the rotator falls behind: dominates every other term
_FLIP_PENALTY = 0.02  # per flipped second: flip only where it saves motion or lag
_PREPOSITION_WEIGHT = 0.1  # per second of pre-positioning motion (in time before AOS)
# A path the rotator cannot follow at full rate is said before AOS only when it lags more than this
# (an azimuth swing near the zenith that costs half a degree of pointing is not worth a warning).
FOLLOW_TOLERANCE_DEG = 1.0


def parse_az_range(text: str) -> tuple[float, float]:
    """``0..360``, ``-180..180``, ``0..450`` or any ``MIN..MAX`` spanning 360 to 720 deg."""
    if text in AZ_RANGES:
        return AZ_RANGES[text]
    m = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*\.\.\s*(-?\d+(?:\.\d+)?)\s*", text or "")
    if m is None:
        raise SelectionError(f"--az-range '{text}': write MIN..MAX in degrees, e.g. 0..360, -180..180 or 0..450")
    low, high = float(m.group(1)), float(m.group(2))
    if not 360.0 <= high - low <= 720.0:
        raise SelectionError(f"--az-range '{text}': the range must span 360 to 720 deg (it spans {high - low:g})")
    return low, high


@dataclass(frozen=True)
class Rotator:
    """What the rotator can do. Rates in degrees per second of the clock the path is planned in."""

    az_min_deg: float = 0.0
    az_max_deg: float = 360.0
    el_min_deg: float = 0.0
    el_max_deg: float = 90.0  # 180: the rotator can flip over
    az_rate_deg_s: float = DEFAULT_SLEW_DEG_S
    el_rate_deg_s: float = DEFAULT_SLEW_DEG_S
    park_az_deg: float = 0.0
    park_el_deg: float = 90.0

    def __post_init__(self):
        problems = []
        if not 360.0 <= self.az_max_deg - self.az_min_deg <= 720.0:
            problems.append(f"azimuth range {self.az_min_deg:g}..{self.az_max_deg:g} must span 360 to 720 deg")
        if not (-10.0 <= self.el_min_deg < self.el_max_deg <= 180.0) or self.el_max_deg < 90.0:
            problems.append(f"elevation range {self.el_min_deg:g}..{self.el_max_deg:g} must lie in -10..180 "
                            "and reach 90")
        for name in ("az_rate_deg_s", "el_rate_deg_s"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                problems.append(f"{name} {value!r} must be a positive number")
        if not (self.az_min_deg <= self.park_az_deg <= self.az_max_deg
                and self.el_min_deg <= self.park_el_deg <= self.el_max_deg):
            problems.append(f"park position {self.park_az_deg:g},{self.park_el_deg:g} lies outside the rotator's range")
        if problems:
            raise SelectionError("rotator: " + "; ".join(problems))

    @property
    def can_flip(self) -> bool:
        return self.el_max_deg >= 180.0 - 1e-9

    @property
    def park(self) -> tuple[float, float]:
        return self.park_az_deg, self.park_el_deg

    def scaled(self, speed: float) -> "Rotator":
        """The same rotator seen from a replay clock running ``speed`` times real time."""
        from dataclasses import replace

        return replace(self, az_rate_deg_s=self.az_rate_deg_s / speed, el_rate_deg_s=self.el_rate_deg_s / speed)

    def slew_time_s(self, frm: tuple[float, float], to: tuple[float, float]) -> float:
        """Seconds to move from one axis position to another (both axes at once, as Hamlib's rotators do)."""
        return max(abs(to[0] - frm[0]) / self.az_rate_deg_s, abs(to[1] - frm[1]) / self.el_rate_deg_s)


def direction_of(az_axis, el_axis) -> tuple[np.ndarray, np.ndarray]:
    """The sky direction (azimuth in [0, 360), elevation <= 90) of rotator axis positions (flip undone)."""
    az = np.asarray(az_axis, dtype=np.float64)
    el = np.asarray(el_axis, dtype=np.float64)
    flipped = el > 90.0
    return np.where(flipped, np.mod(az + 180.0, 360.0), np.mod(az, 360.0)), np.where(flipped, 180.0 - el, el)


def angular_separation_deg(az1, el1, az2, el2) -> np.ndarray:
    """Angle between two directions given by azimuth and elevation (degrees; flip undone on both)."""
    a1, e1 = (np.radians(x) for x in direction_of(az1, el1))
    a2, e2 = (np.radians(x) for x in direction_of(az2, el2))
    c = np.sin(e1) * np.sin(e2) + np.cos(e1) * np.cos(e2) * np.cos(a1 - a2)
    s = np.hypot(np.cos(e2) * np.sin(a1 - a2), np.cos(e1) * np.sin(e2) - np.sin(e1) * np.cos(e2) * np.cos(a1 - a2))
    return np.degrees(np.arctan2(s, c))


def follow(times_unix, az_cmd, el_cmd, rotator: Rotator, start: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """Where a rotator that moves each axis toward its command at its slew rate stands at each time."""
    t = np.asarray(times_unix, dtype=np.float64)
    az = np.empty(t.size)
    el = np.empty(t.size)
    pa, pe = start
    for i in range(t.size):
        dt = t[i] - t[i - 1] if i else 0.0
        pa += float(np.clip(az_cmd[i] - pa, -rotator.az_rate_deg_s * dt, rotator.az_rate_deg_s * dt))
        pe += float(np.clip(el_cmd[i] - pe, -rotator.el_rate_deg_s * dt, rotator.el_rate_deg_s * dt))
        az[i], el[i] = pa, pe
    return az, el


@dataclass
class PassPath:
    """Axis positions for every sample of a pass, and what the rotator can and cannot do along them."""

    times_unix: np.ndarray
    target_az_deg: np.ndarray
    target_el_deg: np.ndarray
    az_deg: np.ndarray  # axis azimuth (after wrap/overwind and flip)
    el_deg: np.ndarray  # axis elevation (above 90 when flipped)
    flipped: np.ndarray
    unwinds: int
    needed_az_rate_deg_s: float
    needed_el_rate_deg_s: float
    predicted_lag_deg: np.ndarray  # a rotator driven along the path continuously, from its pre-position
    preposition_s: float  # slew time from where the rotator stood to the path's start
    warnings: list[str] = field(default_factory=list)

    @property
    def start(self) -> tuple[float, float]:
        return float(self.az_deg[0]), float(self.el_deg[0])

    @property
    def any_flip(self) -> bool:
        return bool(self.flipped.any())

    def at(self, t: float) -> tuple[float, float]:
        """Axis position at ``t`` (interpolated; clamped to the pass)."""
        return float(np.interp(t, self.times_unix, self.az_deg)), float(np.interp(t, self.times_unix, self.el_deg))

    def summary(self) -> dict:
        return {"flip": self.any_flip, "unwinds": self.unwinds,
                "needed_az_rate_deg_s": round(self.needed_az_rate_deg_s, 3),
                "needed_el_rate_deg_s": round(self.needed_el_rate_deg_s, 3),
                "predicted_max_lag_deg": round(float(np.max(self.predicted_lag_deg, initial=0.0)), 3),
                "preposition_s": round(self.preposition_s, 1)}


def _candidates(az: np.ndarray, el: np.ndarray, rotator: Rotator, allow_flip: bool):
    """Axis positions ``[sample, way]`` of every way to point at each direction, with a validity mask."""
    ways = [(k, False) for k in (-1, 0, 1)]
    if allow_flip and rotator.can_flip:
        ways += [(k, True) for k in (-1, 0, 1)]
    az_c = np.stack([az + 360.0 * k + (180.0 if f else 0.0) for k, f in ways], axis=1)
    el_c = np.stack([(180.0 - el) if f else el for _, f in ways], axis=1)
    el_c = np.clip(el_c, rotator.el_min_deg, rotator.el_max_deg)
    valid = (az_c >= rotator.az_min_deg - 1e-9) & (az_c <= rotator.az_max_deg + 1e-9)
    flipped = np.array([f for _, f in ways])
    return az_c, el_c, valid, flipped


def plan_path(times_unix, target_az_deg, target_el_deg, rotator: Rotator, *,
              start: tuple[float, float] | None = None, lead_s: float = math.inf,
              allow_flip: bool = True) -> PassPath:
    """The path a rotator standing at ``start`` (default: parked) follows over the pass's samples.

    ``lead_s``: time available to pre-position before the first sample (0: none, as gpredict does).
    ``allow_flip=False`` keeps the elevation at or below 90 deg even on a rotator that could flip.
    """
    t = np.asarray(times_unix, dtype=np.float64)
    az = np.mod(np.asarray(target_az_deg, dtype=np.float64), 360.0)
    el = np.asarray(target_el_deg, dtype=np.float64)
    if t.size == 0:
        raise SelectionError("the pass has no samples to track")
    start = rotator.park if start is None else start
    az_c, el_c, valid, flipped = _candidates(az, el, rotator, allow_flip)
    inf = math.inf
    # Pre-positioning: the time the rotator needs to reach each way of pointing at the first sample.
    need0 = np.maximum(np.abs(az_c[0] - start[0]) / rotator.az_rate_deg_s,
                       np.abs(el_c[0] - start[1]) / rotator.el_rate_deg_s)
    cost = (_EXCESS_WEIGHT * np.maximum(0.0, need0 - lead_s) + _PREPOSITION_WEIGHT * need0
            + _FLIP_PENALTY * flipped)
    cost = np.where(valid[0], cost, inf)
    back = np.zeros((t.size, flipped.size), dtype=np.int8)
    for i in range(1, t.size):
        dt = t[i] - t[i - 1]
        need = np.maximum(np.abs(az_c[i][None, :] - az_c[i - 1][:, None]) / rotator.az_rate_deg_s,
                          np.abs(el_c[i][None, :] - el_c[i - 1][:, None]) / rotator.el_rate_deg_s)
        step = _EXCESS_WEIGHT * np.maximum(0.0, need - dt) + need + _FLIP_PENALTY * flipped[None, :]
        total = cost[:, None] + step
        back[i] = np.argmin(total, axis=0)
        cost = np.where(valid[i], total[back[i], np.arange(flipped.size)], inf)
    if not np.isfinite(cost).any():
        raise SelectionError(f"the rotator's azimuth range {rotator.az_min_deg:g}..{rotator.az_max_deg:g} "
                             "cannot point at this pass")
    way = np.empty(t.size, dtype=np.int64)
    way[-1] = int(np.argmin(cost))
    for i in range(t.size - 1, 0, -1):
        way[i - 1] = back[i, way[i]]
    rows = np.arange(t.size)
    best = _describe(t, az, el, az_c[rows, way], el_c[rows, way], flipped[way], rotator, start, lead_s)
    if allow_flip and rotator.can_flip and float(np.max(el)) > 60.0:
        plane = _plane_path(t, az, el, rotator, start, lead_s)
        if plane is not None:
            plane_lag, best_lag = float(np.max(plane.predicted_lag_deg)), float(np.max(best.predicted_lag_deg))
            # Only for a lower lag: near the zenith an exact path that the azimuth cannot keep up with still
            # points closer than the plane (an azimuth error counts cos(elevation) on the sky).
            if plane_lag < best_lag - 0.05:
                return plane
    return best


def _plane_path(t, az, el, rotator: Rotator, start, lead_s) -> PassPath | None:
    """Flip-over through the zenith with the azimuth held: the antenna sweeps one vertical plane.

    Its pointing error is the object's distance from the plane (at most 90 deg minus the pass's
    maximum elevation), where an exact path would swing the azimuth by up to 180 deg near the zenith.
    """
    a, e = np.radians(az), np.radians(el)
    x_e, x_n, x_z = np.cos(e) * np.sin(a), np.cos(e) * np.cos(a), np.sin(e)
    trial = np.radians(np.arange(0.0, 180.0, 0.5))
    off = np.abs(-np.cos(trial)[:, None] * x_e[None, :] + np.sin(trial)[:, None] * x_n[None, :])
    az0 = float(np.degrees(trial[np.argmin(np.max(off, axis=1))]))
    u = np.sin(np.radians(az0)) * x_e + np.cos(np.radians(az0)) * x_n  # along the plane's azimuth
    if u[0] < 0:  # sweep from the AOS side
        az0, u = az0 + 180.0, -u
    el_axis = np.degrees(np.arctan2(x_z, u))
    for k in (0.0, 360.0, -360.0):
        if rotator.az_min_deg <= az0 + k <= rotator.az_max_deg:
            az_axis = np.full(t.size, az0 + k)
            el_axis = np.clip(el_axis, rotator.el_min_deg, rotator.el_max_deg)
            return _describe(t, az, el, az_axis, el_axis, el_axis > 90.0, rotator, start, lead_s)
    return None


def _describe(t, az, el, path_az, path_el, path_flip, rotator: Rotator, start, lead_s) -> PassPath:
    dt = np.diff(t)
    daz = np.abs(np.diff(path_az))
    del_ = np.abs(np.diff(path_el))
    az_rate = daz / dt if dt.size else np.zeros(0)
    el_rate = del_ / dt if dt.size else np.zeros(0)
    unwind_at = np.flatnonzero(daz > 180.0)
    preposition_s = rotator.slew_time_s(start, (float(path_az[0]), float(path_el[0])))
    pre_start = (start if preposition_s > lead_s else (float(path_az[0]), float(path_el[0])))
    fa, fe = follow(t, path_az, path_el, rotator, pre_start)
    lag = angular_separation_deg(fa, fe, az, el)
    path = PassPath(t, az, el, path_az, path_el, path_flip, int(unwind_at.size),
                    float(np.max(az_rate, initial=0.0)), float(np.max(el_rate, initial=0.0)), lag, preposition_s)
    if unwind_at.size:
        path.warnings.append(
            f"the pass does not fit the azimuth range {rotator.az_min_deg:g}..{rotator.az_max_deg:g} without "
            f"unwinding: the rotator swings back {unwind_at.size} time(s), first at {format_utc(t[unwind_at[0] + 1])}"
            + ("" if rotator.can_flip else "; a rotator with 180 deg elevation could flip instead"))
    fast_az = np.flatnonzero(az_rate > rotator.az_rate_deg_s * 1.001)
    fast_el = np.flatnonzero(el_rate > rotator.el_rate_deg_s * 1.001)
    if (fast_az.size or fast_el.size) and float(np.max(lag)) > FOLLOW_TOLERANCE_DEG:
        axis, idx, rate, have = (("azimuth", fast_az, az_rate, rotator.az_rate_deg_s) if fast_az.size
                                 else ("elevation", fast_el, el_rate, rotator.el_rate_deg_s))
        worst = idx[np.argmax(rate[idx])]
        path.warnings.append(
            f"the rotator cannot follow this pass: it needs {rate[worst]:.1f} deg/s in {axis} at "
            f"{format_utc(t[worst + 1])} (rotator: {have:g} deg/s); the best path "
            f"({'flipped over' if path_flip.any() else 'no flip'}) lags up to {float(np.max(lag)):.1f} deg")
    if preposition_s > lead_s:
        path.warnings.append(
            f"pre-positioning needs {preposition_s:.0f} s and {max(lead_s, 0):.0f} s are left before AOS: "
            f"the rotator reaches the pass late (lag up to {float(lag[0]):.1f} deg at AOS)")
    return path
