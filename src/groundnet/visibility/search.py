"""The per-pair part of the pass search, compiled with numba: brackets, refinement, windows.

``passes.py`` screens (object, station, sample) triples with NumPy, one operation over all of
them at once; what is left after the screen is per-event work (a few Newton steps on each AOS,
LOS and maximum, and the bookkeeping of the windows) that runs here as plain loops, so each
evaluation costs tens of nanoseconds instead of NumPy's fixed cost per operation.

The function searched is ``g(t) = sin(elevation) - sin(threshold(azimuth))`` for one object and
one antenna; its derivatives come from the interpolated orbit (quintic Hermite polynomials on
SGP4's positions, velocities and J2 accelerations; see ``passes._Track``) turned into the
Earth-fixed frame at a sidereal angle linear in time over the block.
"""

from __future__ import annotations

import math

import numpy as np

from .refine import (
    MAX_ITERATIONS,
    TOLERANCE_S,
    bracket_step,
    compiled,
    compiled_leaf,
    cubic_peak_guess,
    cubic_root_guess,
    root_curvature,
)

# A maximum's time needs less precision than a root's: the elevation is flat there. The
# returned time is one Newton step beyond the last evaluation, far closer than this.
MAX_TOLERANCE_S = 0.02
DEG = 180.0 / math.pi


# --------------------------------------------------------------------------------------------
# Quintic Hermite interpolation


@compiled
def _basis(s):
    """The six quintic Hermite basis polynomials at s in [0, 1].

    Coefficient order: p0, v0*h, a0*h^2, p1, v1*h, a1*h^2 (across one SGP4 step h).
    """
    s2 = s * s
    s3 = s2 * s
    w3 = s3 * (10.0 + s * (-15.0 + 6.0 * s))
    return (1.0 - w3, s + s3 * (-6.0 + s * (8.0 - 3.0 * s)), 0.5 * s2 + s3 * (-1.5 + s * (1.5 - 0.5 * s)),
            w3, s3 * (-4.0 + s * (7.0 - 3.0 * s)), s3 * (0.5 + s * (-1.0 + 0.5 * s)))


@compiled
def _basis_rate(s):
    """Their first derivatives in s."""
    s2 = s * s
    d3 = s2 * (30.0 + s * (-60.0 + 30.0 * s))
    return (-d3, 1.0 + s2 * (-18.0 + s * (32.0 - 15.0 * s)), s + s2 * (-4.5 + s * (6.0 - 2.5 * s)),
            d3, s2 * (-12.0 + s * (28.0 - 15.0 * s)), s2 * (1.5 + s * (-4.0 + 2.5 * s)))


@compiled
def _basis_curvature(s):
    """Their second derivatives in s."""
    dd3 = s * (60.0 + s * (-180.0 + 120.0 * s))
    return (-dd3, s * (-36.0 + s * (96.0 - 60.0 * s)), 1.0 + s * (-9.0 + s * (18.0 - 10.0 * s)),
            dd3, s * (-24.0 + s * (84.0 - 60.0 * s)), s * (3.0 + s * (-12.0 + 10.0 * s)))


@compiled
def quintic_weights(s, order):
    """The basis (and its s-derivatives up to ``order``) at each s: ``(order + 1, 6, N)``."""
    out = np.empty((order + 1, 6, s.size))
    for i in range(s.size):
        w = _basis(s[i])
        for j in range(6):
            out[0, j, i] = w[j]
        if order >= 1:
            w = _basis_rate(s[i])
            for j in range(6):
                out[1, j, i] = w[j]
        if order >= 2:
            w = _basis_curvature(s[i])
            for j in range(6):
                out[2, j, i] = w[j]
    return out


