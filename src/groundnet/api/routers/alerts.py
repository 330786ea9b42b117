"""Alert subscriptions (webhooks) and their delivery log. Every route needs a token: URLs and secrets are private."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Depends, HTTPException, Query, status

from ...live.service import LiveService
from ...store import repo
from ...timebase import format_utc
from ..deps import get_service, require_token
from ..schemas import DeliveryRead, SubscriptionCreate, SubscriptionRead

router = APIRouter(tags=["alerts"])


def subscription_dict(row, secret: str | None = None) -> dict:
    return {"id": row.id, "name": row.name, "url": row.url, "events": row.events, "states": row.states,
            "antennas": row.antennas, "spacecraft": row.spacecraft, "pass_at_risk": row.pass_at_risk,
            "created_at": format_utc(row.created_at), "created_by": row.created_by, "active": row.active,
            "secret": secret}


@router.post("/alerts/subscriptions", operation_id="create_subscription", response_model=SubscriptionRead,
             status_code=status.HTTP_201_CREATED, responses={401: {"description": "No valid token."}})
def create_subscription(body: SubscriptionCreate, who: str = Depends(require_token),
                        service: LiveService = Depends(get_service)) -> dict:
    """Subscribe a webhook to station events, contact states and passes at risk. The answer shows the
    signing secret once."""
    unknown = [a for a in body.antennas if a not in service.antenna_ids]
    if unknown:
        raise HTTPException(422, detail=f"field 'antennas': unknown antenna '{unknown[0]}'; GET /api/v1/stations")
    unknown = [s for s in body.spacecraft if s not in service.spacecraft_ids]
    if unknown:
        raise HTTPException(422, detail=f"field 'spacecraft': unknown spacecraft '{unknown[0]}'; GET /api/v1/spacecraft")
    if not (body.events or body.states or body.pass_at_risk):
        raise HTTPException(422, detail="say what to send: 'events', 'states' or 'pass_at_risk'")
    secret = body.secret or secrets.token_urlsafe(32)
    with service.store.session() as s:
        row = repo.create_subscription(s, name=body.name, url=body.url, secret=secret, events=body.events,
                                       states=body.states, antennas=body.antennas, spacecraft=body.spacecraft,
                                       pass_at_risk=body.pass_at_risk, created_at=service.clock.now(), created_by=who)
        return subscription_dict(row, secret)


@router.get("/alerts/subscriptions", operation_id="list_subscriptions", response_model=list[SubscriptionRead],
            dependencies=[Depends(require_token)])
def list_subscriptions(service: LiveService = Depends(get_service)) -> list[dict]:
    """Active subscriptions (never their secrets)."""
    with service.store.session() as s:
        return [subscription_dict(r) for r in repo.subscriptions(s)]


@router.delete("/alerts/subscriptions/{subscription_id}", operation_id="delete_subscription", status_code=204,
               dependencies=[Depends(require_token)], responses={404: {"description": "No such active subscription."}})
def delete_subscription(subscription_id: int, service: LiveService = Depends(get_service)) -> None:
    """Stop a subscription: nothing more is sent to it; its delivery log stays."""
    with service.store.session() as s:
        ok = repo.delete_subscription(s, subscription_id)
    if not ok:
        raise HTTPException(404, detail=f"no active subscription {subscription_id}; GET /api/v1/alerts/subscriptions")


def delivery_dict(d, o) -> dict:
    return {"alert_id": o.id, "subscription_id": o.subscription_id, "idempotency_key": o.idempotency_key,
            "kind": o.kind, "attempt": d.attempt, "at": format_utc(d.at), "status_code": d.status_code,
            "error": d.error, "duration_s": round(d.duration_s, 6), "alert_status": o.status}


@router.get("/alerts/deliveries", operation_id="list_deliveries", response_model=list[DeliveryRead],
            dependencies=[Depends(require_token)])
def list_deliveries(subscription_id: int | None = Query(None), limit: int = Query(100, ge=1, le=1000),
                    service: LiveService = Depends(get_service)) -> list[dict]:
    """The delivery log, newest first: every attempt with its HTTP status or error."""
    with service.store.session() as s:
        return [delivery_dict(d, o) for d, o in repo.deliveries(s, subscription_id, limit)]
