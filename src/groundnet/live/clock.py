"""The service clock: real time or a replay of any moment at any speed, through one code path.

Board time advances as ``anchor_board + speed * (wall - anchor_wall)`` while running. Live
operation is the special case anchored at the wall clock with speed 1. The wall clock is the
only outside reading, and it is injected (``wall``) so tests drive time by hand.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Callable

from ..timebase import SPAN_END_UNIX, check_in_span, format_utc


@dataclass(frozen=True)
class ClockState:
    time_unix: float
    mode: str  # "live" | "replay"
    speed: float
    paused: bool

    def as_dict(self) -> dict:
        return {"time": format_utc(self.time_unix), "mode": self.mode, "speed": self.speed, "paused": self.paused}


class Clock:
    """Board time. ``Clock()`` is live; ``Clock(start_unix=..., speed=...)`` replays."""

    def __init__(self, start_unix: float | None = None, speed: float = 1.0, *,
                 wall: Callable[[], float] = time.time, paused: bool = False):
        if not speed > 0:
            raise ValueError(f"clock speed must be positive, got {speed}")
        self._wall = wall
        self._lock = threading.Lock()
        self._live = start_unix is None and speed == 1.0
        self._anchor_wall = wall()
        self._anchor_board = self._anchor_wall if start_unix is None else check_in_span(float(start_unix), "clock")
        self._speed = float(speed)
        self._paused = paused

    def now(self) -> float:
        with self._lock:
            return self._now_locked()

    def _now_locked(self) -> float:
        if self._paused:
            return self._anchor_board
        # A replay stops at the end of the computable span instead of running past what can be computed.
        return min(self._anchor_board + self._speed * (self._wall() - self._anchor_wall), SPAN_END_UNIX)

    @property
    def is_live(self) -> bool:
        return self._live

    def state(self) -> ClockState:
        with self._lock:
            return ClockState(self._now_locked(), "live" if self._live else "replay", self._speed, self._paused)

    def set(self, *, time_unix: float | None = None, speed: float | None = None,
            paused: bool | None = None, live: bool = False) -> ClockState:
        """Jump, change speed, pause or resume; ``live=True`` returns to real time at speed 1."""
        if speed is not None and not speed > 0:
            raise ValueError(f"clock speed must be positive, got {speed}")
        with self._lock:
            wall = self._wall()
            current = self._now_locked()
            if live:
                self._anchor_board, self._speed, self._paused, self._live = wall, 1.0, False, True
            else:
                self._anchor_board = current if time_unix is None else check_in_span(float(time_unix), "clock time")
                if speed is not None:
                    self._speed = float(speed)
                if paused is not None:
                    self._paused = paused
                self._live = False
            self._anchor_wall = wall
        return self.state()
