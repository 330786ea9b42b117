"""Where each request may transmit: its view periods cut to the window, the horizon and the blocks.

A *slot* is a stretch of one view period in which a track's transmission may lie such that its
setup and teardown stay inside the horizon and clear of every maintenance or outage block on every
member antenna. Both planners place tracks in slots; the validator does not use this module.

Slots are in whole seconds (view periods rounded inwards, setup and teardown upwards), so that the
CP-SAT model is exact on them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .model import Block, Problem, Request, Resource


@dataclass(frozen=True)
class Slot:
    request_index: int
    view_period: int  # index into the request's view_periods: pieces of one request use distinct ones
    resource: Resource
    lo: int  # earliest trx_on
    hi: int  # latest trx_off


@dataclass(frozen=True)
class Timing:
    """A request's durations in whole seconds."""

    setup: int
    teardown: int
    duration: int
    min_total: int
    min_piece: int
    max_pieces: int
    gap: int | None

    @classmethod
    def of(cls, r: Request) -> "Timing":
        duration = math.floor(r.duration_s + 1e-6)
        min_total = math.ceil(r.min_duration_s - 1e-6)
        min_piece = math.ceil(r.min_piece_s - 1e-6)
        return cls(
            setup=math.ceil(r.setup_s - 1e-6),
            teardown=math.ceil(r.teardown_s - 1e-6),
            duration=duration,
            min_total=max(min_total, 1),
            min_piece=max(min(min_piece, duration), 1),
            max_pieces=max(r.max_pieces, 1) if r.splittable else 1,
            gap=None if r.min_gap_s is None else math.ceil(r.min_gap_s - 1e-6),
        )


def subtract(windows: list[tuple[float, float]], cut_lo: float, cut_hi: float) -> list[tuple[float, float]]:
    """``windows`` minus the open interval ``(cut_lo, cut_hi)``."""
    out = []
    for lo, hi in windows:
        if cut_hi <= lo or cut_lo >= hi:
            out.append((lo, hi))
            continue
        if cut_lo > lo:
            out.append((lo, cut_lo))
        if cut_hi < hi:
            out.append((cut_hi, hi))
    return out


def blocks_by_antenna(blocks: tuple[Block, ...] | list[Block]) -> dict[str, list[Block]]:
    out: dict[str, list[Block]] = {}
    for b in blocks:
        out.setdefault(b.antenna, []).append(b)
    return out


def request_slots(problem: Problem, index: int, blocks: dict[str, list[Block]] | None = None) -> list[Slot]:
    """Every slot of request ``index`` long enough for one piece."""
    r = problem.requests[index]
    t = Timing.of(r)
    blocks = blocks_by_antenna(problem.blocks) if blocks is None else blocks
    lo_bound = max(problem.horizon_start + t.setup, r.window_start if r.window_start is not None else -math.inf)
    hi_bound = min(problem.horizon_end - t.teardown, r.window_end if r.window_end is not None else math.inf)
    slots: list[Slot] = []
    for k, vp in enumerate(r.view_periods):
        windows = [(max(math.ceil(vp.start), lo_bound), min(math.floor(vp.end), hi_bound))]
        for antenna in vp.resource:
            for b in blocks.get(antenna, ()):
                # the track [on - setup, off + teardown] must not overlap the block [start, end]
                windows = subtract(windows, b.start - t.teardown, b.end + t.setup)
        for lo, hi in windows:
            lo, hi = math.ceil(lo), math.floor(hi)
            if hi - lo >= t.min_piece:
                slots.append(Slot(index, k, vp.resource, lo, hi))
    return slots


def all_slots(problem: Problem) -> list[list[Slot]]:
    blocks = blocks_by_antenna(problem.blocks)
    return [request_slots(problem, i, blocks) for i in range(len(problem.requests))]
