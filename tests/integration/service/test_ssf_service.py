"""CCSDS Simple Schedule in the live service: the plan as SSF, a partner's SSF on the board (from a file
at start and POSTed with a token), its committed activities kept free by the planner."""

from __future__ import annotations

from groundnet.ccsds.ssf import network_sites, parse_ssf, validate_ssf
from groundnet.ccsds.times import format_doy
from groundnet.stations import load_network

from .conftest import T0
from .test_api import make_client, token

H = 3600.0


def _partner_ssf(antenna: str, site: str, start: float, end: float, extra: str = "") -> str:
    d = format_doy
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<simpleSchedule xmlns="urn:ccsds:schema:cssm:1.0.0">
  <simpleScheduleHeader originatingOrganization="NASA" generationTime="{d(T0 - 86400)}" status="OPERATIONAL"
    inclusionType="START_INCLUSION" version="1" startTime="{d(start)}" endTime="{d(end)}"/>
  <scheduledPackage scheduledPackageId="JUNO" user="JUNO">
    <scheduledActivity scheduledActivityId="JNO-1" activityStatus="COMMITTED" siteRef="{site}" apertureRef="{antenna}"
      beginningOfActivity="{d(start)}" beginningOfTrack="{d(start + 1800)}" endOfTrack="{d(end - 900)}"
      endOfActivity="{d(end)}">
      <serviceInfo serviceType="TELEMETRY" frequencyBand="Ka-DS"/>
    </scheduledActivity>{extra}
  </scheduledPackage>
