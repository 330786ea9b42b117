"""Who catches the first signal after switch-on, when, where to point, and how dispersions move it.

Method (docs/leop.md): the state at separation is propagated (Earth with J2, Sun, Moon) for the nominal
case and every dispersed sample at once; each antenna's elevation margin above its horizon
(minimum elevation or mask) is sampled on a grid from switch-on, and the crossings and grazing
maxima are refined by the event finder every pass search shares: the samples are a position
provider (``SampleBundle``) of the one pass search, ``groundnet.visibility.core.find_windows``
(its launch-sample strategy, ``groundnet.visibility.bundle``), which returns the one pass table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..orbits import numerical
from ..stations import Antenna, load_network
from ..timebase import format_utc, parse_utc, to_unix
from ..visibility.bundle import BundleGeometry
from ..visibility.core import find_windows, with_min_elevation
from ..visibility.passes import PassTable
from ..visibility.geometry import doppler_shift_hz
from . import orbit
from .geometry import gcrs_to_itrs
from .injection import separation_state
from .scenario import Dispersions, Scenario

DEFAULT_ESCAPE_HOURS = 12.0
# Earth point mass and J2 about the true pole, Sun and Moon from DE421 (groundnet.orbits.numerical).
FORCE_MODEL = numerical.FULL


@dataclass
class Track:
    """A propagated bundle of samples: sample 0 is the nominal case."""

    sep_unix: np.ndarray  # [N] separation time of each sample (timing dispersion)
    switch_on_unix: np.ndarray  # [N]
    grid_s: np.ndarray  # [G] offsets from each sample's separation
    pos: np.ndarray  # [N, G, 3] GCRS km
    vel: np.ndarray  # [N, G, 3] km/s
    antennas: list[Antenna]
    period_s: float

    def __post_init__(self):
        self.geometry = BundleGeometry(self, self.antennas)

    def states(self, sample_idx, t_unix):
        """GCRS states of samples ``sample_idx`` at absolute times (pairs, broadcast).

        Cubic Hermite between the two grid points around each time; unlike
        ``orbits.interpolation.hermite`` (one table) each query picks its own sample's table."""
        s = np.broadcast_to(np.asarray(sample_idx), np.shape(t_unix))
        rel = np.asarray(t_unix, dtype=np.float64) - self.sep_unix[s]
        g = self.grid_s
        idx = np.clip(np.searchsorted(g, rel, side="right") - 1, 0, len(g) - 2)
        h = g[idx + 1] - g[idx]
        u = ((rel - g[idx]) / h)[..., None]
        p0, p1, v0, v1 = self.pos[s, idx], self.pos[s, idx + 1], self.vel[s, idx], self.vel[s, idx + 1]
        hh = h[..., None]
        u2, u3 = u * u, u * u * u
        p = (2 * u3 - 3 * u2 + 1) * p0 + (u3 - 2 * u2 + u) * hh * v0 + (-2 * u3 + 3 * u2) * p1 + (u3 - u2) * hh * v1
        v = ((6 * u2 - 6 * u) * p0 + (-6 * u2 + 6 * u) * p1) / hh + (3 * u2 - 4 * u + 1) * v0 + (3 * u2 - 2 * u) * v1
        bad = (rel < g[0] - 1e-6) | (rel > g[-1] + 1e-6)
        p[bad] = np.nan
        v[bad] = np.nan
        return p, v

    def itrs_states(self, samples, t):
        """Earth-fixed states of ``samples`` (broadcast against the times ``t``, the last axis)."""
        t = np.asarray(t, dtype=np.float64)
        shape = np.broadcast_shapes(np.shape(samples), t.shape)
        p, v = self.states(np.broadcast_to(samples, shape), np.broadcast_to(t, shape))
        return gcrs_to_itrs(t, p, v)

    def look(self, station_idx, sample_idx, t_unix) -> dict[str, np.ndarray]:
        """Look angles, range, range rate and margin above the floor for (station, sample, time)
        triples given as equal-shape 1-D arrays: the launch-sample search's own geometry."""
        return self.geometry.look(station_idx, sample_idx, t_unix)


