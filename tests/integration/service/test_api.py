"""The REST API against a real database of each kind (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from groundnet.api.app import create_app
from groundnet.api.settings import Settings
from groundnet.store import repo
from groundnet.timebase import parse_utc

from .conftest import T0_ISO
from support import wait_for

BOARD_KEYS = {"id", "name", "network", "latitude_deg", "longitude_deg", "dish_m", "bands", "activity",
              "reported_activity", "targets", "uplink", "downlink", "azimuth_deg", "elevation_deg", "upleg_range_km",
              "downleg_range_km", "rtlt_s", "contact_id", "contact_status", "next_contact", "last_contact"}


def make_client(url: str, fleet, **settings) -> TestClient:
    settings = {"clock": T0_ISO, "plan_ahead_h": 6, "plan_behind_h": 2, **settings}
    s = Settings(database=url, **settings)
    return TestClient(create_app(s, fleet=fleet))


def token(client: TestClient, name: str = "station") -> dict:
    with client.app.state.service.store.session() as s:
        return {"Authorization": f"Bearer {repo.create_token(s, name, 0.0)}"}


def event(event_id: str, antenna: str, kind: str, at: str, **extra) -> dict:
    return {"event_id": event_id, "antenna_id": antenna, "kind": kind, "time": at, **extra}


def test_reads_follow_the_contract(database_url, small_fleet):
    with make_client(database_url, small_fleet) as client:
        stations = client.get("/api/v1/stations").json()
        assert len(stations) == 37 and {"id", "latitude_deg", "bands", "min_elevation_deg"} <= set(stations[0])
        board = client.get("/api/v1/board").json()
        assert board["mode"] == "replay" and len(board["antennas"]) == 37
        assert all(set(a) >= BOARD_KEYS for a in board["antennas"])
        assert {s["id"] for s in board["spacecraft"]} == {s.id for s in small_fleet}
        iss = next(s for s in board["spacecraft"] if s["id"] == "ISS")
        assert 350 < iss["altitude_km"] < 450 and -52 < iss["latitude_deg"] < 52

        plan = client.get("/api/v1/plan", params={"start": T0_ISO, "end": "2026-08-23T14:00:00Z"}).json()
        assert plan["contacts"], "the demo plan has contacts"
        starts = [c["setup_start"] for c in plan["contacts"]]
        assert starts == sorted(starts)
        for c in plan["contacts"]:
            assert c["setup_start"] <= c["start"] < c["end"] <= c["teardown_end"]
            assert c["status"] in ("scheduled", "pre-pass", "in-progress", "missed")
        by_antenna: dict[str, list] = {}
        for c in plan["contacts"]:
            by_antenna.setdefault(c["antenna_id"], []).append(c)
        for cs in by_antenna.values():  # never two contacts at once on one antenna
            assert all(a["teardown_end"] <= b["setup_start"] for a, b in zip(cs, cs[1:]))

        # A contact in progress shows on the board with its target and pointing.
        at = next(c for c in plan["contacts"])
        mid = parse_utc(at["start"]).timestamp() / 2 + parse_utc(at["end"]).timestamp() / 2
        from groundnet.timebase import format_utc

        then = client.get("/api/v1/board", params={"at": format_utc(mid)}).json()
        row = next(a for a in then["antennas"] if a["id"] == at["antenna_id"])
        assert row["activity"] == "tracking" and row["contact_id"] == at["id"]
        assert row["targets"][0]["spacecraft_id"] == at["spacecraft_id"]
        floor = next(s for s in stations if s["id"] == at["antenna_id"])["min_elevation_deg"]
        assert row["elevation_deg"] >= floor - 0.5
        assert row["rtlt_s"] == pytest.approx(2 * row["downleg_range_km"] / 299792.458, rel=1e-3)

        sc = client.get("/api/v1/spacecraft/ISS").json()
        assert 6650 < sc["distance"]["geocentric_km"] < 6850
        assert 7.4 < sc["distance"]["geocentric_speed_km_s"] < 7.9
        # Earth's distance from the Sun in late August: 1.0107-1.0113 au (DE421 via skyfield-data).
        assert sc["distance"]["heliocentric_km"] == pytest.approx(1.5122e8, rel=2e-3)
        assert sc["next_passes"] and {"aos", "tca", "los", "station_id", "object_id"} <= set(sc["next_passes"][0])
        assert sc["element_sets"][0]["epoch"].startswith("2026-08-22")  # the demo catalog's ISS epoch
        # At a moment of its own (a board replaying the past): the distance the board gives for that moment,
        # and the passes /passes gives for the 24 h after it.
        at = "2026-08-23T15:30:00Z"
        then = client.get("/api/v1/spacecraft/ISS", params={"at": at}).json()
        on_board = next(s for s in client.get("/api/v1/board", params={"at": at}).json()["spacecraft"] if s["id"] == "ISS")
        assert then["distance"]["geocentric_km"] == pytest.approx(on_board["geocentric_km"], abs=0.01)
        later = client.get("/api/v1/passes", params={"object": "ISS", "start": at, "end": "2026-08-24T15:30:00Z"}).json()
        assert then["next_passes"] == later and then["next_passes"] != sc["next_passes"]
        track = client.get("/api/v1/spacecraft/ISS/track", params={"step_s": 60}).json()
        assert len(track["points"]) == 91 and 15 < track["footprint_radius_deg"] < 25
        passes = client.get("/api/v1/passes", params={"station": "KIR-1", "object": "39634"}).json()  # SENTINEL-1A
        assert passes and all(p["station_id"] == "KIR-1" and p["object_id"] == 39634 for p in passes)
        assert client.get("/api/v1/spacecraft/NOPE").status_code == 404
        assert client.get("/api/v1/board", params={"at": "yesterday"}).status_code == 422
        assert client.get("/api/v1/clock").json()["mode"] == "replay"

        spec = client.get("/openapi.json").json()
        ops = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
        assert {"get_board", "list_stations", "list_spacecraft", "get_spacecraft", "get_ground_track", "list_passes",
                "get_plan", "list_events", "post_event", "get_history", "get_partner_dsn", "get_clock"} <= ops


def test_events_need_a_token_are_validated_and_idempotent(database_url, small_fleet):
    with make_client(database_url, small_fleet) as client:
        auth = token(client)
        body = event("kir-1-mnt-1", "KIR-1", "maintenance_start", "2026-08-23T10:00:01Z", detail={"reason": "drive"})
        assert client.post("/api/v1/events", json=body).status_code == 401
        assert client.post("/api/v1/events", json=body, headers={"Authorization": "Bearer nope"}).status_code == 401
        first = client.post("/api/v1/events", json=body, headers=auth)
        assert first.status_code == 201, first.text
        again = client.post("/api/v1/events", json=body, headers=auth)
        assert again.status_code == 200 and again.json()["id"] == first.json()["id"]

        bad = [
            ({**body, "event_id": "x1", "kind": "explode"}, "kind"),
            ({**body, "event_id": "x2", "antenna_id": "ZZZ-9"}, "antenna_id"),
            ({**body, "event_id": "x3", "time": "noon"}, "time"),
            ({**body, "event_id": "x4", "colour": "red"}, "colour"),
            ({**body, "event_id": "x5", "spacecraft_id": "NOPE"}, "spacecraft_id"),
            ({**body, "event_id": "x6", "time": "2027-01-01T00:00:00Z"}, "time"),
        ]
        for payload, field in bad:
            r = client.post("/api/v1/events", json=payload, headers=auth)
            assert r.status_code == 422 and field in r.json()["detail"], (field, r.text)
        r = client.post("/api/v1/events", content=b'{"event_id": "x7",', headers={**auth, "content-type": "application/json"})
        assert r.status_code == 422 and "JSON" in r.json()["detail"]
        r = client.post("/api/v1/events", content=b"x" * 70000, headers={**auth, "content-type": "application/json"})
        assert r.status_code == 413 and "larger than" in r.json()["detail"]
        r = client.post("/api/v1/events", json={**body, "event_id": "x8", "detail": {"blob": "y" * 5000}}, headers=auth)
        assert r.status_code == 413

        events = client.get("/api/v1/events").json()
        assert [e["event_id"] for e in events] == ["kir-1-mnt-1"]
        assert client.get("/api/v1/events", params={"since_id": events[0]["id"]}).json() == []

        def kiruna():
            row = next(a for a in client.get("/api/v1/board").json()["antennas"] if a["id"] == "KIR-1")
            return row if row["reported_activity"] == "maintenance" else None

        row = wait_for(kiruna, timeout=2.0)  # on the board within a second (one tick), two allowed for the test
        assert row["activity"] == "maintenance"
        plan = client.get("/api/v1/plan", params={"start": T0_ISO}).json()
        assert {"antenna_id": "KIR-1", "kind": "maintenance"}.items() <= plan["blocks"][0].items()

        end = client.post("/api/v1/events", json=event("kir-1-mnt-2", "KIR-1", "maintenance_end", "2026-08-23T10:00:02Z"),
                          headers=auth)
        assert end.status_code == 201
        assert client.get("/api/v1/plan", params={"start": T0_ISO}).json()["blocks"][0]["end"] == "2026-08-23T10:00:02.000Z"


def test_private_reads_need_a_token(sqlite_url, small_fleet):
    with make_client(sqlite_url, small_fleet, public_read=False) as client:
        assert client.get("/api/v1/board").status_code == 401
        assert client.get("/dsn.xml").status_code == 401
        assert client.get("/api/v1/board", headers=token(client)).status_code == 200


def test_an_outage_replans_and_the_board_shows_it(database_url, small_fleet):
    with make_client(database_url, small_fleet, replan_time_limit_s=1) as client:
        auth = token(client)
        before = client.get("/api/v1/plan", params={"start": T0_ISO, "end": "2026-08-23T16:00:00Z"}).json()["contacts"]
        victim = next(c for c in before if c["setup_start"] > "2026-08-23T10:05")
        antenna = victim["antenna_id"]
        r = client.post("/api/v1/events", headers=auth, json=event(
            "out-1", antenna, "outage_start", "2026-08-23T10:00:01Z", detail={"expected_end": "2026-08-23T16:00:00Z"}))
        assert r.status_code == 201
        # Acknowledged at once; the re-plan follows within seconds and shows on the board.
        board = wait_for(lambda: (b := client.get("/api/v1/board").json())["plan"].get("reason") == "replan" and b)
        after = client.get("/api/v1/plan", params={"start": T0_ISO, "end": "2026-08-23T16:00:00Z"}).json()["contacts"]
        status = {c["id"]: c["status"] for c in after}
        assert status[victim["id"]] == "cancelled"
        live = [c for c in after if c["antenna_id"] == antenna and c["status"] != "cancelled"]
        assert all(c["teardown_end"] <= "2026-08-23T10:00:01" for c in live), "nothing planned on the failed antenna"
        untouched = [c for c in before if c["antenna_id"] != antenna]
        assert all(status[c["id"]] != "cancelled" for c in untouched), "contacts elsewhere stay where they were"
        added = [c for c in after if c["id"] in board["plan"]["impact"]["added"]]
        assert all(c["antenna_id"] != antenna and c["setup_start"] >= "2026-08-23T10:00:01" for c in added)
        impact = board["plan"]["impact"]
        assert impact["antenna_id"] == antenna and victim["id"] in impact["cancelled"]
        assert victim["mission"] in impact["missions"]
        def outage_row():  # the outage began at 10:00:01, which the clock may not have reached yet
            row = next(a for a in client.get("/api/v1/board").json()["antennas"] if a["id"] == antenna)
            return row if row["activity"] == "outage" else None

        assert wait_for(outage_row)["reported_activity"] == "outage"


def test_history_records_changes(sqlite_url, small_fleet):
    with make_client(sqlite_url, small_fleet, clock="now") as client:
        wait_for(lambda: client.get("/api/v1/history", params={"antenna": "KIR-1"}).json(), timeout=5)
        rows = client.get("/api/v1/history", params={"antenna": "KIR-1"}).json()
        assert rows[0]["state"]["id"] == "KIR-1" and rows[0]["activity"] in ("idle", "setup", "tracking", "teardown")
        assert client.get("/api/v1/history", params={"antenna": "NOPE"}).status_code == 404


def test_server_survives_hostile_requests(sqlite_url, small_fleet):
    with make_client(sqlite_url, small_fleet) as client:
        auth = token(client)
        for method, path, kwargs in [
            ("GET", "/api/v1/plan", {"params": {"start": "2026-08-23T10:00:00Z", "end": "2026-01-01T00:00:00Z"}}),
            ("GET", "/api/v1/passes", {"params": {"start": "2026-08-23T10:00:00Z", "end": "2027-08-23T10:00:00Z"}}),
            ("GET", "/api/v1/spacecraft/ISS/track", {"params": {"step_s": 1, "start": "2026-08-23T00:00:00Z"}}),
            ("GET", "/api/v1/events", {"params": {"limit": 0}}),
            ("POST", "/api/v1/events", {"content": "\udcff".encode("utf-8", "surrogatepass"), "headers": auth}),
            ("POST", "/api/v1/events", {"json": [1, 2, 3], "headers": auth}),
            ("POST", "/api/v1/partners/dsn", {"content": b"<!DOCTYPE x [<!ENTITY a 'b'>]><dsn>&a;</dsn>", "headers": auth}),
            ("PUT", "/api/v1/clock", {"json": {"speed": -1}, "headers": auth}),
        ]:
            r = client.request(method, path, **kwargs)
            assert 400 <= r.status_code < 500, (path, r.status_code, r.text)
            assert r.json()["detail"]
        assert client.get("/api/v1/board").status_code == 200


def test_clock_control_needs_a_token(sqlite_url, small_fleet):
    with make_client(sqlite_url, small_fleet) as client:
        assert client.put("/api/v1/clock", json={"paused": True}).status_code == 401
        r = client.put("/api/v1/clock", json={"time": "2026-08-23T12:00:00Z", "paused": True}, headers=token(client))
        assert r.json() == {"time": "2026-08-23T12:00:00.000Z", "mode": "replay", "speed": 1.0, "paused": True}
        wait_for(lambda: client.get("/api/v1/board").json()["time"] == "2026-08-23T12:00:00.000Z")


def test_the_built_board_is_served_at_the_root(sqlite_url, small_fleet, tmp_path):
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>groundnet board</title>")
    (dist / "assets" / "app.js").write_text("console.log('board')")
    with make_client(sqlite_url, small_fleet, web_dist=dist) as client:
        r = client.get("/")
        assert r.status_code == 200 and "groundnet board" in r.text
        assert client.get("/assets/app.js").text == "console.log('board')"
        assert client.get("/api/v1/clock").json()["mode"] == "replay"
        assert client.get("/dsn.xml").headers["content-type"].startswith("application/xml")
    with make_client(sqlite_url, small_fleet, web_dist=tmp_path / "missing") as client:
        assert "/docs" in client.get("/").text  # without a build: a page of links


def test_display_gives_the_configured_zone_and_the_element_age_limits(sqlite_url, small_fleet, tmp_path):
    """The board's time zone is groundnet.toml's display.time_zone; its element-age limits are the ones
    `groundnet passes` warns past (by orbit class), one per Earth orbiter, none for a trajectory."""
    from groundnet.config import load_config
    from groundnet.orbits.validation import AGE_LIMIT_DAYS, orbit_class

    toml = tmp_path / "groundnet.toml"
    toml.write_text('[display]\ntime_zone = "Europe/Madrid"\nunits = "imperial"\n')
    app = create_app(Settings(database=sqlite_url, clock=T0_ISO, plan_ahead_h=2, plan_behind_h=1), fleet=small_fleet,
                     config=load_config(toml))
    with TestClient(app) as client:
        display = client.get("/api/v1/display").json()
    assert display["time_zone"] == "Europe/Madrid" and display["units"] == "imperial"
    limits = display["element_age_limit_days"]
    assert set(limits) == {sc.id for sc in small_fleet if sc.elements is not None}
    assert "SOLO" not in limits and "MEX" not in limits
    assert limits["ISS"] == 7.0 and limits["GSAT0211"] == 14.0 and limits["XMM-NEWTON"] == 14.0
    for sc in small_fleet:
        if sc.elements is not None:
            assert limits[sc.id] == AGE_LIMIT_DAYS[orbit_class(sc.elements)]


def test_the_simulator_makes_the_board_alive(sqlite_url, small_fleet):
    with make_client(sqlite_url, small_fleet, simulate=True, trouble=0.5, speed=120) as client:
        events = wait_for(lambda: [e for e in client.get("/api/v1/events", params={"limit": 1000}).json()
                                   if e["kind"] == "telemetry_lock"], timeout=60)
        assert all(e["detail"]["simulated"] for e in events)
        # Every simulated event belongs to a contact of the plan, on that contact's antenna.
        plan = client.get("/api/v1/plan", params={"start": "2026-08-23T08:00:00Z", "end": "2026-08-23T16:00:00Z"})
        contacts = {c["id"]: c for c in plan.json()["contacts"]}
        for e in events:
            contact_id = e["event_id"].split(":", 1)[1].rsplit(":", 1)[0]
            assert contacts[contact_id]["antenna_id"] == e["antenna_id"]
            assert contacts[contact_id]["start"] <= e["time"] <= contacts[contact_id]["end"]


@pytest.mark.parametrize(("obj", "station"), [("MEX", "NNO-1"), ("SOLO", "CEB"), ("ISS", "NNO-1")])
def test_api_and_cli_give_the_same_passes(database_url, small_fleet, obj, station):
    """GET /api/v1/passes and `groundnet passes --spacecraft` run the one search: identical rows
    (a deep-space craft's passes once came from a sampled search in the API, 0.9 s off the CLI's)."""
    import json

    from typer.testing import CliRunner

    from groundnet.cli import app

    start, end = "2026-08-23T00:00:00Z", "2026-08-26T00:00:00Z"
    with make_client(database_url, small_fleet) as client:
        api = client.get("/api/v1/passes", params={"station": station, "object": obj, "start": start, "end": end})
    assert api.status_code == 200, api.text
    result = CliRunner().invoke(app, ["passes", "--spacecraft", obj, "--stations", station, "--start", start,
                                      "--end", end, "--format", "json", "--quiet"])
    assert result.exit_code == 0, result.output
    cli = json.loads(result.stdout)
    assert len(cli) >= 2 and api.json() == cli


FREQUENCY_KEYS = ("range_rate_km_s", "downlink_hz", "downlink_received_hz", "uplink_hz", "uplink_transmit_hz")


def test_board_and_spacecraft_view_give_published_and_received_frequencies(database_url):
    """A deep-space craft with a published X-band link (MRO: 8439 MHz down, 7183 MHz up) has its channels and the
    Doppler-shifted ones on the board's contact and in its view; a craft with only its bands known (Sentinel-2B)
    has them null; an idle antenna too."""
    from groundnet.live.board import link_frequencies
    from groundnet.missions import load_fleet
    from groundnet.timebase import format_utc

    fleet = [s for s in load_fleet() if s.id in ("MRO", "SENTINEL-2B")]
    with make_client(database_url, fleet, plan_ahead_h=12) as client:
        plan = client.get("/api/v1/plan", params={"start": T0_ISO, "end": "2026-08-23T22:00:00Z"}).json()
        for sc_id in ("MRO", "SENTINEL-2B"):
            c = next(c for c in plan["contacts"] if c["spacecraft_id"] == sc_id)
            mid = (parse_utc(c["start"]).timestamp() + parse_utc(c["end"]).timestamp()) / 2
            client.app.state.service.set_clock(time_unix=mid, paused=True)
            board = client.get("/api/v1/board").json()
            row = next(a for a in board["antennas"] if a["id"] == c["antenna_id"])
            assert row["contact_id"] == c["id"] and row["activity"] == "tracking"
            view = client.get(f"/api/v1/spacecraft/{sc_id}").json()
            [now] = [x for x in view["links_now"] if x["antenna_id"] == c["antenna_id"]]
            assert now["contact_id"] == c["id"] and now["activity"] == "tracking"
            assert {k: now[k] for k in FREQUENCY_KEYS} == {k: row[k] for k in FREQUENCY_KEYS}
            assert row["range_rate_km_s"] is not None
            if sc_id == "MRO":
                assert (row["downlink_hz"], row["uplink_hz"]) == (8439e6, 7183e6)
                sc = next(s for s in fleet if s.id == "MRO")
                expected = link_frequencies(sc, row["range_rate_km_s"])["downlink_received_hz"]
                assert row["downlink_received_hz"] == pytest.approx(expected, abs=1.0)
                # Receding (range rate > 0): the downlink arrives low and the uplink is sent high; approaching, the reverse.
                shift = row["downlink_received_hz"] - 8439e6
                assert shift * row["range_rate_km_s"] < 0 and abs(shift) > 1e3
                assert (row["uplink_transmit_hz"] - 7183e6) * row["range_rate_km_s"] > 0
            else:
                assert row["downlink"]["band"] == "X"
                assert all(row[k] is None for k in FREQUENCY_KEYS[1:])
        idle = next(a for a in board["antennas"] if a["activity"] == "idle")
        assert all(idle[k] is None for k in FREQUENCY_KEYS)
        targets = {a["id"] for a in board["antennas"] if any(t["spacecraft_id"] == "MRO" for t in a["targets"])}
        assert {x["antenna_id"] for x in client.get("/api/v1/spacecraft/MRO").json()["links_now"]} == targets