</simpleSchedule>
"""


WINDOW = {"plan_ahead_h": 3, "plan_behind_h": 1}


def _another_database(request, url: str, tmp_path) -> str:
    if url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'second.sqlite'}"
    from .conftest import _new_pg_database

    return _new_pg_database(request.getfixturevalue("postgres_server"))


def test_plan_as_ssf_and_a_partner_schedule_on_the_board(request, database_url, small_fleet, tmp_path):
    sites = network_sites(load_network())
    window = {"start": "2026-08-23T09:00:00Z", "end": "2026-08-23T13:00:00Z"}
    with make_client(database_url, small_fleet, **WINDOW) as client:
        plan = client.get("/api/v1/plan", params=window).json()
        r = client.get("/api/v1/plan.ssf", params=window)
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
        validate_ssf(r.content)
        ssf = parse_ssf(r.content, "plan.ssf", sites=sites)
        assert ssf.problems == []
        assert sorted(a.activity_id for a in ssf.activities) == sorted(c["id"] for c in plan["contacts"])
        assert {a.user for a in ssf.activities} <= {s.id for s in small_fleet}
        assert client.get("/api/v1/plan.ssf", params={"start": "2026-08-23T08:00:00Z",
                                                      "end": "2026-08-22T08:00:00Z"}).status_code == 422
        busiest = max({c["antenna_id"] for c in plan["contacts"]},
                      key=lambda a: sum(c["antenna_id"] == a for c in plan["contacts"]))
    # A partner holds that antenna over the whole planned window: the planner keeps it free.
    path = tmp_path / "partner.xml"
    path.write_text(_partner_ssf(busiest, sites[busiest], T0 - 2 * H, T0 + 4 * H))
    with make_client(_another_database(request, database_url, tmp_path), small_fleet, partner_ssf=str(path),
                     **WINDOW) as client:
        feed = client.get("/api/v1/partners/ssf").json()
        row = next(a for a in feed["antennas"] if a["id"] == busiest)
        assert row["activity"] == "tracking" and row["targets"][0]["spacecraft_id"] == "JUNO"
        assert feed["originator"] == "NASA" and feed["activities"][0]["activity_id"] == "JNO-1"
        later = client.get("/api/v1/partners/ssf", params={"at": "2026-08-24T10:00:00Z"}).json()
        assert next(a for a in later["antennas"] if a["id"] == busiest)["activity"] == "idle"
        plan = client.get("/api/v1/plan", params=window).json()
        assert plan["contacts"] and not any(c["antenna_id"] == busiest for c in plan["contacts"])
        # POST: a token is needed; bad activities are reported, good ones kept.
        bad = ('\n    <scheduledActivity scheduledActivityId="X" activityStatus="COMMITTED" siteRef="atlantis" '
               'apertureRef="ATL" beginningOfActivity="2026-236T00:00:00Z" beginningOfTrack="2026-236T00:10:00Z" '
               'endOfTrack="2026-236T00:20:00Z" endOfActivity="2026-236T00:30:00Z"/>')
        body = _partner_ssf("DSS-43", sites["DSS-43"], T0, T0 + 2 * H, bad).encode()
        assert client.post("/api/v1/partners/ssf", content=body).status_code == 401
        r = client.post("/api/v1/partners/ssf", content=body, headers={**token(client), "content-type": "application/xml"})
        assert r.status_code == 201 and r.json()["activities"] == 1
        assert len(r.json()["problems"]) == 1 and "unknown site 'atlantis'" in r.json()["problems"][0]
        feed = client.get("/api/v1/partners/ssf").json()
        assert [a["id"] for a in feed["antennas"]] == ["DSS-43"] and feed["problems"]
        r = client.post("/api/v1/partners/ssf", content=b"<simpleSchedule><oops", headers=token(client))
        assert r.status_code == 422 and "not well-formed" in r.json()["detail"]


def test_no_partner_schedule_is_a_clear_404_and_residuals_of_a_contact(sqlite_url, small_fleet):
    import numpy as np

    from groundnet.ccsds.writer import predicted_tdm_segments, tdm_text
    from groundnet.visibility.deepspace import link_geometry

    with make_client(sqlite_url, small_fleet, **WINDOW) as client:
        r = client.get("/api/v1/partners/ssf")
        assert r.status_code == 404 and "--partner-ssf" in r.json()["detail"]
        # Residuals for the board: a TDM of one contact, its range moved by +50 m.
        contact = client.get("/api/v1/plan").json()["contacts"][0]
        service = client.app.state.service
        sc = next(s for s in service.fleet if s.id == contact["spacecraft_id"])
        antenna = next(a for a in service.antennas if a.id == contact["antenna_id"])
        from groundnet.timebase import parse_utc

        t0, t1 = parse_utc(contact["start"]).timestamp(), parse_utc(contact["end"]).timestamp()
        geo = link_geometry(sc.trajectory, [antenna], np.round(np.linspace(t0, t1, 30)))  # whole seconds, as written
        segments = predicted_tdm_segments(geo, participant=sc.id, uplink_hz=2.05e9, turnaround=(221, 240))
        obs = [(k, t, v + 0.05 if k == "RANGE" else v) for k, t, v in segments[0]["observations"]]
        text = tdm_text([{"metadata": segments[0]["metadata"], "observations": obs}], creation_unix=t0)
        r = client.post("/api/v1/residuals", params={"contact": contact["id"]}, content=text.encode())
        assert r.status_code == 200, r.text
        body = r.json()
        rng = next(s for s in body["series"] if s["observable"] == "RANGE")
        assert rng["station"] == antenna.id and len(rng["times"]) == 30
        assert rng["unit"] == "m"
        np.testing.assert_allclose(rng["residuals"], 50.0, atol=1e-3)  # +50 m
        assert body["contact"]["id"] == contact["id"]
        assert client.post("/api/v1/residuals", params={"contact": "nope"}, content=text.encode()).status_code == 404
        assert client.post("/api/v1/residuals", content=text.encode()).status_code == 422
        r = client.post("/api/v1/residuals", params={"spacecraft": sc.id}, content=b"CCSDS_OPM_VERS = 3.0\n")
        assert r.status_code == 422


def test_a_partner_schedule_from_a_url_is_fetched_again_and_stored_when_it_changes(sqlite_url, small_fleet, tmp_path):
    """`serve --partner-ssf URL`: fetched at start and every partner_refresh_s (a loopback server here); an
    unchanged schedule adds no row, a changed one shows on the board."""
    import functools
    import http.server
    import threading
    import time as clock

    from sqlalchemy import func, select

    from groundnet.store.models import PartnerSnapshotRow

    sites = network_sites(load_network())
    path = tmp_path / "partner.xml"
    path.write_text(_partner_ssf("DSS-43", sites["DSS-43"], T0 - H, T0 + 2 * H))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/partner.xml"

    def rows(client) -> int:
        with client.app.state.service.store.session() as s:
            return s.scalar(select(func.count()).select_from(PartnerSnapshotRow).where(PartnerSnapshotRow.network == "ssf"))

    def antennas(client) -> list[str]:
        return [a["id"] for a in client.get("/api/v1/partners/ssf").json()["antennas"]]

    try:
        with make_client(sqlite_url, small_fleet, partner_ssf=url, partner_refresh_s=0.2, **WINDOW) as client:
            assert antennas(client) == ["DSS-43"]
            clock.sleep(1.5)  # several refreshes of the same schedule
            assert rows(client) == 1
            path.write_text(_partner_ssf("DSS-63", sites["DSS-63"], T0 - H, T0 + 2 * H))
            deadline = clock.monotonic() + 10
            while antennas(client) != ["DSS-63"] and clock.monotonic() < deadline:
                clock.sleep(0.2)
            assert antennas(client) == ["DSS-63"] and rows(client) == 2
    finally:
        server.shutdown()
