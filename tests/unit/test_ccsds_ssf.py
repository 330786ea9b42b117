"""CCSDS Simple Schedule Format: plans written as SSF (valid against the shipped schema), read back
as the same plan, partner schedules as blocked antenna time, and bad SSF records refused with
line and element while the rest is kept."""

from __future__ import annotations

import json
import time

import pytest
from typer.testing import CliRunner

from groundnet.ccsds.ssf import (network_sites, parse_ssf, plan_ssf, read_ssf, ssf_blocks, ssf_plan, ssf_xml,
                                 validate_ssf)
from groundnet.ccsds.times import format_doy
from groundnet.cli import app
from groundnet.errors import CcsdsError, UnsafeXmlError
from groundnet.schedule.greedy import greedy_plan
from groundnet.schedule.plan_file import load_plan
from groundnet.schedule.requests_file import load_requests
from groundnet.schedule.satnet import load_satnet
from groundnet.schedule.validate import validate
from groundnet.stations import load_network

EXAMPLE = "examples/schedule/requests.toml"


@pytest.fixture(scope="module")
def sites():
    return network_sites(load_network())


@pytest.fixture(scope="module")
def satnet_week(shared_data):
    problem, _ = load_satnet(shared_data / "satnet" / "W10_2018.json")
    return problem, greedy_plan(problem)


def test_a_real_dsn_week_round_trips_through_ssf(satnet_week, sites):
    problem, plan = satnet_week
    missions = {r.id: r.mission for r in problem.requests}
    doc = plan_ssf(plan, user_of=missions.__getitem__, sites=sites, generated_unix=time.time())
    data = ssf_xml(doc)  # validated against the schema on the way out
    back = parse_ssf(data, "week.xml", sites=sites)
    assert back.problems == []
    assert len({a.user for a in back.activities}) == len({missions[t.request_id] for t in plan.tracks})
    assert ssf_plan(back).as_dict() == plan.as_dict()
    # The header is day-of-year UTC; every activity names its site.
    assert b'startTime="2018-' in data and all(a.site for a in back.activities)


