"""Calendars of the plan: iCalendar feeds per antenna and spacecraft, and the printable pass sheet."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query, Response
from fastapi.responses import HTMLResponse

from ...live.service import LiveService
from ...operations.calendar import pass_sheet, plan_calendar
from ...timebase import SECONDS_PER_DAY, parse_utc_in_span, period_start
from ..deps import get_service, read_access

router = APIRouter(tags=["calendars"], dependencies=[Depends(read_access)])
ICS = {200: {"content": {"text/calendar": {}}}}


def _contacts(service: LiveService, days_back: float, days_ahead: float):
    if not (0 <= days_back <= 31 and 0 < days_ahead <= 31):
        raise HTTPException(422, detail="'days_back' must lie in 0..31 and 'days_ahead' in 0..31 (not 0)")
    now = service.clock.now()
    return service.plan_between(now - days_back * SECONDS_PER_DAY, now + days_ahead * SECONDS_PER_DAY).contacts, now


def _feed(service: LiveService, days_back: float, days_ahead: float, name: str, wanted) -> Response:
    """The RFC 5545 feed of the planned contacts ``wanted`` keeps, called "groundnet NAME"."""
    contacts, now = _contacts(service, days_back, days_ahead)
    body = plan_calendar([c for c in contacts if wanted(c)], f"groundnet {name}", now)
    return Response(body, media_type="text/calendar; charset=utf-8")


@router.get("/calendars/antennas/{antenna_id}.ics", operation_id="get_antenna_calendar", response_class=Response,
            responses=ICS)
def get_antenna_calendar(antenna_id: str, days_back: float = Query(1.0), days_ahead: float = Query(7.0),
                         service: LiveService = Depends(get_service)) -> Response:
    """The antenna's planned contacts as an RFC 5545 feed (stable UIDs: calendar clients update in place)."""
    if antenna_id not in service.antenna_ids:
        raise HTTPException(404, detail=f"unknown antenna '{antenna_id}'; GET /api/v1/stations lists them")
    return _feed(service, days_back, days_ahead, antenna_id, lambda c: c.antenna_id == antenna_id)


@router.get("/calendars/spacecraft/{spacecraft_id}.ics", operation_id="get_spacecraft_calendar",
            response_class=Response, responses=ICS)
def get_spacecraft_calendar(spacecraft_id: str, days_back: float = Query(1.0), days_ahead: float = Query(7.0),
                            service: LiveService = Depends(get_service)) -> Response:
    """The spacecraft's planned contacts on every antenna as an RFC 5545 feed."""
    if spacecraft_id not in service.spacecraft_ids:
        raise HTTPException(404, detail=f"unknown spacecraft '{spacecraft_id}'; GET /api/v1/spacecraft lists them")
    return _feed(service, days_back, days_ahead, spacecraft_id, lambda c: c.spacecraft_id == spacecraft_id)


@router.get("/calendars/antennas/{antenna_id}/sheet", operation_id="get_pass_sheet", response_class=HTMLResponse)
def get_pass_sheet(antenna_id: str, date: str | None = Query(None, description="UTC day, e.g. 2026-08-23; "
                                                                              "default: the clock's day."),
                   service: LiveService = Depends(get_service)) -> HTMLResponse:
    """A printable pass sheet: the antenna's contacts of one UTC day."""
    antenna = next((a for a in service.antennas if a.id == antenna_id), None)
    if antenna is None:
        raise HTTPException(404, detail=f"unknown antenna '{antenna_id}'; GET /api/v1/stations lists them")
    now = service.clock.now()
    day = period_start(now if date is None else parse_utc_in_span(date, "date"), "day")
    plan = service.plan_between(day, day + SECONDS_PER_DAY)
    contacts = [c for c in plan.contacts if c.antenna_id == antenna_id and day <= c.start < day + SECONDS_PER_DAY]
    states = {k: r.state for k, r in service.contact_records(contacts, now, plan.blocks).items()}  # as the plan says
    return HTMLResponse(pass_sheet(antenna.id, antenna.name, day, contacts, states, now))
