"""Reports, alert subscriptions and calendars through the API, on each database kind."""

from __future__ import annotations

import icalendar
import pytest

from groundnet.timebase import parse_utc

from .conftest import T0, T0_ISO
from support import wait_for
from .test_api import event, make_client, token
from .webhook_receiver import Receiver

SECRET = "another-secret-0123456789abcdef"


def test_subscriptions_pass_at_risk_backoff_and_delivery_log(database_url, small_fleet):
    with Receiver(SECRET, fail_first=2) as receiver, make_client(database_url, small_fleet) as client:
        auth = token(client)
        body = {"name": "noc", "url": receiver.url, "secret": SECRET, "events": ["outage_start"],
                "states": ["completed"], "pass_at_risk": True}
        assert client.post("/api/v1/alerts/subscriptions", json=body).status_code == 401
        assert client.get("/api/v1/alerts/subscriptions").status_code == 401
        bad = client.post("/api/v1/alerts/subscriptions", headers=auth, json={**body, "antennas": ["NOPE"]})
        assert bad.status_code == 422 and "NOPE" in bad.json()["detail"]
        r = client.post("/api/v1/alerts/subscriptions", headers=auth, json=body)
        assert r.status_code == 201 and r.json()["secret"] == SECRET
        sub = r.json()["id"]
        listed = client.get("/api/v1/alerts/subscriptions", headers=auth).json()
        assert [s["id"] for s in listed] == [sub] and listed[0]["secret"] is None

        plan = client.get("/api/v1/plan", params={"start": T0_ISO, "end": "2026-08-23T14:00:00Z"}).json()
        ahead = next(c for c in plan["contacts"] if parse_utc(c["start"]).timestamp() > T0 + 600)
        r = client.post("/api/v1/events", headers=auth, json=event(
            "risk-1", ahead["antenna_id"], "outage_start", T0_ISO, detail={"expected_end": ahead["end"],
                                                                           "reason": "hydraulics"}))
        assert r.status_code == 201
        risk_key, event_key = f"{sub}:risk:{ahead['id']}:risk-1", f"{sub}:event:risk-1"
        wait_for(lambda: {risk_key, event_key} <= receiver.keys(), timeout=60, every=0.2)
        risk = next(p for p in receiver.payloads() if p["idempotency_key"] == risk_key)
        assert risk["kind"] == "pass_at_risk" and risk["contact"]["id"] == ahead["id"]
        assert "hydraulics" in risk["reason"]
        # A contact behind the clock that nobody reported on was missed; the station's late report completes it.
        before = client.get("/api/v1/plan", params={"start": "2026-08-23T08:00:00Z", "end": T0_ISO}).json()
        done = next(c for c in before["contacts"] if parse_utc(c["teardown_end"]).timestamp() < T0 - 60)
        assert client.get(f"/api/v1/reports/contacts/{done['id']}").json()["state"] == "missed"
        for kind, at in (("carrier_lock", done["start"]), ("los", done["end"])):
            assert client.post("/api/v1/events", headers=auth, json=event(
                f"late-{kind}", done["antenna_id"], kind, at, spacecraft_id=done["spacecraft_id"])).status_code == 201
        state_key = f"{sub}:state:{done['id']}:completed:"
        wait_for(lambda: state_key in receiver.keys(), timeout=60, every=0.2)
        state = next(p for p in receiver.payloads() if p["idempotency_key"] == state_key)
        assert (state["state"], state["previous_state"], state["cause"]) == ("completed", "missed", None)
        assert "late-carrier_lock" in state["evidence"]
        assert receiver.bad_signatures == 0 and all(len(v) == 1 for v in receiver.bodies.values())
        # Each alert was refused twice (503) and retried after 1 s, then 2 s: the log shows every attempt.
        log = [d for d in client.get("/api/v1/alerts/deliveries", headers=auth, params={"limit": 1000}).json()
               if d["idempotency_key"] == risk_key]
        assert [(d["attempt"], d["status_code"]) for d in sorted(log, key=lambda d: d["attempt"])] == [
            (1, 503), (2, 503), (3, 200)]
        at = [parse_utc(d["at"]).timestamp() for d in sorted(log, key=lambda d: d["attempt"])]
        assert at[1] - at[0] >= 0.9 and at[2] - at[1] >= 1.9
        assert log[0]["alert_status"] == "delivered"

        assert client.delete(f"/api/v1/alerts/subscriptions/{sub}", headers=auth).status_code == 204
        assert client.delete(f"/api/v1/alerts/subscriptions/{sub}", headers=auth).status_code == 404
        # An id past any the store can hold is refused, not a server fault.
        assert client.delete("/api/v1/alerts/subscriptions/9223372036854775808", headers=auth).status_code == 422
        assert client.get("/api/v1/alerts/deliveries", headers=auth,
                          params={"subscription_id": 9223372036854775808}).status_code == 422
        assert client.get("/api/v1/alerts/subscriptions", headers=auth).json() == []


