"""Request files (TOML and JSON), plan files, the pass adapter and the metrics on hand-made input."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from groundnet.errors import InputFileError, RequestFileError
from groundnet.schedule.cpsat import SolverOptions, solve
from groundnet.schedule.metrics import compute_metrics
from groundnet.schedule.model import Plan, Problem, Request, Track, ViewPeriod
from groundnet.schedule.passes import view_periods_from_passes
from groundnet.schedule.plan_file import load_plan
from groundnet.schedule.requests_file import load_requests
from groundnet.schedule.validate import validate

EXAMPLE = (Path(__file__).resolve().parents[2] / "examples" / "schedule" / "requests.toml").read_text()  # in docs too


def test_toml_example_loads_and_plans(tmp_path):
    path = tmp_path / "requests.toml"
    path.write_text(EXAMPLE)
    problem, issues = load_requests(path)
    assert issues == []
    assert problem.name == "example" and problem.horizon_end - problem.horizon_start == 86400
    mex = problem.request("MEX-1")
    assert mex.setup_s == 1800 and mex.teardown_s == 900 and mex.splittable and mex.split_min_s == 7200
    tgo = problem.request("TGO-1")
    assert tgo.resources == (("DSS-34", "DSS-35"),) and tgo.priority == 2 and tgo.min_duration_s == 3 * 3600
    assert problem.blocks[0].antenna == "DSS-63"
    plan = solve(problem, SolverOptions(time_limit_s=2, deterministic=True))
    assert validate(problem, plan) == []
    m = compute_metrics(problem, plan)
    assert m.satisfied == 2 and m.hours == pytest.approx(9.0)


def test_json_is_the_same_structure(tmp_path):
    import tomllib
    data = tomllib.loads(EXAMPLE)
    path = tmp_path / "requests.json"
    path.write_text(json.dumps(data))
    problem, issues = load_requests(path)
    assert issues == [] and len(problem.requests) == 2


def test_bad_requests_are_reported_with_file_and_field(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(EXAMPLE + """
[[request]]
id = "bad-duration"
mission = "X"
duration_h = "long"
view_periods = []

[[request]]
id = "not-allowed"
mission = "X"
duration_h = 1
antennas = ["DSS-14"]
view_periods = [{ resource = "DSS-43", start = "2026-11-23T06:00:00Z", end = "2026-11-23T08:00:00Z" }]

[[request]]
id = "bad-time"
mission = "X"
duration_h = 1
view_periods = [{ resource = "DSS-43", start = "yesterday", end = "2026-11-23T08:00:00Z" }]

[[request]]
id = "typo"
mission = "X"
duration_hours = 1
""")
    problem, issues = load_requests(path)
    assert [r.id for r in problem.requests] == ["MEX-1", "TGO-1"]
    assert len(issues) == 4 and all(str(path) in i for i in issues)
    assert "field 'duration_h'" in issues[0]
    assert "field 'resource'" in issues[1] and "DSS-43" in issues[1]
    assert "field 'start'" in issues[2] and "yesterday" in issues[2]
    assert "unknown field(s) duration_hours" in issues[3]


def test_unreadable_files(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("name = [")
    with pytest.raises(RequestFileError, match="not valid TOML"):
        load_requests(broken)
    empty = tmp_path / "empty.toml"
    empty.write_text('horizon_start = "2026-11-23T00:00:00Z"\nhorizon_end = "2026-11-22T00:00:00Z"\n')
    with pytest.raises(RequestFileError, match="horizon_end"):
        load_requests(empty)


def test_antenna_class_resolves_against_the_network(tmp_path):
    path = tmp_path / "class.toml"
    path.write_text("""
horizon_start = "2026-11-23T00:00:00Z"
horizon_end = "2026-11-24T00:00:00Z"
[[request]]
id = "big"
mission = "VGR"
duration_h = 2
antenna_class = { dish_m = 70 }
view_periods = [{ resource = "DSS-43", start = "2026-11-23T06:00:00Z", end = "2026-11-23T10:00:00Z" }]
""")
    problem, issues = load_requests(path)
    assert issues == [] and problem.request("big").resources == (("DSS-43",),)
    path.write_text(path.read_text().replace("DSS-43", "DSS-34"))  # a 34 m antenna is not in the 70 m class
    with pytest.raises(RequestFileError, match="not among the request's allowed"):
        load_requests(path)


@dataclass
class FakePassTable:
    """The columns of the engine's PassTable that the adapter reads."""

    object_id: np.ndarray
    station_id: np.ndarray
    aos: np.ndarray
    los: np.ndarray


