"""The spacecraft the board shows: identity, trajectory source and radio links.

A ``Spacecraft`` is the live layer's view of a mission. ``load_fleet`` builds the demo fleet from
the bundled mission list (``groundnet.data/spacecraft.toml``) and element sets; callers (tests,
other networks) can build their own list directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..orbits.elements import ElementSet


@dataclass(frozen=True)
class Link:
    """One direction of a radio link as the mission uses it."""

    band: str
    frequency_hz: float
    data_rate_bps: float

    def as_dict(self) -> dict:
        return {"band": self.band, "frequency_hz": self.frequency_hz, "data_rate_bps": self.data_rate_bps}


@dataclass(frozen=True)
class Spacecraft:
    id: str
    name: str
    kind: str  # tle | spk | planet ...
    downlink: Link | None = None
    uplink: Link | None = None
    ranging: bool = False
    norad_id: int | None = None
    elements: ElementSet | None = None  # kind "tle"
    trajectory: object | None = None  # kind "spk"/"oem"/"planet": anything with position_gcrs_km(t)
    approximate: bool = False
    error_bound_km: float | None = None
    source: str = ""
    mission: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def is_earth_orbiter(self) -> bool:
        return self.elements is not None

    def links_dict(self) -> dict:
        return {"uplink": self.uplink and self.uplink.as_dict(), "downlink": self.downlink and self.downlink.as_dict(),
                "ranging": self.ranging}

    def trajectory_record(self) -> tuple[float, dict]:
        """(epoch, data) of the trajectory source, as the store's element-set history keeps it."""
        if self.elements is not None:
            e = self.elements
            return e.epoch_unix, {
                "norad_id": e.norad_id, "name": e.name, "epoch": e.epoch_iso, "mean_motion_rev_day": e.mean_motion_rev_day,
                "eccentricity": e.eccentricity, "inclination_deg": e.inclination_deg, "raan_deg": e.raan_deg,
                "arg_perigee_deg": e.arg_perigee_deg, "mean_anomaly_deg": e.mean_anomaly_deg, "bstar": e.bstar,
                "mean_motion_dot": e.mean_motion_dot, "mean_motion_ddot": e.mean_motion_ddot,
                "international_designator": e.international_designator, "source": e.source, "line": e.line,
            }
        return 0.0, {"kind": self.kind, "source": self.source}

    def summary(self) -> dict:
        return {"id": self.id, "name": self.name, "kind": self.kind, "norad_id": self.norad_id, "source": self.source,
                "approximate": self.approximate, "error_bound_km": self.error_bound_km, "mission": self.mission or self.id,
                **self.links_dict()}
