"""A fast greedy planner: one request at a time, each given the longest time it can still get.

Requests are taken in a few orders (the worst-served mission first; the least flexible request
first; the highest priority first) and the plan with the best :func:`objective.score` is kept.
A request is placed in the free stretch (on every member antenna, setup and teardown included) that
gives it the most transmission time; among equals the tightest stretch, a single antenna before an
array, then the earliest. A splittable request that cannot get its whole duration in one piece is
assembled from pieces in distinct view periods. Runs in well under a second on a DSN week.
"""

from __future__ import annotations

import bisect
import heapq
from dataclasses import dataclass, field

from .model import Plan, Problem, Resource, Track
from .objective import score
from .slots import Slot, Timing, all_slots, subtract


@dataclass
class Occupancy:
    """Busy intervals per antenna (placed tracks with setup and teardown) and per mission."""

    antennas: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    missions: dict[str, list[tuple[float, float, int]]] = field(default_factory=dict)  # trx_on, trx_off, gap

    def add(self, track: Track, mission: str, gap: int | None) -> None:
        for a in track.resource:
            bisect.insort(self.antennas.setdefault(a, []), (track.setup_start, track.teardown_end))
        bisect.insort(self.missions.setdefault(mission, []), (track.trx_on, track.trx_off, -1 if gap is None else gap))

    def remove(self, track: Track, mission: str, gap: int | None) -> None:
        for a in track.resource:
            self.antennas[a].remove((track.setup_start, track.teardown_end))
        self.missions[mission].remove((track.trx_on, track.trx_off, -1 if gap is None else gap))

    def free(self, slot: Slot, t: Timing, mission: str, own: list[tuple[float, float]]) -> list[tuple[float, float]]:
        """Stretches of ``slot`` where a transmission fits with its setup and teardown."""
        windows = [(float(slot.lo), float(slot.hi))]
        for a in slot.resource:
            busy = self.antennas.get(a, [])
            # one antenna's tracks are disjoint, so sorted by start they are sorted by end too:
            # only those from the last one starting before the slot on can reach into it
            first = max(0, bisect.bisect_right(busy, (slot.lo - t.setup,)) - 1)
            stop = bisect.bisect_left(busy, (slot.hi + t.teardown,))
            for start, end in busy[first:stop]:
                windows = subtract(windows, start - t.teardown, end + t.setup)
            if not windows:
                return []
        own_gap = max(t.gap or 0, 0)
        for on, off in own:
            windows = subtract(windows, on - own_gap, off + own_gap)
        for on, off, gap in self.missions.get(mission, ()):
            g = max(gap, -1 if t.gap is None else t.gap)
            if g >= 0:
                windows = subtract(windows, on - g, off + g)
        return windows


@dataclass(frozen=True)
class _Choice:
    resource: Resource
    view_period: int
    on: int
    off: int


