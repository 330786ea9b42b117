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


# --------------------------------------------------------------------------------------------
# How far from its epoch an element set is used

# The age (days between the epoch and the instant predicted) past which SGP4's predictions are
# warned about, by orbit class. SGP4's error grows with the distance from the epoch, fastest
# where drag is strongest: a LEO set is typically off by a few km along track within a week and
# by tens of km after two (Vallado et al. 2006; the catalog is refreshed daily for LEO objects);
# MEO and HEO orbits (drag only near a HEO perigee) drift more slowly, and a GEO set stays
# usable for pass prediction for about a month (an error of a few hundredths of a degree seen
# from the ground). docs/passes.md explains the defaults; ``--max-element-age-days`` sets one
# limit for every object.
AGE_LIMIT_DAYS = {"LEO": 7.0, "MEO": 14.0, "HEO": 14.0, "GEO": 30.0}


def orbit_class(e: ElementSet) -> str:
    """LEO (period under 225 min), GEO (near-circular, within 2 % of a sidereal day), HEO
    (eccentricity 0.25 or more), else MEO."""
    period = e.period_min
    if period < 225.0:
        return "LEO"
    if e.eccentricity < 0.1 and abs(period - 1436.1) < 0.02 * 1436.1:
        return "GEO"
    return "HEO" if e.eccentricity >= 0.25 else "MEO"


def element_age_limit_days(e: ElementSet, max_age_days: float | None = None) -> float:
    return AGE_LIMIT_DAYS[orbit_class(e)] if max_age_days is None else float(max_age_days)


def age_warnings(elements, start_unix: float, end_unix: float, max_age_days: float | None = None,
                 *, listed: int = 5) -> list[str]:
    """Warnings for element sets used further from their epoch than their limit during
    [start, end] (``AGE_LIMIT_DAYS`` by orbit class, or ``max_age_days`` for all): one line
    naming up to ``listed`` of them (the oldest first), and how many there are."""
    old = []
    for e in elements:
        age = max(abs(start_unix - e.epoch_unix), abs(end_unix - e.epoch_unix)) / 86400.0
        limit = element_age_limit_days(e, max_age_days)
        if age > limit:
            old.append((age, limit, e))
    if not old:
        return []
    old.sort(key=lambda x: -x[0])
    named = ", ".join(f"{e.norad_id} ({e.name}, {orbit_class(e)}) {age:.1f} d > {limit:g} d" for age, limit, e in old[:listed])
    more = f" and {len(old) - listed} more" if len(old) > listed else ""
    how = "--max-element-age-days" if max_age_days is not None else "limits LEO 7 d, MEO/HEO 14 d, GEO 30 d"
    return [f"{len(old)} element set(s) used further from their epoch than their age limit ({how}): "
            f"{named}{more}; predictions drift with age: fetch newer elements "
            "(e.g. --catalog celestrak:active, read through the cache; docs/catalogs.md)"]
