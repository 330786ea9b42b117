"""The board now or at any moment, and the service clock."""

from __future__ import annotations

import time

from fastapi import APIRouter, Depends, Query, Request

from ...live.service import LiveService
from ...timebase import parse_utc
from ..deps import get_service, read_access, require_token
from ..schemas import Board, ClockRead, ClockUpdate

router = APIRouter(tags=["board"])


@router.get("/board", operation_id="get_board", response_model=Board, dependencies=[Depends(read_access)])
def get_board(at: str | None = Query(None, description="A moment (ISO 8601 UTC); default: the clock's now."),
              service: LiveService = Depends(get_service)) -> dict:
    """Every antenna's activity, targets, links, pointing, range and light time, and every spacecraft's position."""
    return service.board(None if at is None else parse_utc(at, "at").timestamp(), generated_at=time.time())


@router.get("/clock", operation_id="get_clock", response_model=ClockRead, dependencies=[Depends(read_access)])
def get_clock(service: LiveService = Depends(get_service)) -> dict:
    """The service clock: live (real time) or replay, its speed, paused or not."""
    return service.clock.state().as_dict()


@router.put("/clock", operation_id="set_clock", response_model=ClockRead, dependencies=[Depends(require_token)])
def set_clock(body: ClockUpdate, service: LiveService = Depends(get_service)) -> dict:
    """Replay control: jump to a moment, change speed, pause, or return to live time (needs a token)."""
    if body.live:
        return service.clock.set(live=True).as_dict()
    t = None if body.time is None else parse_utc(body.time, "time").timestamp()
    return service.clock.set(time_unix=t, speed=body.speed, paused=body.paused).as_dict()


@router.get("/status", operation_id="get_status", dependencies=[Depends(read_access)])
def get_status(request: Request, service: LiveService = Depends(get_service)) -> dict:
    """The service's health: clock, live subscribers, last sequence number, how fast boards reach them, and the
    data sources (`sources`: name, url, fetched_at, age_s, refresh_interval_s, stale, last_error)."""
    hub, runner = request.app.state.hub, request.app.state.runner
    return {"clock": service.clock.state().as_dict(), "subscribers": hub.subscriber_count, "seq": hub.seq,
            "board_fanout": hub.fanout_ms(), "tick_errors": runner.errors, "plan": service.current_plan_summary(),
            "sources": request.app.state.sources.status()}