@compiled_leaf
def _combine(position, velocity_step, accel_step2, obj, seg, w):
    """The quintic Hermite of segment ``seg`` of object ``obj`` weighted by ``w`` (its six
    coefficients: the two ends' position, velocity x step, acceleration x step^2): a 3-vector."""
    p0, v0, a0 = position[obj, seg], velocity_step[obj, seg], accel_step2[obj, seg]
    p1, v1, a1 = position[obj, seg + 1], velocity_step[obj, seg + 1], accel_step2[obj, seg + 1]
    return (w[0] * p0[0] + w[1] * v0[0] + w[2] * a0[0] + w[3] * p1[0] + w[4] * v1[0] + w[5] * a1[0],
            w[0] * p0[1] + w[1] * v0[1] + w[2] * a0[1] + w[3] * p1[1] + w[4] * v1[1] + w[5] * a1[1],
            w[0] * p0[2] + w[1] * v0[2] + w[2] * a0[2] + w[3] * p1[2] + w[4] * v1[2] + w[5] * a1[2])


@compiled_leaf
def _earth_fixed_state(track, obj, t, order):
    """Position, velocity and (``order`` 2) acceleration of object ``obj`` at t, Earth-fixed (PEF).

    ``track`` is ``(position, velocity_step, accel_step2, n_segments, t0, step, theta_rate,
    cos_start, sin_start)``: the TEME samples ``(objects, n_segments + 1, 3)`` (velocity and
    acceleration times the step and its square: the Hermite coefficients), and a sidereal angle
    that turns at ``theta_rate`` from its cosine and sine at each segment's start.
    """
    position, velocity_step, accel_step2, n_seg, t0, step, w, cos_start, sin_start = track
    x = (t - t0) / step
    seg = min(max(int(math.floor(x)), 0), n_seg - 1)
    s = x - seg
    p = _combine(position, velocity_step, accel_step2, obj, seg, _basis(s))
    v = _combine(position, velocity_step, accel_step2, obj, seg, _basis_rate(s))
    a = (0.0, 0.0, 0.0)
    if order >= 2:
        a = _combine(position, velocity_step, accel_step2, obj, seg, _basis_curvature(s))
    # The angle turned since the segment's start is at most 0.27 rad (an hour): Taylor series to
    # d^9 leave an error below 1e-12, and cost less than a call to sin and cos.
    d = w * s * step
    d2 = d * d
    cd = 1.0 - d2 * (1.0 / 2.0 - d2 * (1.0 / 24.0 - d2 * (1.0 / 720.0 - d2 * (1.0 / 40320.0))))
    sd = d * (1.0 - d2 * (1.0 / 6.0 - d2 * (1.0 / 120.0 - d2 * (1.0 / 5040.0 - d2 * (1.0 / 362880.0)))))
    ct = cos_start[seg] * cd - sin_start[seg] * sd
    st = sin_start[seg] * cd + cos_start[seg] * sd
    # TEME -> PEF: a rotation by theta about +z, the frame turning at w.
    px, py = ct * p[0] + st * p[1], ct * p[1] - st * p[0]
    vx = (ct * v[0] + st * v[1]) / step + w * py
    vy = (ct * v[1] - st * v[0]) / step - w * px
    if order >= 2:  # rotating-frame acceleration: a - 2 w x v - w x (w x r)
        h2 = step * step
        ax = (ct * a[0] + st * a[1]) / h2 + 2.0 * w * vy + w * w * px
        ay = (ct * a[1] - st * a[0]) / h2 - 2.0 * w * vx + w * w * py
        a = (ax, ay, a[2] / h2)
    return (px, py, p[2]), (vx, vy, v[2] / step), a


@compiled
def earth_fixed_samples(track, n_obj, times):
    """Earth-fixed positions and velocities of every object at every time (``_earth_fixed_state``
    at each): two ``(3, objects, times)`` arrays, the search's samples."""
    r = np.empty((3, n_obj, times.size))
    v = np.empty((3, n_obj, times.size))
    for o in range(n_obj):
        for i in range(times.size):
            p, u, _ = _earth_fixed_state(track, o, times[i], 1)
            r[0, o, i], r[1, o, i], r[2, o, i] = p
            v[0, o, i], v[1, o, i], v[2, o, i] = u
    return r, v


# --------------------------------------------------------------------------------------------
# g = sin(elevation) - sin(threshold) and its time derivatives


