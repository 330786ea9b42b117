"""The launch-sample strategy of ``find_windows``: every window of a bundle of samples (LEOP).

A bundle is a position provider for many samples of one launch (the nominal case and each
dispersed one), each with its own span (from its transmitter's switch-on to the end of its
analysis). It has

* ``object_ids``, ``object_names``: one per sample (the nominal is sample 0);
* ``spans_unix``: ``(samples, 2)``, the time each sample's windows may begin and must end;
* ``itrs_states(samples, t)``: Earth-fixed positions (km) and velocities (km/s, relative to the
  rotating Earth), shape ``(..., time, 3)`` for sample indices ``samples`` broadcast against the
  times ``t`` (1-D, the last axis); NaN where the sample has no state.

The search: each antenna's margin above the usable elevation (``core.with_min_elevation``) is
sampled on a grid every ``step_s`` over all samples at once; cells where it changes sign, and local
maxima just below zero (a short pass may peak between two samples), are refined by the event
finder every strategy shares (``visibility.events``: regula falsi to a tenth of a millisecond,
peaks by Newton steps). A window is clipped at its sample's span: under way at the start
(``aos_clipped``: in view at switch-on) or still open at the end (``los_clipped``).
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from ..stations import Antenna
from .events import crossings, peaks
from .geometry import StationFrames, look_angles

DEFAULT_STEP_S = 30.0
CROSSING_TOLERANCE_S = 1e-4
PEAK_TOLERANCE_S = 1e-3
GRID_CELLS_PER_CHUNK = 4_000_000  # station x sample x time values held at once (a few hundred MB)


def is_sample_bundle(provider) -> bool:
    return all(hasattr(provider, name) for name in ("itrs_states", "spans_unix", "object_ids", "object_names"))


def graze_window_deg(step_s: float) -> float:
    """How far below the floor a sampled local maximum may be and still hide a pass.

    Near a grazing maximum the margin changes slowly, so the sampled value is close to the true
    peak; 2 deg, or 0.2 deg per second of grid step, is generous for launch orbits (a LEO day
    searched on a 60 s grid gives the 13 s passes a 2 s grid gives)."""
    return max(2.0, 0.2 * step_s)


class BundleGeometry:
    """Look angles and the margin above the floor for (station, sample, time) triples of a bundle
    (anything with ``itrs_states``): the one implementation the launch-sample search and launch
    support's reports (``leop.Track.look``) share. ``antennas`` as the search sees them
    (``core.with_min_elevation``)."""

    KEYS = ("azimuth_deg", "elevation_deg", "range_km", "range_rate_km_s", "margin_deg")

    def __init__(self, bundle, antennas: Sequence[Antenna]):
        self.bundle, self.antennas = bundle, list(antennas)
        self.all_frames = StationFrames.of(self.antennas)
        self.frames = [StationFrames.of([a]) for a in self.antennas]

    def grid(self, samples: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Margin ``[station, sample, time]`` of samples over the times ``t``."""
        p, _ = self.bundle.itrs_states(samples[:, None], t)
        look = look_angles(self.all_frames, p)
        return np.stack([look.elevation_deg[s] - a.elevation_floor_deg(look.azimuth_deg[s])
                         for s, a in enumerate(self.antennas)])

    def look(self, station, sample, t) -> dict[str, np.ndarray]:
        """Azimuth, elevation, range, range rate and margin (``KEYS``) for equal-length arrays of
        stations, samples and times (NaN where the sample has no state)."""
        t = np.atleast_1d(np.asarray(t, dtype=np.float64))
        station = np.broadcast_to(np.asarray(station), t.shape)
        p, v = self.bundle.itrs_states(np.broadcast_to(np.asarray(sample), t.shape), t)
        out = {k: np.full(t.shape, np.nan) for k in self.KEYS}
        for s in np.unique(station).tolist():
            sel = station == s
            la = look_angles(self.frames[s], p[sel], v[sel])
            for k in self.KEYS[:-1]:
                out[k][sel] = getattr(la, k)[0]
            out["margin_deg"][sel] = la.elevation_deg[0] - self.antennas[s].elevation_floor_deg(la.azimuth_deg[0])
        return out

    def of_pairs(self, station: np.ndarray, sample: np.ndarray, key: str = "margin_deg"):
        """``f(index, t)`` of (station, sample) pairs, as the event finder takes it."""
        return lambda index, t: self.look(station[index], sample[index], t)[key]


def _candidates(m: BundleGeometry, samples: np.ndarray, t: np.ndarray, spans: np.ndarray, step_s: float):
    """Cells of the grid where a rise, a set or a grazing maximum lies, for some samples:
    three tuples of (station, sample, cell start, cell end) arrays."""
    margin = m.grid(samples, t)
    on, off = spans[samples, 0][None, :, None], spans[samples, 1][None, :, None]
    cell_ok = (t[None, None, 1:] > on) & (t[None, None, :-1] < off)  # the cell overlaps the sample's span
    above = margin >= 0
    rise = np.nonzero(~above[..., :-1] & above[..., 1:] & cell_ok)
    fall = np.nonzero(above[..., :-1] & ~above[..., 1:] & cell_ok)
    mid = margin[..., 1:-1]
    graze = np.nonzero((mid >= margin[..., :-2]) & (mid >= margin[..., 2:]) & (mid < 0)
                       & (mid > -graze_window_deg(step_s)) & cell_ok[..., 1:])
    return [(st, samples[sm], t[k], t[k + width]) for (st, sm, k), width in ((rise, 1), (fall, 1), (graze, 2))]


