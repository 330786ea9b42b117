"""Live push: the board once a second and every event as it arrives, over WebSocket and SSE.

Both carry the same messages ``{"type": "board"|"event"|"plan", "seq": N, "data": ...}``. A
client that reconnects says the last ``seq`` it saw (WebSocket: ``{"since_seq": N}`` or
``?since_seq=N``; SSE: the ``Last-Event-ID`` header or ``?since_seq=N``) and first receives what
it missed: the events still buffered, then the newest board.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from operator import attrgetter

from fastapi import APIRouter, HTTPException, Query, Request, Response, WebSocket, WebSocketDisconnect

from ...live.hub import KEEP_ALIVE, Hub, Message, Subscriber
from ..server import FRAMES_EXTENSION, FrameWriter
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
    sub = hub.subscribe(since_seq)

    async def receive() -> None:
        """Catch-up requests from the client; its disconnect ends the subscription."""
        try:
            while True:
                raw = await ws.receive_text()
                try:
                    msg = json.loads(raw)
                    since = int(msg["since_seq"]) if isinstance(msg, dict) and "since_seq" in msg else None
                except (ValueError, TypeError, KeyError):
                    await ws.send_text(json.dumps({"type": "error", "data": {"detail": "send {\"since_seq\": N}"}}))
                    continue
                if since is not None:
                    hub.deliver(sub, hub.catch_up(since))
        except (WebSocketDisconnect, RuntimeError, OSError):
            pass
        finally:
            hub.end(sub)

    receiver = asyncio.create_task(receive())
    try:
        if (frames := ws.scope.get("extensions", {}).get(FRAMES_EXTENSION)) is not None:
            await _push(hub, sub, frames, attrgetter("ws_frame"))
        else:
            while (msg := await sub.next()) is not None:
                await ws.send_text(msg.text)
                hub.sent(msg, sub)
        if sub.dropped and not receiver.done():  # fell too far behind on events: it reconnects and catches up
            await ws.close(code=4008, reason="too slow: reconnect with since_seq")
    except (WebSocketDisconnect, RuntimeError, OSError):
        pass
    finally:
        hub.end(sub)
        receiver.cancel()


async def _push(hub: Hub, sub: Subscriber, frames: FrameWriter, frame: Callable[[Message], bytes],
                keep_alive: bytes | None = None, keep_alive_s: float | None = None) -> None:
    """Push to one client through the server's frame writer, until the subscription ends.

    Publishing writes each message's bytes for this transport (``frame(msg)``, built once for all clients)
    straight to the connection. This task sends only what waited: the catch-up, and what came while the
    client was behind on reading (once its connection drains: the events, then the newest board).
    """
    sub.writer = lambda m: frames.write(frame(m))
    while True:
        if not await sub.wait(keep_alive_s):  # every keep_alive_s with nothing waiting
            frames.write(keep_alive)
            continue
        if sub.ended:
            return
        await frames.drain()
        while (msg := sub.pop()) is not None:
            if not frames.write(frame(msg)):  # behind again: it waits for the next drain (a newer board replaces it)
                sub.put_back(msg)
                break
            hub.sent(msg, sub)


class EventStream(Response):
    """The SSE response, written straight to the connection: through the server's frame writer when it offers
    one (see ``_push``), else one ``send`` per message, with no generator, task group or per-message timer in
    between. A second task waits for the client to leave and ends the subscription."""

    media_type = "text/event-stream"
    KEEP_ALIVE_S = 15.0
    KEEP_ALIVE = b": keep-alive\n\n"  # a comment line now and then keeps proxies from closing an idle stream

    def __init__(self, hub: Hub, sub: Subscriber):
        # Not Response.__init__: that would declare Content-Length 0 for a body that never ends.
        self.status_code, self.background, self.body = 200, None, b""
        self.raw_headers = [(b"content-type", b"text/event-stream; charset=utf-8"), (b"cache-control", b"no-cache"),
                            (b"x-accel-buffering", b"no")]
        self.hub, self.sub = hub, sub

    async def __call__(self, scope, receive, send) -> None:
        hub, sub = self.hub, self.sub

        async def until_disconnect() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            hub.end(sub)

        watcher = asyncio.create_task(until_disconnect())
        frames: FrameWriter | None = scope.get("extensions", {}).get(FRAMES_EXTENSION)
        try:
            await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
            await send({"type": "http.response.body", "body": b"retry: 1000\n\n", "more_body": True})
            if frames is not None:
                await _push(hub, sub, frames, attrgetter("sse"), self.KEEP_ALIVE, self.KEEP_ALIVE_S)
                return
            # A client behind on reading holds this task in ``send``; meanwhile a newer board replaces the one
            # waiting, so it is given the newest next.
            while (msg := await sub.next(self.KEEP_ALIVE_S)) is not None:
                body = self.KEEP_ALIVE if msg is KEEP_ALIVE else msg.sse
                await send({"type": "http.response.body", "body": body, "more_body": True})
                if msg is not KEEP_ALIVE:
                    hub.sent(msg, sub)
        except OSError:  # the client went away mid-write
            pass
        finally:
            hub.end(sub)
            watcher.cancel()


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
    return EventStream(hub, hub.subscribe(since_seq))
