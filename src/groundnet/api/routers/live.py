"""Live push: the board once a second and every event as it arrives, over WebSocket and SSE.

Both carry the same messages ``{"type": "board"|"event"|"plan", "seq": N, "data": ...}``. A
client that reconnects says the last ``seq`` it saw (WebSocket: ``{"since_seq": N}`` or
``?since_seq=N``; SSE: the ``Last-Event-ID`` header or ``?since_seq=N``) and first receives what
it missed: the events still buffered, then the newest board.
"""

from __future__ import annotations

import asyncio
import json

from fastapi import APIRouter, HTTPException, Query, Request, Response, WebSocket, WebSocketDisconnect

from ...live.hub import KEEP_ALIVE, Hub, Subscriber
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


class EventStream(Response):
    """The SSE response, written straight to the connection: one ``send`` per message and no generator, task
    group or per-message timer in between (with a thousand clients that per-message overhead is the tail of
    the delivery time). A second task waits for the client to leave and ends the subscription."""

    media_type = "text/event-stream"
    KEEP_ALIVE_S = 15.0

    def __init__(self, hub: Hub, sub: Subscriber, backlog: list):
        # Not Response.__init__: that would declare Content-Length 0 for a body that never ends.
        self.status_code, self.background, self.body = 200, None, b""
        self.raw_headers = [(b"content-type", b"text/event-stream; charset=utf-8"), (b"cache-control", b"no-cache"),
                            (b"x-accel-buffering", b"no")]
        self.hub, self.sub, self.backlog = hub, sub, backlog

    async def __call__(self, scope, receive, send) -> None:
        hub, sub = self.hub, self.sub

        async def until_disconnect() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            hub.end(sub)

        async def keep_alive() -> None:  # a comment line now and then keeps proxies from closing an idle stream
            while True:
                await asyncio.sleep(self.KEEP_ALIVE_S)
                if sub.queue.empty():
                    sub.queue.put_nowait(KEEP_ALIVE)

        watchers = [asyncio.create_task(until_disconnect()), asyncio.create_task(keep_alive())]
        try:
            await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
            await send({"type": "http.response.body", "body": b"retry: 1000\n\n" + b"".join(m.sse for m in self.backlog),
                        "more_body": True})
            while (msg := await sub.queue.get()) is not None:
                if msg is KEEP_ALIVE:
                    await send({"type": "http.response.body", "body": b": keep-alive\n\n", "more_body": True})
                    continue
                await send({"type": "http.response.body", "body": msg.sse, "more_body": True})
                hub.sent(msg)
        except OSError:  # the client went away mid-write
            pass
        finally:
            hub.end(sub)
            for w in watchers:
                w.cancel()


@router.get("/live/sse", operation_id="live_sse", response_class=EventStream, status_code=200,
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
    return EventStream(hub, sub, backlog)
