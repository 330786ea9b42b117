"""The plan: contacts and antenna blocks over a window."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from ...live.service import LiveService
from ..deps import TimeWindow, get_service, read_access, time_window
from ..schemas import PlanRead

router = APIRouter(tags=["plan"])


@router.get("/plan", operation_id="get_plan", response_model=PlanRead, dependencies=[Depends(read_access)])
def get_plan(window: TimeWindow = Depends(time_window(before_now_s=3600.0, span_s=86400.0, max_span_s=14 * 86400.0)),
             service: LiveService = Depends(get_service)) -> dict:
    """Contacts (with their status at the clock's now) and maintenance/outage blocks over [start, end)."""
    return service.plan_view(window.start, window.end)
