"""``kill -9`` during event ingest: no acknowledged event is lost, and a restart restores the board."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import httpx
import pytest

from .conftest import T0_ISO
from support import free_port, wait_for

CLI = [sys.executable, "-c", "from groundnet.cli import main; main()"]


def _start(url: str, port: int, env: dict) -> subprocess.Popen:
    proc = subprocess.Popen([*CLI, "serve", "--port", str(port), "--database", url, "--clock", T0_ISO],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def up():
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            return httpx.get(f"http://127.0.0.1:{port}/api/v1/board", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    wait_for(up, timeout=90, every=0.2)
    return proc


def post_events(base: str, headers: dict, prefix: str, stop: threading.Event, acknowledged: list[str]) -> None:
    """Post MSP events (``prefix-0``, ``prefix-1``, ...) until ``stop`` or the server is gone, noting each
    acknowledged id in ``acknowledged``."""
    with httpx.Client(timeout=5) as client:
        n = 0
        while not stop.is_set():
            eid = f"{prefix}-{n}"
            try:
                resp = client.post(f"{base}/events", headers=headers, json={
                    "event_id": eid, "antenna_id": "MSP", "kind": ("aos", "carrier_lock")[n % 2],
                    "time": "2026-08-23T10:00:01Z"})
            except httpx.HTTPError:
                return  # the server is gone
            if resp.status_code in (200, 201):
                acknowledged.append(eid)
            n += 1


@pytest.mark.slow
def test_kill_9_during_ingest_loses_no_acknowledged_event(tmp_path):
    url = f"sqlite:///{tmp_path / 'groundnet.sqlite'}"
    env = {**os.environ, "GROUNDNET_PLAN_AHEAD_H": "3", "GROUNDNET_PLAN_BEHIND_H": "1"}
    token = subprocess.run([*CLI, "token", "create", "crash-test", "--database", url], env=env, check=True,
                           capture_output=True, text=True).stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}
    port = free_port()
    server = _start(url, port, env)
    base = f"http://127.0.0.1:{port}/api/v1"
    # Before the crash: an outage at Malargüe, which the restarted board must still show.
    r = httpx.post(f"{base}/events", headers=headers, json={
        "event_id": "mlg-out", "antenna_id": "MLG", "kind": "outage_start", "time": "2026-08-23T10:00:00Z"})
    assert r.status_code == 201

    acknowledged: list[str] = []
    stop = threading.Event()
    workers = [threading.Thread(target=post_events, args=(base, headers, f"w{i}", stop, acknowledged)) for i in range(4)]
    for w in workers:
        w.start()
    wait_for(lambda: len(acknowledged) >= 150, timeout=60, every=0.01)
    os.kill(server.pid, signal.SIGKILL)  # mid-ingest: requests are in flight
    server.wait(timeout=10)
    for w in workers:
        w.join(timeout=10)
    stop.set()
    assert server.returncode == -signal.SIGKILL
    acked = set(acknowledged)

    server = _start(url, port, env)
    try:
        stored: set[str] = set()
        since = 0
        while True:
            page = httpx.get(f"{base}/events", params={"since_id": since, "limit": 1000}).json()
            if not page:
                break
            stored.update(e["event_id"] for e in page)
            since = page[-1]["id"]
        assert acked <= stored, f"lost {len(acked - stored)} acknowledged events: {sorted(acked - stored)[:5]}"
        assert "mlg-out" in stored
        board = httpx.get(f"{base}/board").json()
        mlg = next(a for a in board["antennas"] if a["id"] == "MLG")
        assert mlg["activity"] == "outage" and mlg["reported_activity"] == "outage"
        # Repeating an acknowledged event after the restart changes nothing.
        again = httpx.post(f"{base}/events", headers=headers, json={
            "event_id": sorted(acked)[0], "antenna_id": "MSP", "kind": "aos", "time": "2026-08-23T10:00:01Z"})
        assert again.status_code == 200
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
