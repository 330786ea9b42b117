"""The live hub: numbered messages fanned out to subscribers, with a replay buffer for catch-up.

Every message gets the next sequence number and is serialised once. A subscriber that reconnects
with the last number it saw gets every event it missed and the newest board (older boards are
superseded). A subscriber too slow to keep its queue short is dropped; it reconnects and catches up.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Message:
    seq: int
    type: str  # board | event | plan | partner
    text: str  # the JSON the client receives: {"type", "seq", "data"}
    created: float = field(default_factory=time.monotonic)

    @cached_property
    def sse(self) -> bytes:
        """The Server-Sent Events frame, encoded once for every client."""
        return f"id: {self.seq}\ndata: {self.text}\n\n".encode()


# Put in an idle subscriber's queue by its connection's own timer: "send a keep-alive now".
KEEP_ALIVE = object()


class Subscriber:
    def __init__(self, maxsize: int):
        self.queue: asyncio.Queue[Message | None] = asyncio.Queue(maxsize)
        self.dropped = False


class Hub:
    def __init__(self, buffer: int = 2000, queue_size: int = 64, start_seq: int = 0):
        self._seq = start_seq
        self._buffer: deque[Message] = deque(maxlen=buffer)
        self._latest_board: Message | None = None
        self._subscribers: set[Subscriber] = set()
        self._queue_size = queue_size
        # Seconds from publishing each recent board to handing it to each client's connection.
        self._fanout: deque[list[float]] = deque(maxlen=15)

    @property
    def seq(self) -> int:
        return self._seq

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

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
            try:
                sub.queue.put_nowait(msg)
            except asyncio.QueueFull:
                self._drop(sub)
        return msg

    def sent(self, msg: Message) -> None:
        """Note that ``msg`` was handed to one client's connection (for the fan-out figures)."""
        if msg is self._latest_board and self._fanout:
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
        """Stop a subscription; its reader gets ``None`` next."""
        self._drop(sub)

    def _drop(self, sub: Subscriber) -> None:
        sub.dropped = True
        self._subscribers.discard(sub)
        while not sub.queue.empty():
            sub.queue.get_nowait()
        sub.queue.put_nowait(None)

    def catch_up(self, since_seq: int | None) -> list[Message]:
        """What a client that saw ``since_seq`` missed: the later events still buffered, then the newest board."""
        board = self._latest_board
        if since_seq is None:
            return [board] if board else []
        missed = [m for m in self._buffer if m.seq > since_seq and m.type != "board"]
        if board is not None and board.seq > since_seq:
            missed.append(board)
        return sorted(missed, key=lambda m: m.seq)

    def subscribe(self, since_seq: int | None = None) -> tuple[Subscriber, list[Message]]:
        sub = Subscriber(self._queue_size)
        backlog = self.catch_up(since_seq)
        self._subscribers.add(sub)
        return sub, backlog

    def unsubscribe(self, sub: Subscriber) -> None:
        self._subscribers.discard(sub)

    def close(self) -> None:
        for sub in list(self._subscribers):
            self._drop(sub)
