"""Accuracy against numbers groundnet did not produce: every figure docs/ quotes, measured again.

    .venv/bin/python bench/accuracy.py [--no-record]

Each row runs the measurement of a reference test (tests/reference, tests/leop: the tests assert
the tolerance, this script prints what was measured) against its reference: Vallado's SGP4
verification set, python-sgp4's own TLE and OMM readers, Skyfield (TEME -> ITRS, the ITRS rotation,
``find_events``, DE421 pointing and rises, LEOP horizon crossings), CSPICE (Solar Orbiter's light
time), G3RUH's published Doppler example, and GMAT's lunar transfer (the numerical propagator).
Prints a table (figure, reference, measured, claim, met) and writes it into its section of
bench/RESULTS.md (``--no-record``: print only). About half a minute of CPU.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
for _sub in ("tests", "tests/reference", "tests/leop"):
    sys.path.insert(0, str(ROOT / _sub))
warnings.simplefilter("ignore")

import test_catalog_reference as catalog_ref  # noqa: E402
import test_deepspace_reference as deepspace_ref  # noqa: E402
import test_frames_vs_skyfield as frames_ref  # noqa: E402
import test_interpolation_vs_sgp4 as interpolation_ref  # noqa: E402
import test_leop_reference as leop_ref  # noqa: E402
import test_leop_sources as leop_sources  # noqa: E402
import test_passes_vs_skyfield as passes_ref  # noqa: E402
import test_sgp4_vallado as vallado_ref  # noqa: E402
import test_trajectory_reference as trajectory_ref  # noqa: E402
from conftest import SHARED_DATA  # noqa: E402

from groundnet.constants import WGS84_A_KM  # noqa: E402
from groundnet.orbits import numerical  # noqa: E402
from groundnet.orbits.propagation import DEEP_SPACE_PERIOD_MIN, OrbitShape  # noqa: E402
from groundnet.orbits.trajectory import AtBodyTrajectory, load_trajectory  # noqa: E402
from groundnet.stations import load_network  # noqa: E402
from groundnet.visibility.geometry import look  # noqa: E402
from groundnet.visibility.passes import INTERPOLATION_ERROR_KM  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import record_section  # noqa: E402

SECTION = "## Accuracy against references (bench/accuracy.py)"
MARS_STATIONS = "NNO-1,CEB,MLG,DSS-14,DSS-43"


def fmt(value: float) -> str:
    """Two significant digits, positional down to 0.001, else ``a.be-n``: as docs/ quote them."""
    value = float(value)
    if value == 0.0:
        return "0"
    if abs(value) >= 0.001:
        return np.format_float_positional(value, precision=2, unique=True, fractional=False, trim="-")
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"


class Table:
    def __init__(self):
        self.rows: list[tuple[str, str, str, str, str]] = []

    def add(self, figure: str, reference: str, measured: float, unit: str, claim: float, scale: float = 1.0,
            claim_text: str | None = None):
        """One row: ``measured`` and ``claim`` in base units; the measurement shown divided by ``scale``
        in ``unit``, the claim as ``claim_text`` (default: in the same unit)."""
        met = "met" if measured <= claim else "NOT met"
        shown = f"{fmt(measured / scale)} {unit}".strip()
        claim_text = "< " + (claim_text or f"{fmt(claim / scale)} {unit}".strip())
        if claim == float("inf"):
            met, claim_text = "-", "none: shown, not claimed"
        self.rows.append((figure, reference, shown, claim_text, met))
        print(f"{figure}: {shown} (claim {claim_text}, {met})", flush=True)

    def markdown(self) -> str:
        lines = ["| figure | reference | measured | claim | met |", "|---|---|---|---|---|"]
        return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in self.rows])


def sgp4_and_frames(t: Table) -> None:
    states, dr, dv = vallado_ref.measure_vallado()
    ref = "Vallado's `SGP4-VER.TLE` / `tcppver.out` (AIAA 2006-6753)"
    t.add(f"SGP4 TEME position, {states} states, worst component", ref, dr, "cm", 1e-3, 1e-5, "1 m")
    t.add(f"SGP4 TEME velocity, {states} states, worst component", ref, dv, "mm/s", 1e-6, 1e-6)
    dr, dv = frames_ref.measure_teme_to_itrs()
    ref = "Skyfield TEME -> GCRS -> ITRS (IAU 2000A, UT1, polar motion)"
    t.add("TEME -> ITRS position (ISS, 11 instants over 5 days)", ref, dr, "mm", 1e-5, 1e-6)
    t.add("TEME -> ITRS velocity", ref, dv, "mm/s", 1e-5, 1e-6)
    t.add("GCRS -> ITRS rotation (daily terms interpolated; 400 times over 40 days)", "Skyfield `itrs.rotation_at`",
          leop_sources.earth_rotation_difference_rad(), "rad", 2e-9)


def catalog_readers(t: Table) -> None:
    tle = max(catalog_ref.tle_difference_km(SHARED_DATA / f)[0] for f in catalog_ref.TLE_FILES)
    t.add("TLE reader: SGP4 positions at epoch, +90 min, +1 day (3 files, full catalog included)",
          "python-sgp4 `Satrec.twoline2rv`", tle, "mm", 1e-3, 1e-6, "1 m")
    omm_files = ["catalog/celestrak_active_omm_2026-08-22.csv",
                 "catalog/celestrak_groups_omm_json_2025-05-24/stations.json",
                 "catalog/celestrak_groups_omm_json_2025-05-24/weather.json",
                 "catalog/celestrak_omm_xml_sample_globalstar_2026-02-20.xml"]
    omm = max(catalog_ref.omm_difference_km(SHARED_DATA / f)[0] for f in omm_files)
    t.add("OMM reader: the same positions (CSV, two JSON groups, XML)", "python-sgp4 `sgp4.omm`", omm, "mm", 1e-3, 1e-6, "1 m")
    t.add("OMM against the TLE written from it (demo catalog, over a day)", "CelesTrak OMM 2026-08-22",
          catalog_ref.omm_tle_difference_km(SHARED_DATA)[0], "m", 1e-2, 1e-3)


def passes(t: Table) -> None:
    pairs, table = passes_ref.sample_pairs(SHARED_DATA)
    matched, worst, _ = passes_ref.compare_with_skyfield(pairs, table)
    ref = f"Skyfield `find_events`, {len(pairs)} random pairs, 1 day, 5°"
    events = matched["aos"] + matched["los"]
    t.add(f"AOS / LOS, worst of {events:,} events", ref, max(worst["aos"], worst["los"]), "s", 1.0)
    t.add(f"TCA where the peak is well defined, worst of {matched['tca']:,} passes", ref, worst["tca"], "s", 1.0)
    # The exact SGP4 elevation at every unclipped AOS and LOS the search reported, against the 5° threshold.
    by_id = {e.norad_id: e for e, _ in pairs}
    antennas = {a.id: a for a in load_network().select(passes_ref.ESTRACK)}
    off = 0.0
    for which, clipped in (("aos", table.aos_clipped), ("los", table.los_clipped)):
        for i in np.flatnonzero(~clipped):
            element, antenna = by_id[int(table.object_id[i])], antennas[table.station_id[i]]
            el = look([element], [antenna], [getattr(table, which)[i]])[0].elevation_deg[0, 0, 0]
            off = max(off, abs(el - passes_ref.THRESHOLD_DEG))
    t.add(f"elevation at AOS / LOS ({len(table):,} passes of those objects over 10 stations)",
          "exact SGP4 elevation at the reported times", off, "°", 0.01)
    elements, errors = interpolation_ref.interpolation_errors_km(SHARED_DATA)
    leo = np.array([e.period_min < DEEP_SPACE_PERIOD_MIN for e in elements])  # LEO: SGP4's near-Earth branch
    perigee_km = OrbitShape.of(elements).perigee_radius_km - WGS84_A_KM
    ref = "SGP4 at the middle of every search step, 2,000 random objects, 1 day"
    t.add("interpolation, median of each object's worst", ref, float(np.median(errors)), "m", 0.01, 1e-3)
    t.add("interpolation, 99th percentile in LEO", ref, float(np.percentile(errors[leo], 99)), "m", 0.05, 1e-3)
    t.add("interpolation, worst (the screening's allowance)", ref, float(errors.max()), "km", INTERPOLATION_ERROR_KM)
    angle = np.degrees(errors / np.maximum(perigee_km, 100.0))  # seen from a station under the perigee
    t.add("interpolation seen from a station under the perigee, 99th percentile", ref, float(np.percentile(angle, 99)),
          "°", 0.01)


def deep_space(t: Table) -> None:
    mars = AtBodyTrajectory("mars barycenter", name="Mars", object_id="4", error_bound_km=0.0)
    network = load_network()
    worst = {}
    for antenna in network.select(MARS_STATIONS):
        for key, value in deepspace_ref.mars_vs_skyfield(mars, antenna).items():
            worst[key] = max(worst.get(key, 0.0), value)
    ref = f"Skyfield `observe().apparent().altaz()`, DE421 ({MARS_STATIONS}, 24 instants each)"
    t.add("Earth-Mars downleg range", ref, worst["range_km"], "mm", 1e-3, 1e-6, "1 m")
    t.add("Earth-Mars light time", ref, worst["light_time_s"], "µs", 1e-6, 1e-6)
    t.add("Mars elevation", ref, worst["elevation_deg"], "°", 1e-3)
    t.add("Mars azimuth (times cos elevation)", ref, worst["azimuth_deg"], "°", 1e-3)
    counts, rise_set = zip(*(deepspace_ref.mars_rises_and_sets_vs_skyfield(mars, a)
                             for a in network.select("NNO-1,CEB,MLG")))
    t.add(f"Mars rises and sets above 10°, {sum(counts)} over 3 days at NNO-1, CEB, MLG",
          "Skyfield `find_risings` / `find_settings`", max(rise_set), "s", 1.0)
    d_range, d_lt = deepspace_ref.solar_orbiter_vs_spice(SHARED_DATA, network.get("NNO-1"))
    t.add("Solar Orbiter range from NNO-1 (8 instants 2022-2023)", "CSPICE `spkcpo`, `CN`", d_range, "m", 1e-2, 1e-3)
    t.add("Solar Orbiter light time from NNO-1", "CSPICE `spkcpo`, `CN`", d_lt, "µs", 1e-7, 1e-6)
    d_range, d_lt = deepspace_ref.solar_orbiter_vs_spice(SHARED_DATA)
    t.add("Solar Orbiter range from the geocentre (6 instants, 2021 flybys)", "CSPICE `spkezr`, `CN`", d_range, "m",
          1e-2, 1e-3)
    t.add("Solar Orbiter light time from the geocentre", "CSPICE `spkezr`, `CN`", d_lt, "µs", 1e-7, 1e-6)
    t.add("SPICE's single-iteration `LT` from its converged `CN` (Solar Orbiter, those 14 instants; why the "
          "comparison is with `CN`)", "CSPICE `spkezr`", deepspace_ref.spice_single_iteration_km(SHARED_DATA), "km",
          float("inf"))
    t.add("Doppler shift of 7.290 km/s at 0.125 m", "G3RUH's worked example (AMSAT-BB 2004-12-22): 58.3 kHz",
          abs(abs(deepspace_ref.g3ruh_doppler_hz()) - deepspace_ref.G3RUH_SHIFT_HZ), "Hz", 50.0)
    two_way, one_way = deepspace_ref.doppler_vs_light_time(SHARED_DATA, network.get("CEB"))
    ref = "the numerical derivative of the light time"
    t.add("two-way Doppler at 8.4 GHz", ref, two_way, "Hz", 0.05)
    t.add("one-way Doppler ratio", ref, one_way, "", 1e-11)


def length(km: float) -> str:
    return f"{fmt(km * 1e3)} m" if km < 1.0 else f"{fmt(km)} km"


def force_models() -> str:
    """GMAT's lunar transfer against a state taken from it and propagated by each force model."""
    transfer = load_trajectory(SHARED_DATA / "ephemerides" / "MoonTransfer.bsp")
    arcs = " | ".join(f"{s / 86400:g} day" if s >= 86400 else f"{s / 3600:g} h" if s >= 3600 else f"{s / 60:g} min"
                      for s in trajectory_ref.GMAT_ARC_S)
    lines = [f"| force model: measured distance from GMAT | {arcs} |", "|---" * (1 + len(trajectory_ref.GMAT_ARC_S)) + "|"]
    for model in (numerical.TWO_BODY, numerical.TWO_BODY_J2, numerical.ForceModel(j2=False), numerical.FULL):
        errors = trajectory_ref.gmat_transfer_errors_km(transfer, model)
        lines.append(f"| {model.name} | " + " | ".join(length(e) for e in errors) + " |")
        print(lines[-1], flush=True)
    return "\n".join(lines)