@compiled_leaf
def _mask_floor(stations, sta, azimuth_deg):
    """Elevation threshold (deg) of antenna ``sta`` at an azimuth, and its slope d(threshold)/d(azimuth).

    The horizon mask is interpolated linearly and periodically in azimuth (as ``numpy.interp``
    with ``period=360``), and never below the antenna's minimum elevation.
    """
    _, floor_deg, _, offset, mask_az, mask_el = stations
    a, b = offset[sta], offset[sta + 1]
    if b == a:
        return floor_deg[sta], 0.0
    az = azimuth_deg % 360.0
    j = a - 1  # the last mask point at or before az
    while j + 1 < b and mask_az[j + 1] <= az:
        j += 1
    if j < a:  # before the first point: the segment wrapping from the last one
        x0, y0, x1, y1 = mask_az[b - 1] - 360.0, mask_el[b - 1], mask_az[a], mask_el[a]
    elif j == b - 1:
        x0, y0, x1, y1 = mask_az[j], mask_el[j], mask_az[a] + 360.0, mask_el[a]
    else:
        x0, y0, x1, y1 = mask_az[j], mask_el[j], mask_az[j + 1], mask_el[j + 1]
    slope = (y1 - y0) / max(x1 - x0, 1e-9)
    elevation = y0 + slope * (az - x0)
    if elevation > floor_deg[sta]:
        return elevation, slope
    return floor_deg[sta], 0.0


@compiled_leaf
def _g(stations, sta, p, v, a, order):
    """``(g, g', g'', sin_el, east, north)`` of antenna ``sta`` for an Earth-fixed state.

    ``stations`` is ``(axes, floor_deg, floor_sin, mask_offset, mask_az, mask_el)``; ``axes``
    ``(S, 4, 3)`` holds each antenna's position and its east, north and up unit vectors. g'' is
    computed for ``order`` 2 (NaN where a mask's slope enters: then the steps are regula falsi).
    ``sin_el``, ``east``, ``north`` give the angles (``_elevation``, ``_azimuth``) where a caller
    needs them.
    """
    axes, _, floor_sin, offset, _, _ = stations
    ax = axes[sta]
    rx, ry, rz = p[0] - ax[0, 0], p[1] - ax[0, 1], p[2] - ax[0, 2]
    inv_rng = 1.0 / math.sqrt(rx * rx + ry * ry + rz * rz)
    sin_el = (rx * ax[3, 0] + ry * ax[3, 1] + rz * ax[3, 2]) * inv_rng
    e = rx * ax[1, 0] + ry * ax[1, 1] + rz * ax[1, 2]
    n = rx * ax[2, 0] + ry * ax[2, 1] + rz * ax[2, 2]
    rate = (rx * v[0] + ry * v[1] + rz * v[2]) * inv_rng
    d_sin = (v[0] * ax[3, 0] + v[1] * ax[3, 1] + v[2] * ax[3, 2] - sin_el * rate) * inv_rng
    dd_sin = math.nan
    if order >= 2:
        acc = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2] + rx * a[0] + ry * a[1] + rz * a[2] - rate * rate) * inv_rng
        dd_sin = (a[0] * ax[3, 0] + a[1] * ax[3, 1] + a[2] * ax[3, 2] - 2.0 * d_sin * rate - sin_el * acc) * inv_rng
    if offset[sta + 1] == offset[sta]:  # no horizon mask
        return sin_el - floor_sin[sta], d_sin, dd_sin, sin_el, e, n
    threshold_deg, slope = _mask_floor(stations, sta, _azimuth(e, n))
    threshold = threshold_deg / DEG
    de = v[0] * ax[1, 0] + v[1] * ax[1, 1] + v[2] * ax[1, 2]
    dn = v[0] * ax[2, 0] + v[1] * ax[2, 1] + v[2] * ax[2, 2]
    denominator = e * e + n * n
    azimuth_rate = (n * de - e * dn) / denominator if denominator > 0.0 else 0.0  # rad/s
    if slope != 0.0:
        dd_sin = math.nan
    return (sin_el - math.sin(threshold), d_sin - math.cos(threshold) * slope * azimuth_rate, dd_sin,
            sin_el, e, n)


