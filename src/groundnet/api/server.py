"""How the app is served: uvicorn's options, and the WebSocket protocol the live push writes frames to.

The live push sends the same board to every WebSocket client. Through plain ASGI each send would
encode the text and build the RFC 6455 frame again, per client, and wait its turn in that client's
task. ``FramedWebSocketProtocol`` is uvicorn's own sans-I/O WebSocket protocol with one addition: it
offers, under the ASGI scope extension ``groundnet.frames``, a way to write a frame built once
(``Message.ws_frame``) straight to the connection when the connection can take it. Everything else
(handshake, pings, close, what the client sends) is uvicorn's. Another ASGI server, or the test
client, does not offer the extension, and the push then sends through ASGI as usual.
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

FRAMES_EXTENSION = "groundnet.frames"
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


class FramedWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's sans-I/O WebSocket protocol, offering a :class:`FrameWriter` to the application."""

    async def run_asgi(self) -> None:
        self.scope["extensions"][FRAMES_EXTENSION] = FrameWriter(self)
        await super().run_asgi()


def uvicorn_options(settings) -> dict:
    """The options ``uvicorn.run``/``uvicorn.Config`` take for these settings, besides the app."""
    ws = FramedWebSocketProtocol if settings.ws_protocol == FRAMED else settings.ws_protocol
    # Compression off: a board goes to every client unchanged, deflating it per client costs CPU for nothing.
    return {"host": settings.host, "port": settings.port, "log_level": "warning", "ws": ws,
            "ws_per_message_deflate": False, "timeout_graceful_shutdown": 3}
