"""DSN-Now-compatible feeds of our network, and the imported partner network."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Request, Response

from ...live.dsn_now import config_xml, dsn_xml, parse_dsn_xml
from ...live.service import LiveService
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
