"""Request and response schemas of the REST API (the board contract in docs/board-contract.md)."""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from ..domain import EVENT_KINDS
from ..missions.spacecraft import SIGNALS
from ..missions.spacecraft import Link as _MissionLinkType
from ..missions.spacecraft import SpacecraftSummary as _SpacecraftSummaryType
from ..operations.lifecycle import CAUSES, STATES
from ..operations.performance import PerformanceRow

EventKind = Literal[EVENT_KINDS]  # type: ignore[valid-type]
ContactState = Literal[STATES]  # type: ignore[valid-type]
Cause = Literal[CAUSES]  # type: ignore[valid-type]


class ErrorItem(BaseModel):
    loc: list[str]
    msg: str
    type: str


class ErrorRead(BaseModel):
    """Every refusal: what is wrong and what to do (``errors``: each invalid field, for a 422 on the request's shape)."""

    detail: str
    errors: list[ErrorItem] | None = None


# The refusals any route may answer, declared on every route of the API.
ERROR_RESPONSES: dict[int | str, dict] = {
    401: {"model": ErrorRead, "description": "No valid API token (writes, and reads when they are not public)."},
    404: {"model": ErrorRead, "description": "Unknown id (antenna, spacecraft, scenario) or nothing imported yet."},
    413: {"model": ErrorRead, "description": "The request body (or a field of it) is larger than allowed."},
    422: {"model": ErrorRead, "description": "Bad input: the message names the parameter or field."},
    503: {"model": ErrorRead, "description": "The database is full or unavailable: nothing was applied; try again "
                                             "later (Retry-After)."},
}

TEXT = {"schema": {"type": "string"}}


def model_of(cls, name: str, doc: str, *, only: tuple[str, ...] | None = None, types: dict | None = None,
             descriptions: dict | None = None, base: type[BaseModel] = BaseModel, **extra) -> type[BaseModel]:
    """The API model of a dataclass: its fields (those in ``only``, in the dataclass's order), each
    with its type (or ``types[name]``) and the description in its ``metadata`` (or
    ``descriptions[name]``); all required.
    ``extra``: more fields, as ``create_model`` takes them. The one converter from the engine's row
    types to the API's schemas: a field is declared once, in its dataclass."""
    hints = typing.get_type_hints(cls)
    declared = {}
    for f in dataclasses.fields(cls):
        if only is not None and f.name not in only:
            continue
        kind = (types or {}).get(f.name, hints[f.name])
        text = (descriptions or {}).get(f.name, f.metadata.get("description"))
        declared[f.name] = (kind, Field(description=text))
    return create_model(name, __base__=base, __doc__=doc, __module__=__name__, **declared, **extra)


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


# The links: ``missions.Link`` as ``Link.display_dict`` shows it, with what an antenna's link carries now.
MissionLink = model_of(_MissionLinkType, "MissionLink", "One direction of a mission's radio link: band, channel "
                       "and rate (None: not published).", only=_MissionLinkType.DISPLAY_FIELDS)
Link = model_of(_MissionLinkType, "Link", "An antenna's link now: the mission's link and the signal it carries.",
                only=_MissionLinkType.DISPLAY_FIELDS, signal=(Literal[SIGNALS], ...))  # type: ignore[valid-type]


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


class LastContact(BaseModel):
    """The last contact the antenna ended, with its state (``groundnet report contacts`` gives the same)."""

    id: str
    spacecraft_id: str
    spacecraft_name: str
    start: str
    end: str
    status: ContactState | None
    cause: Cause | None


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
    contact_status: ContactState | None = Field(description="The lifecycle state of the contact in progress.")
    next_contact: NextContact | None
    last_contact: LastContact | None
    range_rate_km_s: float | None = Field(None, description="The target's range rate now (deep space: the downleg's), "
                                                            "positive while it recedes; null without a target.")
    downlink_hz: float | None = Field(None, description="The target's published downlink channel (null: only the "
                                                        "band is known, or no target).")
    downlink_received_hz: float | None = Field(None, description="The downlink as it arrives at the antenna now: "
                                                                 "Doppler-shifted, higher while the target approaches.")
    uplink_hz: float | None = Field(None, description="The target's published uplink channel.")
    uplink_transmit_hz: float | None = Field(None, description="What the antenna sends now so that the target "
                                                               "receives uplink_hz.")


