"""The network's records: contacts, antenna blocks, the board's plan, station events.

These are what the live service, the board, the simulator and the store exchange; they sit below
all of them (the store keeps them, the live layer computes with them, neither imports the other's types). The schedule engine's own plan
types (``schedule.model.Plan``, ``Block``) are converted to these at one seam
(``groundnet.live.planning``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .timebase import format_utc, parse_utc

EVENT_KINDS = (
    "aos", "los", "carrier_lock", "carrier_unlock", "telemetry_lock", "command_sent",
    "outage_start", "outage_end", "maintenance_start", "maintenance_end", "prepass_ok", "prepass_failed",
    "data_received",  # a station delivered recorded data (a SatNOGS client's audio, waterfall or frames)
)


@dataclass(frozen=True)
class Contact:
    """Scheduled antenna time on one spacecraft: [setup_start, start, end, teardown_end]."""

    id: str
    antenna_id: str
    spacecraft_id: str
    spacecraft_name: str
    setup_start: float
    start: float
    end: float
    teardown_end: float
    mission: str = ""
    request_id: str | None = None
    cancelled: bool = False

    def phase(self, t: float) -> str | None:
        """The antenna activity this contact asks for at ``t``, or None outside it."""
        if self.cancelled or not self.setup_start <= t < self.teardown_end:
            return None
        if t < self.start:
            return "setup"
        if t < self.end:
            return "tracking"
        return "teardown"

    def as_dict(self) -> dict:
        """The planned contact; its state is its lifecycle record's (``operations.lifecycle``)."""
        return {
            "id": self.id,
            "antenna_id": self.antenna_id,
            "spacecraft_id": self.spacecraft_id,
            "spacecraft_name": self.spacecraft_name,
            "setup_start": format_utc(self.setup_start),
            "start": format_utc(self.start),
            "end": format_utc(self.end),
            "teardown_end": format_utc(self.teardown_end),
            "request_id": self.request_id,
            "mission": self.mission,
        }


# Not schedule.model.Block (a closed interval a planner works around): opened and closed by station events.
@dataclass(frozen=True)
class BoardBlock:
    """Antenna time taken by maintenance or an outage; ``end=None`` while still open."""

    antenna_id: str
    kind: str  # maintenance | outage
    start: float
    end: float | None
    reason: str = ""
    event_id: str | None = None

    def covers(self, t: float) -> bool:
        return self.start <= t and (self.end is None or t < self.end)

    def as_dict(self) -> dict:
        return {
            "antenna_id": self.antenna_id,
            "kind": self.kind,
            "start": format_utc(self.start),
            "end": None if self.end is None else format_utc(self.end),
            "reason": self.reason,
        }


# Not schedule.model.Plan (one planner run's tracks): the stored contacts, re-plans included, and blocks of a window.
@dataclass
class BoardPlan:
    """The contacts and blocks the board follows, over [start, end)."""

    start: float
    end: float
    contacts: list[Contact] = field(default_factory=list)
    blocks: list[BoardBlock] = field(default_factory=list)
    detail: dict = field(default_factory=dict)

    def active_contacts(self, t: float) -> list[Contact]:
        return [c for c in self.contacts if c.phase(t) is not None]

    def between(self, start: float, end: float) -> "BoardPlan":
        return BoardPlan(
            start, end,
            [c for c in self.contacts if c.teardown_end > start and c.setup_start < end],
            [b for b in self.blocks if (b.end is None or b.end > start) and b.start < end],
            self.detail,
        )


@dataclass(frozen=True)
class StationEvent:
    event_id: str
    antenna_id: str
    kind: str
    time: float
    spacecraft_id: str | None = None
    detail: dict = field(default_factory=dict)
    received_at: float = 0.0
    id: int | None = None  # the store's sequence number once stored

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "event_id": self.event_id,
            "antenna_id": self.antenna_id,
            "spacecraft_id": self.spacecraft_id,
            "kind": self.kind,
            "time": format_utc(self.time),
            "received_at": format_utc(self.received_at),
            "detail": self.detail,
        }

    @classmethod
    def from_dict(cls, d: dict) -> "StationEvent":
        """The event ``as_dict`` gave (times to the millisecond)."""
        return cls(event_id=d["event_id"], antenna_id=d["antenna_id"], kind=d["kind"],
                   time=parse_utc(d["time"]).timestamp(), spacecraft_id=d.get("spacecraft_id"),
                   detail=d.get("detail") or {}, received_at=parse_utc(d["received_at"]).timestamp(), id=d.get("id"))

