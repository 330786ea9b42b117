"""Requests the server must refuse with a 4xx (or a 503 it recovers from), never a 5xx fault.

Each case was a 500 (or a silent corruption) before: huge ids, moments past what can be computed,
a clock sent to year 9999, a spacecraft view at the end of the ephemeris, a full disk, NaN in an
event's detail, a streamed body larger than the limit.
"""

from __future__ import annotations

import http.client
import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event as sa_event

from groundnet.api.app import create_app
from groundnet.api.settings import Settings
from groundnet.store import repo
from groundnet.timebase import SPAN_END_UNIX, format_utc, parse_utc

from .conftest import T0_ISO, Served
from support import wait_for
from .test_api import event, make_client, token


def strict_client(url: str, fleet, **settings) -> TestClient:
    """A client that gets the 500 a server fault would send, instead of the exception."""
    return TestClient(make_client(url, fleet, **settings).app, raise_server_exceptions=False)


def test_ids_and_moments_out_of_range_are_422(database_url, small_fleet):
    with strict_client(database_url, small_fleet) as client:
        r = client.get("/api/v1/events", params={"since_id": 9223372036854775808})
        assert r.status_code == 422 and "since_id" in r.json()["detail"]
        assert client.get("/api/v1/events", params={"since_id": 2**31 - 1}).json() == []
        assert client.get("/api/v1/events", params={"since_id": 2**31}).status_code == 422
        for path, params in (("/api/v1/board", {"at": "9999-12-31T23:59:59Z"}),
                             ("/api/v1/board", {"at": "0001-01-01T00:00:00Z"}),
                             ("/api/v1/plan", {"start": "9999-12-31T00:00:00Z"}),
                             ("/api/v1/passes", {"end": "9999-12-31T00:00:00Z"}),
                             ("/api/v1/history", {"antenna": "KIR-1", "start": "2053-12-31T00:00:00Z"}),
                             ("/api/v1/spacecraft/ISS/track", {"start": "9999-01-01T00:00:00Z"}),
                             ("/api/v1/spacecraft/ISS", {"at": "9999-01-01T00:00:00Z"})):
            r = client.get(path, params=params)
            assert r.status_code == 422, (path, params, r.text)
            assert "outside the span" in r.json()["detail"]


def test_the_one_time_window_orders_limits_and_defaults(sqlite_url, small_fleet):
    with strict_client(sqlite_url, small_fleet) as client:
        r = client.get("/api/v1/plan", params={"start": "2026-08-23T12:00:00Z", "end": "2026-08-23T11:00:00Z"})
        assert r.status_code == 422 and "must be after start" in r.json()["detail"]
        r = client.get("/api/v1/passes", params={"start": "2026-08-01T00:00:00Z", "end": "2026-08-23T00:00:00Z"})
        assert r.status_code == 422 and "longer than 7 days" in r.json()["detail"]
        r = client.get("/api/v1/history", params={"antenna": "KIR-1", "start": "yesterday"})
        assert r.status_code == 422 and "ISO 8601" in r.json()["detail"]
        # Only end given: start is end minus the route's default span (24 h for the plan).
        plan = client.get("/api/v1/plan", params={"end": "2026-08-24T00:00:00Z"}).json()
        assert (plan["start"], plan["end"]) == ("2026-08-23T00:00:00.000Z", "2026-08-24T00:00:00.000Z")
        # Nothing given: the plan starts an hour before the clock's now (the replay starts at T0).
        now = parse_utc(client.get("/api/v1/clock").json()["time"]).timestamp()
        start = parse_utc(client.get("/api/v1/plan").json()["start"]).timestamp()
        assert start == pytest.approx(now - 3600.0, abs=5.0)
        r = client.get("/api/v1/passes", params={"station": "NOPE"})
        assert r.status_code == 404 and "unknown station" in r.json()["detail"]
        r = client.get("/api/v1/history", params={"antenna": "NOPE"})
        assert r.status_code == 404
        assert client.get("/api/v1/spacecraft/NOPE").status_code == 404
        assert client.get("/api/v1/spacecraft/NOPE/track").status_code == 404


def test_a_clock_sent_to_year_9999_is_refused_and_the_board_keeps_going(sqlite_url, small_fleet):
    with strict_client(sqlite_url, small_fleet, tick_s=0.2) as client:
        auth = token(client)
        r = client.put("/api/v1/clock", json={"time": "9999-12-31T23:00:00Z"}, headers=auth)
        assert r.status_code == 422 and "outside the span" in r.json()["detail"]
        r = client.put("/api/v1/clock", json={"time": "2060-01-01T00:00:00Z", "speed": 1000}, headers=auth)
        assert r.status_code == 422
        assert client.get("/api/v1/clock").json()["time"] < "2027"
        first = wait_for(lambda: client.app.state.push.latest_board())["time"]
        wait_for(lambda: client.app.state.push.latest_board()["time"] > first, timeout=10)
        assert client.get("/api/v1/status").json()["tick_errors"] == 0


def test_the_spacecraft_view_at_the_end_of_the_ephemeris(sqlite_url, small_fleet):
    """A replay run into the end of the computable span stops there; every view still answers."""
    near_end = format_utc(SPAN_END_UNIX - 60.0)
    with strict_client(sqlite_url, small_fleet, clock=near_end, speed=100000, plan_ahead_h=1,
                       plan_behind_h=1) as client:
        wait_for(lambda: client.get("/api/v1/clock").json()["time"] == format_utc(SPAN_END_UNIX), timeout=10)
        for sc in ("SOLO", "MEX", "ISS", "XMM-NEWTON"):
            r = client.get(f"/api/v1/spacecraft/{sc}")
            assert r.status_code == 200, (sc, r.text)
        solo = client.get("/api/v1/spacecraft/SOLO").json()
        # The Solar Orbiter kernel ends in 2030: its distance is unknown, not an error.
        assert solo["distance"]["geocentric_km"] is None and solo["element_sets"][0]["epoch"] is None
        mex = client.get("/api/v1/spacecraft/MEX").json()
        assert 5e7 < mex["distance"]["geocentric_km"] < 4.1e8  # placed at Mars (DE421)
        assert client.get("/api/v1/board").status_code == 200


