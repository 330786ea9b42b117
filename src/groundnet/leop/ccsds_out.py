"""CCSDS KVN messages a station can load: OEM (502.0-B-2) of the early trajectory and TDM
(503.0-B-2) of predicted angles, range and range rate.

Small and write-only; the project's CCSDS package (readers and writers for OEM, OPM, OMM, TDM
in KVN and XML) takes this over where it is installed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..timebase import format_utc


def _t(unix: float) -> str:
    return format_utc(unix)[:-1]  # CCSDS time without the trailing Z (TIME_SYSTEM says UTC)


def write_oem_kvn(path: Path, *, object_name: str, times_unix, pos_km, vel_km_s, comment=(), object_id: str = "UNKNOWN",
                  created_unix: float | None = None) -> None:
    times = np.asarray(times_unix, dtype=np.float64)
    created = _t(created_unix if created_unix is not None else times[0])
    lines = ["CCSDS_OEM_VERS = 2.0", f"CREATION_DATE = {created}", "ORIGINATOR = groundnet", "", "META_START",
             f"OBJECT_NAME = {object_name}", f"OBJECT_ID = {object_id}", "CENTER_NAME = EARTH", "REF_FRAME = EME2000",
             "TIME_SYSTEM = UTC", f"START_TIME = {_t(times[0])}", f"STOP_TIME = {_t(times[-1])}",
             "INTERPOLATION = HERMITE", "INTERPOLATION_DEGREE = 3", "META_STOP", ""]
    lines += [f"COMMENT {c}" for c in comment]
    for t, p, v in zip(times, pos_km, vel_km_s):
        lines.append(f"{_t(t)} {p[0]:.6f} {p[1]:.6f} {p[2]:.6f} {v[0]:.9f} {v[1]:.9f} {v[2]:.9f}")
    Path(path).write_text("\n".join(lines) + "\n", encoding="ascii", errors="replace")


def write_tdm_kvn(path: Path, *, station_id: str, spacecraft: str, samples: list[dict], comment=(),
                  created_unix: float | None = None) -> None:
    """Predicted tracking data: one ANGLE_1 (azimuth), ANGLE_2 (elevation), RANGE (km) and
    DOPPLER_INSTANTANEOUS (range rate, km/s) per sample, one-way downlink (path 2,1)."""
    first = samples[0]["time"][:-1]
    created = _t(created_unix) if created_unix is not None else first
    lines = ["CCSDS_TDM_VERS = 2.0", f"CREATION_DATE = {created}", "ORIGINATOR = groundnet", ""]
    lines += [f"COMMENT {c}" for c in comment]
    lines += ["META_START", "TIME_SYSTEM = UTC", f"PARTICIPANT_1 = {station_id}", f"PARTICIPANT_2 = {spacecraft}",
              "MODE = SEQUENTIAL", "PATH = 2,1", "ANGLE_TYPE = AZEL", "RANGE_UNITS = km", "DATA_QUALITY = RAW",
              f"START_TIME = {first}", f"STOP_TIME = {samples[-1]['time'][:-1]}",
              "COMMENT predicted values (not measurements): geometric, no refraction", "META_STOP", "DATA_START"]
    for s in samples:
        t = s["time"][:-1]
        lines += [f"ANGLE_1 = {t} {s['azimuth_deg']:.4f}", f"ANGLE_2 = {t} {s['elevation_deg']:.4f}",
                  f"RANGE = {t} {s['range_km']:.4f}", f"DOPPLER_INSTANTANEOUS = {t} {s['range_rate_km_s']:.7f}"]
    lines.append("DATA_STOP")
    Path(path).write_text("\n".join(lines) + "\n", encoding="ascii", errors="replace")
