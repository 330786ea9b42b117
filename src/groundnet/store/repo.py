"""Repository functions: every query the service and the API make. Route functions call these."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..domain import BoardBlock, BoardPlan, Contact, StationEvent
from ..operations.lifecycle import ContactRecord, ContactReport, Revision, revise
from .models import (
    AlertDeliveryRow, AlertOutboxRow, AlertSubscriptionRow, ApiTokenRow, BlockRow, BoardHistoryRow, ContactRecordRow,
    ContactRow, ElementSetRow, EventRow, PartnerSnapshotRow, PlanRow, RequestRow, SpacecraftRow, StationRow,
)

# ---------------------------------------------------------------- stations and spacecraft


def upsert_stations(s: Session, antennas) -> None:
    for a in antennas:
        s.merge(StationRow(
            id=a.id, name=a.name, network=a.network, latitude_deg=a.latitude_deg, longitude_deg=a.longitude_deg,
            altitude_m=a.altitude_m, dish_m=a.dish_m, bands=list(a.bands), min_elevation_deg=a.min_elevation_deg,
            source=a.source,
        ))


def upsert_spacecraft(s: Session, fleet, loaded_at: float) -> None:
    """Store the fleet and each trajectory source; a new element-set epoch adds to the history."""
    for sc in fleet:
        s.merge(SpacecraftRow(
            id=sc.id, name=sc.name, kind=sc.kind, norad_id=sc.norad_id, approximate=sc.approximate,
            error_bound_km=sc.error_bound_km, links=sc.links_dict(), source=sc.source,
        ))
        s.flush()
        epoch, data = sc.trajectory_record()
        exists = s.scalar(select(ElementSetRow.id).where(
            ElementSetRow.spacecraft_id == sc.id, ElementSetRow.epoch_unix == epoch))
        if exists is None:
            s.add(ElementSetRow(spacecraft_id=sc.id, kind=sc.kind, epoch_unix=epoch, data=data,
                                source=sc.source, loaded_at=loaded_at))


def element_set_history(s: Session, spacecraft_id: str) -> list[ElementSetRow]:
    return list(s.scalars(select(ElementSetRow).where(ElementSetRow.spacecraft_id == spacecraft_id)
                          .order_by(ElementSetRow.epoch_unix)))


# ---------------------------------------------------------------- plans


def save_plan(s: Session, plan: BoardPlan, *, created_at: float, reason: str, requests=()) -> int:
    """Store a plan version: its contacts replace the unfinished contacts they overlap in time."""
    row = PlanRow(created_at=created_at, start_unix=plan.start, end_unix=plan.end, reason=reason, detail=plan.detail)
    s.add(row)
    s.flush()
    for r in requests:
        s.merge(RequestRow(plan_id=row.id, **r))
    ids = [c.id for c in plan.contacts]
    if ids:
        s.execute(delete(ContactRow).where(ContactRow.id.in_(ids)))
    for c in plan.contacts:
        s.add(ContactRow(
            id=c.id, plan_id=row.id, antenna_id=c.antenna_id, spacecraft_id=c.spacecraft_id,
            spacecraft_name=c.spacecraft_name, request_id=c.request_id, mission=c.mission,
            setup_start=c.setup_start, start_unix=c.start, end_unix=c.end, teardown_end=c.teardown_end,
            cancelled=c.cancelled,
        ))
    return row.id


def load_plan(s: Session, start: float, end: float) -> BoardPlan:
    contacts = [
        Contact(id=r.id, antenna_id=r.antenna_id, spacecraft_id=r.spacecraft_id, spacecraft_name=r.spacecraft_name,
                setup_start=r.setup_start, start=r.start_unix, end=r.end_unix, teardown_end=r.teardown_end,
                mission=r.mission, request_id=r.request_id, cancelled=r.cancelled)
        for r in s.scalars(select(ContactRow).where(ContactRow.teardown_end > start, ContactRow.setup_start < end)
                           .order_by(ContactRow.setup_start, ContactRow.antenna_id))
    ]
    blocks = [
        BoardBlock(antenna_id=r.antenna_id, kind=r.kind, start=r.start_unix, end=r.end_unix, reason=r.reason,
                   event_id=r.event_id)
        for r in s.scalars(select(BlockRow).where(BlockRow.start_unix < end,
                                                  (BlockRow.end_unix.is_(None)) | (BlockRow.end_unix > start))
                           .order_by(BlockRow.start_unix))
    ]
    return BoardPlan(start, end, contacts, blocks)


def planned_ids(s: Session) -> tuple[set[str], set[str]]:
    """The antennas and the spacecraft that have contacts in the stored plans."""
    antennas = set(s.scalars(select(ContactRow.antenna_id).distinct()))
    return antennas, set(s.scalars(select(ContactRow.spacecraft_id).distinct()))


# Plans stored from outside the planner (a SatNOGS jobs file): their contacts count, their span is not planned.
EXTERNAL_PLAN_REASONS = ("satnogs-jobs",)


def plan_extent(s: Session) -> tuple[float, float] | None:
    """The span the planner has planned (plans stored from outside it left out)."""
    lo, hi = s.execute(select(func.min(PlanRow.start_unix), func.max(PlanRow.end_unix))
                       .where(PlanRow.reason.not_in(EXTERNAL_PLAN_REASONS))).one()
    return None if lo is None else (lo, hi)


def latest_plan_detail(s: Session) -> dict:
    row = s.scalars(select(PlanRow).order_by(PlanRow.id.desc()).limit(1)).first()
    return {} if row is None else {"id": row.id, "reason": row.reason, "created_at": row.created_at, **row.detail}


def open_block(s: Session, block: BoardBlock) -> None:
    s.add(BlockRow(antenna_id=block.antenna_id, kind=block.kind, start_unix=block.start, end_unix=block.end,
                   reason=block.reason, event_id=block.event_id))


def apply_block_event(s: Session, ev: StationEvent) -> None:
    """Open or close the antenna's outage or maintenance block that a station event starts or ends."""
    kind, _, edge = ev.kind.rpartition("_")
    if kind not in ("outage", "maintenance"):
        return
    if edge == "start":
        end = ev.detail.get("expected_end_unix")
        open_block(s, BoardBlock(ev.antenna_id, kind, ev.time, end, ev.detail.get("reason", ""), ev.event_id))
    else:
        close_block(s, ev.antenna_id, kind, ev.time)


