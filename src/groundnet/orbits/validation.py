"""Checks every element set must pass, whichever format it came from (TLE or OMM)."""

from __future__ import annotations

import math

from .elements import ElementSet

# Plausible mean motions: a body on the verge of re-entry makes about 17 rev/day; nothing in a
# real catalog comes near 20. The lower bound only excludes zero and negative values.
MAX_MEAN_MOTION_REV_DAY = 20.0
# 1957-10-04 (Sputnik 1) .. 2100-01-01: an epoch outside this is a damaged record.
EARLIEST_EPOCH_UNIX = -386_380_800.0
LATEST_EPOCH_UNIX = 4_102_444_800.0


class RecordProblem(Exception):
    """Why one record cannot be used; becomes a :class:`~groundnet.orbits.catalog.Rejection`."""

    def __init__(self, reason: str, *, line: int | None = None, object_id: int | None = None, code: str = "invalid"):
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.object_id = object_id
        self.code = code


def check_elements(e: ElementSet, line_of: dict[str, int] | None = None) -> None:
    """Raise :class:`RecordProblem` for the first value out of range (angles, eccentricity, mean motion, epoch)."""
    line_of = line_of or {}
    el_line = line_of.get("elements", e.line)
    ep_line = line_of.get("epoch", e.line)

    def bad(reason: str, line: int) -> RecordProblem:
        return RecordProblem(reason, line=line, object_id=e.norad_id, code="out_of_range")

    values = {
        "mean motion": e.mean_motion_rev_day, "eccentricity": e.eccentricity, "inclination": e.inclination_deg,
        "RAAN": e.raan_deg, "argument of perigee": e.arg_perigee_deg, "mean anomaly": e.mean_anomaly_deg,
        "B*": e.bstar, "first derivative of mean motion": e.mean_motion_dot,
        "second derivative of mean motion": e.mean_motion_ddot, "epoch": e.epoch_unix,
    }
    for what, value in values.items():
        if not math.isfinite(value):
            raise bad(f"{what} is {value}", el_line)
    if e.norad_id < 0:
        raise bad(f"catalog number {e.norad_id} is negative", ep_line)
    if not 0.0 <= e.eccentricity < 1.0:
        raise bad(f"eccentricity {e.eccentricity} is outside [0, 1)", el_line)
    if not 0.0 < e.mean_motion_rev_day <= MAX_MEAN_MOTION_REV_DAY:
        raise bad(f"mean motion {e.mean_motion_rev_day} rev/day is outside (0, {MAX_MEAN_MOTION_REV_DAY:g}]", el_line)
    if not 0.0 <= e.inclination_deg <= 180.0:
        raise bad(f"inclination {e.inclination_deg}° is outside [0°, 180°]", el_line)
    for what, value in (("RAAN", e.raan_deg), ("argument of perigee", e.arg_perigee_deg),
                        ("mean anomaly", e.mean_anomaly_deg)):
        if not 0.0 <= value <= 360.0:
            raise bad(f"{what} {value}° is outside [0°, 360°]", el_line)
    if not EARLIEST_EPOCH_UNIX <= e.epoch_unix < LATEST_EPOCH_UNIX:
        raise bad(f"epoch {e.epoch_unix} s is outside 1957-10-04 .. 2100-01-01", ep_line)