def test_cli_writes_a_valid_ssf_and_it_reads_back_as_the_plan(tmp_path, sites):
    runner = CliRunner()
    plan_path, xml_path = tmp_path / "plan.json", tmp_path / "plan.xml"
    r = runner.invoke(app, ["schedule", "plan", EXAMPLE, "--solver", "greedy", "--quiet", "--output", str(plan_path)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["ccsds", "ssf", str(plan_path), "--requests", EXAMPLE, "--output", str(xml_path)])
    assert r.exit_code == 0, r.output
    validate_ssf(xml_path.read_bytes())
    ssf = read_ssf(xml_path, sites=sites)
    assert {a.user for a in ssf.activities} == {"MEX", "TGO"}
    tgo = next(a for a in ssf.activities if a.user == "TGO")
    assert tgo.aperture == "DSS-34_DSS-35" and tgo.site == "cdscc" and tgo.status == "COMMITTED"
    assert [(s.service_type, s.frequency_band) for s in tgo.services] == [
        ("TELEMETRY", "X-DS"), ("TELECOMMAND", "X-DS"), ("RANGING", "X-DS"), ("DOPPLER", "X-DS")]
    assert ssf_plan(ssf).as_dict() == load_plan(plan_path).as_dict()
    # To standard output, tentative.
    r = runner.invoke(app, ["ccsds", "ssf", str(plan_path), "--requests", EXAMPLE, "--status", "tentative"])
    assert r.exit_code == 0 and 'activityStatus="TENTATIVE"' in r.stdout
    # `ccsds check` reads it, in each format.
    for fmt in ("table", "csv", "json"):
        r = runner.invoke(app, ["ccsds", "check", str(xml_path), "--format", fmt])
        assert r.exit_code == 0 and "SSF" in r.stdout, r.output
    out = tmp_path / "report.json"
    r = runner.invoke(app, ["ccsds", "check", str(xml_path), "--format", "json", "--output", str(out)])
    (row,) = json.loads(out.read_text())
    assert row["kind"] == "SSF" and row["records"] == 2 and row["objects"] == ["MEX", "TGO"]


def test_cli_without_the_request_file_groups_tracks_by_the_spacecraft_their_ids_name(tmp_path):
    runner = CliRunner()
    plan_path = tmp_path / "plan.json"
    r = runner.invoke(app, ["schedule", "plan", EXAMPLE, "--solver", "greedy", "--quiet", "--output", str(plan_path)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["ccsds", "ssf", str(plan_path), "--output", str(tmp_path / "plan.xml")])
    assert r.exit_code == 0 and "warning" not in r.output, r.output
    ssf = read_ssf(tmp_path / "plan.xml")
    assert {a.user for a in ssf.activities} == {"MEX", "TGO"} and all(a.services for a in ssf.activities)
    # Ids that name no spacecraft: one package each, and a warning saying how to do better.
    doc = json.loads(plan_path.read_text())
    for k, t in enumerate(doc["tracks"]):
        t["track_id"] = f"req{k}"
    plan_path.write_text(json.dumps(doc))
    r = runner.invoke(app, ["ccsds", "ssf", str(plan_path), "--output", str(tmp_path / "plan.xml")])
    assert r.exit_code == 0 and "2 track(s) name no spacecraft" in r.output and "--requests" in r.output
    assert {a.user for a in read_ssf(tmp_path / "plan.xml").activities} == {"req0", "req1"}


def test_the_schema_refuses_what_the_format_does_not_allow(satnet_week, sites):
    problem, plan = satnet_week
    data = ssf_xml(plan_ssf(plan, user_of=lambda r: "X", sites=sites, generated_unix=0.0))
    with pytest.raises(CcsdsError, match="not a valid Simple Schedule"):
        validate_ssf(data.replace(b'activityStatus="COMMITTED"', b'activityStatus="MAYBE"', 1))
    with pytest.raises(CcsdsError, match="not a valid Simple Schedule"):
        validate_ssf(data.replace(b'beginningOfTrack="2018-', b'beginningOfTrack="18-', 1))


def test_a_partner_schedule_blocks_antenna_time_for_the_scheduler(sites):
    problem, _ = load_requests(EXAMPLE)
    partner = f"""<?xml version="1.0"?>
<simpleSchedule xmlns="urn:ccsds:schema:cssm:1.0.0">
  <simpleScheduleHeader originatingOrganization="NASA" generationTime="2026-326T00:00:00Z" status="OPERATIONAL"
    inclusionType="START_INCLUSION" version="1" startTime="2026-327T00:00:00Z" endTime="2026-328T00:00:00Z"/>
  <scheduledPackage scheduledPackageId="JUNO" user="JUNO">
    <scheduledActivity scheduledActivityId="J1" activityStatus="COMMITTED" siteRef="{sites['DSS-43']}" apertureRef="DSS-43"
      beginningOfActivity="2026-327T00:00:00Z" beginningOfTrack="2026-327T00:30:00Z" endOfTrack="2026-327T23:30:00Z"
      endOfActivity="2026-327T23:59:59Z"/>
    <scheduledActivity scheduledActivityId="J2" activityStatus="TENTATIVE" siteRef="{sites['DSS-63']}" apertureRef="DSS-63"
      beginningOfActivity="2026-327T00:00:00Z" beginningOfTrack="2026-327T00:30:00Z" endOfTrack="2026-327T23:30:00Z"
      endOfActivity="2026-327T23:59:59Z"/>
  </scheduledPackage>
</simpleSchedule>"""
    blocks = ssf_blocks(parse_ssf(partner, "partner.xml", sites=sites))
    assert [(b.antenna, b.reason) for b in blocks] == [("DSS-43", "partner JUNO (J1)")]  # committed only
    free = greedy_plan(problem)
    assert any("DSS-43" in t.resource for t in free.tracks)
    blocked_problem = problem.with_blocks(blocks)
    plan = greedy_plan(blocked_problem)
    assert not any("DSS-43" in t.resource for t in plan.tracks)
    assert validate(blocked_problem, plan) == []


BAD = """<?xml version="1.0" encoding="UTF-8"?>
<simpleSchedule xmlns="urn:ccsds:schema:cssm:1.0.0">
  <simpleScheduleHeader originatingOrganization="PARTNER" generationTime="2026-326T00:00:00.000Z" status="OPERATIONAL"
    inclusionType="START_INCLUSION" version="1" startTime="2026-327T00:00:00.000Z" endTime="2026-328T00:00:00.000Z"/>
  <scheduledPackage scheduledPackageId="MEX" user="MEX">
    <scheduledActivity scheduledActivityId="good" activityStatus="COMMITTED" siteRef="{cdscc}" apertureRef="DSS-43"
      beginningOfActivity="2026-327T01:00:00Z" beginningOfTrack="2026-327T01:30:00Z" endOfTrack="2026-327T05:00:00Z" endOfActivity="2026-327T05:15:00Z"/>
    <scheduledActivity scheduledActivityId="overlap" activityStatus="COMMITTED" siteRef="{cdscc}" apertureRef="DSS-43"
      beginningOfActivity="2026-327T05:00:00Z" beginningOfTrack="2026-327T05:30:00Z" endOfTrack="2026-327T07:00:00Z" endOfActivity="2026-327T07:15:00Z"/>
    <scheduledActivity scheduledActivityId="backwards" activityStatus="COMMITTED" siteRef="{cdscc}" apertureRef="DSS-34"
      beginningOfActivity="2026-327T08:00:00Z" beginningOfTrack="2026-327T08:30:00Z" endOfTrack="2026-327T08:00:00Z" endOfActivity="2026-327T09:15:00Z"/>
    <scheduledActivity scheduledActivityId="nowhere" activityStatus="COMMITTED" siteRef="atlantis" apertureRef="ATL-1"
      beginningOfActivity="2026-327T08:00:00Z" beginningOfTrack="2026-327T08:30:00Z" endOfTrack="2026-327T09:00:00Z" endOfActivity="2026-327T09:15:00Z"/>
    <scheduledActivity scheduledActivityId="calendar" activityStatus="COMMITTED" siteRef="{cdscc}" apertureRef="DSS-35"
      beginningOfActivity="2026-11-23T08:00:00Z" beginningOfTrack="2026-327T08:30:00Z" endOfTrack="2026-327T09:00:00Z" endOfActivity="2026-327T09:15:00Z"/>
    <scheduledActivity scheduledActivityId="also-good" activityStatus="TENTATIVE" siteRef="{cdscc}" apertureRef="DSS-35"
      beginningOfActivity="2026-327T10:00:00Z" beginningOfTrack="2026-327T10:30:00Z" endOfTrack="2026-327T11:00:00Z" endOfActivity="2026-327T11:15:00Z"/>
    <scheduledActivity scheduledActivityId="no-terminator" activityStatus="COMMITTED" siteRef="{cdscc}" apertureRef="DSS-35"
      beginningOfActivity="2026-327T12:00:00" beginningOfTrack="2026-327T12:30:00.5" endOfTrack="2026-327T13:00:00" endOfActivity="2026-327T13:15:00"/>
  </scheduledPackage>
</simpleSchedule>
"""


def test_bad_activities_are_refused_with_line_and_element_and_the_rest_kept(tmp_path, sites):
    text = BAD.replace("{cdscc}", sites["DSS-43"])
    path = tmp_path / "partner.xml"
    path.write_text(text)
    ssf = read_ssf(path, sites=sites)
    # CCSDS 301.0's ASCII time code makes the trailing Z optional: "no-terminator" is kept.
    assert [a.activity_id for a in ssf.activities] == ["good", "also-good", "no-terminator"]
    assert ssf.activities[2].begin_track == ssf.activities[2].begin_activity + 1800.5
    lines = text.splitlines()

    def line_of(activity_id):
        return next(i for i, ln in enumerate(lines, 1) if f'"{activity_id}"' in ln)

    got = {p.line: (p.field, p.reason) for p in ssf.problems}
    field, reason = got[line_of("overlap")]
    assert field == "scheduledActivity.beginningOfActivity" and "overlaps activity good" in reason
    field, reason = got[line_of("backwards")]
    assert field == "scheduledActivity.endOfTrack" and "endOfTrack 2026-327T08:00:00Z is before beginningOfTrack" in reason
    field, reason = got[line_of("nowhere")]
    assert field == "scheduledActivity.siteRef" and "unknown site 'atlantis'" in reason
    field, reason = got[line_of("calendar")]
    assert field == "scheduledActivity.beginningOfActivity" and "not a CCSDS day-of-year time" in reason
    assert len(ssf.problems) == 4
    r = CliRunner().invoke(app, ["ccsds", "check", str(path), "--format", "json"])
    assert r.exit_code == 1
    rows = json.loads(r.stdout)
    assert rows[0]["records"] == 3 and "4 activities refused, 3 kept" in rows[0]["error"]
    assert len(rows) == 5 and all(f"partner.xml:{line_of(i)}" in rows[k + 1]["error"]
                                  for k, i in enumerate(["overlap", "backwards", "nowhere", "calendar"]))


def test_unsafe_or_broken_ssf_is_refused(tmp_path, sites):
    with pytest.raises(UnsafeXmlError):
        parse_ssf('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><simpleSchedule/>', "evil.xml")
    with pytest.raises(CcsdsError, match="must begin with <simpleScheduleHeader>"):
        parse_ssf("<simpleSchedule><scheduledPackage/></simpleSchedule>", "nohead.xml")
    with pytest.raises(CcsdsError, match="not well-formed"):
        parse_ssf("<simpleSchedule><simpleScheduleHeader", "cut.xml")


def test_schedule_plan_keeps_a_partner_schedule_free(tmp_path, sites):
    partner = BAD.replace("{cdscc}", sites["DSS-43"]).replace(
        'beginningOfActivity="2026-327T01:00:00Z"', 'beginningOfActivity="2026-327T00:00:00Z"').replace(
        'endOfActivity="2026-327T05:15:00Z"', 'endOfActivity="2026-327T23:59:00Z"')
    ssf_path, plan_path = tmp_path / "partner.xml", tmp_path / "plan.json"
    ssf_path.write_text(partner)
    r = CliRunner().invoke(app, ["schedule", "plan", EXAMPLE, "--solver", "greedy", "--partner-ssf", str(ssf_path),
                                 "--output", str(plan_path)])
    assert r.exit_code == 0, r.output
    assert "warning: " in r.stderr and "unknown site 'atlantis'" in r.stderr
    tracks = json.loads(plan_path.read_text())["tracks"]
    assert tracks and not any("DSS-43" in t["resource"] for t in tracks)


def test_schedule_satnet_keeps_a_partner_schedule_free(tmp_path, shared_data, sites, satnet_week):
    problem, free_plan = satnet_week
    busy = [t for t in free_plan.tracks if t.resource == ("DSS-43",)]
    assert busy, "the free plan uses DSS-43"
    d = format_doy
    partner = f"""<simpleSchedule xmlns="urn:ccsds:schema:cssm:1.0.0">
  <simpleScheduleHeader originatingOrganization="ESA" generationTime="{d(problem.horizon_start)}" status="OPERATIONAL"
    inclusionType="START_INCLUSION" version="1" startTime="{d(problem.horizon_start)}" endTime="{d(problem.horizon_end)}"/>
  <scheduledPackage scheduledPackageId="ROSETTA" user="ROSETTA">
    <scheduledActivity scheduledActivityId="R1" activityStatus="COMMITTED" siteRef="{sites['DSS-43']}" apertureRef="DSS-43"
      beginningOfActivity="{d(problem.horizon_start)}" beginningOfTrack="{d(problem.horizon_start + 60)}"
      endOfTrack="{d(problem.horizon_end - 60)}" endOfActivity="{d(problem.horizon_end)}"/>
  </scheduledPackage>
</simpleSchedule>"""
    ssf_path, plan_path = tmp_path / "partner.xml", tmp_path / "week.json"
    ssf_path.write_text(partner)
    r = CliRunner().invoke(app, ["schedule", "satnet", str(shared_data / "satnet" / "W10_2018.json"), "--solver", "greedy",
                                 "--quiet", "--partner-ssf", str(ssf_path), "--output", str(plan_path)])
    assert r.exit_code == 0, r.output
    tracks = json.loads(plan_path.read_text())["tracks"]
    assert tracks and not any("DSS-43" in t["resource"].split("_") for t in tracks)


def test_a_partner_schedule_is_read_from_a_url(tmp_path, sites):
    """`serve --partner-ssf URL`: fetched over HTTP (a loopback server here), checked like a file."""
    import functools
    import http.server
    import threading

    from groundnet.errors import FeedError
    from groundnet.live.partner_ssf import load_partner_ssf, partner_blocks, partner_data

    (tmp_path / "partner.xml").write_text(BAD.replace("{cdscc}", sites["DSS-43"]))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        ssf = load_partner_ssf(f"{base}/partner.xml", load_network())
        assert [a.activity_id for a in ssf.activities] == ["good", "also-good", "no-terminator"]
        assert len(ssf.problems) == 4
        data = partner_data(ssf, f"{base}/partner.xml")
        assert [(b.antenna_id, b.kind) for b in partner_blocks(data)] == [("DSS-43", "outage"), ("DSS-35", "outage")]  # not the tentative one
        with pytest.raises(FeedError, match="cannot fetch"):
            load_partner_ssf(f"{base}/missing.xml", load_network())
    finally:
        server.shutdown()
        server.server_close()
