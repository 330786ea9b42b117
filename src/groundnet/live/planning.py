"""The seam between the live service and the planners: build a plan for a window, re-plan after an outage.

``Planner`` is what the service needs. ``PassPlanner`` composes the engine: the passes of every
spacecraft over the antennas that can serve it (``groundnet.visibility.core.find_windows``, the one
search: the compiled SGP4 search for Earth orbiters, the light-time-corrected one for deep-space
craft) become tracking requests, which the schedule engine's planner turns into a validated, conflict-free plan; an
outage goes through the schedule engine's ``replan``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from ..errors import InvalidPlanError
from ..schedule.greedy import greedy_plan
from ..schedule.metrics import compute_metrics
from ..schedule.model import Block, Plan, Problem, Request, Track, ViewPeriod
from ..schedule.replan import replan
from ..schedule.validate import validate
from ..stations import Antenna
from ..missions import Spacecraft
from ..domain import BoardBlock, BoardPlan, Contact
from ..visibility.core import find_windows
from ..visibility.passes import PassTable


class Planner(Protocol):
    def plan(self, start: float, end: float) -> BoardPlan:
        """A conflict-free plan of contacts over [start, end)."""

    def replan(self, plan: BoardPlan, outage: BoardBlock, now: float) -> tuple[BoardPlan, dict]:
        """A new plan that keeps unaffected contacts, and the impact per mission."""


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


# The demand model. An Earth orbiter asks for one 8-minute pass per orbit (ESTRACK's routine TT&C). A
# deep-space mission asks for 6 h in every 8 h (18 h a day, in up to three pieces of at least 1 h): one
# real DSN week (SatNet W10_2018, ../shared/data/satnet) has its busiest missions asking 112 h a week,
# 16 h a day, and with the demo's fourteen deep-space missions this keeps the DSN's and ESTRACK's
# deep-space antennas about as busy as DSN Now shows them on a typical day.
EARTH_ORBITER_RULE = ContactRule(every_s=0.0, duration_s=480.0, min_duration_s=240.0, setup_s=300.0, teardown_s=120.0)
DEEP_SPACE_RULE = ContactRule(every_s=8 * 3600.0, duration_s=6 * 3600.0, min_duration_s=3600.0, setup_s=1800.0,
                              teardown_s=900.0, split_min_s=3600.0, max_pieces=3)


def compatible(antenna: Antenna, sc: Spacecraft) -> bool:
    """The antenna serves the spacecraft's kind (its roles: deep space, or Earth orbiters; never a research or
    retired antenna) and receives its downlink band (an antenna without listed bands: deep space only)."""
    deep = not sc.is_earth_orbiter
    if ("deep-space" if deep else "near-earth") not in antenna.service_roles:
        return False
    band = sc.downlink.band if sc.downlink else None
    if band is None:
        return True
    return band in antenna.bands or (deep and not antenna.bands)


def spacecraft_of(table: PassTable, fleet: list[Spacecraft]) -> np.ndarray:
    """Per object of ``table.labels``: the id of the fleet's spacecraft it is (``find_windows`` labels an
    Earth orbiter by its NORAD number, a deep-space craft by its id)."""
    by_object = {(str(s.norad_id) if s.is_earth_orbiter else s.id): s.id for s in fleet}
    return np.array([by_object[str(o)] for o in table.labels.object_ids.tolist()], dtype=object)


class PassPlanner:
    """The demo plan: passes → tracking requests → the schedule engine's planners."""

    def __init__(self, antennas: list[Antenna], fleet: list[Spacecraft], *, replan_time_limit_s: float = 5.0):
        self.antennas = list(antennas)
        self.fleet = {s.id: s for s in fleet}
        self.replan_time_limit_s = replan_time_limit_s
        self.extra_blocks: list[BoardBlock] = []  # a partner network's committed activities (live.partner_ssf)
        self.booked_blocks: list[BoardBlock] = []  # antenna time booked outside the planner (SatNOGS jobs)

    def windows(self, start: float, end: float) -> tuple[PassTable, np.ndarray]:
        """The passes (``find_windows``, the one pass search) of every spacecraft on every antenna that can
        serve it, and per pass the spacecraft's id."""
        if not self.fleet or not self.antennas:
            return PassTable.empty(), np.zeros(0, dtype=object)
        table = find_windows(list(self.fleet.values()), self.antennas, start, end)
        craft = spacecraft_of(table, list(self.fleet.values()))
        antennas = {a.id: a for a in self.antennas}
        stations = table.labels.station_ids.tolist()
        pairs, pair_of_pass = np.unique(table.obj * len(stations) + table.sta, return_inverse=True)
        served = np.array([compatible(antennas[stations[p % len(stations)]], self.fleet[craft[p // len(stations)]])
                           for p in pairs.tolist()], dtype=bool)
        keep = np.flatnonzero(served[pair_of_pass.reshape(-1)]) if len(table) else np.zeros(0, np.int64)
        return table.take(keep), craft[table.obj[keep]]

    def _rule(self, sc: Spacecraft) -> ContactRule:
        if sc.is_earth_orbiter:
            return replace(EARTH_ORBITER_RULE, every_s=round(sc.elements.period_min * 60.0))
        return DEEP_SPACE_RULE

    def problem(self, start: float, end: float, blocks=()):
        """The requests of [start, end): one per mission per rule window; ids fixed by the window."""
        table, craft = self.windows(start, end)
        requests = []
        for sc in self.fleet.values():
            rule = self._rule(sc)
            mine = np.flatnonzero(craft == sc.id)
            passes = list(zip(table.station_id[mine].tolist(), table.aos[mine].tolist(), table.los[mine].tolist()))
            for k in range(math.floor(start / rule.every_s), math.ceil(end / rule.every_s)):
                w0, w1 = max(k * rule.every_s, start), min((k + 1) * rule.every_s, end)
                vps = tuple(ViewPeriod((station,), max(aos, w0), min(los, w1)) for station, aos, los in passes
                            if min(los, w1) - max(aos, w0) >= rule.min_duration_s)
                if not vps:
                    continue
                requests.append(Request(
                    id=f"{sc.id}@{int(k * rule.every_s)}", mission=sc.mission or sc.id, duration_s=rule.duration_s,
                    min_duration_s=rule.min_duration_s, view_periods=vps, setup_s=rule.setup_s,
                    teardown_s=rule.teardown_s, window_start=w0, window_end=w1, split_min_s=rule.split_min_s,
                    max_pieces=rule.max_pieces, priority=1))
        sblocks = tuple(Block(b.antenna_id, b.start, end if b.end is None else b.end, b.kind, b.reason) for b in blocks)
        return Problem(f"demo {start:.0f}-{end:.0f}", start, end, tuple(requests), sblocks)

    def _contacts(self, problem, tracks) -> list[Contact]:
        by_id = problem.requests_by_id
        out = []
        for tr in tracks:
            sc = self.fleet[tr.request_id.split("@")[0]]
            for antenna in tr.resource:
                out.append(Contact(id=f"{tr.request_id}/{antenna}/{int(tr.trx_on)}", antenna_id=antenna,
                                   spacecraft_id=sc.id, spacecraft_name=sc.name, setup_start=tr.setup_start,
                                   start=tr.trx_on, end=tr.trx_off, teardown_end=tr.teardown_end,
                                   mission=by_id[tr.request_id].mission, request_id=tr.request_id))
        return out

    @staticmethod
    def _request_rows(problem) -> list[dict]:
        return [{"id": r.id, "mission": r.mission, "spacecraft_id": r.id.split("@")[0], "duration_s": r.duration_s,
                 "min_duration_s": r.min_duration_s, "window_start": r.window_start, "window_end": r.window_end,
                 "priority": r.priority, "detail": {"view_periods": len(r.view_periods), "setup_s": r.setup_s,
                                                    "teardown_s": r.teardown_s}} for r in problem.requests]

    def plan(self, start: float, end: float) -> BoardPlan:
        """The greedy plan of [start, end), checked by the schedule engine's validator; ``extra_blocks``
        (a partner network's committed activities) and ``booked_blocks`` (SatNOGS jobs) are antenna time it
        keeps free."""
        problem = self.problem(start, end, blocks=[b for b in self.extra_blocks + self.booked_blocks
                                                   if b.start < end and (b.end is None or b.end > start)])
        splan = greedy_plan(problem)
        violations = validate(problem, splan)
        if violations:
            raise InvalidPlanError(violations)
        m = compute_metrics(problem, splan)
        detail = {"solver": splan.detail.get("solver"), "requests": self._request_rows(problem),
                  "metrics": {k: v for k, v in vars(m).items() if isinstance(v, (int, float))}}
        return BoardPlan(start, end, self._contacts(problem, splan.tracks), [], detail)

    def replan(self, plan: BoardPlan, outage: BoardBlock, now: float) -> tuple[BoardPlan, dict]:
        """The schedule engine's re-plan from ``now``: unaffected contacts stay, the hit requests are placed again.

        The problem starts at the earliest contact still running at ``now``; every antenna is blocked
        before ``now`` so that nothing new is placed in the past.
        """
        live = [c for c in plan.contacts if not c.cancelled and c.teardown_end > now]
        start = min([now] + [c.setup_start for c in live])
        past = [BoardBlock(a.id, "maintenance", start, now, "past") for a in self.antennas] if start < now else []
        problem = self.problem(start, plan.end, blocks=past)
        known = problem.requests_by_id
        tracks = [Track(c.request_id, (c.antenna_id,), c.start, c.end, c.setup_start, c.teardown_end)
                  for c in live if c.request_id in known]
        end = plan.end if outage.end is None else outage.end
        new, impact = replan(problem, Plan(problem.name, tracks),
                             Block(outage.antenna_id, max(outage.start, start), end, "outage", outage.reason),
                             time_limit_s=self.replan_time_limit_s, deterministic=True)
        affected = {(t.request_id, t.resource[0], t.trx_on) for t in impact.affected}
        cancelled = [replace(c, cancelled=True) for c in live if (c.request_id, c.antenna_id, c.start) in affected]
        added = self._contacts(problem, impact.new_tracks)
        by_id = {c.id: c for c in plan.contacts}
        by_id.update({c.id: c for c in cancelled + added})
        summary = {"cancelled": [c.id for c in cancelled], "added": [c.id for c in added],
                   "hours_lost": round(impact.hours_lost, 3), "requests_dropped": impact.requests_dropped,
                   "missions": impact.missions, "elapsed_s": round(impact.elapsed_s, 3)}
        return BoardPlan(plan.start, plan.end, sorted(by_id.values(), key=lambda c: (c.setup_start, c.antenna_id)),
                         plan.blocks, plan.detail), summary
