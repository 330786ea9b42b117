"""Root and maximum refinement inside a bracket, one event at a time, compiled with numba.

The pass search (``search.py``) calls these from its own compiled loop, once per AOS, LOS and
elevation maximum, evaluating its function between steps. Each event iterates until its own
step falls below the tolerance: the result for one event never depends on any other event
(splitting the work into chunks changes nothing).

Both searches take Newton steps inside a shrinking bracket; a step that would leave the bracket
becomes a regula falsi step on the bracket (Illinois variant), so they converge quadratically
where the function is smooth and never stall where it is not.
"""

from __future__ import annotations

import math

from numba import njit

TOLERANCE_S = 1e-3  # the last Newton step is below this: the error left is far smaller
MAX_ITERATIONS = 60
# Largest last step accepted on the curvature test: what callers record at the last evaluation
# (an azimuth, say) then belongs to an instant within this of the result.
ACCEPT_STEP_S = 0.01

# error_model="numpy": a division by zero gives inf or NaN (which the safeguards catch), not an exception.
compiled = njit(cache=True, error_model="numpy")
# For functions that only read arrays their caller keeps alive: without numba's reference
# counting (which would cost an atomic increment and decrement per array argument and call,
# ten times the arithmetic of one evaluation of the pass search).
compiled_leaf = njit(cache=True, error_model="numpy", _nrt=False)


@compiled
def bracket_step(x, f, df, lo, hi, f_lo, f_hi, side, lo_is_negative, tolerance_s, curvature):
    """One safeguarded Newton step from ``x``, where ``f(x)``, ``f'(x)`` were just evaluated.

    Returns ``(next_x, lo, hi, f_lo, f_hi, side, done)``: the bracket shrunk to the side of the
    zero, ``side`` the end that moved (+1 lo, -1 hi; for the Illinois rule), and ``done`` when
    ``next_x`` is within the tolerance. ``curvature`` (|f''| from the bracket's slopes, or NaN)
    lets a root be accepted without evaluating again once Newton's remaining error, about
    ``step^2 f'' / (2 f')``, is below the tolerance.
    """
    toward_hi = (f < 0.0) == lo_is_negative  # the zero lies above x
    moved = 1 if toward_hi else -1
    if toward_hi:
        lo, f_lo = x, f
        if side == moved:  # Illinois: the same end stayed twice, halve its value
            f_hi *= 0.5
    else:
        hi, f_hi = x, f
        if side == moved:
            f_lo *= 0.5
    newton = x - f / df
    falsi = lo - f_lo * (hi - lo) / (f_hi - f_lo)
    inside = lo <= newton <= hi  # inclusive: at convergence a step lands on an end
    if inside:
        nxt = newton
    elif lo <= falsi <= hi:
        nxt = falsi
    else:
        nxt = 0.5 * (lo + hi)
    step = abs(nxt - x)
    done = step < tolerance_s or hi - lo < tolerance_s or f == 0.0 or not math.isfinite(nxt)
    if inside and step < ACCEPT_STEP_S and step * step * curvature < 0.1 * tolerance_s * abs(df):
        done = True
    if not math.isfinite(nxt):
        nxt = x
    return nxt, lo, hi, f_lo, f_hi, moved, done


@compiled
def root_curvature(lo, hi, df_lo, df_hi):
    """|f''| estimated from the slopes at a root bracket's ends (for ``bracket_step``)."""
    return abs(df_hi - df_lo) / (hi - lo)


@compiled
def cubic_root_guess(lo, hi, f_lo, f_hi, df_lo, df_hi):
    """Zero of the cubic Hermite interpolant of f on [lo, hi] (Newton on the cubic from the secant)."""
    h = hi - lo
    s = f_lo / (f_lo - f_hi)
    s = min(max(s, 0.0), 1.0) if math.isfinite(s) else 0.5
    m0, m1 = df_lo * h, df_hi * h
    for _ in range(4):
        s2 = s * s
        s3 = s2 * s
        p = (2 * s3 - 3 * s2 + 1) * f_lo + (s3 - 2 * s2 + s) * m0 + (-2 * s3 + 3 * s2) * f_hi + (s3 - s2) * m1
        dp = (6 * s2 - 6 * s) * f_lo + (3 * s2 - 4 * s + 1) * m0 + (-6 * s2 + 6 * s) * f_hi + (3 * s2 - 2 * s) * m1
        s_new = s - p / dp
        if math.isfinite(s_new) and 0.0 <= s_new <= 1.0:
            s = s_new
    x = lo + s * h
    return x if math.isfinite(x) else 0.5 * (lo + hi)


@compiled
def cubic_peak_guess(lo, hi, g_lo, g_hi, d_lo, d_hi):
    """Where the derivative of the cubic Hermite interpolant of g on [lo, hi] falls through zero.

    Falls back to the zero of the secant of g' (when g is not known at the ends, pass NaN),
    then to the middle.
    """
    h = hi - lo
    s = math.nan
    if math.isfinite(g_lo) and math.isfinite(g_hi):
        m0, m1 = d_lo * h, d_hi * h
        # p'(s) = a s^2 + b s + c for the cubic through (0, g_lo, m0) and (1, g_hi, m1).
        a = 6.0 * (g_lo - g_hi) + 3.0 * (m0 + m1)
        b = 6.0 * (g_hi - g_lo) - 4.0 * m0 - 2.0 * m1
        c = m0
        # p' > 0 at 0 and <= 0 at 1: exactly one root lies in [0, 1]; the stable form of both roots.
        q = -0.5 * (b + math.copysign(math.sqrt(max(b * b - 4.0 * a * c, 0.0)), b))
        r0, r1 = q / a, c / q
        if 0.0 <= r0 <= 1.0:
            s = r0
        elif 0.0 <= r1 <= 1.0:
            s = r1
        else:
            linear = -c / b  # a == 0: p' is linear
            s = linear if 0.0 <= linear <= 1.0 else 0.5
    else:
        s = -d_lo / (d_hi - d_lo)
        if not 0.0 <= s <= 1.0:
            s = 0.5
    return lo + s * h
