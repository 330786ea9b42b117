"""The plan: contacts and antenna blocks over a window."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query, Response

from ...live.service import LiveService
from ...timebase import format_utc, parse_utc
from ..deps import get_service, read_access
from ..schemas import PlanRead

router = APIRouter(tags=["plan"])
MAX_WINDOW_S = 14 * 86400.0


def _window(service: LiveService, start: str | None, end: str | None) -> tuple[float, float]:
    now = service.clock.now()
    t0 = now - 3600.0 if start is None else parse_utc(start, "start").timestamp()
    t1 = t0 + 86400.0 if end is None else parse_utc(end, "end").timestamp()
    if not t0 < t1 or t1 - t0 > MAX_WINDOW_S:
        raise HTTPException(422, detail="end must be after start, at most 14 days later")
    return t0, t1


@router.get("/plan.ssf", operation_id="get_plan_ssf", response_class=Response, dependencies=[Depends(read_access)],
            responses={200: {"content": {"application/xml": {}}}})
def get_plan_ssf(start: str | None = Query(None, description="ISO 8601 UTC; default: the clock's now minus 1 h."),
                 end: str | None = Query(None, description="ISO 8601 UTC; default: start plus 24 h."),
                 service: LiveService = Depends(get_service)) -> Response:
    """The plan over [start, end) as a CCSDS Simple Schedule (SSF XML, validated): one scheduled package per
    spacecraft, one scheduled activity per contact."""
    from ...live.partner_ssf import plan_ssf_xml

    t0, t1 = _window(service, start, end)
    plan = service.plan_between(t0, t1)
    data = plan_ssf_xml(plan, service.fleet, service.antennas, start=t0, end=t1, generated_unix=service.clock.now())
    return Response(data, media_type="application/xml")


@router.get("/plan", operation_id="get_plan", response_model=PlanRead, dependencies=[Depends(read_access)])
def get_plan(start: str | None = Query(None, description="ISO 8601 UTC; default: the clock's now minus 1 h."),
             end: str | None = Query(None, description="ISO 8601 UTC; default: start plus 24 h."),
             service: LiveService = Depends(get_service)) -> dict:
    """Contacts (with their status at the clock's now) and maintenance/outage blocks over [start, end)."""
    now = service.clock.now()
    t0, t1 = _window(service, start, end)
    plan = service.plan_between(t0, t1)
    failed = service.failed_contacts(plan, now)
    return {"start": format_utc(t0), "end": format_utc(t1),
            "contacts": [c.as_dict(now, c.id in failed) for c in plan.contacts],
            "blocks": [b.as_dict() for b in plan.blocks]}


