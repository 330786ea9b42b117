"""The optimising planner: OR-Tools CP-SAT, warm-started from the greedy plan.

Model (integer seconds from the horizon start):

- each slot ``c`` (a request's view period cut to its window, the horizon and the blocks) has a
  presence literal ``x_c``, a start ``on_c``, an end ``off_c`` and a length ``len_c`` (0 when
  absent, otherwise at least the minimum piece); its occupancy ``[on_c - setup, off_c + teardown]``
  is an optional interval placed in the NoOverlap of *every* member antenna, so an array occupies
  all its antennas at once;
- a request that may not be split uses at most one slot; a splittable one uses at most one slot
  per view period and ``max_pieces`` in all, its pieces never transmit at once, and its total is 0
  or within ``[min_duration, duration]`` (literal ``y_r``);
- per mission, ``u_m >= (requested - scheduled) / requested`` (in 1/1000), ``U_max >= u_m``, and
  ``p_m >= u_m^2`` by tangent lines;
- the objective is :mod:`objective`'s: share of hours + share of satisfied requests - mean u_m^2 -
  U_max.

Small problems are solved in one model. A DSN week (about 2,500 slots) is improved by large
neighbourhood search: each step frees a few dozen requests near a chosen time (half the steps
around a request of a poorly served mission), keeps every other track fixed, and lets CP-SAT
re-plan the freed requests from the incumbent (a complete solution hint) within a fixed amount of
CP-SAT work; a step is kept when the plan's score does not drop. The result is never worse than
the greedy plan.

``deterministic=True`` runs one worker with fixed seeds and bounds everything by CP-SAT's
deterministic work units instead of the wall clock (the time limit buys a number of steps), so the
same inputs give the same plan on any machine and under any load.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .greedy import greedy_plan
from .model import Plan, Problem, Track
from .objective import DEFAULT_WEIGHTS, Weights, mission_shortfall, normalisers, score
from .slots import Slot, Timing, all_slots

U_SCALE = 1000  # u_m in thousandths
TANGENTS = 20  # U^2 is approximated from below by tangents at every 1/20
FULL_MODEL_SLOTS = 400  # up to this many slots, one model over everything
NEIGHBOURHOOD_REQUESTS = 40  # requests freed per search step, adapted as the search goes
# One search step is bounded by CP-SAT's deterministic work units, not the wall clock, so that a
# loaded machine makes fewer steps, not worse ones (a wall-clock cut can stop a step before its
# presolve ends). On this 2-core machine, shared, a step of 0.015 units took 0.5 to 1 s.
STEP_WORK_UNITS = 0.015
DETERMINISTIC_STEP_S = 0.5  # with --deterministic, the time limit buys one step per this many seconds
WORK_UNITS_PER_S = STEP_WORK_UNITS / DETERMINISTIC_STEP_S  # ... and a one-model solve this much work


@dataclass
class SolverOptions:
    time_limit_s: float = 30.0
    seed: int = 0
    deterministic: bool = False
    workers: int = 1  # CP-SAT workers per step (ignored when deterministic: always 1)
    max_wall_s: float | None = None  # a hard wall-clock cap, even when deterministic (which it then may break)
    weights: Weights = field(default_factory=lambda: DEFAULT_WEIGHTS)
    log: bool = False


@dataclass
class _SlotVars:
    slot: Slot
    present: cp_model.IntVar
    on: cp_model.IntVar
    off: cp_model.IntVar
    length: cp_model.IntVar


@dataclass
class ScheduleModel:
    """The CP-SAT model of a problem, with the variables needed to hint and read a plan."""

    problem: Problem
    model: cp_model.CpModel
    origin: int
    slots: list[list[_SlotVars]]
    satisfied: dict[int, cp_model.IntVar]  # y_r of splittable requests
    fixed_s: dict[str, float]  # seconds of kept tracks per request
    u: dict[str, cp_model.IntVar]
    u_square: dict[str, cp_model.IntVar]
    u_max: cp_model.IntVar


def _mission_gaps(problem: Problem) -> dict[str, int]:
    gaps: dict[str, int] = {}
    for r in problem.requests:
        g = Timing.of(r).gap
        if g is not None:
            gaps[r.mission] = max(gaps.get(r.mission, 0), g)
    return gaps


def _pieces_apart(m: cp_model.CpModel, i: int, vs: list[_SlotVars], kept: list[Track], t: Timing, origin: int,
                  mission_wide: bool) -> None:
    """Pieces of one request: one per view period, never transmitting at once (or within its gap)."""
    by_vp: dict[int, list] = {}
    for v in vs:
        by_vp.setdefault(v.slot.view_period, []).append(v.present)
    for lits in by_vp.values():
        if len(lits) > 1:
            m.add_at_most_one(lits)
    if mission_wide or len(vs) + len(kept) < 2:
        return  # the mission's own NoOverlap (with its gap) covers the pieces
    gap = t.gap or 0
    pieces = [m.new_optional_interval_var(v.on, v.length + gap, v.off + gap, v.present, f"piece_r{i}s{c}")
              for c, v in enumerate(vs)]
    pieces += [m.new_fixed_size_interval_var(math.floor(tr.trx_on) - origin,
                                             math.ceil(tr.trx_off) - math.floor(tr.trx_on) + gap, f"kept_r{i}_{k}")
               for k, tr in enumerate(kept)]
    m.add_no_overlap(pieces)


def build_model(problem: Problem, slots: list[list[Slot]], fixed: list[Track] = (),
                weights: Weights = DEFAULT_WEIGHTS) -> ScheduleModel:
    """The model over ``slots``; ``fixed`` tracks are constants that occupy their antennas.

    A request with fixed tracks is not planned again unless it has slots too: then it is a
    splittable request whose kept pieces already satisfy it, and the slots may add pieces up to its
    duration (in view periods its kept pieces do not use).
    """
    m = cp_model.CpModel()
    origin = math.floor(problem.horizon_start)
    per_antenna: dict[str, list] = {}
    per_mission: dict[str, list] = {}
    mission_gap = _mission_gaps(problem)

    fixed_s: dict[str, float] = {}
    fixed_pieces: dict[str, list[Track]] = {}
    for k, tr in enumerate(fixed):
        fixed_s[tr.request_id] = fixed_s.get(tr.request_id, 0.0) + tr.duration_s
        fixed_pieces.setdefault(tr.request_id, []).append(tr)
        start = math.floor(tr.setup_start) - origin
        iv = m.new_fixed_size_interval_var(start, math.ceil(tr.teardown_end) - origin - start, f"fixed{k}")
        for a in tr.resource:
            per_antenna.setdefault(a, []).append(iv)
        mission = problem.request(tr.request_id).mission
        if mission in mission_gap:
            on = math.floor(tr.trx_on) - origin
            per_mission.setdefault(mission, []).append(m.new_fixed_size_interval_var(
                on, math.ceil(tr.trx_off) - origin - on + mission_gap[mission], f"fixedgap{k}"))

    all_vars: list[list[_SlotVars]] = []
    totals: list = []
    satisfied_terms: list = []
    y_vars: dict[int, cp_model.IntVar] = {}
    for i, r in enumerate(problem.requests):
        t = Timing.of(r)
        vs: list[_SlotVars] = []
        kept = fixed_pieces.get(r.id, [])
        kept_s = round(min(fixed_s.get(r.id, 0.0), r.duration_s))
        extendable = (bool(kept) and fixed_s[r.id] + 1e-6 >= r.min_duration_s and t.max_pieces > len(kept)
                      and kept_s + t.min_piece <= t.duration)
        if kept and not (extendable and slots[i]):
            all_vars.append(vs)
            totals.append(kept_s)
            satisfied_terms.append(1 if fixed_s[r.id] + 1e-6 >= r.min_duration_s else 0)
            continue
        kept_vps = {k for tr in kept for k, vp in enumerate(r.view_periods)
                    if vp.resource == tr.resource and vp.start <= tr.trx_on and tr.trx_off <= vp.end}
        for c, s in enumerate(slots[i]):
            if s.view_period in kept_vps:
                continue
            name = f"r{i}s{c}"
            lo, hi = s.lo - origin, s.hi - origin
            x = m.new_bool_var(f"x_{name}")
            on = m.new_int_var(lo, hi - t.min_piece, f"on_{name}")
            off = m.new_int_var(lo, hi, f"off_{name}")
            length = m.new_int_var(0, min(t.duration, hi - lo), f"len_{name}")
            m.add(off == on + length)
            m.add(length >= t.min_piece).only_enforce_if(x)
            m.add(length == 0).only_enforce_if(~x)
            occ = m.new_optional_interval_var(on - t.setup, length + t.setup + t.teardown, off + t.teardown, x,
                                              f"occ_{name}")
            for a in s.resource:
                per_antenna.setdefault(a, []).append(occ)
            if r.mission in mission_gap:
                g = mission_gap[r.mission]
                per_mission.setdefault(r.mission, []).append(
                    m.new_optional_interval_var(on, length + g, off + g, x, f"gap_{name}"))
            vs.append(_SlotVars(s, x, on, off, length))
        all_vars.append(vs)
        if not vs:
            totals.append(0)
            satisfied_terms.append(0)
            continue
        total = sum(v.length for v in vs)
        if kept:
            # kept pieces satisfy the request already: more pieces, up to its duration and max_pieces
            totals.append(kept_s + total)
            satisfied_terms.append(1)
            m.add(total <= t.duration - kept_s)
            m.add(sum(v.present for v in vs) <= t.max_pieces - len(kept))
            _pieces_apart(m, i, vs, kept, t, origin, r.mission in mission_gap)
            continue
        totals.append(total)
        if t.max_pieces == 1:
            m.add_at_most_one(v.present for v in vs)
            satisfied_terms.append(sum(v.present for v in vs))
            continue
        m.add(sum(v.present for v in vs) <= t.max_pieces)
        y = m.new_bool_var(f"y_r{i}")
        m.add(total >= t.min_total * y)
        m.add(total <= t.duration * y)
        y_vars[i] = y
        satisfied_terms.append(y)
        _pieces_apart(m, i, vs, [], t, origin, r.mission in mission_gap)

    for ivs in list(per_antenna.values()) + list(per_mission.values()):
        if len(ivs) > 1:
            m.add_no_overlap(ivs)

    requested: dict[str, int] = {}
    scheduled: dict[str, list] = {}
    for i, r in enumerate(problem.requests):
        requested[r.mission] = requested.get(r.mission, 0) + Timing.of(r).duration
        scheduled.setdefault(r.mission, []).append(totals[i])
    u, u_sq = {}, {}
    u_max = m.new_int_var(0, U_SCALE, "u_max")
    for mission, req in requested.items():
        if req <= 0:
            continue
        um = m.new_int_var(0, U_SCALE, f"u_{mission}")
        m.add(req * um >= U_SCALE * (req - sum(scheduled[mission])))
        m.add(u_max >= um)
        sq = m.new_int_var(0, U_SCALE, f"u2_{mission}")
        for k in range(TANGENTS + 1):
            a = U_SCALE * k // TANGENTS  # tangent of u^2 / U_SCALE at u = a
            m.add(U_SCALE * sq >= 2 * a * um - a * a)
        u[mission], u_sq[mission] = um, sq

    total_s, count = normalisers(problem)
    per_second = 10  # the hours term: 10 per priority-weighted second; the others relative to it
    scale = per_second * total_s
    c_hours = round(per_second * weights.hours)
    c_sat = round(weights.satisfied * scale / count)
    c_sq = round(weights.u_mean_square * scale / (max(len(u), 1) * U_SCALE))
    c_max = round(weights.u_max * scale / U_SCALE)
    m.maximize(
        sum(c_hours * r.priority * totals[i] for i, r in enumerate(problem.requests))
        + sum(c_sat * r.priority * satisfied_terms[i] for i, r in enumerate(problem.requests))
        - c_sq * sum(u_sq.values()) - c_max * u_max
    )
    return ScheduleModel(problem, m, origin, all_vars, y_vars, fixed_s, u, u_sq, u_max)


def _slot_of(vs: list[_SlotVars], track: Track, taken: set[int]) -> _SlotVars | None:
    for v in vs:
        s = v.slot
        if id(v) not in taken and s.resource == track.resource and s.lo <= track.trx_on and track.trx_off <= s.hi:
            return v
    return None


def hint(sm: ScheduleModel, tracks: list[Track]) -> int:
    """Give ``tracks`` (of the planned requests) to the solver as a complete hint.

    Returns how many tracks matched a slot (the others are left out of the hint).
    """
    m, origin = sm.model, sm.origin
    index = {r.id: i for i, r in enumerate(sm.problem.requests)}
    chosen: dict[int, tuple[int, int]] = {}
    got: dict[str, float] = dict(sm.fixed_s)
    for tr in tracks:
        i = index.get(tr.request_id)
        if i is None:
            continue
        v = _slot_of(sm.slots[i], tr, set(chosen))
        if v is not None:
            chosen[id(v)] = (round(tr.trx_on) - origin, round(tr.trx_off - tr.trx_on))
            got[tr.request_id] = got.get(tr.request_id, 0.0) + round(tr.trx_off - tr.trx_on)
    for vs in sm.slots:
        for v in vs:
            on, length = chosen.get(id(v), (v.slot.lo - origin, 0))
            m.add_hint(v.present, length > 0)
            m.add_hint(v.on, on)
            m.add_hint(v.off, on + length)
            m.add_hint(v.length, length)
    problem = sm.problem
    for i, y in sm.satisfied.items():
        r = problem.requests[i]
        m.add_hint(y, got.get(r.id, 0.0) > 0)
    requested: dict[str, float] = {}
    scheduled: dict[str, float] = {}
    for r in problem.requests:
        requested[r.mission] = requested.get(r.mission, 0) + Timing.of(r).duration
        scheduled[r.mission] = scheduled.get(r.mission, 0) + min(got.get(r.id, 0.0), Timing.of(r).duration)
    worst = 0
    for mission, um in sm.u.items():
        uval = math.ceil(U_SCALE * (requested[mission] - scheduled[mission]) / requested[mission] - 1e-9)
        uval = min(max(uval, 0), U_SCALE)
        sq = max(math.ceil((2 * a * uval - a * a) / U_SCALE)
                 for a in (U_SCALE * k // TANGENTS for k in range(TANGENTS + 1)))
        m.add_hint(um, uval)
        m.add_hint(sm.u_square[mission], min(max(sq, 0), U_SCALE))
        worst = max(worst, uval)
    m.add_hint(sm.u_max, worst)
    return len(chosen)


def _read(sm: ScheduleModel, solver: cp_model.CpSolver) -> list[Track]:
    tracks = []
    for i, vs in enumerate(sm.slots):
        r = sm.problem.requests[i]
        for v in vs:
            if solver.boolean_value(v.present):
                on = solver.value(v.on) + sm.origin
                tracks.append(Track.place(r, v.slot.resource, on, on + solver.value(v.length)))
    return tracks


def _scheduled(tracks: list[Track]) -> dict[str, float]:
    got: dict[str, float] = {}
    for tr in tracks:
        got[tr.request_id] = got.get(tr.request_id, 0.0) + tr.duration_s
    return got


@dataclass
class _Step:
    tracks: list[Track] | None
    status: str
    wall_s: float
    work_units: float


def _solve_model(sm: ScheduleModel, work_units: float | None, wall_s: float, seed: int,
                 options: SolverOptions) -> _Step:
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.random_seed = seed
    p.log_search_progress = options.log
    p.num_workers = 1 if options.deterministic else max(options.workers, 1)
    if work_units is not None:
        p.max_deterministic_time = work_units
    p.max_time_in_seconds = wall_s
    status = solver.solve(sm.model)
    tracks = _read(sm, solver) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
    return _Step(tracks, solver.status_name(status), solver.wall_time, solver.deterministic_time)


class _Neighbourhoods:
    """Chooses which requests a search step frees: those whose slots lie nearest a chosen time."""

    def __init__(self, problem: Problem, slots: list[list[Slot]], rng: random.Random):
        self.problem, self.slots, self.rng = problem, slots, rng
        self.candidates = [i for i, s in enumerate(slots) if s]

    def _nearest(self, t: float, size: int, forced: set[int]) -> set[int]:
        def distance(i: int) -> float:
            return min(0.0 if s.lo <= t <= s.hi else min(abs(s.lo - t), abs(s.hi - t)) for s in self.slots[i])
        ranked = sorted(self.candidates, key=lambda i: (distance(i), self.rng.random()))
        chosen = set(forced)
        for i in ranked:
            if len(chosen) >= size:
                break
            chosen.add(i)
        return chosen

    def pick(self, tracks: list[Track], size: int) -> set[int]:
        if not self.candidates:
            return set()
        got = _scheduled(tracks)
        if self.rng.random() < 0.5:
            # around a request of a poorly served mission: mission drawn with weight U_m^2
            shortfall = mission_shortfall(self.problem, got)
            missions = sorted(shortfall)
            weights = [shortfall[m] ** 2 + 1e-6 for m in missions]
            mission = self.rng.choices(missions, weights)[0]
            short = [i for i in self.candidates if self.problem.requests[i].mission == mission
                     and got.get(self.problem.requests[i].id, 0.0) < self.problem.requests[i].duration_s]
            if short:
                anchor = self.rng.choice(short)
                s = self.rng.choice(self.slots[anchor])
                return self._nearest(self.rng.uniform(s.lo, s.hi), size, {anchor})
        t = self.rng.uniform(self.problem.horizon_start, self.problem.horizon_end)
        return self._nearest(t, size, set())


def solve(problem: Problem, options: SolverOptions | None = None, *, start: Plan | None = None,
          slots: list[list[Slot]] | None = None, fixed: list[Track] = (),
          progress: Callable[[float, float], None] | None = None) -> Plan:
    """Plan ``problem`` with CP-SAT, warm-started from ``start`` (default: the greedy plan).

    ``fixed`` tracks are kept as they are and their requests are not planned again. The result is
    never worse, by :func:`objective.score`, than the start plan. ``progress(done, score)`` is
    called after every search step with the share of the budget used (0..1) and the best score.
    """
    options = options or SolverOptions()
    t0 = time.perf_counter()
    fixed = list(fixed)
    slots = all_slots(problem) if slots is None else slots
    if start is None:
        start = greedy_plan(problem, slots=slots, fixed=fixed)
    fixed_set = set(fixed)
    incumbent = [tr for tr in start.tracks if tr not in fixed_set]
    best = score(problem, _scheduled(fixed + incumbent), options.weights)
    greedy_score, t_greedy = best, time.perf_counter() - t0
    rng = random.Random(options.seed)
    n_slots = sum(len(s) for s in slots)
    steps = improved = 0
    work = 0.0
    statuses: dict[str, int] = {}

    # deterministic runs take a fixed number of steps of fixed work; others run to the wall-clock limit
    max_steps = max(1, round(options.time_limit_s / DETERMINISTIC_STEP_S)) if options.deterministic else None

    def budget_left() -> float:
        return options.time_limit_s - (time.perf_counter() - t0)

    def wall_cap() -> float:
        # deterministic runs are bounded by work alone, unless a hard cap is asked for
        cap = 3600.0 if options.deterministic else budget_left()
        if options.max_wall_s is not None:
            cap = min(cap, options.max_wall_s - (time.perf_counter() - t0))
        return max(cap, 0.05)

    def more_steps() -> bool:
        if options.max_wall_s is not None and time.perf_counter() - t0 > options.max_wall_s - 0.05:
            return False
        return steps < max_steps if options.deterministic else budget_left() > 0.05

    if n_slots <= FULL_MODEL_SLOTS:
        sm = build_model(problem, slots, fixed, options.weights)
        hint(sm, incumbent)
        step = _solve_model(sm, options.time_limit_s * WORK_UNITS_PER_S if options.deterministic else None, wall_cap(),
                            options.seed, options)
        steps, work = 1, step.work_units
        statuses[step.status] = 1
        if step.tracks is not None:
            s = score(problem, _scheduled(fixed + step.tracks), options.weights)
            if s >= best:
                best, incumbent, improved = s, step.tracks, 1
    else:
        hoods = _Neighbourhoods(problem, slots, rng)
        size = NEIGHBOURHOOD_REQUESTS
        while more_steps():
            free = hoods.pick(fixed + incumbent, size)
            free_ids = {problem.requests[i].id for i in free}
            kept = fixed + [tr for tr in incumbent if tr.request_id not in free_ids]
            sub_slots = [slots[i] if i in free else [] for i in range(len(slots))]
            sm = build_model(problem, sub_slots, kept, options.weights)
            hint(sm, [tr for tr in incumbent if tr.request_id in free_ids])
            step = _solve_model(sm, STEP_WORK_UNITS, wall_cap(), rng.randrange(1 << 30), options)
            steps += 1
            work += step.work_units
            statuses[step.status] = statuses.get(step.status, 0) + 1
            # grow the neighbourhood while steps are solved to optimality, shrink it when they are not
            size = min(size + 4, len(slots)) if step.status == "OPTIMAL" else max(size - 4, 8)
            if step.tracks is not None:
                candidate = [tr for tr in incumbent if tr.request_id not in free_ids] + step.tracks
                s = score(problem, _scheduled(fixed + candidate), options.weights)
                if s >= best - 1e-12:
                    improved += s > best + 1e-12
                    best, incumbent = s, candidate
            if progress is not None:
                progress(steps / max_steps if options.deterministic
                         else min(1.0, (time.perf_counter() - t0) / options.time_limit_s), best)
    detail = {
        "solver": "cp-sat",
        "greedy_objective": greedy_score,
        "objective": best,
        "greedy_s": round(t_greedy, 3),
        "total_s": round(time.perf_counter() - t0, 3),
        "steps": steps,
        "improving_steps": improved,
        "work_units": round(work, 3),
        "step_status": statuses,
        "deterministic": options.deterministic,
        "seed": options.seed,
    }
    return Plan(problem.name, fixed + incumbent, detail)
