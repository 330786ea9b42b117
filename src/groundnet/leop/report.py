"""Results as documents: the JSON report (CLI ``--format json`` and the API), the table rows,
and the pointing files a station loads (CSV, CCSDS OEM of the early trajectory, CCSDS TDM of
predicted angles, range and Doppler)."""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import numpy as np

from ..ccsds.writer import oem_text, tdm_text
from ..missions import band_of
from ..stations.network import geodetic_of_itrs
from ..timebase import format_utc
from ..visibility.geometry import SPEED_OF_LIGHT_KM_S
from .acquisition import LaunchResult
from .geometry import gcrs_to_itrs
from .scenario import Scenario

OEM_STEP_S = 60.0  # the OEM's sampling; its Hermite interpolation (degree 7) restores the trajectory between samples
TABLE_COLUMNS = ["launch", "rank", "station_id", "aos", "aos_from_liftoff", "azimuth_deg", "elevation_deg",
                 "range_km", "range_rate_km_s", "doppler_hz", "pass_duration_s", "first_aos_earliest", "first_aos_latest"]


GROUND_TRACK_MAX_POINTS = 1500  # per launch time: a smooth line on a map, a few hundred kB of JSON at most
GROUND_TRACK_MIN_STEP_S = 30.0


def report(sc: Scenario, results: list[LaunchResult], *, ground_track: bool = False) -> dict:
    """The whole analysis as one JSON-ready document; with ``ground_track``, each launch time also
    carries its nominal sub-spacecraft points from separation to the end of the analysis (the board
    draws them)."""
    antennas = results[0].track.antennas if results else []
    launches = [r.as_dict() for r in results]
    if ground_track:
        for doc, r in zip(launches, results):
            doc["ground_track"] = ground_track_points(r)
    return {
        "scenario": {"name": sc.name, "file": sc.path, "description": sc.description, "spacecraft": sc.spacecraft_name,
                     "downlink_hz": sc.downlink_hz, "downlink_band": band_of(sc.downlink_hz),
                     "stations": [a.id for a in antennas],
                     "antennas": [{"id": a.id, "name": a.name, "network": a.network, "latitude_deg": a.latitude_deg,
                                   "longitude_deg": a.longitude_deg} for a in antennas],
                     "launch_site": None if sc.site is None else {
                         "name": sc.site.name, "latitude_deg": sc.site.latitude_deg, "longitude_deg": sc.site.longitude_deg},
                     "sources": sc.sources},
        "launches": launches,
    }


def ground_track_points(r: LaunchResult) -> dict:
    """The nominal trajectory's WGS-84 sub-point and height from separation to the end of the
    analysis, at an even step (at least 30 s, at most 1,500 points)."""
    track = r.track
    start = float(track.sep_unix[0])
    end = float(r.info["switch_on_unix"]) + float(r.info["horizon_s"])
    step = max(GROUND_TRACK_MIN_STEP_S, math.ceil((end - start) / (GROUND_TRACK_MAX_POINTS - 1)))
    t = np.append(np.arange(start, end, step), end)
    pos, vel = track.states(np.zeros(t.shape, dtype=int), t)
    lat, lon, alt = geodetic_of_itrs(gcrs_to_itrs(t, pos, vel)[0])
    return {"step_s": float(step), "points": [
        {"time": format_utc(ti), "latitude_deg": round(float(a), 4), "longitude_deg": round(float(b), 4),
         "altitude_km": round(float(h), 1)}
        for ti, a, b, h in zip(t, lat, lon, alt) if math.isfinite(a)]}


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


def pointing_rows(samples: dict[str, np.ndarray], launch_unix: float) -> list[dict]:
    """The 1 s pointing geometry of one station as CSV rows."""
    return [
        {"time": format_utc(t), "from_liftoff_s": round(t - launch_unix, 3), "azimuth_deg": round(float(az), 4),
         "elevation_deg": round(float(el), 4), "range_km": round(float(rg), 4), "range_rate_km_s": round(float(rr), 7),
         "doppler_hz": round(float(dp), 1), "light_time_s": round(float(rg) / SPEED_OF_LIGHT_KM_S, 6),
         "above_horizon": bool(mg >= 0)}
        for t, az, el, rg, rr, dp, mg in zip(samples["time_unix"], samples["azimuth_deg"], samples["elevation_deg"],
                                              samples["range_km"], samples["range_rate_km_s"], samples["doppler_hz"],
                                              samples["margin_deg"])
    ]


