"""The network's antennas."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from ...live.service import LiveService
from ..deps import get_service, read_access
from ..schemas import Station

router = APIRouter(tags=["stations"])


@router.get("/stations", operation_id="list_stations", response_model=list[Station], dependencies=[Depends(read_access)])
def list_stations(service: LiveService = Depends(get_service)) -> list[dict]:
    """Antennas as `groundnet stations --format json` prints them."""
    return [a.as_dict() for a in service.antennas]
