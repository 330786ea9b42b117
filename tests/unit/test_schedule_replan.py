"""Re-planning on hand-made cases: what stays, what moves, and the impact per mission."""

from __future__ import annotations

import pytest

from groundnet.errors import ScheduleInputError
from groundnet.schedule.model import Block, Plan, Problem, Request, Track, ViewPeriod
from groundnet.schedule.replan import replan, with_outage
from groundnet.schedule.validate import validate

H = 3600.0
VPS = (ViewPeriod(("A",), 0, 5 * H), ViewPeriod(("B",), 5 * H, 10 * H), ViewPeriod(("C",), 5 * H, 10 * H))


def _problem(min_h: float) -> Problem:
    split = Request("split", "M1", 8 * H, min_h * H, VPS, split_min_s=4 * H, max_pieces=2)
    other = Request("other", "M2", 2 * H, 2 * H, (ViewPeriod(("A",), 6 * H, 10 * H),))
    return Problem("replan", 0, 10 * H, (split, other))


def _plan(problem: Problem) -> Plan:
    r = problem.request("split")
    return Plan(problem.name, [Track.place(r, ("A",), 0, 4 * H), Track.place(r, ("B",), 5 * H, 9 * H),
                               Track.place(problem.request("other"), ("A",), 7 * H, 9 * H)])


def test_kept_piece_stays_and_the_lost_one_moves_to_another_antenna():
    problem = _problem(min_h=4)
    plan = _plan(problem)
    assert validate(problem, plan) == []
    outage = Block("B", 4.5 * H, 10 * H, "outage")
    new, impact = replan(problem, plan, outage, time_limit_s=2, deterministic=True)
    assert validate(with_outage(problem, outage), new) == []
    assert plan.tracks[0] in new.tracks and plan.tracks[2] in new.tracks  # untouched contacts stay put
    assert [t.resource for t in impact.new_tracks] == [("C",)]
    assert impact.hours_lost == pytest.approx(0.0) and impact.requests_dropped == []
    assert impact.missions["M1"]["hours_after"] == pytest.approx(8.0)


def test_request_short_of_its_minimum_is_planned_again_whole_or_dropped():
    problem = _problem(min_h=8)
    plan = _plan(problem)
    outage = Block("C", 0, 10 * H, "outage")  # nothing on C: no contact is hit
    new, impact = replan(problem, plan, outage, time_limit_s=2, deterministic=True)
    assert new.tracks == plan.tracks and impact.affected == [] and impact.missions == {}
    # B fails and C fails: the 8 h request cannot get 8 h any more and is dropped
    both = with_outage(problem, Block("C", 0, 10 * H, "outage"))
    new, impact = replan(both, plan, Block("B", 4.5 * H, 10 * H, "outage"), time_limit_s=2, deterministic=True)
    assert validate(with_outage(both, Block("B", 4.5 * H, 10 * H, "outage")), new) == []
    assert {t.request_id for t in new.tracks} == {"other"}
    assert impact.requests_dropped == ["split"]
    assert impact.missions["M1"]["hours_lost"] == pytest.approx(8.0)


def test_unknown_antenna_and_bad_outage():
    problem = _problem(min_h=4)
    with pytest.raises(ScheduleInputError, match="no request or block"):
        replan(problem, _plan(problem), ("Z", 0, H))
    with pytest.raises(ScheduleInputError, match="must come after"):
        replan(problem, _plan(problem), ("A", H, 0))