def _predicted_angles_tdm(sc: Scenario, station_id: str, samples: dict[str, np.ndarray], launch_unix: float,
                          created_unix: float) -> str:
    meta = [("TIME_SYSTEM", "UTC"), ("PARTICIPANT_1", station_id), ("PARTICIPANT_2", sc.spacecraft_name),
            ("MODE", "SEQUENTIAL"), ("PATH", "2,1"), ("ANGLE_TYPE", "AZEL"), ("RANGE_UNITS", "km"),
            ("DATA_QUALITY", "RAW")]
    obs = []
    for t, az, el, rg, rr in zip(samples["time_unix"], samples["azimuth_deg"], samples["elevation_deg"],
                                 samples["range_km"], samples["range_rate_km_s"]):
        obs += [("ANGLE_1", t, az), ("ANGLE_2", t, el), ("RANGE", t, rg), ("DOPPLER_INSTANTANEOUS", t, rr)]
    return tdm_text([{"metadata": meta, "observations": obs}], creation_unix=created_unix, comments=[
        f"{sc.name}: predicted one-way pointing around the first AOS at {station_id} (not measurements)",
        f"lift-off {format_utc(launch_unix)}; geometric azimuth/elevation, no refraction; "
        f"DOPPLER_INSTANTANEOUS is the range rate; downlink {sc.downlink_hz:.6e} Hz"])


def write_pointing(sc: Scenario, results: list[LaunchResult], directory: Path, *, created_unix: float) -> list[Path]:
    """Per launch time: a CSV and a CCSDS TDM per acquiring station, and a CCSDS OEM of the trajectory.

    ``created_unix`` is the CREATION_DATE of the CCSDS messages (the caller's clock)."""
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for r in results:
        tag = format_utc(r.launch_unix)[:19].replace(":", "").replace("-", "")
        stem = f"{_slug(sc.name)}_{tag}"
        track = r.track
        t = np.arange(float(track.sep_unix[0]), float(track.sep_unix[0]) + track.grid_s[-1], OEM_STEP_S)
        pos, vel = track.states(np.zeros(t.shape, dtype=int), t)
        oem = directory / f"{stem}_trajectory.oem"
        oem.write_text(oem_text(
            object_name=sc.spacecraft_name, object_id="UNKNOWN", times_unix=t, positions_km=pos, velocities_km_s=vel,
            creation_unix=created_unix, comments=[
                f"{sc.name}: nominal trajectory from separation (lift-off {format_utc(r.launch_unix)})",
                f"groundnet leop: {r.info['force_model']} from the injection state; GCRS written as EME2000"]),
            encoding="utf-8")
        written.append(oem)
        for sid, samples in r.pointing.items():
            base = directory / f"{stem}_{_slug(sid)}_pointing"
            rows = pointing_rows(samples, r.launch_unix)
            with open(base.with_suffix(".csv"), "w", newline="", encoding="utf-8") as f:
                w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
                w.writeheader()
                w.writerows(rows)
            base.with_suffix(".tdm").write_text(
                _predicted_angles_tdm(sc, sid, samples, r.launch_unix, created_unix), encoding="utf-8")
            written += [base.with_suffix(".csv"), base.with_suffix(".tdm")]
    return written


MAX_SERVICE_RUNS = 2000  # launch times x (dispersion samples + 1) one service request may ask for
MAX_SERVICE_GRID = 200_000_000  # ... and runs x stations x search grid points (the examples: ~1e7)
MAX_GROUND_TRACK_LAUNCHES = 48  # launch times whose ground track one request may ask for (1,500 points each)


def analyse_toml(text: str, *, name: str = "scenario.toml", allow_files: bool = False,
                 max_runs: int = MAX_SERVICE_RUNS, max_grid: int = MAX_SERVICE_GRID, ground_track: bool = False) -> dict:
    """The live service's entry point: a scenario as TOML text in, the JSON report out (with each
    launch time's ground track when asked, see :func:`report`).

    Files on the server cannot be named (``allow_files``), and the work is bounded: a request
    asking for more than ``max_runs`` propagated cases, or a search grid larger than ``max_grid``,
    is refused with a clear error.
    """
    import tomllib

    from .acquisition import analysis_horizon_s, run_scenario, scenario_antennas
    from .injection import separation_state
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
    pos, vel, _ = separation_state(sc, sc.launch_times_unix[0])
    grid = runs * len(scenario_antennas(sc)) * analysis_horizon_s(sc, pos, vel) / sc.search_step_s
    if grid > max_grid:
        raise ScenarioError(name, [f"the search would evaluate {grid:.3g} station-sample-times; at most {max_grid:.3g} "
                                   "per request: fewer stations, samples or coverage, or a larger [analysis] search_step_s"])
    if ground_track and len(sc.launch_times_unix) > MAX_GROUND_TRACK_LAUNCHES:
        raise ScenarioError(name, [f"{len(sc.launch_times_unix)} launch times; a ground track is given for at most "
                                   f"{MAX_GROUND_TRACK_LAUNCHES}: ask without it or widen [launch] window step_s"])
    return report(sc, run_scenario(sc, with_pointing=False), ground_track=ground_track)
