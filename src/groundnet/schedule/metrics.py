"""The published SatNet metrics of a plan, and per-mission and per-antenna detail.

- scheduled hours T_S: the sum over requests of the transmission time given, each request capped
  at its requested duration;
- satisfied requests: those given at least their minimum duration;
- per mission U_m = (requested - scheduled) / requested, in hours summed over its requests;
- U_rms = sqrt(mean over missions of U_m^2), U_max = max over missions of U_m;
- per antenna: hours occupied (setup + transmission + teardown), hours transmitting, and the
  occupied share of the horizon.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .model import Plan, Problem

# Transmission times are whole seconds in every plan we make; this absorbs float noise from others.
TOLERANCE_S = 1e-6


@dataclass
class Metrics:
    hours: float
    satisfied: int
    requests: int
    u_rms: float
    u_max: float
    missions: dict[str, dict] = field(default_factory=dict)
    antennas: dict[str, dict] = field(default_factory=dict)
    request_scheduled_s: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict:
        return {
            "scheduled_hours": round(self.hours, 2),
            "satisfied_requests": self.satisfied,
            "requests": self.requests,
            "u_rms": round(self.u_rms, 4),
            "u_max": round(self.u_max, 4),
        }


def scheduled_by_request(problem: Problem, plan: Plan) -> dict[str, float]:
    """Transmission seconds each request receives, capped at its duration."""
    given: dict[str, float] = {r.id: 0.0 for r in problem.requests}
    for t in plan.tracks:
        if t.request_id in given:
            given[t.request_id] += t.trx_off - t.trx_on
    return {r.id: min(given[r.id], r.duration_s) for r in problem.requests}


def compute_metrics(problem: Problem, plan: Plan) -> Metrics:
    scheduled = scheduled_by_request(problem, plan)
    missions: dict[str, dict] = {}
    satisfied = 0
    for r in problem.requests:
        got = scheduled[r.id]
        ok = got > 0 and got + TOLERANCE_S >= r.min_duration_s
        satisfied += ok
        m = missions.setdefault(r.mission, {"requested_hours": 0.0, "scheduled_hours": 0.0, "requests": 0,
                                            "satisfied": 0})
        m["requested_hours"] += r.duration_s / 3600.0
        m["scheduled_hours"] += got / 3600.0
        m["requests"] += 1
        m["satisfied"] += ok
    for m in missions.values():
        req = m["requested_hours"]
        m["u"] = (req - m["scheduled_hours"]) / req if req > 0 else 0.0
    us = [m["u"] for m in missions.values()]
    u_rms = math.sqrt(sum(u * u for u in us) / len(us)) if us else 0.0
    u_max = max(us) if us else 0.0

    span_h = (problem.horizon_end - problem.horizon_start) / 3600.0
    antennas: dict[str, dict] = {a: {"occupied_hours": 0.0, "tracking_hours": 0.0, "tracks": 0}
                                 for a in problem.antennas}
    for t in plan.tracks:
        for a in t.resource:
            load = antennas.setdefault(a, {"occupied_hours": 0.0, "tracking_hours": 0.0, "tracks": 0})
            load["occupied_hours"] += (t.teardown_end - t.setup_start) / 3600.0
            load["tracking_hours"] += (t.trx_off - t.trx_on) / 3600.0
            load["tracks"] += 1
    for load in antennas.values():
        load["load"] = load["occupied_hours"] / span_h if span_h > 0 else 0.0
    return Metrics(
        hours=sum(scheduled.values()) / 3600.0,
        satisfied=satisfied,
        requests=len(problem.requests),
        u_rms=u_rms,
        u_max=u_max,
        missions=missions,
        antennas=antennas,
        request_scheduled_s=scheduled,
    )
