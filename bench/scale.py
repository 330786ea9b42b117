"""Catalog-scale pass prediction: groundnet on one and two workers, on Dask, over a week and over a
400-station network, against Skyfield's ``find_events`` measured in the same run.

    .venv/bin/python bench/scale.py                 # everything (about 10-25 min on 2 cores)
    .venv/bin/python bench/scale.py --parts catalog,skyfield --no-record

Prints a table and records it in bench/RESULTS.md (section "Catalog scale"). Wall times depend
on what else runs on the machine: the load average is printed beside them, and CPU seconds
(all processes of the run) are given too. Peak memory is the largest sum of the resident sizes
of this process and all its workers, sampled every 0.1 s (pages shared after fork count twice:
an upper bound).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import psutil

from groundnet.timebase import parse_utc, to_unix

from _results import read_section, record_section

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT.parent / "shared" / "data" / "catalog" / "spacetrack_full_catalog_3le_2023-10-09.txt"
ESTRACK = "KIR-1,RED-1,CEB,VIL-2,MSP,KRU-1,MLG,NNO-1,SMA,MLI"
START = "2023-10-09T00:00:00Z"  # the catalog's date
MIN_ELEVATION_DEG = 5.0
SECTION = "## Catalog scale (bench/scale.py)"
PARTS = ("skyfield", "catalog", "workers", "dask", "week", "network")


class Meter:
    """Wall time, CPU seconds and peak resident memory of this process and all its descendants."""

    def __init__(self):
        self.me = psutil.Process()

    def __enter__(self):
        self.peak = 0
        self.cpu0 = _cpu(self.me)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.t0 = time.perf_counter()
        self.thread.start()
        return self

    def _sample(self):
        while not self.stop.is_set():
            self._once()
            self.stop.wait(0.1)

    def _once(self):
        total = 0
        for p in [self.me] + self.me.children(recursive=True):
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        self.peak = max(self.peak, total)

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.t0
        self._once()
        self.stop.set()
        self.thread.join()
        # Workers have ended by now (the executor is closed inside the measured block), and the
        # CPU time of ended, waited-for descendants is counted in this process's children times.
        self.cpu_s = _cpu(self.me) - self.cpu0
        self.peak_gb = self.peak / 1e9


def _cpu(p: psutil.Process) -> float:
    t = p.cpu_times()
    return t.user + t.system + getattr(t, "children_user", 0.0) + getattr(t, "children_system", 0.0)


def skyfield_per_pair_day(elements, antennas, pairs: int, seed: int = 2023) -> tuple[float, float, int]:
    """Wall and CPU seconds per satellite-station-day of Skyfield's find_events (5°) on random pairs; its events.

    Skyfield's cost per pair varies a lot with the objects drawn (a few hover at the threshold and
    give thousands of events), so the sample is large.
    """
    from skyfield.api import EarthSatellite, wgs84

    from groundnet.timebase import skyfield_times, timescale

    ts = timescale()
    rng = np.random.default_rng(seed)
    objects = rng.choice(len(elements), pairs, replace=False)
    stations = rng.integers(0, len(antennas), pairs)
    start = to_unix(parse_utc(START))
    t0, t1 = skyfield_times(start), skyfield_times(start + 86400.0)
    events = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for i, j in zip(objects, stations):
        satellite = EarthSatellite.from_satrec(elements[i].satrec(), ts)
        a = antennas[j]
        site = wgs84.latlon(a.latitude_deg, a.longitude_deg, elevation_m=a.altitude_m)
        events += len(satellite.find_events(site, t0, t1, altitude_degrees=MIN_ELEVATION_DEG)[0])
    return (time.perf_counter() - wall) / pairs, (time.process_time() - cpu) / pairs, events


def run(elements, antennas, start, days, *, workers=None, dask=None, output=None):
    from groundnet.visibility import scale, sinks

    end = start + days * 86400.0
    with Meter() as m:
        with scale.open_executor(workers, dask) as ex:
            up = time.perf_counter() - m.t0
            result = scale.find_passes_at_scale(elements, antennas, start, end, min_elevation_deg=MIN_ELEVATION_DEG,
                                                executor=ex, sink=sinks.open_sink(output))
    passes = result if isinstance(result, int) else len(result)
    return {"wall_s": m.wall, "startup_s": up, "cpu_s": m.cpu_s, "peak_gb": m.peak_gb, "passes": passes,
            "pair_days": len(elements) * len(antennas) * days}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--parts", default=",".join(PARTS), help=f"comma separated, of {', '.join(PARTS)}")
    ap.add_argument("--objects", type=int, default=0, help="a seeded sample of this many objects (0: the whole catalog)")
    ap.add_argument("--network-objects", type=int, default=0,
                    help="for the 400-station part only: a seeded sample of this many objects, scaled up to the catalog")
    ap.add_argument("--skyfield-pairs", type=int, default=400)
    ap.add_argument("--no-record", action="store_true", help="do not write bench/RESULTS.md")
    args = ap.parse_args()
    parts = [p for p in args.parts.split(",") if p]

    from groundnet.orbits.catalog import load_catalog
    from groundnet.stations import load_network
    from groundnet.stations.generate import generate_network
    elements = load_catalog(CATALOG).elements
    if args.objects:
        rng = np.random.default_rng(1)
        elements = [elements[i] for i in np.sort(rng.choice(len(elements), args.objects, replace=False))]
    estrack = load_network().select(ESTRACK)
    start = to_unix(parse_utc(START))
    what = f"{len(elements)} objects ({CATALOG.name})"
    rows = []
    sky = sky_cpu = None

    def report(label, r, note="", cores=2):
        per_core_us = r["cpu_s"] / r["pair_days"] * 1e6
        ratio = f"{sky / (r['wall_s'] / r['pair_days']):.0f}×" if sky else ""
        # Our CPU time spread over the cores used, against Skyfield's on one: the ratio an
        # otherwise idle machine would show.
        cpu_ratio = f"{sky_cpu / (r['cpu_s'] / cores / r['pair_days']):.0f}×" if sky else ""
        row = (label, f"{r['wall_s']:.1f}", f"{r['cpu_s']:.1f}", f"{per_core_us:.0f}", f"{r['peak_gb']:.2f}",
               f"{r['passes']:,}", ratio, cpu_ratio, f"{os.getloadavg()[0]:.1f}", note)
        rows.append(row)
        print("  ".join(row), flush=True)
        return r

    if "skyfield" in parts or "catalog" in parts:
        sky, sky_cpu, events = skyfield_per_pair_day(elements, estrack, args.skyfield_pairs)
        rows.append((f"Skyfield find_events, {args.skyfield_pairs} random pairs × 1 day", f"{sky * args.skyfield_pairs:.1f}",
                     f"{sky_cpu * args.skyfield_pairs:.1f}", f"{sky_cpu * 1e6:.0f}", "", f"{events} events", "1×", "1×",
                     f"{os.getloadavg()[0]:.1f}", "one process"))
        print(rows[-1], flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        if "catalog" in parts:
            report(f"{what} × 10 ESTRACK × 1 day, 2 workers", run(elements, estrack, start, 1, workers=2))
        if "workers" in parts:
            report(f"{what} × 10 ESTRACK × 1 day, 1 worker", run(elements, estrack, start, 1, workers=1), cores=1)
        if "dask" in parts:
            r = run(elements, estrack, start, 1, workers=2, dask="local")
            report(f"{what} × 10 ESTRACK × 1 day, Dask LocalCluster 2 workers", r,
                   f"cluster start {r['startup_s']:.1f} s included")
        if "week" in parts:
            d1 = report(f"{what} × 10 ESTRACK × 1 day → Parquet, 2 workers",
                        run(elements, estrack, start, 1, workers=2, output=Path(tmp) / "d1.parquet"))
            d7 = report(f"{what} × 10 ESTRACK × 7 days → Parquet, 2 workers",
                        run(elements, estrack, start, 7, workers=2, output=Path(tmp) / "d7.parquet"))
            rows.append(("7 days / 1 day", f"{d7['wall_s'] / d1['wall_s']:.2f}", f"{d7['cpu_s'] / d1['cpu_s']:.2f}", "",
                         f"{d7['peak_gb'] / d1['peak_gb']:.2f}", "", "", "", "", "ratios: wall, CPU, peak memory"))
            print(rows[-1], flush=True)
        if "network" in parts:
            net = generate_network(400, seed=1)
            sample = elements
            if args.network_objects and args.network_objects < len(elements):
                rng = np.random.default_rng(2)
                sample = [elements[i] for i in np.sort(rng.choice(len(elements), args.network_objects, replace=False))]
            r = report(f"{len(sample)} objects × 400 generated stations × 1 day → Parquet, 2 workers",
                       run(sample, net, start, 1, workers=2, output=Path(tmp) / "n400.parquet"))
            if len(sample) < len(elements):
                k = len(elements) / len(sample)
                rows.append((f"→ scaled to {len(elements)} objects × 400 stations × 1 day", f"{r['wall_s'] * k:.0f}",
                             f"{r['cpu_s'] * k:.0f}", "", "", f"{r['passes'] * k:,.0f}", "", "", "",
                             f"linear in objects (×{k:.1f}): an estimate, not a measurement"))
                print(rows[-1], flush=True)

    header = ("run", "wall s", "CPU s", "CPU µs per pair-day", "peak GB", "passes", "vs Skyfield (wall)",
              "vs Skyfield (CPU)", "load", "note")
    print("| " + " | ".join(header) + " |")
    print("".join("| " + " | ".join(r) + " |\n" for r in rows))
    if not args.no_record:
        record(header, rows, parts)


def record(header: tuple, rows: list[tuple], parts: list[str]) -> None:
    """Write the section of bench/RESULTS.md; a run of some parts replaces only its own rows."""
    old = read_section(SECTION)
    merged = {r[0]: r for r in rows}
    if old and set(parts) != set(PARTS):
        kept = {}
        for line in old.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if line.startswith("| ") and len(cells) == len(header) and cells[0] not in ("run",):
                kept[cells[0]] = tuple(cells)
        merged = {**kept, **merged}
    table = "| " + " | ".join(header) + " |\n|" + "---|" * len(header) + "\n"
    table += "".join("| " + " | ".join(r) + " |\n" for r in merged.values())
    cpu = "?"
    if Path("/proc/cpuinfo").exists():
        cpu = open("/proc/cpuinfo").read().split("model name")[1].split("\n")[0].split(":", 1)[1].strip()
    section = (
        f"{SECTION}\n\n"
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} (parts: {', '.join(parts)}), {os.cpu_count()} cores "
        f"({cpu}), minimum elevation {MIN_ELEVATION_DEG:g}°, window from {START}. "
        "\"vs Skyfield (wall)\" is satellite-station-days per second of the row's wall time over Skyfield's, "
        "measured in the same run; \"vs Skyfield (CPU)\" compares CPU time instead, our CPU seconds "
        "shared by the row's workers (2, or 1) against Skyfield's on one core: what an otherwise idle "
        "machine shows, and steadier than wall time on a shared machine. \"load\" is the 1-minute load "
        "average when the row finished (2.0 = both cores busy: above that, other work shared the cores).\n\n"
        f"{table}"
    )
    record_section(section)


if __name__ == "__main__":
    sys.exit(main())
