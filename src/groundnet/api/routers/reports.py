"""Reports: network performance per mission or antenna, and post-contact reports (operations.reports)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from ...live.service import LiveService
from ...operations.reports import check_planned, contact_detail, contact_report, performance_report
from ..deps import TimeWindow, get_service, read_access, time_window
from ..schemas import ContactReportRead, ContactState, PerformanceRead

router = APIRouter(tags=["reports"], dependencies=[Depends(read_access)])
DAY_S = 86400.0
performance_window = time_window(before_now_s=30 * DAY_S, span_s=30 * DAY_S, max_span_s=400 * DAY_S)
contacts_window = time_window(before_now_s=DAY_S, span_s=DAY_S, max_span_s=400 * DAY_S)


@router.get("/reports/performance", operation_id="get_performance", response_model=list[PerformanceRead])
def get_performance(window: TimeWindow = Depends(performance_window),
                    period: str = Query("day", pattern="^(day|week|month)$"),
                    by: str = Query("mission", pattern="^(mission|antenna)$"),
                    service: LiveService = Depends(get_service)) -> list[dict]:
    """Service hours scheduled and delivered, success rate, availability and MTBF per period and mission or antenna."""
    ids = sorted(service.antenna_ids)
    return [r.as_dict() for r in performance_report(service.store, window.start, window.end, period, by, ids)]


@router.get("/reports/contacts", operation_id="list_contact_reports", response_model=list[ContactReportRead],
            responses={404: {"description": "An antenna or spacecraft with no contact anywhere."}})
def list_contact_reports(window: TimeWindow = Depends(contacts_window),
                         antenna: str | None = Query(None, max_length=32),
                         spacecraft: str | None = Query(None, max_length=32),
                         state: ContactState | None = Query(None),
                         limit: int = Query(1000, ge=1, le=10000),
                         service: LiveService = Depends(get_service)) -> list[dict]:
    """Post-contact reports of the contacts whose planned start lies in the window, in start order. An antenna or
    spacecraft that is neither in the service's network nor in the stored plans is 404 (a typo, not an empty list)."""
    check_planned(service.store, None if antenna in service.antenna_ids else antenna,
                  None if spacecraft in service.spacecraft_ids else spacecraft)
    return contact_report(service.store, window.start, window.end, antenna_id=antenna, spacecraft_id=spacecraft,
                          state=state, limit=limit)


@router.get("/reports/contacts/{contact_id:path}", operation_id="get_contact_report", response_model=ContactReportRead,
            responses={404: {"description": "No record of this contact."}})
def get_contact_report(contact_id: str, service: LiveService = Depends(get_service)) -> dict:
    """One contact's report, with the events that decided its state and every state it went through."""
    return contact_detail(service.store, contact_id)