def test_nan_in_an_event_detail_is_refused(database_url, small_fleet):
    with strict_client(database_url, small_fleet) as client:
        auth = {**token(client), "content-type": "application/json"}
        for i, detail in enumerate(('{"snr_db": NaN}', '{"a": {"b": [1, Infinity]}}', '{"x": -Infinity}')):
            body = f'{{"event_id": "nan-{i}", "antenna_id": "KIR-1", "kind": "aos", ' \
                   f'"time": "2026-08-23T09:59:00Z", "detail": {detail}}}'
            r = client.post("/api/v1/events", content=body.encode(), headers=auth)
            assert r.status_code == 422 and "detail." in r.json()["detail"], r.text
        assert client.get("/api/v1/events").json() == []
        # A finite detail is stored exactly as sent.
        r = client.post("/api/v1/events", json=event("ok-1", "KIR-1", "aos", "2026-08-23T09:59:00Z",
                                                     detail={"snr_db": 12.5, "n": [1, 2]}), headers=auth)
        assert r.status_code == 201 and r.json()["detail"] == {"snr_db": 12.5, "n": [1, 2]}


def test_a_streamed_body_over_the_limit_is_413(sqlite_url, small_fleet):
    with strict_client(sqlite_url, small_fleet) as client:
        auth = {**token(client), "content-type": "application/json"}
        big = json.dumps(event("big", "KIR-1", "aos", "2026-08-23T09:59:00Z", detail={"x": "a" * 100_000})).encode()

        def chunks():  # no Content-Length: the size is only known by reading
            for i in range(0, len(big), 8192):
                yield big[i:i + 8192]

        r = client.post("/api/v1/events", content=chunks(), headers=auth)
        assert r.status_code == 413 and "larger than 65536 bytes" in r.json()["detail"]
        r = client.post("/api/v1/events", content=big, headers=auth)
        assert r.status_code == 413
        small = json.dumps(event("small", "KIR-1", "aos", "2026-08-23T09:59:00Z")).encode()
        r = client.post("/api/v1/events", content=iter([small[:10], small[10:]]), headers=auth)
        assert r.status_code == 201


def test_a_full_disk_is_503_with_the_connection_kept(tmp_path, small_fleet):
    """SQLite's own disk-full error (SQLITE_FULL), made by capping the database at its size."""
    settings = Settings(database=f"sqlite:///{tmp_path / 'groundnet.sqlite'}", clock=T0_ISO, plan_ahead_h=3,
                        plan_behind_h=1, tick_s=0.2)
    app = create_app(settings, fleet=small_fleet)
    with Served(app) as served:
        store = app.state.service.store
        with store.session() as s:
            auth = {"Authorization": f"Bearer {repo.create_token(s, 'station', 0.0)}",
                    "Content-Type": "application/json"}
        with store.engine.connect() as c:
            pages = c.exec_driver_sql("PRAGMA page_count").scalar()

        def cap(dbapi_conn, _record):
            dbapi_conn.execute(f"PRAGMA max_page_count={pages}")

        sa_event.listen(store.engine, "connect", cap)
        store.engine.dispose()  # every new connection has the cap: the "disk" holds what it holds now

        conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
        statuses = []
        for i in range(300):
            body = json.dumps(event(f"full-{i}", "KIR-1", "aos", "2026-08-23T09:59:00Z", detail={"pad": "x" * 3000}))
            conn.request("POST", "/api/v1/events", body=body, headers=auth)
            resp = conn.getresponse()
            payload = json.loads(resp.read())
            statuses.append(resp.status)
            if resp.status != 201:
                break
        assert statuses[-1] == 503, statuses
        assert "full" in payload["detail"] and resp.getheader("Retry-After") == "5"
        assert (resp.getheader("connection") or "").lower() != "close"
        sock = conn.sock
        conn.request("GET", "/api/v1/clock")
        resp = conn.getresponse()
        assert resp.status == 200 and json.loads(resp.read())["mode"] == "replay"
        assert conn.sock is sock, "the connection was kept"
        # The board keeps going while nothing can be stored.
        first = app.state.push.latest_board()["time"]
        wait_for(lambda: app.state.push.latest_board()["time"] > first, timeout=10)

        # Space freed: the same event goes in.
        sa_event.remove(store.engine, "connect", cap)
        store.engine.dispose()
        conn.request("POST", "/api/v1/events", body=body, headers=auth)
        resp = conn.getresponse()
        assert resp.status == 201, resp.read()
        resp.read()
        conn.close()


@pytest.mark.slow
def test_a_locked_database_is_503_and_the_write_goes_in_once_it_is_free(tmp_path, small_fleet):
    """Another process holding SQLite's write lock past the busy timeout: the store is unavailable, not broken."""
    import sqlite3

    db = tmp_path / "groundnet.sqlite"
    with strict_client(f"sqlite:///{db}", small_fleet) as client:
        auth = token(client)
        body = event("locked-1", "KIR-1", "aos", "2026-08-23T09:59:00Z")
        other = sqlite3.connect(db, timeout=1, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            r = client.post("/api/v1/events", json=body, headers=auth)
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert r.status_code == 503 and "cannot be used now" in r.json()["detail"], r.text
        assert r.headers["retry-after"] == "5"
        r = client.post("/api/v1/events", json=body, headers=auth)
        assert r.status_code == 201
