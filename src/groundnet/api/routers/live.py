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
from ...store import repo

router = APIRouter(tags=["live"])


def _allowed(app, token: str | None) -> bool:
    if app.state.settings.public_read:
        return True
    if not token:
        return False
    with app.state.service.store.session() as s:
        return repo.token_name(s, token) is not None


@router.websocket("/live")
async def live_ws(ws: WebSocket, since_seq: int | None = Query(None), token: str | None = Query(None)) -> None:
    if not await asyncio.to_thread(_allowed, ws.app, token):
        await ws.close(code=4401, reason="this needs an API token (?token=...)")
        return
    hub: Hub = ws.app.state.hub
    await ws.accept()
    sub, backlog = hub.subscribe(since_seq)
    send_lock = asyncio.Lock()

    async def send(texts) -> None:
        async with send_lock:
            for text in texts:
                await ws.send_text(text)

    async def receive() -> None:
        while True:
            raw = await ws.receive_text()
            try:
                msg = json.loads(raw)
                since = int(msg["since_seq"]) if isinstance(msg, dict) and "since_seq" in msg else None
            except (ValueError, TypeError, KeyError):
                await send([json.dumps({"type": "error", "data": {"detail": "send {\"since_seq\": N}"}})])
                continue
            if since is not None:
                await send([m.text for m in hub.catch_up(since)])

    receiver = asyncio.create_task(receive())
    try:
        await send([m.text for m in backlog])
        while True:
            getter = asyncio.create_task(sub.queue.get())
            done, _ = await asyncio.wait({getter, receiver}, return_when=asyncio.FIRST_COMPLETED)
            if receiver in done:
                getter.cancel()
                break
            msg = getter.result()
            if msg is None:  # dropped: too slow; the client reconnects and catches up
                await ws.close(code=4008, reason="too slow: reconnect with since_seq")
                break
            await send([msg.text])
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        hub.unsubscribe(sub)
        receiver.cancel()


@router.get("/live/sse", operation_id="live_sse", response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}},
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

    def frame(m) -> str:
        return f"id: {m.seq}\ndata: {m.text}\n\n"

    async def stream():
        try:
            yield "retry: 1000\n\n"
            for m in backlog:
                yield frame(m)
            while True:
                try:
                    msg = await asyncio.wait_for(sub.queue.get(), timeout=15.0)
                except asyncio.TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                if msg is None:
                    return
                yield frame(msg)
        finally:
            hub.unsubscribe(sub)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
