"""The seam between the live service and the planners: build a plan for a window, re-plan after an outage.

``Planner`` is what the service needs. ``PassPlanner`` composes the engine: passes of every
spacecraft over the compatible antennas become tracking requests, which the schedule engine's
planner turns into a conflict-free plan; an outage goes through the schedule engine's re-planner.
"""

from __future__ import annotations

from typing import Protocol

from .model import Block, Plan


class Planner(Protocol):
    def plan(self, start: float, end: float) -> Plan:
        """A conflict-free plan of contacts over [start, end)."""

    def replan(self, plan: Plan, outage: Block, now: float) -> tuple[Plan, dict]:
        """A new plan that keeps unaffected contacts, and the impact per mission."""


def cancel_covered(plan: Plan, outage: Block) -> tuple[Plan, list]:
    """The plan with every contact the outage overlaps marked cancelled (and the cancelled ones)."""
    from dataclasses import replace

    end = float("inf") if outage.end is None else outage.end
    hit = [c for c in plan.contacts if c.antenna_id == outage.antenna_id and not c.cancelled
           and c.setup_start < end and c.teardown_end > outage.start]
    ids = {c.id for c in hit}
    contacts = [replace(c, cancelled=True) if c.id in ids else c for c in plan.contacts]
    return Plan(plan.start, plan.end, contacts, list(plan.blocks), dict(plan.detail)), hit


# ------------------------------------------------------------------------ the demo network's plan

import math  # noqa: E402
from dataclasses import dataclass, replace  # noqa: E402

import numpy as np  # noqa: E402

from ..stations import Antenna  # noqa: E402
from .fleet import Spacecraft  # noqa: E402
from .geometry import FleetGeometry  # noqa: E402
from .model import Contact  # noqa: E402

DEEP_SPACE_DISH_M = 30.0  # antennas at least this large serve deep-space missions; smaller ones Earth orbiters


@dataclass(frozen=True)
class ViewWindow:
    antenna_id: str
    spacecraft_id: str
    aos: float
    los: float
    max_elevation_deg: float
    tca: float
    aos_azimuth_deg: float
    los_azimuth_deg: float


@dataclass(frozen=True)
class ContactRule:
    """How much antenna time a mission asks for: ``duration_s`` in every ``every_s`` window."""

    every_s: float
    duration_s: float
    min_duration_s: float
    setup_s: float
    teardown_s: float
    split_min_s: float | None = None
    max_pieces: int = 1


EARTH_ORBITER_RULE = ContactRule(every_s=0.0, duration_s=480.0, min_duration_s=240.0, setup_s=300.0, teardown_s=120.0)
DEEP_SPACE_RULE = ContactRule(every_s=8 * 3600.0, duration_s=4 * 3600.0, min_duration_s=3600.0, setup_s=1800.0,
                              teardown_s=900.0, split_min_s=3600.0, max_pieces=2)


def compatible(antenna: Antenna, sc: Spacecraft) -> bool:
    """Deep-space craft on the large dishes, Earth orbiters on the others, and the downlink band must fit."""
    deep = not sc.is_earth_orbiter
    big = (antenna.dish_m or 0.0) >= DEEP_SPACE_DISH_M
    if deep != big:
        return False
    band = sc.downlink.band if sc.downlink else None
    if band is None:
        return True
    return band in antenna.bands or (deep and not antenna.bands)


