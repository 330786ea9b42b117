"""Board history: what one antenna did, as recorded while live."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query

from ...live.service import LiveService
from ...store import repo
from ...timebase import format_utc, parse_utc
from ..deps import get_service, read_access
from ..schemas import HistoryEntry

router = APIRouter(tags=["history"])


@router.get("/history", operation_id="get_history", response_model=list[HistoryEntry],
            dependencies=[Depends(read_access)])
def get_history(antenna: str = Query(..., description="Antenna id, e.g. KIR-1."),
                start: str | None = Query(None, description="ISO 8601 UTC; default: 1 h before the clock's now."),
                end: str | None = Query(None, description="ISO 8601 UTC; default: the clock's now."),
                limit: int = Query(5000, ge=1, le=20000), service: LiveService = Depends(get_service)) -> list[dict]:
    """The antenna's board state each time it changed (and at least once a minute)."""
    if antenna not in service.antenna_ids:
        raise HTTPException(404, detail=f"unknown antenna '{antenna}'; GET /api/v1/stations lists them")
    now = service.clock.now()
    t1 = now if end is None else parse_utc(end, "end").timestamp()
    t0 = t1 - 3600.0 if start is None else parse_utc(start, "start").timestamp()
    with service.store.session() as s:
        rows = repo.history(s, antenna, t0, t1, limit)
    return [{"time": format_utc(r.time_unix), "activity": r.activity, "reported_activity": r.reported_activity,
             "state": r.state} for r in rows]
