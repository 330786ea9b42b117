"""End to end: `groundnet serve` with a plan holding an ISS contact at Santa Maria, `groundnet agent` running
it with Hamlib's dummy rotator and radio at the server's replay speed (10x), the server killed and restarted
mid-contact: every event reaches the server once and the board shows the antenna tracking."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import httpx
import pytest

from .hamlib_daemons import Daemon
from support import free_port, wait_for

CLI = [sys.executable, "-c", "from groundnet.cli import main; main()"]
CONTACT = "ISS@1787476016/SMA/1787479712"  # 2026-08-23T10:08:32Z .. 10:16:32Z in the planner's plan
CLOCK = "2026-08-23T10:07:00Z"


@pytest.mark.slow
def test_agent_runs_a_contact_and_the_board_shows_it(tmp_path):
    rot, rig = Daemon("rotctld", "-C", "max_el=180"), Daemon("rigctld")
    url = f"sqlite:///{tmp_path / 'groundnet.sqlite'}"
    env = {**os.environ, "GROUNDNET_PLAN_AHEAD_H": "3", "GROUNDNET_PLAN_BEHIND_H": "1", "GROUNDNET_SPEED": "10"}
    token = subprocess.run([*CLI, "token", "create", "SMA-agent", "--database", url], env=env, check=True,
                           capture_output=True, text=True).stdout.strip()
    port = free_port()
    base = f"http://127.0.0.1:{port}/api/v1"

    def serve(clock=CLOCK):
        proc = subprocess.Popen([*CLI, "serve", "--port", str(port), "--database", url, "--clock", clock],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_for(lambda: _up(proc), timeout=90, every=0.2)
        return proc

    def _up(proc):
        if proc.poll() is not None:
            raise AssertionError(proc.stderr.read().decode()[-2000:])
        try:
            return httpx.get(f"{base}/clock", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    server = serve()
    plan = httpx.get(f"{base}/plan", params={"start": "2026-08-23T10:00:00Z", "end": "2026-08-23T10:30:00Z"}).json()
    assert CONTACT in {c["id"] for c in plan["contacts"]}, "the planner's plan changed: pick the new ISS contact"
    # Two other antennas with a contact soon after 10:07, for agents without devices.
    soon = sorted((c for c in plan["contacts"] if c["antenna_id"] != "SMA"
                   and "2026-08-23T10:09" <= c["start"] and c["end"] <= "2026-08-23T10:25"), key=lambda c: c["end"])
    stations = list(dict.fromkeys(c["antenna_id"] for c in soon))[:2]
    assert len(stations) == 2, soon
    spool = tmp_path / "spool.jsonl"
    agent = subprocess.Popen([*CLI, "agent", "--station", "SMA", "--server", f"http://127.0.0.1:{port}",
                              "--rotctld", rot.address, "--rigctld", rig.address, "--downlink-hz", "145.8e6",
                              "--flip", "--max-contacts", "1", "--spool", str(spool), "--format", "json"],
                             env={**env, "GROUNDNET_TOKEN": token}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    others = {}
    try:
        def tracking():
            if agent.poll() is not None:
                raise AssertionError(f"the agent stopped: {agent.stderr.read()[-3000:]}")
            board = httpx.get(f"{base}/board", timeout=5).json()
            sma = next(a for a in board["antennas"] if a["id"] == "SMA")
            return sma if sma["reported_activity"] == "tracking" else None

        sma = wait_for(tracking, timeout=120, every=0.3)
        assert sma["contact_id"] == CONTACT and sma["activity"] == "tracking"
        # The server dies mid-contact and comes back: the agent keeps tracking and its events wait in the spool.
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        time.sleep(3)
        server = serve()
        # The restarted server replays from 10:07 again. Two more stations without devices (AOS/LOS from the
        # plan) print their table as CSV to a file and as a table.
        others = {station: subprocess.Popen(
            [*CLI, "agent", "--station", station, "--server", f"http://127.0.0.1:{port}", "--token", token,
             "--max-contacts", "1", "--spool", str(tmp_path / f"{station}.jsonl"), *fmt],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for station, fmt in ((stations[0], ["--format", "csv", "--output", str(tmp_path / "first.csv")]),
                                 (stations[1], []))}
        out, err = agent.communicate(timeout=240)
        other_out = {k: p.communicate(timeout=240) for k, p in others.items()}
    finally:
        for proc in (agent, *others.values()):
            if proc.poll() is None:
                proc.kill()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
        rot.kill()
        rig.kill()
    assert agent.returncode == 0, err
    assert "agent SMA: AOS 2026-08-23T10:" in err and "agent SMA: LOS 2026-08-23T10:16:32" in err  # as they happen
    report = json.loads(out)
    assert [r["contact_id"] for r in report] == [CONTACT]
    assert report[0]["rotator_commands"] > 10 and report[0]["radio_commands"] > 10
    assert all(p.returncode == 0 for p in others.values()), other_out
    first = (tmp_path / "first.csv").read_text().splitlines()
    assert first[0].startswith("contact_id,spacecraft_id,max_pointing_error_deg") and len(first) == 2
    table = other_out[stations[1]][0]
    assert f"contacts run by {stations[1]}" in table and "contact_id" in table
    server = serve("2026-08-23T10:40:00Z")  # after the contact's teardown: its record is decided
    try:
        events = httpx.get(f"{base}/events", params={"limit": 1000}).json()
        record = httpx.get(f"{base}/reports/contacts/{CONTACT}").json()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    mine = [e for e in events if e["antenna_id"] == "SMA"]
    assert set(stations) <= {e["antenna_id"] for e in events if e["kind"] == "los"}
    kinds = [e["kind"] for e in mine]
    assert kinds.count("aos") == 1 and kinds.count("los") == 1, err
    los = next(e for e in mine if e["kind"] == "los")
    assert los["event_id"] == f"SMA:{CONTACT}:los" and los["spacecraft_id"] == "ISS"
    assert los["detail"]["max_pointing_error_deg"] is not None and los["detail"]["rotator_commands"] > 10
    # The contact is recorded with the pass's pointing error as the agent measured it over every cycle.
    assert record["actual_aos"] is not None
    assert record["pointing_error_max_deg"] == pytest.approx(los["detail"]["max_pointing_error_deg"])
    assert record["pointing_error_rms_deg"] == pytest.approx(los["detail"]["rms_pointing_error_deg"])
    assert spool.read_text() == ""  # every event acknowledged
