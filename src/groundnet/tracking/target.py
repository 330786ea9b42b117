"""Where the object is, seen from one antenna, every second of a window: the engine's geometry, sampled.

``TargetTrack.from_elements`` uses ``visibility.geometry.look`` (SGP4, as ``groundnet look``);
``TargetTrack.from_trajectory`` uses ``visibility.deepspace.link_geometry`` (light-time corrected, as
``groundnet link``). Between samples the look angles are interpolated linearly on the unit sphere's
azimuth unwrapped (an Earth orbiter moves under 1 deg/s seen from the ground except near the zenith,
where the 1 s samples bound the error to hundredths of a degree of arc).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import TrajectoryError
from ..stations import Antenna
from ..timebase import format_utc

STEP_S = 1.0


@dataclass
class TargetTrack:
    """Samples ``[time]`` of one object's geometry from one antenna; NaN where it cannot be computed."""

    antenna: Antenna
    object_id: str
    object_name: str
    times_unix: np.ndarray
    azimuth_deg: np.ndarray
    elevation_deg: np.ndarray
    range_km: np.ndarray
    range_rate_km_s: np.ndarray

    def __post_init__(self):
        self._az_unwrapped = np.degrees(np.unwrap(np.radians(np.nan_to_num(self.azimuth_deg))))

    @staticmethod
    def grid(start_unix: float, end_unix: float, step_s: float = STEP_S) -> np.ndarray:
        n = max(2, int(math.ceil((end_unix - start_unix) / step_s)) + 1)
        return start_unix + step_s * np.arange(n, dtype=np.float64)

    @classmethod
    def from_elements(cls, element, antenna: Antenna, start_unix: float, end_unix: float,
                      step_s: float = STEP_S) -> "TargetTrack":
        from ..visibility.geometry import look

        t = cls.grid(start_unix, end_unix, step_s)
        angles, states = look([element], [antenna], t)
        if not states.valid[0].any():
            reason = states.reasons()[int(states.reason[0, 0])]
            raise TrajectoryError(f"object {element.norad_id} cannot be propagated over {format_utc(t[0])}.."
                                  f"{format_utc(t[-1])}: {reason}")
        return cls(antenna, str(element.norad_id), element.name, t, angles.azimuth_deg[0, 0],
                   angles.elevation_deg[0, 0], angles.range_km[0, 0], angles.range_rate_km_s[0, 0])

    @classmethod
    def from_trajectory(cls, trajectory, antenna: Antenna, start_unix: float, end_unix: float,
                        step_s: float = STEP_S) -> "TargetTrack":
        from ..visibility.deepspace import link_geometry

        t = cls.grid(start_unix, end_unix, step_s)
        g = link_geometry(trajectory, [antenna], t)
        if not np.isfinite(g.elevation_deg[0]).any():
            raise TrajectoryError(f"{trajectory.name}: no position over {format_utc(t[0])}..{format_utc(t[-1])} "
                                  "(outside its trajectory's span)")
        return cls(antenna, str(getattr(trajectory, "object_id", trajectory.name)), trajectory.name, t,
                   g.azimuth_deg[0], g.elevation_deg[0], g.downleg_range_km[0], g.range_rate_km_s[0])

    @property
    def start_unix(self) -> float:
        return float(self.times_unix[0])

    @property
    def end_unix(self) -> float:
        return float(self.times_unix[-1])

    def at(self, t: float) -> dict:
        """Interpolated geometry at ``t`` (clamped to the window): azimuth, elevation, range, range rate."""
        tt = self.times_unix
        t = min(max(float(t), tt[0]), tt[-1])
        return {
            "azimuth_deg": float(np.interp(t, tt, self._az_unwrapped) % 360.0),
            "elevation_deg": float(np.interp(t, tt, self.elevation_deg)),
            "range_km": float(np.interp(t, tt, self.range_km)),
            "range_rate_km_s": float(np.interp(t, tt, self.range_rate_km_s)),
        }

    def visible(self) -> np.ndarray:
        """Samples at or above the antenna's floor (minimum elevation and horizon mask)."""
        el = np.nan_to_num(self.elevation_deg, nan=-90.0)
        return el >= self.antenna.elevation_floor_deg(np.nan_to_num(self.azimuth_deg))
