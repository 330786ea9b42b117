"""Two ``groundnet serve`` processes: on one PostgreSQL database they share the live state (an event posted
to one reaches the other's WebSocket clients and board; a replay set on one, the other follows); on one
SQLite file the second is refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import httpx
import pytest
from websockets.sync.client import connect

from .conftest import T0_ISO, _new_pg_database
from support import free_port, wait_for

CLI = [sys.executable, "-c", "from groundnet.cli import main; main()"]
ENV = {**os.environ, "GROUNDNET_PLAN_AHEAD_H": "2", "GROUNDNET_PLAN_BEHIND_H": "1"}


def _serve(url: str, *extra: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([*CLI, "serve", "--port", str(port), "--database", url, "--clock", T0_ISO, *extra],
                            env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"

    def up():
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            return httpx.get(f"{base}/api/v1/clock", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    wait_for(up, timeout=120, every=0.2)
    return proc, base


def _stop(*procs: subprocess.Popen) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()


@pytest.mark.slow
@pytest.mark.postgres
def test_two_servers_on_one_postgresql_share_events_within_250_ms(postgres_server):
    url = _new_pg_database(postgres_server)
    token = subprocess.run([*CLI, "token", "create", "station", "--database", url], env=ENV, check=True,
                           capture_output=True, text=True).stdout.strip()
    auth = {"Authorization": f"Bearer {token}"}
    a, base_a = _serve(url, "--hub", url)
    b = None
    try:
        b, base_b = _serve(url, "--hub", url)
        assert httpx.get(f"{base_b}/api/v1/status").json()["hub"] == "postgresql"
        after_ack, end_to_end = [], []
        with connect(base_b.replace("http", "ws") + "/api/v1/live", open_timeout=10) as ws, \
                httpx.Client(timeout=10) as client:  # one client: no TLS context and connection set up per event
            for i in range(8):
                body = {"event_id": f"two-{i}", "antenna_id": "KIR-1", "kind": ("aos", "carrier_lock")[i % 2],
                        "time": "2026-08-23T09:59:00Z", "detail": {"n": i}}
                sent = time.monotonic()
                r = client.post(f"{base_a}/api/v1/events", json=body, headers=auth)
                acknowledged = time.monotonic()
                assert r.status_code == 201, r.text
                while True:  # boards arrive too; wait for this event
                    msg = json.loads(ws.recv(timeout=5))
                    if msg["type"] == "event" and msg["data"]["event_id"] == body["event_id"]:
                        now = time.monotonic()
                        after_ack.append(now - acknowledged)
                        end_to_end.append(now - sent)
                        assert msg["data"]["detail"] == {"n": i}
                        break
        # From the moment A acknowledged the event (stored), B's client has it within 250 ms, every time; from
        # before the POST (storing and answering included, so a busy shared machine shows in it) as a rule.
        assert max(after_ack) < 0.25, after_ack
        assert sorted(end_to_end)[len(end_to_end) // 2] < 0.25, end_to_end

        # The other process's board follows the event too, not only its clients' stream.
        out = {"event_id": "two-out", "antenna_id": "MLG", "kind": "outage_start", "time": "2026-08-23T09:59:30Z"}
        assert httpx.post(f"{base_a}/api/v1/events", json=out, headers=auth, timeout=10).status_code == 201

        def b_shows_outage():
            board = httpx.get(f"{base_b}/api/v1/board", timeout=10).json()
            return next(x for x in board["antennas"] if x["id"] == "MLG")["activity"] == "outage"

        wait_for(b_shows_outage, timeout=10)

        # A station's late report to A turns a missed contact completed on B's plan and board as well.
        def b_plan():
            return {c["id"]: c for c in httpx.get(f"{base_b}/api/v1/plan", params={"start": "2026-08-23T09:00:00Z",
                                                                                   "end": T0_ISO}, timeout=10).json()["contacts"]}

        done = next(c for c in b_plan().values() if c["status"] == "missed" and c["antenna_id"] not in ("KIR-1", "MLG"))
        for kind, at in (("carrier_lock", done["start"]), ("los", done["end"])):
            late = {"event_id": f"two-late-{kind}", "antenna_id": done["antenna_id"], "kind": kind, "time": at,
                    "spacecraft_id": done["spacecraft_id"]}
            assert httpx.post(f"{base_a}/api/v1/events", json=late, headers=auth, timeout=10).status_code == 201
        wait_for(lambda: b_plan()[done["id"]]["status"] == "completed", timeout=3, every=0.1)

        # A replay set on one server is followed by the other (the clock is shared live state too).
        r = httpx.put(f"{base_a}/api/v1/clock", json={"time": "2026-08-23T11:00:00Z", "paused": True},
                      headers=auth, timeout=10)
        assert r.status_code == 200 and r.json()["paused"]
        wait_for(lambda: httpx.get(f"{base_b}/api/v1/clock", timeout=10).json()
                 == {"time": "2026-08-23T11:00:00.000Z", "mode": "replay", "speed": 1.0, "paused": True}, timeout=10)
    finally:
        _stop(*(p for p in (a, b) if p is not None))


@pytest.mark.slow
def test_a_second_server_on_one_sqlite_file_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'groundnet.sqlite'}"
    first, base = _serve(url)
    try:
        second = subprocess.run([*CLI, "serve", "--port", str(free_port()), "--database", url, "--clock", T0_ISO],
                                env=ENV, capture_output=True, text=True, timeout=120)
        assert second.returncode == 2, second.stderr
        lines = [ln for ln in second.stderr.strip().splitlines() if ln.strip()]
        assert len(lines) == 1 and "already served by groundnet serve (pid" in lines[0], second.stderr
        assert "--hub postgresql://" in lines[0]
        assert httpx.get(f"{base}/api/v1/clock").status_code == 200  # the first one is untouched
    finally:
        _stop(first)
    # Once the first has stopped, the file can be served again.
    again, _ = _serve(url)
    _stop(again)