def _best_piece(occ: Occupancy, slots: list[Slot], t: Timing, mission: str, own: list[tuple[float, float]],
                need: int, shortest: int, used_vps: set[int]) -> _Choice | None:
    best, best_key = None, None
    for s in slots:
        if s.view_period in used_vps:
            continue
        for lo, hi in occ.free(s, t, mission, own):
            lo_i, hi_i = int(-(-lo // 1)), int(hi // 1)
            length = min(hi_i - lo_i, need)
            if length < shortest:
                continue
            key = (length, -(hi_i - lo_i), -len(s.resource), -lo_i)
            if best_key is None or key > best_key:
                best_key = key
                best = _Choice(s.resource, s.view_period, lo_i, lo_i + length)
    return best


def place_request(problem: Problem, index: int, slots: list[Slot], occ: Occupancy) -> list[Track]:
    """Tracks for request ``index`` given what is already placed (empty when it cannot be served)."""
    r = problem.requests[index]
    t = Timing.of(r)
    single = _best_piece(occ, slots, t, r.mission, [], t.duration, t.min_total, set())
    if single is not None and (single.off - single.on == t.duration or t.max_pieces == 1):
        return [Track.place(r, single.resource, single.on, single.off)]
    pieces: list[Track] = []
    if t.max_pieces > 1:
        # pieces are placed one by one (tentatively occupying their antennas), each as long as it can be
        own: list[tuple[float, float]] = []
        used: set[int] = set()
        total = 0
        while len(pieces) < t.max_pieces and t.duration - total >= t.min_piece:
            c = _best_piece(occ, slots, t, r.mission, own, t.duration - total, t.min_piece, used)
            if c is None:
                break
            piece = Track.place(r, c.resource, c.on, c.off)
            occ.add(piece, r.mission, t.gap)
            pieces.append(piece)
            own.append((c.on, c.off))
            used.add(c.view_period)
            total += c.off - c.on
        for piece in pieces:
            occ.remove(piece, r.mission, t.gap)
        if total < t.min_total:
            pieces = []
    single_len = 0 if single is None else single.off - single.on
    if single is not None and single_len >= sum(p.duration_s for p in pieces):
        return [Track.place(r, single.resource, single.on, single.off)]
    return pieces


def _flexibility(problem: Problem, slots: list[list[Slot]]) -> list[float]:
    return [sum(s.hi - s.lo for s in slots[i]) / max(r.duration_s, 1.0) for i, r in enumerate(problem.requests)]


def _run(problem: Problem, slots: list[list[Slot]], order: str, fixed: list[Track] | None = None) -> list[Track]:
    occ = Occupancy()
    tracks: list[Track] = []
    by_id = problem.requests_by_id
    done: set[int] = set()
    id_to_index = {r.id: i for i, r in enumerate(problem.requests)}
    for tr in fixed or ():
        r = by_id[tr.request_id]
        occ.add(tr, r.mission, Timing.of(r).gap)
        done.add(id_to_index[tr.request_id])
        tracks.append(tr)
    flex = _flexibility(problem, slots)
    todo = [i for i in range(len(problem.requests)) if i not in done]
    if order == "fair":
        requested: dict[str, float] = {}
        got: dict[str, float] = {}
        for r in problem.requests:
            requested[r.mission] = requested.get(r.mission, 0.0) + r.duration_s
        for tr in tracks:
            m = by_id[tr.request_id].mission
            got[m] = got.get(m, 0.0) + tr.duration_s
        queues: dict[str, list[int]] = {}
        for i in sorted(todo, key=lambda i: (-problem.requests[i].priority, flex[i])):
            queues.setdefault(problem.requests[i].mission, []).append(i)
        heap = [(-(1 - got.get(m, 0.0) / max(requested[m], 1.0)), m) for m in sorted(queues)]
        heapq.heapify(heap)
        while heap:
            _, m = heapq.heappop(heap)
            i = queues[m].pop(0)
            placed = place_request(problem, i, slots[i], occ)
            for tr in placed:
                occ.add(tr, m, Timing.of(problem.requests[i]).gap)
                got[m] = got.get(m, 0.0) + tr.duration_s
            tracks.extend(placed)
            if queues[m]:
                heapq.heappush(heap, (-(1 - got.get(m, 0.0) / max(requested[m], 1.0)), m))
        return tracks
    if order == "flexibility":
        key = lambda i: (-problem.requests[i].priority, flex[i], problem.requests[i].id)  # noqa: E731
    else:  # "short-first": many satisfied requests
        key = lambda i: (-problem.requests[i].priority, problem.requests[i].duration_s, flex[i])  # noqa: E731
    for i in sorted(todo, key=key):
        placed = place_request(problem, i, slots[i], occ)
        for tr in placed:
            occ.add(tr, problem.requests[i].mission, Timing.of(problem.requests[i]).gap)
        tracks.extend(placed)
    return tracks


ORDERS = ("fair", "flexibility", "short-first")


def greedy_plan(problem: Problem, *, slots: list[list[Slot]] | None = None, fixed: list[Track] | None = None,
                orders: tuple[str, ...] = ORDERS) -> Plan:
    """The best greedy plan over ``orders``; ``fixed`` tracks are kept as they are."""
    slots = all_slots(problem) if slots is None else slots
    best, best_score, best_order = None, None, None
    for order in orders:
        tracks = _run(problem, slots, order, fixed)
        got: dict[str, float] = {}
        for tr in tracks:
            got[tr.request_id] = got.get(tr.request_id, 0.0) + tr.duration_s
        s = score(problem, got)
        if best_score is None or s > best_score:
            best, best_score, best_order = tracks, s, order
    return Plan(problem.name, best or [], {"solver": "greedy", "order": best_order, "objective": best_score})