@compiled_leaf
def _elevation(sin_el):
    """Elevation (deg) from ``_g``'s ``sin_el``."""
    return math.asin(min(max(sin_el, -1.0), 1.0)) * DEG


@compiled_leaf
def _azimuth(east, north):
    """Azimuth (deg, in [0, 360)) from ``_g``'s ``east`` and ``north``."""
    azimuth = math.atan2(east, north) * DEG
    return azimuth + 360.0 if azimuth < 0.0 else azimuth


@compiled_leaf
def _g_at(track, stations, obj, sta, t, order):
    p, v, a = _earth_fixed_state(track, obj, t, order)
    return _g(stations, sta, p, v, a, order)


@compiled_leaf
def _angles_at(track, stations, obj, sta, t):
    _, _, _, sin_el, e, n = _g_at(track, stations, obj, sta, t, 0)
    return _elevation(sin_el), _azimuth(e, n)


@compiled_leaf
def _azimuth_motion(stations, sta, p, v):
    """Azimuth (deg) of an Earth-fixed state from antenna ``sta``, and its rate (deg/s)."""
    ax = stations[0][sta]
    rx, ry, rz = p[0] - ax[0, 0], p[1] - ax[0, 1], p[2] - ax[0, 2]
    e = rx * ax[1, 0] + ry * ax[1, 1] + rz * ax[1, 2]
    n = rx * ax[2, 0] + ry * ax[2, 1] + rz * ax[2, 2]
    de = v[0] * ax[1, 0] + v[1] * ax[1, 1] + v[2] * ax[1, 2]
    dn = v[0] * ax[2, 0] + v[1] * ax[2, 1] + v[2] * ax[2, 2]
    denominator = e * e + n * n
    rate = (n * de - e * dn) / denominator * DEG if denominator > 0.0 else 0.0
    return _azimuth(e, n), rate


@compiled_leaf
def _is_mask_peak(stations, sta, j):
    """Whether mask point ``j`` of antenna ``sta`` is a corner where the threshold's slope falls
    (a peak, or the top of a wall): only there can the object dip behind the mask and come back
    out between two samples whose g and g' look smooth."""
    _, floor_deg, _, offset, mask_az, mask_el = stations
    a, b = offset[sta], offset[sta + 1]
    if b - a < 2 or mask_el[j] <= floor_deg[sta]:
        return False
    # The segments on either side, as ``_mask_floor`` interpolates (periodically, across 360 deg).
    prev, width_in = (j - 1, mask_az[j] - mask_az[j - 1]) if j > a else (b - 1, mask_az[j] + 360.0 - mask_az[b - 1])
    nxt, width_out = (j + 1, mask_az[j + 1] - mask_az[j]) if j + 1 < b else (a, mask_az[a] + 360.0 - mask_az[j])
    slope_in = (mask_el[j] - mask_el[prev]) / max(width_in, 1e-9)
    slope_out = (mask_el[nxt] - mask_el[j]) / max(width_out, 1e-9)
    return slope_out < slope_in


