"""An independent check of a plan against the raw problem: every rule, from the inputs alone.

It shares nothing with the planners (no slots, no solver state): it reads the requests, their view
periods, the blocks and the horizon, and the plan's tracks as written. Rules (codes in brackets):

- a track names a known request [unknown-request] and one of its resources [unknown-resource];
- ``trx_on < trx_off`` [bad-times]; ``setup_start <= trx_on - setup`` and
  ``teardown_end >= trx_off + teardown`` [setup-teardown];
- the transmission lies inside one view period of that resource [outside-view-period] and inside
  the request's time window [outside-window]; the whole track lies in the horizon [outside-horizon];
- on every antenna, no two tracks overlap (``[setup_start, teardown_end]``, touching allowed):
  [overlap] when transmissions overlap, [setup-overlap] when only setup or teardown does,
  [array-member-busy] when one of the two is an array;
- no track overlaps a maintenance or outage block of any member antenna [block-overlap];
- a request receives nothing or a total in ``[min_duration, duration]`` [below-min-duration],
  [above-duration];
- more than one piece only for a splittable request, at most ``max_pieces``, each at least the
  minimum piece, each in a distinct view period [bad-split]; pieces of a request never transmit at
  once [pieces-overlap]; contacts of a mission keep its minimum gap [mission-gap].
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from .model import Plan, Problem, Request, Track, resource_name

TOL_S = 1e-6


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str
    request_ids: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


def _label(t: Track) -> str:
    return f"{t.request_id} on {resource_name(t.resource)} [{t.trx_on:.0f}, {t.trx_off:.0f}]"


def _containing_view_periods(req: Request, t: Track) -> list[int]:
    return [k for k, vp in enumerate(req.view_periods)
            if vp.resource == t.resource and vp.start - TOL_S <= t.trx_on and t.trx_off <= vp.end + TOL_S]


def _check_track(problem: Problem, req: Request, t: Track, out: list[Violation]) -> None:
    ids = (t.request_id,)
    if t.resource not in req.resources:
        out.append(Violation("unknown-resource", f"{_label(t)}: request has no view period on this resource", ids))
        return
    if not t.trx_on < t.trx_off:
        out.append(Violation("bad-times", f"{_label(t)}: trx_off must come after trx_on", ids))
        return
    if t.setup_start > t.trx_on - req.setup_s + TOL_S or t.teardown_end < t.trx_off + req.teardown_s - TOL_S:
        out.append(Violation("setup-teardown", f"{_label(t)}: needs {req.setup_s:.0f} s setup and "
                             f"{req.teardown_s:.0f} s teardown around the transmission", ids))
    if not _containing_view_periods(req, t):
        out.append(Violation("outside-view-period", f"{_label(t)}: transmission is not inside one view period", ids))
    if (req.window_start is not None and t.trx_on < req.window_start - TOL_S) or \
            (req.window_end is not None and t.trx_off > req.window_end + TOL_S):
        out.append(Violation("outside-window", f"{_label(t)}: transmission leaves the request's time window", ids))
    if t.setup_start < problem.horizon_start - TOL_S or t.teardown_end > problem.horizon_end + TOL_S:
        out.append(Violation("outside-horizon", f"{_label(t)}: setup or teardown leaves the planning horizon", ids))


def _check_antennas(problem: Problem, tracks: list[Track], out: list[Violation]) -> None:
    per_antenna: dict[str, list[Track]] = {}
    for t in tracks:
        for a in t.resource:
            per_antenna.setdefault(a, []).append(t)
    for antenna, ts in sorted(per_antenna.items()):
        ts.sort(key=lambda t: (t.setup_start, t.teardown_end))
        # sweep: compare each track with every earlier one still open
        open_tracks: list[Track] = []
        for t in ts:
            open_tracks = [o for o in open_tracks if o.teardown_end > t.setup_start + TOL_S]
            for o in open_tracks:
                if o.trx_on < t.trx_off - TOL_S and t.trx_on < o.trx_off - TOL_S:
                    rule = "overlap"
                else:
                    rule = "setup-overlap"
                if len(o.resource) > 1 or len(t.resource) > 1:
                    rule = "array-member-busy"
                out.append(Violation(rule, f"{antenna}: {_label(o)} and {_label(t)} overlap",
                                     (o.request_id, t.request_id)))
            open_tracks.append(t)
        for b in problem.blocks:
            if b.antenna != antenna:
                continue
            for t in ts:
                if t.setup_start < b.end - TOL_S and b.start < t.teardown_end - TOL_S:
                    out.append(Violation("block-overlap", f"{antenna}: {_label(t)} overlaps {b.kind} "
                                         f"[{b.start:.0f}, {b.end:.0f}]", (t.request_id,)))


def _distinct_view_periods(req: Request, pieces: list[Track]) -> bool:
    options = [_containing_view_periods(req, p) for p in pieces]
    if any(not o for o in options):
        return True  # reported as outside-view-period already
    return any(len(set(choice)) == len(choice) for choice in itertools.product(*options))


def _check_requests(problem: Problem, plan: Plan, out: list[Violation]) -> None:
    by_id = problem.requests_by_id
    for rid, pieces in plan.by_request().items():
        req = by_id.get(rid)
        if req is None:
            continue
        ids = (rid,)
        total = sum(p.trx_off - p.trx_on for p in pieces)
        if total < req.min_duration_s - TOL_S:
            out.append(Violation("below-min-duration", f"{rid}: {total:.0f} s scheduled, below its minimum "
                                 f"{req.min_duration_s:.0f} s", ids))
        if total > req.duration_s + TOL_S:
            out.append(Violation("above-duration", f"{rid}: {total:.0f} s scheduled, above its duration "
                                 f"{req.duration_s:.0f} s", ids))
        if len(pieces) > 1:
            if not req.splittable:
                out.append(Violation("bad-split", f"{rid}: {len(pieces)} pieces, but the request may not be split", ids))
            else:
                if len(pieces) > req.max_pieces:
                    out.append(Violation("bad-split", f"{rid}: {len(pieces)} pieces, at most {req.max_pieces}", ids))
                short = [p for p in pieces if p.trx_off - p.trx_on < req.split_min_s - TOL_S]
                if short:
                    out.append(Violation("bad-split", f"{rid}: piece {_label(short[0])} shorter than "
                                         f"{req.split_min_s:.0f} s", ids))
                if not _distinct_view_periods(req, pieces):
                    out.append(Violation("bad-split", f"{rid}: two pieces share one view period", ids))
            gap = max(req.min_gap_s or 0.0, 0.0)
            ordered = sorted(pieces, key=lambda p: p.trx_on)
            for a, b in zip(ordered, ordered[1:]):
                if b.trx_on < a.trx_off + gap - TOL_S:
                    out.append(Violation("pieces-overlap", f"{rid}: pieces {_label(a)} and {_label(b)} transmit "
                                         f"at once or closer than {gap:.0f} s", ids))


def _check_mission_gaps(problem: Problem, tracks: list[Track], out: list[Violation]) -> None:
    by_id = problem.requests_by_id
    per_mission: dict[str, list[Track]] = {}
    for t in tracks:
        per_mission.setdefault(by_id[t.request_id].mission, []).append(t)
    for mission, ts in per_mission.items():
        for a, b in itertools.combinations(ts, 2):
            ga, gb = by_id[a.request_id].min_gap_s, by_id[b.request_id].min_gap_s
            if a.request_id == b.request_id or (ga is None and gb is None):
                continue
            gap = max(ga or 0.0, gb or 0.0)
            if a.trx_on < b.trx_off + gap - TOL_S and b.trx_on < a.trx_off + gap - TOL_S:
                out.append(Violation("mission-gap", f"mission {mission}: {_label(a)} and {_label(b)} closer than "
                                     f"{gap:.0f} s", (a.request_id, b.request_id)))


def validate(problem: Problem, plan: Plan) -> list[Violation]:
    """Every rule the plan breaks (an empty list for a valid plan)."""
    out: list[Violation] = []
    by_id = problem.requests_by_id
    known: list[Track] = []
    for t in plan.tracks:
        req = by_id.get(t.request_id)
        if req is None:
            out.append(Violation("unknown-request", f"{_label(t)}: no such request", (t.request_id,)))
            continue
        _check_track(problem, req, t, out)
        known.append(t)
    _check_antennas(problem, known, out)
    _check_requests(problem, plan, out)
    _check_mission_gaps(problem, known, out)
    return out
