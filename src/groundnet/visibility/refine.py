"""Vectorized root and maximum refinement inside brackets, for many independent events at once.

Each function takes a callback that evaluates a function (and its time derivative) for a subset
of the events, so any trajectory model can use it (SGP4 passes, interpolated ephemerides).
Every event gets the same fixed number of iterations: the result for one event never depends on
which other events are refined with it (so splitting the work into chunks changes nothing).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

# value_and_rate(t, which) -> (f, dfdt) for events ``which`` (an index array) at times ``t``.
ValueAndRate = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def refine_roots(
    value_and_rate: ValueAndRate,
    lo: np.ndarray,
    hi: np.ndarray,
    f_lo: np.ndarray,
    f_hi: np.ndarray,
    df_lo: np.ndarray,
    df_hi: np.ndarray,
    iterations: int = 5,
) -> np.ndarray:
    """The zero of ``f`` in ``[lo, hi]`` for each event, where ``f(lo)`` and ``f(hi)`` differ in sign.

    Starts from the zero of the cubic Hermite interpolant of ``f`` on the bracket, then takes
    safeguarded Newton steps (a step leaving the bracket becomes a bisection), shrinking the
    bracket at each evaluation: quadratic convergence where ``f`` is smooth, never worse than
    bisection.
    """
    lo, hi = np.array(lo, dtype=np.float64), np.array(hi, dtype=np.float64)
    f_lo = np.asarray(f_lo, dtype=np.float64)
    rising = f_lo < 0.0  # orient so that f < 0 at lo side
    x = _cubic_root_guess(lo, hi, f_lo, np.asarray(f_hi, float), np.asarray(df_lo, float), np.asarray(df_hi, float))
    which = np.arange(lo.size)
    for _ in range(iterations):
        f, df = value_and_rate(x, which)
        neg = (f < 0.0) == rising  # x is on the lo side of the root
        lo = np.where(neg, x, lo)
        hi = np.where(neg, hi, x)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = x - f / df
        bad = ~((step >= lo) & (step <= hi))  # inclusive: at convergence the step lands on an end
        x = np.where(bad, 0.5 * (lo + hi), step)
    return x


def refine_maxima(
    rate: ValueAndRate,
    lo: np.ndarray,
    hi: np.ndarray,
    d_lo: np.ndarray,
    d_hi: np.ndarray,
    iterations: int = 8,
) -> np.ndarray:
    """The time where a rate ``g'`` falls through zero in ``[lo, hi]`` (``g'(lo) > 0 >= g'(hi)``).

    ``rate(t, which)`` returns ``(g', g'')`` where ``g''`` may be NaN when unknown; then the step
    is a secant step on the bracket (Illinois rule), otherwise Newton; a step leaving the bracket
    is replaced by bisection.
    """
    lo, hi = np.array(lo, dtype=np.float64), np.array(hi, dtype=np.float64)
    d_lo, d_hi = np.array(d_lo, dtype=np.float64), np.array(d_hi, dtype=np.float64)
    which = np.arange(lo.size)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = lo - d_lo * (hi - lo) / (d_hi - d_lo)
    x = np.where((x > lo) & (x < hi), x, 0.5 * (lo + hi))
    for _ in range(iterations):
        d, dd = rate(x, which)
        pos = d > 0.0
        lo = np.where(pos, x, lo)
        d_lo = np.where(pos, d, 0.5 * d_lo)  # Illinois: halve the stale end's value
        hi = np.where(pos, hi, x)
        d_hi = np.where(pos, 0.5 * d_hi, d)
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = x - d / dd
            secant = lo - d_lo * (hi - lo) / (d_hi - d_lo)
        step = np.where(np.isfinite(newton), newton, secant)
        x = np.where((step >= lo) & (step <= hi), step, 0.5 * (lo + hi))
    return x


def _cubic_root_guess(lo, hi, f_lo, f_hi, df_lo, df_hi, newton_steps: int = 4):
    """Zero of the cubic Hermite interpolant of f on [lo, hi] (Newton on the cubic from the secant)."""
    h = hi - lo
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.clip(f_lo / (f_lo - f_hi), 0.0, 1.0)
    m0, m1 = df_lo * h, df_hi * h
    for _ in range(newton_steps):
        s2, s3 = s * s, s * s * s
        p = (2 * s3 - 3 * s2 + 1) * f_lo + (s3 - 2 * s2 + s) * m0 + (-2 * s3 + 3 * s2) * f_hi + (s3 - s2) * m1
        dp = (6 * s2 - 6 * s) * f_lo + (3 * s2 - 4 * s + 1) * m0 + (-6 * s2 + 6 * s) * f_hi + (3 * s2 - 2 * s) * m1
        with np.errstate(divide="ignore", invalid="ignore"):
            s_new = s - p / dp
        s = np.where(np.isfinite(s_new) & (s_new >= 0.0) & (s_new <= 1.0), s_new, s)
    x = lo + s * h
    return np.where(np.isfinite(x), x, 0.5 * (lo + hi))