@compiled_leaf
def _mask_peak_times(track, stations, obj, sta, ta, tb, az_a, rate_a, az_b, peaks, out):
    """The times in (ta, tb) at which the object's azimuth passes a peak of the antenna's horizon
    mask (``_is_mask_peak``), in order, written to ``out``; returns their number. Each peak gives
    two times a fraction of a millisecond apart, one on either side of it, so that a step of the
    mask (two points at one azimuth) is seen from both sides. ``peaks`` is work space for the
    points' indices, half as long as ``out``.

    The azimuth is taken to turn one way over the interval, the way it turns at ``ta``: the arc
    travelled from ``az_a`` grows through each peak's offset, which bisection finds."""
    _, _, _, offset, mask_az, _ = stations
    direction = 1.0 if rate_a >= 0.0 else -1.0
    sweep = ((az_b - az_a) * direction) % 360.0
    count = 0
    for j in range(offset[sta], offset[sta + 1]):
        if count == peaks.size or not _is_mask_peak(stations, sta, j):
            continue
        arc = ((mask_az[j] - az_a) * direction) % 360.0
        if not 0.0 < arc < sweep:
            continue
        i = count  # insertion in order of the arc, which is the order in time
        while i > 0 and ((mask_az[peaks[i - 1]] - az_a) * direction) % 360.0 > arc:
            i -= 1
        for m in range(count, i, -1):
            peaks[m] = peaks[m - 1]
        peaks[i] = j
        count += 1
    lo = ta
    for c in range(count):
        arc = ((mask_az[peaks[c]] - az_a) * direction) % 360.0
        hi = tb
        for _ in range(24):
            mid = 0.5 * (lo + hi)
            _, az = _angles_at(track, stations, obj, sta, mid)
            if ((az - az_a) * direction) % 360.0 < arc:
                lo = mid
            else:
                hi = mid
        out[2 * c], out[2 * c + 1] = lo, hi
        lo = hi
    return 2 * count


# --------------------------------------------------------------------------------------------
# Refinement of one event


@compiled_leaf
def _refine_root(track, stations, obj, sta, lo, hi, g_lo, g_hi, dg_lo, dg_hi):
    """The zero of g in [lo, hi] (g(lo), g(hi) of opposite signs), and sin(elevation) and the
    azimuth at the last evaluation (within ``refine.ACCEPT_STEP_S`` of it)."""
    x = cubic_root_guess(lo, hi, g_lo, g_hi, dg_lo, dg_hi)
    curvature = root_curvature(lo, hi, dg_lo, dg_hi)
    lo_is_negative = g_lo < 0.0
    side = 0
    sin_el = e = n = math.nan
    done = False
    for _ in range(MAX_ITERATIONS):
        g, dg, _, sin_el, e, n = _g_at(track, stations, obj, sta, x, 1)
        x, lo, hi, g_lo, g_hi, side, done = bracket_step(
            x, g, dg, lo, hi, g_lo, g_hi, side, lo_is_negative, TOLERANCE_S, curvature)
        if done:
            break
    if not done:  # the angles must be those at the time returned
        _, _, _, sin_el, e, n = _g_at(track, stations, obj, sta, x, 0)
    return x, sin_el, _azimuth(e, n)


@compiled_leaf
def _refine_max(track, stations, obj, sta, lo, hi, g_lo, g_hi, dg_lo, dg_hi):
    """Where g' falls through zero in [lo, hi] (a maximum of g), with g, g' and the elevation at
    the last evaluation."""
    x = cubic_peak_guess(lo, hi, g_lo, g_hi, dg_lo, dg_hi)
    lo_is_negative = dg_lo < 0.0
    side = 0
    g = dg = sin_el = e = n = math.nan
    done = False
    for _ in range(MAX_ITERATIONS):
        g, dg, ddg, sin_el, e, n = _g_at(track, stations, obj, sta, x, 2)
        x, lo, hi, dg_lo, dg_hi, side, done = bracket_step(
            x, dg, ddg, lo, hi, dg_lo, dg_hi, side, lo_is_negative, MAX_TOLERANCE_S, math.nan)
        if done:
            break
    if not done:  # (a kink of g, at a corner of a horizon mask): g and the elevation at the time returned
        g, dg, _, sin_el, _, _ = _g_at(track, stations, obj, sta, x, 1)
    return x, g, dg, _elevation(sin_el)


# --------------------------------------------------------------------------------------------
# The screen