def view_windows(geometry: FleetGeometry, antennas: list[Antenna], start: float, end: float,
                 step_s: float = 30.0, only_compatible: bool = True) -> list[ViewWindow]:
    """Every window in [start, end) where a spacecraft is above an antenna's floor.

    The elevation is sampled every ``step_s`` and each edge interpolated linearly between samples
    (a few seconds for LEO at 30 s); TCA, the peak and the AOS/LOS azimuths are those of the
    nearest samples. A pass shorter than the step can be missed: the plan's
    contacts last minutes, and the engine's pass search is the one that finds every pass.
    """
    times = np.arange(start, end + step_s, step_s)
    times[-1] = min(times[-1], end)
    pos = geometry.itrs_km(times)  # [sc, time, 3]
    out: list[ViewWindow] = []
    for a in antennas:
        idx = [i for i, sc in enumerate(geometry.fleet) if not only_compatible or compatible(a, sc)]
        if not idx:
            continue
        el, az, floor = _elevation(a, pos[idx])
        margin = np.nan_to_num(el, nan=-90.0) - floor
        up = margin >= 0
        for k, si in enumerate(idx):
            edges = np.flatnonzero(np.diff(up[k].astype(np.int8)))
            starts = ([0] if up[k, 0] else []) + [e + 1 for e in edges if not up[k, e]]
            stops = [e for e in edges if up[k, e]] + ([len(times) - 1] if up[k, -1] else [])
            for i0, i1 in zip(starts, stops):
                m = margin[k]
                aos = times[i0] if i0 == 0 else _crossing(times[i0 - 1], times[i0], m[i0 - 1], m[i0])
                los = times[i1] if i1 == len(times) - 1 else _crossing(times[i1], times[i1 + 1], m[i1], m[i1 + 1])
                if los - aos >= 60.0:
                    peak = i0 + int(np.nanargmax(el[k, i0:i1 + 1]))
                    out.append(ViewWindow(a.id, geometry.fleet[si].id, float(aos), float(los), float(el[k, peak]),
                                          float(times[peak]), float(az[k, i0]), float(az[k, i1])))
    return sorted(out, key=lambda w: (w.aos, w.antenna_id))


def _elevation(a: Antenna, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lat, lon = math.radians(a.latitude_deg), math.radians(a.longitude_deg)
    up = np.array([math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)])
    east = np.array([-math.sin(lon), math.cos(lon), 0.0])
    north = np.cross(up, east)
    rel = pos - a.itrs_km
    rng = np.linalg.norm(rel, axis=-1)
    el = np.degrees(np.arcsin(np.clip((rel @ up) / rng, -1, 1)))
    az = np.degrees(np.arctan2(rel @ east, rel @ north)) % 360.0
    return el, az, a.elevation_floor_deg(az)


def _crossing(t0: float, t1: float, m0: float, m1: float) -> float:
    """Where the margin (elevation minus floor) crosses zero between two samples, linearly."""
    if not (math.isfinite(m0) and math.isfinite(m1)) or m0 == m1:
        return 0.5 * (t0 + t1)
    return t0 + (t1 - t0) * m0 / (m0 - m1)


