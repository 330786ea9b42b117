"""Properties of every plan the planners make, on random problems: no antenna does two things at
once, every transmission lies inside one view period of its resource, and the validator agrees."""

from __future__ import annotations

from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groundnet.schedule import cpsat
from groundnet.schedule.cpsat import SolverOptions, solve
from groundnet.schedule.greedy import greedy_plan
from groundnet.schedule.model import Block, Plan, Problem, Request, ViewPeriod
from groundnet.schedule.replan import replan, with_outage
from groundnet.schedule.validate import validate

ANTENNAS = ("A-1", "A-2", "A-3")
RESOURCES = [(a,) for a in ANTENNAS] + [("A-1", "A-2"), ("A-2", "A-3")]
SPAN = 48 * 3600


@st.composite
def problems(draw) -> Problem:
    requests = []
    for k in range(draw(st.integers(1, 12))):
        vps = []
        for _ in range(draw(st.integers(1, 4))):
            start = draw(st.integers(0, SPAN - 1800))
            vps.append(ViewPeriod(draw(st.sampled_from(RESOURCES)), start,
                                  min(start + draw(st.integers(1800, 12 * 3600)), SPAN + 3600)))
        duration = draw(st.integers(1800, 10 * 3600))
        split = draw(st.booleans())
        requests.append(Request(
            f"r{k}", f"M{draw(st.integers(0, 3))}", duration, draw(st.integers(600, duration)), tuple(vps),
            setup_s=draw(st.sampled_from([0, 300, 1800, 3600])), teardown_s=draw(st.sampled_from([0, 900, 2400])),
            window_start=draw(st.one_of(st.none(), st.integers(0, SPAN // 2))),
            split_min_s=duration // 3 if split else None, max_pieces=3 if split else 1,
            priority=draw(st.integers(1, 3)),
            min_gap_s=draw(st.one_of(st.none(), st.none(), st.integers(0, 7200))),
        ))
    blocks = tuple(Block(draw(st.sampled_from(ANTENNAS)), s, s + draw(st.integers(600, 8 * 3600)))
                   for s in draw(st.lists(st.integers(0, SPAN), max_size=3)))
    return Problem("random", 0, SPAN, tuple(requests), blocks)


def assert_sound(problem: Problem, plan: Plan) -> None:
    # independent of the validator: no antenna double-booked ...
    per_antenna: dict[str, list] = {}
    for t in plan.tracks:
        for a in t.resource:
            per_antenna.setdefault(a, []).append((t.setup_start, t.teardown_end))
    for spans in per_antenna.values():
        spans.sort()
        for (_, end), (start, _) in zip(spans, spans[1:]):
            assert start >= end
    # ... and every transmission inside one view period of its own resource
    for t in plan.tracks:
        r = problem.request(t.request_id)
        assert any(vp.resource == t.resource and vp.start <= t.trx_on < t.trx_off <= vp.end for vp in r.view_periods)
    assert validate(problem, plan) == []


SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)


@settings(max_examples=60, **SETTINGS)
@given(problems())
def test_greedy_plans_are_sound(problem):
    assert_sound(problem, greedy_plan(problem))


@settings(max_examples=40, **SETTINGS)
@given(problems())
def test_cpsat_plans_are_sound(problem):
    assert_sound(problem, solve(problem, SolverOptions(time_limit_s=0.5, deterministic=True)))


@settings(max_examples=15, **SETTINGS)
@given(problems())
def test_neighbourhood_search_plans_are_sound(problem):
    # the search a DSN week gets, here on small problems: a few steps freeing a few requests each
    with patch.object(cpsat, "FULL_MODEL_SLOTS", -1), patch.object(cpsat, "NEIGHBOURHOOD_REQUESTS", 3):
        plan = solve(problem, SolverOptions(time_limit_s=2, deterministic=True))
    assert plan.detail["steps"] == 4
    assert_sound(problem, plan)


@settings(max_examples=20, **SETTINGS)
@given(problems(), st.sampled_from(ANTENNAS), st.integers(0, SPAN), st.integers(1800, 24 * 3600))
def test_replans_are_sound_and_keep_unaffected_tracks(problem, antenna, start, length):
    plan = greedy_plan(problem)
    outage = Block(antenna, start, start + length, "outage")
    if antenna not in problem.antennas:
        return
    new, impact = replan(problem, plan, outage, time_limit_s=1.0, deterministic=True)
    assert_sound(with_outage(problem, outage), new)
    untouched = [t for t in plan.tracks if t not in impact.affected]
    kept_s: dict[str, float] = {}
    for t in untouched:
        kept_s[t.request_id] = kept_s.get(t.request_id, 0.0) + t.duration_s
    hit = {t.request_id for t in impact.affected}
    # every unaffected contact stays exactly where it was; the one exception is a split request that lost a
    # piece and whose other pieces no longer meet its minimum: it is planned again whole
    for t in untouched:
        released = t.request_id in hit and kept_s[t.request_id] < problem.request(t.request_id).min_duration_s - 1e-6
        assert t in new.tracks or released