@compiled
def screened_samples(unit, x, y, cos_beta, sin_beta, direction):
    """The (object, antenna, sample) triples the search looks at, in lexicographic order.

    A sample passes the cone test (``passes._screen`` derives it) when the object's geocentric
    direction ``unit`` ``(3, O, T)`` is within the cone around the antenna's ``direction``
    ``(S, 3)``: ``cos(psi) >= x cos(beta) + y sin(beta)`` with ``x``, ``y`` ``(O, T)`` and
    ``cos_beta``, ``sin_beta`` ``(O, S)``. Kept are the samples that pass and their neighbours
    in time (the ends of the intervals that can hold an event). NaN states never pass.
    """
    n_obj, n_t = x.shape
    n_sta = direction.shape[0]
    width = (n_t + 7) // 8 * 8  # rows of whole 8-byte words, zero-padded
    needed = np.zeros((n_obj, n_sta, width), np.bool_)
    near = np.zeros(n_t + 2, np.bool_)  # near[j + 1] is sample j; the ends stay False
    total = 0
    for o in range(n_obj):
        ux, uy, uz, xo, yo = unit[0, o], unit[1, o], unit[2, o], x[o], y[o]
        for s in range(n_sta):
            dx, dy, dz = direction[s, 0], direction[s, 1], direction[s, 2]
            cb, sb = cos_beta[o, s], sin_beta[o, s]
            # Plain loops without branches: LLVM vectorises them.
            for j in range(n_t):
                near[j + 1] = ux[j] * dx + uy[j] * dy + uz[j] * dz >= xo[j] * cb + yo[j] * sb
            row = needed[o, s]
            kept = 0
            for j in range(n_t):
                row[j] = near[j] | near[j + 1] | near[j + 2]
                kept += row[j]
            total += kept
    obj = np.empty(total, np.int64)
    sta = np.empty(total, np.int64)
    k = np.empty(total, np.int64)
    flat = needed.reshape(-1)
    words = flat.view(np.uint64)
    count = 0
    for w in range(words.size):
        if words[w] == 0:  # most of the array: eight samples skipped at once
            continue
        for i in range(8 * w, 8 * w + 8):
            if flat[i]:
                pair, k[count] = divmod(i, width)
                obj[count], sta[count] = divmod(pair, n_sta)
                count += 1
    return obj, sta, k


# --------------------------------------------------------------------------------------------
# Windows from the samples


