"""The plan: contacts and antenna blocks over a window."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from ...live.service import LiveService
from ..deps import TimeWindow, get_service, read_access, time_window
from ..schemas import PlanRead

router = APIRouter(tags=["plan"])


@router.get("/plan.ssf", operation_id="get_plan_ssf", response_class=Response, dependencies=[Depends(read_access)],
            responses={200: {"content": {"application/xml": {}}}})
def get_plan_ssf(window: TimeWindow = Depends(time_window(before_now_s=3600.0, span_s=86400.0, max_span_s=14 * 86400.0)),
                 service: LiveService = Depends(get_service)) -> Response:
    """The plan over [start, end) as a CCSDS Simple Schedule (SSF XML, validated): one scheduled package per
    spacecraft, one scheduled activity per contact."""
    from ...live.partner_ssf import plan_ssf_xml

    plan = service.plan_between(window.start, window.end)
    data = plan_ssf_xml(plan, service.fleet, service.antennas, start=window.start, end=window.end,
                        generated_unix=service.clock.now())
    return Response(data, media_type="application/xml")


@router.get("/plan", operation_id="get_plan", response_model=PlanRead, dependencies=[Depends(read_access)])
def get_plan(window: TimeWindow = Depends(time_window(before_now_s=3600.0, span_s=86400.0, max_span_s=14 * 86400.0)),
             service: LiveService = Depends(get_service)) -> dict:
    """Contacts (with their status at the clock's now) and maintenance/outage blocks over [start, end)."""
    return service.plan_view(window.start, window.end)
