"""One UTC-anchored time convention for the whole engine.

At every boundary times are ISO 8601 UTC strings ending in ``Z``. Inside, a time is a float (or a
NumPy float64 array) of POSIX seconds (UTC, leap seconds not counted), which SGP4, the scheduler
and the store all share. Skyfield's timescale (UT1, TT, polar motion) is loaded once from the
``skyfield-data`` package, or from the newer table ``groundnet data update`` put in the cache:
nothing is downloaded while computing.

Domain code never reads the wall clock: callers pass times (or a clock) in.
"""

from __future__ import annotations

import warnings
from datetime import datetime, timedelta, timezone
from functools import lru_cache

import numpy as np

from .errors import TimeParseError, TimeRangeError

UTC = timezone.utc
SECONDS_PER_DAY = 86400.0
UNIX_EPOCH_JD = 2440587.5

# The span every service time lies in (the clock, a board's moment, a window's ends): the planetary
# ephemeris (DE421, 1899-07-29 .. 2053-10-09) with a month to spare at the end, so that the windows
# computed around a moment (plans up to 14 days ahead, a day of events) stay inside it too.
SPAN_START_UNIX = -2208988800.0  # 1900-01-01T00:00:00Z
SPAN_END_UNIX = 2640297600.0  # 2053-09-01T00:00:00Z


