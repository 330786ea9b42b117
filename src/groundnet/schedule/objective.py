"""One objective for every planner: the four published metrics, each in its natural unit.

    score = hours / requested hours            (share of requested time scheduled, 0..1)
          + satisfied / requests               (share of requests satisfied, 0..1)
          - mean over missions of U_m^2        (U_rms squared: fairness across missions)
          - U_max                              (the worst-served mission)

Every term is a fraction of the same order, so none is tuned to a particular week: an hour is
worth 1/requested hours, a request 1/requests, and fairness is weighed by how far each mission is
from being served. Requests with ``priority`` p count p times in the first two terms.
The greedy planner compares its variants with :func:`score`; the CP-SAT model maximises the same
expression (U_m^2 by tangent lines, exact at every 1/20).
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Problem


@dataclass(frozen=True)
class Weights:
    hours: float = 1.0
    satisfied: float = 1.0
    u_mean_square: float = 1.0
    u_max: float = 1.0


DEFAULT_WEIGHTS = Weights()


def normalisers(problem: Problem) -> tuple[float, float]:
    """(priority-weighted requested seconds, priority-weighted request count)."""
    total_s = sum(r.priority * r.duration_s for r in problem.requests) or 1.0
    count = sum(r.priority for r in problem.requests) or 1.0
    return total_s, count


def mission_shortfall(problem: Problem, scheduled_s: dict[str, float]) -> dict[str, float]:
    """U_m per mission: (requested - scheduled) / requested, each request capped at its duration."""
    requested: dict[str, float] = {}
    got: dict[str, float] = {}
    for r in problem.requests:
        requested[r.mission] = requested.get(r.mission, 0.0) + r.duration_s
        got[r.mission] = got.get(r.mission, 0.0) + min(scheduled_s.get(r.id, 0.0), r.duration_s)
    return {m: (requested[m] - got[m]) / requested[m] if requested[m] > 0 else 0.0 for m in requested}


def score(problem: Problem, scheduled_s: dict[str, float], weights: Weights = DEFAULT_WEIGHTS) -> float:
    """The objective of a plan given each request's scheduled seconds."""
    total_s, count = normalisers(problem)
    hours = sat = 0.0
    for r in problem.requests:
        s = min(scheduled_s.get(r.id, 0.0), r.duration_s)
        hours += r.priority * s
        sat += r.priority * (s > 0 and s + 1e-6 >= r.min_duration_s)
    us = list(mission_shortfall(problem, scheduled_s).values())
    mean_sq = sum(u * u for u in us) / len(us) if us else 0.0
    return (weights.hours * hours / total_s + weights.satisfied * sat / count
            - weights.u_mean_square * mean_sq - weights.u_max * (max(us) if us else 0.0))
