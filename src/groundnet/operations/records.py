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
            trigger: str | None = None) -> list[tuple[ContactRecord, str | None]]:
    """In an open session: decide again every contact whose time overlaps [start, end) (of one antenna, or
    all) and store it. Returns the records whose state or cause changed, with their previous state."""
    plan = repo.load_plan(s, start, end)
    contacts = [c for c in plan.contacts if antenna_id is None or c.antenna_id == antenna_id]
    if not contacts:
        return []
    t0 = min(c.setup_start for c in contacts)
    t1 = max(c.teardown_end for c in contacts) + LATE_S
    blocks = repo.load_plan(s, t0, t1).blocks
    events = [e for e in repo.events_between(s, t0, t1) if antenna_id is None or e.antenna_id == antenna_id]
    return repo.save_records(s, decide_all(contacts, events, blocks, now), at=now, trigger=trigger)


def update_records(store: Store, start: float, end: float, now: float, *, antenna_id: str | None = None,
                   trigger: str | None = None) -> list[tuple[ContactRecord, str | None]]:
    """``refresh`` in a session of its own."""
    with store.session() as s:
        return refresh(s, start, end, now, antenna_id=antenna_id, trigger=trigger)
