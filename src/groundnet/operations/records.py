"""Keeping contact records in the store: decided again when an event arrives or the clock moves on."""

from __future__ import annotations

from collections import defaultdict

from ..domain import Contact, StationEvent
from ..store import Store, repo
from .lifecycle import LATE_S, ContactRecord, decide


def decide_all(contacts: list[Contact], events: list[StationEvent], blocks, now: float) -> list[ContactRecord]:
    """Every contact's record at ``now``, each from its own antenna's events and blocks."""
    ev_by: dict[str, list[StationEvent]] = defaultdict(list)
    for e in events:
        ev_by[e.antenna_id].append(e)
    bl_by = defaultdict(list)
    for b in blocks:
        bl_by[b.antenna_id].append(b)
    return [decide(c, ev_by.get(c.antenna_id, []), bl_by.get(c.antenna_id, []), now) for c in contacts]


def refresh(s, start: float, end: float, now: float, *, antenna_id: str | None = None,
            trigger: str | None = None, into: dict[str, ContactRecord] | None = None) -> list[tuple[ContactRecord, str | None]]:
    """In an open session: decide again every contact whose time overlaps [start, end) (of one antenna, or
    all) and store it. Returns the records whose state or cause changed, with their previous state; every
    record decided also goes into ``into`` (by contact id) when given."""
    plan = repo.load_plan(s, start, end)
    contacts = [c for c in plan.contacts if antenna_id is None or c.antenna_id == antenna_id]
    if not contacts:
        return []
    t0 = min(c.setup_start for c in contacts)
    t1 = max(c.teardown_end for c in contacts) + LATE_S
    blocks = repo.load_plan(s, t0, t1).blocks
    events = [e for e in repo.events_between(s, t0, t1) if antenna_id is None or e.antenna_id == antenna_id]
    records = decide_all(contacts, events, blocks, now)
    if into is not None:
        into.update((r.contact_id, r) for r in records)
    return repo.save_records(s, records, at=now, trigger=trigger)


def begun(contact: Contact, now: float) -> bool:
    """Whether the contact's record can say more than its plan: it is not cancelled and its setup has begun
    (a contact ahead of its setup is scheduled, a cancelled one cancelled, whatever the station reported)."""
    return not contact.cancelled and now >= contact.setup_start


def known_records(s, contacts: list[Contact], blocks, now: float) -> tuple[dict[str, ContactRecord], dict[str, ContactRecord]]:
    """In an open session: the records the store keeps of the contacts that have begun, and the records of the
    others decided at ``now`` (from the stored events: a contact the store never followed, e.g. of a replay's plan)."""
    stored: dict[str, ContactRecord] = {}
    wanted = {c.id for c in contacts if begun(c, now)}
    if wanted:
        starts = [c.start for c in contacts if c.id in wanted]
        stored = {r.contact_id: r for r, _ in repo.contact_records(s, min(starts), max(starts) + 1.0)
                  if r.contact_id in wanted}
    rest = [c for c in contacts if c.id not in stored]
    events = []
    if any(begun(c, now) for c in rest):
        events = repo.events_between(s, min(c.setup_start for c in rest), max(c.teardown_end for c in rest) + LATE_S)
    return stored, {r.contact_id: r for r in decide_all(rest, events, blocks, now)}


def update_records(store: Store, start: float, end: float, now: float, *, antenna_id: str | None = None,
                   trigger: str | None = None) -> list[tuple[ContactRecord, str | None]]:
    """``refresh`` in a session of its own."""
    with store.session() as s:
        return refresh(s, start, end, now, antenna_id=antenna_id, trigger=trigger)
