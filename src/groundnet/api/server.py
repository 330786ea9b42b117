"""How the app is served: uvicorn's options, and the WebSocket protocol the live push writes frames to.

The live push sends the same board to every WebSocket client. Through plain ASGI each send would
encode the text and build the RFC 6455 frame again, per client, and wait its turn in that client's
task. ``FramedWebSocketProtocol`` is uvicorn's own sans-I/O WebSocket protocol with one addition: it
offers, under the ASGI scope extension ``groundnet.frames``, a way to write a frame built once
(``Message.ws_frame``) straight to the connection when the connection can take it. Everything else
(handshake, pings, close, what the client sends) is uvicorn's. Another ASGI server, or the test
client, does not offer the extension, and the push then sends through ASGI as usual.

Live connections (WebSocket, and SSE through ``LiveHttpProtocol``'s ``groundnet.send_buffer``
extension) keep a small kernel send buffer, so that a client that stops reading soon holds the
server back and is then given the newest board rather than the kernel's stale ones.
"""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

FRAMES_EXTENSION = "groundnet.frames"
SEND_BUFFER_EXTENSION = "groundnet.send_buffer"
SEND_BUFFER_BYTES = 64 * 1024
# The default of ``GROUNDNET_WS_PROTOCOL``: the protocol below; uvicorn's own names are accepted too.
FRAMED = "framed"


class FrameWriter:
    """Writes pre-built frames to one accepted WebSocket connection (the value of the scope extension)."""

    def __init__(self, protocol: FramedWebSocketProtocol):
        self._protocol = protocol

    @property
    def writable(self) -> asyncio.Event:
        """Set while the connection's write buffer is below its high-water mark (and once it is lost)."""
        return self._protocol.writable

    def write(self, frame: bytes) -> bool:
        """Write ``frame`` now (True), or not while the client is behind on reading (False).

        Raises ``ConnectionResetError`` once the connection is closed or closing."""
        p = self._protocol
        if p.disconnected or p.close_sent or p.transport.is_closing() or not p.handshake_complete:
            raise ConnectionResetError("the WebSocket connection is closed")
        if not p.writable.is_set():
            return False
        p.transport.write(frame)
        return True


def keep_send_buffer_small(transport) -> None:
    """Keep a live connection's kernel send buffer at ``SEND_BUFFER_BYTES`` (Linux doubles it).

    Left to itself the kernel grows it to megabytes (on loopback at once): minutes of boards that a
    client that stopped reading would read, stale, before the newest. Kept small, such a client's
    backlog is a few boards, and the rest waits at the server as one board, the newest.
    """
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER_BYTES)


class FramedWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's sans-I/O WebSocket protocol, offering a :class:`FrameWriter` to the application."""

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        keep_send_buffer_small(transport)  # every WebSocket here is a live push

    async def run_asgi(self) -> None:
        self.scope["extensions"][FRAMES_EXTENSION] = FrameWriter(self)
        await super().run_asgi()


class LiveHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools HTTP protocol, offering a streaming response (SSE) a small kernel send buffer.

    The scope extension ``groundnet.send_buffer`` is a function of no arguments that applies
    :func:`keep_send_buffer_small` to the request's connection; ordinary responses leave it alone."""

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.scope["extensions"] = {SEND_BUFFER_EXTENSION: self._keep_send_buffer_small}

    def _keep_send_buffer_small(self) -> None:
        keep_send_buffer_small(self.transport)


def uvicorn_options(settings) -> dict:
    """The options ``uvicorn.run``/``uvicorn.Config`` take for these settings, besides the app."""
    ws = FramedWebSocketProtocol if settings.ws_protocol == FRAMED else settings.ws_protocol
    # Compression off: a board goes to every client unchanged, deflating it per client costs CPU for nothing.
    return {"host": settings.host, "port": settings.port, "log_level": "warning", "http": LiveHttpProtocol, "ws": ws,
            "ws_per_message_deflate": False, "timeout_graceful_shutdown": 3}
