"""The replay clock and the live hub's catch-up."""

from __future__ import annotations

import asyncio

import pytest

from groundnet.live.clock import Clock
from groundnet.live.hub import Hub


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


def test_a_slow_subscriber_is_dropped_not_waited_for():
    async def run():
        hub = Hub(queue_size=3)
        fast, _ = hub.subscribe()
        slow, _ = hub.subscribe()
        for i in range(3):
            hub.publish("board", {"i": i})
            await fast.queue.get()
        hub.publish("board", {"i": 3})
        assert slow.dropped and hub.subscriber_count == 1
        assert await slow.queue.get() is None

    asyncio.run(run())


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
