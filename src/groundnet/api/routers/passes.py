"""Passes of the fleet over the network."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from ...live.service import LiveService
from ..deps import TimeWindow, get_service, read_access, time_window
from ..schemas import Pass

router = APIRouter(tags=["passes"])


@router.get("/passes", operation_id="list_passes", response_model=list[Pass], dependencies=[Depends(read_access)])
def list_passes(station: str | None = Query(None, max_length=32, description="Antenna id; default: every antenna."),
                object: str | None = Query(None, max_length=32,
                                           description="Spacecraft id or NORAD number; default: the whole fleet."),
                window: TimeWindow = Depends(time_window(before_now_s=0.0, span_s=86400.0, max_span_s=7 * 86400.0)),
                service: LiveService = Depends(get_service)) -> list[dict]:
    """Passes as `groundnet passes --format json` prints them (object_id, station_id, aos, tca, los, ...)."""
    return service.passes(station, object, window.start, window.end)
