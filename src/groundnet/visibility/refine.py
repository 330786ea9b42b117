"""Vectorized root and maximum refinement inside brackets, for many independent events at once.

Each function takes a callback that evaluates a function and its time derivative(s) for a
subset of the events, so any trajectory model can use it (SGP4 passes, interpolated
ephemerides). Each event iterates until its own step falls below the tolerance, and only
unfinished events are evaluated again: the result for one event never depends on which other
events are refined with it (splitting the work into chunks changes nothing).

Both searches take Newton steps inside a shrinking bracket; a step that would leave the bracket
becomes a regula falsi step on the bracket (Illinois variant), so they converge quadratically
where the function is smooth and never stall where it is not.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

# f(t, which) -> (value, derivative) for events ``which`` (an index array) at times ``t``.
ValueAndRate = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

TOLERANCE_S = 1e-3  # the last Newton step is below this: the error left is far smaller
MAX_ITERATIONS = 60
# Largest last step accepted on the curvature test: what callers record at the last evaluation
# (an azimuth, say) then belongs to an instant within this of the result.
ACCEPT_STEP_S = 0.01


def refine_roots(
    value_and_rate: ValueAndRate,
    lo, hi, f_lo, f_hi, df_lo, df_hi,
    tolerance_s: float = TOLERANCE_S,
) -> np.ndarray:
    """The zero of ``f`` in ``[lo, hi]`` for each event, where ``f(lo)`` and ``f(hi)`` differ in sign.

    The first guess is the zero of the cubic Hermite interpolant of ``f`` on the bracket.
    """
    lo, hi, f_lo, f_hi = (np.array(v, dtype=np.float64) for v in (lo, hi, f_lo, f_hi))
    df_lo, df_hi = np.asarray(df_lo, float), np.asarray(df_hi, float)
    x = _cubic_root_guess(lo, hi, f_lo, f_hi, df_lo, df_hi)
    # Newton's error after a step d is about d^2 f''/(2 f'): with f'' from the bracket's slopes
    # a step can be accepted without evaluating again once that is below the tolerance.
    with np.errstate(divide="ignore", invalid="ignore"):
        curvature = np.abs(df_hi - df_lo) / (hi - lo)
    return _bracketed_newton(value_and_rate, x, lo, hi, f_lo, f_hi, tolerance_s, curvature)


def refine_maxima(
    rate_and_curvature: ValueAndRate,
    lo, hi, d_lo, d_hi,
    g_lo=None, g_hi=None,
    tolerance_s: float = TOLERANCE_S,
) -> np.ndarray:
    """Where a rate ``g'`` falls through zero in ``[lo, hi]`` (``g'(lo) > 0 >= g'(hi)``): a maximum of g.

    ``rate_and_curvature(t, which)`` returns ``(g', g'')``; ``g''`` may be NaN where unknown
    (then the step is a regula falsi step). With the values ``g_lo``, ``g_hi`` the first guess is
    the peak of the cubic Hermite interpolant of g, otherwise the zero of the secant of g'.
    """
    lo, hi, d_lo, d_hi = (np.array(v, dtype=np.float64) for v in (lo, hi, d_lo, d_hi))
    with np.errstate(divide="ignore", invalid="ignore"):
        x = lo - d_lo * (hi - lo) / (d_hi - d_lo)
    if g_lo is not None:
        x = np.where(np.isfinite(g_lo), _cubic_peak_guess(lo, hi, g_lo, g_hi, d_lo, d_hi), x)
    x = np.where((x >= lo) & (x <= hi), x, 0.5 * (lo + hi))
    return _bracketed_newton(rate_and_curvature, x, lo, hi, d_lo, d_hi, tolerance_s)


def _bracketed_newton(fn: ValueAndRate, x, lo, hi, f_lo, f_hi, tolerance_s, curvature=None):
    x = x.copy()
    lo_is_negative = f_lo < 0.0
    act = np.flatnonzero(np.isfinite(x))
    side = np.zeros(x.size, np.int8)  # which end moved last (for the Illinois rule)
    for _ in range(MAX_ITERATIONS):
        if act.size == 0:
            break
        xa = x[act]
        f, df = fn(xa, act)
        la, ha, fla, fha = lo[act], hi[act], f_lo[act], f_hi[act]
        toward_hi = (f < 0.0) == lo_is_negative[act]  # the zero lies above xa
        la = np.where(toward_hi, xa, la)
        fla = np.where(toward_hi, f, fla)
        ha = np.where(toward_hi, ha, xa)
        fha = np.where(toward_hi, fha, f)
        # Illinois: when the same end stays twice, halve its value so regula falsi keeps moving.
        s = np.where(toward_hi, 1, -1).astype(np.int8)
        stale = side[act] == s
        fha = np.where(stale & toward_hi, 0.5 * fha, fha)
        fla = np.where(stale & ~toward_hi, 0.5 * fla, fla)
        side[act] = s
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = xa - f / df
            falsi = la - fla * (ha - la) / (fha - fla)
        inside = (newton >= la) & (newton <= ha)  # inclusive: at convergence a step lands on an end
        nxt = np.where(inside, newton, np.where((falsi >= la) & (falsi <= ha), falsi, 0.5 * (la + ha)))
        lo[act], hi[act], f_lo[act], f_hi[act] = la, ha, fla, fha
        step = np.abs(nxt - xa)
        done = (step < tolerance_s) | (ha - la < tolerance_s) | (f == 0.0) | ~np.isfinite(nxt)
        if curvature is not None:
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                done |= inside & (step < ACCEPT_STEP_S) & (step * step * curvature[act] < 0.1 * tolerance_s * np.abs(df))
        x[act] = np.where(np.isfinite(nxt), nxt, xa)
        act = act[~done]
    return x


def _cubic_peak_guess(lo, hi, g_lo, g_hi, d_lo, d_hi):
    """Where the derivative of the cubic Hermite interpolant of g on [lo, hi] falls through zero."""
    h = hi - lo
    m0, m1 = d_lo * h, d_hi * h
    # p'(s) = a s^2 + b s + c for the cubic through (0, g_lo, m0) and (1, g_hi, m1).
    a = 6.0 * (g_lo - g_hi) + 3.0 * (m0 + m1)
    b = 6.0 * (g_hi - g_lo) - 4.0 * m0 - 2.0 * m1
    c = m0
    with np.errstate(divide="ignore", invalid="ignore"):
        disc = np.sqrt(np.maximum(b * b - 4.0 * a * c, 0.0))
        # The root where p' goes from + to -, in the numerically stable form.
        q = -0.5 * (b + np.copysign(disc, b))
        roots = np.stack([q / a, c / q])
        linear = -c / b  # a == 0: p' is linear
    # p' > 0 at 0 and <= 0 at 1: exactly one root lies in [0, 1].
    ok = (roots >= 0.0) & (roots <= 1.0)
    s = np.where(ok[0], roots[0], np.where(ok[1], roots[1], np.nan))
    s = np.where(np.isfinite(s), s, np.where((linear >= 0) & (linear <= 1), linear, 0.5))
    return lo + s * h


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
