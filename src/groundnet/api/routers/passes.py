"""Passes of the fleet over the network."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query

from ...live.service import LiveService
from ...timebase import parse_utc
from ..deps import get_service, read_access

router = APIRouter(tags=["passes"])
MAX_WINDOW_S = 7 * 86400.0


@router.get("/passes", operation_id="list_passes", dependencies=[Depends(read_access)])
def list_passes(station: str | None = Query(None, description="Antenna id; default: every antenna."),
                object: str | None = Query(None, description="Spacecraft id or NORAD number; default: the whole fleet."),
                start: str | None = Query(None, description="ISO 8601 UTC; default: the clock's now."),
                end: str | None = Query(None, description="ISO 8601 UTC; default: start plus 24 h."),
                service: LiveService = Depends(get_service)) -> list[dict]:
    """Passes as `groundnet passes --format json` prints them (object_id, station_id, aos, tca, los, ...)."""
    t0 = service.clock.now() if start is None else parse_utc(start, "start").timestamp()
    t1 = t0 + 86400.0 if end is None else parse_utc(end, "end").timestamp()
    if not t0 < t1 or t1 - t0 > MAX_WINDOW_S:
        raise HTTPException(422, detail="end must be after start, at most 7 days later")
    if station is not None and station not in service.antenna_ids:
        raise HTTPException(404, detail=f"unknown station '{station}'; GET /api/v1/stations lists them")
    return service.passes(station, object, t0, t1)
