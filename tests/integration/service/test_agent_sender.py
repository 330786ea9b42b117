"""The agent's outbox against the real API (in process, SQLite): acknowledged events leave the spool, a
refused one is set aside with its status, a missing token keeps everything for later."""

from __future__ import annotations

from groundnet.agent.service import Sender, ServerClient
from groundnet.agent.spool import EventSpool

from .test_api import make_client, token


def _event(eid: str, **extra) -> dict:
    return {"event_id": eid, "antenna_id": "KIR-1", "kind": "aos", "time": "2026-08-23T10:00:05.000Z",
            "spacecraft_id": "SENTINEL-2B", "detail": {"pointing_error_deg": 0.4}, **extra}


def test_sender_acknowledges_sets_aside_and_keeps(sqlite_url, small_fleet, tmp_path):
    notes: list[str] = []
    with make_client(sqlite_url, small_fleet) as http:
        auth = token(http)
        server = ServerClient("http://testserver", None)
        server.http.close()
        server.http = http
        http.base_url = "http://testserver/api/v1"
        spool = EventSpool(tmp_path / "spool.jsonl")
        sender = Sender(server, spool, notes.append)

        # Without a token: 401, nothing leaves the spool, and the note says what to do.
        spool.add(_event("KIR-1:c1:aos"))
        assert sender.flush_once() is False and len(spool) == 1
        assert any("401" in n and "token create" in n for n in notes)

        http.headers.update(auth)
        spool.add(_event("KIR-1:c1:bad", spacecraft_id="NO-SUCH-CRAFT"))
        assert sender.flush_once() is True and len(spool) == 0
        assert [(e["event_id"], status) for e, status in sender.rejected] == [("KIR-1:c1:bad", 422)]
        assert any("answering again" in n for n in notes)

        # The same event again (a restarted agent): the server keeps one.
        spool.add(_event("KIR-1:c1:aos"))
        assert sender.flush_once() is True
        stored = [e for e in http.get("/events", params={"limit": 100}).json() if e["antenna_id"] == "KIR-1"]
        assert [e["event_id"] for e in stored] == ["KIR-1:c1:aos"]
        assert stored[0]["detail"] == {"pointing_error_deg": 0.4}
    assert EventSpool(tmp_path / "spool.jsonl").pending() == []
