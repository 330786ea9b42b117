"""Typed CCSDS messages: OEM, OPM, OMM, TDM, built from the neutral form of :mod:`.ndm`.

Every value is checked on the way in: required keywords, numbers, units (``[km]`` in KVN,
``units="km"`` in XML), epochs and time systems. Errors name the file, line and keyword.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import ndm
from ..errors import CcsdsError
from .ndm import Item, RawMessage, fail
from .times import EpochError, parse_epoch, to_unix

# Units CCSDS prescribes per keyword (lower case; the message may omit them, never contradict them).
_UNITS = {
    **{k: "km" for k in ("X", "Y", "Z", "SEMI_MAJOR_AXIS", "APOAPSIS", "PERIAPSIS")},
    **{k: "km/s" for k in ("X_DOT", "Y_DOT", "Z_DOT", "DOPPLER_INSTANTANEOUS", "DOPPLER_INTEGRATED")},
    **{k: "deg" for k in ("INCLINATION", "RA_OF_ASC_NODE", "ARG_OF_PERICENTER", "TRUE_ANOMALY",
                          "MEAN_ANOMALY", "ANGLE_1", "ANGLE_2")},
    "GM": "km**3/s**2",
    "MEAN_MOTION": "rev/day",
    "MASS": "kg",
    "SOLAR_RAD_AREA": "m**2",
    "DRAG_AREA": "m**2",
    "BSTAR": "1/er",
    "MEAN_MOTION_DOT": "rev/day**2",
    "MEAN_MOTION_DDOT": "rev/day**3",
    **{f"{p}_FREQ_{i}": "hz" for p in ("TRANSMIT", "RECEIVE") for i in range(1, 6)},
}
_UNIT_SYNONYMS = {"km/s**2": {"km/s**2", "km/s2"}, "km**3/s**2": {"km**3/s**2", "km3/s2"},
                  "m**2": {"m**2", "m2"}, "rev/day": {"rev/day"}, "hz": {"hz"}}


def _check_unit(msg: RawMessage, item: Item) -> None:
    expected = _UNITS.get(item.keyword)
    if expected is None or item.unit is None:
        return
    got = item.unit.strip().lower().replace(" ", "")
    if got == expected or got in _UNIT_SYNONYMS.get(expected, ()):
        return
    raise fail(msg.path, f"unit [{item.unit}] where CCSDS requires [{expected}]; convert the value to {expected}",
               line=item.line, keyword=item.keyword)


def _number(msg: RawMessage, item: Item) -> float:
    _check_unit(msg, item)
    try:
        value = float(item.text)
    except ValueError:
        raise fail(msg.path, f"'{item.text}' is not a number", line=item.line, keyword=item.keyword) from None
    if not np.isfinite(value):
        raise fail(msg.path, f"'{item.text}' is not a finite number", line=item.line, keyword=item.keyword)
    return value


def _epoch(msg: RawMessage, item: Item, time_system: str) -> float:
    try:
        return float(to_unix(parse_epoch(item.text), time_system))
    except EpochError as exc:
        raise fail(msg.path, str(exc), line=item.line, keyword=item.keyword) from None


class _Keys:
    """Keyword lookup over a list of items with error reporting."""

    def __init__(self, msg: RawMessage, items: list[Item], where: str, line: int = 0):
        self.msg, self.items, self.where, self.line = msg, items, where, line
        self.by_key: dict[str, Item] = {}
        for it in items:
            self.by_key.setdefault(it.keyword, it)

    def get(self, key: str) -> Item | None:
        return self.by_key.get(key)

    def required(self, key: str) -> Item:
        it = self.by_key.get(key)
        if it is None:
            raise fail(self.msg.path, f"required keyword {key} missing from the {self.where}", line=self.line or None,
                       keyword=key)
        return it

    def text(self, key: str, default: str | None = None) -> str:
        if default is not None and key not in self.by_key:
            return default
        return self.required(key).text.strip().strip("'\u2018\u2019\"")

    def number(self, key: str, default: float | None = None) -> float:
        if default is not None and key not in self.by_key:
            return default
        return _number(self.msg, self.required(key))

    def as_dict(self) -> dict[str, str]:
        return {it.keyword: it.text for it in self.items}


def _time_system(msg: RawMessage, keys: _Keys) -> str:
    ts = keys.text("TIME_SYSTEM").upper()
    from .times import TIME_SYSTEMS

    if ts not in TIME_SYSTEMS:
        it = keys.get("TIME_SYSTEM")
        raise fail(msg.path, f"TIME_SYSTEM {ts} is not supported; groundnet reads {', '.join(TIME_SYSTEMS)}",
                   line=it.line if it else None, keyword="TIME_SYSTEM")
    return ts


# ------------------------------------------------------------------------ keywords the standards allow

# The 21 lower-triangular terms of a 6x6 position/velocity covariance, row by row (CCSDS 502.0).
COVARIANCE_TERMS = (
    "CX_X", "CY_X", "CY_Y", "CZ_X", "CZ_Y", "CZ_Z", "CX_DOT_X", "CX_DOT_Y", "CX_DOT_Z", "CX_DOT_X_DOT",
    "CY_DOT_X", "CY_DOT_Y", "CY_DOT_Z", "CY_DOT_X_DOT", "CY_DOT_Y_DOT",
    "CZ_DOT_X", "CZ_DOT_Y", "CZ_DOT_Z", "CZ_DOT_X_DOT", "CZ_DOT_Y_DOT", "CZ_DOT_Z_DOT",
)
_HEADER_KEYWORDS = {"CREATION_DATE", "ORIGINATOR", "MESSAGE_ID", "CLASSIFICATION"}
_OBJECT = {"OBJECT_NAME", "OBJECT_ID", "CENTER_NAME", "REF_FRAME", "REF_FRAME_EPOCH", "TIME_SYSTEM"}
_N = range(1, 6)
METADATA_KEYWORDS = {
    "OEM": _OBJECT | {"START_TIME", "USEABLE_START_TIME", "USEABLE_STOP_TIME", "STOP_TIME", "INTERPOLATION",
                      "INTERPOLATION_DEGREE"},
    "OPM": _OBJECT,
    "OMM": _OBJECT | {"MEAN_ELEMENT_THEORY"},
    "TDM": {"TRACK_ID", "DATA_TYPES", "TIME_SYSTEM", "START_TIME", "STOP_TIME", "MODE", "PATH", "PATH_1", "PATH_2",
            "TRANSMIT_BAND", "RECEIVE_BAND", "TURNAROUND_NUMERATOR", "TURNAROUND_DENOMINATOR", "TIMETAG_REF",
            "INTEGRATION_INTERVAL", "INTEGRATION_REF", "FREQ_OFFSET", "RANGE_MODE", "RANGE_MODULUS", "RANGE_UNITS",
            "ANGLE_TYPE", "REFERENCE_FRAME", "INTERPOLATION", "INTERPOLATION_DEGREE", "DOPPLER_COUNT_BIAS",
            "DOPPLER_COUNT_SCALE", "DOPPLER_COUNT_ROLLOVER", "DATA_QUALITY", "CORRECTION_ANGLE_1",
            "CORRECTION_ANGLE_2", "CORRECTION_DOPPLER", "CORRECTION_MAG", "CORRECTION_RANGE", "CORRECTION_RCS",
            "CORRECTION_RECEIVE", "CORRECTION_TRANSMIT", "CORRECTION_ABERRATION_YEARLY",
            "CORRECTION_ABERRATION_DIURNAL", "CORRECTIONS_APPLIED"}
           | {f"{k}_{i}" for k in ("PARTICIPANT", "EPHEMERIS_NAME", "TRANSMIT_DELAY", "RECEIVE_DELAY") for i in _N},
}
_SPACECRAFT = {"MASS", "SOLAR_RAD_AREA", "SOLAR_RAD_COEFF", "DRAG_AREA", "DRAG_COEFF"}
_COVARIANCE = {"COV_REF_FRAME", *COVARIANCE_TERMS}
DATA_KEYWORDS = {
    "OPM": {"EPOCH", "X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT", "SEMI_MAJOR_AXIS", "ECCENTRICITY", "INCLINATION",
            "RA_OF_ASC_NODE", "ARG_OF_PERICENTER", "TRUE_ANOMALY", "MEAN_ANOMALY", "GM", "MAN_EPOCH_IGNITION",
            "MAN_DURATION", "MAN_DELTA_MASS", "MAN_REF_FRAME", "MAN_DV_1", "MAN_DV_2", "MAN_DV_3"}
           | _SPACECRAFT | _COVARIANCE,
    "OMM": {"EPOCH", "SEMI_MAJOR_AXIS", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE",
            "ARG_OF_PERICENTER", "MEAN_ANOMALY", "GM", "EPHEMERIS_TYPE", "CLASSIFICATION_TYPE", "NORAD_CAT_ID",
            "ELEMENT_SET_NO", "REV_AT_EPOCH", "BSTAR", "BTERM", "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT", "AGOM"}
           | _SPACECRAFT | _COVARIANCE,
    # Every TDM 2.0 observable (CCSDS 503.0-B-2 section 3.5).
    "TDM": {"ANGLE_1", "ANGLE_2", "CARRIER_POWER", "CLOCK_BIAS", "CLOCK_DRIFT", "DOPPLER_COUNT",
            "DOPPLER_INSTANTANEOUS", "DOPPLER_INTEGRATED", "DOR", "MAG", "PC_N0", "PR_N0", "PRESSURE", "RANGE", "RCS",
            "RECEIVE_FREQ", "RHUMIDITY", "STEC", "TEMPERATURE", "TROPO_DRY", "TROPO_WET", "VLBI_DELAY"}
           | {f"{k}_{i}" for k in ("RECEIVE_FREQ", "RECEIVE_PHASE_CT", "TRANSMIT_FREQ", "TRANSMIT_FREQ_RATE",
                                   "TRANSMIT_PHASE_CT") for i in _N},
}
_STANDARD = {"OEM": "502.0", "OPM": "502.0", "OMM": "502.0", "TDM": "503.0"}


def _check_keywords(msg: RawMessage, items: list[Item], allowed: set[str], where: str) -> None:
    """Refuse, with line and keyword, any keyword the standard does not define for this part of the message."""
    for it in items:
        if it.keyword in allowed or (it.keyword.startswith("USER_DEFINED_") and where.endswith("data")
                                     and msg.kind in ("OPM", "OMM")):
            continue
        raise fail(msg.path, f"unknown keyword {it.keyword} in the {where}: CCSDS {_STANDARD[msg.kind]} defines no such "
                             f"{msg.kind} keyword there (misspelt, or in the wrong section?)", line=it.line,
                   keyword=it.keyword)


def _named_covariance(msg: RawMessage, items: list[Item], line: int) -> tuple[str, np.ndarray] | None:
    """A covariance given by its 21 named terms (OPM, OMM, OEM in XML): (frame, 6x6 km**2, km**2/s, km**2/s**2)."""
    terms = [it for it in items if it.keyword in COVARIANCE_TERMS]
    frame = next((it for it in items if it.keyword == "COV_REF_FRAME"), None)
    if not terms:
        if frame is not None:
            raise fail(msg.path, "COV_REF_FRAME without the 21 covariance terms CX_X .. CZ_DOT_Z_DOT", line=frame.line,
                       keyword="COV_REF_FRAME")
        return None
    by_key: dict[str, float] = {}
    for it in terms:
        if it.keyword in by_key:
            raise fail(msg.path, f"covariance term {it.keyword} given twice", line=it.line, keyword=it.keyword)
        by_key[it.keyword] = _number(msg, it)
    missing = [k for k in COVARIANCE_TERMS if k not in by_key]
    if missing:
        raise fail(msg.path, f"covariance lacks {', '.join(missing[:4])}{' ...' if len(missing) > 4 else ''}: a "
                             "covariance has all 21 lower-triangular terms", line=terms[0].line or line,
                   keyword=missing[0])
    return (frame.text.strip() if frame else ""), _symmetric([by_key[k] for k in COVARIANCE_TERMS])


def _symmetric(lower: list[float]) -> np.ndarray:
    m = np.zeros((6, 6))
    m[np.tril_indices(6)] = lower
    return m + np.tril(m, -1).T


@dataclass
class Covariance:
    """One covariance of a state: 6x6 (km**2, km**2/s, km**2/s**2), in ``ref_frame`` ("" = the state's frame)."""

    epoch_unix: float | None
    ref_frame: str
    matrix: np.ndarray
    line: int = 0


@dataclass
class Header:
    version: str
    creation_date: str = ""
    originator: str = ""
    message_id: str = ""
    comments: list[str] = field(default_factory=list)


def _header(msg: RawMessage) -> Header:
    _check_keywords(msg, msg.header, _HEADER_KEYWORDS, f"{msg.kind} header")
    keys = _Keys(msg, msg.header, "header")
    return Header(msg.version, keys.text("CREATION_DATE", ""), keys.text("ORIGINATOR", ""),
                  keys.text("MESSAGE_ID", ""), list(msg.comments))


# --------------------------------------------------------------------------------------------- OEM

@dataclass
class OemSegment:
    object_name: str
    object_id: str
    center_name: str
    ref_frame: str
    time_system: str
    start_unix: float
    stop_unix: float
    useable_start_unix: float | None
    useable_stop_unix: float | None
    interpolation: str  # LAGRANGE, HERMITE, LINEAR (or "" when absent)
    interpolation_degree: int
    epochs_unix: np.ndarray  # (n,)
    positions_km: np.ndarray  # (n, 3)
    velocities_km_s: np.ndarray  # (n, 3)
    accelerations_km_s2: np.ndarray | None = None  # (n, 3)
    comments: list[str] = field(default_factory=list)
    line: int = 0
    covariances: list[Covariance] = field(default_factory=list)


@dataclass
class Oem:
    header: Header
    segments: list[OemSegment]
    path: str = ""
    encoding: str = "KVN"
    kind: str = "OEM"


def _oem(msg: RawMessage) -> Oem:
    segments = []
    for seg in msg.segments:
        _check_keywords(msg, seg.metadata, METADATA_KEYWORDS["OEM"], "OEM metadata")
        keys = _Keys(msg, seg.metadata, "OEM metadata", seg.metadata_line)
        ts = _time_system(msg, keys)

        def ep(key, optional=False):
            it = keys.get(key)
            if it is None:
                if optional:
                    return None
                keys.text(key)  # raises the missing-keyword error
            return _epoch(msg, it, ts)

        interp = keys.text("INTERPOLATION", "").upper()
        if interp and interp not in ("LAGRANGE", "HERMITE", "LINEAR"):
            it = keys.get("INTERPOLATION")
            raise fail(msg.path, f"INTERPOLATION {interp} unknown: CCSDS names LAGRANGE, HERMITE or LINEAR",
                       line=it.line, keyword="INTERPOLATION")
        degree_item = keys.get("INTERPOLATION_DEGREE")
        degree = 1 if interp == "LINEAR" else 7
        if degree_item is not None:
            try:
                degree = int(degree_item.text)
            except ValueError:
                raise fail(msg.path, f"'{degree_item.text}' is not a whole number", line=degree_item.line,
                           keyword="INTERPOLATION_DEGREE") from None
            if not 1 <= degree <= 32:
                raise fail(msg.path, f"degree {degree} outside 1..32", line=degree_item.line,
                           keyword="INTERPOLATION_DEGREE")
        epochs, states, accs = [], [], []
        for it in seg.data:
            if it.keyword != "EPHEMERIS":
                continue
            parts = it.text.split()
            if len(parts) not in (7, 10):
                raise fail(msg.path, f"ephemeris line has {len(parts)} fields; expected 7 (epoch x y z vx vy vz, "
                                     "km and km/s) or 10 (with accelerations): truncated line?", line=it.line)
            try:
                epochs.append(parse_epoch(parts[0]))
            except EpochError as exc:
                raise fail(msg.path, str(exc), line=it.line, keyword="EPOCH") from None
            try:
                nums = [float(p) for p in parts[1:]]
            except ValueError:
                raise fail(msg.path, f"non-numeric value in ephemeris line '{it.text[:70]}'", line=it.line) from None
            if not np.all(np.isfinite(nums)):
                raise fail(msg.path, "NaN or infinite value in ephemeris line", line=it.line)
            states.append(nums[:6])
            if len(nums) == 9:
                accs.append(nums[6:])
        if len(epochs) < 2:
            raise fail(msg.path, f"segment has {len(epochs)} ephemeris line(s); at least 2 are needed",
                       line=seg.metadata_line)
        t = to_unix(np.array(epochs), ts)
        lines = [it.line for it in seg.data if it.keyword == "EPHEMERIS"]
        bad = np.nonzero(np.diff(t) <= 0)[0]
        if bad.size:
            raise fail(msg.path, "ephemeris epochs must increase strictly", line=lines[bad[0] + 1], keyword="EPOCH")
        start, stop = ep("START_TIME"), ep("STOP_TIME")
        if t[0] < start - 1e-3 or t[-1] > stop + 1e-3:
            raise fail(msg.path, "ephemeris lines lie outside START_TIME .. STOP_TIME", line=seg.metadata_line,
                       keyword="START_TIME" if t[0] < start - 1e-3 else "STOP_TIME")
        st = np.array(states)
        segments.append(OemSegment(
            object_name=keys.text("OBJECT_NAME"), object_id=keys.text("OBJECT_ID"),
            center_name=keys.text("CENTER_NAME"), ref_frame=keys.text("REF_FRAME"), time_system=ts,
            start_unix=start, stop_unix=stop, useable_start_unix=ep("USEABLE_START_TIME", True),
            useable_stop_unix=ep("USEABLE_STOP_TIME", True), interpolation=interp or "LAGRANGE",
            interpolation_degree=degree, epochs_unix=t, positions_km=st[:, :3], velocities_km_s=st[:, 3:],
            accelerations_km_s2=np.array(accs) if len(accs) == len(epochs) else None,
            comments=list(seg.comments), line=seg.metadata_line, covariances=_oem_covariances(msg, seg, ts),
        ))
    return Oem(_header(msg), segments, msg.path, msg.encoding)


def _oem_covariances(msg: RawMessage, seg, ts: str) -> list[Covariance]:
    """The covariance blocks of an OEM segment: each an EPOCH, an optional COV_REF_FRAME, then the lower
    triangle (KVN: 6 rows of 1..6 numbers; XML: the 21 named terms)."""
    blocks: list[list[Item]] = []
    for it in seg.covariance:
        if it.keyword == "EPOCH":
            blocks.append([it])
        elif not blocks:
            raise fail(msg.path, "a covariance block must begin with EPOCH", line=it.line, keyword=it.keyword)
        else:
            blocks[-1].append(it)
    out = []
    for block in blocks:
        head = block[0]
        epoch = _epoch(msg, head, ts)
        rest = block[1:]
        frame = ""
        if rest and rest[0].keyword == "COV_REF_FRAME":
            frame = rest[0].text.strip()
            rest = rest[1:]
        if msg.encoding == "XML":
            _check_keywords(msg, rest, set(COVARIANCE_TERMS), "OEM covariance")
            _, matrix = _named_covariance(msg, rest, head.line) or ("", None)
            if matrix is None:
                raise fail(msg.path, "covariance block without its 21 terms", line=head.line, keyword="EPOCH")
        else:
            lower: list[float] = []
            rows = [it for it in rest if it.keyword == "COV_ROW"]
            for it in rest:
                if it.keyword != "COV_ROW":
                    raise fail(msg.path, f"keyword {it.keyword} inside a covariance block: after EPOCH and COV_REF_FRAME "
                                         "come the 6 rows of the lower triangle", line=it.line, keyword=it.keyword)
            for r, it in enumerate(rows, start=1):
                parts = it.text.split()
                if r > 6:
                    raise fail(msg.path, f"covariance row {r}: a 6x6 covariance has 6 rows (missing EPOCH before a new "
                                         "block?)", line=it.line, keyword="COVARIANCE")
                if len(parts) != r:
                    raise fail(msg.path, f"covariance row {r} has {len(parts)} numbers; row {r} of the lower triangle "
                                         f"has {r}", line=it.line, keyword="COVARIANCE")
                for p in parts:
                    lower.append(_number(msg, Item("COVARIANCE", p, it.line)))
            if len(rows) != 6:
                raise fail(msg.path, f"covariance block has {len(rows)} rows; a 6x6 covariance has 6 (1..6 numbers)",
                           line=(rows[-1].line if rows else head.line), keyword="COVARIANCE")
            matrix = _symmetric(lower)
        out.append(Covariance(epoch, frame, matrix, head.line))
    return out


# --------------------------------------------------------------------------------------------- OPM

@dataclass
class Opm:
    header: Header
    object_name: str
    object_id: str
    center_name: str
    ref_frame: str
    time_system: str
    epoch_unix: float
    position_km: np.ndarray  # (3,)
    velocity_km_s: np.ndarray  # (3,)
    mass_kg: float | None = None
    solar_rad_area_m2: float | None = None
    solar_rad_coeff: float | None = None
    drag_area_m2: float | None = None
    drag_coeff: float | None = None
    maneuvers: list[dict] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    path: str = ""
    encoding: str = "KVN"
    kind: str = "OPM"
    covariance: Covariance | None = None


def _single_segment(msg: RawMessage, content: str):
    """The one segment of an OPM or OMM: (segment, metadata keys, data keys, time system, epoch)."""
    seg = msg.segments[0] if msg.segments else None
    if seg is None:
        raise fail(msg.path, f"no metadata or {content}: empty or truncated {msg.kind}")
    _check_keywords(msg, seg.metadata, METADATA_KEYWORDS[msg.kind], f"{msg.kind} metadata")
    _check_keywords(msg, seg.data, DATA_KEYWORDS[msg.kind], f"{msg.kind} data")
    meta = _Keys(msg, seg.metadata, f"{msg.kind} metadata", seg.metadata_line)
    data = _Keys(msg, seg.data, f"{msg.kind} data", seg.metadata_line)
    ts = _time_system(msg, meta)
    epoch_item = data.get("EPOCH")
    if epoch_item is None:
        data.text("EPOCH")  # raises the missing-keyword error
    return seg, meta, data, ts, _epoch(msg, epoch_item, ts)


def _opm(msg: RawMessage) -> Opm:
    seg, meta, data, ts, epoch = _single_segment(msg, "state vector")
    for k in ("X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT"):
        data.number(k)  # raises with the keyword when missing or bad
    maneuvers = [it for it in seg.data if it.keyword.startswith("MAN_")]
    opt = {k: (data.number(k) if data.get(k) else None)
           for k in ("MASS", "SOLAR_RAD_AREA", "SOLAR_RAD_COEFF", "DRAG_AREA", "DRAG_COEFF")}
    return Opm(
        header=_header(msg), object_name=meta.text("OBJECT_NAME"), object_id=meta.text("OBJECT_ID"),
        center_name=meta.text("CENTER_NAME"), ref_frame=meta.text("REF_FRAME"), time_system=ts,
        epoch_unix=epoch,
        position_km=np.array([data.number(k) for k in ("X", "Y", "Z")]),
        velocity_km_s=np.array([data.number(k) for k in ("X_DOT", "Y_DOT", "Z_DOT")]),
        mass_kg=opt["MASS"], solar_rad_area_m2=opt["SOLAR_RAD_AREA"], solar_rad_coeff=opt["SOLAR_RAD_COEFF"],
        drag_area_m2=opt["DRAG_AREA"], drag_coeff=opt["DRAG_COEFF"],
        maneuvers=[{it.keyword: it.text} for it in maneuvers], comments=list(seg.comments) + list(msg.comments),
        path=msg.path, encoding=msg.encoding, covariance=_state_covariance(msg, seg, epoch),
    )


def _state_covariance(msg: RawMessage, seg, epoch: float) -> Covariance | None:
    found = _named_covariance(msg, seg.data, seg.metadata_line)
    return None if found is None else Covariance(epoch, found[0], found[1], seg.metadata_line)


# --------------------------------------------------------------------------------------------- OMM

@dataclass
class Omm:
    """An OMM as read (all keywords kept); :meth:`element_set` gives SGP4 elements."""

    header: Header
    object_name: str
    object_id: str
    center_name: str
    ref_frame: str
    time_system: str
    mean_element_theory: str
    epoch_unix: float
    values: dict[str, float]  # numeric keywords of the data section (MEAN_MOTION, ECCENTRICITY, ...)
    texts: dict[str, str]
    path: str = ""
    encoding: str = "KVN"
    kind: str = "OMM"
    line: int = 0
    covariance: Covariance | None = None


# The mean Keplerian elements an OMM must give; its size is MEAN_MOTION (SGP/SGP4) or SEMI_MAJOR_AXIS
# (other theories), one of the two (CCSDS 502.0-B-3 table 4-3).
_OMM_REQUIRED = ("ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE", "ARG_OF_PERICENTER", "MEAN_ANOMALY")


def _omm(msg: RawMessage) -> Omm:
    seg, meta, data, ts, epoch = _single_segment(msg, "mean elements")
    values = {}
    for it in seg.data:
        if it.keyword in ("EPOCH", "CLASSIFICATION_TYPE", "COV_REF_FRAME") or it.keyword.startswith("USER_DEFINED"):
            continue
        values[it.keyword] = _number(msg, it)
    if "MEAN_MOTION" not in values and "SEMI_MAJOR_AXIS" not in values:
        raise fail(msg.path, "the OMM data gives neither MEAN_MOTION (SGP/SGP4 elements) nor SEMI_MAJOR_AXIS: one of "
                             "them is required", line=seg.metadata_line or None, keyword="MEAN_MOTION")
    for k in _OMM_REQUIRED:
        data.number(k)
    e = values["ECCENTRICITY"]
    if not 0.0 <= e < 1.0:
        it = data.get("ECCENTRICITY")
        raise fail(msg.path, f"eccentricity {e} outside [0, 1)", line=it.line, keyword="ECCENTRICITY")
    return Omm(
        header=_header(msg), object_name=meta.text("OBJECT_NAME"), object_id=meta.text("OBJECT_ID"),
        center_name=meta.text("CENTER_NAME"), ref_frame=meta.text("REF_FRAME"), time_system=ts,
        mean_element_theory=meta.text("MEAN_ELEMENT_THEORY", ""), epoch_unix=epoch,
        values=values, texts=data.as_dict(), path=msg.path, encoding=msg.encoding, line=seg.metadata_line,
        covariance=_state_covariance(msg, seg, epoch),
    )


# --------------------------------------------------------------------------------------------- TDM

@dataclass
class TdmSegment:
    metadata: dict[str, str]
    time_system: str
    # Observations in file order: keyword (RANGE, ANGLE_1, RECEIVE_FREQ_1, ...), epoch, value.
    keywords: list[str]
    epochs_unix: np.ndarray
    values: np.ndarray
    lines: list[int]
    comments: list[str] = field(default_factory=list)
    line: int = 0

    def series(self, keyword: str) -> tuple[np.ndarray, np.ndarray]:
        """Epochs and values of one observable."""
        idx = [i for i, k in enumerate(self.keywords) if k == keyword]
        return self.epochs_unix[idx], self.values[idx]


@dataclass
class Tdm:
    header: Header
    segments: list[TdmSegment]
    path: str = ""
    encoding: str = "KVN"
    kind: str = "TDM"


def _is_tdm_observable(key: str) -> bool:
    return key in DATA_KEYWORDS["TDM"]


# TDM metadata whose value is a number (CCSDS 503.0-B-2 table 3-3): whole numbers, and the others.
_TDM_WHOLE_METADATA = {"TURNAROUND_NUMERATOR", "TURNAROUND_DENOMINATOR", "INTERPOLATION_DEGREE"}
_TDM_NUMBER_METADATA = (
    {"INTEGRATION_INTERVAL", "FREQ_OFFSET", "RANGE_MODULUS", "DOPPLER_COUNT_BIAS", "DOPPLER_COUNT_SCALE",
     "CORRECTION_ANGLE_1", "CORRECTION_ANGLE_2", "CORRECTION_DOPPLER", "CORRECTION_MAG", "CORRECTION_RANGE",
     "CORRECTION_RCS", "CORRECTION_RECEIVE", "CORRECTION_TRANSMIT", "CORRECTION_ABERRATION_YEARLY",
     "CORRECTION_ABERRATION_DIURNAL"} | {f"{k}_{i}" for k in ("TRANSMIT_DELAY", "RECEIVE_DELAY") for i in _N})


def _check_tdm_numbers(msg: RawMessage, items: list[Item]) -> None:
    """Refuse, with line and keyword, a numeric TDM metadata value that is not a number."""
    for it in items:
        if it.keyword in _TDM_NUMBER_METADATA:
            _number(msg, it)
        elif it.keyword in _TDM_WHOLE_METADATA:
            try:
                int(it.text.strip())
            except ValueError:
                raise fail(msg.path, f"'{it.text}' is not a whole number", line=it.line, keyword=it.keyword) from None


def _tdm(msg: RawMessage) -> Tdm:
    segments = []
    for seg in msg.segments:
        _check_keywords(msg, seg.metadata, METADATA_KEYWORDS["TDM"], "TDM metadata")
        _check_tdm_numbers(msg, seg.metadata)
        meta = _Keys(msg, seg.metadata, "TDM metadata", seg.metadata_line)
        ts = _time_system(msg, meta)
        meta.text("PARTICIPANT_1")
        keywords, epochs, values, lines = [], [], [], []
        if msg.encoding == "KVN":
            for it in seg.data:
                if not _is_tdm_observable(it.keyword):
                    raise fail(msg.path, f"unknown TDM data keyword {it.keyword}: not a CCSDS 503.0 TDM observable", line=it.line,
                               keyword=it.keyword)
                parts = it.text.split()
                if len(parts) != 2:
                    raise fail(msg.path, f"expected '<epoch> <value>' after {it.keyword} =, got '{it.text}'",
                               line=it.line, keyword=it.keyword)
                _check_unit(msg, it)
                try:
                    epochs.append(parse_epoch(parts[0]))
                    values.append(float(parts[1]))
                except (EpochError, ValueError) as exc:
                    raise fail(msg.path, str(exc) if isinstance(exc, EpochError) else f"'{parts[1]}' is not a number",
                               line=it.line, keyword=it.keyword) from None
                keywords.append(it.keyword)
                lines.append(it.line)
        else:
            pending_epoch = None
            for it in seg.data:
                if it.keyword == "EPOCH":
                    try:
                        pending_epoch = parse_epoch(it.text)
                    except EpochError as exc:
                        raise fail(msg.path, str(exc), line=it.line, keyword="EPOCH") from None
                    continue
                if not _is_tdm_observable(it.keyword):
                    raise fail(msg.path, f"unknown TDM data keyword {it.keyword}: not a CCSDS 503.0 TDM observable", line=it.line,
                               keyword=it.keyword)
                if pending_epoch is None:
                    raise fail(msg.path, f"<{it.keyword}> without a preceding <EPOCH> in its <observation>",
                               line=it.line, keyword=it.keyword)
                keywords.append(it.keyword)
                epochs.append(pending_epoch)
                values.append(_number(msg, it))
                lines.append(it.line)
                pending_epoch = None
        if not np.all(np.isfinite(values)):
            i = int(np.nonzero(~np.isfinite(values))[0][0])
            raise fail(msg.path, "NaN or infinite observation", line=lines[i], keyword=keywords[i])
        segments.append(TdmSegment(
            metadata={k: v.strip("'\u2018\u2019\"") for k, v in meta.as_dict().items()}, time_system=ts,
            keywords=keywords, epochs_unix=to_unix(np.array(epochs, dtype=np.float64), ts),
            values=np.array(values, dtype=np.float64), lines=lines, comments=list(seg.comments),
            line=seg.metadata_line,
        ))
    return Tdm(_header(msg), segments, msg.path, msg.encoding)


# --------------------------------------------------------------------------------------------- entry

Message = Oem | Opm | Omm | Tdm
_BUILDERS = {"OEM": _oem, "OPM": _opm, "OMM": _omm, "TDM": _tdm}


def parse_message(text: str, path: str = "<string>", expect: str | None = None) -> Message:
    """Read a CCSDS OEM, OPM, OMM or TDM (KVN or XML) from text."""
    raw = ndm.parse(text, path)
    if expect and raw.kind != expect.upper():
        raise fail(path, f"this is a CCSDS {raw.kind}, but an {expect.upper()} was expected")
    return _BUILDERS[raw.kind](raw)


def read_message(path: str | Path, expect: str | None = None) -> Message:
    """Read a CCSDS OEM, OPM, OMM or TDM file (KVN or XML, detected from the content)."""
    return parse_message(ndm.read_text(path), str(path), expect)


def parse_messages(text: str, path: str = "<string>") -> list[Message | CcsdsError]:
    """Every message of a text: the one of a KVN or XML message, or each of a combined ``<ndm>``.

    A message groundnet recognises but does not read (OCM, AEM, CDM, ...) comes back as a
    :class:`CcsdsError` naming it, its place and line, so that a report counts every message.
    """
    found = ndm.parse_all(text, path)
    read = sum(not isinstance(m, ndm.Unsupported) for m in found)
    out: list[Message | CcsdsError] = []
    for i, raw in enumerate(found, start=1):
        if isinstance(raw, ndm.Unsupported):
            place = f"message {i} of {len(found)} is" if len(found) > 1 else "this is"
            out.append(fail(path, f"{place} an {raw.kind} (CCSDS {ndm.NDM_KINDS[raw.kind]} message), which groundnet "
                                  f"does not read yet (it reads OEM, OPM, OMM, TDM){_others_read(len(found) - 1, read)}",
                            line=raw.line, keyword=raw.kind))
        else:
            out.append(_BUILDERS[raw.kind](raw))
    return out


def _others_read(others: int, read: int) -> str:
    """How many of the other messages of a combined file were read: "; the other 4 were read"."""
    if not others:
        return ""
    if read == 0:
        return f"; the other {others} {'is' if others == 1 else 'are'} not read either"
    if read == others:
        return f"; the other {others} {'was' if others == 1 else 'were'} read"
    return f"; {read} of the other {others} {'was' if read == 1 else 'were'} read"


def read_messages(path: str | Path) -> list[Message | CcsdsError]:
    """Every message of a file (see :func:`parse_messages`); a malformed message raises."""
    return parse_messages(ndm.read_text(path), str(path))