def parse_utc(text: str, what: str = "time") -> datetime:
    """Read ISO 8601 (``2026-11-21T08:00:00Z``, an offset, or naive meaning UTC) into aware UTC."""
    s = text.strip()
    if s.endswith(("Z", "z")):
        s = s[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        raise TimeParseError(text, what) from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def check_in_span(t: float, what: str = "time", text: str | None = None) -> float:
    """``t`` itself when it lies in [SPAN_START_UNIX, SPAN_END_UNIX]; else a TimeRangeError naming ``what``."""
    if not SPAN_START_UNIX <= t <= SPAN_END_UNIX:
        shown = text if text is not None else format_utc(t) if -6.2e10 < t < 2.5e11 else str(t)
        raise TimeRangeError(
            f"{what} '{shown}' lies outside the span groundnet computes, "
            f"{format_utc(SPAN_START_UNIX)} .. {format_utc(SPAN_END_UNIX)} (the planetary ephemeris' span); "
            "ask for a time inside it")
    return t


def parse_utc_in_span(text: str, what: str = "time") -> float:
    """POSIX seconds of an ISO 8601 UTC text that lies in the computable span (else a TimeRangeError)."""
    return check_in_span(parse_utc(text, what).timestamp(), what, text)


def to_unix(dt: datetime) -> float:
    """POSIX seconds of an aware (or naive = UTC) datetime."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.timestamp()


def from_unix(seconds: float) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=float(seconds))


def format_utc(t: datetime | float) -> str:
    """ISO 8601 UTC with millisecond precision and ``Z``: ``2026-11-21T08:00:00.000Z``."""
    if not isinstance(t, datetime):
        # Round to the millisecond first so that 59.9996 s prints as the next second, not 59.1000.
        t = from_unix(round(float(t) * 1000.0) / 1000.0)
    t = t.astimezone(UTC)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def unix_to_jd(unix_s) -> tuple[np.ndarray, np.ndarray]:
    """UTC Julian date split into a whole part and a fraction (the form SGP4 wants, no precision lost)."""
    days = np.asarray(unix_s, dtype=np.float64) / SECONDS_PER_DAY
    whole = np.floor(days)
    return whole + UNIX_EPOCH_JD, days - whole


@lru_cache(maxsize=1)
def skyfield_data_dir() -> str:
    """Folder of the ``skyfield-data`` package (de421.bsp, finals2000A.all)."""
    from skyfield_data import get_skyfield_data_path

    with warnings.catch_warnings():
        # skyfield-data warns when its IERS file is past its prediction span; beyond it Skyfield
        # extrapolates UT1 (a few ms a year), which is what we want rather than a download.
        warnings.simplefilter("ignore", RuntimeWarning)
        return get_skyfield_data_path()


@lru_cache(maxsize=1)
def earth_orientation_file() -> str:
    """The finals2000A.all in use: the one ``groundnet data update`` cached when it reaches further
    ahead than ``skyfield-data``'s, else the packaged one."""
    import os

    packaged = os.path.join(skyfield_data_dir(), "finals2000A.all")
    try:
        from .sources.iers import cached_table, last_mjd

        cached = cached_table()
        if cached is not None and last_mjd(cached) > last_mjd(packaged):
            return str(cached)
    except Exception:  # noqa: BLE001 - an unreadable configuration or cache: the packaged table still works
        pass
    return packaged


@lru_cache(maxsize=1)
def timescale():
    """Skyfield timescale with UT1-UTC and polar motion from finals2000A.all (:func:`earth_orientation_file`).

    Built as Skyfield's ``Loader.timescale(builtin=False)`` builds it from that file.
    """
    from skyfield.data import iers
    from skyfield.timelib import Timescale

    with open(earth_orientation_file(), "rb") as f:
        finals = iers.parse_x_y_dut1_from_finals_all(f)
    daily_tt, daily_delta_t, leap_dates, leap_offsets = iers.build_timescale_arrays(finals["utc_mjd"], finals["dut1"])
    ts = Timescale((daily_tt, daily_delta_t), leap_dates, leap_offsets)
    iers.install_polar_motion_table(ts, finals)
    return ts


def tai_minus_utc_s(unix_s) -> np.ndarray:
    """TAI - UTC in seconds at POSIX times: the leap-second count (10 s before 1972) from Skyfield's table."""
    ts = timescale()
    leap_unix = (np.asarray(ts.leap_dates, dtype=np.float64) - UNIX_EPOCH_JD) * SECONDS_PER_DAY
    offsets = np.asarray(ts.leap_offsets, dtype=np.float64)
    i = np.searchsorted(leap_unix, np.asarray(unix_s, dtype=np.float64), side="right") - 1
    return np.where(i >= 0, offsets[np.maximum(i, 0)], 10.0)


def skyfield_times(unix_s):
    """A Skyfield ``Time`` (scalar or array) for POSIX seconds."""
    # Whole days plus seconds of the day: Skyfield would count leap seconds inside a long
    # run of seconds, which POSIX time does not.
    s = np.asarray(unix_s, dtype=np.float64)
    days = np.floor(s / SECONDS_PER_DAY)
    return timescale().utc(1970, 1, 1 + days.astype(np.int64), 0, 0, s - days * SECONDS_PER_DAY)


@lru_cache(maxsize=1)
def planetary_ephemeris():
    """JPL DE421 from ``skyfield-data`` (1900-2050), loaded once."""
    from skyfield.api import Loader

    return Loader(skyfield_data_dir(), verbose=False)("de421.bsp")


PERIODS = ("day", "week", "month")


def period_start(t: float, period: str) -> float:
    """POSIX seconds of the UTC day, ISO week (Monday) or calendar month that contains ``t``."""
    d = from_unix(t)
    day = datetime(d.year, d.month, d.day, tzinfo=UTC)
    if period == "day":
        return day.timestamp()
    if period == "week":
        return (day - timedelta(days=day.weekday())).timestamp()
    if period == "month":
        return datetime(d.year, d.month, 1, tzinfo=UTC).timestamp()
    raise ValueError(f"period must be one of {', '.join(PERIODS)}, got '{period}'")


def period_end(start: float, period: str) -> float:
    """The end of the period that begins at ``start`` (a value of ``period_start``)."""
    if period == "day":
        return start + SECONDS_PER_DAY
    if period == "week":
        return start + 7 * SECONDS_PER_DAY
    d = from_unix(start)
    return datetime(d.year + d.month // 12, d.month % 12 + 1, 1, tzinfo=UTC).timestamp()


def periods(start: float, end: float, period: str) -> list[tuple[float, float]]:
    """The periods that overlap [start, end), each clipped to it, in order."""
    out = []
    p = period_start(start, period)
    while p < end:
        q = period_end(p, period)
        out.append((max(p, start), min(q, end)))
        p = q
    return out
