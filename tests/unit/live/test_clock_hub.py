"""The replay clock and the live hub's catch-up."""

from __future__ import annotations

import asyncio

import pytest

from groundnet.live.clock import Clock
from groundnet.live.hub import KEEP_ALIVE, Hub


class FakeWall:
    def __init__(self, t: float = 1_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


def test_live_clock_follows_the_wall():
    wall = FakeWall()
    clock = Clock(wall=wall)
    assert clock.now() == wall.t and clock.state().mode == "live"
    wall.t += 2.5
    assert clock.now() == wall.t


def test_replay_runs_at_speed_pauses_and_jumps():
    wall = FakeWall()
    clock = Clock(start_unix=1.787e9, speed=60.0, wall=wall)
    assert clock.state().mode == "replay"
    wall.t += 10
    assert clock.now() == pytest.approx(1.787e9 + 600)
    clock.set(paused=True)
    wall.t += 100
    assert clock.now() == pytest.approx(1.787e9 + 600)
    clock.set(paused=False, speed=2.0)
    wall.t += 1
    assert clock.now() == pytest.approx(1.787e9 + 602)
    clock.set(time_unix=5.0)
    assert clock.now() == 5.0
    clock.set(live=True)
    assert clock.now() == wall.t and clock.state().as_dict()["mode"] == "live"
    with pytest.raises(ValueError):
        clock.set(speed=0)


def test_catch_up_sends_missed_events_then_the_newest_board():
    hub = Hub(buffer=10)
    hub.publish("board", {"n": 1})
    seen = hub.publish("event", {"e": 1}).seq
    hub.publish("board", {"n": 2})
    e2 = hub.publish("event", {"e": 2})
    last_board = hub.publish("board", {"n": 3})
    got = hub.catch_up(seen)
    assert [m.seq for m in got] == [e2.seq, last_board.seq]
    assert hub.catch_up(last_board.seq) == []
    assert hub.catch_up(None) == [last_board]
    # Too far behind for the buffer: every event still held, then the board.
    for i in range(20):
        hub.publish("event", {"e": 10 + i})
    got = hub.catch_up(0)
    assert got[-1] == last_board or got[-1].type == "event"
    assert len(got) <= 10 + 1


def test_a_subscriber_behind_keeps_the_newest_board_and_its_events_in_order():
    async def run():
        hub = Hub(max_events=3)
        fast = hub.subscribe()
        slow = hub.subscribe()
        got = []
        for i in range(5):
            hub.publish("board", {"i": i})
            got.append(await fast.next())
        e1 = hub.publish("event", {"e": 1})
        newest = hub.publish("board", {"i": 5})
        e2 = hub.publish("event", {"e": 2})
        assert [m.seq for m in got] == list(range(hub.seq - 7, hub.seq - 2))
        # The slow one never read: five older boards were replaced; it gets the events and the newest board in seq order.
        assert slow.pending == 3
        assert [await slow.next() for _ in range(3)] == [e1, newest, e2]
        assert await slow.next(timeout=0.01) is KEEP_ALIVE
        # More events waiting than it may hold: dropped, told by None, and gone from the hub.
        assert [await fast.next() for _ in range(3)] == [e1, newest, e2]
        for i in range(4):
            hub.publish("event", {"e": 10 + i})
            assert (await fast.next()).seq == hub.seq
        assert slow.dropped and await slow.next() is None and hub.subscriber_count == 1
        assert not fast.dropped and fast.pending == 0

    asyncio.run(run())


def test_a_writer_takes_messages_at_once_and_what_it_refuses_waits():
    async def run():
        hub = Hub()
        hub.publish("board", {"i": 0})
        written, open_ = [], [True]

        def writer(msg):
            if not open_[0]:
                return False
            written.append(msg)
            return True

        sub = hub.subscribe(since_seq=0, writer=writer)
        assert [m.seq for m in written] == [hub.seq] and sub.pending == 0, "the catch-up went straight out"
        hub.publish("board", {"i": 1})
        assert len(written) == 2 and hub.fanout_ms()["deliveries"] == 1, "the catch-up is not counted"
        open_[0] = False  # the client is behind: boards wait, the newest replacing the older
        hub.publish("board", {"i": 2})
        last = hub.publish("board", {"i": 3})
        assert len(written) == 2 and sub.pending == 1
        open_[0] = True  # writable again: the waiting board is not overtaken by the next one
        nxt = hub.publish("board", {"i": 4})
        assert sub.pending == 1 and await sub.next() == nxt
        assert last.seq < nxt.seq

        def gone(msg):
            raise ConnectionResetError("closed")

        other = hub.subscribe(writer=gone)
        assert other.ended and hub.subscriber_count == 1

    asyncio.run(run())


def test_frames_are_built_once_per_message_as_rfc_6455_and_sse_say():
    hub = Hub()
    small = hub.publish("event", {"e": "x"})
    assert small.ws_frame == bytes((0x81, len(small.text))) + small.text.encode()
    mid = hub.publish("board", {"pad": "é" * 100})  # length counted in bytes: 2 per é
    n = len(mid.text.encode())
    assert 126 <= n < 65536 and mid.ws_frame[:4] == bytes((0x81, 126)) + n.to_bytes(2, "big")
    big = hub.publish("board", {"pad": "x" * 70000})
    assert big.ws_frame[:2] == bytes((0x81, 127)) and int.from_bytes(big.ws_frame[2:10], "big") == len(big.text)
    assert big.ws_frame is big.ws_frame and big.sse == f"id: {big.seq}\ndata: {big.text}\n\n".encode()


def test_replay_stays_inside_the_computable_span():
    from groundnet.errors import TimeRangeError
    from groundnet.timebase import SPAN_END_UNIX

    wall = FakeWall()
    clock = Clock(start_unix=SPAN_END_UNIX - 10.0, speed=100.0, wall=wall)
    wall.t += 3600
    assert clock.now() == SPAN_END_UNIX  # a replay that reaches the end stops there
    with pytest.raises(TimeRangeError, match="outside the span"):
        clock.set(time_unix=253402297200.0)  # 9999-12-31T23:00:00Z
    assert clock.now() == SPAN_END_UNIX
    with pytest.raises(TimeRangeError):
        Clock(start_unix=SPAN_END_UNIX + 86400.0, wall=wall)
