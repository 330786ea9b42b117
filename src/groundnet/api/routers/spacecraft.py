"""The fleet: identity, trajectory source, distance and speed, ground track, next passes."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query

from ...live.service import LiveService
from ..deps import TimeWindow, get_service, read_access, time_window
from ..schemas import GroundTrack, SpacecraftSummary, SpacecraftView

router = APIRouter(tags=["spacecraft"])
SPACECRAFT_ID = Path(..., max_length=32, description="A spacecraft id from GET /api/v1/spacecraft, e.g. ISS.")


@router.get("/spacecraft", operation_id="list_spacecraft", response_model=list[SpacecraftSummary],
            dependencies=[Depends(read_access)])
def list_spacecraft(service: LiveService = Depends(get_service)) -> list[dict]:
    """Every spacecraft: id, name, trajectory kind, NORAD id, source, whether its position is approximate, links."""
    return [sc.summary() for sc in service.fleet]


@router.get("/spacecraft/{spacecraft_id}", operation_id="get_spacecraft", response_model=SpacecraftView,
            dependencies=[Depends(read_access)])
def get_spacecraft(spacecraft_id: str = SPACECRAFT_ID, service: LiveService = Depends(get_service)) -> dict:
    """One spacecraft with its distance and speed now, its passes over the next 24 h, and its trajectory sources."""
    return service.spacecraft_view(spacecraft_id)


@router.get("/spacecraft/{spacecraft_id}/track", operation_id="get_ground_track", response_model=GroundTrack,
            dependencies=[Depends(read_access)])
def get_ground_track(spacecraft_id: str = SPACECRAFT_ID,
                     window: TimeWindow = Depends(time_window(before_now_s=2700.0, span_s=5400.0,
                                                              max_span_s=14 * 86400.0)),
                     step_s: float = Query(60.0, ge=1.0, le=86400.0),
                     service: LiveService = Depends(get_service)) -> dict:
    """Sub-spacecraft points over [start, end] (at most 5,000) and the footprint radius (0° elevation) at the middle."""
    return service.ground_track(spacecraft_id, window.start, window.end, step_s)
