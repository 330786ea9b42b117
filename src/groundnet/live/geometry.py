"""Where every spacecraft is seen from every antenna at one instant: the board's geometry.

``FleetGeometry.observe(antennas, t)`` returns arrays over [antenna, spacecraft]: azimuth,
elevation, downleg and upleg range, round-trip light time and range rate, plus each spacecraft's
sub-point and geocentric distance. Earth orbiters propagate with SGP4 (TEME → ITRS through
Skyfield's frames, so UT1 and polar motion apply); deep-space craft give their apparent
geocentric position (light time applied) through ``trajectory.position_gcrs_km(t)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..stations import Antenna
from ..timebase import skyfield_times, unix_to_jd
from .fleet import Spacecraft

C_KM_S = 299792.458
WGS84_A_KM = 6378.137
WGS84_F = 1.0 / 298.257223563


@dataclass
class Observation:
    spacecraft_ids: list[str]
    antenna_ids: list[str]
    azimuth_deg: np.ndarray  # [antenna, spacecraft]
    elevation_deg: np.ndarray
    downleg_km: np.ndarray
    upleg_km: np.ndarray
    rtlt_s: np.ndarray
    range_rate_km_s: np.ndarray
    visible: np.ndarray  # elevation above the antenna's floor (mask and minimum elevation)
    latitude_deg: np.ndarray  # [spacecraft]: sub-point
    longitude_deg: np.ndarray
    altitude_km: np.ndarray
    geocentric_km: np.ndarray


def geodetic_of_itrs(xyz_km: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """WGS-84 latitude, longitude (deg) and height (km) of Earth-fixed points [..., 3] (Bowring, 3 rounds)."""
    x, y, z = xyz_km[..., 0], xyz_km[..., 1], xyz_km[..., 2]
    e2 = WGS84_F * (2 - WGS84_F)
    p = np.hypot(x, y)
    lat = np.arctan2(z, p * (1 - e2))
    for _ in range(3):
        n = WGS84_A_KM / np.sqrt(1 - e2 * np.sin(lat) ** 2)
        h = p / np.maximum(np.cos(lat), 1e-12) - n
        lat = np.arctan2(z, p * (1 - e2 * n / (n + h)))
    n = WGS84_A_KM / np.sqrt(1 - e2 * np.sin(lat) ** 2)
    h = np.where(np.abs(np.cos(lat)) > 1e-9, p / np.maximum(np.cos(lat), 1e-12) - n, np.abs(z) - n * (1 - e2))
    return np.degrees(lat), np.degrees(np.arctan2(y, x)), h


def _enu_rotation(antennas: list[Antenna]) -> np.ndarray:
    """[antenna, 3, 3]: rows are east, north, up in ITRS."""
    lat = np.radians([a.latitude_deg for a in antennas])
    lon = np.radians([a.longitude_deg for a in antennas])
    sl, cl, so, co = np.sin(lat), np.cos(lat), np.sin(lon), np.cos(lon)
    east = np.stack([-so, co, np.zeros_like(so)], -1)
    north = np.stack([-sl * co, -sl * so, cl], -1)
    up = np.stack([cl * co, cl * so, sl], -1)
    return np.stack([east, north, up], 1)


class FleetGeometry:
    """Look angles of a fixed fleet from any antennas at any instant."""

    def __init__(self, fleet: list[Spacecraft]):
        from sgp4.api import SatrecArray

        self.fleet = list(fleet)
        self._orbiters = [i for i, s in enumerate(self.fleet) if s.is_earth_orbiter]
        self._deep = [i for i, s in enumerate(self.fleet) if not s.is_earth_orbiter and s.trajectory is not None]
        self._sat_array = SatrecArray([self.fleet[i].elements.satrec() for i in self._orbiters]) if self._orbiters else None
        self._enu_cache: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray]] = {}

    def itrs_km(self, times_unix) -> np.ndarray:
        """[spacecraft, time, 3] Earth-fixed positions (deep-space craft: apparent, light time applied); NaN where unknown."""
        from skyfield.framelib import itrs
        from skyfield.sgp4lib import TEME

        t = np.atleast_1d(np.asarray(times_unix, dtype=np.float64))
        out = np.full((len(self.fleet), t.size, 3), np.nan)
        ts = skyfield_times(t)
        gcrs_to_itrs = np.moveaxis(itrs.rotation_at(ts), -1, 0)  # [time, 3, 3]
        if self._sat_array is not None:
            jd, fr = unix_to_jd(t)
            err, r_teme, _ = self._sat_array.sgp4(jd, fr)
            teme = np.moveaxis(TEME.rotation_at(ts), -1, 0)
            teme_to_itrs = gcrs_to_itrs @ np.transpose(teme, (0, 2, 1))  # [time, 3, 3]
            r = np.einsum("tij,stj->sti", teme_to_itrs, r_teme)
            r[err != 0] = np.nan
            # A stale element set can propagate to absurd states without an error code.
            r[np.linalg.norm(r, axis=-1) > 5e5] = np.nan
            out[self._orbiters] = r
        for i in self._deep:
            gcrs = np.asarray(self.fleet[i].trajectory.position_gcrs_km(t), dtype=np.float64).reshape(t.size, 3)
            out[i] = np.einsum("tij,tj->ti", gcrs_to_itrs, gcrs)
        return out

    def observe(self, antennas: list[Antenna], t: float) -> Observation:
        pos = self.itrs_km([t, t + 1.0])  # a 1 s step gives the range rate
        key = tuple(a.id for a in antennas)
        if key not in self._enu_cache:
            self._enu_cache[key] = (np.array([a.itrs_km for a in antennas]).reshape(-1, 3), _enu_rotation(antennas))
        sta, enu = self._enu_cache[key]
        rel = pos[None, :, :, :] - sta[:, None, None, :]  # [antenna, spacecraft, time, 3]
        rng = np.linalg.norm(rel, axis=-1)
        local = np.einsum("aij,astj->asti", enu, rel[:, :, :1, :])[:, :, 0, :]
        az = np.degrees(np.arctan2(local[..., 0], local[..., 1])) % 360.0
        el = np.degrees(np.arcsin(np.clip(local[..., 2] / np.maximum(rng[..., 0], 1e-9), -1, 1)))
        downleg = rng[..., 0]
        rate = rng[..., 1] - rng[..., 0]
        # The uplink sent now arrives one light time later, when the range has moved on.
        upleg = downleg + rate * downleg / C_KM_S
        floor = np.stack([a.elevation_floor_deg(az[i]) for i, a in enumerate(antennas)]) if antennas else az
        lat, lon, alt = geodetic_of_itrs(pos[:, 0, :])
        return Observation(
            spacecraft_ids=[s.id for s in self.fleet], antenna_ids=list(key),
            azimuth_deg=az, elevation_deg=el, downleg_km=downleg, upleg_km=upleg,
            rtlt_s=(downleg + upleg) / C_KM_S, range_rate_km_s=rate,
            visible=np.nan_to_num(el, nan=-90.0) >= floor,
            latitude_deg=lat, longitude_deg=lon, altitude_km=alt, geocentric_km=np.linalg.norm(pos[:, 0, :], axis=-1),
        )


def footprint_radius_deg(altitude_km: float) -> float:
    """Earth-central angle of the horizon circle seen from an altitude (0° elevation)."""
    if not math.isfinite(altitude_km) or altitude_km <= 0:
        return 0.0
    return math.degrees(math.acos(WGS84_A_KM / (WGS84_A_KM + altitude_km)))


def distances(geometry: FleetGeometry, index: int, t: float) -> dict:
    """Geocentric and heliocentric distance and speed, and one-way light time, of one spacecraft."""
    from skyfield.framelib import itrs

    from ..timebase import planetary_ephemeris

    times = np.array([t, t + 1.0])
    r_itrs = geometry.itrs_km(times)[index]
    rot = np.moveaxis(itrs.rotation_at(skyfield_times(times)), -1, 0)
    gcrs = np.einsum("tji,tj->ti", rot, r_itrs)  # ITRS → GCRS: the transpose
    eph = planetary_ephemeris()
    ts = skyfield_times(times)
    earth_helio = (eph["earth"].at(ts).position.km - eph["sun"].at(ts).position.km).T
    helio = gcrs + earth_helio
    geo_km = float(np.linalg.norm(gcrs[0]))
    return {
        "geocentric_km": geo_km,
        "heliocentric_km": float(np.linalg.norm(helio[0])),
        "geocentric_speed_km_s": float(np.linalg.norm(gcrs[1] - gcrs[0])),
        "heliocentric_speed_km_s": float(np.linalg.norm(helio[1] - helio[0])),
        "one_way_light_time_s": geo_km / C_KM_S,
    }
