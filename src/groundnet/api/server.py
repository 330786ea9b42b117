"""How the app is served: uvicorn's options, and the protocols the live push writes its frames to.

The live push sends the same board to every client. Through plain ASGI each send would encode the
text and frame it again, per client, and wait its turn in that client's task. ``groundnet serve``
runs uvicorn's own protocols (httptools for HTTP, sans-I/O websockets for WebSocket) with one
addition: the ASGI scope extension ``groundnet.frames``, a :class:`FrameWriter` that writes bytes
framed once for all clients (``Message.ws_frame``, ``Message.sse``) straight to the connection
when the connection can take them. Everything else (handshake, headers, pings, close, what the
client sends) stays uvicorn's. Another ASGI server, or the test client, does not offer the
extension, and the push then sends through ASGI as usual.

A live connection keeps a small kernel send buffer: a client that stops reading soon holds the
server back, which then keeps only its newest board, instead of the kernel keeping minutes of
stale ones for it.
"""

from __future__ import annotations

import socket

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

FRAMES_EXTENSION = "groundnet.frames"
SEND_BUFFER_BYTES = 64 * 1024
# The default of ``GROUNDNET_WS_PROTOCOL``: the protocol below; uvicorn's own names are accepted too.
FRAMED = "framed"


def keep_send_buffer_small(transport) -> None:
    """Keep a live connection's kernel send buffer at ``SEND_BUFFER_BYTES`` (Linux doubles it).

    Left to itself the kernel grows it to megabytes (on loopback at once): minutes of boards that a
    client that stopped reading would read, stale, before the newest. Kept small, such a client's
    backlog is a few boards, and the rest waits at the server as one board, the newest.
    """
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER_BYTES)


class FrameWriter:
    """Writes pre-framed bytes to one live connection: the value of the ``groundnet.frames`` extension."""

    def write(self, data: bytes) -> bool:
        """Write ``data`` now (True), or not while the client is behind on reading (False).

        Raises ``ConnectionResetError`` once the connection is closed or closing."""
        raise NotImplementedError

    async def drain(self) -> None:
        """Until the connection can take more (or is lost)."""
        raise NotImplementedError


class WebSocketFrameWriter(FrameWriter):
    """Whole RFC 6455 frames to an accepted WebSocket connection."""

    def __init__(self, protocol: FramedWebSocketProtocol):
        self._p = protocol

    def write(self, data: bytes) -> bool:
        p = self._p
        if p.disconnected or p.close_sent or p.transport.is_closing() or not p.handshake_complete:
            raise ConnectionResetError("the WebSocket connection is closed")
        if not p.writable.is_set():
            return False
        p.transport.write(data)
        return True

    async def drain(self) -> None:
        await self._p.writable.wait()  # uvicorn sets it when the connection drains or is lost


class ChunkWriter(FrameWriter):
    """Body bytes of a streaming HTTP response that has started (chunked: each write is one chunk)."""

    def __init__(self, protocol: LiveHttpProtocol):
        self._p = protocol
        self._live = False

    def write(self, data: bytes) -> bool:
        p = self._p
        cycle = p.cycle
        if cycle is None or cycle.disconnected or cycle.response_complete or p.transport.is_closing():
            raise ConnectionResetError("the HTTP connection is closed")
        if not (cycle.response_started and cycle.chunked_encoding):
            raise RuntimeError("only the body of a started, chunked response is written here")
        if not self._live:  # the first write makes this a live stream
            keep_send_buffer_small(p.transport)
            self._live = True
        if p.flow.write_paused:
            return False
        p.transport.writelines((b"%x\r\n" % len(data), data, b"\r\n"))
        return True

    async def drain(self) -> None:
        await self._p.flow.drain()  # uvicorn resumes it when the connection drains or is lost


class FramedWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's sans-I/O WebSocket protocol, offering a :class:`WebSocketFrameWriter` to the application."""

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        keep_send_buffer_small(transport)  # every WebSocket here is a live push

    async def run_asgi(self) -> None:
        self.scope["extensions"][FRAMES_EXTENSION] = WebSocketFrameWriter(self)
        await super().run_asgi()


class LiveHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools HTTP protocol, offering a :class:`ChunkWriter` to the application (used by SSE)."""

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.scope["extensions"] = {FRAMES_EXTENSION: ChunkWriter(self)}


def uvicorn_options(settings) -> dict:
    """The options ``uvicorn.run``/``uvicorn.Config`` take for these settings, besides the app."""
    ws = FramedWebSocketProtocol if settings.ws_protocol == FRAMED else settings.ws_protocol
    # Compression off: a board goes to every client unchanged, deflating it per client costs CPU for nothing.
    return {"host": settings.host, "port": settings.port, "log_level": "warning", "http": LiveHttpProtocol, "ws": ws,
            "ws_per_message_deflate": False, "timeout_graceful_shutdown": 3}
