"""The validator against hand-made plans: a valid one passes, and each broken rule is caught."""

from __future__ import annotations

import pytest

from groundnet.schedule.model import Block, Plan, Problem, Request, Track, ViewPeriod
from groundnet.schedule.validate import validate

H = 3600.0
A, B, C = ("DSS-1",), ("DSS-2",), ("DSS-1", "DSS-2")


def _problem() -> Problem:
    """Antennas DSS-1 and DSS-2 over [0, 24 h], a maintenance block on DSS-2 at [20 h, 22 h]."""
    return Problem(
        "hand-made", 0.0, 24 * H,
        (
            Request("short", "M1", 2 * H, 1 * H, (ViewPeriod(A, 1 * H, 6 * H), ViewPeriod(B, 1 * H, 6 * H)),
                    setup_s=1800, teardown_s=900),
            Request("other", "M2", 2 * H, 2 * H, (ViewPeriod(A, 5 * H, 12 * H),), setup_s=1800, teardown_s=900),
            Request("long", "M3", 8 * H, 6 * H, (ViewPeriod(A, 10 * H, 20 * H), ViewPeriod(B, 15.5 * H, 20 * H),
                                                 ViewPeriod(B, 20 * H, 23 * H)),
                    setup_s=600, teardown_s=600, split_min_s=4 * H, max_pieces=2),
            Request("array", "M4", 2 * H, 2 * H, (ViewPeriod(C, 6 * H, 12 * H),), setup_s=0, teardown_s=0),
            Request("windowed", "M5", 1 * H, 1 * H, (ViewPeriod(B, 0.5 * H, 10 * H),), window_start=2 * H,
                    window_end=9 * H),
        ),
        (Block("DSS-2", 20 * H, 22 * H, "maintenance"),),
    )


def place(problem: Problem, rid: str, resource, on_h: float, off_h: float) -> Track:
    return Track.place(problem.request(rid), resource, on_h * H, off_h * H)


def rules(problem, tracks) -> set[str]:
    return {v.rule for v in validate(problem, Plan(problem.name, tracks))}


@pytest.fixture()
def problem():
    return _problem()


def test_valid_plan_passes(problem):
    tracks = [
        place(problem, "short", A, 1, 3),
        place(problem, "other", A, 5, 7),
        place(problem, "array", C, 8, 10),
        place(problem, "long", A, 10.5, 14.5),  # two pieces of 4 h in two view periods
        place(problem, "long", B, 15.6, 19.6),  # teardown ends at 19.77 h, before the 20 h maintenance
        place(problem, "windowed", B, 2, 3),
    ]
    assert validate(problem, Plan(problem.name, tracks)) == []


def test_pieces_overlap(problem):
    tracks = [place(problem, "long", A, 15, 19), place(problem, "long", B, 15.6, 19.6)]
    assert rules(problem, tracks) == {"pieces-overlap"}


def test_overlap(problem):
    tracks = [place(problem, "short", A, 4, 6), place(problem, "other", A, 5, 7)]
    assert rules(problem, tracks) == {"overlap"}


def test_setup_overlap(problem):
    # transmissions touch (6 h) but "other" needs 30 min of setup before 6 h on the same antenna
    tracks = [place(problem, "short", A, 4, 6), place(problem, "other", A, 6, 8)]
    assert rules(problem, tracks) == {"setup-overlap"}
    # with room for teardown (15 min) and setup (30 min) it is fine
    assert rules(problem, [place(problem, "short", A, 3, 5), place(problem, "other", A, 5.75, 7.75)]) == set()


def test_outside_view_period(problem):
    assert rules(problem, [place(problem, "short", A, 5, 7)]) == {"outside-view-period"}
    # spanning two view periods of one resource is not being inside one
    assert "outside-view-period" in rules(problem, [place(problem, "long", B, 16, 23)])


def test_below_min_duration_and_above_duration(problem):
    assert rules(problem, [place(problem, "short", A, 2, 2.5)]) == {"below-min-duration"}
    assert rules(problem, [place(problem, "short", A, 1.5, 4)]) == {"above-duration"}


def test_bad_split(problem):
    # "short" may not be split at all
    assert "bad-split" in rules(problem, [place(problem, "short", A, 1, 2), place(problem, "short", B, 3, 4)])
    # a piece shorter than 4 h
    assert "bad-split" in rules(problem, [place(problem, "long", A, 10.5, 14.5), place(problem, "long", B, 15.6, 18)])
    # three pieces where two are allowed
    three = [place(problem, "long", A, 10.5, 14.5), place(problem, "long", A, 14.9, 18.9),
             place(problem, "long", B, 15.6, 19.6)]
    assert "bad-split" in rules(problem, three)
    # two pieces in one view period
    assert rules(problem, [place(problem, "long", A, 10.5, 14.5), place(problem, "long", A, 14.9, 18.9)]) == {"bad-split"}


def test_maintenance_overlap(problem):
    # transmission ends at 19.9 h, teardown (10 min) runs into the 20 h maintenance
    tr = place(problem, "long", B, 15.95, 19.95)
    assert "block-overlap" in rules(problem, [tr])
    outage = Problem(problem.name, problem.horizon_start, problem.horizon_end, problem.requests,
                     problem.blocks + (Block("DSS-1", 1.5 * H, 1.6 * H, "outage"),))
    assert rules(outage, [place(outage, "short", A, 2, 4)]) == {"block-overlap"}


def test_array_member_busy(problem):
    # the array holds DSS-1 and DSS-2 over [8, 10]; a track on DSS-2 alone at [7, 9] collides
    tracks = [place(problem, "array", C, 8, 10), place(problem, "windowed", B, 7.5, 8.5)]
    assert rules(problem, tracks) == {"array-member-busy"}


def test_window_horizon_setup_and_unknowns(problem):
    assert rules(problem, [place(problem, "windowed", B, 1, 2)]) == {"outside-window"}
    early = Problem(problem.name, 1.2 * H, problem.horizon_end, problem.requests, problem.blocks)
    assert rules(early, [place(early, "short", A, 1.5, 3.5)]) == {"outside-horizon"}  # setup starts at 1.0 h
    squeezed = Track("short", A, 2 * H, 4 * H, 2 * H - 60, 4 * H + 900)
    assert rules(problem, [squeezed]) == {"setup-teardown"}
    assert rules(problem, [Track("nobody", A, H, 2 * H, H, 2 * H)]) == {"unknown-request"}
    assert rules(problem, [Track("short", ("DSS-9",), 2 * H, 4 * H, 1.5 * H, 4.25 * H)]) == {"unknown-resource"}
    assert "bad-times" in rules(problem, [Track("short", A, 3 * H, 2 * H, 1.5 * H, 3.25 * H)])


def test_mission_gap():
    vp = (ViewPeriod(A, 0, 10 * H), ViewPeriod(B, 0, 10 * H))
    p = Problem("gap", 0, 10 * H, (Request("a", "M", H, H, vp, min_gap_s=H), Request("b", "M", H, H, vp)))
    close = [Track.place(p.request("a"), A, 1 * H, 2 * H), Track.place(p.request("b"), B, 2.5 * H, 3.5 * H)]
    assert rules(p, close) == {"mission-gap"}
    apart = [Track.place(p.request("a"), A, 1 * H, 2 * H), Track.place(p.request("b"), B, 3 * H, 4 * H)]
    assert rules(p, apart) == set()
