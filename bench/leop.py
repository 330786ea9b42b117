"""LEOP acquisition search: groundnet against Skyfield sampling the same trajectory every second.

Both answer the same question on the same nominal trajectory (the bundled Galileo VS15 and
ExoMars 2016 scenarios, no dispersions): every station's passes from switch-on over the coverage
horizon. groundnet samples every ``search_step_s`` and refines rises and sets to 1 ms; the peer is
what a Skyfield user would write for a numerically integrated trajectory (``find_events`` needs an
``EarthSatellite``): ``altaz`` of ``build_position`` states every second, rises and sets taken
at the first second above the minimum elevation. Prints a table and the speed ratio, and checks
that the AOS times agree within the peer's 1 s resolution; ``--record`` writes the figures into
bench/RESULTS.md.

Then the whole analysis with dispersions, as ``groundnet leop`` runs it (propagation of every
sample, the search, coverage, the dispersion summary and the pointing predictions): the Galileo
scenario with its Monte Carlo dispersions at each sample count of ``--samples`` (default 100),
timed, with the process's peak memory.

    .venv/bin/python bench/leop.py [--record] [--samples 100[,1000]]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import time

import numpy as np

from groundnet.leop import load_scenario
from groundnet.leop.acquisition import find_passes, propagate_samples, run_scenario, scenario_antennas

from _results import record_section

SECTION = "## LEOP acquisition search (`bench/leop.py`)"


def skyfield_rises(track, antennas, t0: float, t1: float) -> dict[str, list[float]]:
    from skyfield.api import wgs84
    from skyfield.constants import AU_KM, DAY_S
    from skyfield.positionlib import build_position

    from groundnet.timebase import skyfield_times

    t = np.arange(t0, t1 + 1.0, 1.0)
    pos, vel = track.states(np.zeros(t.shape, dtype=int), t)
    ts = skyfield_times(t)
    sat = build_position(pos.T / AU_KM, vel.T / AU_KM * DAY_S, ts, center=399)
    out = {}
    for ant in antennas:
        topos = wgs84.latlon(ant.latitude_deg, ant.longitude_deg, elevation_m=ant.altitude_m)
        alt = (sat - topos.at(ts)).altaz()[0].degrees
        up = alt >= ant.min_elevation_deg
        out[ant.id] = list(t[1:][up[1:] & ~up[:-1]])
    return out


def run(name: str) -> dict:
    sc = load_scenario(name)
    sc = dataclasses.replace(sc, dispersions=dataclasses.replace(sc.dispersions, method="none"))
    antennas = scenario_antennas(sc)
    track, _, info = propagate_samples(sc, sc.launch_times_unix[0], antennas)
    horizon = info["horizon_s"]
    t_on = float(track.switch_on_unix[0])
    find_passes(track, 600.0, sc.search_step_s)  # warm caches (timescale, ephemeris)

    t = time.perf_counter()
    passes = find_passes(track, horizon, sc.search_step_s)
    ours = time.perf_counter() - t

    t = time.perf_counter()
    peer = skyfield_rises(track, antennas, t_on, t_on + horizon)
    theirs = time.perf_counter() - t

    diffs = []
    for station, aos, in_view in zip(passes.sta.tolist(), passes.aos.tolist(), passes.aos_clipped.tolist()):
        if in_view:  # in view at switch-on: no rise
            continue
        rises = peer[antennas[station].id]
        if rises:
            diffs.append(min(abs(r - aos) for r in rises))
    return {"scenario": name, "stations": len(antennas), "hours": horizon / 3600.0, "passes": len(passes),
            "search_step_s": sc.search_step_s,
            "groundnet_s": ours, "skyfield_1s_s": theirs, "ratio": theirs / ours,
            "max_aos_difference_s": max(diffs) if diffs else float("nan")}


def dispersion_run(samples: int) -> dict:
    """The whole Galileo analysis with ``samples`` Monte Carlo dispersion samples, in a fresh process
    (so that its peak memory is its own): wall time, peak memory."""
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, __file__, "--child-samples", str(samples)], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _dispersion_child(samples: int) -> dict:
    sc = load_scenario("galileo_vs15")
    sc = dataclasses.replace(sc, dispersions=dataclasses.replace(sc.dispersions, method="monte_carlo",
                                                                 samples=samples))
    t = time.perf_counter()
    result = run_scenario(sc)[0]
    elapsed = time.perf_counter() - t
    # VmHWM is this process's own peak (ru_maxrss would carry the parent's across exec on Linux).
    with open("/proc/self/status") as fh:
        peak_mb = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:")) / 1024.0
    return {"samples": samples, "seconds": elapsed, "peak_mb": peak_mb,
            "acquisitions": len(result.acquisitions)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--record", action="store_true", help="write the figures into bench/RESULTS.md")
    parser.add_argument("--samples", default="100", help="dispersion sample counts to time, comma separated")
    parser.add_argument("--child-samples", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_samples:
        import json

        print(json.dumps(_dispersion_child(args.child_samples)))
        return

    rows = [run("galileo_vs15"), run("exomars_2016")]
    table = "\n".join([
        "| scenario | stations | hours | passes | groundnet (s) | Skyfield 1 s sampling (s) | ratio | max AOS difference (s) |",
        "|---|---|---|---|---|---|---|---|",
        *(f"| {r['scenario']} | {r['stations']} | {r['hours']:.1f} | {r['passes']} | {r['groundnet_s']:.2f} | "
          f"{r['skyfield_1s_s']:.2f} | {r['ratio']:.1f}x | {r['max_aos_difference_s']:.3f} |" for r in rows),
    ])
    print(table)
    dispersions = [dispersion_run(int(n)) for n in args.samples.split(",") if n.strip()]
    dtable = "\n".join([
        "| Galileo VS15, Monte Carlo samples | whole analysis (s) | process peak memory (MB) |",
        "|---|---|---|",
        *(f"| {d['samples']:,} | {d['seconds']:.1f} | {d['peak_mb']:,.0f} |" for d in dispersions),
    ])
    print(dtable)
    if args.record:
        steps = ", ".join(sorted({f"{r['search_step_s']:g} s" for r in rows}))
        record_section(
            f"{SECTION}\n\n"
            "Every station's passes from switch-on over the coverage horizon on the same nominal trajectory:\n"
            f"groundnet ({steps} grid, rises and sets refined to 0.1 ms, daily-sampled precession-nutation) against\n"
            "Skyfield `altaz` of `build_position` states sampled every second. "
            f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())},\n"
            f"load average {os.getloadavg()[0]:.1f} on the shared {os.cpu_count()} cores "
            "(both sides slowed alike; read the ratio).\n\n"
            f"{table}\n\n"
            "The AOS differences are the peer's 1 s resolution (it reports the first whole second above the\n"
            "horizon); the reference tests (tests/leop) compare against Skyfield crossings interpolated at\n"
            "10 ms: within 2 ms.\n\n"
            "The whole analysis with dispersions (`run_scenario`: propagation of every sample, search, coverage,\n"
            "dispersion summary, pointing predictions), one run each, same machine and load:\n\n"
            f"{dtable}\n")


if __name__ == "__main__":
    main()