class LinkNow(BaseModel):
    """A spacecraft's link at one antenna in contact with it now: the board's frequencies for that antenna."""

    antenna_id: str
    contact_id: str | None
    activity: str = Field(description="setup, tracking or teardown.")
    range_rate_km_s: float | None
    downlink_hz: float | None
    downlink_received_hz: float | None
    uplink_hz: float | None
    uplink_transmit_hz: float | None


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
    request_id: str | None
    mission: str
    status: ContactState = Field(description="The contact's lifecycle state at the clock's now, as "
                                             "`groundnet report contacts` gives it (docs/operations.md).")
    phase: Literal["aos", "carrier_lock", "telemetry_lock", "los"] | None = Field(
        description="While in progress: the last of AOS, carrier lock, telemetry lock, LOS the station reported.")
    cause: Cause | None = Field(description="Why a contact ended other than completed.")
    reason: str = Field(description="One line saying why the state is what it is.")


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


class Station(BaseModel):
    """An antenna as `groundnet stations --format json` prints it."""

    id: str
    name: str
    network: str
    latitude_deg: float
    longitude_deg: float
    altitude_m: float
    dish_m: float | None
    bands: list[str]
    roles: list[str] = Field(description="near-earth, deep-space, research (R&D), planned or retired.")
    min_elevation_deg: float
    horizon_mask: list[list[float]] = Field(description="[azimuth_deg, elevation_deg] points; empty: none.")
    frequency_ranges_hz: list[list[float]] = Field(description="[low_hz, high_hz] ranges the antenna receives; "
                                                               "empty: given by its bands.")
    source: str


SpacecraftSummary = model_of(_SpacecraftSummaryType, "SpacecraftSummary",
                             "A spacecraft as the board lists it: identity, trajectory source, links, "
                             "the element set's epoch.",
                             types={"uplink": MissionLink | None, "downlink": MissionLink | None})


class Distance(BaseModel):
    """Geometric distance and speed at the clock's now; None where the trajectory does not cover it."""

    geocentric_km: float | None
    geocentric_speed_km_s: float | None
    heliocentric_km: float | None
    heliocentric_speed_km_s: float | None
    one_way_light_time_s: float | None


def model_of_arrow(schema, name: str, doc: str, *, types: dict | None = None,
                   descriptions: dict | None = None) -> type[BaseModel]:
    """The API model of the rows of an Arrow table (its JSON form): a field per column, in order,
    typed from the column (timestamps as ISO 8601 text) or ``types[name]``; all required."""
    import pyarrow as pa

    def kind(t):
        if pa.types.is_timestamp(t) or pa.types.is_string(t):
            return str
        if pa.types.is_integer(t):
            return int
        if pa.types.is_boolean(t):
            return bool
        if pa.types.is_floating(t):
            return float
        raise TypeError(f"{name}: no JSON type for the Arrow type {t}")

    declared = {f.name: ((types or {}).get(f.name) or kind(f.type), Field(description=(descriptions or {}).get(f.name)))
                for f in schema}
    return create_model(name, __doc__=doc, __module__=__name__, **declared)


def _pass_model() -> type[BaseModel]:
    from ..visibility.arrow import public_schema

    return model_of_arrow(
        public_schema(), "Pass", "A pass as `groundnet passes --format json` prints it (the pass table's columns).",
        types={"object_id": int | str, "elements_age_days": float | None},
        descriptions={"object_id": "NORAD or NAIF number, or a text id (e.g. MEX) where the object has none.",
                      "elements_age_days": "Days from the element set's epoch to TCA; None for a trajectory "
                                           "(SPK, OEM, approximate)."})


Pass = _pass_model()


class ElementSetRead(BaseModel):
    epoch: str | None = Field(description="The element set's epoch; None for sources without one (SPK, approximate).")
    kind: str
    source: str
    loaded_at: str


class SpacecraftView(SpacecraftSummary):
    distance: Distance
    next_passes: list[Pass]
    element_sets: list[ElementSetRead]
    links_now: list[LinkNow] = Field(default_factory=list, description="Each antenna in contact with it now (setup, "
                                     "tracking, teardown), with the published and the Doppler-shifted frequencies.")


class PassPointing(BaseModel):
    """Where one antenna sees one spacecraft over a window: a pass's sky plot."""

    spacecraft_id: str
    station_id: str
    times: list[str] = Field(description="ISO 8601 UTC, evenly spaced over [start, end].")
    azimuth_deg: list[float | None] = Field(description="At each time; null where the position is unknown.")
    elevation_deg: list[float | None]
    horizon_mask: list[tuple[float, float]] = Field(description="The antenna's [azimuth_deg, elevation_deg] mask points.")
    min_elevation_deg: float
    floor_deg: list[float] = Field(description="The usable elevation (mask and minimum) every 2° of azimuth from 0°.")


