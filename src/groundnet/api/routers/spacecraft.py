"""The fleet: identity, trajectory source, distance and speed, ground track, next passes."""

from __future__ import annotations

import math

import numpy as np
from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, Field

from ...live.geometry import footprint_radius_deg, geodetic_of_itrs
from ...visibility.deepspace import distances
from ...visibility.geometry import StationFrames, look_angles
from ...live.service import LiveService
from ...store import repo
from ...timebase import format_utc, parse_utc
from ..deps import get_service, read_access

router = APIRouter(tags=["spacecraft"])
MAX_TRACK_POINTS = 5000
MAX_POINTING_POINTS = 2000


def _index(service: LiveService, spacecraft_id: str) -> int:
    for i, sc in enumerate(service.builder.geometry.fleet):
        if sc.id == spacecraft_id:
            return i
    raise HTTPException(404, detail=f"unknown spacecraft '{spacecraft_id}'; GET /api/v1/spacecraft lists them")


@router.get("/spacecraft", operation_id="list_spacecraft", dependencies=[Depends(read_access)])
def list_spacecraft(service: LiveService = Depends(get_service)) -> list[dict]:
    """Every spacecraft: id, name, trajectory kind, NORAD id, source, whether its position is approximate, links."""
    return [sc.summary() for sc in service.fleet]


@router.get("/spacecraft/{spacecraft_id}", operation_id="get_spacecraft", dependencies=[Depends(read_access)])
def get_spacecraft(spacecraft_id: str, service: LiveService = Depends(get_service)) -> dict:
    """One spacecraft with its distance and speed now, its passes over the next 24 h, and its trajectory sources."""
    i = _index(service, spacecraft_id)
    sc = service.builder.geometry.fleet[i]
    now = service.clock.now()
    d = {k: float(v[0]) if math.isfinite(v[0]) else None for k, v in distances(sc.trajectory, [now]).items()}
    with service.store.session() as s:
        history = [{"epoch": format_utc(r.epoch_unix) if r.epoch_unix else None, "kind": r.kind, "source": r.source,
                    "loaded_at": format_utc(r.loaded_at)} for r in repo.element_set_history(s, spacecraft_id)]
    return {**sc.summary(), "distance": d, "next_passes": service.passes(None, spacecraft_id, now, now + 86400.0),
            "element_sets": history}


@router.get("/spacecraft/{spacecraft_id}/track", operation_id="get_ground_track", dependencies=[Depends(read_access)])
def get_ground_track(spacecraft_id: str, start: str | None = Query(None, description="Default: now - 45 min."),
                     end: str | None = Query(None, description="Default: now + 45 min."),
                     step_s: float = Query(60.0, ge=1.0, le=86400.0),
                     service: LiveService = Depends(get_service)) -> dict:
    """Sub-satellite points over [start, end] and the footprint radius (0° elevation) at the middle."""
    i = _index(service, spacecraft_id)
    now = service.clock.now()
    t0 = now - 2700.0 if start is None else parse_utc(start, "start").timestamp()
    t1 = now + 2700.0 if end is None else parse_utc(end, "end").timestamp()
    if not t0 <= t1 or (t1 - t0) / step_s > MAX_TRACK_POINTS:
        raise HTTPException(422, detail=f"need start <= end and at most {MAX_TRACK_POINTS} points; raise step_s")
    times = np.arange(t0, t1 + step_s / 2, step_s)
    lat, lon, alt = geodetic_of_itrs(service.builder.geometry.itrs_km(times)[i])
    points = [{"time": format_utc(t), "latitude_deg": round(float(a), 5), "longitude_deg": round(float(b), 5),
               "altitude_km": round(float(h), 3)} for t, a, b, h in zip(times, lat, lon, alt) if math.isfinite(a)]
    mid = alt[len(alt) // 2] if len(alt) else float("nan")
    return {"spacecraft_id": spacecraft_id, "points": points,
            "footprint_radius_deg": round(footprint_radius_deg(float(mid)), 4)}


class PassPointing(BaseModel):
    """Where one antenna sees one spacecraft over a window: a pass's sky plot."""

    spacecraft_id: str
    station_id: str
    times: list[str] = Field(description="ISO 8601 UTC, evenly spaced over [start, end].")
    azimuth_deg: list[float | None] = Field(description="At each time; null where the position is unknown.")
    elevation_deg: list[float | None]
    horizon_mask: list[tuple[float, float]] = Field(description="The antenna's [azimuth_deg, elevation_deg] mask points.")
    min_elevation_deg: float
    floor_deg: list[float] = Field(description="The usable elevation (mask and minimum) every 2° of azimuth from 0°.")


@router.get("/spacecraft/{spacecraft_id}/pointing", operation_id="get_pass_pointing", response_model=PassPointing,
            dependencies=[Depends(read_access)])
def get_pass_pointing(spacecraft_id: str, station: str = Query(..., description="Antenna id."),
                      start: str = Query(..., description="ISO 8601 UTC, e.g. a pass's AOS."),
                      end: str = Query(..., description="ISO 8601 UTC, e.g. the pass's LOS."),
                      points: int = Query(120, ge=2, le=MAX_POINTING_POINTS, description="Samples over [start, end]."),
                      service: LiveService = Depends(get_service)) -> dict:
    """Azimuth and elevation from one antenna over [start, end] (a pass's sky plot), with its horizon mask.

    Geometric directions (no light time), which differ from the pointing by arcminutes at most for deep space."""
    i = _index(service, spacecraft_id)
    antenna = next((a for a in service.antennas if a.id == station), None)
    if antenna is None:
        raise HTTPException(404, detail=f"unknown station '{station}'; GET /api/v1/stations lists them")
    t0, t1 = parse_utc(start, "start").timestamp(), parse_utc(end, "end").timestamp()
    if not t0 < t1 or t1 - t0 > 7 * 86400.0:
        raise HTTPException(422, detail="end must be after start, at most 7 days later")
    times = np.linspace(t0, t1, points)
    look = look_angles(StationFrames.of([antenna]), service.builder.geometry.itrs_km(times)[i])
    az, el = look.azimuth_deg[0], look.elevation_deg[0]

    def finite(values) -> list[float | None]:
        return [round(float(v), 3) if math.isfinite(v) else None for v in values]

    return {"spacecraft_id": spacecraft_id, "station_id": station, "times": [format_utc(t) for t in times],
            "azimuth_deg": finite(az), "elevation_deg": finite(el),
            "horizon_mask": [[float(a), float(e)] for a, e in antenna.horizon_mask],
            "min_elevation_deg": float(antenna.min_elevation_deg),
            # the usable elevation (mask and minimum) every 2° of azimuth from 0°, as the pass search uses it
            "floor_deg": [round(float(v), 3) for v in antenna.elevation_floor_deg(np.arange(0.0, 360.0, 2.0))]}
