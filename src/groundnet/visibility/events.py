"""The event finder's parts every strategy shares: windows of a sampled margin, crossings, peaks.

A margin is the elevation above the usable floor (``visibility.core.usable_elevation_deg``).
Strategies (``visibility.deepspace`` for trajectories, ``visibility.bundle`` for launch sample
bundles; the compiled SGP4 search keeps its own kernel) sample their margin on a grid, take the
windows of samples at or above zero and the local maxima just below it (a short pass may peak
between two samples), then refine here:

* ``crossings``: the Illinois variant of regula falsi inside each bracket, all brackets at once;
* ``peaks``: the best of a few samples, then Newton steps on the slope.

Both take ``f(index, t)``: the function of the brackets ``index`` (an int array) at times ``t``,
so one call serves any number of (station, object, sample) combinations.
"""

from __future__ import annotations

import numpy as np

GRAZE_MARGIN_DEG = 2.0  # a local maximum this close below the floor is examined for a grazing pass


def sample_windows(up: np.ndarray, valid: np.ndarray):
    """Runs of consecutive samples above the floor: first and last index, and whether each edge is a crossing."""
    edges = np.diff(np.concatenate([[0], up.astype(np.int8), [0]]))
    first, last = np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0] - 1
    n = up.size
    aos_open = (first > 0) & valid[np.maximum(first - 1, 0)]
    los_open = (last < n - 1) & valid[np.minimum(last + 1, n - 1)]
    return first, last, aos_open, los_open


def grazing_candidates(clear: np.ndarray, valid: np.ndarray, up: np.ndarray, margin_deg: float = GRAZE_MARGIN_DEG) -> np.ndarray:
    """Samples that are local maxima just below the floor: a short pass may peak between their neighbours."""
    i = np.arange(1, clear.size - 1)
    c = np.nan_to_num(clear, nan=-99.0)
    return i[valid[i - 1] & valid[i] & valid[i + 1] & ~up[i] & (c[i] > -margin_deg)
             & (c[i] >= c[i - 1]) & (c[i] >= c[i + 1])]


def crossings(f, lo: np.ndarray, hi: np.ndarray, rising: np.ndarray, tol_s: float = 1e-2) -> np.ndarray:
    """Where ``f`` crosses zero inside each bracket [lo, hi] (rising or setting), by the Illinois
    variant of regula falsi; only brackets not yet converged are evaluated again, until the last
    step is under ``tol_s``. ``f(index, t)``: see the module's docstring.
    """
    sign = np.where(rising, 1.0, -1.0)
    a, b = np.array(lo, dtype=np.float64), np.array(hi, dtype=np.float64)
    every = np.arange(a.size)
    fa, fb = sign * f(every, a), sign * f(every, b)
    x = 0.5 * (a + b)
    side = np.zeros(a.size, dtype=np.int8)
    active = np.arange(a.size)
    for _ in range(60):
        if not active.size:
            break
        A, B, FA, FB = a[active], b[active], fa[active], fb[active]
        with np.errstate(divide="ignore", invalid="ignore"):
            new = B - FB * (B - A) / (FB - FA)
        new = np.where(np.isfinite(new) & (new > A) & (new < B), new, 0.5 * (A + B))
        done = np.abs(new - x[active]) < tol_s
        x[active] = new
        active, new = active[~done], new[~done]
        if not active.size:
            break
        fx = sign[active] * f(active, new)
        left = ~(fx >= 0.0)  # the crossing is after x
        s_prev = side[active]
        a[active] = np.where(left, new, a[active])
        fa[active] = np.where(left, fx, np.where(s_prev == -1, 0.5 * fa[active], fa[active]))
        b[active] = np.where(left, b[active], new)
        # Illinois: halve the stale end's value when the same end moved twice in a row.
        fb[active] = np.where(left, np.where(s_prev == 1, 0.5 * fb[active], fb[active]), fx)
        side[active] = np.where(left, 1, -1)
    return x


def peaks(f, lo: np.ndarray, hi: np.ndarray, samples: int = 7, h: float = 20.0, tol_s: float = 1e-2) -> np.ndarray:
    """Instants of the largest ``f`` in each [lo, hi]: the best of ``samples`` samples, then Newton
    steps on the slope (differences ``h`` apart) until they are under ``tol_s``."""
    lo, hi = np.asarray(lo, dtype=np.float64), np.asarray(hi, dtype=np.float64)
    frac = np.linspace(0.0, 1.0, samples)
    t = lo[:, None] + (hi - lo)[:, None] * frac[None, :]
    index = np.repeat(np.arange(lo.size), samples)
    v = np.nan_to_num(f(index, t.ravel()).reshape(t.shape), nan=-np.inf)
    x = t[np.arange(lo.size), np.argmax(v, axis=1)]
    active = np.arange(lo.size)
    for _ in range(8):
        xa = x[active]
        y0, y1, y2 = np.split(f(np.tile(active, 3), np.concatenate([xa - h, xa, xa + h])), 3)
        curvature = (y0 - 2.0 * y1 + y2) / (h * h)
        slope = (y2 - y0) / (2.0 * h)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.where(curvature < 0.0, -slope / curvature, 0.0)
        span = hi[active] - lo[active]
        step = np.clip(np.nan_to_num(step), -0.25 * span - h, 0.25 * span + h)
        x[active] = np.clip(xa + step, lo[active], hi[active])
        active = active[np.abs(step) >= tol_s]
        if not active.size:
            break
    return x
