"""Tables. Times are POSIX seconds (double precision), as everywhere inside groundnet."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Double, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class StationRow(Base):
    """One antenna of the network."""

    __tablename__ = "stations"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    network: Mapped[str] = mapped_column(String(64))
    latitude_deg: Mapped[float] = mapped_column(Double)
    longitude_deg: Mapped[float] = mapped_column(Double)
    altitude_m: Mapped[float] = mapped_column(Double)
    dish_m: Mapped[float | None] = mapped_column(Double, nullable=True)
    bands: Mapped[list] = mapped_column(JSON, default=list)
    min_elevation_deg: Mapped[float] = mapped_column(Double)
    source: Mapped[str] = mapped_column(Text, default="")


class SpacecraftRow(Base):
    __tablename__ = "spacecraft"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))  # tle | spk | oem | planet ...
    norad_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    approximate: Mapped[bool] = mapped_column(Boolean, default=False)
    error_bound_km: Mapped[float | None] = mapped_column(Double, nullable=True)
    links: Mapped[dict] = mapped_column(JSON, default=dict)  # {"uplink": {...}, "downlink": {...}}
    source: Mapped[str] = mapped_column(Text, default="")


class ElementSetRow(Base):
    """Trajectory sources with history: every element set ever loaded, newest epoch wins."""

    __tablename__ = "element_sets"
    __table_args__ = (UniqueConstraint("spacecraft_id", "epoch_unix", name="uq_element_set_epoch"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    spacecraft_id: Mapped[str] = mapped_column(ForeignKey("spacecraft.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # tle | omm | spk | planet
    epoch_unix: Mapped[float] = mapped_column(Double)
    data: Mapped[dict] = mapped_column(JSON)  # the elements, or a file reference for SPK/OEM
    source: Mapped[str] = mapped_column(Text, default="")
    loaded_at: Mapped[float] = mapped_column(Double)


class PlanRow(Base):
    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[float] = mapped_column(Double)
    start_unix: Mapped[float] = mapped_column(Double)
    end_unix: Mapped[float] = mapped_column(Double)
    reason: Mapped[str] = mapped_column(String(64))  # initial | extend | replan
    detail: Mapped[dict] = mapped_column(JSON, default=dict)  # solver, metrics, impact


class RequestRow(Base):
    __tablename__ = "requests"
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"), nullable=True, index=True)
    mission: Mapped[str] = mapped_column(String(100))
    spacecraft_id: Mapped[str] = mapped_column(String(32))
    duration_s: Mapped[float] = mapped_column(Double)
    min_duration_s: Mapped[float] = mapped_column(Double)
    window_start: Mapped[float] = mapped_column(Double)
    window_end: Mapped[float] = mapped_column(Double)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class ContactRow(Base):
    __tablename__ = "contacts"
    __table_args__ = (Index("ix_contacts_time", "start_unix", "end_unix"),)
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    antenna_id: Mapped[str] = mapped_column(String(32), index=True)
    spacecraft_id: Mapped[str] = mapped_column(String(32))
    spacecraft_name: Mapped[str] = mapped_column(String(200))
    request_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    mission: Mapped[str] = mapped_column(String(100))
    setup_start: Mapped[float] = mapped_column(Double)
    start_unix: Mapped[float] = mapped_column(Double)
    end_unix: Mapped[float] = mapped_column(Double)
    teardown_end: Mapped[float] = mapped_column(Double)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)


class BlockRow(Base):
    """Maintenance and outage blocks per antenna (planned, or opened by a station's event)."""

    __tablename__ = "blocks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    antenna_id: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # maintenance | outage
    start_unix: Mapped[float] = mapped_column(Double)
    end_unix: Mapped[float | None] = mapped_column(Double, nullable=True)  # open until the end event
    reason: Mapped[str] = mapped_column(Text, default="")
    event_id: Mapped[str | None] = mapped_column(String(100), nullable=True)


class EventRow(Base):
    __tablename__ = "events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(100), unique=True)
    antenna_id: Mapped[str] = mapped_column(String(32), index=True)
    spacecraft_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    kind: Mapped[str] = mapped_column(String(32))
    time_unix: Mapped[float] = mapped_column(Double, index=True)
    received_at: Mapped[float] = mapped_column(Double)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    source: Mapped[str] = mapped_column(String(100), default="")  # the token's name


class BoardHistoryRow(Base):
    """An antenna's board state each time it changed (and once a minute while unchanged)."""

    __tablename__ = "board_history"
    __table_args__ = (Index("ix_board_history_antenna_time", "antenna_id", "time_unix"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    antenna_id: Mapped[str] = mapped_column(String(32))
    time_unix: Mapped[float] = mapped_column(Double)
    activity: Mapped[str] = mapped_column(String(16))
    reported_activity: Mapped[str | None] = mapped_column(String(16), nullable=True)
    state: Mapped[dict] = mapped_column(JSON)


class ApiTokenRow(Base):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 hex of the token
    created_at: Mapped[float] = mapped_column(Double)
    revoked_at: Mapped[float | None] = mapped_column(Double, nullable=True)


class PartnerSnapshotRow(Base):
    """A partner network's feed (NASA DSN Now) as last imported."""

    __tablename__ = "partner_snapshots"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    network: Mapped[str] = mapped_column(String(32), index=True)
    imported_at: Mapped[float] = mapped_column(Double)
    source: Mapped[str] = mapped_column(Text)
    data: Mapped[dict] = mapped_column(JSON)


class ContactRecordRow(Base):
    """What is known of a contact (operations.lifecycle): state, cause, evidence, report, history."""

    __tablename__ = "contact_records"
    contact_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    antenna_id: Mapped[str] = mapped_column(String(32), index=True)
    spacecraft_id: Mapped[str] = mapped_column(String(32), index=True)
    mission: Mapped[str] = mapped_column(String(100))
    start_unix: Mapped[float] = mapped_column(Double, index=True)  # the planned start (AOS)
    state: Mapped[str] = mapped_column(String(16))
    phase: Mapped[str | None] = mapped_column(String(16), nullable=True)
    cause: Mapped[str | None] = mapped_column(String(16), nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[list] = mapped_column(JSON, default=list)  # event ids
    report: Mapped[dict] = mapped_column(JSON, default=dict)
    history: Mapped[list] = mapped_column(JSON, default=list)  # [{state, cause, at, trigger}]
    updated_at: Mapped[float] = mapped_column(Double)


class AlertSubscriptionRow(Base):
    """A webhook subscription: what to send (filters) and where (URL, signed with the secret)."""

    __tablename__ = "alert_subscriptions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100))
    url: Mapped[str] = mapped_column(Text)
    secret: Mapped[str] = mapped_column(String(128))
    events: Mapped[list] = mapped_column(JSON, default=list)  # station event kinds
    states: Mapped[list] = mapped_column(JSON, default=list)  # contact states
    antennas: Mapped[list] = mapped_column(JSON, default=list)  # empty: every antenna
    spacecraft: Mapped[list] = mapped_column(JSON, default=list)  # empty: every spacecraft
    pass_at_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[float] = mapped_column(Double)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AlertOutboxRow(Base):
    """An alert to deliver, written in the transaction that stored its cause; one per idempotency key."""

    __tablename__ = "alert_outbox"
    __table_args__ = (Index("ix_alert_outbox_due", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("alert_subscriptions.id", ondelete="CASCADE"), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))  # event | contact_state | pass_at_risk
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[float] = mapped_column(Double)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | delivered | dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[float] = mapped_column(Double)
    delivered_at: Mapped[float | None] = mapped_column(Double, nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")


class AlertDeliveryRow(Base):
    """The delivery log: one row per attempt."""

    __tablename__ = "alert_deliveries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("alert_outbox.id", ondelete="CASCADE"), index=True)
    attempt: Mapped[int] = mapped_column(Integer)
    at: Mapped[float] = mapped_column(Double)
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str] = mapped_column(Text, default="")
    duration_s: Mapped[float] = mapped_column(Double)
