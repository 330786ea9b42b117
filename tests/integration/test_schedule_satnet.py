"""The real DSN week of the SatNet benchmark (W10 2018): import, plan, validate, re-plan, CLI."""

from __future__ import annotations

import json

import pytest

from groundnet.cli import main
from groundnet.schedule.cpsat import SolverOptions, solve
from groundnet.schedule.greedy import greedy_plan
from groundnet.schedule.metrics import compute_metrics
from groundnet.schedule.model import Block
from groundnet.schedule.objective import score
from groundnet.schedule.plan_file import load_plan
from groundnet.schedule.replan import replan, with_outage
from groundnet.schedule.satnet import load_satnet
from groundnet.schedule.validate import validate


def run(args: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 0


@pytest.fixture(scope="module")
def week(shared_data):
    satnet = shared_data / "satnet"
    problem, issues = load_satnet(satnet / "W10_2018.json", "W10_2018", satnet / "maintenance_W10_2018.csv")
    assert issues == []
    return problem


def test_import_counts(week, shared_data):
    # counts from the file itself (SatNet problems.json, key W10_2018) and its maintenance rows for week 10
    raw = json.loads((shared_data / "satnet" / "W10_2018.json").read_text())["W10_2018"]
    assert len(week.requests) == len(raw) == 257
    assert len(week.missions) == 30
    assert week.antennas == ("DSS-14", "DSS-24", "DSS-25", "DSS-26", "DSS-34", "DSS-35", "DSS-36", "DSS-43",
                             "DSS-54", "DSS-55", "DSS-63", "DSS-65")
    resources = {r for req in week.requests for r in req.resources}
    assert len(resources) == 39 and sum(len(r) == 2 for r in resources) == 27
    assert sum(len(r.view_periods) for r in week.requests) == 2513
    assert len(week.blocks) == 37
    assert week.horizon_end - week.horizon_start == 180 * 3600
    assert week.horizon_start == 1520208000  # Monday 2018-03-05 00:00 UTC (ISO week 10)
    assert sum(r.duration_s for r in week.requests) / 3600 == pytest.approx(1191.5)
    splittable = [r for r in week.requests if r.splittable]
    assert len(splittable) == sum(1 for r in raw if r["duration"] >= 8) and all(r.split_min_s == 4 * 3600 for r in splittable)


def test_bad_records_are_reported_and_good_ones_kept(tmp_path, shared_data):
    raw = json.loads((shared_data / "satnet" / "W10_2018.json").read_text())
    reqs = raw["W10_2018"][:5]
    reqs[1] = {k: v for k, v in reqs[1].items() if k != "duration"}
    reqs[2] = {**reqs[2], "duration_min": reqs[2]["duration"] + 1}
    reqs[3] = {**reqs[3], "resource_vp_dict": {"DSS-34": [{"TRX ON": 5, "TRX OFF": 1}]}}
    path = tmp_path / "broken.json"
    path.write_text(json.dumps({"W10_2018": reqs}))
    problem, issues = load_satnet(path)
    assert len(problem.requests) == 2 and len(issues) == 3
    assert "field 'duration'" in issues[0] and str(path) in issues[0]
    assert "field 'duration_min'" in issues[1]
    assert "TRX OFF" in issues[2]


def test_week_plans_end_to_end(week):
    greedy = greedy_plan(week)
    assert validate(week, greedy) == []
    plan = solve(week, SolverOptions(time_limit_s=8, seed=1))
    assert validate(week, plan) == []
    assert score(week, compute_metrics(week, plan).request_scheduled_s) >= \
        score(week, compute_metrics(week, greedy).request_scheduled_s)
    m = compute_metrics(week, plan)
    assert m.requests == 257 and 0 < m.hours <= 1191.5 and 0 <= m.u_rms <= m.u_max <= 1
    # an array track occupies both its antennas in the load
    assert sum(a["tracks"] for a in m.antennas.values()) == sum(len(t.resource) for t in plan.tracks)

    # re-planning after a 12 h outage of the busiest antenna
    busiest = max(m.antennas, key=lambda a: m.antennas[a]["occupied_hours"])
    outage = Block(busiest, week.horizon_start + 40 * 3600, week.horizon_start + 52 * 3600, "outage")
    new, impact = replan(week, plan, outage, time_limit_s=5)
    assert validate(with_outage(week, outage), new) == []
    assert impact.affected and all(busiest in t.resource for t in impact.affected)
    assert set(plan.tracks) - set(impact.affected) <= set(new.tracks) | {
        t for t in plan.tracks if t.request_id in {a.request_id for a in impact.affected}}
    lost = sum(v["hours_lost"] for v in impact.missions.values())
    assert lost == pytest.approx(impact.hours_lost, abs=0.01)
    assert impact.hours_lost <= sum(t.duration_s for t in impact.affected) / 3600 + 1e-6


def test_cli_satnet_and_replan(tmp_path, shared_data, capsys):
    path = shared_data / "satnet" / "W10_2018.json"
    out = tmp_path / "plan.json"
    run(["schedule", "satnet", str(path), "--week", "W10_2018", "--time-limit", "3", "--output", str(out),
          "--format", "json", "--quiet"])
    report = json.loads(capsys.readouterr().out)
    assert set(report["metrics"]) == {"scheduled_hours", "satisfied_requests", "requests", "u_rms", "u_max"}
    doc = json.loads(out.read_text())
    assert set(doc) == {"week", "tracks"} and doc["week"] == "W10_2018"
    assert all(set(t) == {"track_id", "resource", "trx_on", "trx_off", "setup_start", "teardown_end"}
               for t in doc["tracks"])
    assert all(isinstance(t["trx_on"], int) for t in doc["tracks"])
    problem, _ = load_satnet(path, maintenance=shared_data / "satnet" / "maintenance_W10_2018.csv")
    assert validate(problem, load_plan(out, problem)) == []
    assert report["metrics"]["satisfied_requests"] == compute_metrics(problem, load_plan(out, problem)).satisfied

    new = tmp_path / "replanned.json"
    run(["schedule", "replan", str(out), "--satnet", str(path), "--outage", "DSS-14,2018-03-06T00:00:00Z,1520380800",
          "--output", str(new), "--format", "json", "--quiet"])
    impact = json.loads(capsys.readouterr().out)
    assert impact["outage"]["antenna"] == "DSS-14"
    outage = Block("DSS-14", 1520294400, 1520380800, "outage")
    assert validate(with_outage(problem, outage), load_plan(new, problem)) == []


def test_cli_errors_are_one_line(tmp_path, shared_data, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["schedule", "satnet", str(shared_data / "satnet" / "W10_2018.json"), "--week", "W11_2018", "--quiet"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "has no week 'W11_2018'" in err and len(err.strip().splitlines()) == 1