def _dispersion_draws(d: Dispersions) -> dict[str, np.ndarray]:
    """Sample deviations (sample 0 = nominal = zeros). Monte Carlo: Gaussian with ``seed``;
    grid: the nominal, then -k and +k sigma on each parameter in turn (one at a time)."""
    keys = ("timing_sigma_s", "switch_on_sigma_s", "semi_major_axis_sigma_km", "velocity_sigma_m_s", "inclination_sigma_deg")
    sig = np.array([getattr(d, k) for k in keys])
    if not d.active:
        draws = np.zeros((1, len(keys)))
    elif d.method == "grid":
        rows = [np.zeros(len(keys))]
        for j, s in enumerate(sig):
            if s > 0:
                for sign in (-1.0, 1.0):
                    r = np.zeros(len(keys))
                    r[j] = sign * d.grid_sigma * s
                    rows.append(r)
        draws = np.array(rows)
    else:
        rng = np.random.default_rng(d.seed)
        draws = np.vstack([np.zeros(len(keys)), rng.standard_normal((d.samples, len(keys))) * sig])
    return {k.replace("_sigma", ""): draws[:, j] for j, k in enumerate(keys)}


def _perturb(pos, vel, draws):
    """Apply semi-major-axis, speed and plane errors to the separation state, one row per sample."""
    n = len(draws["timing_s"])
    p = np.repeat(pos[None, :], n, axis=0)
    v = np.repeat(vel[None, :], n, axis=0)
    speed = np.linalg.norm(vel)
    r = np.linalg.norm(pos)
    a = 1.0 / (2.0 / r - speed * speed / orbit.MU_EARTH_KM3_S2)
    # vis-viva at fixed radius: 2 v dv = mu da / a^2
    dv = orbit.MU_EARTH_KM3_S2 * draws["semi_major_axis_km"] / (2.0 * speed * a * a) + draws["velocity_m_s"] / 1000.0
    v = v * ((speed + dv) / speed)[:, None]
    # a plane error: turn the velocity about the radius vector by the inclination error
    k = pos / r
    ang = np.radians(draws["inclination_deg"])[:, None]
    v = v * np.cos(ang) + np.cross(k, v) * np.sin(ang) + k * (v @ k)[:, None] * (1 - np.cos(ang))
    return p, v


def _period_s(pos, vel) -> float:
    a = 1.0 / (2.0 / np.linalg.norm(pos) - float(vel @ vel) / orbit.MU_EARTH_KM3_S2)
    return orbit.period_s(a)


def analysis_horizon_s(sc: Scenario, pos, vel) -> float:
    """How long after switch-on coverage is analysed: the scenario's hours, or its orbits (2 by
    default) of the separation orbit, or 12 h for an escape."""
    if sc.coverage_hours is not None:
        return sc.coverage_hours * 3600.0
    period = _period_s(pos, vel)
    if math.isfinite(period):
        return (sc.coverage_orbits or 2.0) * period
    return DEFAULT_ESCAPE_HOURS * 3600.0


def propagate_samples(sc: Scenario, launch_unix: float, antennas: list[Antenna]) -> tuple[Track, dict, dict]:
    """The nominal and every dispersed sample from separation over the analysis span: (track, draws, info)."""
    pos, vel, info = separation_state(sc, launch_unix)
    r = np.linalg.norm(pos)
    period = _period_s(pos, vel)
    horizon = analysis_horizon_s(sc, pos, vel)
    draws = _dispersion_draws(sc.dispersions)
    p0, v0 = _perturb(pos, vel, draws)
    # Interpolation grid: a thousandth of the circular period at the separation radius, 2..60 s
    # (cubic Hermite between grid points then stays within metres).
    step = float(np.clip(2 * math.pi * math.sqrt(r**3 / orbit.MU_EARTH_KM3_S2) / 1000.0, 2.0, 60.0))
    # every sample's window ends at its switch-on + horizon (+ pointing after a late AOS)
    span = sc.switch_on_delay_s + float(np.max(np.abs(draws["switch_on_s"]))) + horizon + sc.pointing_after_s + 60.0
    grid = np.arange(0.0, span + step, step)
    epoch = launch_unix + sc.separation_offset_s
    P, V = numerical.propagate(np.hstack([p0, v0]), epoch, epoch + grid, force_model=FORCE_MODEL)
    P, V = P.transpose(0, 2, 1), V.transpose(0, 2, 1)
    sep = launch_unix + sc.separation_offset_s + draws["timing_s"]
    switch_on = sep + sc.switch_on_delay_s + draws["switch_on_s"]
    track = Track(sep, switch_on, grid, P, V, antennas, period)
    info = {**info, "period_s": period if math.isfinite(period) else None, "horizon_s": horizon,
            "force_model": FORCE_MODEL.name, "interpolation_step_s": step,
            "separation_position_km": pos.tolist(), "separation_velocity_km_s": vel.tolist()}
    return track, draws, info


