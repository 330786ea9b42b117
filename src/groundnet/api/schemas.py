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


# ---------------------------------------------------------------- operations: reports, alerts

ContactState = Literal["scheduled", "pre-pass", "in-progress", "completed", "partial", "failed", "missed", "cancelled"]
Cause = Literal["antenna", "spacecraft", "weather", "pre-emption", "unknown"]


class PerformanceRead(BaseModel):
    """One period of one mission or antenna (docs/operations.md defines each figure)."""

    period_start: str
    period_end: str
    by: Literal["mission", "antenna"]
    key: str
    contacts: int
    completed: int
    partial: int
    failed: int
    missed: int
    cancelled: int
    scheduled_h: float
    delivered_h: float
    success_rate: float | None
    downtime_h: float | None = Field(description="Hours in outage or maintenance (antennas).")
    availability: float | None = Field(description="Share of the period not in outage or maintenance (antennas).")
    failures: int
    mtbf_h: float | None


class StateChange(BaseModel):
    state: ContactState
    cause: Cause | None
    at: str
    trigger: str | None


class ContactReportRead(BaseModel):
    """A contact's record and post-contact report."""

    contact_id: str
    antenna_id: str
    spacecraft_id: str
    mission: str
    state: ContactState
    phase: Literal["aos", "carrier_lock", "telemetry_lock", "los"] | None
    cause: Cause | None
    planned_aos: str
    planned_los: str
    actual_aos: str | None
    actual_los: str | None
    carrier_lock_at: str | None
    telemetry_lock_at: str | None
    in_lock_s: float
    gaps: list[str] = Field(description="Intervals out of lock between the first and the last lock, as ISO 8601 start/end.")
    pointing_error_max_deg: float | None
    pointing_error_rms_deg: float | None
    data_volume_bytes: int | None
    reason: str
    evidence: list[str] | None = None
    history: list[StateChange] | None = None


AlertEventKind = Literal[EVENT_KINDS]  # type: ignore[valid-type]


class SubscriptionCreate(BaseModel):
    """What to be told of, and where. Empty ``antennas``/``spacecraft`` mean every one."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=100)
    url: str = Field(min_length=8, max_length=2000, pattern=r"^https?://", description="The webhook (http or https).")
    secret: str | None = Field(None, min_length=16, max_length=128,
                               description="HMAC-SHA256 key of the signature header; made up when not given.")
    events: list[AlertEventKind] = Field(default_factory=list, max_length=32)
    states: list[ContactState] = Field(default_factory=list, max_length=16)
    antennas: list[str] = Field(default_factory=list, max_length=200)
    spacecraft: list[str] = Field(default_factory=list, max_length=500)
    pass_at_risk: bool = False


class SubscriptionRead(BaseModel):
    id: int
    name: str
    url: str
    events: list[str]
    states: list[str]
    antennas: list[str]
    spacecraft: list[str]
    pass_at_risk: bool
    created_at: str
    created_by: str
    active: bool
    secret: str | None = Field(None, description="Shown once, in the answer that creates the subscription.")


class DeliveryRead(BaseModel):
    """One delivery attempt of one alert."""

    alert_id: int
    subscription_id: int
    idempotency_key: str
    kind: str
    attempt: int
    at: str
    status_code: int | None
    error: str
    duration_s: float
    alert_status: Literal["pending", "delivered", "dead", "dropped"]