@compiled
def search_windows(obj, sta, k, times, r_pef, v_pef, track, stations):
    """Every window (AOS to LOS) in the screened samples of one block.

    ``obj``, ``sta``, ``k`` list the (object, antenna, sample) triples kept by the screen in
    lexicographic order; ``times`` are the block's search samples (the first and last are the
    block's ends) and ``r_pef``, ``v_pef`` ``(3, objects, samples)`` the states there. Between
    two consecutive samples of a pair, the signs of g and g' bracket every AOS, LOS and maximum
    (a maximum shows as g' falling through zero, so short grazing passes are found).

    Returns ``(columns, unbalanced)``: ``columns`` is ``(obj, sta, aos, los, tca, max_el,
    aos_az, los_az, aos_open, los_open)`` (``*_open``: visible at the block's first or last
    instant), and ``unbalanced`` counts the pairs whose crossings did not alternate (never,
    when the screen is conservative).
    """
    n = obj.size
    last_k = times.size - 1
    zero = (0.0, 0.0, 0.0)
    offset = stations[3]
    # With a horizon mask the highest elevation of a window is not where g peaks (the threshold
    # moves too): the elevation's own maxima are searched as well, on g without the mask.
    unmasked = (stations[0], stations[1], stations[2], np.zeros_like(offset), stations[4], stations[5])
    g = np.empty(n)
    dg = np.empty(n)
    g_el = np.empty(n)  # sin(elevation) - sin(minimum elevation), where a mask matters
    dg_el = np.empty(n)
    az = np.empty(n)  # azimuth (deg) and its rate (deg/s), where a mask matters
    az_rate = np.empty(n)
    peaks = np.empty(32, np.int64)  # work space of _mask_peak_times
    cuts = np.empty(2 * peaks.size)
    max_cuts = np.zeros(offset.size - 1, np.int64)  # per antenna: cuts in one interval, at most
    for s in range(max_cuts.size):
        for j in range(offset[s], offset[s + 1]):
            if _is_mask_peak(stations, s, j):
                max_cuts[s] += 2
        max_cuts[s] = min(max_cuts[s], cuts.size)
    extra = 0
    for i in range(n):
        o, j = obj[i], k[i]
        p = (r_pef[0, o, j], r_pef[1, o, j], r_pef[2, o, j])
        v = (v_pef[0, o, j], v_pef[1, o, j], v_pef[2, o, j])
        g[i], dg[i], _, _, _, _ = _g(stations, sta[i], p, v, zero, 1)
        if offset[sta[i] + 1] > offset[sta[i]]:
            g_el[i], dg_el[i], _, _, _, _ = _g(unmasked, sta[i], p, v, zero, 1)
            az[i], az_rate[i] = _azimuth_motion(stations, sta[i], p, v)
            extra += max_cuts[sta[i]]

    # A window opens at the block's start or in a sub-interval between two samples (cut at the
    # peaks of a horizon mask), at most once per sub-interval. The arrays are sized to that bound
    # once (arrays grown inside the loop below cost the unmasked search a third of its speed);
    # the pages that are never written are never allocated.
    capacity = n + 1 + extra
    w_obj = np.empty(capacity, np.int64)
    w_sta = np.empty(capacity, np.int64)
    w_time = np.empty((capacity, 3))  # aos, tca, los
    w_angle = np.empty((capacity, 3))  # max elevation, azimuth at AOS and LOS
    w_open = np.zeros((capacity, 2), np.bool_)
    count = 0
    unbalanced = 0

    start = 0
    while start < n:
        end = start  # the run of consecutive samples of one pair: [start, end]
        while (end + 1 < n and obj[end + 1] == obj[start] and sta[end + 1] == sta[start]
               and k[end + 1] == k[end] + 1):
            end += 1
        o, s = obj[start], sta[start]
        masked = offset[s + 1] > offset[s]
        is_open = False
        aos = aos_az = los = los_az = best_t = math.nan
        best_el = -math.inf
        aos_open = False

        if k[start] == 0 and g[start] >= 0.0 and end > start:  # visible at the block's start
            is_open, aos, aos_open = True, times[0], True
            best_el, aos_az = _angles_at(track, stations, o, s, aos)
            best_t = aos

        for a in range(start, end):
            b = a + 1
            bad = math.isnan(g[a]) or math.isnan(g[b])
            # The interval is cut where the azimuth passes a peak of the horizon mask (the object
            # can hide behind it and come back out between the samples): sub-intervals [ta, tb].
            n_cuts = 0
            if masked and not bad:
                n_cuts = _mask_peak_times(track, stations, o, s, times[k[a]], times[k[b]], az[a], az_rate[a],
                                          az[b], peaks, cuts)
            tb, gb = times[k[a]], -1.0 if math.isnan(g[a]) else g[a]
            dgb = dg[a]
            geb, dgeb = (g_el[a], dg_el[a]) if masked else (0.0, 0.0)
            for c in range(n_cuts + 1):
                ta, ga, dga, gea, dgea = tb, gb, dgb, geb, dgeb
                if c < n_cuts:
                    tb = cuts[c]
                    gb, dgb, _, _, _, _ = _g_at(track, stations, o, s, tb, 1)
                    geb, dgeb, _, _, _, _ = _g_at(track, unmasked, o, s, tb, 1)
                else:
                    tb, gb = times[k[b]], -1.0 if math.isnan(g[b]) else g[b]
                    dgb = dg[b]
                    geb, dgeb = (g_el[b], dg_el[b]) if masked else (0.0, 0.0)
                up = ga < 0.0 <= gb
                down = gb < 0.0 <= ga
                peak = dga > 0.0 and dgb <= 0.0 and not bad
                t_max = g_max = math.nan
                dg_max = 0.0
                el_max = -math.inf
                graze = with_max = False
                if peak:
                    t_max, g_max, dg_max, el_max = _refine_max(track, stations, o, s, ta, tb, ga, gb, dga, dgb)
                    graze = ga < 0.0 and gb < 0.0 and g_max >= 0.0
                    with_max = g_max >= 0.0
                opens, closes = up or graze, down or graze
                # Where the interval holds a maximum, root brackets stop at it: g is monotonic inside.
                if opens:
                    if bad:  # a state SGP4 could not give: the window starts at the good sample
                        aos = tb
                        el, aos_az = _angles_at(track, stations, o, s, aos)
                    else:
                        if with_max:
                            aos, sin_el, aos_az = _refine_root(track, stations, o, s, ta, t_max, ga, g_max, dga, dg_max)
                        else:
                            aos, sin_el, aos_az = _refine_root(track, stations, o, s, ta, tb, ga, gb, dga, dgb)
                        # Without a mask AOS is at the threshold, below any maximum inside.
                        el = _elevation(sin_el) if masked else -math.inf
                    if is_open:
                        unbalanced += 1
                    is_open, aos_open, best_el, best_t = True, False, el, aos
                # Only a maximum where the object is visible counts (with a mask, g' may fall through
                # zero past a step of the mask, where the object is already hidden).
                if peak and is_open and with_max and el_max > best_el:
                    best_el, best_t = el_max, t_max
                if closes:
                    if bad:  # the window ends at the good sample
                        los = ta
                        el, los_az = _angles_at(track, stations, o, s, los)
                    else:
                        if with_max:
                            los, sin_el, los_az = _refine_root(track, stations, o, s, t_max, tb, g_max, gb, dg_max, dgb)
                        else:
                            los, sin_el, los_az = _refine_root(track, stations, o, s, ta, tb, ga, gb, dga, dgb)
                        el = _elevation(sin_el) if masked else -math.inf
                    if el > best_el:
                        best_el, best_t = el, los
                if masked and is_open and not bad and dgea > 0.0 and dgeb <= 0.0:
                    t_el, _, _, el = _refine_max(track, unmasked, o, s, ta, tb, gea, geb, dgea, dgeb)
                    if (not opens or t_el >= aos) and (not closes or t_el <= los) and el > best_el:
                        best_el, best_t = el, t_el
                if closes:
                    if not is_open:
                        unbalanced += 1
                    else:
                        count = _emit(w_obj, w_sta, w_time, w_angle, w_open, count, track, stations, o, s,
                                      aos, best_t, los, best_el, aos_az, los_az, aos_open, False)
                    is_open = False

        if is_open:
            if k[end] == last_k and g[end] >= 0.0:  # visible at the block's end
                los = times[last_k]
                el, los_az = _angles_at(track, stations, o, s, los)
                if el > best_el:
                    best_el, best_t = el, los
                count = _emit(w_obj, w_sta, w_time, w_angle, w_open, count, track, stations, o, s,
                              aos, best_t, los, best_el, aos_az, los_az, aos_open, True)
            else:
                unbalanced += 1
        start = end + 1

    columns = (w_obj[:count], w_sta[:count], w_time[:count, 0], w_time[:count, 2], w_time[:count, 1],
               w_angle[:count, 0], w_angle[:count, 1], w_angle[:count, 2], w_open[:count, 0], w_open[:count, 1])
    return columns, unbalanced


@compiled_leaf
def _emit(w_obj, w_sta, w_time, w_angle, w_open, count, track, stations, obj, sta,
          aos, tca, los, max_el, aos_az, los_az, aos_open, los_open):
    """Append one window; returns the new count."""
    if max_el == -math.inf:  # no maximum bracketed inside (only where g is not smooth): the middle
        tca = 0.5 * (aos + los)
        max_el, _ = _angles_at(track, stations, obj, sta, tca)
    if not aos <= tca <= los:  # never expected: the higher end of the window, so TCA stays inside it
        el_aos, _ = _angles_at(track, stations, obj, sta, aos)
        el_los, _ = _angles_at(track, stations, obj, sta, los)
        tca, max_el = (aos, el_aos) if el_aos >= el_los else (los, el_los)
    w_obj[count], w_sta[count] = obj, sta
    w_time[count, 0], w_time[count, 1], w_time[count, 2] = aos, tca, los
    w_angle[count, 0], w_angle[count, 1], w_angle[count, 2] = max_el, aos_az, los_az
    w_open[count, 0], w_open[count, 1] = aos_open, los_open
    return count + 1