def _post(client, auth, contact: dict, kind: str, at: str, **detail) -> None:
    r = client.post("/api/v1/events", headers=auth, json=event(
        f"{contact['id']}-{kind}-{at}", contact["antenna_id"], kind, at, spacecraft_id=contact["spacecraft_id"],
        detail=detail))
    assert r.status_code == 201, r.text


def test_plan_board_and_report_give_one_state(database_url, small_fleet, tmp_path):
    """Completed, partial, failed (no lock), missed and cancelled contacts: `GET /api/v1/plan`, the board's rows and
    `groundnet report contacts --format json` give each the same state and cause."""
    from typer.testing import CliRunner

    from groundnet.cli import app
    from groundnet.timebase import format_utc

    with make_client(database_url, small_fleet, replan_time_limit_s=1) as client:
        auth = token(client)
        behind = client.get("/api/v1/plan", params={"start": "2026-08-23T08:00:00Z", "end": T0_ISO}).json()["contacts"]
        ended: dict[tuple, dict] = {}  # over before the clock's now; one per antenna and spacecraft (events name both)
        for c in behind:
            if parse_utc(c["teardown_end"]).timestamp() < T0 - 60 and not c["status"] == "cancelled":
                ended.setdefault((c["antenna_id"], c["spacecraft_id"]), c)
        completed, partial, failed, missed = list(ended.values())[:4]
        _post(client, auth, completed, "carrier_lock", completed["start"])
        _post(client, auth, completed, "los", completed["end"])
        cut = format_utc(parse_utc(partial["start"]).timestamp() + 60)
        _post(client, auth, partial, "carrier_lock", partial["start"])
        _post(client, auth, partial, "carrier_unlock", cut, cause="weather")
        _post(client, auth, failed, "prepass_ok", failed["setup_start"])
        _post(client, auth, failed, "los", failed["end"])
        ahead = client.get("/api/v1/plan", params={"start": T0_ISO, "end": "2026-08-23T11:00:00Z"}).json()["contacts"]
        victim = next(c for c in ahead if "2026-08-23T10:05" < c["setup_start"] < "2026-08-23T10:50"
                      and c["antenna_id"] not in {k[0] for k in ended})
        r = client.post("/api/v1/events", headers=auth, json=event(
            "cancel-out", victim["antenna_id"], "outage_start", "2026-08-23T10:00:01Z",
            detail={"expected_end": "2026-08-23T12:00:00Z"}))
        assert r.status_code == 201
        want = {completed["id"]: ("completed", None), partial["id"]: ("partial", "weather"),
                failed["id"]: ("failed", "spacecraft"), missed["id"]: ("missed", "unknown"),
                victim["id"]: ("cancelled", "antenna")}
        window = {"start": "2026-08-23T08:00:00Z", "end": "2026-08-23T11:00:00Z"}

        def reported():  # the records follow the re-plan within a tick or two
            rows = {r["contact_id"]: (r["state"], r["cause"])
                    for r in client.get("/api/v1/reports/contacts", params=window).json()}
            return rows if all(rows.get(k) == v for k, v in want.items()) else None

        assert wait_for(reported, timeout=30)
        plan = {c["id"]: c for c in client.get("/api/v1/plan", params=window).json()["contacts"]}
        assert {k: (plan[k]["status"], plan[k]["cause"]) for k in want} == want
        assert "weather" in plan[partial["id"]]["reason"] and plan[completed["id"]]["phase"] is None
        for c in (completed, partial, failed, missed):  # the board just after the teardown: its last contact
            at = format_utc(parse_utc(c["teardown_end"]).timestamp() + 0.5)
            row = next(a for a in client.get("/api/v1/board", params={"at": at}).json()["antennas"]
                       if a["id"] == c["antenna_id"])
            assert row["last_contact"]["id"] == c["id"]
            assert (row["last_contact"]["status"], row["last_contact"]["cause"]) == want[c["id"]]
        # During the partial pass the board's row says the contact is in progress.
        mid = format_utc(parse_utc(partial["start"]).timestamp() + 30)
        row = next(a for a in client.get("/api/v1/board", params={"at": mid}).json()["antennas"]
                   if a["id"] == partial["antenna_id"])
        assert (row["contact_id"], row["contact_status"]) == (partial["id"], "partial")  # the record as it stands
        for c in (partial, missed):  # the pass sheet prints the state too
            sheet = client.get(f"/api/v1/calendars/antennas/{c['antenna_id']}/sheet", params={"date": "2026-08-23"})
            assert f"<td>{want[c['id']][0]}</td>" in sheet.text
        # The cancelled contact is on no antenna's row; the report and the plan say why.
        board = client.get("/api/v1/board").json()
        assert all(victim["id"] not in (a["contact_id"], (a["next_contact"] or {}).get("id")) for a in board["antennas"])
        out = tmp_path / "contacts.json"
        r = CliRunner().invoke(app, ["report", "contacts", "--start", "2026-08-23T08:00:00Z", "--days", "1",
                                     "--database", database_url, "--format", "json", "--output", str(out)])
        assert r.exit_code == 0, r.output
        import json

        rows = {row["contact_id"]: (row["state"], row["cause"]) for row in json.loads(out.read_text())}
        assert {k: rows[k] for k in want} == want


