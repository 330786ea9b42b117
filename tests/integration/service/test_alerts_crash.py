"""Every alert of an acknowledged event reaches the receiver once per idempotency key across three ``kill -9``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading

import httpx
import pytest

from support import free_port, wait_for
from .test_crash import CLI, _start, post_events
from .webhook_receiver import Receiver

SECRET = "s3cret-for-the-crash-test-0123456789"


@pytest.mark.slow
def test_alerts_survive_three_kill_9_restarts_exactly_once_per_key(tmp_path):
    url = f"sqlite:///{tmp_path / 'groundnet.sqlite'}"
    env = {**os.environ, "GROUNDNET_PLAN_AHEAD_H": "3", "GROUNDNET_PLAN_BEHIND_H": "1"}
    token = subprocess.run([*CLI, "token", "create", "alerts-test", "--database", url], env=env, check=True,
                           capture_output=True, text=True).stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}
    port = free_port()
    base = f"http://127.0.0.1:{port}/api/v1"
    with Receiver(SECRET) as receiver:
        server = _start(url, port, env)
        r = httpx.post(f"{base}/alerts/subscriptions", json={"name": "ops", "url": receiver.url, "secret": SECRET,
                                                            "events": ["aos", "carrier_lock"]})
        assert r.status_code == 401  # never without a token
        r = httpx.post(f"{base}/alerts/subscriptions", headers=headers, json={
            "name": "ops", "url": receiver.url, "secret": SECRET, "events": ["aos", "carrier_lock"],
            "antennas": ["MSP"]})
        assert r.status_code == 201, r.text
        sub_id = r.json()["id"]
        acknowledged: list[str] = []
        try:
            for round_ in range(3):
                stop = threading.Event()
                first = len(acknowledged)
                workers = [threading.Thread(target=post_events, args=(base, headers, f"r{round_}-w{i}", stop, acknowledged))
                           for i in range(3)]
                for w in workers:
                    w.start()
                wait_for(lambda: len(acknowledged) - first >= 60, timeout=60, every=0.01)
                os.kill(server.pid, signal.SIGKILL)  # mid-ingest and mid-delivery
                server.wait(timeout=10)
                stop.set()
                for w in workers:
                    w.join(timeout=10)
                assert server.returncode == -signal.SIGKILL
                server = _start(url, port, env)
            expected = {f"{sub_id}:event:{eid}" for eid in acknowledged}
            wait_for(lambda: receiver.keys() >= expected, timeout=120, every=0.2)
            # A moment more: anything still to come would be a repeat.
            with httpx.Client(timeout=5) as client:
                wait_for(lambda: not [d for d in client.get(f"{base}/alerts/deliveries", headers=headers,
                                                            params={"limit": 1000}).json()
                                      if d["alert_status"] == "pending"], timeout=30, every=0.2)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        assert receiver.bad_signatures == 0
        got = receiver.keys()
        # Every key is an event the service stored (some posts were stored but not acknowledged before a kill).
        assert expected <= got and all(k.startswith(f"{sub_id}:event:r") for k in got)
        repeats = {k: len(v) for k, v in receiver.bodies.items() if len(v) > 1}
        # A repeat can only be the one delivery in flight at a kill, with the very same body.
        assert sum(n - 1 for n in repeats.values()) <= 3, repeats
        assert all(len(set(receiver.bodies[k])) == 1 for k in repeats)
        for p in receiver.payloads():
            assert p["kind"] == "event" and p["event"]["antenna_id"] == "MSP" and p["subscription"] == "ops"
        assert len(json.dumps(p)) > 0
