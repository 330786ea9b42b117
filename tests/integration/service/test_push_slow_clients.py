"""A live client that stops reading never delays the others, and is given the newest board when it reads again.

A real uvicorn on loopback, run as `groundnet serve` runs it; the clients are plain sockets, so the
stalled one is truly stalled (a small receive buffer, never read) and the healthy one is timed as
its bytes arrive. Both transports, WebSocket and Server-Sent Events.
"""

from __future__ import annotations

import json
import select
import socket
import time

import pytest

from groundnet.timebase import parse_utc_in_span

from .conftest import T0_ISO, Served

TICK_S = 1.0  # the default period
STALL_S = 14.0  # long enough to fill what the sockets hold (about 200 KB: 7 boards)


def _open(base: str, kind: str, rcvbuf: int | None = None) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    s = socket.socket()
    if rcvbuf:  # before connecting, so that the window the server sees is small from the start
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.connect((host, int(port)))
    if kind == "websocket":
        extra = ("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n")
        path = "/api/v1/live"
    else:
        extra, path = "Accept: text/event-stream\r\n", "/api/v1/live/sse"
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n{extra}\r\n".encode())
    return s


class Stream:
    """The live messages in a raw byte stream: RFC 6455 frames (unmasked, from a server) or SSE events."""

    def __init__(self, kind: str):
        self.kind = kind
        self.buf = bytearray()
        self.head = None

    def feed(self, data: bytes) -> list[dict]:
        self.buf += data
        if self.head is None:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return []
            self.head = bytes(self.buf[:end])
            assert self.head.startswith(b"HTTP/1.1 101" if self.kind == "websocket" else b"HTTP/1.1 200"), self.head
            del self.buf[:end + 4]
        return self._frames() if self.kind == "websocket" else self._events()

    def _frames(self) -> list[dict]:
        out = []
        while len(self.buf) >= 2:
            opcode, n, at = self.buf[0] & 0x0F, self.buf[1] & 0x7F, 2
            if n == 126:
                n, at = int.from_bytes(self.buf[2:4], "big"), 4
            elif n == 127:
                n, at = int.from_bytes(self.buf[2:10], "big"), 10
            if len(self.buf) < at + n:
                break
            assert self.buf[0] & 0x80 and not self.buf[1] & 0x80, "a final, unmasked frame"
            if opcode == 1:
                out.append(json.loads(self.buf[at:at + n]))
            del self.buf[:at + n]
        return out

    def _events(self) -> list[dict]:
        out = []
        while (end := self.buf.find(b"\n\n")) >= 0:
            for line in bytes(self.buf[:end]).split(b"\n"):
                if line.startswith(b"data: "):
                    out.append(json.loads(line[6:]))
            del self.buf[:end + 2]
        return out


def _read(sock: socket.socket, stream: Stream, until: float, stop=lambda msgs: False) -> list[tuple[float, dict]]:
    """Read for as long as ``until`` allows (or until ``stop`` says so): (arrival time, message) of each message."""
    got: list[tuple[float, dict]] = []
    while (left := until - time.time()) > 0 and not stop(got):
        if select.select([sock], [], [], min(left, 0.05))[0]:
            data = sock.recv(1 << 20)
            assert data, "the server closed the connection"
            now = time.time()
            got += [(now, m) for m in stream.feed(data)]
    return got


@pytest.mark.parametrize("kind", ["websocket", "sse"])
def test_a_stalled_client_delays_nobody_and_then_gets_the_newest_board(sqlite_url, small_fleet, kind):
    from groundnet.api.app import create_app
    from groundnet.api.settings import Settings

    app = create_app(Settings(database=sqlite_url, clock=T0_ISO, plan_ahead_h=2, plan_behind_h=1, tick_s=TICK_S),
                     fleet=small_fleet)
    with Served(app) as served:
        hub = app.state.hub
        stalled = _open(served.base, kind, rcvbuf=4096)  # connected, and never read while the others are timed
        healthy, healthy_stream = _open(served.base, kind), Stream(kind)
        _read(healthy, healthy_stream, time.time() + 2 * TICK_S)  # connected and past its catch-up board
        start = time.time()
        boards = [(t, m) for t, m in _read(healthy, healthy_stream, start + STALL_S) if m["type"] == "board"]
        lateness = [t - parse_utc_in_span(m["data"]["generated_at"]) for t, m in boards]
        assert hub.behind >= 1, "the stalled client's boards wait at the server (its socket buffers are full)"
        assert len(boards) >= STALL_S / TICK_S - 2, f"{len(boards)} boards in {STALL_S} s"
        assert max(lateness) < TICK_S, f"a board reached the healthy client {max(lateness):.3f} s after it was built"
        assert [m["seq"] for _, m in boards] == sorted(m["seq"] for _, m in boards)

        # The stalled client reads again: what its socket buffers hold, then (within one period) the newest board.
        newest = hub.catch_up(None)[0].seq
        resumed = time.time()
        got = _read(stalled, Stream(kind), resumed + 3 * TICK_S, stop=lambda g: any(m["seq"] >= newest for _, m in g))
        seqs = [m["seq"] for _, m in got if m["type"] == "board"]
        assert seqs and seqs[-1] >= newest, f"no board as new as {newest} within {3 * TICK_S} s: {seqs[-3:]}"
        assert got[-1][0] - resumed < TICK_S, f"the newest board came {got[-1][0] - resumed:.3f} s after reading resumed"
        skipped = len(boards) - len([s for s in seqs if s >= boards[0][1]["seq"]])
        assert skipped >= 2, f"boards older than the newest were queued for it, not replaced ({len(seqs)} received)"
        assert seqs == sorted(seqs)
        stalled.close()
        healthy.close()
