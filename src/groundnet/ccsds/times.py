"""CCSDS epochs (``2019-12-18T12:00:00.331``, ``2020-064T10:34:41.4264``, optional ``Z``) to POSIX seconds.

Supported TIME_SYSTEMs: UTC, TAI, TT, GPS, TDB (TDB taken as TT: they differ by under 2 ms), and the
coordinate times TCG and TCB through their defining rates (IAU 2000 B1.9, IAU 2006 B3): TCG runs
faster than TT by L_G, TCB faster than TDB by L_B, both counted from 1977-01-01T00:00:32.184 TT.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

import numpy as np

from ..timebase import tai_minus_utc_s

_CAL = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2}(?:\.\d*)?)Z?$")
_DOY = re.compile(r"^(\d{4})-(\d{3})T(\d{2}):(\d{2}):(\d{2}(?:\.\d*)?)Z?$")
TIME_SYSTEMS = ("UTC", "TAI", "TT", "GPS", "TDB", "TCG", "TCB")
_FROM_TAI_S = {"TAI": 0.0, "TT": -32.184, "TDB": -32.184, "GPS": 19.0, "TCG": -32.184, "TCB": -32.184}
# The coordinate times: rate against TT (TCG) or TDB (TCB), the common origin as a TT reading in seconds
# since 1970-01-01 (JD 2443144.5003725), and TDB0 (IAU 2006 B3).
_L_G, _L_B, _T0_S, _TDB0_S = 6.969290134e-10, 1.550519768e-8, 220924832.184, -6.55e-5


class EpochError(ValueError):
    pass


def parse_epoch(text: str) -> float:
    """Seconds since 1970-01-01 of the epoch's calendar reading (no time-system shift yet)."""
    s = text.strip()
    m = _CAL.match(s)
    if m:
        y, mo, d, hh, mi, ss = m.groups()
        try:
            base = datetime(int(y), int(mo), int(d), int(hh), int(mi), tzinfo=timezone.utc)
        except ValueError as exc:
            raise EpochError(f"impossible date '{text}': {exc}") from None
    else:
        m = _DOY.match(s)
        if not m:
            raise EpochError(f"'{text}' is not a CCSDS epoch (YYYY-MM-DDThh:mm:ss[.d] or YYYY-DDDThh:mm:ss[.d])")
        y, doy, hh, mi, ss = m.groups()
        if not 1 <= int(doy) <= 366:
            raise EpochError(f"day of year {doy} out of range in '{text}'")
        base = datetime(int(y), 1, 1, int(hh), int(mi), tzinfo=timezone.utc)
        base = base.fromtimestamp(base.timestamp() + (int(doy) - 1) * 86400.0, tz=timezone.utc)
    if int(hh) > 23 or int(mi) > 59 or float(ss) >= 61.0:
        raise EpochError(f"time of day out of range in '{text}'")
    return base.timestamp() + float(ss)


def _seconds_from_tai(time_system: str) -> float | None:
    """What to add to a reading in this time system to get TAI (None for UTC)."""
    name = time_system.strip().upper()
    if name == "UTC":
        return None
    if name not in _FROM_TAI_S:
        raise EpochError(f"TIME_SYSTEM '{time_system}' is not supported; use one of {', '.join(TIME_SYSTEMS)}")
    return _FROM_TAI_S[name]


def _coordinate_to_terrestrial(t: np.ndarray, time_system: str) -> np.ndarray:
    """A TCG reading as TT, a TCB reading as TDB; other readings unchanged."""
    name = time_system.strip().upper()
    if name == "TCG":
        return t - _L_G * (t - _T0_S)
    if name == "TCB":
        return t - _L_B * (t - _T0_S) + _TDB0_S
    return t


def _terrestrial_to_coordinate(t: np.ndarray, time_system: str) -> np.ndarray:
    """The inverse of :func:`_coordinate_to_terrestrial`."""
    name = time_system.strip().upper()
    if name == "TCG":
        return _T0_S + (t - _T0_S) / (1.0 - _L_G)
    if name == "TCB":
        return _T0_S + (t - _TDB0_S - _T0_S) / (1.0 - _L_B)
    return t


def to_unix(readings_s, time_system: str) -> np.ndarray:
    """Calendar readings in a CCSDS time system to POSIX (UTC) seconds."""
    t = np.asarray(readings_s, dtype=np.float64)
    offset = _seconds_from_tai(time_system)
    if offset is None:
        return t
    tai = _coordinate_to_terrestrial(t, time_system) + offset
    return tai - tai_minus_utc_s(tai)


def from_unix(unix_s, time_system: str) -> np.ndarray:
    """POSIX seconds to calendar readings in a CCSDS time system (inverse of :func:`to_unix`)."""
    t = np.asarray(unix_s, dtype=np.float64)
    offset = _seconds_from_tai(time_system)
    if offset is None:
        return t
    return _terrestrial_to_coordinate(t + tai_minus_utc_s(t) - offset, time_system)


def format_epoch(unix_s: float, time_system: str = "UTC", decimals: int = 6) -> str:
    """A CCSDS calendar epoch string (``YYYY-MM-DDThh:mm:ss.ffffff``) in the given time system."""
    reading = float(from_unix(unix_s, time_system))
    whole = np.floor(reading)
    frac = reading - whole
    text = f"{frac:.{decimals}f}"
    if text.startswith("1"):  # rounding carried into the next second
        whole += 1
        text = f"{0.0:.{decimals}f}"
    dt = datetime.fromtimestamp(whole, tz=timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + text[1:]


# CCSDS 301.0 ASCII time code B; its terminator Z is optional.
_SSF_DOY = re.compile(r"^\d{4}-\d{3}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z?$")


def format_doy(unix_s: float, decimals: int = 3) -> str:
    """A CCSDS ASCII day-of-year UTC time, ``YYYY-DDDThh:mm:ss.sssZ`` (the Simple Schedule Format's form)."""
    text = format_epoch(unix_s, "UTC", decimals)
    dt = datetime.strptime(text[:19], "%Y-%m-%dT%H:%M:%S")
    return dt.strftime("%Y-%jT%H:%M:%S") + text[19:] + "Z"


def parse_doy(text: str) -> float:
    """POSIX seconds of a day-of-year UTC time ``YYYY-DDDThh:mm:ss[.d][Z]``; any other form is an EpochError."""
    s = text.strip()
    if not _SSF_DOY.match(s):
        raise EpochError(f"'{text}' is not a CCSDS day-of-year time: write YYYY-DDDThh:mm:ss[.d]Z, "
                         "e.g. 2026-327T08:00:00.000Z")
    return parse_epoch(s)
