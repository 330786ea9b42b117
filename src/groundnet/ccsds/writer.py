"""Writing CCSDS OEM (from any trajectory) and TDM (from predicted tracking), in KVN or XML.

Numbers are written with Python's shortest round-trip representation, so reading a written file
gives back exactly the values written; epochs to the microsecond.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

import numpy as np

from ..errors import GroundnetError
from .times import format_epoch

ENCODINGS = ("KVN", "XML")


def _num(x: float) -> str:
    return repr(float(x))


def _check_encoding(encoding: str) -> str:
    enc = encoding.upper()
    if enc not in ENCODINGS:
        raise GroundnetError(f"encoding '{encoding}' unknown: choose KVN or XML")
    return enc


def _xml_items(items: list[tuple[str, str]], indent: str) -> list[str]:
    return [f"{indent}<{k}>{escape(str(v))}</{k}>" for k, v in items]


# --------------------------------------------------------------------------------------------- OEM

def oem_text(
    *,
    object_name: str,
    object_id: str,
    times_unix,
    positions_km,
    velocities_km_s,
    creation_unix: float,
    originator: str = "GROUNDNET",
    center_name: str = "EARTH",
    ref_frame: str = "EME2000",
    interpolation: str = "HERMITE",
    interpolation_degree: int = 7,
    comments: list[str] = (),
    encoding: str = "KVN",
) -> str:
    """An OEM (version 2.0) of one segment; positions and velocities are (n, 3), centre and frame as given."""
    enc = _check_encoding(encoding)
    t = np.asarray(times_unix, dtype=np.float64)
    p = np.asarray(positions_km, dtype=np.float64)
    v = np.asarray(velocities_km_s, dtype=np.float64)
    keep = np.all(np.isfinite(p), axis=1) & np.all(np.isfinite(v), axis=1)
    if keep.sum() < 2:
        raise GroundnetError("an OEM needs at least two valid states; the trajectory gave fewer in that window")
    t, p, v = t[keep], p[keep], v[keep]
    header = [("CREATION_DATE", format_epoch(creation_unix, decimals=3)), ("ORIGINATOR", originator)]
    meta = [
        ("OBJECT_NAME", object_name), ("OBJECT_ID", object_id), ("CENTER_NAME", center_name),
        ("REF_FRAME", ref_frame), ("TIME_SYSTEM", "UTC"), ("START_TIME", format_epoch(t[0])),
        ("STOP_TIME", format_epoch(t[-1])), ("INTERPOLATION", interpolation),
        ("INTERPOLATION_DEGREE", str(interpolation_degree)),
    ]
    if enc == "KVN":
        lines = ["CCSDS_OEM_VERS = 2.0"] + [f"COMMENT {c}" for c in comments]
        lines += [f"{k} = {val}" for k, val in header] + ["", "META_START"]
        lines += [f"{k} = {val}" for k, val in meta] + ["META_STOP", ""]
        for ti, pi, vi in zip(t, p, v):
            lines.append(" ".join([format_epoch(ti)] + [_num(x) for x in pi] + [_num(x) for x in vi]))
        return "\n".join(lines) + "\n"
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<oem id="CCSDS_OEM_VERS" version="2.0">', "  <header>"]
    out += [f"    <COMMENT>{escape(c)}</COMMENT>" for c in comments]
    out += _xml_items(header, "    ") + ["  </header>", "  <body>", "    <segment>", "      <metadata>"]
    out += _xml_items(meta, "        ") + ["      </metadata>", "      <data>"]
    for ti, pi, vi in zip(t, p, v):
        out.append("        <stateVector>")
        out += _xml_items([("EPOCH", format_epoch(ti))] + list(zip(("X", "Y", "Z"), map(_num, pi))), "          ")
        out += _xml_items(list(zip(("X_DOT", "Y_DOT", "Z_DOT"), map(_num, vi))), "          ")
        out.append("        </stateVector>")
    out += ["      </data>", "    </segment>", "  </body>", "</oem>"]
    return "\n".join(out) + "\n"


def trajectory_oem_text(trajectory, times_unix, *, creation_unix: float, encoding: str = "KVN",
                        originator: str = "GROUNDNET") -> str:
    """Sample any trajectory (geocentric GCRS, written as EME2000 centred on the Earth) into an OEM."""
    t = np.asarray(times_unix, dtype=np.float64)
    p, v = trajectory.state_gcrs(t)
    comments = [f"groundnet trajectory kind {trajectory.kind} from {trajectory.source}"]
    if trajectory.accuracy:
        comments.append(f"accuracy: {trajectory.accuracy}")
    return oem_text(object_name=trajectory.name or trajectory.object_id, object_id=trajectory.object_id,
                    times_unix=t, positions_km=p.T, velocities_km_s=v.T, creation_unix=creation_unix,
                    originator=originator, comments=comments, encoding=encoding)


# --------------------------------------------------------------------------------------------- TDM

def tdm_text(
    segments: list[dict],
    *,
    creation_unix: float,
    originator: str = "GROUNDNET",
    comments: list[str] = (),
    encoding: str = "KVN",
) -> str:
    """A TDM (version 2.0). Each segment: ``metadata`` (list of (keyword, value)) and ``observations``
    (list of (keyword, time_unix, value)), written in the order given."""
    enc = _check_encoding(encoding)
    header = [("CREATION_DATE", format_epoch(creation_unix, decimals=3)), ("ORIGINATOR", originator)]
    if enc == "KVN":
        lines = ["CCSDS_TDM_VERS = 2.0"] + [f"COMMENT {c}" for c in comments] + [f"{k} = {v}" for k, v in header]
        for seg in segments:
            lines += ["", "META_START"] + [f"{k} = {v}" for k, v in seg["metadata"]] + ["META_STOP", "DATA_START"]
            lines += [f"{k} = {format_epoch(t)} {_num(v)}" for k, t, v in seg["observations"]]
            lines.append("DATA_STOP")
        return "\n".join(lines) + "\n"
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<tdm id="CCSDS_TDM_VERS" version="2.0">', "  <header>"]
    out += [f"    <COMMENT>{escape(c)}</COMMENT>" for c in comments]
    out += _xml_items(header, "    ") + ["  </header>", "  <body>"]
    for seg in segments:
        out += ["    <segment>", "      <metadata>"] + _xml_items(seg["metadata"], "        ")
        out += ["      </metadata>", "      <data>"]
        for k, t, v in seg["observations"]:
            out += ["        <observation>", f"          <EPOCH>{format_epoch(t)}</EPOCH>",
                    f"          <{k}>{_num(v)}</{k}>", "        </observation>"]
        out += ["      </data>", "    </segment>"]
    out += ["  </body>", "</tdm>"]
    return "\n".join(out) + "\n"


def predicted_tdm_segments(geometry, *, participant: str, uplink_hz: float | None = None,
                           turnaround=(880, 749), band: str = "X", min_elevation_deg: float | None = None,
                           downlink_hz: float | None = None) -> list[dict]:
    """Predicted tracking, one TDM segment per station, as a station would record it.

    Two-way (``PATH = 1,2,1``, the default): per receive time ANGLE_1/ANGLE_2 (azimuth/elevation,
    AZEL, deg), RANGE (km, one-way equivalent: half of upleg + downleg), DOPPLER_INSTANTANEOUS
    (km/s, half of the upleg plus downleg range rates, positive receding) and, given an uplink
    frequency, TRANSMIT_FREQ_1 (at the transmit time) and RECEIVE_FREQ_1 for the turnaround ratio.
    One-way (``downlink_hz`` given and no uplink; ``PATH = 2,1``, like the Blue Book's one-way
    example): angles, the downleg DOPPLER_INSTANTANEOUS, the spacecraft's TRANSMIT_FREQ_2 and the
    RECEIVE_FREQ_1 it arrives with. Samples below ``min_elevation_deg`` (when given) or without
    geometry are left out.
    """
    one_way = uplink_hz is None and downlink_hz is not None
    num, den = turnaround
    received = geometry.two_way_downlink_hz(uplink_hz, turnaround) if uplink_hz else \
        geometry.one_way_downlink_hz(downlink_hz) if one_way else None
    segments = []
    for s, station in enumerate(geometry.station_ids):
        meta = [("TIME_SYSTEM", "UTC"), ("PARTICIPANT_1", station), ("PARTICIPANT_2", participant),
                ("MODE", "SEQUENTIAL"), ("PATH", "2,1" if one_way else "1,2,1"), ("ANGLE_TYPE", "AZEL"),
                ("INTEGRATION_REF", "END"), ("RECEIVE_BAND", band)]
        if not one_way:
            meta += [("RANGE_UNITS", "km"), ("TRANSMIT_BAND", band), ("TURNAROUND_NUMERATOR", str(num)),
                     ("TURNAROUND_DENOMINATOR", str(den))]
        meta.append(("DATA_QUALITY", "VALIDATED"))
        obs = []
        for i, t in enumerate(geometry.times_unix):
            el = geometry.elevation_deg[s, i]
            if not np.isfinite(el) or (min_elevation_deg is not None and el < min_elevation_deg):
                continue
            obs += [("ANGLE_1", t, geometry.azimuth_deg[s, i]), ("ANGLE_2", t, el)]
            if one_way:
                obs += [("DOPPLER_INSTANTANEOUS", t, geometry.range_rate_km_s[s, i]),
                        ("TRANSMIT_FREQ_2", geometry.emission_times_unix[s, i], downlink_hz),
                        ("RECEIVE_FREQ_1", t, received[s, i])]
                continue
            obs += [("RANGE", t, 0.5 * (geometry.upleg_range_km[s, i] + geometry.downleg_range_km[s, i])),
                    ("DOPPLER_INSTANTANEOUS", t,
                     0.5 * (geometry.upleg_range_rate_km_s[s, i] + geometry.range_rate_km_s[s, i]))]
            if received is not None:
                obs += [("TRANSMIT_FREQ_1", geometry.transmit_times_unix[s, i], uplink_hz),
                        ("RECEIVE_FREQ_1", t, received[s, i])]
        if obs:
            segments.append({"metadata": meta, "observations": obs})
    return segments
