"""Checks every element set must pass, whichever format it came from (TLE or OMM)."""

from __future__ import annotations

import math

from ..constants import WGS72_A_KM, WGS72_GM_KM3_S2
from .elements import ElementSet

# Plausible mean motions: a body on the verge of re-entry makes about 17 rev/day; nothing in a
# real catalog comes near 20. The lower bound only excludes zero and negative values.
MAX_MEAN_MOTION_REV_DAY = 20.0
# WGS-72, the constants SGP4 element sets are fitted with.
MU_KM3_S2 = WGS72_GM_KM3_S2
EARTH_RADIUS_KM = WGS72_A_KM
# 1957-10-04 (Sputnik 1) .. 2100-01-01: an epoch outside this is a damaged record.
EARLIEST_EPOCH_UNIX = -386_380_800.0
LATEST_EPOCH_UNIX = 4_102_444_800.0


class RecordProblem(Exception):
    """Why one record cannot be used; becomes a :class:`~groundnet.orbits.catalog.Rejection`."""

    def __init__(self, reason: str, *, line: int | None = None, object_id: int | None = None, code: str = "invalid",
                 last_line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.last_line = last_line
        self.object_id = object_id
        self.code = code


def check_elements(e: ElementSet) -> None:
    """Raise :class:`RecordProblem` for the first value out of range (angles, eccentricity, mean motion, epoch)."""

    if (0.0 <= e.eccentricity < 1.0 and 0.0 < e.mean_motion_rev_day <= MAX_MEAN_MOTION_REV_DAY
            and 0.0 <= e.inclination_deg <= 180.0 and 0.0 <= e.raan_deg <= 360.0
            and 0.0 <= e.arg_perigee_deg <= 360.0 and 0.0 <= e.mean_anomaly_deg <= 360.0
            and EARLIEST_EPOCH_UNIX <= e.epoch_unix < LATEST_EPOCH_UNIX and e.norad_id >= 0
            and math.isfinite(e.bstar + e.mean_motion_dot + e.mean_motion_ddot)):
        return  # the common case, in one expression; below, which rule failed

    def bad(reason: str) -> RecordProblem:
        return RecordProblem(reason, line=e.line, object_id=e.norad_id, code="out_of_range")

    values = {
        "mean motion": e.mean_motion_rev_day, "eccentricity": e.eccentricity, "inclination": e.inclination_deg,
        "RAAN": e.raan_deg, "argument of perigee": e.arg_perigee_deg, "mean anomaly": e.mean_anomaly_deg,
        "B*": e.bstar, "first derivative of mean motion": e.mean_motion_dot,
        "second derivative of mean motion": e.mean_motion_ddot, "epoch": e.epoch_unix,
    }
    for what, value in values.items():
        if not math.isfinite(value):
            raise bad(f"{what} is {value}")
    if e.norad_id < 0:
        raise bad(f"catalog number {e.norad_id} is negative")
    if not 0.0 <= e.eccentricity < 1.0:
        raise bad(f"eccentricity {e.eccentricity} is outside [0, 1)")
    if not 0.0 < e.mean_motion_rev_day <= MAX_MEAN_MOTION_REV_DAY:
        raise bad(f"mean motion {e.mean_motion_rev_day} rev/day is outside (0, {MAX_MEAN_MOTION_REV_DAY:g}]")
    if not 0.0 <= e.inclination_deg <= 180.0:
        raise bad(f"inclination {e.inclination_deg}° is outside [0°, 180°]")
    for what, value in (("RAAN", e.raan_deg), ("argument of perigee", e.arg_perigee_deg),
                        ("mean anomaly", e.mean_anomaly_deg)):
        if not 0.0 <= value <= 360.0:
            raise bad(f"{what} {value}° is outside [0°, 360°]")
    if not EARLIEST_EPOCH_UNIX <= e.epoch_unix < LATEST_EPOCH_UNIX:
        raise bad(f"epoch {e.epoch_unix} s is outside 1957-10-04 .. 2100-01-01")


def perigee_height_km(e: ElementSet) -> float:
    """Perigee height above the equatorial radius from Kepler's third law (to a few km of SGP4's own)."""
    n_rad_s = e.mean_motion_rev_day * 2.0 * math.pi / 86400.0
    return (MU_KM3_S2 / n_rad_s**2) ** (1.0 / 3.0) * (1.0 - e.eccentricity) - EARTH_RADIUS_KM


def element_warnings(e: ElementSet) -> list[tuple[str, str]]:
    """(code, reason) for a usable element set that deserves attention."""
    height = perigee_height_km(e)
    if height < 0.0:
        return [("subsurface_perigee", f"perigee {-height:.0f} km below the Earth's surface: the object is "
                 "re-entering or the elements are wrong; positions near perigee are meaningless")]
    return []