def close_block(s: Session, antenna_id: str, kind: str, end: float) -> bool:
    """Close the antenna's open block of this kind; False when none was open."""
    n = s.execute(update(BlockRow).where(BlockRow.antenna_id == antenna_id, BlockRow.kind == kind,
                                         BlockRow.end_unix.is_(None), BlockRow.start_unix <= end)
                  .values(end_unix=end)).rowcount
    return bool(n)


# ---------------------------------------------------------------- events


def _event(r: EventRow) -> StationEvent:
    return StationEvent(event_id=r.event_id, antenna_id=r.antenna_id, kind=r.kind, time=r.time_unix,
                        spacecraft_id=r.spacecraft_id, detail=r.detail or {}, received_at=r.received_at, id=r.id)


def insert_event(s: Session, ev: StationEvent, source: str) -> tuple[StationEvent, bool]:
    """Store an event once. Returns (the stored event, True if it is new); a repeat returns the first."""
    existing = s.scalars(select(EventRow).where(EventRow.event_id == ev.event_id)).first()
    if existing is not None:
        return _event(existing), False
    row = EventRow(event_id=ev.event_id, antenna_id=ev.antenna_id, spacecraft_id=ev.spacecraft_id, kind=ev.kind,
                   time_unix=ev.time, received_at=ev.received_at, detail=ev.detail, source=source)
    try:
        with s.begin_nested():
            s.add(row)
            s.flush()
    except IntegrityError:  # the same event id arrived twice at once: the other one won
        return _event(s.scalars(select(EventRow).where(EventRow.event_id == ev.event_id)).one()), False
    return _event(row), True


def list_events(s: Session, since_id: int = 0, limit: int = 100, until: float | None = None) -> list[StationEvent]:
    q = select(EventRow).where(EventRow.id > since_id)
    if until is not None:
        q = q.where(EventRow.time_unix <= until)
    return [_event(r) for r in s.scalars(q.order_by(EventRow.id).limit(limit))]


def latest_events(s: Session, limit: int) -> list[StationEvent]:
    rows = list(s.scalars(select(EventRow).order_by(EventRow.id.desc()).limit(limit)))
    return [_event(r) for r in reversed(rows)]