def test_reports_and_calendars(database_url, small_fleet):
    with make_client(database_url, small_fleet) as client:
        auth = token(client)
        plan = client.get("/api/v1/plan", params={"start": "2026-08-23T08:00:00Z", "end": T0_ISO}).json()
        done = next(c for c in plan["contacts"] if parse_utc(c["teardown_end"]).timestamp() < T0 - 60)
        # The station reports the contact late: in lock over the whole pass.
        for kind, at in (("aos", done["start"]), ("carrier_lock", done["start"]), ("los", done["end"])):
            r = client.post("/api/v1/events", headers=auth, json=event(
                f"late-{kind}", done["antenna_id"], kind, at, spacecraft_id=done["spacecraft_id"],
                detail={"pointing_error_deg": 0.02, "data_volume_bytes": 1000} if kind == "los" else {}))
            assert r.status_code == 201
        one = client.get(f"/api/v1/reports/contacts/{done['id']}")
        assert one.status_code == 200, one.text
        rep = one.json()
        assert rep["state"] == "completed" and rep["in_lock_s"] > 0 and rep["data_volume_bytes"] == 1000
        assert rep["pointing_error_max_deg"] == pytest.approx(0.02) and "late-los" in rep["evidence"]
        assert rep["history"][-1]["state"] == "completed"
        assert client.get("/api/v1/reports/contacts/nope").status_code == 404
        listed = client.get("/api/v1/reports/contacts", params={"start": "2026-08-23T08:00:00Z", "end": T0_ISO,
                                                                "antenna": done["antenna_id"]}).json()
        assert done["id"] in {r["contact_id"] for r in listed}
        perf = client.get("/api/v1/reports/performance", params={"start": "2026-08-23T00:00:00Z",
                                                                 "end": "2026-08-24T00:00:00Z", "by": "antenna"})
        assert perf.status_code == 200
        rows = perf.json()
        assert len(rows) == 37 and all(0 <= r["availability"] <= 1 for r in rows)
        mine = next(r for r in rows if r["key"] == done["antenna_id"])
        assert mine["completed"] >= 1 and mine["delivered_h"] > 0
        assert client.get("/api/v1/reports/performance", params={"period": "year"}).status_code == 422

        ahead = client.get("/api/v1/plan", params={"start": T0_ISO, "end": "2026-08-23T16:00:00Z"}).json()["contacts"]
        antenna = ahead[0]["antenna_id"]
        feeds = []
        for _ in range(2):
            r = client.get(f"/api/v1/calendars/antennas/{antenna}.ics", params={"days_back": 0, "days_ahead": 0.25})
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
            feeds.append(icalendar.Calendar.from_ical(r.content))
        uids = [[str(e["UID"]) for e in cal.walk("VEVENT")] for cal in feeds]
        assert uids[0] == uids[1] and f"{ahead[0]['id']}@groundnet" in uids[0]  # stable: clients update in place
        ev = next(e for e in feeds[0].walk("VEVENT") if str(e["UID"]) == f"{ahead[0]['id']}@groundnet")
        assert ev.decoded("DTSTART").timestamp() == pytest.approx(parse_utc(ahead[0]["start"]).timestamp())
        assert ev.decoded("DTEND").timestamp() == pytest.approx(parse_utc(ahead[0]["end"]).timestamp())
        sc = ahead[0]["spacecraft_id"]
        cal = icalendar.Calendar.from_ical(client.get(f"/api/v1/calendars/spacecraft/{sc}.ics",
                                                      params={"days_back": 0, "days_ahead": 0.25}).content)
        assert {str(e["UID"]) for e in cal.walk("VEVENT")} >= {f"{c['id']}@groundnet" for c in ahead
                                                             if c["spacecraft_id"] == sc and c["end"] < "2026-08-23T16"}
        assert client.get("/api/v1/calendars/antennas/NOPE.ics").status_code == 404
        assert client.get("/api/v1/calendars/spacecraft/NOPE.ics").status_code == 404
        sheet = client.get(f"/api/v1/calendars/antennas/{antenna}/sheet", params={"date": "2026-08-23"})
        assert sheet.status_code == 200 and ahead[0]["spacecraft_name"] in sheet.text and "Pass sheet" in sheet.text


