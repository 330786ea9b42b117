"""The board now or at any moment, the service clock, and the service's health."""

from __future__ import annotations

import time

from typing import Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from ...live.service import LiveService
from ...orbits.validation import element_age_limit_days
from ...timebase import parse_utc_in_span
from ..deps import get_service, moment, read_access, require_token
from ..schemas import Board, ClockRead, ClockUpdate, StatusRead

router = APIRouter(tags=["board"])


@router.get("/board", operation_id="get_board", response_model=Board, dependencies=[Depends(read_access)])
def get_board(at: float | None = Depends(moment()), service: LiveService = Depends(get_service)) -> dict:
    """Every antenna's activity, targets, links, pointing, range and light time, and every spacecraft's position."""
    return service.board(at, generated_at=time.time())


@router.get("/clock", operation_id="get_clock", response_model=ClockRead, dependencies=[Depends(read_access)])
def get_clock(service: LiveService = Depends(get_service)) -> dict:
    """The service clock: live (real time) or replay, its speed, paused or not."""
    return service.clock.state().as_dict()


@router.put("/clock", operation_id="set_clock", response_model=ClockRead, dependencies=[Depends(require_token)])
def set_clock(body: ClockUpdate, service: LiveService = Depends(get_service)) -> dict:
    """Replay control: jump to a moment, change speed, pause, or return to live time (needs a token).

    A replay runs inside the span groundnet computes (1900 .. 2053-09-01, the planetary ephemeris);
    a moment outside it is refused, and a replay that reaches its end stops there."""
    t = None if body.time is None else parse_utc_in_span(body.time, "time")
    return service.set_clock(time_unix=t, speed=body.speed, paused=body.paused, live=body.live)


@router.get("/status", operation_id="get_status", response_model=StatusRead, dependencies=[Depends(read_access)])
def get_status(request: Request, service: LiveService = Depends(get_service)) -> dict:
    """The service's health: clock, live subscribers, last sequence number, how fast boards reach them, and the
    data sources (`sources`: name, url, fetched_at, age_s, refresh_interval_s, stale, last_error)."""
    return {"clock": service.clock.state().as_dict(), **request.app.state.push.status(),
            "plan": service.current_plan_summary(), "sources": request.app.state.sources.status()}


class DisplayRead(BaseModel):
    """How the board shows times and the age of the data: the service's groundnet.toml ``[display]`` and the
    element-age limits the command line warns past."""

    time_zone: str = Field(description="display.time_zone: the IANA zone times are shown in beside UTC "
                                       "(UTC when not configured).")
    units: Literal["metric", "imperial"] = Field(description="display.units.")
    element_age_limit_days: dict[str, float] = Field(
        description="Per spacecraft flown from an element set (SGP4): the age past which `groundnet passes` warns "
                    "that its predictions drift (LEO 7 d, MEO and HEO 14 d, GEO 30 d). Trajectories have none.")


@router.get("/display", operation_id="get_display", response_model=DisplayRead, dependencies=[Depends(read_access)])
def get_display(request: Request, service: LiveService = Depends(get_service)) -> dict:
    """The display time zone and units of the service's configuration, and each Earth orbiter's element-age limit."""
    config = request.app.state.config
    limits = {sc.id: element_age_limit_days(sc.elements) for sc in service.fleet if sc.elements is not None}
    return {"time_zone": config.get("display.time_zone"), "units": config.get("display.units"),
            "element_age_limit_days": limits}