def leop(t: Table) -> None:
    ref = "Skyfield `build_position` + WGS-84 `altaz`, 10 ms sampling"
    worst_s, worst_deg, checked = 0.0, 0.0, 0
    for name in ("galileo_vs15.toml", "exomars_2016.toml"):
        n, dt, deg = leop_ref.aos_vs_skyfield(name)
        checked, worst_s, worst_deg = checked + n, max(worst_s, dt), max(worst_deg, deg)
    t.add(f"LEOP AOS, {checked} acquisitions of both examples", ref, worst_s, "ms", 2e-3, 1e-3)
    t.add("LEOP elevation at AOS (as reported, to 0.001°) against the antenna's minimum", ref, worst_deg, "°", 0.01)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-record", action="store_true", help="print only; leave bench/RESULTS.md alone")
    args = parser.parse_args()
    table = Table()
    started, cpu0 = time.perf_counter(), time.process_time()
    for part in (sgp4_and_frames, catalog_readers, passes, deep_space, leop):
        part(table)
    gmat = force_models()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu0
    print(table.markdown())
    failed = [r[0] for r in table.rows if r[4] == "NOT met"]
    if not args.no_record:
        written = record_section(
            f"{SECTION}\n\n"
            f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, {wall:.0f} s wall, {cpu:.0f} s CPU. Each figure is the measurement\n"
            "of a reference test (tests/reference, tests/leop), whose assertion is the claim; the worst case\n"
            "of every comparison.\n\n" + table.markdown() + "\n\n"
            "The numerical propagator against GMAT's lunar transfer (`ephemerides/MoonTransfer.bsp`; a state\n"
            "taken from it 3 h into its first coast arc, propagated by each force model; distance from GMAT's\n"
            "trajectory after each time):\n\n" + gmat + "\n")
        print(f"recorded in {written}")
    if failed:
        sys.exit("claims not met: " + "; ".join(failed))


if __name__ == "__main__":
    main()
