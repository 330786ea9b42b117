"""Alerts: subscriptions matched against events, contact states and passes at risk; webhooks out of an outbox.

An alert is written to the store's outbox in the same transaction as what caused it (a station
event, a contact's new state), once per idempotency key, so an acknowledged event never loses
its alerts to a crash and a restart never queues one twice. ``Dispatcher`` posts due alerts:
JSON body, ``X-Groundnet-Signature: sha256=<HMAC-SHA256 of the body with the subscription's
secret>``, ``X-Groundnet-Idempotency-Key``; a failed attempt is retried with exponential back-off
and every attempt is logged. A crash between the receiver's answer and the log can send an alert
again: with the same key and the same body, so the receiver can drop the repeat.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from typing import Callable

from ..domain import Contact, StationEvent
from ..store import Store, repo
from ..timebase import format_utc
from .lifecycle import ContactRecord

log = logging.getLogger("groundnet.alerts")

ALERT_KINDS = ("event", "contact_state", "pass_at_risk")
SIGNATURE_HEADER = "X-Groundnet-Signature"
KEY_HEADER = "X-Groundnet-Idempotency-Key"
BACKOFF_BASE_S = 1.0
BACKOFF_MAX_S = 600.0
MAX_ATTEMPTS = 10
# Elements older than this at a contact's start put the pass at risk (SGP4 errors grow by km a day).
STALE_ELEMENTS_S = 7 * 86400.0
DEFAULT_BLOCK_S = 2 * 3600.0
# An alert being attempted is leased this long: another process sharing the database leaves it alone.
LEASE_S = 60.0


def sign(secret: str, body: bytes) -> str:
    """The signature header's value: ``sha256=`` and the hex HMAC-SHA256 of the body."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str) -> bool:
    """What a receiver does: compare the header with the HMAC of the raw body, in constant time."""
    return hmac.compare_digest(sign(secret, body), header or "")


def backoff_s(attempts: int) -> float:
    """Wait before the next attempt after ``attempts`` failures: 1, 2, 4 ... s, at most 10 minutes."""
    return min(BACKOFF_MAX_S, BACKOFF_BASE_S * 2 ** max(0, attempts - 1))


def matches(sub, kind: str, what: str | None, antenna_id: str | None, spacecraft_id: str | None) -> bool:
    """Whether a subscription (its filter lists; empty antennas/spacecraft mean all) wants this alert."""
    if sub.antennas and antenna_id not in sub.antennas:
        return False
    if sub.spacecraft and spacecraft_id not in sub.spacecraft:
        return False
    if kind == "event":
        return what in sub.events
    if kind == "contact_state":
        return what in sub.states
    return kind == "pass_at_risk" and bool(sub.pass_at_risk)


def _enqueue(s, subs, kind: str, what: str | None, antenna_id: str, spacecraft_id: str | None, key: str,
             payload: dict, now: float) -> int:
    n = 0
    for sub in subs:
        if matches(sub, kind, what, antenna_id, spacecraft_id):
            body = {"kind": kind, "subscription": sub.name, **payload}
            n += repo.enqueue_alert(s, sub.id, f"{sub.id}:{key}", kind, body, now)
    return n


def contact_brief(c: Contact) -> dict:
    return {"id": c.id, "antenna_id": c.antenna_id, "spacecraft_id": c.spacecraft_id, "mission": c.mission,
            "start": format_utc(c.start), "end": format_utc(c.end)}


