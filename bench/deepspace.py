"""Deep-space geometry and passes: groundnet against Skyfield (DE421), measured side by side.

    .venv/bin/python bench/deepspace.py [--no-record] [--years 20]

1. Light-time-corrected pointing and range of Mars from the three ESA 35 m antennas at many receive
   times: groundnet ``link_geometry`` (also gives upleg, RTLT, Doppler, SEP) against Skyfield's
   ``observe().apparent().altaz()`` (downleg only).
2. Passes of Mars (DE421, NAIF 4) above 10 deg over NNO-1, CEB, MLG, DSS-14 and DSS-43 for 20
   years: the whole ``groundnet passes --trajectory de421.bsp --object 4 ... --output p.csv``
   process (start-up, search and the CSV file) against Skyfield's ``almanac.find_risings`` +
   ``find_settings`` in this process, and every rise and set compared (target: 2x, within 1 s).

Prints a table with the ratio and writes it into its section of bench/RESULTS.md (``--no-record``:
print only).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
import warnings

import numpy as np

warnings.simplefilter("ignore")

from skyfield import almanac  # noqa: E402
from skyfield.api import wgs84  # noqa: E402

from groundnet.orbits.trajectory import AtBodyTrajectory  # noqa: E402
from groundnet.stations import load_network  # noqa: E402
from groundnet.timebase import format_utc, parse_utc, planetary_ephemeris, skyfield_data_dir, skyfield_times, to_unix  # noqa: E402,E501
from groundnet.visibility.deepspace import link_geometry  # noqa: E402

from _results import record_section  # noqa: E402

SECTION = "## Deep space: light-time geometry and passes (bench/deepspace.py)"
START = 1.79e9  # 2026-09-22
N_TIMES = 20_000
DAYS = 30
PASS_STATIONS = "NNO-1,CEB,MLG,DSS-14,DSS-43"
PASS_START = "2025-01-01T00:00:00Z"
TARGET_RATIO = 2.0
TOLERANCE_S = 1.0


def best_of(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-record", action="store_true", help="print only; leave bench/RESULTS.md alone")
    parser.add_argument("--years", type=float, default=20.0, help="span of the pass comparison (default 20)")
    args = parser.parse_args()

    antennas = load_network().select("NNO-1,CEB,MLG")
    mars = AtBodyTrajectory("mars barycenter", name="Mars", object_id="4", error_bound_km=0.0)
    eph = planetary_ephemeris()
    sites = [eph["earth"] + wgs84.latlon(a.latitude_deg, a.longitude_deg, elevation_m=a.altitude_m) for a in antennas]
    times = START + np.linspace(0.0, 86400.0 * DAYS, N_TIMES)
    # Warm both up (ephemeris loading, caches).
    link_geometry(mars, antennas, times[:10])
    sites[0].at(skyfield_times(times[:10])).observe(eph["mars barycenter"]).apparent().altaz()

    ours_t, _ = best_of(lambda: link_geometry(mars, antennas, times))
    sky_t, _ = best_of(lambda: [s.at(skyfield_times(times)).observe(eph["mars barycenter"]).apparent().altaz()
                                for s in sites])

    pass_rows, pass_summary = passes_20_years(args.years)
    samples = N_TIMES * len(antennas)
    rows = [("light-time-corrected pointing + range, samples/s", samples / ours_t, samples / sky_t)]
    table = "\n".join(["| measure | groundnet | Skyfield | ratio |", "|---|---|---|---|",
                       *(f"| {name} | {ours:,.0f} | {theirs:,.0f} | {ours / theirs:.2f} |" for name, ours, theirs in rows),
                       *pass_rows])
    print(table)
    print(pass_summary)
    if not args.no_record:
        written = record_section(
            f"{SECTION}\n\n"
            f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()} cores "
            f"(load average {os.getloadavg()[0]:.1f} at the end: the machine is shared),\n"
            f"Python {platform.python_version()}. Pointing: best of 3, Mars (DE421) from the three ESA 35 m antennas\n"
            f"({', '.join(a.id for a in antennas)}), {N_TIMES:,} receive times over {DAYS} days.\n"
            f"Passes: Mars above each antenna's 10° floor over {PASS_STATIONS} for {args.years:g} years from "
            f"{PASS_START}, the whole\n`groundnet passes --trajectory de421.bsp --object 4 ... --output passes.csv` "
            "process (wall clock: start-up,\nsearch, light-time correction and the CSV file) against Skyfield's "
            "`almanac.find_risings` +\n`find_settings` (wall clock of the calls alone, in this process); "
            f"target: >= {TARGET_RATIO:g}x, every rise and set within {TOLERANCE_S:g} s.\n\n"
            f"{table}\n\n{pass_summary}\n\n"
            "groundnet's geometry call also gives the upleg, RTLT, Doppler ratios and the Sun-Earth-probe angle;\n"
            "Skyfield's gives the downleg only.\n")
        print(f"recorded in {written}")


def passes_20_years(years: float) -> tuple[list[str], str]:
    """The whole CLI process beside Skyfield's rising/setting search; every event compared."""
    eph = planetary_ephemeris()
    antennas = load_network().select(PASS_STATIONS)
    t0 = to_unix(parse_utc(PASS_START))
    t1 = t0 + years * 365.25 * 86400.0
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "passes.csv"
        cmd = [str(Path(sys.executable).parent / "groundnet"), "passes", "--trajectory", str(Path(skyfield_data_dir()) / "de421.bsp"),
               "--object", "4", "--stations", PASS_STATIONS, "--start", format_utc(t0), "--end", format_utc(t1),
               "--format", "csv", "--output", str(out)]
        started = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        ours_s = time.perf_counter() - started
        with out.open(newline="") as fh:
            ours = list(csv.DictReader(fh))
    started = time.perf_counter()
    theirs = {}
    for a in antennas:
        site = eph["earth"] + wgs84.latlon(a.latitude_deg, a.longitude_deg, elevation_m=a.altitude_m)
        a0, a1 = skyfield_times(t0), skyfield_times(t1)
        rises = almanac.find_risings(site, eph["mars barycenter"], a0, a1, horizon_degrees=a.min_elevation_deg)[0]
        sets = almanac.find_settings(site, eph["mars barycenter"], a0, a1, horizon_degrees=a.min_elevation_deg)[0]
        theirs[a.id] = (rises, sets)
    sky_s = time.perf_counter() - started
    worst, n_theirs, n_ours, unmatched = 0.0, 0, 0, 0
    for a in antennas:
        mine = [r for r in ours if r["station_id"] == a.id]
        for key, clipped, events in (("aos", "aos_clipped", theirs[a.id][0]), ("los", "los_clipped", theirs[a.id][1])):
            our_t = np.sort([to_unix(parse_utc(r[key])) for r in mine if r[clipped] not in ("True", "true", "1")])
            their_t = np.sort([to_unix(t.utc_datetime()) for t in events])
            n_theirs, n_ours = n_theirs + their_t.size, n_ours + our_t.size
            if their_t.size and our_t.size:
                k = np.clip(np.searchsorted(our_t, their_t), 1, max(our_t.size - 1, 1))
                d = np.minimum(np.abs(our_t[k - 1] - their_t), np.abs(our_t[np.minimum(k, our_t.size - 1)] - their_t))
                worst = max(worst, float(d.max()))
                unmatched += int((d > TOLERANCE_S).sum())
            unmatched += abs(int(their_t.size) - int(our_t.size))
    ratio = sky_s / ours_s
    rows = [f"| Mars passes, 5 antennas × {years:g} years: whole CLI process vs find_risings + find_settings, s "
            f"| {ours_s:.2f} | {sky_s:.2f} | {ratio:.2f} (target {TARGET_RATIO:g}: {'met' if ratio >= TARGET_RATIO else 'not met'}) |"]
    summary = (f"Rises and sets: Skyfield {n_theirs:,}, groundnet {n_ours:,} (passes cut by the window's ends left out); "
               f"largest difference {worst * 1e3:.1f} ms; {unmatched} further than {TOLERANCE_S:g} s or unmatched "
               f"(target: none, within {TOLERANCE_S:g} s: {'met' if unmatched == 0 and worst < TOLERANCE_S else 'not met'}).")
    return rows, summary


if __name__ == "__main__":
    main()