@dataclass
class SampleBundle:
    """A propagated track as the one pass search takes it (``visibility.bundle``): the samples are
    its objects (sample 0 the nominal), each with its span from its switch-on for ``horizon_s``."""

    track: Track
    horizon_s: float

    @property
    def object_ids(self) -> list[int]:
        return list(range(len(self.track.sep_unix)))

    @property
    def object_names(self) -> list[str]:
        return ["nominal"] + [f"sample {m}" for m in range(1, len(self.track.sep_unix))]

    @property
    def spans_unix(self) -> np.ndarray:
        on = self.track.switch_on_unix
        return np.stack([on, on + self.horizon_s], axis=1)

    def itrs_states(self, samples, t):
        return self.track.itrs_states(samples, t)


def find_passes(track: Track, horizon_s: float, step_s: float) -> PassTable:
    """Every visibility window in [switch-on, switch-on + horizon] of each sample, for every station:
    the one pass search (``visibility.core.find_windows``, launch-sample strategy) on a grid of
    ``step_s``. The one pass table: ``obj`` is the sample (0: nominal), ``sta`` the index into
    ``track.antennas``; ``aos_clipped``: in view at switch-on; ``los_clipped``: still in view at the
    end of the horizon (no LOS, see ``los_or_none``)."""
    bundle = SampleBundle(track, horizon_s)
    spans = bundle.spans_unix
    return find_windows(bundle, track.antennas, float(spans[:, 0].min()), float(spans[:, 1].max()), step_s=step_s)


def los_or_none(passes: PassTable, i: int) -> float | None:
    """The LOS of pass ``i``; None when the pass is still under way at the end of the horizon."""
    return None if passes.los_clipped[i] else float(passes.los[i])


# ---------------------------------------------------------------------------------------------

@dataclass
class LaunchResult:
    launch_unix: float
    info: dict
    acquisitions: list[dict]
    coverage: dict
    dispersion: dict | None
    timeline: list[dict]
    pointing: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)  # station id -> 1 s geometry
    track: Track | None = None

    def as_dict(self) -> dict:
        return {
            "launch": format_utc(self.launch_unix),
            "separation": format_utc(self.launch_unix + self.info["separation_offset_s"]),
            "switch_on": format_utc(self.info["switch_on_unix"]),
            "injection": {k: v for k, v in self.info.items() if k not in ("switch_on_unix",)},
            "first_station": self.acquisitions[0]["station_id"] if self.acquisitions else None,
            "acquisitions": self.acquisitions,
            "coverage": self.coverage,
            "dispersion": self.dispersion,
            "timeline": self.timeline,
        }


def _row(track: Track, passes: PassTable, i: int, launch_unix: float, downlink_hz: float) -> dict:
    station, sample, aos, los = int(passes.sta[i]), int(passes.obj[i]), float(passes.aos[i]), los_or_none(passes, i)
    look = track.look(np.array([station]), np.array([sample]), np.array([aos]))
    ant = track.antennas[station]
    rr = float(look["range_rate_km_s"][0])
    return {
        "station_id": ant.id,
        "station_name": ant.name,
        "aos": format_utc(aos),
        "aos_from_liftoff_s": round(aos - launch_unix, 3),
        "aos_from_switch_on_s": round(aos - float(track.switch_on_unix[sample]), 3),
        "in_view_at_switch_on": bool(passes.aos_clipped[i]),
        "azimuth_deg": round(float(look["azimuth_deg"][0]), 3),
        "elevation_deg": round(float(look["elevation_deg"][0]), 3),
        "range_km": round(float(look["range_km"][0]), 3),
        "range_rate_km_s": round(rr, 6),
        "doppler_hz": round(float(doppler_shift_hz(rr, downlink_hz)), 1),
        "los": None if los is None else format_utc(los),
        "pass_duration_s": None if los is None else round(los - aos, 3),
        "los_after_horizon": los is None,
    }


