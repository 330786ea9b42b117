"""The spacecraft the board shows: identity, trajectory source and radio links.

A ``Spacecraft`` is the live layer's view of a mission: what the board geometry needs (elements
or a trajectory) and the links it shows. ``load_fleet`` builds it from the bundled mission list
(``groundnet.spacecraft.load_spacecraft``); callers can build their own list directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..orbits.elements import ElementSet
from ..spacecraft import load_spacecraft


@dataclass(frozen=True)
class Link:
    """One direction of a radio link as the mission uses it."""

    band: str
    frequency_hz: float | None
    data_rate_bps: float | None  # None: not published

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
    elements: ElementSet | None = None  # Earth orbiters (kind "tle"): SGP4 elements
    trajectory: object | None = None  # a groundnet.orbits.trajectory.Trajectory (state_gcrs), any kind
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
                # the element set's epoch (Earth orbiters; null for a trajectory): the board shows its age
                "elements_epoch": self.elements.epoch_iso if self.elements is not None else None,
                **self.links_dict()}


def _link(link) -> Link | None:
    if link is None:
        return None
    # Where the mission's channel is not published, the band's allocation centre is shown (a display value).
    return Link(link.band, link.frequency_hz or link.allocation_centre_hz, link.data_rate_bps)


def load_fleet(path=None, catalog: str = "demo") -> list[Spacecraft]:
    """The demo fleet (``groundnet/data/spacecraft.toml``): Earth orbiters, Solar Orbiter, the Mars orbiters."""
    fleet = []
    for sc in load_spacecraft(path, catalog=catalog):
        elements = sc.catalog.by_id().get(sc.norad_id) if sc.kind == "tle" and sc.catalog is not None else None
        if sc.kind == "tle" and elements is None:
            continue  # not in the catalog given: nothing to place it with
        fleet.append(Spacecraft(
            id=sc.id, name=sc.name, kind=sc.kind, downlink=_link(sc.downlink), uplink=_link(sc.uplink),
            norad_id=sc.norad_id, elements=elements, trajectory=sc.trajectory(),
            approximate=sc.approximate, error_bound_km=sc.error_bound_km,
            source=sc.trajectory_source, mission=sc.id,
            extra={"naif_id": sc.naif_id, "description": sc.description, "links_source": sc.links_source},
        ))
    return fleet