class PassPlanner:
    """The demo plan: view windows → tracking requests → the schedule engine's greedy planner."""

    def __init__(self, antennas: list[Antenna], fleet: list[Spacecraft], geometry: FleetGeometry | None = None):
        self.antennas = list(antennas)
        self.fleet = {s.id: s for s in fleet}
        self.geometry = geometry or FleetGeometry(fleet)

    def _rule(self, sc: Spacecraft) -> ContactRule:
        if sc.is_earth_orbiter:
            return replace(EARTH_ORBITER_RULE, every_s=round(sc.elements.period_min * 60.0))
        return DEEP_SPACE_RULE

    def problem(self, start: float, end: float, blocks=()):
        from ..schedule.model import Block as SBlock, Problem, Request, ViewPeriod

        windows = view_windows(self.geometry, self.antennas, start, end)
        requests = []
        for sc in self.fleet.values():
            rule = self._rule(sc)
            mine = [w for w in windows if w.spacecraft_id == sc.id]
            k0, k1 = math.floor(start / rule.every_s), math.ceil(end / rule.every_s)
            for k in range(k0, k1):
                w0, w1 = max(k * rule.every_s, start), min((k + 1) * rule.every_s, end)
                vps = tuple(ViewPeriod((w.antenna_id,), max(w.aos, w0), min(w.los, w1)) for w in mine
                            if w.los > w0 and w.aos < w1 and min(w.los, w1) - max(w.aos, w0) >= rule.min_duration_s)
                if not vps or w1 - w0 < rule.min_duration_s:
                    continue
                requests.append(Request(
                    id=f"{sc.id}@{int(k * rule.every_s)}", mission=sc.mission or sc.id, duration_s=rule.duration_s,
                    min_duration_s=rule.min_duration_s, view_periods=vps, setup_s=rule.setup_s,
                    teardown_s=rule.teardown_s, window_start=w0, window_end=w1, split_min_s=rule.split_min_s,
                    max_pieces=rule.max_pieces, priority=1))
        sblocks = tuple(SBlock(b.antenna_id, b.start, end if b.end is None else b.end, b.kind, b.reason) for b in blocks)
        return Problem(f"demo {start:.0f}-{end:.0f}", start, end, tuple(requests), sblocks)

    def _contacts(self, problem, tracks) -> list[Contact]:
        by_id = problem.requests_by_id
        out = []
        for tr in tracks:
            sid = tr.request_id.split("@")[0]
            sc = self.fleet[sid]
            for antenna in tr.resource:
                out.append(Contact(id=f"{tr.request_id}/{antenna}/{int(tr.trx_on)}", antenna_id=antenna,
                                   spacecraft_id=sid, spacecraft_name=sc.name, setup_start=tr.setup_start,
                                   start=tr.trx_on, end=tr.trx_off, teardown_end=tr.teardown_end,
                                   mission=by_id[tr.request_id].mission, request_id=tr.request_id))
        return out

    @staticmethod
    def _request_rows(problem) -> list[dict]:
        return [{"id": r.id, "mission": r.mission, "spacecraft_id": r.id.split("@")[0], "duration_s": r.duration_s,
                 "min_duration_s": r.min_duration_s, "window_start": r.window_start, "window_end": r.window_end,
                 "priority": r.priority, "detail": {"view_periods": len(r.view_periods), "setup_s": r.setup_s,
                                                    "teardown_s": r.teardown_s}} for r in problem.requests]

    def plan(self, start: float, end: float) -> Plan:
        from ..errors import InvalidPlanError
        from ..schedule.greedy import greedy_plan
        from ..schedule.metrics import compute_metrics
        from ..schedule.validate import validate

        problem = self.problem(start, end)
        splan = greedy_plan(problem)
        violations = validate(problem, splan)
        if violations:
            raise InvalidPlanError(violations)
        m = compute_metrics(problem, splan)
        detail = {"solver": splan.detail.get("solver"), "requests": self._request_rows(problem),
                  "metrics": {k: v for k, v in vars(m).items() if isinstance(v, (int, float))}}
        return Plan(start, end, self._contacts(problem, splan.tracks), [], detail)

    def replan(self, plan: Plan, outage: Block, now: float) -> tuple[Plan, dict]:
        """Cancel what the outage hits, keep every other contact, and place the hit requests again."""
        from ..schedule.greedy import greedy_plan
        from ..schedule.model import Track

        cut, hit = cancel_covered(plan, outage)
        start = max(now, plan.start)
        problem = self.problem(start, plan.end, blocks=[outage])
        ids = set(problem.requests_by_id)
        fixed = [Track(c.request_id, (c.antenna_id,), c.start, c.end, c.setup_start, c.teardown_end)
                 for c in cut.contacts if not c.cancelled and c.request_id in ids and c.setup_start >= start]
        # Requests not hit keep exactly what they have; only the hit ones are placed again.
        hit_requests = {c.request_id for c in hit}
        kept_requests = {t.request_id for t in fixed}
        problem = replace(problem, requests=tuple(r for r in problem.requests
                                                  if r.id in hit_requests or r.id in kept_requests))
        splan = greedy_plan(problem, fixed=fixed)
        new = [c for c in self._contacts(problem, splan.tracks) if c.request_id in hit_requests]
        recovered = {c.request_id for c in new}
        lost_s: dict[str, float] = {}
        for c in hit:
            lost_s[c.mission] = lost_s.get(c.mission, 0.0) + (c.end - c.start)
        for c in new:
            lost_s[c.mission] = lost_s.get(c.mission, 0.0) - (c.end - c.start)
        impact = {
            "cancelled": [c.id for c in hit], "added": [c.id for c in new],
            "missions": {m: {"hours_lost": round(max(s, 0.0) / 3600.0, 3),
                             "requests_dropped": sorted({c.request_id for c in hit if c.mission == m} - recovered)}
                         for m, s in lost_s.items()},
        }
        return Plan(cut.start, cut.end, cut.contacts + new, cut.blocks, cut.detail), impact
