"""SPICE SPK files through ``spiceypy``, with DE421 from ``skyfield-data`` furnished alongside.

Why SPICE for spacecraft and both for planets: Skyfield (jplephem) reads only SPK types 2 and 3
(Chebyshev planetary ephemerides); spacecraft kernels are types 13, 18 and 19 (Hermite and
Lagrange), which only CSPICE reads. A spacecraft segment is relative to whatever centre the file
chose (Solar Orbiter's file switches between the Sun, Venus and the Earth around each flyby), so
SPICE must also know the planets to chain the segments back to the Earth: DE421, the same file
Skyfield uses elsewhere in groundnet, is furnished into SPICE once. Planet positions for geometry
(Sun, Mars, Earth) keep coming from Skyfield, so both read the same numbers.

The SPICE kernel pool is process-wide: files are furnished once and never unloaded; SPICE errors
are turned into :class:`~groundnet.errors.TrajectoryError` messages. CSPICE is not thread-safe (two
threads reading at once corrupt its file table and can crash the process), and the live service reads
from several threads, so every call into it holds :data:`SPICE_LOCK`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import InputFileError, TrajectoryError
from ..timebase import UNIX_EPOCH_JD

J2000_JD = 2451545.0
SPICE_LOCK = threading.RLock()
_furnished: set[str] = set()


def _furnish(path: str) -> None:
    import spiceypy

    with SPICE_LOCK:
        if path in _furnished:
            return
        spiceypy.furnsh(path)
        _furnished.add(path)


def furnish_planets() -> None:
    """Give SPICE the planetary ephemeris (DE421 from skyfield-data)."""
    from ..timebase import skyfield_data_dir

    path = Path(skyfield_data_dir()) / "de421.bsp"
    _furnish(str(path))


def unix_to_et(times_unix) -> np.ndarray:
    """POSIX (UTC) seconds to SPICE ephemeris time (TDB seconds past J2000), via Skyfield's timescale."""
    from ..timebase import skyfield_times

    t = skyfield_times(np.atleast_1d(np.asarray(times_unix, dtype=np.float64)))
    return (t.whole - J2000_JD) * 86400.0 + t.tdb_fraction * 86400.0


def et_to_unix(et) -> np.ndarray:
    """SPICE ephemeris time to POSIX (UTC) seconds (inverse of :func:`unix_to_et`)."""
    from ..timebase import tai_minus_utc_s, timescale

    et = np.atleast_1d(np.asarray(et, dtype=np.float64))
    t = timescale().tdb_jd(J2000_JD + et / 86400.0)
    tai_reading = (t.whole - UNIX_EPOCH_JD) * 86400.0 + t.tt_fraction * 86400.0 - 32.184
    return tai_reading - tai_minus_utc_s(tai_reading)


@dataclass(frozen=True)
class SpkSegment:
    target: int
    centre: int
    frame: int
    data_type: int
    start_unix: float
    end_unix: float


def spk_segments(path: str | Path) -> list[SpkSegment]:
    """The segments of an SPK file (target, centre, frame, type, span), read without SPICE."""
    from jplephem.spk import SPK

    try:
        kernel = SPK.open(str(path))
    except FileNotFoundError:
        raise InputFileError(str(path), "file not found") from None
    except Exception as exc:  # jplephem raises plain ValueError/OSError on non-DAF input
        raise InputFileError(str(path), f"not a SPICE SPK (DAF/SPK) file: {exc}") from None
    try:
        segs = []
        for s in kernel.segments:
            start = float(et_to_unix(s.start_second)[0])
            end = float(et_to_unix(s.end_second)[0])
            # A millisecond inside each end: the UTC<->TDB round trip must not step outside the segment.
            segs.append(SpkSegment(s.target, s.center, s.frame, s.data_type, start + 1e-3, end - 1e-3))
        return segs
    finally:
        kernel.close()


def geocentric_states(path: str, target: int, et: np.ndarray) -> np.ndarray:
    """States (n, 6) in km, km/s of ``target`` relative to the Earth's centre, J2000 axes (SPICE)."""
    import spiceypy
    from spiceypy.utils.exceptions import SpiceyError

    furnish_planets()
    _furnish(path)
    out = np.empty((et.size, 6))
    try:
        with SPICE_LOCK:
            for i, e in enumerate(et):
                out[i] = spiceypy.spkgeo(int(target), float(e), "J2000", 399)[0]
    except SpiceyError as exc:
        detail = " ".join(str(getattr(exc, "long", "") or exc).split())
        raise TrajectoryError(f"{path}: SPICE could not compute body {target}: "
                              f"{getattr(exc, 'short', '')} {detail[:300]}") from None
    return out
