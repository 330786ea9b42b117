"""DSN-Now-compatible feeds of our network, and the imported partner network."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response

from ...live.dsn_now import config_xml, dsn_xml, parse_dsn_xml
from ...live.service import LiveService
from ...timebase import parse_utc
from ..deps import get_service, read_access, require_token
from ..schemas import TEXT, DsnFeed, PartnerImported, PartnerNetwork

router = APIRouter(tags=["feeds"])
partners = APIRouter(tags=["partners"])


def _fleet(service: LiveService) -> dict:
    return {s.id: s for s in service.fleet}


@router.get("/dsn.xml", operation_id="get_dsn_xml", response_class=Response, dependencies=[Depends(read_access)],
            responses={200: {"content": {"application/xml": TEXT}}})
def get_dsn_xml(request: Request, service: LiveService = Depends(get_service)) -> Response:
    """The board now in NASA DSN Now's dsn.xml schema."""
    board = request.app.state.push.latest_board() or service.board()
    return Response(dsn_xml(board, service.antennas, _fleet(service)), media_type="application/xml")


@router.get("/config.xml", operation_id="get_config_xml", response_class=Response,
            dependencies=[Depends(read_access)], responses={200: {"content": {"application/xml": TEXT}}})
def get_config_xml(service: LiveService = Depends(get_service)) -> Response:
    """Sites, dishes and spacecraft names in DSN Now's config.xml schema."""
    return Response(config_xml(service.antennas, _fleet(service)), media_type="application/xml")


@router.get("/dsn.json", operation_id="get_dsn_json", response_model=DsnFeed, dependencies=[Depends(read_access)])
def get_dsn_json(request: Request, service: LiveService = Depends(get_service)) -> dict:
    """dsn.xml read back into JSON: {time, antennas: [antenna state...]}."""
    board = request.app.state.push.latest_board() or service.board()
    return parse_dsn_xml(dsn_xml(board, service.antennas, _fleet(service)), "dsn.xml", service.antennas)


@partners.get("/partners/dsn", operation_id="get_partner_dsn", response_model=PartnerNetwork,
              dependencies=[Depends(read_access)])
def get_partner_dsn(service: LiveService = Depends(get_service)) -> dict:
    """The imported NASA DSN Now feed, as {time, source, imported_at, antennas: [antenna state...]}."""
    return service.partner("dsn")


@partners.post("/partners/dsn", operation_id="post_partner_dsn", status_code=201, response_model=PartnerImported,
               openapi_extra={"requestBody": {"content": {"application/xml": {"schema": {"type": "string"}}},
                                              "required": True}})
async def post_partner_dsn(request: Request, _: str = Depends(require_token)) -> dict:
    """Import a DSN Now dsn.xml sent as the request body (needs a token)."""
    body = await request.body()
    service: LiveService = request.app.state.service
    data = parse_dsn_xml(body, "request body", service.antennas)
    await asyncio.to_thread(service.save_partner, data, "request body")
    return {"time": data["time"], "antennas": len(data["antennas"])}


@partners.get("/partners/ssf", operation_id="get_partner_ssf", dependencies=[Depends(read_access)])
def get_partner_ssf(at: str | None = Query(None, description="ISO 8601 UTC; default: the clock's now."),
                    service: LiveService = Depends(get_service)) -> dict:
    """The imported partner Simple Schedule (SSF) as the partner model at a moment: {time, source, originator,
    imported_at, antennas: [antenna state...], activities: [...], problems: [refused records]}."""
    t = None if at is None else parse_utc(at, "at").timestamp()
    data = service.partner_ssf(t)
    if data is None:
        raise HTTPException(404, detail="no partner schedule imported: start the server with --partner-ssf FILE|URL, "
                                        "or POST an SSF document to /api/v1/partners/ssf")
    return data


@partners.post("/partners/ssf", operation_id="post_partner_ssf", status_code=201,
               openapi_extra={"requestBody": {"content": {"application/xml": {"schema": {"type": "string"}}},
                                              "required": True}})
async def post_partner_ssf(request: Request, _: str = Depends(require_token)) -> dict:
    """Import a partner's CCSDS Simple Schedule sent as the request body (needs a token). Bad activities are
    refused with line and element and reported; the good ones are kept."""
    from ...ccsds.ssf import network_sites, parse_ssf

    body = await request.body()
    service: LiveService = request.app.state.service
    ssf = parse_ssf(body, "request body", sites=network_sites(service.antennas))
    data = await asyncio.to_thread(service.save_partner_ssf, ssf, "request body")
    return {"time": data["time"], "activities": len(data["activities"]), "problems": data["problems"]}
