"""Station events: stations post them (with a token), anyone may read them."""

from __future__ import annotations

import json
import math

from fastapi import APIRouter, Depends, Query, Response, status

from ...domain import StationEvent
from ...errors import EventError, PayloadTooLargeError
from ...live.service import LiveService
from ...timebase import parse_utc_in_span
from ..deps import MAX_ID, get_service, read_access, require_token
from ..schemas import EventCreate, EventRead

router = APIRouter(tags=["events"])
MAX_DETAIL_BYTES = 4096


def _finite(value, where: str) -> None:
    """Refuse NaN and infinities anywhere in ``detail``: JSON cannot carry them to live clients."""
    if isinstance(value, float) and not math.isfinite(value):
        raise EventError(f"field '{where}': {value} is not a number JSON can carry; send a finite number or null")
    if isinstance(value, dict):
        for k, v in value.items():
            _finite(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _finite(v, f"{where}[{i}]")


@router.get("/events", operation_id="list_events", response_model=list[EventRead], dependencies=[Depends(read_access)])
def list_events(since_id: int = Query(0, ge=0, le=MAX_ID, description="Only events stored after this id."),
                limit: int = Query(100, ge=1, le=1000), service: LiveService = Depends(get_service)) -> list[dict]:
    """Stored events in the order they arrived, newest last; without since_id the newest `limit`."""
    return [e.as_dict() for e in service.events(since_id, limit)]


@router.post("/events", operation_id="post_event", response_model=EventRead, status_code=status.HTTP_201_CREATED,
             responses={200: {"description": "The event was already stored (same event_id): the stored one."},
                        401: {"description": "No valid token."}, 413: {"description": "The body or detail is too large."},
                        422: {"description": "The event is invalid."}})
def post_event(body: EventCreate, response: Response, source: str = Depends(require_token),
               service: LiveService = Depends(get_service)) -> dict:
    """Report what happened at a station. Stored before the answer; on the board within a second.

    An `outage_start` makes the service re-plan around the antenna (`detail.expected_end` may say
    until when, ISO 8601; otherwise two hours are assumed until `outage_end`). `detail` is kept as
    sent; NaN or infinite numbers in it are refused (422).
    """
    _finite(body.detail, "detail")
    if len(json.dumps(body.detail)) > MAX_DETAIL_BYTES:
        raise PayloadTooLargeError(f"field 'detail' is larger than {MAX_DETAIL_BYTES} bytes")
    detail = dict(body.detail)
    if "expected_end" in detail:
        detail["expected_end_unix"] = parse_utc_in_span(str(detail["expected_end"]), "detail.expected_end")
    ev = StationEvent(event_id=body.event_id, antenna_id=body.antenna_id, kind=body.kind,
                      time=parse_utc_in_span(body.time, "time"), spacecraft_id=body.spacecraft_id, detail=detail)
    stored, created = service.ingest(ev, source)
    if not created:
        response.status_code = status.HTTP_200_OK
    return stored.as_dict()
