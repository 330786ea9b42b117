"""Pointing error and Doppler of a high ISS pass through Hamlib's dummy rotator and radio, side by side.

Two `groundnet track` runs of the same pass at the same time, each with its own `rotctld -m 1` and
`rigctld -m 1` (Debian libhamlib-utils) on loopback:

* groundnet's defaults: pre-positioning, flip-over (the rotator allows 180 deg of elevation), 1 deg
  threshold, 0.5 s cycle, aimed ahead by half the threshold;
* driven the way gpredict drives a rotator: 5 deg threshold, 1000 ms cycle, no pre-positioning, no
  flip (elevation 0..90), aimed at the object's position now (`--lead-s 0`).

A third run isolates the threshold and cycle: gpredict's 5 deg / 1000 ms with groundnet's pre-positioning
and flip. All start 2 minutes before AOS with the rotator parked at 0/90 and use the same azimuth range
(0..450). The pointing error is the rotator's own reported position (`p`) against the object's
apparent position at the same instant, sampled every cycle between AOS and LOS. The commanded
Doppler is every downlink frequency groundnet sent (`--log`), compared with f(1 - rdot/c) computed
independently with Skyfield (its own SGP4, frames and station) at the row's time.

The pass: ISS over Goonhilly GHY-6 (50.0 N), 2026-08-22 07:44:20-07:52:49 UTC, maximum elevation
89.7 deg (the bundled demo catalog). The dummy rotator moves each axis at 6 deg/s of real time; at
`--speed N` that is 6/N deg/s of simulated time, so the run is the pass as a rotator of 6/N deg/s
would fly it (N=2: 3 deg/s, about a Yaesu G-5500's elevation rate). The target: groundnet's maximum
and RMS pointing error below the gpredict way's, with no more rotator commands a minute than gpredict's
1000 ms cycle can send (60), and commanded Doppler within 1 Hz of Skyfield's.

    .venv/bin/python bench/tracking.py [--speed 2] [--record]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

from _results import record_section

STATION = "GHY-6"
AOS, LOS = "2026-08-22T07:44:19.900Z", "2026-08-22T07:52:49.487Z"
START = "2026-08-22T07:42:20Z"
DOWNLINK_HZ = 145.8e6
C_KM_S = 299792.458
CLI = [sys.executable, "-c", "from groundnet.cli import main; main()"]
WAYS = {
    "groundnet defaults (pre-position, flip, 1 deg / 0.5 s, lead)": ["--flip"],
    "gpredict way (5 deg / 1000 ms, no pre-positioning, no flip)": [
        "--no-flip", "--threshold-deg", "5", "--cycle-s", "1", "--no-preposition", "--lead-s", "0"],
    # The threshold and cycle alone: gpredict's 5 deg / 1000 ms with groundnet's pre-positioning and flip.
    "5 deg / 1000 ms with pre-positioning and flip": ["--flip", "--threshold-deg", "5", "--cycle-s", "1", "--lead-s", "0"],
}
KEYS = ["groundnet", "gpredict", "threshold-only"]
FLOOD_PER_MIN = 60.0  # rotator positions a minute: one per cycle of gpredict's 1000 ms


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _daemon(binary: str, *extra: str) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    proc = subprocess.Popen([shutil.which(binary), "-m", "1", "-T", "127.0.0.1", "-t", str(port), *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.05)
    return proc, port


def _skyfield_doppler_error(log: Path) -> tuple[float, int]:
    """Largest |sent - f(1 - rdot/c)| over the log's downlink commands, rdot from Skyfield."""
    from skyfield.api import EarthSatellite, load, wgs84

    from groundnet.stations import load_network

    text = resources.files("groundnet.data").joinpath("demo_catalog.tle").read_text()
    l1 = next(x for x in text.splitlines() if x.startswith("1 25544"))
    l2 = next(x for x in text.splitlines() if x.startswith("2 25544"))
    ts = load.timescale(builtin=True)
    sat = EarthSatellite(l1, l2, ts=ts)
    a = load_network().get(STATION)
    site = wgs84.latlon(a.latitude_deg, a.longitude_deg, elevation_m=a.altitude_m)
    with log.open() as f:
        rows = [r for r in csv.DictReader(f) if r["downlink_hz"]]
    # Only the rows where this cycle sent the frequency (it changed since the previous row).
    sent, last = [], None
    for r in rows:
        if r["downlink_hz"] != last:
            sent.append(r)
            last = r["downlink_hz"]
    t = ts.from_datetimes([datetime.fromisoformat(r["time"].replace("Z", "+00:00")) for r in sent])
    *_, rate = (sat - site).at(t).frame_latlon_and_rates(site)
    worst = max(abs(int(r["downlink_hz"]) - DOWNLINK_HZ * (1 - rr / C_KM_S)) for r, rr in zip(sent, rate.km_per_s))
    return float(worst), len(sent)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--speed", type=float, default=2.0, help="replay speed of both runs (default 2)")
    ap.add_argument("--record", action="store_true", help="write the figures to bench/RESULTS.md")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="groundnet-bench-tracking-"))
    daemons, runs = [], {}
    t_wall = time.monotonic()
    try:
        for key, (name, extra) in zip(KEYS, WAYS.items()):
            rot, rot_port = _daemon("rotctld", *(["-C", "max_el=180"] if "--flip" in extra else []))
            rig, rig_port = _daemon("rigctld")
            daemons += [rot, rig]
            cmd = [*CLI, "track", "--station", STATION, "--spacecraft", "ISS", "--start", START, "--end", LOS,
                   "--speed", str(args.speed), "--rotctld", f"127.0.0.1:{rot_port}", "--rigctld", f"127.0.0.1:{rig_port}",
                   "--downlink-hz", str(DOWNLINK_HZ), "--park", "0,90", "--log", str(tmp / f"{key}.csv"),
                   "--format", "json", "--output", str(tmp / f"{key}.json"), *extra]
            runs[name] = (key, subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))
        results = {}
        for name, (key, proc) in runs.items():
            _, err = proc.communicate(timeout=3600)
            if proc.returncode != 0:
                raise SystemExit(f"{name}: exit {proc.returncode}\n{err}")
            results[name] = json.loads((tmp / f"{key}.json").read_text())[0]
            results[name]["notes"] = [ln for ln in err.splitlines() if ln.startswith("note:")]
    finally:
        for d in daemons:
            d.kill()
    wall = time.monotonic() - t_wall
    doppler_err, doppler_n = _skyfield_doppler_error(tmp / "groundnet.csv")
    g, p, th = (results[n] for n in WAYS)
    lines = [
        f"## Station tracking (bench/tracking.py, ISS over {STATION}, Hamlib dummies, --speed {args.speed:g})",
        "",
        f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.machine()}, {os.cpu_count()} cores; "
        f"the {len(WAYS)} runs at once, {wall:.0f} s of wall time. Pass {AOS} .. {LOS}, maximum elevation 89.7 deg, over "
        f"{STATION} (50.0 N). Hamlib {subprocess.run(['rotctld', '--version'], capture_output=True, text=True).stdout.split()[2]} "
        f"`rotctld -m 1` moves each axis at 6 deg/s of real time: at --speed {args.speed:g} the pass is flown as by "
        f"a {6 / args.speed:g} deg/s rotator. Pointing error: the rotator's reported position against the object, "
        "every cycle from AOS to LOS. Commands per minute of pass time (the `p` position polls, one per cycle, "
        "not counted).",
        "",
        "| way | max pointing error deg | RMS pointing error deg | rotator commands/min | radio commands/min | flip |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, r in results.items():
        lines.append(f"| {name} | {r['max_pointing_error_deg']:.2f} | {r['rms_pointing_error_deg']:.2f} | "
                     f"{r['rotator_commands_per_min']:.1f} | {r['radio_commands_per_min']:.1f} | {r['flip']} |")
    met = g["max_pointing_error_deg"] < p["max_pointing_error_deg"] and g["rms_pointing_error_deg"] < p["rms_pointing_error_deg"]
    lines += [
        "",
        f"ratio gpredict way / groundnet: max error **{p['max_pointing_error_deg'] / g['max_pointing_error_deg']:.1f}x**, "
        f"RMS **{p['rms_pointing_error_deg'] / g['rms_pointing_error_deg']:.1f}x** "
        f"(target: groundnet lower on both: {'met' if met else 'NOT met'}). The threshold and cycle alone "
        f"(third row against the first): max **{th['max_pointing_error_deg'] / g['max_pointing_error_deg']:.1f}x**, "
        f"RMS **{th['rms_pointing_error_deg'] / g['rms_pointing_error_deg']:.1f}x**, for "
        f"{g['rotator_commands_per_min'] / max(th['rotator_commands_per_min'], 1e-9):.1f}x the rotator commands.",
        "",
        f"Without flooding the rotator: groundnet's defaults sent **{g['rotator_commands_per_min']:.1f}** positions a "
        f"minute (target: at most {FLOOD_PER_MIN:g}, one per gpredict's 1000 ms cycle, the most its way can send: "
        f"{'met' if g['rotator_commands_per_min'] <= FLOOD_PER_MIN else 'NOT met'}).",
        "",
        f"Commanded Doppler: {doppler_n} downlink frequencies sent (10 Hz step); the largest difference from "
        f"f(1 - rdot/c) with Skyfield's range rate is **{doppler_err:.2f} Hz** (target: within 1 Hz: "
        f"{'met' if doppler_err <= 1.0 else 'NOT met'}).",
        "",
        "Said before AOS:",
        "",
    ]
    for name, r in results.items():
        for n in r["notes"] or ["(nothing)"]:
            lines.append(f"- {name}: {n.removeprefix('note: ')}")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.record:
        record_section(text)


if __name__ == "__main__":
    main()
