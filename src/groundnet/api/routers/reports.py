"""Reports: network performance per mission or antenna, and post-contact reports (operations.reports)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query

from ...errors import SelectionError
from ...live.service import LiveService
from ...operations.reports import contact_report, contact_row, performance_report
from ...store import repo
from ...timebase import parse_utc
from ..deps import get_service, read_access
from ..schemas import ContactReportRead, ContactState, PerformanceRead

router = APIRouter(tags=["reports"], dependencies=[Depends(read_access)])
MAX_SPAN_S = 400 * 86400.0


def _window(start: str | None, end: str | None, service: LiveService, default_s: float) -> tuple[float, float]:
    now = service.clock.now()
    t1 = now if end is None else parse_utc(end, "end").timestamp()
    t0 = t1 - default_s if start is None else parse_utc(start, "start").timestamp()
    if not t1 > t0:
        raise SelectionError("'end' must lie after 'start'")
    if t1 - t0 > MAX_SPAN_S:
        raise SelectionError("a report spans at most 400 days")
    return t0, t1


@router.get("/reports/performance", operation_id="get_performance", response_model=list[PerformanceRead])
def get_performance(start: str | None = Query(None, description="ISO 8601 UTC; default: 30 days before `end`."),
                    end: str | None = Query(None, description="ISO 8601 UTC; default: the clock's now."),
                    period: str = Query("day", pattern="^(day|week|month)$"),
                    by: str = Query("mission", pattern="^(mission|antenna)$"),
                    service: LiveService = Depends(get_service)) -> list[dict]:
    """Service hours scheduled and delivered, success rate, availability and MTBF per period and mission or antenna."""
    t0, t1 = _window(start, end, service, 30 * 86400.0)
    ids = sorted(service.antenna_ids)
    return [r.as_dict() for r in performance_report(service.store, t0, t1, period, by, ids)]


@router.get("/reports/contacts", operation_id="list_contact_reports", response_model=list[ContactReportRead])
def list_contact_reports(start: str | None = Query(None, description="ISO 8601 UTC; default: 1 day before `end`."),
                         end: str | None = Query(None, description="ISO 8601 UTC; default: the clock's now."),
                         antenna: str | None = Query(None, max_length=32),
                         spacecraft: str | None = Query(None, max_length=32),
                         state: ContactState | None = Query(None),
                         limit: int = Query(1000, ge=1, le=10000),
                         service: LiveService = Depends(get_service)) -> list[dict]:
    """Post-contact reports of the contacts whose planned start lies in the window, in start order."""
    t0, t1 = _window(start, end, service, 86400.0)
    return contact_report(service.store, t0, t1, antenna_id=antenna, spacecraft_id=spacecraft, state=state,
                          limit=limit)


@router.get("/reports/contacts/{contact_id:path}", operation_id="get_contact_report", response_model=ContactReportRead,
            responses={404: {"description": "No record of this contact."}})
def get_contact_report(contact_id: str, service: LiveService = Depends(get_service)) -> dict:
    """One contact's report, with the events that decided its state and every state it went through."""
    with service.store.session() as s:
        found = repo.contact_record(s, contact_id)
    if found is None:
        raise HTTPException(404, detail=f"no record of contact '{contact_id}'; GET /api/v1/reports/contacts lists them")
    return contact_row(*found)