def test_a_pass_sheet_of_a_bad_day_and_reports_of_unknown_ids_are_refused(database_url, small_fleet):
    with make_client(database_url, small_fleet) as client:
        reports = "/api/v1/reports/contacts"
        for key, value in (("antenna", "KIR-9"), ("spacecraft", "SOLO-2")):
            r = client.get(reports, params={key: value})
            assert r.status_code == 404 and f"no contact of {key} '{value}'" in r.text, r.text
            assert "sqlite" not in r.text and "postgresql" not in r.text  # the database's address is not shown
        plan = client.get("/api/v1/plan", params={"start": "2026-08-23T08:00:00Z", "end": T0_ISO}).json()
        c = plan["contacts"][0]
        r = client.get(reports, params={"antenna": c["antenna_id"], "spacecraft": c["spacecraft_id"],
                                        "start": "2026-08-23T08:00:00Z", "end": T0_ISO})
        assert r.status_code == 200
        idle = next(a for a in ("DSS-13", "VIL-2", "NNO-2", "GHY-6") if a not in {x["antenna_id"] for x in
                                                                                  plan["contacts"]})
        assert client.get(reports, params={"antenna": idle}).status_code == 200  # of the network: no typo
        sheet = "/api/v1/calendars/antennas/KIR-1/sheet"
        for day in ("02/08/2026", "2026-02-30", "9999-01-01", "1066-10-14"):
            r = client.get(sheet, params={"date": day})
            assert r.status_code == 422 and day in r.text, (day, r.status_code, r.text)
        assert client.get(sheet, params={"date": "2026-08-23T10:00:00Z"}).status_code == 200  # the day of a moment