def test_view_periods_from_passes():
    table = FakePassTable(np.array([7, 7, 7, 8]), np.array(["DSS-34", "DSS-35", "DSS-34", "DSS-34"], dtype=object),
                          np.array([100.0, 150.0, 1000.0, 0.0]), np.array([400.0, 500.0, 1200.0, 50.0]))
    vps = view_periods_from_passes(table, 7, [("DSS-34",), ("DSS-35",), ("DSS-34", "DSS-35")])
    assert [(v.resource, v.start, v.end) for v in vps] == [
        (("DSS-34",), 100.0, 400.0), (("DSS-34",), 1000.0, 1200.0), (("DSS-35",), 150.0, 500.0),
        (("DSS-34", "DSS-35"), 150.0, 400.0)]
    assert view_periods_from_passes(table, 7, [("DSS-34",)], min_duration_s=250) == [ViewPeriod(("DSS-34",), 100.0, 400.0)]


def test_request_file_with_passes_file(tmp_path):
    (tmp_path / "passes.json").write_text(json.dumps([
        {"object_id": 27386, "station_id": "KIR-1", "aos": "2026-11-23T01:00:00.000Z", "los": "2026-11-23T01:12:00.000Z"},
        {"object_id": 27386, "station_id": "KIR-1", "aos": "2026-11-23T02:40:00.000Z", "los": "2026-11-23T02:52:00.000Z"},
        {"object_id": 99999, "station_id": "KIR-1", "aos": "2026-11-23T03:00:00.000Z", "los": "2026-11-23T03:10:00.000Z"},
    ]))
    (tmp_path / "req.toml").write_text("""
horizon_start = "2026-11-23T00:00:00Z"
horizon_end = "2026-11-24T00:00:00Z"
passes_file = "passes.json"
[[request]]
id = "env-1"
mission = "ENVISAT"
duration_h = 0.15
object_id = 27386
antennas = ["KIR-1"]
""")
    problem, issues = load_requests(tmp_path / "req.toml")
    assert issues == [] and len(problem.request("env-1").view_periods) == 2


def test_metrics_by_hand():
    h = 3600.0
    vp = (ViewPeriod(("A",), 0, 100 * h),)
    p = Problem("m", 0, 100 * h, (Request("a1", "M1", 4 * h, 2 * h, vp), Request("a2", "M1", 6 * h, 6 * h, vp),
                                  Request("b1", "M2", 10 * h, 5 * h, vp)))
    plan = Plan("m", [Track.place(p.request("a1"), ("A",), 0, 3 * h), Track.place(p.request("b1"), ("A",), 10 * h, 15 * h)])
    m = compute_metrics(p, plan)
    # M1: requested 10 h, got 3 h -> U = 0.7; M2: requested 10 h, got 5 h -> U = 0.5
    assert m.hours == pytest.approx(8.0) and m.satisfied == 2
    assert m.u_max == pytest.approx(0.7) and m.u_rms == pytest.approx(((0.7**2 + 0.5**2) / 2) ** 0.5)
    assert m.antennas["A"]["tracking_hours"] == pytest.approx(8.0)
    over = Plan("m", [Track.place(p.request("a1"), ("A",), 0, 5 * h)])  # 5 h given to a 4 h request counts 4 h
    assert compute_metrics(p, over).hours == pytest.approx(4.0)


def test_plan_file_errors(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"week": "W1", "tracks": [{"track_id": "x", "resource": "DSS-1", "trx_on": "soon"}]}))
    with pytest.raises(InputFileError, match="field 'trx_off'"):
        load_plan(path)
    path.write_text(json.dumps({"week": "W1", "tracks": [{"track_id": "x", "resource": "DSS-1_DSS-2", "trx_on": 5,
                                                          "trx_off": 9, "setup_start": 1, "teardown_end": 10}]}))
    plan = load_plan(path)
    assert plan.tracks[0].resource == ("DSS-1", "DSS-2") and plan.as_dict()["tracks"][0]["resource"] == "DSS-1_DSS-2"


def test_request_file_predicts_passes_from_a_catalog(tmp_path):
    from groundnet.orbits.catalog import load_catalog
    from groundnet.timebase import format_utc

    elements = load_catalog("demo").elements[:4]
    start = max(e.epoch_unix for e in elements)
    lines = [f'horizon_start = "{format_utc(start)}"', f'horizon_end = "{format_utc(start + 86400)}"', 'catalog = "demo"']
    for e in elements:
        lines += ["[[request]]", f'id = "{e.norad_id}-1"', f'mission = "{e.norad_id}"', "duration_h = 0.1",
                  "min_duration_h = 0.05", f"object_id = {e.norad_id}", 'antennas = ["KIR-1", "SMA"]']
    lines += ["[[request]]", 'id = "nowhere"', 'mission = "X"', "duration_h = 1", "object_id = 1"]
    path = tmp_path / "leo.toml"
    path.write_text("\n".join(lines) + "\n")
    problem, issues = load_requests(path)
    assert len(issues) == 1 and "object_id needs antennas" in issues[0]
    assert sum(len(r.view_periods) for r in problem.requests) > 0
    assert {vp.resource for r in problem.requests for vp in r.view_periods} <= {("KIR-1",), ("SMA",)}
    plan = solve(problem, SolverOptions(time_limit_s=1, deterministic=True))
    assert validate(problem, plan) == [] and plan.tracks
