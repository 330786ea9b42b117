"""The SGP4 mean element set, whatever file it came from (TLE, OMM JSON/CSV/XML/KVN)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sgp4.api import WGS72, Satrec

from ..timebase import UNIX_EPOCH_JD, format_utc

# SGP4's epoch is counted from 1949-12-31 00:00 UTC.
SGP4_EPOCH_JD = 2433281.5


@dataclass(frozen=True)
class ElementSet:
    """One object's mean elements at an epoch, with where they came from.

    Angles in degrees, mean motion in revolutions per day, as TLE and OMM write them.
    """

    norad_id: int
    name: str
    epoch_unix: float
    mean_motion_rev_day: float
    eccentricity: float
    inclination_deg: float
    raan_deg: float
    arg_perigee_deg: float
    mean_anomaly_deg: float
    bstar: float = 0.0
    mean_motion_dot: float = 0.0  # rev/day^2 / 2, as in the TLE
    mean_motion_ddot: float = 0.0  # rev/day^3 / 6, as in the TLE
    international_designator: str = ""
    classification: str = "U"
    element_set_no: int = 999
    rev_at_epoch: int = 0
    source: str = ""  # file path
    line: int = 0  # first line of the record in that file (1-based)

    @property
    def epoch_iso(self) -> str:
        return format_utc(self.epoch_unix)

    @property
    def period_min(self) -> float:
        return 1440.0 / self.mean_motion_rev_day

    def satrec(self) -> Satrec:
        """An initialised ``sgp4`` satellite record (WGS-72, as SGP4 element sets are fitted)."""
        sat = Satrec()
        # Days since 1949-12-31 summed from small numbers: a Julian date (2.4e6) would round to 40 us.
        epoch_days = self.epoch_unix / 86400.0 + (UNIX_EPOCH_JD - SGP4_EPOCH_JD)
        xpdotp = 1440.0 / (2.0 * math.pi)  # rev/day per rad/min
        sat.sgp4init(
            WGS72,
            "i",
            # python-sgp4 refuses numbers past Alpha-5 (339999); the number plays no part in the orbit.
            self.norad_id if self.norad_id <= 339_999 else 0,
            epoch_days,
            self.bstar,
            self.mean_motion_dot / (xpdotp * 1440.0),
            self.mean_motion_ddot / (xpdotp * 1440.0 * 1440.0),
            self.eccentricity,
            math.radians(self.arg_perigee_deg),
            math.radians(self.inclination_deg),
            math.radians(self.mean_anomaly_deg),
            self.mean_motion_rev_day / xpdotp,
            math.radians(self.raan_deg),
        )
        return sat
