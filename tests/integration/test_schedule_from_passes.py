"""Requests whose view periods come from groundnet's own pass prediction, planned and validated."""

from __future__ import annotations

from groundnet.schedule.cpsat import SolverOptions, solve
from groundnet.schedule.model import Problem, Request
from groundnet.schedule.passes import view_periods_from_passes
from groundnet.schedule.validate import validate


def test_plan_from_pass_prediction():
    from groundnet.orbits.catalog import load_catalog
    from groundnet.stations import load_network
    from groundnet.visibility.passes import find_passes

    elements = load_catalog("demo").elements[:8]
    antennas = load_network().select(["KIR-1", "SMA", "MLG"])
    start = max(e.epoch_unix for e in elements)  # a day from the newest epoch of the demo catalog
    table = find_passes(elements, antennas, start, start + 86400.0)
    resources = [(a.id,) for a in antennas]
    requests = []
    for e in elements:
        vps = view_periods_from_passes(table, e.norad_id, resources)
        if vps:
            # one 5-minute contact a day per spacecraft, any antenna, setup 5 min, teardown 2 min
            requests.append(Request(str(e.norad_id), str(e.norad_id), 300.0, 300.0, tuple(vps), setup_s=300, teardown_s=120))
    assert requests
    problem = Problem("passes", start, start + 86400.0, tuple(requests))
    plan = solve(problem, SolverOptions(time_limit_s=2, deterministic=True))
    assert validate(problem, plan) == []
    assert plan.tracks