def _coverage(passes: PassTable, track: Track, start: float, end: float) -> dict:
    """Coverage of the nominal case's passes (given by AOS, then station)."""
    intervals = sorted(zip(passes.aos.tolist(), np.where(passes.los_clipped, end, passes.los).tolist()))
    merged: list[list[float]] = []
    for a, b in intervals:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    gaps, cursor = [], start
    for a, b in merged:
        if a > cursor:
            gaps.append((cursor, a))
        cursor = max(cursor, b)
    if cursor < end:
        gaps.append((cursor, end))
    covered = sum(b - a for a, b in merged)
    return {
        "start": format_utc(start),
        "end": format_utc(end),
        "orbits": None if not math.isfinite(track.period_s) else round((end - start) / track.period_s, 3),
        "covered_fraction": round(covered / (end - start), 4) if end > start else 0.0,
        "passes": [
            {"station_id": track.antennas[int(passes.sta[i])].id, "aos": format_utc(passes.aos[i]),
             "los": None if passes.los_clipped[i] else format_utc(passes.los[i]),
             "duration_s": round(float((end if passes.los_clipped[i] else passes.los[i]) - passes.aos[i]), 3)}
            for i in range(len(passes))
        ],
        "gaps": [{"start": format_utc(a), "end": format_utc(b), "duration_s": round(b - a, 3)} for a, b in gaps],
        "longest_gap_s": round(max((b - a for a, b in gaps), default=0.0), 3),
    }


def _dispersion_summary(passes: PassTable, track: Track, draws: dict, d: Dispersions, launch_unix: float) -> dict:
    n = len(track.sep_unix)
    first: dict[int, tuple[float, int]] = {}  # sample -> (AOS, station) of its first pass
    per_station: dict[int, dict[int, float]] = {}
    for station, sample, aos in zip(passes.sta.tolist(), passes.obj.tolist(), passes.aos.tolist()):
        if sample not in first or aos < first[sample][0]:
            first[sample] = (aos, station)
        per_station.setdefault(station, {}).setdefault(sample, aos)
    dispersed = [m for m in range(1, n)]
    def stats(values: list[float]) -> dict:
        if not values:
            return {"earliest": None, "latest": None}
        v = np.array(values)
        return {"earliest": format_utc(v.min()), "latest": format_utc(v.max()),
                "earliest_from_liftoff_s": round(float(v.min() - launch_unix), 3),
                "latest_from_liftoff_s": round(float(v.max() - launch_unix), 3),
                "median_from_liftoff_s": round(float(np.median(v) - launch_unix), 3),
                "spread_s": round(float(v.max() - v.min()), 3)}
    first_aos = [first[m][0] for m in dispersed if m in first]
    counts: dict[str, int] = {}
    for m in dispersed:
        if m in first:
            sid = track.antennas[first[m][1]].id
            counts[sid] = counts.get(sid, 0) + 1
    stations = []
    for s, by_sample in sorted(per_station.items()):
        vals = [by_sample[m] for m in dispersed if m in by_sample]
        stations.append({"station_id": track.antennas[s].id, "samples_acquired": len(vals), **stats(vals)})
    stations.sort(key=lambda r: r.get("earliest_from_liftoff_s") or math.inf)
    return {
        "method": d.method,
        "samples": len(dispersed),
        "seed": d.seed if d.method == "monte_carlo" else None,
        "grid_sigma": d.grid_sigma if d.method == "grid" else None,
        "sigmas": {k: getattr(d, k) for k in ("timing_sigma_s", "switch_on_sigma_s", "semi_major_axis_sigma_km",
                                                "velocity_sigma_m_s", "inclination_sigma_deg")},
        "samples_without_acquisition": len(dispersed) - len(first_aos),
        "first_aos": stats(first_aos),
        "first_station_share": {k: round(v / len(dispersed), 4) for k, v in sorted(counts.items(), key=lambda kv: -kv[1])},
        "per_station": stations,
    }


def _pointing(track: Track, station: int, aos: float, sc: Scenario) -> dict[str, np.ndarray]:
    """Nominal geometry every second from AOS - pointing_before_s (not before separation) to AOS + pointing_after_s."""
    start = max(aos - sc.pointing_before_s, float(track.sep_unix[0]))
    t = np.arange(math.ceil(start), math.floor(aos + sc.pointing_after_s) + 1, 1.0)
    look = track.look(np.full(t.shape, station), np.zeros(t.shape, dtype=int), t)
    return {"time_unix": t, **look, "doppler_hz": doppler_shift_hz(look["range_rate_km_s"], sc.downlink_hz)}


_EVENT_ORDER = ["liftoff", "separation", "transmitter_on", "first_signal_expected", "los", "gap_start", "gap_end",
                "first_aos", "aos", "analysis_end"]


