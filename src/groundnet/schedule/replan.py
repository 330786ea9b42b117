"""Re-planning when an antenna fails: keep what is unaffected, recover what the outage hit.

A track is *affected* when its occupancy ``[setup_start, teardown_end]`` overlaps the outage on
any member antenna (an array loses all its members' contacts). Every unaffected track stays
exactly where it was. The affected requests are planned again with CP-SAT over the capacity that
is left (other antennas, other view periods, the outage excluded), the kept tracks fixed:

- a request that lost all its tracks may get new ones anywhere its slots allow;
- a split request whose kept pieces still satisfy it keeps them and may gain pieces back;
- a split request whose kept pieces fall short of its minimum is planned again whole.

The impact says, per mission, the hours lost and the requests dropped (satisfied before, not after).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ..errors import ScheduleInputError
from .cpsat import SolverOptions, solve
from .greedy import greedy_plan
from .metrics import compute_metrics
from .model import Block, Plan, Problem, Track
from .slots import all_slots


@dataclass
class Impact:
    outage: Block
    affected: list[Track]
    new_tracks: list[Track]
    missions: dict[str, dict] = field(default_factory=dict)
    hours_lost: float = 0.0
    requests_dropped: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0

    def as_dict(self) -> dict:
        return {
            "outage": {"antenna": self.outage.antenna, "start": self.outage.start, "end": self.outage.end},
            "affected_tracks": [t.as_dict() for t in self.affected],
            "new_tracks": [t.as_dict() for t in self.new_tracks],
            "hours_lost": round(self.hours_lost, 3),
            "requests_dropped": self.requests_dropped,
            "missions": self.missions,
            "elapsed_s": round(self.elapsed_s, 3),
        }


def _hits(track: Track, outage: Block) -> bool:
    return outage.antenna in track.resource and track.setup_start < outage.end and outage.start < track.teardown_end


def replan(problem: Problem, plan: Plan, outage: Block | tuple[str, float, float], *, time_limit_s: float = 5.0,
           seed: int = 0, deterministic: bool = False) -> tuple[Plan, Impact]:
    """A new plan for ``problem`` with ``outage`` added, and its impact on each mission.

    Returns within about ``time_limit_s`` seconds, also when ``deterministic`` (which then holds as
    long as the machine is fast enough to finish the search in that time). The returned plan's
    problem is ``problem`` with the outage as a block: validate it against :func:`with_outage`.
    """
    t0 = time.perf_counter()
    if not isinstance(outage, Block):
        antenna, start, end = outage
        outage = Block(str(antenna), float(start), float(end), "outage")
    if not outage.end > outage.start:
        raise ScheduleInputError(f"outage of {outage.antenna}: end {outage.end} must come after start {outage.start}")
    after = with_outage(problem, outage)
    by_id = problem.requests_by_id
    affected = [t for t in plan.tracks if _hits(t, outage)]
    hit_ids = {t.request_id for t in affected}
    kept = [t for t in plan.tracks if not _hits(t, outage)]
    # split requests whose kept pieces no longer satisfy them are released whole
    kept_s: dict[str, float] = {}
    for t in kept:
        kept_s[t.request_id] = kept_s.get(t.request_id, 0.0) + t.duration_s
    released = {rid for rid in hit_ids if 0 < kept_s.get(rid, 0.0) < by_id[rid].min_duration_s - 1e-6}
    fixed = [t for t in kept if t.request_id not in released]

    index = {r.id: i for i, r in enumerate(after.requests)}
    slots = all_slots(after)
    free = {index[rid] for rid in hit_ids if rid in index}
    sub_slots = [s if i in free else [] for i, s in enumerate(slots)]
    start = greedy_plan(after, slots=sub_slots, fixed=fixed)
    budget = max(time_limit_s - (time.perf_counter() - t0), 0.2)
    # a deterministic search's amount of work must not depend on how long the preparation took
    options = SolverOptions(time_limit_s=time_limit_s if deterministic else budget, seed=seed,
                            deterministic=deterministic, max_wall_s=budget)
    new_plan = solve(after, options, start=start, slots=sub_slots, fixed=fixed)
    kept_set = set(plan.tracks)
    new_tracks = [t for t in new_plan.tracks if t not in kept_set]

    before_m = compute_metrics(problem, plan)
    after_m = compute_metrics(after, new_plan)
    missions: dict[str, dict] = {}
    dropped: list[str] = []
    for r in problem.requests:
        was = before_m.request_scheduled_s[r.id]
        now = after_m.request_scheduled_s[r.id]
        sat_before = was > 0 and was + 1e-6 >= r.min_duration_s
        sat_after = now > 0 and now + 1e-6 >= r.min_duration_s
        if r.id not in hit_ids:
            continue
        m = missions.setdefault(r.mission, {"hours_before": 0.0, "hours_after": 0.0, "hours_lost": 0.0,
                                            "requests_hit": [], "requests_dropped": []})
        m["hours_before"] += was / 3600.0
        m["hours_after"] += now / 3600.0
        m["requests_hit"].append(r.id)
        if sat_before and not sat_after:
            m["requests_dropped"].append(r.id)
            dropped.append(r.id)
    for m in missions.values():
        m["hours_lost"] = round(m["hours_before"] - m["hours_after"], 3)
        m["hours_before"] = round(m["hours_before"], 3)
        m["hours_after"] = round(m["hours_after"], 3)
    elapsed = time.perf_counter() - t0
    impact = Impact(outage, affected, new_tracks, missions, before_m.hours - after_m.hours, dropped, elapsed)
    new_plan.detail = {**new_plan.detail, "replan": {"outage": f"{outage.antenna} [{outage.start:.0f}, {outage.end:.0f}]",
                                                     "affected": len(affected), "elapsed_s": round(elapsed, 3)}}
    return Plan(new_plan.name, new_plan.tracks, new_plan.detail), impact


def with_outage(problem: Problem, outage: Block) -> Problem:
    """``problem`` with the outage as one more block."""
    if outage.antenna not in problem.antennas:
        raise ScheduleInputError(f"outage names antenna '{outage.antenna}', which no request or block of "
                                 f"'{problem.name}' uses (antennas: {', '.join(problem.antennas)})")
    return problem.with_blocks([outage])
