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


def spacecraft_id_of(name: str) -> str:
    """A short id from a catalog name: ``GSAT0101 (GALILEO-PFM)`` → ``GSAT0101``, ``SWARM A`` → ``SWARM-A``."""
    base = name.split("(")[0].strip() or name.strip()
    return "-".join(base.upper().split())


def load_fleet(catalog: str = "demo") -> list[Spacecraft]:
    """The demo fleet: every Earth orbiter of the catalog (``demo``: the bundled ESA-supported missions)."""
    from ..orbits.catalog import load_catalog

    fleet = []
    for e in load_catalog(catalog).elements:
        fleet.append(Spacecraft(id=spacecraft_id_of(e.name), name=e.name.strip(), kind="tle", norad_id=e.norad_id,
                                elements=e, source=f"{e.source}:{e.line}" if e.source else "", mission=spacecraft_id_of(e.name)))
    return fleet