def _timeline(launch_unix: float, track: Track, nominal: PassTable, end: float, first_rows: list[dict],
              gaps: list[dict]) -> list[dict]:
    ev = [
        {"time": format_utc(launch_unix), "event": "liftoff"},
        {"time": format_utc(track.sep_unix[0]), "event": "separation"},
        {"time": format_utc(track.switch_on_unix[0]), "event": "transmitter_on"},
    ]
    first_ids = set()
    for i in range(len(nominal)):
        station, aos, los = int(nominal.sta[i]), float(nominal.aos[i]), los_or_none(nominal, i)
        sid = track.antennas[station].id
        kind = "first_aos" if sid not in first_ids else "aos"
        first_ids.add(sid)
        look = track.look(np.array([station]), np.array([0]), np.array([aos]))
        ev.append({"time": format_utc(aos), "event": kind, "station_id": sid,
                   "azimuth_deg": round(float(look["azimuth_deg"][0]), 2),
                   "elevation_deg": round(float(look["elevation_deg"][0]), 2),
                   "range_km": round(float(look["range_km"][0]), 1)})
        if los is not None:
            ev.append({"time": format_utc(los), "event": "los", "station_id": sid})
    if first_rows:
        ev.append({"time": first_rows[0]["aos"], "event": "first_signal_expected", "station_id": first_rows[0]["station_id"]})
    for g in gaps:  # no station in view
        ev += [{"time": g["start"], "event": "gap_start", "duration_s": g["duration_s"]}, {"time": g["end"], "event": "gap_end"}]
    ev.append({"time": format_utc(end), "event": "analysis_end"})
    for e in ev:
        e["from_liftoff_s"] = round(to_unix(parse_utc(e["time"])) - launch_unix, 3)
    ev.sort(key=lambda e: (e["from_liftoff_s"], _EVENT_ORDER.index(e["event"])))
    return ev


def analyse_launch(sc: Scenario, launch_unix: float, antennas: list[Antenna], *, with_pointing: bool = True) -> LaunchResult:
    """The acquisition table, coverage, dispersion summary, timeline and pointing for one lift-off time."""
    track, draws, info = propagate_samples(sc, launch_unix, antennas)
    horizon = info["horizon_s"]
    passes = find_passes(track, horizon, sc.search_step_s)
    # LEOP reads them by sample, then AOS, then the scenario's station order (which breaks ties
    # between stations in view at switch-on)
    passes = passes.take(np.lexsort((passes.sta, passes.aos, passes.obj)))
    nominal = passes.take(np.flatnonzero(passes.obj == 0))
    firsts: dict[int, int] = {}  # station -> its first nominal pass
    for i, station in enumerate(nominal.sta.tolist()):
        firsts.setdefault(station, i)
    # ties (several stations in view at switch-on) keep the order of the scenario's station list
    rows = sorted((_row(track, nominal, i, launch_unix, sc.downlink_hz) for i in firsts.values()),
                  key=lambda r: r["aos_from_liftoff_s"])
    start = float(track.switch_on_unix[0])
    end = start + horizon
    coverage = _coverage(nominal, track, start, end)
    dispersion = _dispersion_summary(passes, track, draws, sc.dispersions, launch_unix) if len(track.sep_unix) > 1 else None
    info = {**info, "separation_offset_s": sc.separation_offset_s, "switch_on_delay_s": sc.switch_on_delay_s,
            "switch_on_unix": start}
    result = LaunchResult(launch_unix, info, rows, coverage, dispersion,
                          _timeline(launch_unix, track, nominal, end, rows, coverage["gaps"]), track=track)
    if with_pointing:
        for station, i in firsts.items():
            result.pointing[track.antennas[station].id] = _pointing(track, station, float(nominal.aos[i]), sc)
    return result


def scenario_antennas(sc: Scenario) -> list[Antenna]:
    """The scenario's antennas, each with its own floor, or the scenario's ``min_elevation_deg`` for
    all (``visibility.core.with_min_elevation``: the threshold every pass search applies)."""
    network = load_network(sc.station_file)
    return with_min_elevation(network.select(list(sc.station_ids) if sc.station_ids else None), sc.min_elevation_deg)


def run_scenario(sc: Scenario, *, with_pointing: bool = True) -> list[LaunchResult]:
    """Analyse every launch time of the scenario (one, or each step of the launch window)."""
    antennas = scenario_antennas(sc)
    return [analyse_launch(sc, t, antennas, with_pointing=with_pointing) for t in sc.launch_times_unix]
