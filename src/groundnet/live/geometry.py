"""Where every spacecraft is seen from every antenna at one instant: the board's geometry.

``FleetGeometry.observe(antennas, t)`` returns arrays over [antenna, spacecraft]: azimuth,
elevation, downleg and upleg range, round-trip light time and range rate, plus each spacecraft's
sub-point and geocentric distance. It composes the engine: Earth orbiters through its batch SGP4
(``Propagator``, with validity masks) and TEME → ITRS rotation, deep-space craft through their
trajectory's geocentric state and ``gcrs_to_itrs``, then the engine's ``look_angles``. This serves
the whole fleet at once, every second; the light-time-corrected link of a deep-space contact
comes from ``groundnet.visibility.deepspace`` (see ``BoardBuilder``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..orbits.frames import gcrs_to_itrs
from ..orbits.propagation import Propagator
from ..orbits.teme import teme_to_itrs
from ..stations import Antenna
from ..stations.network import WGS84_A_KM, geodetic_of_itrs  # noqa: F401  (re-exported for the API)
from ..visibility.geometry import SPEED_OF_LIGHT_KM_S, StationFrames, look_angles
from ..missions import Spacecraft


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


def footprint_radius_deg(altitude_km: float) -> float:
    """Earth-central angle of the horizon circle seen from an altitude (0° elevation)."""
    if not math.isfinite(altitude_km) or altitude_km <= 0:
        return 0.0
    return math.degrees(math.acos(WGS84_A_KM / (WGS84_A_KM + altitude_km)))


class FleetGeometry:
    """Look angles of a fixed fleet from any antennas at any instant."""

    def __init__(self, fleet: list[Spacecraft]):
        self.fleet = list(fleet)
        self._orbiters = [i for i, s in enumerate(self.fleet) if s.is_earth_orbiter]
        self._deep = [i for i, s in enumerate(self.fleet) if not s.is_earth_orbiter and s.trajectory is not None]
        self._propagator = Propagator([self.fleet[i].elements for i in self._orbiters]) if self._orbiters else None
        self._frames: dict[tuple[str, ...], StationFrames] = {}

    def states_itrs(self, times_unix) -> tuple[np.ndarray, np.ndarray]:
        """Earth-fixed positions (km) and velocities (km/s) ``[spacecraft, time, 3]``; NaN where unknown."""
        t = np.atleast_1d(np.asarray(times_unix, dtype=np.float64))
        pos = np.full((len(self.fleet), t.size, 3), np.nan)
        vel = np.full_like(pos, np.nan)
        if self._propagator is not None:
            states = self._propagator.propagate(t)  # invalid samples (decayed, unphysical) are NaN
            pos[self._orbiters], vel[self._orbiters] = teme_to_itrs(states.position_km, states.velocity_km_s, t)
        if self._deep:
            # Each trajectory's GCRS state, then one rotation to ITRS for all of them (the rotation is the costly part).
            states = [self.fleet[i].trajectory.state_gcrs(t, strict=False) for i in self._deep]  # (3, time) each
            p = np.concatenate([np.asarray(sp, dtype=np.float64).reshape(3, -1) for sp, _ in states], axis=1)
            v = np.concatenate([np.asarray(sv, dtype=np.float64).reshape(3, -1) for _, sv in states], axis=1)
            p, v = gcrs_to_itrs(p, v, np.tile(t, len(self._deep)))
            n = len(self._deep)
            pos[self._deep] = np.asarray(p).reshape(3, n, t.size).transpose(1, 2, 0)
            vel[self._deep] = np.asarray(v).reshape(3, n, t.size).transpose(1, 2, 0)
        return pos, vel

    def itrs_km(self, times_unix) -> np.ndarray:
        return self.states_itrs(times_unix)[0]

    def observe(self, antennas: list[Antenna], t: float) -> Observation:
        pos, vel = self.states_itrs([t])
        key = tuple(a.id for a in antennas)
        if key not in self._frames:
            self._frames[key] = StationFrames.of(antennas)
        look = look_angles(self._frames[key], pos, vel)
        az, el = look.azimuth_deg[..., 0], look.elevation_deg[..., 0]
        downleg, rate = look.range_km[..., 0], look.range_rate_km_s[..., 0]
        # The uplink sent now arrives one light time later, when the range has moved on.
        upleg = downleg + rate * downleg / SPEED_OF_LIGHT_KM_S
        floor = np.stack([a.elevation_floor_deg(az[i]) for i, a in enumerate(antennas)]) if antennas else az
        lat, lon, alt = geodetic_of_itrs(pos[:, 0, :])
        return Observation(
            spacecraft_ids=[s.id for s in self.fleet], antenna_ids=list(key),
            azimuth_deg=az, elevation_deg=el, downleg_km=downleg, upleg_km=upleg,
            rtlt_s=(downleg + upleg) / SPEED_OF_LIGHT_KM_S, range_rate_km_s=rate,
            visible=np.nan_to_num(el, nan=-90.0) >= floor,
            latitude_deg=lat, longitude_deg=lon, altitude_km=alt, geocentric_km=np.linalg.norm(pos[:, 0, :], axis=-1),
        )
