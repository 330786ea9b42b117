"""The fleet: identity, trajectory source, distance and speed, ground track, next passes."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query

from ...live.service import LiveService
from ..deps import TimeWindow, get_service, moment, read_access, time_window
from ..schemas import GroundTrack, PassPointing, SpacecraftSummary, SpacecraftView

router = APIRouter(tags=["spacecraft"])
SPACECRAFT_ID = Path(..., max_length=32, description="A spacecraft id from GET /api/v1/spacecraft, e.g. ISS.")


@router.get("/spacecraft", operation_id="list_spacecraft", response_model=list[SpacecraftSummary],
            dependencies=[Depends(read_access)])
def list_spacecraft(service: LiveService = Depends(get_service)) -> list[dict]:
    """Every spacecraft: id, name, trajectory kind, NORAD id, source, whether its position is approximate, links."""
    return [sc.summary() for sc in service.fleet]


@router.get("/spacecraft/{spacecraft_id}", operation_id="get_spacecraft", response_model=SpacecraftView,
            dependencies=[Depends(read_access)])
def get_spacecraft(spacecraft_id: str = SPACECRAFT_ID,
                   at: float | None = Depends(moment("The moment of the distance, speed and next 24 h of passes "
                                                     "(ISO 8601 UTC); default: the clock's now.")),
                   service: LiveService = Depends(get_service)) -> dict:
    """One spacecraft with its distance and speed now (or at `at`), its passes over the next 24 h, and its
    trajectory sources."""
    return service.spacecraft_view(spacecraft_id, at)


@router.get("/spacecraft/{spacecraft_id}/track", operation_id="get_ground_track", response_model=GroundTrack,
            dependencies=[Depends(read_access)])
def get_ground_track(spacecraft_id: str = SPACECRAFT_ID,
                     window: TimeWindow = Depends(time_window(before_now_s=2700.0, span_s=5400.0,
                                                              max_span_s=14 * 86400.0)),
                     step_s: float = Query(60.0, ge=1.0, le=86400.0),
                     service: LiveService = Depends(get_service)) -> dict:
    """Sub-spacecraft points over [start, end] (at most 5,000) and the footprint radius (0° elevation) at the middle."""
    return service.ground_track(spacecraft_id, window.start, window.end, step_s)


@router.get("/spacecraft/{spacecraft_id}/pointing", operation_id="get_pass_pointing", response_model=PassPointing,
            dependencies=[Depends(read_access)])
def get_pass_pointing(spacecraft_id: str = SPACECRAFT_ID,
                      station: str = Query(..., max_length=32, description="Antenna id, e.g. KIR-1."),
                      window: TimeWindow = Depends(time_window(before_now_s=0.0, span_s=3600.0, max_span_s=7 * 86400.0)),
                      points: int = Query(120, ge=2, le=2000, description="Samples over [start, end]."),
                      service: LiveService = Depends(get_service)) -> dict:
    """Azimuth and elevation from one antenna over [start, end] (a pass's AOS to LOS: its sky plot), with the
    antenna's horizon mask."""
    return service.pass_pointing(spacecraft_id, station, window.start, window.end, points)