def bundle_pass_table(bundle, antennas: Sequence[Antenna], start_unix: float, end_unix: float, *,
                      min_elevation_deg: float | None = None, step_s: float | None = None):
    """Every window of every sample of ``bundle`` over the antennas, inside each sample's span and
    [start, end], as the one ``PassTable`` (objects: the samples; canonical order)."""
    from .core import with_min_elevation
    from .passes import PassLabels, PassTable

    antennas = with_min_elevation(antennas, min_elevation_deg)
    step = float(step_s or DEFAULT_STEP_S)
    labels = PassLabels(list(bundle.object_ids), list(bundle.object_names), [a.id for a in antennas])
    spans = np.array(bundle.spans_unix, dtype=np.float64).reshape(-1, 2).copy()
    spans[:, 0], spans[:, 1] = np.maximum(spans[:, 0], start_unix), np.minimum(spans[:, 1], end_unix)
    n_st, n_smp = len(antennas), spans.shape[0]
    live = np.flatnonzero(spans[:, 1] > spans[:, 0])
    if not n_st or not live.size:
        return PassTable.empty(labels)
    m = BundleGeometry(bundle, antennas)
    t = np.arange(spans[live, 0].min(), spans[live, 1].max() + step, step)
    chunk = max(1, GRID_CELLS_PER_CHUNK // (n_st * len(t)))
    found = [_candidates(m, live[a:a + chunk], t, spans, step) for a in range(0, live.size, chunk)]
    (rs, rm, r0, r1), (fs, fm, f0, f1), (gs, gm, g0, g1) = (
        tuple(np.concatenate([f[kind][i] for f in found]) for i in range(4)) for kind in range(3))
    rise_t = crossings(m.of_pairs(rs, rm), r0, r1, np.ones(len(rs), bool), tol_s=CROSSING_TOLERANCE_S) \
        if len(rs) else np.zeros(0)
    fall_t = crossings(m.of_pairs(fs, fm), f0, f1, np.zeros(len(fs), bool), tol_s=CROSSING_TOLERANCE_S) \
        if len(fs) else np.zeros(0)
    if len(gs):  # grazing maxima: a short window around each peak that clears the floor
        top = peaks(m.of_pairs(gs, gm), g0, g1, h=1.0, tol_s=PEAK_TOLERANCE_S)
        hit = m.look(gs, gm, top)["margin_deg"] >= 0
        gs, gm, top = gs[hit], gm[hit], top[hit]
        if len(gs):
            rise_t = np.concatenate([rise_t, crossings(m.of_pairs(gs, gm), top - step, top, np.ones(len(gs), bool),
                                                       tol_s=CROSSING_TOLERANCE_S)])
            fall_t = np.concatenate([fall_t, crossings(m.of_pairs(gs, gm), top, top + step, np.zeros(len(gs), bool),
                                                       tol_s=CROSSING_TOLERANCE_S)])
            rs, rm = np.concatenate([rs, gs]), np.concatenate([rm, gm])
            fs, fm = np.concatenate([fs, gs]), np.concatenate([fm, gm])
    # In view at the start of its span (switch-on): a window clipped there.
    st_all, sm_all = np.repeat(np.arange(n_st), live.size), np.tile(live, n_st)
    at_on = m.look(st_all, sm_all, spans[sm_all, 0])["margin_deg"] >= 0
    windows = _windows(spans, st_all[at_on], sm_all[at_on], rs, rm, rise_t, fs, fm, fall_t)
    if not windows[0].size:
        return PassTable.empty(labels)
    sta, obj, aos, los, aos_clipped, los_clipped = windows
    tca = peaks(m.of_pairs(sta, obj, "elevation_deg"), aos, los, h=1.0, tol_s=PEAK_TOLERANCE_S)
    at = m.look(np.concatenate([sta, sta, sta]), np.concatenate([obj, obj, obj]), np.concatenate([aos, tca, los]))
    n = aos.size
    return PassTable(labels, obj, sta, aos, tca, los, at["elevation_deg"][n:2 * n], at["azimuth_deg"][:n],
                     at["azimuth_deg"][2 * n:], aos_clipped, los_clipped).sort()


def _windows(spans, on_st, on_sm, rs, rm, rise_t, fs, fm, fall_t):
    """Windows from the crossings of each (station, sample): each starts at a rise inside the span
    (or at the span's start, in view there) and ends at the first set before the next start (or
    at the span's end, still in view)."""
    rises: dict[tuple[int, int], list[float]] = {}
    sets: dict[tuple[int, int], list[float]] = {}
    for into, st, sm, x in ((rises, rs, rm, rise_t), (sets, fs, fm, fall_t)):
        keep = (x > spans[sm, 0]) & (x <= spans[sm, 1])
        for s, k, v in zip(st[keep].tolist(), sm[keep].tolist(), x[keep].tolist()):
            into.setdefault((s, k), []).append(v)
    in_view = set(zip(on_st.tolist(), on_sm.tolist()))
    rows = []
    for key in sorted(set(rises) | in_view):
        on, off = spans[key[1]]
        starts = ([float(on)] if key in in_view else []) + sorted(rises.get(key, []))
        ends = sorted(sets.get(key, []))
        for i, a in enumerate(starts):
            nxt = starts[i + 1] if i + 1 < len(starts) else math.inf
            b = next((x for x in ends if a < x <= nxt), None)
            rows.append((key[0], key[1], a, float(off) if b is None else b, key in in_view and i == 0, b is None))
    if not rows:
        return (np.zeros(0),)
    cols = list(zip(*rows))
    return (np.array(cols[0], np.int64), np.array(cols[1], np.int64), np.array(cols[2]), np.array(cols[3]),
            np.array(cols[4], bool), np.array(cols[5], bool))
