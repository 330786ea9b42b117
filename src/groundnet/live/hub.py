"""The live hub: numbered messages fanned out to subscribers, with a replay buffer for catch-up.

Every message gets the next sequence number and is serialised once, and encoded once per wire
format (the SSE frame, the RFC 6455 frame). A subscriber that reconnects with the last number it saw
gets every event it missed and the newest board (older boards are superseded). A subscriber that
cannot keep up holds at most one board, the newest, and its events in order; one with more than
``max_events`` events waiting is dropped: it reconnects and catches up.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Message:
    seq: int
    type: str  # board | event | plan | partner
    text: str  # the JSON the client receives: {"type", "seq", "data"}
    created: float = field(default_factory=time.monotonic)

    @cached_property
    def utf8(self) -> bytes:
        return self.text.encode()

    @cached_property
    def sse(self) -> bytes:
        """The Server-Sent Events frame, encoded once for every client."""
        return b"id: %d\ndata: %s\n\n" % (self.seq, self.utf8)

    @cached_property
    def ws_frame(self) -> bytes:
        """The WebSocket text frame (RFC 6455 section 5.2: final, unmasked, as a server sends), framed once for every client."""
        n = len(self.utf8)
        if n < 126:
            head = bytes((0x81, n))
        elif n < 1 << 16:
            head = bytes((0x81, 126)) + n.to_bytes(2, "big")
        else:
            head = bytes((0x81, 127)) + n.to_bytes(8, "big")
        return head + self.utf8


# What ``Subscriber.next`` returns when nothing came within its timeout: "send a keep-alive now".
KEEP_ALIVE = object()


class Subscriber:
    """One live connection's messages not yet sent: its events in order and the newest board.

    A newer board replaces one not yet sent, so a client that falls behind skips boards and is
    then given the newest, never a queue of stale ones. ``writer``, when set, takes a message
    straight to the connection if it can accept it now (True) or not (False: the message waits
    here for the connection's own task); publishing then costs no task switch per client.
    """

    def __init__(self, max_events: int):
        self.max_events = max_events
        self.writer: Callable[[Message], bool] | None = None
        self.dropped = False  # more than max_events events waited: the client must reconnect and catch up
        self.ended = False
        self.caught_up_to = -1  # the last seq it was given as a catch-up
        self._events: deque[Message] = deque()
        self._board: Message | None = None
        self._ready = asyncio.Event()

    @property
    def pending(self) -> int:
        return len(self._events) + (self._board is not None)

    def offer(self, msg: Message) -> bool:
        """Hand ``msg`` to the connection at once (True) or keep it for the connection's task (False).

        A writer that raises ``OSError`` (the connection is gone) or ``RuntimeError`` (not in a state to take
        it) ends the subscription: one connection never stops the fan-out to the others."""
        if self.ended:
            return False
        if self.writer is not None and not self.pending:
            try:
                if self.writer(msg):
                    return True
            except (OSError, RuntimeError):
                self.end()
                return False
        if msg.type == "board":
            if self._board is None or msg.seq > self._board.seq:
                self._board = msg
        elif len(self._events) >= self.max_events:
            self.dropped = True
            self.end()
            return False
        else:
            self._events.append(msg)
        self._ready.set()
        return False

    def pop(self) -> Message | None:
        """The waiting message with the lowest seq (events before a later board), or None."""
        if self._events and (self._board is None or self._events[0].seq < self._board.seq):
            return self._events.popleft()
        board, self._board = self._board, None
        return board

    def put_back(self, msg: Message) -> None:
        """Return a message ``pop`` gave that could not be written yet (unless a newer board replaced it meanwhile)."""
        if msg.type != "board":
            self._events.appendleft(msg)
        elif self._board is None:
            self._board = msg

    def end(self) -> None:
        """Stop: the connection's task gets ``None`` next."""
        self.ended = True
        self._events.clear()
        self._board = None
        self._ready.set()

    async def wait(self, timeout: float | None = None) -> bool:
        """Until something waits to be sent or the subscription ends (True), or ``timeout`` seconds pass (False)."""
        if self.pending or self.ended:
            return True
        self._ready.clear()
        # A timer that sets the flag, not asyncio.wait_for (which makes a task per call: per client per board).
        timer = None if timeout is None else asyncio.get_running_loop().call_later(timeout, self._ready.set)
        try:
            await self._ready.wait()
        finally:
            if timer is not None:
                timer.cancel()
        return bool(self.pending) or self.ended

    async def next(self, timeout: float | None = None):
        """The next message to send; ``None`` once the subscription ended; ``KEEP_ALIVE`` after ``timeout`` idle seconds."""
        if not await self.wait(timeout):
            return KEEP_ALIVE
        return None if self.ended else self.pop()


class Hub:
    def __init__(self, buffer: int = 2000, max_events: int = 256, start_seq: int = 0):
        self._seq = start_seq
        self._buffer: deque[Message] = deque(maxlen=buffer)
        self._latest_board: Message | None = None
        self._subscribers: set[Subscriber] = set()
        self._max_events = max_events
        # Seconds from publishing each recent board to handing it to each client's connection.
        self._fanout: deque[list[float]] = deque(maxlen=15)

    @property
    def seq(self) -> int:
        return self._seq

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    @property
    def behind(self) -> int:
        """Subscribers with messages waiting for their connection to drain (clients behind on reading)."""
        return sum(1 for sub in self._subscribers if sub.pending)

    def publish(self, type_: str, data: dict) -> Message:
        """Number, serialise and fan out one message (call from the event loop's thread)."""
        self._seq += 1
        msg = Message(self._seq, type_, json.dumps({"type": type_, "seq": self._seq, "data": data},
                                                   separators=(",", ":"), allow_nan=False))
        self._buffer.append(msg)
        if type_ == "board":
            self._latest_board = msg
            self._fanout.append([])
        for sub in list(self._subscribers):
            if sub.offer(msg):
                self.sent(msg)
            elif sub.ended:
                self._subscribers.discard(sub)
        return msg

    def deliver(self, sub: Subscriber, messages) -> None:
        """Give one subscriber ``messages``, a catch-up (not counted in the fan-out figures: it was published before)."""
        for msg in messages:
            sub.caught_up_to = max(sub.caught_up_to, msg.seq)
            sub.offer(msg)
        if sub.ended:
            self._subscribers.discard(sub)

    def sent(self, msg: Message, sub: Subscriber | None = None) -> None:
        """Note that ``msg`` was handed to ``sub``'s connection (for the fan-out figures: boards as published)."""
        if msg is self._latest_board and self._fanout and (sub is None or msg.seq > sub.caught_up_to):
            self._fanout[-1].append(time.monotonic() - msg.created)

    def fanout_ms(self) -> dict:
        """Delivery of the last boards to the connections: count, p50, p99 and max in milliseconds."""
        lat = sorted(x for board in self._fanout for x in board)
        if not lat:
            return {"deliveries": 0, "p50_ms": None, "p99_ms": None, "max_ms": None}

        def q(p: float) -> float:
            return round(lat[min(len(lat) - 1, int(p * len(lat)))] * 1000, 2)

        return {"deliveries": len(lat), "p50_ms": q(0.5), "p99_ms": q(0.99), "max_ms": q(1.0)}

    def end(self, sub: Subscriber) -> None:
        """Stop a subscription; its connection's task gets ``None`` next."""
        self._subscribers.discard(sub)
        sub.end()

    def catch_up(self, since_seq: int | None) -> list[Message]:
        """What a client that saw ``since_seq`` missed: the later events still buffered, then the newest board."""
        board = self._latest_board
        if since_seq is None:
            return [board] if board else []
        missed = [m for m in self._buffer if m.seq > since_seq and m.type != "board"]
        if board is not None and board.seq > since_seq:
            missed.append(board)
        return sorted(missed, key=lambda m: m.seq)

    def subscribe(self, since_seq: int | None = None,
                  writer: Callable[[Message], bool] | None = None) -> Subscriber:
        """A new subscriber, given first what a client that saw ``since_seq`` missed (see ``catch_up``)."""
        sub = Subscriber(self._max_events)
        sub.writer = writer
        self._subscribers.add(sub)
        self.deliver(sub, self.catch_up(since_seq))
        return sub

    def close(self) -> None:
        for sub in list(self._subscribers):
            self.end(sub)
