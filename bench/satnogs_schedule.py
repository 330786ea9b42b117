"""Observation scheduling of a SatNOGS-sized network: the whole network at once against the
per-station greedy of the SatNOGS auto-scheduler, both run through `groundnet schedule observations`.

The inputs are generated with a fixed seed and written to a scratch directory:
- 500 stations over the land masses (`stations generate`), each with the antennas a SatNOGS
  station typically has: VHF and UHF (55 %), UHF only (30 %), VHF only (10 %), VHF, UHF and S (5 %),
  and a minimum elevation of 0, 5, 10 or 15 degrees;
- 200 low-Earth-orbit satellites drawn from the CelesTrak active catalog of 2026-05-07 (Starlink and
  OneWeb left out), each with a downlink in VHF (30 %), UHF (60 %) or S band (10 %), 15 % of them on
  the priority list, and a minimum culmination of 0, 10 or 20 degrees;
- 24 hours from 2026-05-08T00:00:00Z.

It times the whole command for each planner (`--planner satnogs-greedy`, `--planner network`,
output written as CSV, the way a user would run it), then runs `--planner compare --format json`
for the figures, prints a table and writes its section of bench/RESULTS.md.

    .venv/bin/python bench/satnogs_schedule.py [--stations 500] [--satellites 200] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from _results import record_section  # noqa: E402
from groundnet.orbits.catalog import load_catalog  # noqa: E402
from groundnet.stations.generate import generate_network  # noqa: E402
from groundnet.stations.network import network_toml  # noqa: E402

CATALOG = ROOT.parent / "shared" / "data" / "catalog" / "celestrak_active_3le_2026-05-07.txt"
START = "2026-05-08T00:00:00Z"
SECTION = "## Observation scheduling: 500 SatNOGS-style stations x 200 satellites x 24 h (bench/satnogs_schedule.py)"
VHF, UHF, S = (144e6, 146e6), (430e6, 440e6), (2.2e9, 2.45e9)


def write_inputs(folder: Path, n_stations: int, n_satellites: int, seed: int) -> tuple[Path, Path]:
    rng = np.random.default_rng(seed)
    antennas = []
    for a in generate_network(n_stations, seed, prefix="SN", min_elevation_deg=0.0):
        u = rng.random()
        ranges = (VHF, UHF) if u < 0.55 else (UHF,) if u < 0.85 else (VHF,) if u < 0.95 else (VHF, UHF, S)
        antennas.append(replace(a, frequency_ranges_hz=ranges, min_elevation_deg=float(rng.choice([0, 5, 10, 15]))))
    stations = folder / "stations.toml"
    stations.write_text(network_toml(antennas), encoding="utf-8")

    leo = [e for e in load_catalog(CATALOG).elements
           if e.period_min < 128 and not e.name.startswith(("STARLINK", "ONEWEB"))]
    lines = []
    for i in sorted(rng.choice(len(leo), n_satellites, replace=False)):
        e = leo[i]
        u = rng.random()
        downlink = rng.uniform(145.8e6, 146e6) if u < 0.3 else rng.uniform(435e6, 438e6) if u < 0.9 else rng.uniform(2.4e9, 2.45e9)
        lines += ["[[satellite]]", f"norad_id = {e.norad_id}", f"downlink_hz = {downlink:.0f}",
                  f"min_elevation_deg = {int(rng.choice([0, 10, 20]))}"]
        if rng.random() < 0.15:
            lines.append(f"priority = {rng.uniform(0.5, 1.0):.2f}")
        lines.append("")
    requests = folder / "requests.toml"
    requests.write_text("\n".join(lines), encoding="utf-8")
    return stations, requests


def run(args: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    exe = Path(sys.executable).with_name("groundnet")
    t0 = time.perf_counter()
    done = subprocess.run([str(exe), *args], capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        sys.exit(f"groundnet {' '.join(args)} failed:\n{done.stderr}")
    return elapsed, done


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stations", type=int, default=500)
    ap.add_argument("--satellites", type=int, default=200)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    opts = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        stations, requests = write_inputs(folder, opts.stations, opts.satellites, opts.seed)
        common = ["schedule", "observations", "--station-file", str(stations), "--catalog", str(CATALOG),
                  "--requests", str(requests), "--start", START, "--hours", "24", "--quiet"]
        t_greedy, _ = run(common + ["--planner", "satnogs-greedy", "--output", str(folder / "greedy.csv")])
        t_network, _ = run(common + ["--planner", "network", "--output", str(folder / "network.csv")])
        _, compared = run(common + ["--planner", "compare", "--format", "json"])
        greedy, network = json.loads(compared.stdout)
        common_quiet = [a for a in common if a != "--quiet"]
        _, detail = run(common_quiet + ["--planner", "compare", "--format", "json", "--output", str(folder / "c.json")])
        comparison = dict(line.split(": ", 1) for line in detail.stderr.splitlines() if ": " in line and not line.startswith("warning"))

    gain_sat = 100.0 * (network["satellite_hours"] / greedy["satellite_hours"] - 1.0)
    gain_station = 100.0 * (network["station_hours"] / greedy["station_hours"] - 1.0)
    worst = float(comparison["worst_satellite_share"])
    rows = [
        ("satellite-hours observed (distinct)", greedy["satellite_hours"], network["satellite_hours"], f"{gain_sat:+.1f} %", ">= +15 %", gain_sat >= 15.0),
        ("station-hours observed", greedy["station_hours"], network["station_hours"], f"{gain_station:+.1f} %", "", None),
        ("observations", greedy["observations"], network["observations"], "", "", None),
        ("satellites covered", greedy["satellites_covered"], network["satellites_covered"], "", "", None),
        ("fairness (Jain, satellite-hours)", greedy["fairness_jain"], network["fairness_jain"], "", "", None),
        ("worst satellite vs greedy", "1", f"{worst:.3f}", "", ">= 0.90", worst >= 0.9),
        ("conflicts", greedy["conflicts"], network["conflicts"], "", "0", network["conflicts"] == 0 and greedy["conflicts"] == 0),
        ("whole command, wall s", f"{t_greedy:.1f}", f"{t_network:.1f}", f"{t_network / t_greedy:.2f}x the greedy's", "<= 60 s", t_network <= 60.0),
    ]
    head = "| measure | SatNOGS greedy (per station) | groundnet network plan | change | target | met |\n|---|---|---|---|---|---|\n"
    table = head + "".join(
        f"| {m} | {g} | {n} | {c} | {t} | {'' if ok is None else ('yes' if ok else 'NO')} |\n" for m, g, n, c, t, ok in rows)
    print(table)
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    section = (
        f"{SECTION}\n\n"
        f"Measured {when} on {platform.machine()} with {os.cpu_count()} cores: "
        f"`.venv/bin/python bench/satnogs_schedule.py` ({opts.stations} stations, {opts.satellites} satellites, seed {opts.seed}). "
        "Both planners book whole passes (AOS to LOS, at least 60 s) that the station can receive; "
        "satellite-hours count the time in which at least one station observes a satellite, station-hours every "
        "observation's length. Conflicts are counted by the schedule validator. The greedy reproduces the "
        "SatNOGS auto-scheduler's rules (docs/satnogs.md); the times are the whole "
        "`groundnet schedule observations` process each, passes included.\n\n" + table
    )
    if not opts.no_write:
        record_section(section)
        print("recorded in bench/RESULTS.md")


if __name__ == "__main__":
    main()
