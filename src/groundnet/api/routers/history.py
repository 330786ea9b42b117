"""Board history: what one antenna did, as recorded while live."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from ...live.service import LiveService
from ..deps import TimeWindow, get_service, read_access, time_window
from ..schemas import HistoryEntry

router = APIRouter(tags=["history"])


@router.get("/history", operation_id="get_history", response_model=list[HistoryEntry],
            dependencies=[Depends(read_access)])
def get_history(antenna: str = Query(..., max_length=32, description="Antenna id, e.g. KIR-1."),
                window: TimeWindow = Depends(time_window(before_now_s=3600.0, span_s=3600.0, max_span_s=14 * 86400.0)),
                limit: int = Query(5000, ge=1, le=20000), service: LiveService = Depends(get_service)) -> list[dict]:
    """The antenna's board state each time it changed (and at least once a minute)."""
    return service.history(antenna, window.start, window.end, limit)