def enqueue_for_event(s, ev: StationEvent, plan_contacts: list[Contact], now: float) -> int:
    """Alerts of a new station event, in the session that stores it: the event itself, and the planned
    contacts an outage, a maintenance or a failed pre-pass check puts at risk."""
    subs = repo.subscriptions(s)
    if not subs:
        return 0
    n = _enqueue(s, subs, "event", ev.kind, ev.antenna_id, ev.spacecraft_id, f"event:{ev.event_id}",
                 {"event": ev.as_dict()}, now)
    if ev.kind in ("outage_start", "maintenance_start", "prepass_failed"):
        if ev.kind == "prepass_failed":
            t0, t1 = ev.time, ev.time + 3600.0
            why = "the pre-pass check failed"
        else:
            t0 = ev.time
            t1 = float(ev.detail.get("expected_end_unix") or ev.time + DEFAULT_BLOCK_S)
            why = f"{ev.kind.split('_')[0]} on {ev.antenna_id}" + (f": {ev.detail['reason']}"
                                                                   if ev.detail.get("reason") else "")
        for c in plan_contacts:
            if (c.antenna_id == ev.antenna_id and not c.cancelled and c.end > now and c.start < t1
                    and c.end > t0 and (ev.kind != "prepass_failed" or c.spacecraft_id in (None, ev.spacecraft_id)
                                        or ev.spacecraft_id is None)):
                n += _enqueue(s, subs, "pass_at_risk", None, c.antenna_id, c.spacecraft_id,
                              f"risk:{c.id}:{ev.event_id}", {"contact": contact_brief(c), "reason": why,
                                                             "event_id": ev.event_id}, now)
    return n


def enqueue_for_states(s, changed: list[tuple[ContactRecord, str | None]], now: float) -> int:
    """Alerts of contacts that entered a new state (the key holds the state and its place in the history)."""
    subs = repo.subscriptions(s) if changed else []
    n = 0
    for rec, before in changed:
        n += _enqueue(s, subs, "contact_state", rec.state, rec.antenna_id, rec.spacecraft_id,
                      f"state:{rec.contact_id}:{rec.state}:{rec.cause or ''}",
                      {"contact_id": rec.contact_id, "state": rec.state, "previous_state": before,
                       "cause": rec.cause, "reason": rec.reason, "evidence": list(rec.evidence)}, now)
    return n


def stale_element_risks(contacts: list[Contact], epochs: dict[str, float], now: float, ahead_s: float,
                        max_age_s: float = STALE_ELEMENTS_S) -> list[tuple[Contact, str]]:
    """Planned contacts starting within ``ahead_s`` whose spacecraft's elements will be older than ``max_age_s``."""
    out = []
    for c in contacts:
        epoch = epochs.get(c.spacecraft_id)
        if c.cancelled or epoch is None or not now <= c.start <= now + ahead_s:
            continue
        age = c.start - epoch
        if age > max_age_s:
            out.append((c, f"elements of {c.spacecraft_id} are {age / 86400.0:.1f} days old at the contact's start"))
    return out


def enqueue_stale(s, risks: list[tuple[Contact, str]], now: float) -> int:
    subs = repo.subscriptions(s) if risks else []
    return sum(_enqueue(s, subs, "pass_at_risk", None, c.antenna_id, c.spacecraft_id, f"risk:{c.id}:stale",
                        {"contact": contact_brief(c), "reason": why}, now) for c, why in risks)