def events_between(s: Session, start: float, end: float) -> list[StationEvent]:
    return [_event(r) for r in s.scalars(select(EventRow).where(EventRow.time_unix >= start, EventRow.time_unix <= end)
                                         .order_by(EventRow.time_unix, EventRow.id))]


# ---------------------------------------------------------------- board history


def add_history(s: Session, rows: list[dict]) -> None:
    s.add_all(BoardHistoryRow(**r) for r in rows)


def history(s: Session, antenna_id: str, start: float, end: float, limit: int = 5000) -> list[BoardHistoryRow]:
    return list(s.scalars(select(BoardHistoryRow).where(
        BoardHistoryRow.antenna_id == antenna_id, BoardHistoryRow.time_unix >= start, BoardHistoryRow.time_unix <= end)
        .order_by(BoardHistoryRow.time_unix).limit(limit)))


def last_history(s: Session) -> dict[str, BoardHistoryRow]:
    """The newest snapshot of each antenna (to restore the board after a restart)."""
    newest = select(BoardHistoryRow.antenna_id, func.max(BoardHistoryRow.id).label("id")).group_by(
        BoardHistoryRow.antenna_id).subquery()
    rows = s.scalars(select(BoardHistoryRow).join(newest, BoardHistoryRow.id == newest.c.id))
    return {r.antenna_id: r for r in rows}


# ---------------------------------------------------------------- contact records


def _record(r: ContactRecordRow) -> ContactRecord:
    rep = dict(r.report)
    rep["gaps"] = tuple(tuple(g) for g in rep.get("gaps", ()))
    rep["data_products"] = tuple(rep.get("data_products", ()))
    return ContactRecord(contact_id=r.contact_id, antenna_id=r.antenna_id, spacecraft_id=r.spacecraft_id,
                         mission=r.mission, state=r.state, report=ContactReport(**rep), phase=r.phase, cause=r.cause,
                         evidence=tuple(r.evidence or ()), reason=r.reason)


def _history(r: ContactRecordRow) -> list[Revision]:
    return [Revision(h["state"], h.get("cause"), h["at"], h.get("trigger")) for h in r.history or ()]


