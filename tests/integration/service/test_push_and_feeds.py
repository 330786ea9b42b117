"""Live push with catch-up (WebSocket, SSE), the DSN Now feeds, and the partner import."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree as ET

from groundnet.live.dsn_now import parse_dsn_xml
from groundnet.timebase import format_utc, parse_utc

from .conftest import T0_ISO
from support import wait_for
from .test_api import event, make_client, token

SAMPLE = "feeds/dsn_now_2022-12-07.xml"


def _next(ws, kind: str) -> dict:
    while True:
        msg = json.loads(ws.receive_text())
        if msg["type"] == kind:
            return msg


def test_websocket_catches_up_after_reconnect(sqlite_url, small_fleet):
    with make_client(sqlite_url, small_fleet) as client:
        auth = token(client)
        with client.websocket_connect("/api/v1/live") as ws:
            board = _next(ws, "board")
            assert len(board["data"]["antennas"]) == 37
            client.post("/api/v1/events", json=event("w1", "MSP", "aos", "2026-08-23T10:00:01Z"), headers=auth)
            seen = _next(ws, "event")
            assert seen["data"]["event_id"] == "w1" and seen["seq"] > board["seq"]
        # Offline while two events arrive; the reconnecting client names the last seq it saw.
        for i in (2, 3):
            client.post("/api/v1/events", json=event(f"w{i}", "MSP", "carrier_lock", "2026-08-23T10:00:02Z"), headers=auth)
        with client.websocket_connect("/api/v1/live") as ws:
            ws.send_text(json.dumps({"since_seq": seen["seq"]}))
            got = []
            while len([m for m in got if m["type"] == "event"]) < 2:
                got.append(json.loads(ws.receive_text()))
            assert [m["data"]["event_id"] for m in got if m["type"] == "event" and m["seq"] > seen["seq"]] == ["w2", "w3"]
            ws.send_text("not json")
            assert _next(ws, "error")["data"]["detail"]


def test_sse_catches_up_with_last_event_id(sqlite_url, small_fleet):
    with make_client(sqlite_url, small_fleet) as client:
        auth = token(client)
        wait_for(lambda: client.app.state.hub.seq > 0)
        since = client.app.state.hub.seq
        client.post("/api/v1/events", json=event("s1", "RED-1", "aos", "2026-08-23T10:00:01Z"), headers=auth)
        with client.stream("GET", "/api/v1/live/sse", headers={"Last-Event-ID": str(since)}) as r:
            assert r.headers["content-type"].startswith("text/event-stream")
            frames, ids = [], []
            for line in r.iter_lines():
                if line.startswith("id: "):
                    ids.append(int(line[4:]))
                if line.startswith("data: "):
                    frames.append(json.loads(line[6:]))
                if any(f["type"] == "board" for f in frames):
                    break
        assert frames[0]["type"] == "event" and frames[0]["data"]["event_id"] == "s1"
        assert ids == sorted(ids) and ids[0] > since


def _shape(root: ET.Element) -> dict:
    """Per element name: its attribute names in document order (every occurrence must agree)."""
    shapes: dict[str, set] = {}
    for el in root.iter():
        shapes.setdefault(el.tag, set()).add(tuple(el.attrib))
    return shapes


def test_dsn_xml_follows_the_dsn_now_schema(sqlite_url, small_fleet, shared_data):
    sample = ET.fromstring((shared_data / SAMPLE).read_bytes())
    with make_client(sqlite_url, small_fleet, plan_ahead_h=16) as client:
        plan = client.get("/api/v1/plan").json()["contacts"]
        # A deep-space contact: those missions publish their bands, so the dish carries signals.
        busy = next(c for c in plan if c["status"] in ("scheduled", "pre-pass", "in-progress") and c["spacecraft_id"] == "MEX")
        at = format_utc(parse_utc(busy["start"]).timestamp() + 30.0)
        client.put("/api/v1/clock", json={"time": at, "paused": True}, headers=token(client))
        # The next board after the jump (a loaded machine may take a few seconds to plan around it).
        wait_for(lambda: (b := client.app.state.push.latest_board()) is not None and b["time"] == at, timeout=60)
        r = client.get("/dsn.xml")
        assert r.headers["content-type"].startswith("application/xml")
        assert r.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
        ours = ET.fromstring(r.content)
        config = ET.fromstring(client.get("/config.xml").content)
        as_json = client.get("/dsn.json").json()
    assert ours.tag == sample.tag == "dsn"
    # The same elements with the same attributes in the same order as the real capture.
    sample_shape, our_shape = _shape(sample), _shape(ours)
    assert set(our_shape) == set(sample_shape) == {"dsn", "station", "dish", "downSignal", "upSignal", "target", "timestamp"}
    for tag, attrs in our_shape.items():
        assert attrs == sample_shape[tag], tag
    # Document order: stations each followed by their dishes, the timestamp last; signals before the target.
    assert [c.tag for c in ours][0] == "station" and ours[-1].tag == "timestamp"
    assert set(c.tag for c in ours) == {"station", "dish", "timestamp"}
    for dish in ours.iter("dish"):
        tags = [c.tag for c in dish]
        assert tags == sorted(tags, key=lambda t: t == "target")
    # Value formats as in the sample.
    formats = {
        ("station", "timeUTC"): r"\d{13}", ("station", "timeZoneOffset"): r"-?\d+",
        ("dish", "azimuthAngle"): r"-?\d+\.\d+", ("dish", "isMSPA"): r"true|false",
        ("downSignal", "frequency"): r"\d+", ("downSignal", "signalType"): r"data|carrier|none|ranging",
        ("upSignal", "frequency"): r"\d+(\.\d+)?", ("target", "downlegRange"): r"-?\d\.\d{3}e[+-]\d\d",
        ("target", "uplegRange"): r"-?\d\.\d{3}e[+-]\d\d", ("target", "id"): r"\d+",
        ("downSignal", "spacecraftID"): r"-\d+",
    }
    for (tag, attr), pattern in formats.items():
        for doc in (sample, ours):
            for el in doc.iter(tag):
                assert re.fullmatch(pattern, el.get(attr)), (tag, attr, el.get(attr))
    assert ours.findtext("timestamp") == ours.find("station").get("timeUTC")
    dish = next(d for d in ours.iter("dish") if d.find("target") is not None)
    assert dish.find("target").get("name") == busy["spacecraft_id"] or any(
        t.get("name") == busy["spacecraft_id"] for t in ours.iter("target"))
    # config.xml lists every antenna once; dsn.json is dsn.xml read back.
    assert len(list(config.iter("dish"))) == 37 and config.find("sites") is not None
    assert len(as_json["antennas"]) == 37 and as_json["time"] is not None


def test_partner_dsn_now_import_from_the_sample(sqlite_url, small_fleet, shared_data):
    path = shared_data / SAMPLE
    with make_client(sqlite_url, small_fleet, partner_dsn=str(path)) as client:
        feed = wait_for(lambda: (r := client.get("/api/v1/partners/dsn")).status_code == 200 and r.json())
        again = client.post("/api/v1/partners/dsn", content=path.read_bytes(),
                            headers={**token(client), "content-type": "application/xml"})
        assert again.status_code == 201 and again.json()["antennas"] == len(feed["antennas"])
    # The capture: 2022-12-07T13:18:53Z; JWST on DSS24 in K band at 25.9 GHz (28 Mb/s); Voyager 2 on DSS43.
    assert feed["time"] == "2022-12-07T13:18:53.000Z"
    names = [a["id"] for a in feed["antennas"]]
    assert "DSS24" in names and "DSS43" in names and "DSS14" not in names
    dss24 = next(a for a in feed["antennas"] if a["id"] == "DSS24")
    assert dss24["downlink"] == {"band": "K", "frequency_hz": 25.9e9, "data_rate_bps": 28e6, "signal": "data",
                                 "power_dbm": -91.3965}
    assert dss24["uplink"]["frequency_hz"] == 2090e6 and dss24["uplink"]["band"] == "S"
    assert dss24["targets"][0]["spacecraft_id"] == "JWST" and dss24["activity"] == "tracking"
    assert dss24["latitude_deg"] is not None, "matched to our DSS-24 for the map"
    dss43 = next(a for a in feed["antennas"] if a["id"] == "DSS43")
    assert dss43["rtlt_s"] == 132300 and dss43["downleg_range_km"] == 1.984e10
    dss63 = next(a for a in feed["antennas"] if a["id"] == "DSS63")
    assert dss63["rtlt_s"] is None, "DSN's -1 means unknown"


def test_feed_reader_refuses_entities_and_reports_bad_values():
    import pytest

    from groundnet.errors import FeedError

    with pytest.raises(FeedError, match="refused"):
        parse_dsn_xml(b'<!DOCTYPE dsn [<!ENTITY x SYSTEM "file:///etc/passwd">]><dsn>&x;</dsn>', "evil.xml")
    with pytest.raises(FeedError, match="expected <dsn>"):
        parse_dsn_xml(b"<config/>", "config.xml")
    with pytest.raises(FeedError, match="azimuthAngle"):
        parse_dsn_xml(b'<dsn><dish name="DSS1" azimuthAngle="north"/></dsn>', "bad.xml")


def test_partner_feed_from_a_url_on_loopback(shared_data):
    """The URL path of the import, served by a local HTTP server (tests never reach the real network)."""
    import functools
    import http.server
    import threading

    from groundnet.errors import FeedError
    from groundnet.live.dsn_now import load_dsn_feed

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(shared_data / "feeds"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        feed = load_dsn_feed(f"{base}/dsn_now_2022-12-07.xml")
        assert feed["time"] == "2022-12-07T13:18:53.000Z" and any(a["id"] == "DSS43" for a in feed["antennas"])
        try:
            load_dsn_feed(f"{base}/missing.xml")
        except FeedError as exc:
            assert "404" in str(exc)
        else:
            raise AssertionError("a missing feed must raise FeedError")
    finally:
        server.shutdown()


def test_private_live_push_needs_a_token(sqlite_url, small_fleet):
    import pytest
    from starlette.websockets import WebSocketDisconnect

    with make_client(sqlite_url, small_fleet, public_read=False) as client:
        with pytest.raises(WebSocketDisconnect) as refused:
            with client.websocket_connect("/api/v1/live") as ws:
                ws.receive_text()
        assert refused.value.code == 4401
        secret = token(client)["Authorization"].split()[1]
        with client.websocket_connect(f"/api/v1/live?token={secret}") as ws:
            assert _next(ws, "board")["data"]["antennas"]
        assert client.get("/api/v1/live/sse").status_code == 401


def test_sse_over_a_real_connection_streams_and_ends_with_the_client(sqlite_url, small_fleet):
    import httpx

    from groundnet.api.app import create_app
    from groundnet.api.settings import Settings

    from .conftest import Served

    app = create_app(Settings(database=sqlite_url, clock=T0_ISO, plan_ahead_h=2, plan_behind_h=1, tick_s=0.2),
                     fleet=small_fleet)
    with Served(app) as served:
        boards = []
        with httpx.Client(timeout=10) as client, client.stream("GET", f"{served.base}/api/v1/live/sse") as r:
            assert r.status_code == 200 and "content-length" not in r.headers
            assert r.headers["content-type"].startswith("text/event-stream")
            for line in r.iter_lines():
                if line.startswith("data: "):
                    boards.append(json.loads(line[6:]))
                    assert app.state.hub.subscriber_count == 1
                if len(boards) == 3:
                    break
        assert [b["type"] for b in boards] == ["board"] * 3 and boards[0]["seq"] < boards[2]["seq"]
        wait_for(lambda: app.state.hub.subscriber_count == 0, timeout=10)
