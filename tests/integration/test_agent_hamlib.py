"""The station agent against Hamlib's own daemons (Debian libhamlib-utils: rotctld -m 1, rigctld -m 1).

No mock of Hamlib: the dummies are started on free loopback ports and spoken to through the real
protocol. Faults: a daemon killed mid-pass, a daemon that is not there, and a small loopback server
that answers ``RPRT -1`` or garbage (a fault injector standing for a broken device).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from service.hamlib_daemons import Daemon
from support import free_port

from groundnet.agent.hamlib import Rigctld, Rotctld
from groundnet.errors import DeviceError

CLI = [sys.executable, "-c", "from groundnet.cli import main; main()"]
LOG_COLUMNS = ["time", "az_deg", "el_deg", "target_az_deg", "target_el_deg", "range_rate_km_s", "downlink_hz", "uplink_hz",
               "reported_az_deg", "reported_el_deg", "pointing_error_deg", "commanded_error_deg"]
# A high ISS pass over Maspalomas in the bundled demo catalog (AOS 02:48:39, LOS 02:57:05).
PASS_START, PASS_END = "2026-08-22T02:48:00Z", "2026-08-22T02:51:00Z"


@pytest.fixture
def rotctld():
    d = Daemon("rotctld", "-C", "max_el=180")
    yield d
    d.kill()


@pytest.fixture
def rigctld():
    d = Daemon("rigctld")
    yield d
    d.kill()


class FaultyDevice(threading.Thread):
    """A loopback server answering every line with a fixed text (``RPRT -1``, or garbage)."""

    def __init__(self, answer: bytes):
        super().__init__(daemon=True)
        self.answer = answer
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.start()

    def run(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                f = conn.makefile("rb")
                for _line in f:
                    conn.sendall(self.answer)


def test_rotctld_dummy_position_and_refusal(rotctld):
    rot = Rotctld("127.0.0.1", rotctld.port)
    rot.set_position(20.0, 10.0)
    time.sleep(1.0)
    az, el = rot.get_position()
    assert 0 < az <= 20 and 0 < el <= 10  # moving at its slew rate toward the target
    with pytest.raises(DeviceError, match=r"refused 'P 500.00 10.00': RPRT -1") as info:
        rot.set_position(500.0, 10.0)  # beyond the dummy's 450 deg
    assert info.value.refused
    rot.stop()
    rot.park()
    rot.close()


def test_rigctld_dummy_frequency_split_and_strength(rigctld):
    rig = Rigctld("127.0.0.1", rigctld.port)
    rig.set_frequency(145_803_352.4)
    assert rig.get_frequency() == 145_803_352
    rig.set_split(True, "VFOB")
    rig.set_split_frequency(145_196_000)
    assert rig.command("i") == ["TX Frequency: 145196000"]
    assert -80 < rig.get_strength_db() < 40
    rig.close()


def test_absent_device_is_a_clear_error():
    rot = Rotctld("127.0.0.1", free_port(), timeout_s=1.0)
    with pytest.raises(DeviceError, match=r"cannot connect .*is rotctld running and listening on 127\.0\.0\.1:"):
        rot.get_position()


@pytest.mark.parametrize("answer, message", [
    (b"RPRT -1\n", "refused 'p': RPRT -1 \\(invalid parameter\\)"),
    (b"\x00\xffnonsense\n", "garbage"),
    (b"Azimuth 12\nRPRT 0\n", "garbage"),
])
def test_refusing_or_garbage_device_is_a_clear_error(answer, message):
    dev = FaultyDevice(answer)
    rot = Rotctld("127.0.0.1", dev.port, timeout_s=1.0)
    with pytest.raises(DeviceError, match=message):
        rot.get_position()
    dev.server.close()


def _run(args, **kw):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=300, **kw)


@pytest.mark.slow
def test_track_drives_the_dummies_and_logs_each_command(rotctld, rigctld, tmp_path):
    log = tmp_path / "pass.csv"
    out = tmp_path / "summary.json"
    r = _run(["track", "--station", "MSP", "--spacecraft", "ISS", "--start", PASS_START, "--end", PASS_END,
              "--speed", "6", "--rotctld", rotctld.address, "--rigctld", rigctld.address, "--flip",
              "--downlink-hz", "145.8e6", "--uplink-hz", "145.2e6", "--log", str(log), "--format", "json",
              "--output", str(out)])
    assert r.returncode == 0, r.stderr
    assert "AOS 2026-08-22T02:48:" in r.stderr and "LOS 2026-08-22T02:51:00" in r.stderr
    summary = json.loads(out.read_text())[0]
    assert summary["rotator_commands"] > 5 and summary["radio_commands"] > 5
    assert summary["max_pointing_error_deg"] is not None
    with log.open() as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0].keys()) == LOG_COLUMNS
    tuned = [r for r in rows if r["downlink_hz"]]
    assert tuned and all(145_790_000 < int(r["downlink_hz"]) < 145_810_000 for r in tuned)
    assert all(145_190_000 < int(r["uplink_hz"]) < 145_210_000 for r in tuned)
    # The pointing error of each cycle: the rotator's reported position and the command against the object.
    from groundnet.tracking import angular_separation_deg

    measured = [r for r in rows if r["pointing_error_deg"]]
    assert len(measured) > 10
    for r in measured:
        reported = float(angular_separation_deg(float(r["reported_az_deg"]), float(r["reported_el_deg"]),
                                                float(r["target_az_deg"]), float(r["target_el_deg"])))
        commanded = float(angular_separation_deg(float(r["az_deg"]), float(r["el_deg"]),
                                                 float(r["target_az_deg"]), float(r["target_el_deg"])))
        assert float(r["pointing_error_deg"]) == pytest.approx(reported, abs=0.02)
        assert float(r["commanded_error_deg"]) == pytest.approx(commanded, abs=0.02) and commanded < 5.0
    assert max(float(r["pointing_error_deg"]) for r in measured) <= summary["max_pointing_error_deg"] + 1e-6
    # The radio holds the last frequency sent, and the rotator went to its park position after LOS.
    rig = Rigctld("127.0.0.1", rigctld.port)
    assert rig.get_frequency() == int(tuned[-1]["downlink_hz"])
    rot = Rotctld("127.0.0.1", rotctld.port)
    time.sleep(0.5)
    assert rot.get_position() != (float(rows[-1]["az_deg"]), float(rows[-1]["el_deg"]))


@pytest.mark.slow
def test_rotator_killed_mid_pass_is_an_outage_and_tracking_resumes(rotctld):
    from groundnet.agent.runner import PassRunner, TrackSettings
    from groundnet.live.clock import Clock
    from groundnet.orbits.catalog import load_catalog
    from groundnet.stations import load_network
    from groundnet.timebase import parse_utc
    from groundnet.tracking import Rotator, TargetTrack

    iss = next(e for e in load_catalog("demo").elements if e.norad_id == 25544)
    msp = load_network().get("MSP")
    t0, t1 = parse_utc("2026-08-22T02:49:00Z").timestamp(), parse_utc("2026-08-22T02:50:00Z").timestamp()
    track = TargetTrack.from_elements(iss, msp, t0 - 2, t1 + 2)
    events, notes = [], []
    runner = PassRunner(track, t0, t1, Rotator(0, 450, 0, 180), TrackSettings(cycle_s=0.5),
                        now=Clock(start_unix=t0, speed=4).now, speed=4,
                        rotctld=Rotctld("127.0.0.1", rotctld.port, timeout_s=1.0),
                        on_event=lambda k, t, d: events.append((k, t, d)), on_note=notes.append)

    def fault():
        time.sleep(4)
        rotctld.kill()
        time.sleep(3)
        rotctld.start()

    threading.Thread(target=fault, daemon=True).start()
    report = runner.run()
    kinds = [k for k, _, _ in events]
    assert kinds[0] == "aos" and kinds[-1] == "los"
    assert "outage_start" in kinds and "outage_end" in kinds
    assert kinds.index("outage_start") < kinds.index("outage_end")
    start = next(d for k, _, d in events if k == "outage_start")
    assert start["device"] == "rotator" and "rotctld 127.0.0.1" in start["reason"]
    assert any("retrying in" in n for n in notes)
    # Commands went on after the restart.
    t_end = next(t for k, t, _ in events if k == "outage_end")
    assert report.rotator_commands > 3 and t_end < t1


def test_dry_run_table_in_every_format(tmp_path):
    base = ["track", "--station", "VIL-2", "--catalog", "demo", "--object", "25544", "--start", "2026-08-21T03:40:00Z",
            "--dry-run", "--downlink-hz", "145.8e6"]
    r = _run([*base, "--format", "csv", "--output", str(tmp_path / "t.csv")])
    assert r.returncode == 0, r.stderr
    with (tmp_path / "t.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert rows[0]["time"] == "2026-08-21T03:40:47.633Z" and len(rows) == 507  # one a second, AOS to LOS
    assert rows[-1]["time"] == "2026-08-21T03:49:13.633Z"  # LOS 03:49:14.388
    assert {"azimuth_deg", "elevation_deg", "range_km", "range_rate_km_s", "downlink_hz", "uplink_hz"} <= set(rows[0])
    assert int(rows[0]["downlink_hz"]) > 145_800_000 > int(rows[-1]["downlink_hz"])  # approaching, then receding
    r = _run([*base, "--format", "json"])
    data = json.loads(r.stdout)
    assert data[0]["uplink_hz"] is None and data[0]["rotator_el_deg"] == pytest.approx(5.0, abs=0.01)
    r = _run([*base, "--format", "table", "--no-flip", "--az-range", "0..360"])
    assert r.returncode == 0 and "rotator_az_deg" in r.stdout
    assert "without unwinding" in r.stderr  # said before AOS


@pytest.mark.parametrize("args, message", [
    (["--station", "MSP", "--spacecraft", "ISS"], "give --rotctld HOST:PORT and/or --rigctld"),
    (["--station", "MSP", "--spacecraft", "ISS", "--dry-run", "--az-range", "0..90"], "must span 360"),
    (["--station", "MSP", "--spacecraft", "ISS", "--rotctld", "localhost:notaport"], "write HOST:PORT"),
    (["--station", "MSP", "--dry-run"], "give either --catalog FILE --object"),
    (["--station", "MSP", "--spacecraft", "ISS", "--dry-run", "--speed", "0"], "--speed 0"),
    (["--station", "MSP", "--spacecraft", "ISS", "--dry-run", "--park", "north"], "--park 'north'"),
])
def test_track_bad_options_are_one_line(args, message):
    r = _run(["track", *args])
    assert r.returncode == 2
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def test_spool_survives_a_restart_and_a_cut_last_line(tmp_path):
    from groundnet.agent.spool import EventSpool

    path = tmp_path / "spool.jsonl"
    spool = EventSpool(path)
    for i in range(3):
        spool.add({"event_id": f"e{i}", "antenna_id": "MSP", "kind": "aos", "time": "2026-08-22T02:49:00Z"})
    spool.add({"event_id": "e1", "antenna_id": "MSP", "kind": "aos", "time": "2026-08-22T02:49:00Z"})  # again
    spool.ack(["e0"])
    with path.open("a") as f:
        f.write('{"event_id": "e3", "antenna')  # a crash mid-append
    again = EventSpool(path)
    assert [e["event_id"] for e in again.pending()] == ["e1", "e2"] and again.skipped_lines == 1
    Path(path).write_text("garbage\n" + path.read_text())
    from groundnet.errors import InputFileError

    with pytest.raises(InputFileError, match="spool.jsonl:1"):
        EventSpool(path)


@pytest.mark.slow
def test_slew_rate_is_measured_while_prepositioning(rotctld):
    """Configured 30 deg/s, the dummy moves 6: measured before AOS, said, and the path planned again."""
    from groundnet.agent.runner import PassRunner, TrackSettings
    from groundnet.live.clock import Clock
    from groundnet.orbits.catalog import load_catalog
    from groundnet.stations import load_network
    from groundnet.timebase import parse_utc
    from groundnet.tracking import Rotator, TargetTrack

    iss = next(e for e in load_catalog("demo").elements if e.norad_id == 25544)
    aos = parse_utc("2026-08-22T02:49:00Z").timestamp()
    track = TargetTrack.from_elements(iss, load_network().get("MSP"), aos - 12, aos + 4)
    notes = []
    rot = Rotctld("127.0.0.1", rotctld.port)
    rot.set_position(0, 90)
    time.sleep(0.1)
    runner = PassRunner(track, aos, aos + 2, Rotator(0, 450, 0, 180, 30.0, 30.0), TrackSettings(cycle_s=0.25),
                        now=Clock(start_unix=aos - 10, speed=1).now, rotctld=rot, on_note=notes.append)
    report = runner.run()
    assert 4.0 < report.path["measured_slew_deg_s"] < 8.0
    assert any("not the 30 configured: path planned again" in n for n in notes)


@pytest.mark.parametrize("answer, words", [(b"RPRT -9\n", "RPRT -9 (command rejected by the device)"),
                                           (b"???\n", "garbage")])
def test_a_refusing_radio_is_an_outage_with_retries(answer, words):
    from groundnet.agent.runner import PassRunner, TrackSettings
    from groundnet.live.clock import Clock
    from groundnet.orbits.catalog import load_catalog
    from groundnet.stations import load_network
    from groundnet.timebase import parse_utc
    from groundnet.tracking import Rotator, TargetTrack

    dev = FaultyDevice(answer)
    iss = next(e for e in load_catalog("demo").elements if e.norad_id == 25544)
    aos = parse_utc("2026-08-22T02:49:00Z").timestamp()
    track = TargetTrack.from_elements(iss, load_network().get("MSP"), aos - 2, aos + 30)
    events, notes = [], []
    runner = PassRunner(track, aos, aos + 20, Rotator(), TrackSettings(downlink_hz=145.8e6),
                        now=Clock(start_unix=aos, speed=10).now, speed=10,
                        rigctld=Rigctld("127.0.0.1", dev.port, timeout_s=0.5),
                        on_event=lambda k, t, d: events.append((k, d)), on_note=notes.append)
    report = runner.run()
    outages = [d for k, d in events if k == "outage_start"]
    assert len(outages) == 1 and outages[0]["device"] == "radio" and words in outages[0]["reason"]
    assert sum("retrying in" in n for n in notes) >= 2  # retried, with back-off
    assert report.radio_commands == 0 and [k for k, _ in events][-1] == "los"
    dev.server.close()


def test_dry_run_of_a_deep_space_spacecraft():
    """Solar Orbiter (SPK, light-time corrected link): its channels are not published, so none is assumed."""
    base = ["track", "--station", "CEB", "--spacecraft", "SOLO", "--start", "2026-11-21T10:00:00Z",
            "--end", "2026-11-21T10:02:00Z", "--dry-run", "--format", "json"]
    rows = json.loads(_run(base).stdout)
    assert len(rows) == 121 and rows[0]["elevation_deg"] > 50 and rows[0]["downlink_hz"] is None
    rows = json.loads(_run([*base, "--downlink-hz", "8.4e9", "--uplink-hz", "7.15e9"]).stdout)
    assert rows[0]["range_rate_km_s"] < 0  # approaching: the downlink arrives higher, the uplink goes out lower
    assert 8.4e9 < rows[0]["downlink_hz"] < 8.4e9 + 2e5 and 7.15e9 - 2e5 < rows[0]["uplink_hz"] < 7.15e9


def test_dry_run_defaults_to_the_published_downlink():
    r = _run(["track", "--station", "KIR-1", "--spacecraft", "METOP-C", "--start", "2026-08-22T00:00:00Z",
              "--dry-run", "--format", "json"])
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert all(abs(row["downlink_hz"] - 7.8e9) < 2e5 for row in rows) and rows[0]["uplink_hz"] is None


@pytest.mark.parametrize("fmt", ["csv", "table"])
def test_track_with_devices_prints_its_summary_in_each_format(rotctld, rigctld, fmt):
    r = _run(["track", "--station", "MSP", "--spacecraft", "ISS", "--start", "2026-08-22T02:50:00Z",
              "--end", "2026-08-22T02:50:20Z", "--speed", "10", "--rotctld", rotctld.address,
              "--rigctld", rigctld.address, "--downlink-hz", "145.8e6", "--format", fmt])
    assert r.returncode == 0, r.stderr
    if fmt == "csv":
        header, row = r.stdout.splitlines()
        assert header.startswith("object,station_id,aos,los,max_pointing_error_deg") and row.startswith("ISS (Columbus),MSP")
    else:
        assert "pass tracked" in r.stdout and "max_pointing_error_deg" in r.stdout


def test_stale_elements_are_warned_before_tracking():
    """The demo's ISS elements date from 2026-08-22: a pass three weeks later would point the antenna at where the ISS
    is not; said before AOS as `passes` and `look` say it, with the limit settable."""
    base = ["track", "--station", "VIL-2", "--spacecraft", "ISS", "--start", "2026-09-12T00:00:00Z", "--dry-run",
            "--format", "csv"]
    r = _run(base)
    assert r.returncode == 0, r.stderr
    assert "warning: 1 element set(s) used further from their epoch than their age limit" in r.stderr
    assert "25544 (ISS (ZARYA), LEO) 2" in r.stderr and "fetch newer elements" in r.stderr
    r = _run([*base, "--max-element-age-days", "60"])
    assert r.returncode == 0 and "warning" not in r.stderr


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_track_stops_the_rotator(rotctld, sig):
    """Ctrl-C, or SIGTERM from a service manager, in the middle of a slew: the rotator is told to stop (`S`) and
    stays where it is, rather than turning on toward the last position sent."""
    proc = subprocess.Popen([*CLI, "track", "--station", "GHY-6", "--spacecraft", "ISS", "--start", "2026-08-22T07:42:20Z",
                             "--flip", "--rotctld", rotctld.address], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        assert proc.stderr.readline().startswith("tracking ISS")
        rot = Rotctld("127.0.0.1", rotctld.port)
        deadline = time.monotonic() + 20
        while rot.get_position()[0] < 12 and time.monotonic() < deadline:  # pre-positioning toward 286 deg
            time.sleep(0.2)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "interrupted: the rotator was told to stop" in err and "Traceback" not in err
    first = rot.get_position()
    time.sleep(1.5)
    assert rot.get_position() == first and 12 <= first[0] < 60


def test_track_without_its_device_says_so_and_fails():
    """A rotctld that is not there: each failure said with what to check, one outage, retries with back-off, and
    at the end an exit status that tells a script nothing was pointed (the summary is still printed)."""
    r = _run(["track", "--station", "MSP", "--spacecraft", "ISS", "--start", "2026-08-22T02:50:00Z",
              "--end", "2026-08-22T02:50:40Z", "--speed", "10", "--rotctld", f"127.0.0.1:{free_port()}",
              "--format", "csv"])
    assert r.returncode == 1, r.stderr
    assert "is rotctld running and listening on 127.0.0.1:" in r.stderr and "retrying in 1 s" in r.stderr
    assert r.stderr.count("OUTAGE_START") == 1 and "device=rotator" in r.stderr
    assert "rotctld 127.0.0.1:" in r.stderr.splitlines()[-1] and "carried out no command" in r.stderr.splitlines()[-1]
    assert r.stdout.splitlines()[1].startswith("ISS (Columbus),MSP,") and "Traceback" not in r.stderr


def test_a_station_file_antenna_and_its_horizon_mask(tmp_path):
    """`--station-file` adds the user's own antenna; its horizon mask (trees at 20 deg to the west-north-west) holds
    AOS back until the ISS clears them, while LOS, to the east-south-east, stays at the 5 deg floor."""
    (tmp_path / "mine.toml").write_text('[[antenna]]\nid = "ROOF-1"\nname = "Rooftop beside GHY-6"\nlatitude_deg = 50.05\n'
                                        'longitude_deg = -5.183\nmin_elevation_deg = 5\n'
                                        'horizon_mask = [[0, 5], [250, 5], [260, 20], [310, 20], [320, 5]]\n')
    r = _run(["track", "--station", "ROOF-1", "--station-file", str(tmp_path / "mine.toml"), "--spacecraft", "ISS",
              "--start", "2026-08-22T07:42:00Z", "--dry-run", "--format", "json"])
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert rows[0]["time"] > "2026-08-22T07:45" and 19.5 < rows[0]["elevation_deg"] < 21.5
    assert 4.9 < rows[-1]["elevation_deg"] < 5.2 and rows[-1]["time"] < "2026-08-22T07:52:50"
    assert rows[0]["rotator_el_deg"] == pytest.approx(rows[0]["elevation_deg"], abs=0.05)


def test_agent_takes_server_and_token_from_the_config_file_and_stops_on_sigterm(tmp_path):
    """`[agent] server` and `token` in groundnet.toml: the agent asks that server, with that token, retries while it
    answers 503, and SIGTERM (a service manager's stop) ends it cleanly."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen = []

    class Busy(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            seen.append((self.path, self.headers.get("Authorization")))
            self.send_response(503)
            self.end_headers()

        def log_message(self, *_args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Busy)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    (tmp_path / "groundnet.toml").write_text(f'[agent]\nserver = "{url}"\ntoken = "gn_from_the_file"\n')
    env = {k: v for k, v in os.environ.items() if k not in ("GROUNDNET_SERVER", "GROUNDNET_TOKEN")}
    proc = subprocess.Popen([*CLI, "agent", "--station", "SMA", "--spool", str(tmp_path / "spool.jsonl"),
                             "--format", "csv"], env={**env, "GROUNDNET_CONFIG": str(tmp_path / "groundnet.toml")},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr.readline().strip() == "note: no --rotctld or --rigctld: the agent reports AOS/LOS from the plan without devices"
        assert proc.stderr.readline().startswith(f"agent SMA: server {url}, spool ")
        assert "HTTP 503" in proc.stderr.readline()  # said, and retried
        deadline = time.monotonic() + 10
        while len(seen) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        httpd.shutdown()
    assert len(seen) >= 2 and seen[0] == ("/api/v1/clock", "Bearer gn_from_the_file")
    assert proc.returncode == 0 and "agent SMA: interrupted" in err and "Traceback" not in err