def _upsert(s: Session, model, key: str):
    """An INSERT that updates the row already holding ``key`` (``ON CONFLICT (key) DO UPDATE``, SQLite and
    PostgreSQL): two writers that both found no row store one, the later one's values."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = s.get_bind().dialect.name
    insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[dialect]
    stmt = insert(model)
    return stmt.on_conflict_do_update(index_elements=[key], set_={
        c.name: stmt.excluded[c.name] for c in model.__table__.columns if c.name != key})


def save_records(s: Session, records: list[ContactRecord], at: float,
                 trigger: str | None = None) -> list[tuple[ContactRecord, str | None]]:
    """Store the records; each change of state or cause is added to the contact's history.

    Returns the records whose state or cause changed, each with the state it had before (None: new).
    Another process (or thread) may store the same new contact between this one's read and write: the write
    then updates that record instead of failing on its key.
    """
    if not records:
        return []
    ids = [r.contact_id for r in records]
    rows = {r.contact_id: r for chunk in range(0, len(ids), 500)
            for r in s.scalars(select(ContactRecordRow).where(ContactRecordRow.contact_id.in_(ids[chunk:chunk + 500])))}
    changed = []
    values = []
    for rec in records:
        row = rows.get(rec.contact_id)
        before = _history(row) if row is not None else []
        history = revise(before, rec, at, trigger)
        if history is not before:
            changed.append((rec, before[-1].state if before else None))
        values.append(dict(contact_id=rec.contact_id, antenna_id=rec.antenna_id, spacecraft_id=rec.spacecraft_id,
                           mission=rec.mission, start_unix=rec.report.planned_aos, state=rec.state, phase=rec.phase,
                           cause=rec.cause, reason=rec.reason, evidence=list(rec.evidence),
                           report={**vars(rec.report), "gaps": [list(g) for g in rec.report.gaps]},
                           history=[h.as_dict() for h in history], updated_at=at))
    s.execute(_upsert(s, ContactRecordRow, "contact_id"), values)
    for row in rows.values():
        s.expire(row)  # the session's copies are the old values
    return changed


def contact_record(s: Session, contact_id: str) -> tuple[ContactRecord, list[Revision]] | None:
    row = s.get(ContactRecordRow, contact_id)
    return None if row is None else (_record(row), _history(row))


def contact_records(s: Session, start: float, end: float, *, antenna_id: str | None = None,
                    spacecraft_id: str | None = None, state: str | None = None,
                    limit: int | None = None) -> list[tuple[ContactRecord, list[Revision]]]:
    """Records of the contacts whose planned start lies in [start, end), in start order."""
    q = select(ContactRecordRow).where(ContactRecordRow.start_unix >= start, ContactRecordRow.start_unix < end)
    if antenna_id is not None:
        q = q.where(ContactRecordRow.antenna_id == antenna_id)
    if spacecraft_id is not None:
        q = q.where(ContactRecordRow.spacecraft_id == spacecraft_id)
    if state is not None:
        q = q.where(ContactRecordRow.state == state)
    q = q.order_by(ContactRecordRow.start_unix, ContactRecordRow.antenna_id)
    if limit is not None:
        q = q.limit(limit)
    return [(_record(r), _history(r)) for r in s.scalars(q)]


def contact_ids_from(s: Session, prefix: str, ending_after: float) -> list[str]:
    """Ids of the contacts not cancelled whose id starts with ``prefix`` and which end after ``ending_after``."""
    return list(s.scalars(select(ContactRow.id).where(ContactRow.id.startswith(prefix, autoescape=True),
                                                      ContactRow.end_unix > ending_after,
                                                      ContactRow.cancelled.is_(False))))


def cancel_contacts(s: Session, ids: list[str]) -> int:
    """Mark contacts cancelled (an operator's pre-emption, or a planned maintenance)."""
    if not ids:
        return 0
    return s.execute(update(ContactRow).where(ContactRow.id.in_(ids)).values(cancelled=True)).rowcount


# ---------------------------------------------------------------- alerts


def create_subscription(s: Session, *, name: str, url: str, secret: str, events=(), states=(), antennas=(),
                        spacecraft=(), pass_at_risk: bool = False, created_at: float,
                        created_by: str = "") -> AlertSubscriptionRow:
    row = AlertSubscriptionRow(name=name, url=url, secret=secret, events=list(events), states=list(states),
                               antennas=list(antennas), spacecraft=list(spacecraft), pass_at_risk=pass_at_risk,
                               created_at=created_at, created_by=created_by, active=True)
    s.add(row)
    s.flush()
    return row


def subscriptions(s: Session, active_only: bool = True) -> list[AlertSubscriptionRow]:
    q = select(AlertSubscriptionRow)
    if active_only:
        q = q.where(AlertSubscriptionRow.active.is_(True))
    return list(s.scalars(q.order_by(AlertSubscriptionRow.id)))


def delete_subscription(s: Session, subscription_id: int) -> bool:
    """Stop a subscription (its pending alerts are not sent; its delivery log stays)."""
    n = s.execute(update(AlertSubscriptionRow).where(AlertSubscriptionRow.id == subscription_id,
                                                     AlertSubscriptionRow.active.is_(True))
                  .values(active=False)).rowcount
    s.execute(update(AlertOutboxRow).where(AlertOutboxRow.subscription_id == subscription_id,
                                           AlertOutboxRow.status == "pending").values(status="dropped"))
    return bool(n)


def enqueue_alert(s: Session, subscription_id: int, key: str, kind: str, payload: dict, now: float) -> bool:
    """Put an alert in the outbox once per idempotency key; False when the key is already there."""
    if s.scalar(select(AlertOutboxRow.id).where(AlertOutboxRow.idempotency_key == key)) is not None:
        return False
    try:
        with s.begin_nested():
            s.add(AlertOutboxRow(subscription_id=subscription_id, idempotency_key=key, kind=kind, payload=payload,
                                 created_at=now, status="pending", attempts=0, next_attempt_at=now, last_error=""))
            s.flush()
    except IntegrityError:
        return False
    return True


def claim_due_alerts(s: Session, now: float, lease_s: float,
                     limit: int = 50) -> list[tuple[AlertOutboxRow, AlertSubscriptionRow]]:
    """The due pending alerts this caller may attempt: each is leased (its next attempt moved ``lease_s``
    ahead) by a conditional update, so that two processes on one database never attempt one alert at once."""
    q = (select(AlertOutboxRow, AlertSubscriptionRow)
         .join(AlertSubscriptionRow, AlertOutboxRow.subscription_id == AlertSubscriptionRow.id)
         .where(AlertOutboxRow.status == "pending", AlertOutboxRow.next_attempt_at <= now)
         .order_by(AlertOutboxRow.next_attempt_at, AlertOutboxRow.id).limit(limit))
    claimed = []
    for o, sub in list(s.execute(q)):
        won = s.execute(update(AlertOutboxRow).where(AlertOutboxRow.id == o.id, AlertOutboxRow.status == "pending",
                                                     AlertOutboxRow.next_attempt_at == o.next_attempt_at)
                        .values(next_attempt_at=now + lease_s).execution_options(synchronize_session=False)).rowcount
        if won:
            claimed.append((o, sub))
    return claimed


def record_attempt(s: Session, outbox_id: int, *, at: float, status_code: int | None, error: str, duration_s: float,
                   delivered: bool, next_attempt_at: float | None) -> None:
    """Log one delivery attempt; the alert is delivered, retried at ``next_attempt_at``, or dead (None)."""
    row = s.get(AlertOutboxRow, outbox_id)
    row.attempts += 1
    s.add(AlertDeliveryRow(outbox_id=outbox_id, attempt=row.attempts, at=at, status_code=status_code, error=error,
                           duration_s=duration_s))
    if delivered:
        row.status, row.delivered_at, row.last_error = "delivered", at, ""
    elif next_attempt_at is None:
        row.status, row.last_error = "dead", error
    else:
        row.next_attempt_at, row.last_error = next_attempt_at, error


def outbox(s: Session, subscription_id: int | None = None, limit: int = 100) -> list[AlertOutboxRow]:
    q = select(AlertOutboxRow)
    if subscription_id is not None:
        q = q.where(AlertOutboxRow.subscription_id == subscription_id)
    return list(s.scalars(q.order_by(AlertOutboxRow.id.desc()).limit(limit)))


def deliveries(s: Session, subscription_id: int | None = None, limit: int = 100) -> list[tuple[AlertDeliveryRow, AlertOutboxRow]]:
    q = select(AlertDeliveryRow, AlertOutboxRow).join(AlertOutboxRow, AlertDeliveryRow.outbox_id == AlertOutboxRow.id)
    if subscription_id is not None:
        q = q.where(AlertOutboxRow.subscription_id == subscription_id)
    return [(d, o) for d, o in s.execute(q.order_by(AlertDeliveryRow.id.desc()).limit(limit))]


# ---------------------------------------------------------------- tokens


def hash_token(token: str) -> str:
    # Tokens are 256 random bits, so a fast hash cannot be brute-forced; no salt or KDF needed.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(s: Session, name: str, created_at: float) -> str:
    """A new token for ``name`` (replacing any earlier one of that name); only its hash is stored."""
    token = "gn_" + secrets.token_urlsafe(32)
    s.execute(delete(ApiTokenRow).where(ApiTokenRow.name == name))
    s.add(ApiTokenRow(name=name, token_hash=hash_token(token), created_at=created_at))
    return token


def token_name(s: Session, token: str) -> str | None:
    row = s.scalars(select(ApiTokenRow).where(ApiTokenRow.token_hash == hash_token(token),
                                              ApiTokenRow.revoked_at.is_(None))).first()
    return None if row is None else row.name


def list_tokens(s: Session) -> list[ApiTokenRow]:
    return list(s.scalars(select(ApiTokenRow).order_by(ApiTokenRow.name)))


def revoke_token(s: Session, name: str, at: float) -> bool:
    return bool(s.execute(update(ApiTokenRow).where(ApiTokenRow.name == name, ApiTokenRow.revoked_at.is_(None))
                          .values(revoked_at=at)).rowcount)


# ---------------------------------------------------------------- partner networks


def save_partner(s: Session, network: str, source: str, data: dict, imported_at: float) -> None:
    s.add(PartnerSnapshotRow(network=network, source=source, data=data, imported_at=imported_at))


def latest_partner(s: Session, network: str) -> PartnerSnapshotRow | None:
    return s.scalars(select(PartnerSnapshotRow).where(PartnerSnapshotRow.network == network)
                     .order_by(PartnerSnapshotRow.id.desc()).limit(1)).first()
