"""Results as documents: the JSON report (CLI ``--format json`` and the API), the table rows,
and the pointing files a station loads (CSV, CCSDS OEM of the early trajectory, CCSDS TDM of
predicted angles, range and Doppler)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np

from ..timebase import format_utc
from .acquisition import LaunchResult
from .ccsds_out import write_oem_kvn, write_tdm_kvn
from .scenario import Scenario

TABLE_COLUMNS = ["launch", "rank", "station_id", "aos", "aos_from_liftoff", "azimuth_deg", "elevation_deg",
                 "range_km", "range_rate_km_s", "doppler_hz", "pass_duration_s", "first_aos_earliest", "first_aos_latest"]


def report(sc: Scenario, results: list[LaunchResult]) -> dict:
    """The whole analysis as one JSON-ready document."""
    return {
        "scenario": {"name": sc.name, "file": sc.path, "description": sc.description, "spacecraft": sc.spacecraft_name,
                     "downlink_hz": sc.downlink_hz, "stations": [a.id for a in results[0].track.antennas] if results else [],
                     "sources": sc.sources},
        "launches": [r.as_dict() for r in results],
    }


def _hms(seconds: float) -> str:
    s = int(round(seconds))
    sign = "-" if s < 0 else "+"
    s = abs(s)
    return f"{sign}{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


def table_rows(results: list[LaunchResult]) -> list[dict]:
    """One row per (launch time, acquiring station), first acquisition first."""
    rows = []
    for r in results:
        disp = r.dispersion["first_aos"] if r.dispersion else {}
        for rank, a in enumerate(r.acquisitions, start=1):
            rows.append({
                "launch": format_utc(r.launch_unix)[:19] + "Z",
                "rank": rank,
                "station_id": a["station_id"],
                "aos": a["aos"],
                "aos_from_liftoff": _hms(a["aos_from_liftoff_s"]) + ("*" if a["in_view_at_switch_on"] else ""),
                "azimuth_deg": a["azimuth_deg"],
                "elevation_deg": a["elevation_deg"],
                "range_km": a["range_km"],
                "range_rate_km_s": a["range_rate_km_s"],
                "doppler_hz": a["doppler_hz"],
                "pass_duration_s": a["pass_duration_s"] if a["pass_duration_s"] is not None else "> horizon",
                "first_aos_earliest": disp.get("earliest", "") if rank == 1 else "",
                "first_aos_latest": disp.get("latest", "") if rank == 1 else "",
            })
    return rows


def summary_lines(results: list[LaunchResult]) -> list[str]:
    """Coverage and dispersion in a few sentences per launch time (printed under the table)."""
    lines = []
    for r in results:
        cov = r.coverage
        head = f"launch {format_utc(r.launch_unix)}: transmitter on {format_utc(r.info['switch_on_unix'])}"
        if r.acquisitions:
            a = r.acquisitions[0]
            head += f"; first signal at {a['station_id']} {a['aos']} ({_hms(a['aos_from_liftoff_s'])} after lift-off)"
        else:
            head += "; no station acquires within the horizon"
        lines.append(head)
        orbits = f" ({cov['orbits']} orbits)" if cov["orbits"] else ""
        lines.append(f"  coverage {cov['start']} .. {cov['end']}{orbits}: {100 * cov['covered_fraction']:.1f} % covered, "
                     f"{len(cov['gaps'])} gap(s), longest {cov['longest_gap_s'] / 60:.1f} min")
        for g in cov["gaps"]:
            lines.append(f"    gap {g['start']} .. {g['end']} ({g['duration_s'] / 60:.1f} min)")
        d = r.dispersion
        if d:
            f = d["first_aos"]
            share = ", ".join(f"{k} {100 * v:.0f} %" for k, v in d["first_station_share"].items())
            lines.append(f"  dispersions ({d['method']}, {d['samples']} samples): first AOS {f['earliest']} .. {f['latest']} "
                         f"(spread {f['spread_s']:.0f} s); first station: {share}"
                         + (f"; {d['samples_without_acquisition']} samples never acquired" if d["samples_without_acquisition"] else ""))
    return lines


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")


def write_pointing(sc: Scenario, results: list[LaunchResult], directory: Path) -> list[Path]:
    """Per launch time: a CSV and a CCSDS TDM per acquiring station, and a CCSDS OEM of the trajectory."""
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for r in results:
        tag = format_utc(r.launch_unix)[:19].replace(":", "").replace("-", "")
        track = r.track
        grid_t = np.arange(float(track.sep_unix[0]), float(track.sep_unix[0]) + track.grid_s[-1], 60.0)
        pos, vel = track.states(np.zeros(grid_t.shape, dtype=int), grid_t)
        oem = directory / f"{_slug(sc.name)}_{tag}_trajectory.oem"
        write_oem_kvn(oem, object_name=sc.spacecraft_name, times_unix=grid_t, pos_km=pos, vel_km_s=vel,
                      comment=[f"{sc.name}: nominal trajectory after separation (lift-off {format_utc(r.launch_unix)})",
                               "two-body + J2 propagation by groundnet leop; GCRS used as EME2000 (0.02 arcsec apart)"])
        written.append(oem)
        for sid, samples in r.pointing.items():
            base = directory / f"{_slug(sc.name)}_{tag}_{_slug(sid)}_pointing"
            with open(base.with_suffix(".csv"), "w", newline="", encoding="utf-8") as f:
                w = csv.DictWriter(f, fieldnames=list(samples[0].keys()), lineterminator="\n")
                w.writeheader()
                w.writerows(samples)
            written.append(base.with_suffix(".csv"))
            write_tdm_kvn(base.with_suffix(".tdm"), station_id=sid, spacecraft=sc.spacecraft_name, samples=samples,
                          comment=[f"{sc.name}: predicted pointing around the first AOS at {sid}",
                                   f"lift-off {format_utc(r.launch_unix)}; downlink {sc.downlink_hz:.6e} Hz"])
            written.append(base.with_suffix(".tdm"))
    return written


MAX_SERVICE_RUNS = 2000  # launch times x (dispersion samples + 1) one service request may ask for


def analyse_toml(text: str, *, name: str = "scenario.toml", allow_files: bool = False,
                 max_runs: int = MAX_SERVICE_RUNS) -> dict:
    """The live service's entry point: a scenario as TOML text in, the JSON report out.

    Files on the server cannot be named (``allow_files``), and the work is bounded: a request
    asking for more than ``max_runs`` propagated cases is refused with a clear error.
    """
    import tomllib

    from .acquisition import run_scenario
    from .scenario import ScenarioError, parse_scenario

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(name, [f"not valid TOML: {exc}"]) from None
    sc = parse_scenario(data, text=text, path=name, allow_files=allow_files)
    runs = len(sc.launch_times_unix) * (sc.dispersions.samples + 1 if sc.dispersions.active else 1)
    if runs > max_runs:
        raise ScenarioError(name, [f"{runs} propagated cases (launch times x samples); at most {max_runs} per request: "
                                   "lower [dispersions] samples or widen [launch] window step_s"])
    return report(sc, run_scenario(sc, with_pointing=False))
