"""Live push: the board once a second and every event as it arrives, over WebSocket and SSE.

Both carry the same messages ``{"type": "board"|"event"|"plan", "seq": N, "data": ...}``. A
client that reconnects says the last ``seq`` it saw (WebSocket: ``{"since_seq": N}`` or
``?since_seq=N``; SSE: the ``Last-Event-ID`` header or ``?since_seq=N``) and first receives what
it missed: the events still buffered, then the newest board.
"""

from __future__ import annotations

import asyncio
import json

from fastapi import APIRouter, HTTPException, Query, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import StreamingResponse

from ...live.hub import Hub
from ..schemas import TEXT

router = APIRouter(tags=["live"])


def _allowed(app, token: str | None) -> bool:
    if app.state.settings.public_read:
        return True
    return bool(token) and app.state.service.token_name(token) is not None


@router.websocket("/live")
async def live_ws(ws: WebSocket, since_seq: int | None = Query(None), token: str | None = Query(None)) -> None:
    if not await asyncio.to_thread(_allowed, ws.app, token):
        await ws.close(code=4401, reason="this needs an API token (?token=...)")
        return
    hub: Hub = ws.app.state.hub
    await ws.accept()
    sub, backlog = hub.subscribe(since_seq)
    send_lock = asyncio.Lock()

    async def send(messages) -> None:
        async with send_lock:
            for m in messages:
                await ws.send_text(m.text)
                hub.sent(m)

    async def receive() -> None:
        """Catch-up requests from the client; its disconnect ends the subscription."""
        try:
            while True:
                raw = await ws.receive_text()
                try:
                    msg = json.loads(raw)
                    since = int(msg["since_seq"]) if isinstance(msg, dict) and "since_seq" in msg else None
                except (ValueError, TypeError, KeyError):
                    async with send_lock:
                        await ws.send_text(json.dumps({"type": "error", "data": {"detail": "send {\"since_seq\": N}"}}))
                    continue
                if since is not None:
                    await send(hub.catch_up(since))
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            hub.end(sub)

    # One task per connection reads the queue; the receiver ends it by ending the subscription.
    receiver = asyncio.create_task(receive())
    try:
        await send(backlog)
        while (msg := await sub.queue.get()) is not None:
            await send([msg])
        if not receiver.done():  # dropped for being too slow: it reconnects and catches up
            await ws.close(code=4008, reason="too slow: reconnect with since_seq")
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        hub.end(sub)
        receiver.cancel()


@router.get("/live/sse", operation_id="live_sse", response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": TEXT},
                             "description": "Server-Sent Events: `id:` is the seq, `data:` the message."}})
async def live_sse(request: Request, since_seq: int | None = Query(None), token: str | None = Query(None)):
    """The live stream as Server-Sent Events (reconnect with `Last-Event-ID` to catch up)."""
    auth = request.headers.get("authorization", "")
    if not await asyncio.to_thread(_allowed, request.app, token or auth.removeprefix("Bearer ").strip() or None):
        raise HTTPException(401, detail="this needs an API token")
    last = request.headers.get("last-event-id")
    if since_seq is None and last and last.strip().isdigit():
        since_seq = int(last)
    hub: Hub = request.app.state.hub
    sub, backlog = hub.subscribe(since_seq)

    async def stream():
        try:
            yield b"retry: 1000\n\n"
            for m in backlog:
                yield m.sse
            while True:
                try:
                    async with asyncio.timeout(15.0):  # no extra task per message, unlike wait_for
                        msg = await sub.queue.get()
                except TimeoutError:
                    yield b": keep-alive\n\n"
                    continue
                if msg is None:
                    return
                yield msg.sse
                hub.sent(msg)
        finally:
            hub.unsubscribe(sub)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
