"""Launch support: who catches the first signal after separation (docs/leop.md)."""

from __future__ import annotations

import asyncio
from functools import lru_cache

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from ...leop import analyse_toml, bundled_scenarios
from ..deps import read_access
from ..schemas import LeopReport, LeopScenarioSummary

router = APIRouter(tags=["leop"])
# One analysis at a time: each can take seconds of CPU, and the board's tick must not starve.
_busy = asyncio.Lock()


GROUND_TRACK_QUERY = Query(False, description="Add each launch time's `ground_track`: the nominal sub-spacecraft "
                                               "points from separation to the end of the analysis (what the board draws).")


@lru_cache(maxsize=8)
def _bundled_report(name: str) -> dict:
    # computed once with the ground track; answers without it leave it out
    return analyse_toml(bundled_scenarios()[name].read_text(encoding="utf-8"), name=name, ground_track=True)


def _without_ground_track(doc: dict) -> dict:
    return {**doc, "launches": [{k: v for k, v in launch.items() if k != "ground_track"} for launch in doc["launches"]]}


async def _analyse(fn, *args, **kwargs) -> dict:
    if _busy.locked():
        raise HTTPException(429, detail="another launch analysis is running; try again in a few seconds")
    async with _busy:
        return await asyncio.to_thread(fn, *args, **kwargs)


@router.get("/leop/scenarios", operation_id="list_leop_scenarios", response_model=list[LeopScenarioSummary],
            dependencies=[Depends(read_access)])
def list_leop_scenarios() -> list[dict]:
    """The bundled launch scenarios (Galileo VS15, ExoMars 2016): name and title."""
    import tomllib

    out = []
    for name, path in bundled_scenarios().items():
        meta = tomllib.loads(path.read_text(encoding="utf-8")).get("scenario", {})
        out.append({"name": name, "title": meta.get("name", name), "description": meta.get("description", "")})
    return out


@router.get("/leop/scenarios/{name}", operation_id="get_leop_scenario", response_model=LeopReport,
            dependencies=[Depends(read_access)])
async def get_leop_scenario(name: str, ground_track: bool = GROUND_TRACK_QUERY) -> dict:
    """A bundled scenario's analysis, as `groundnet leop NAME --format json` prints it (computed once)."""
    if name not in bundled_scenarios():
        raise HTTPException(404, detail=f"no bundled scenario '{name}'; GET /api/v1/leop/scenarios lists them")
    doc = await _analyse(_bundled_report, name)
    return doc if ground_track else _without_ground_track(doc)


@router.post("/leop", operation_id="analyse_leop", response_model=LeopReport, dependencies=[Depends(read_access)],
             openapi_extra={"requestBody": {"content": {"application/toml": {"schema": {"type": "string"}}},
                                            "required": True}})
async def analyse_leop(request: Request, ground_track: bool = GROUND_TRACK_QUERY) -> dict:
    """Analyse a scenario sent as the body (TOML, docs/leop.md): acquisition table, coverage,
    dispersions and the timeline for each launch time. Files on the server cannot be named, and
    the work per request is bounded; a bad scenario gets a 422 listing every mistake."""
    try:
        text = (await request.body()).decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(422, detail="the body must be a TOML scenario in UTF-8") from None
    return await _analyse(analyse_toml, text, name="request body", ground_track=ground_track)
