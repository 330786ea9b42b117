"""Alert subscriptions (webhooks) and their delivery log. Every route needs a token: URLs and secrets are private."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query, status

from ...live.service import LiveService
from ...operations import alerts
from ..deps import MAX_ID, get_service, require_token
from ..schemas import DeliveryRead, SubscriptionCreate, SubscriptionRead

router = APIRouter(tags=["alerts"])


@router.post("/alerts/subscriptions", operation_id="create_subscription", response_model=SubscriptionRead,
             status_code=status.HTTP_201_CREATED, responses={401: {"description": "No valid token."}})
def create_subscription(body: SubscriptionCreate, who: str = Depends(require_token),
                        service: LiveService = Depends(get_service)) -> dict:
    """Subscribe a webhook to station events, contact states and passes at risk. The answer shows the
    signing secret once."""
    return alerts.subscribe(service.store, name=body.name, url=body.url, secret=body.secret, events=body.events,
                            states=body.states, antennas=body.antennas, spacecraft=body.spacecraft,
                            pass_at_risk=body.pass_at_risk, antenna_ids=service.antenna_ids,
                            spacecraft_ids=service.spacecraft_ids, created_at=service.clock.now(), created_by=who)


@router.get("/alerts/subscriptions", operation_id="list_subscriptions", response_model=list[SubscriptionRead],
            dependencies=[Depends(require_token)])
def list_subscriptions(service: LiveService = Depends(get_service)) -> list[dict]:
    """Active subscriptions (never their secrets)."""
    return alerts.list_subscriptions(service.store)


@router.delete("/alerts/subscriptions/{subscription_id}", operation_id="delete_subscription", status_code=204,
               dependencies=[Depends(require_token)], responses={404: {"description": "No such active subscription."}})
def delete_subscription(subscription_id: int = Path(..., ge=1, le=MAX_ID), service: LiveService = Depends(get_service)) -> None:
    """Stop a subscription: nothing more is sent to it; its delivery log stays."""
    alerts.unsubscribe(service.store, subscription_id)


@router.get("/alerts/deliveries", operation_id="list_deliveries", response_model=list[DeliveryRead],
            dependencies=[Depends(require_token)])
def list_deliveries(subscription_id: int | None = Query(None, ge=1, le=MAX_ID), limit: int = Query(100, ge=1, le=1000),
                    service: LiveService = Depends(get_service)) -> list[dict]:
    """The delivery log, newest first: every attempt with its HTTP status or error."""
    return alerts.delivery_log(service.store, subscription_id, limit)