class Dispatcher:
    """Posts the outbox's due alerts; ``run_once`` is one sweep (the service calls it in a loop)."""

    def __init__(self, store: Store, *, wall: Callable[[], float] = time.time, timeout_s: float = 5.0,
                 max_attempts: int = MAX_ATTEMPTS):
        import httpx

        self.store = store
        self.wall = wall
        self.max_attempts = max_attempts
        self.client = httpx.Client(timeout=timeout_s, follow_redirects=False)

    def close(self) -> None:
        self.client.close()

    def run_once(self, limit: int = 50) -> int:
        """Attempt every due alert once; returns how many were delivered."""
        now = self.wall()
        with self.store.session() as s:
            due = [(o.id, o.idempotency_key, o.payload, o.created_at, o.attempts, sub.url, sub.secret)
                   for o, sub in repo.claim_due_alerts(s, now, LEASE_S, limit)]
        delivered = 0
        for oid, key, payload, created_at, attempts, url, secret in due:
            body = json.dumps({"idempotency_key": key, "created_at": format_utc(created_at), **payload},
                              sort_keys=True, separators=(",", ":"), allow_nan=False).encode("utf-8")
            headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(secret, body), KEY_HEADER: key,
                       "User-Agent": "groundnet-alerts"}
            started = time.monotonic()
            code, error = None, ""
            try:
                r = self.client.post(url, content=body, headers=headers)
                code = r.status_code
                ok = 200 <= code < 300
                if not ok:
                    error = f"HTTP {code}"
            except Exception as exc:  # noqa: BLE001 - any transport failure is retried
                ok, error = False, f"{type(exc).__name__}: {exc}"[:500]
            took = time.monotonic() - started
            tries = attempts + 1
            retry_at = None if ok or tries >= self.max_attempts else self.wall() + backoff_s(tries)
            with self.store.session() as s:
                repo.record_attempt(s, oid, at=self.wall(), status_code=code, error=error, duration_s=took,
                                    delivered=ok, next_attempt_at=retry_at)
            delivered += ok
            if not ok:
                log.info("alert %s: attempt %d failed (%s)", key, tries, error)
        return delivered


# ---------------------------------------------------------------- subscriptions (what the CLI and the API call)


def subscription_dict(row, secret: str | None = None) -> dict:
    return {"id": row.id, "name": row.name, "url": row.url, "events": list(row.events), "states": list(row.states),
            "antennas": list(row.antennas), "spacecraft": list(row.spacecraft), "pass_at_risk": row.pass_at_risk,
            "created_at": format_utc(row.created_at), "created_by": row.created_by, "active": row.active,
            "secret": secret}


def subscribe(store: Store, *, name: str, url: str, secret: str | None, events=(), states=(), antennas=(),
              spacecraft=(), pass_at_risk: bool = False, antenna_ids: set[str], spacecraft_ids: set[str],
              created_at: float, created_by: str) -> dict:
    """Store a subscription (filters checked against the network and fleet); the answer holds its secret."""
    import secrets as _secrets

    from ..errors import SelectionError

    for a in antennas:
        if a not in antenna_ids:
            raise SelectionError(f"field 'antennas': unknown antenna '{a}' (GET /api/v1/stations, groundnet stations)")
    for sc in spacecraft:
        if sc not in spacecraft_ids:
            raise SelectionError(f"field 'spacecraft': unknown spacecraft '{sc}' (GET /api/v1/spacecraft)")
    if not (events or states or pass_at_risk):
        raise SelectionError("say what to send: events, states or pass_at_risk")
    key = secret or _secrets.token_urlsafe(32)
    with store.session() as s:
        row = repo.create_subscription(s, name=name, url=url, secret=key, events=events, states=states,
                                       antennas=antennas, spacecraft=spacecraft, pass_at_risk=pass_at_risk,
                                       created_at=created_at, created_by=created_by)
        return subscription_dict(row, key)


def list_subscriptions(store: Store) -> list[dict]:
    """Active subscriptions, without their secrets."""
    with store.session() as s:
        return [subscription_dict(r) for r in repo.subscriptions(s)]


def unsubscribe(store: Store, subscription_id: int) -> None:
    from ..errors import NotFoundError

    with store.session() as s:
        ok = repo.delete_subscription(s, subscription_id)
    if not ok:
        raise NotFoundError(f"no active subscription {subscription_id} (GET /api/v1/alerts/subscriptions, "
                            "groundnet alerts list)")


def delivery_log(store: Store, subscription_id: int | None = None, limit: int = 100) -> list[dict]:
    """Delivery attempts, newest first."""
    with store.session() as s:
        return [{"alert_id": o.id, "subscription_id": o.subscription_id, "idempotency_key": o.idempotency_key,
                 "kind": o.kind, "attempt": d.attempt, "at": format_utc(d.at), "status_code": d.status_code,
                 "error": d.error, "duration_s": round(d.duration_s, 6), "alert_status": o.status}
                for d, o in repo.deliveries(s, subscription_id, limit)]