class TrackPoint(BaseModel):
    time: str
    latitude_deg: float
    longitude_deg: float
    altitude_km: float


class GroundTrack(BaseModel):
    spacecraft_id: str
    points: list[TrackPoint]
    footprint_radius_deg: float | None = Field(description="Of the 0° elevation circle at the window's middle.")


class Fanout(BaseModel):
    deliveries: int
    p50_ms: float | None
    p99_ms: float | None
    max_ms: float | None


class PlanSummary(BaseModel):
    start: str
    end: str
    contacts: int
    version: int | None
    reason: str | None


class SourceStatusRead(BaseModel):
    """One data source of ``catalog.sources`` in ``GET /api/v1/status`` (``sources``): its cached copy's age."""

    name: str = Field(description="The source as configured, e.g. celestrak:active.")
    url: str | None = Field(description="Where it is fetched from.")
    fetched_at: str | None = Field(description="When the source last confirmed the cached copy (ISO 8601 UTC).")
    age_s: float | None = Field(description="Seconds since fetched_at; null when never fetched.")
    refresh_interval_s: float
    stale: bool = Field(description="Older than the refresh interval, or never fetched.")
    last_error: str | None = Field(description="The last failed refresh's one-line reason; null after a success.")


class StatusRead(BaseModel):
    clock: ClockRead
    subscribers: int = Field(description="Live clients connected to this process.")
    seq: int = Field(description="The last sequence number this process sent.")
    board_fanout: Fanout
    tick_errors: int
    plan: PlanSummary
    hub: str = Field(description="Where live messages travel between processes: memory or postgresql.")
    sources: list[SourceStatusRead] = Field(description="The data sources the service refreshes (groundnet.toml).")


# A partner network's link as its feed reports it: the link's fields, the band unknown where the feed
# gives none, the feed's own signal text and received power.
PartnerLink = model_of(_MissionLinkType, "PartnerLink", "A link as a partner network's feed reports it.",
                       only=_MissionLinkType.DISPLAY_FIELDS, types={"band": str | None},
                       descriptions={"band": "Band letter of the reported frequency (None: not reported).",
                                     "frequency_hz": "As reported (None: not reported).",
                                     "data_rate_bps": "As reported (None: not reported)."},
                       signal=(str, ...), power_dbm=(float | None, ...))


class PartnerTarget(BaseModel):
    spacecraft_id: str | None
    name: str | None
    id: str | None


class PartnerAntenna(BaseModel):
    """A partner network's antenna as its feed reports it (unknown values: None)."""

    id: str
    name: str
    network: str
    station: dict[str, str | None] | None
    latitude_deg: float | None
    longitude_deg: float | None
    dish_m: float | None
    activity: str
    reported_activity: str | None
    targets: list[PartnerTarget]
    uplink: PartnerLink | None
    downlink: PartnerLink | None
    azimuth_deg: float | None
    elevation_deg: float | None
    upleg_range_km: float | None
    downleg_range_km: float | None
    rtlt_s: float | None
    is_array: bool
    is_mspa: bool
    is_ddor: bool


class DsnFeed(BaseModel):
    time: str | None
    source: str
    antennas: list[PartnerAntenna]


class PartnerNetwork(DsnFeed):
    imported_at: str


class PartnerImported(BaseModel):
    time: str | None
    antennas: int


class LeopScenarioSummary(BaseModel):
    name: str
    title: str
    description: str


class LeopReport(BaseModel):
    """A launch analysis as `groundnet leop NAME --format json` prints it (docs/leop.md describes each field)."""

    scenario: dict[str, Any]
    launches: list[dict[str, Any]]


# ---------------------------------------------------------------- operations: reports, alerts

ContactState = Literal["scheduled", "pre-pass", "in-progress", "completed", "partial", "failed", "missed", "cancelled"]
Cause = Literal["antenna", "spacecraft", "weather", "pre-emption", "unknown"]


PerformanceRead = model_of(PerformanceRow, "PerformanceRead",
                           "One period of one mission or antenna (docs/operations.md defines each figure).",
                           types={"period_start": str, "period_end": str, "by": Literal["mission", "antenna"]})


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
    data_products: list[str] = Field([], description="What the station delivered, as kind:file name "
                                                     "(e.g. waterfall:waterfall_1.png).")
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
