"""Request and response schemas of the REST API (the board contract in docs/board-contract.md)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..live.model import EVENT_KINDS

EventKind = Literal[EVENT_KINDS]  # type: ignore[valid-type]


class EventCreate(BaseModel):
    """A station's report. ``event_id`` is the station's own unique id: sending it again changes nothing."""

    model_config = ConfigDict(extra="forbid")
    event_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._:@/+-]+$")
    antenna_id: str = Field(min_length=1, max_length=32)
    kind: EventKind
    time: str = Field(description="ISO 8601 UTC, e.g. 2026-11-21T08:00:00.000Z", max_length=40)
    spacecraft_id: str | None = Field(None, max_length=32)
    detail: dict[str, Any] = Field(default_factory=dict, description="Free-form facts (kept as sent, at most 4 KiB).")


class EventRead(BaseModel):
    id: int
    event_id: str
    antenna_id: str
    spacecraft_id: str | None
    kind: str
    time: str
    received_at: str
    detail: dict[str, Any]


class ClockRead(BaseModel):
    time: str
    mode: Literal["live", "replay"]
    speed: float
    paused: bool


class ClockUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    time: str | None = Field(None, description="Jump to this moment (ISO 8601 UTC).")
    speed: float | None = Field(None, gt=0, le=100000)
    paused: bool | None = None
    live: bool = Field(False, description="Back to real time at speed 1.")


class Link(BaseModel):
    band: str
    frequency_hz: float | None = Field(description="The mission's channel, else the band's allocation centre.")
    data_rate_bps: float | None = Field(description="None where the mission's rate is not published.")
    signal: Literal["carrier", "data", "ranging", "none"]


class Target(BaseModel):
    spacecraft_id: str
    name: str


class NextContact(BaseModel):
    id: str
    spacecraft_id: str
    spacecraft_name: str
    setup_start: str
    start: str
    end: str


class AntennaState(BaseModel):
    id: str
    name: str
    network: str
    latitude_deg: float
    longitude_deg: float
    dish_m: float | None
    bands: list[str]
    activity: Literal["idle", "setup", "tracking", "teardown", "maintenance", "outage"]
    reported_activity: str | None
    targets: list[Target]
    uplink: Link | None
    downlink: Link | None
    azimuth_deg: float | None
    elevation_deg: float | None
    upleg_range_km: float | None
    downleg_range_km: float | None
    rtlt_s: float | None
    contact_id: str | None
    next_contact: NextContact | None


class SpacecraftState(BaseModel):
    id: str
    name: str
    kind: str
    latitude_deg: float | None
    longitude_deg: float | None
    altitude_km: float | None
    geocentric_km: float | None
    in_view_of: list[str]


class Board(BaseModel):
    time: str
    mode: Literal["live", "replay"]
    speed: float
    generated_at: str
    antennas: list[AntennaState]
    spacecraft: list[SpacecraftState]
    plan: dict[str, Any] = Field(default_factory=dict, description="The plan version in force, with a re-plan's impact.")


class Contact(BaseModel):
    id: str
    antenna_id: str
    spacecraft_id: str
    spacecraft_name: str
    setup_start: str
    start: str
    end: str
    teardown_end: str
    status: Literal["scheduled", "pre-pass", "pass", "post-pass", "completed", "failed", "cancelled"]
    request_id: str | None
    mission: str


class PlanBlock(BaseModel):
    antenna_id: str
    kind: Literal["maintenance", "outage"]
    start: str
    end: str | None
    reason: str


class PlanRead(BaseModel):
    start: str
    end: str
    contacts: list[Contact]
    blocks: list[PlanBlock]


class HistoryEntry(BaseModel):
    time: str
    activity: str
    reported_activity: str | None
    state: dict[str, Any]


class SourceStatusRead(BaseModel):
    """One data source of ``catalog.sources`` in ``GET /api/v1/status`` (``sources``): its cached copy's age."""

    name: str = Field(description="The source as configured, e.g. celestrak:active.")
    url: str | None = Field(description="Where it is fetched from.")
    fetched_at: str | None = Field(description="When the source last confirmed the cached copy (ISO 8601 UTC).")
    age_s: float | None = Field(description="Seconds since fetched_at; null when never fetched.")
    refresh_interval_s: float
    stale: bool = Field(description="Older than the refresh interval, or never fetched.")
    last_error: str | None = Field(description="The last failed refresh's one-line reason; null after a success.")
