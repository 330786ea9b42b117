"""Tracking data against predictions: the residuals of a TDM, for a spacecraft or one contact of the plan."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from ...live.service import LiveService
from ..deps import get_service, read_access

router = APIRouter(tags=["residuals"])


def _contact(service: LiveService, contact_id: str):
    """A contact of the plan by id (``SPACECRAFT@t/ANTENNA/trx_on``: the plan around its start is searched)."""
    try:
        t = float(contact_id.rsplit("/", 1)[1])
    except (IndexError, ValueError):
        raise HTTPException(404, detail=f"no contact '{contact_id}': ids look like SOLO@1787472000/CEB/1787473801 "
                                        "(GET /api/v1/plan lists them)") from None
    for c in service.plan_between(t - 86400.0, t + 86400.0).contacts:
        if c.id == contact_id:
            return c
    raise HTTPException(404, detail=f"no contact '{contact_id}' in the plan (GET /api/v1/plan lists them)")


@router.post("/residuals", operation_id="post_residuals", dependencies=[Depends(read_access)],
             openapi_extra={"requestBody": {"content": {"text/plain": {"schema": {"type": "string"}},
                                                        "application/xml": {"schema": {"type": "string"}}},
                                            "required": True}})
async def post_residuals(request: Request,
                         spacecraft: str | None = Query(None, description="Spacecraft id of the fleet (or give contact)."),
                         contact: str | None = Query(None, description="A contact id of the plan: its spacecraft, and "
                                                     "only its antenna between set-up and tear-down."),
                         service: LiveService = Depends(get_service)) -> dict:
    """Residuals (measured - predicted) of a CCSDS TDM sent as the body (KVN or XML), against the fleet's
    trajectory: {object, stats: [per station and observable], series: [times, residuals], not_compared}.
    Nothing is stored."""
    from ...ccsds import parse_message
    from ...ccsds.residuals import tdm_residuals

    if (spacecraft is None) == (contact is None):
        raise HTTPException(422, detail="give spacecraft=ID or contact=ID")
    c = _contact(service, contact) if contact is not None else None
    sc_id = c.spacecraft_id if c is not None else spacecraft
    sc = next((s for s in service.fleet if s.id == sc_id), None)
    if sc is None or sc.trajectory is None:
        raise HTTPException(404, detail=f"unknown spacecraft '{sc_id}'; GET /api/v1/spacecraft lists the fleet")
    try:
        text = (await request.body()).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HTTPException(422, detail="the body is not UTF-8 text: send a CCSDS TDM (KVN or XML)") from None
    tdm = parse_message(text, "request body", expect="TDM")
    report = await asyncio.to_thread(tdm_residuals, tdm, sc.trajectory, {a.id: a for a in service.antennas})
    if c is not None:
        report.series = [s.between(c.setup_start, c.teardown_end) for s in report.series if s.station == c.antenna_id]
        report.series = [s for s in report.series if s.times_unix.size]
    out = report.as_dict()
    out["contact"] = c.as_dict() if c is not None else None
    return out
