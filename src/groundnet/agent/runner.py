"""One pass driven through Hamlib: pre-position, follow, Doppler, report, park.

``PassRunner(...).run()`` blocks from now until the pass's LOS (the clock is injected: real time or a
replay at any speed, ``groundnet.live.clock.Clock``) and returns a :class:`PassReport`. Everything it
learns goes out through callbacks: ``on_row`` (a row per cycle in which a command was sent: the
``--log`` CSV), ``on_event`` (``aos``, ``los``, ``carrier_lock``/``carrier_unlock``, ``outage_start``/
``outage_end``) and ``on_note`` (one-line messages for a person).

Cycle, threshold and look-ahead are in the clock's seconds: at ``--speed N`` a real device sees N
times as many commands per wall second, and a rotator's slew rate (real degrees per second) is
divided by N in the clock's time (``Rotator.scaled``).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..errors import DeviceError
from ..timebase import format_utc
from ..tracking import DopplerGate, Rotator, TargetTrack, angular_separation_deg, downlink_hz, plan_path, uplink_hz
from ..tracking.doppler import DEFAULT_DOPPLER_STEP_HZ

# Defaults that beat gpredict's 5 deg / 1000 ms (bench/tracking.py, bench/RESULTS.md): a command when the
# wanted position moves 1 deg, checked every 0.5 s, aimed ahead by half the threshold (so that the antenna
# leads the object by half a threshold after each command and trails it by half before the next).
DEFAULT_THRESHOLD_DEG = 1.0
DEFAULT_CYCLE_S = 0.5
# A station's signal strength (dB relative to S9) at or above which the carrier counts as locked.
DEFAULT_LOCK_STRENGTH_DB = -54.0  # S0
LOCK_HYSTERESIS_DB = 6.0
STRENGTH_EVERY_S = 5.0
MAX_BACKOFF_S = 30.0
MAX_LEAD_S = 30.0
# The --log columns: what was sent and where the object was, then the cycle's pointing error (the rotator's
# reported position, polled after the commands, and both it and the command against the object; empty before AOS).
LOG_COLUMNS = ["time", "az_deg", "el_deg", "target_az_deg", "target_el_deg", "range_rate_km_s", "downlink_hz",
               "uplink_hz", "reported_az_deg", "reported_el_deg", "pointing_error_deg", "commanded_error_deg"]


@dataclass
class TrackSettings:
    threshold_deg: float = DEFAULT_THRESHOLD_DEG
    cycle_s: float = DEFAULT_CYCLE_S
    lead_s: float | None = None  # aim this far ahead (default: half the threshold at the object's rate)
    doppler_step_hz: float = DEFAULT_DOPPLER_STEP_HZ
    downlink_hz: float | None = None
    uplink_hz: float | None = None
    preposition: bool = True
    flip: bool = True
    park: bool = True
    poll_position: bool = True
    lock_strength_db: float = DEFAULT_LOCK_STRENGTH_DB

    def __post_init__(self):
        from ..errors import SelectionError

        for name in ("threshold_deg", "cycle_s", "doppler_step_hz"):
            v = getattr(self, name)
            if not (math.isfinite(v) and v >= 0) or (name == "cycle_s" and not 0.05 <= v <= 60):
                raise SelectionError(f"--{name.replace('_', '-')} {v!r}: give a non-negative number"
                                     + (" between 0.05 and 60" if name == "cycle_s" else ""))
        if self.lead_s is not None and not (math.isfinite(self.lead_s) and 0 <= self.lead_s <= MAX_LEAD_S):
            raise SelectionError(f"--lead-s {self.lead_s!r}: give seconds between 0 and {MAX_LEAD_S:g}")
        for name in ("downlink_hz", "uplink_hz"):
            v = getattr(self, name)
            if v is not None and not (math.isfinite(v) and v > 0):
                raise SelectionError(f"--{name.replace('_', '-')} {v!r}: give a positive frequency in Hz, e.g. 145.8e6")

    def lead(self, rate_deg_s: float) -> float:
        """Seconds ahead to aim at, for an object moving ``rate_deg_s`` across the sky."""
        if self.lead_s is not None:
            return self.lead_s
        return min(max(self.cycle_s / 2, 0.5 * self.threshold_deg / max(rate_deg_s, 1e-3)), MAX_LEAD_S)


class Guarded:
    """A device behind retries with back-off: a failure opens an outage (reported once), success closes it."""

    def __init__(self, client, what: str, on_event, on_note, wall: Callable[[], float] = time.monotonic):
        self.client, self.what, self.on_event, self.on_note, self.wall = client, what, on_event, on_note, wall
        self.outage_since: float | None = None
        self.backoff_s = 0.5
        self.next_try = 0.0
        self.failures = 0
        self.answers = 0

    def call(self, t: float, method: str, *args):
        """The method's result, or None while the device is failing (waiting for its next retry)."""
        if self.client is None or self.wall() < self.next_try:
            return None
        try:
            result = getattr(self.client, method)(*args)
        except DeviceError as exc:
            self.failures += 1
            self.next_try = self.wall() + self.backoff_s
            self.on_note(f"{exc}; retrying in {self.backoff_s:g} s")
            self.backoff_s = min(self.backoff_s * 2, MAX_BACKOFF_S)
            if self.outage_since is None:
                self.outage_since = t
                self.on_event("outage_start", t, {"device": self.what, "reason": str(exc)[:300]})
            return None
        self.answers += 1
        if self.outage_since is not None:
            self.on_event("outage_end", t, {"device": self.what, "since": format_utc(self.outage_since)})
            self.on_note(f"{self.client.name}: answering again")
            self.outage_since = None
        self.backoff_s = 0.5
        return True if result is None else result


@dataclass
class PassReport:
    aos: float
    los: float
    rows: list[dict] = field(default_factory=list)
    commanded_error_deg: list[float] = field(default_factory=list)
    reported_error_deg: list[float] = field(default_factory=list)
    rotator_commands: int = 0
    radio_commands: int = 0
    warnings: list[str] = field(default_factory=list)
    path: dict = field(default_factory=dict)

    def stats(self) -> dict:
        def mx(v):
            return round(float(np.max(v)), 3) if v else None

        def rms(v):
            return round(float(np.sqrt(np.mean(np.square(v)))), 3) if v else None

        minutes = max((self.los - self.aos) / 60.0, 1e-9)
        return {"max_pointing_error_deg": mx(self.reported_error_deg), "rms_pointing_error_deg": rms(self.reported_error_deg),
                "max_commanded_error_deg": mx(self.commanded_error_deg),
                "rms_commanded_error_deg": rms(self.commanded_error_deg),
                "rotator_commands": self.rotator_commands, "radio_commands": self.radio_commands,
                "rotator_commands_per_min": round(self.rotator_commands / minutes, 1),
                "radio_commands_per_min": round(self.radio_commands / minutes, 1)}


def _noop(*_args, **_kw):
    return None


class PassRunner:
    def __init__(self, track: TargetTrack, aos: float, los: float, rotator: Rotator, settings: TrackSettings, *,
                 now: Callable[[], float], speed: float = 1.0, rotctld=None, rigctld=None,
                 on_row=_noop, on_event=_noop, on_note=_noop, sleep: Callable[[float], None] = time.sleep,
                 should_stop: Callable[[], bool] = lambda: False):
        self.track, self.aos, self.los = track, float(aos), float(los)
        self.rotator = rotator.scaled(speed)  # rates in the clock's seconds
        self.settings, self.now, self.speed, self.sleep = settings, now, float(speed), sleep
        self.on_row, self.on_event, self.on_note, self.should_stop = on_row, on_event, on_note, should_stop
        self.rot = Guarded(rotctld, "rotator", on_event, on_note)
        self.rig = Guarded(rigctld, "radio", on_event, on_note)
        self.down = DopplerGate(settings.doppler_step_hz)
        self.up = DopplerGate(settings.doppler_step_hz)
        self.report = PassReport(self.aos, self.los)
        self.last_cmd: tuple[float, float] | None = None
        self.locked = False
        self.next_strength = -math.inf
        self.path = None
        self._last_pos: tuple[float, tuple[float, float]] | None = None
        self._slew_samples: list[float] = []

    # ------------------------------------------------------------------ planning

    def plan(self, start: tuple[float, float] | None = None):
        """The pass's path from where the rotator stands (or is parked); its warnings are said now, before AOS."""
        tt = self.track.times_unix
        inside = (tt >= self.aos - 1e-6) & (tt <= self.los + 1e-6)
        if inside.sum() < 2:
            inside = np.ones_like(tt, dtype=bool)
        lead = max(self.aos - self.now(), 0.0) if self.settings.preposition else 0.0
        self.path = plan_path(tt[inside], self.track.azimuth_deg[inside], self.track.elevation_deg[inside],
                              self.rotator, start=start, lead_s=lead, allow_flip=self.settings.flip)
        self.report.warnings = list(self.path.warnings)
        self.report.path = self.path.summary()
        for w in self.path.warnings:
            self.on_note(f"{self.track.object_name} over {self.track.antenna.id} at {format_utc(self.aos)}: {w}")
        return self.path

    # ------------------------------------------------------------------ the loop

    def _rotator_position(self, t: float) -> tuple[float, float] | None:
        if not self.settings.poll_position:
            return None
        pos = self.rot.call(t, "get_position")
        return pos if isinstance(pos, tuple) else None

    def _command_rotator(self, t: float, cmd: tuple[float, float]) -> bool:
        if self.last_cmd is not None and float(angular_separation_deg(*cmd, *self.last_cmd)) < max(
                self.settings.threshold_deg, 0.01):
            return False
        if self.rot.call(t, "set_position", *cmd) is None:
            if self.rot.outage_since is not None:
                self.last_cmd = None  # after the outage: send the position again whatever the threshold
            return False
        self.last_cmd = cmd
        self.report.rotator_commands += 1
        return True

    def _tune(self, t: float, range_rate: float) -> bool:
        s = self.settings
        sent = False
        if s.downlink_hz is not None:
            f = self.down.offer(float(downlink_hz(s.downlink_hz, range_rate)))
            if f is not None and self.rig.call(t, "set_frequency", f):
                self.down.sent(f)
                self.report.radio_commands += 1
                sent = True
        if s.uplink_hz is not None:
            f = self.up.offer(float(uplink_hz(s.uplink_hz, range_rate)))
            method = "set_split_frequency" if s.downlink_hz is not None else "set_frequency"
            if f is not None and self.rig.call(t, method, f):
                self.up.sent(f)
                self.report.radio_commands += 1
                sent = True
        if self.rig.outage_since is not None:
            self.down.reset()
            self.up.reset()
        return sent

    def _strength(self, t: float) -> None:
        if self.rig.client is None or t < self.next_strength:
            return
        self.next_strength = t + STRENGTH_EVERY_S
        db = self.rig.call(t, "get_strength_db")
        if db is None or db is True:
            return
        # Hysteresis: a strength wavering around the threshold does not flap between lock and unlock.
        locked = db >= self.settings.lock_strength_db - (LOCK_HYSTERESIS_DB if self.locked else 0.0)
        if locked != self.locked:
            self.on_event("carrier_lock" if locked else "carrier_unlock", t, {"signal_strength_db": db})
            self.locked = locked

    def _measure_slew(self, t: float, cmd: tuple[float, float]) -> None:
        """While pre-positioning, the rotator's own rate (real deg/s); a rotator slower than configured by a
        fifth gets its path planned again with the measured rate, and says so."""
        pos = self._rotator_position(t)
        if pos is None:
            return
        wall = time.monotonic()
        prev, self._last_pos = self._last_pos, (wall, pos)
        far = max(abs(cmd[0] - pos[0]), abs(cmd[1] - pos[1])) > 2.0
        if prev is None or not far or wall - prev[0] < 0.2:
            return
        moved = max(abs(pos[0] - prev[1][0]), abs(pos[1] - prev[1][1]))
        if moved > 0:
            self._slew_samples.append(moved / (wall - prev[0]))
        if len(self._slew_samples) == 5 and not self.report.path.get("measured_slew_deg_s"):
            measured = float(np.median(self._slew_samples))
            configured = self.rotator.az_rate_deg_s * self.speed
            self.report.path["measured_slew_deg_s"] = round(measured, 2)
            if measured < 0.8 * configured:
                from dataclasses import replace

                self.on_note(f"the rotator moves {measured:.1f} deg/s, not the {configured:g} configured: "
                             "path planned again with the measured rate")
                self.rotator = replace(self.rotator, az_rate_deg_s=measured / self.speed,
                                       el_rate_deg_s=measured / self.speed)
                measured_path = self.report.path["measured_slew_deg_s"]
                self.plan(pos)
                self.report.path["measured_slew_deg_s"] = measured_path

    def _setup_radio(self, t: float) -> None:
        s = self.settings
        if self.rig.client is None:
            return
        if s.downlink_hz is not None and s.uplink_hz is not None:
            if self.rig.call(t, "set_split", True, "VFOB"):
                self.report.radio_commands += 1

    def _wait(self, until_wall: float) -> None:
        delay = until_wall - time.monotonic()
        if delay > 0:
            self.sleep(delay)

    def run(self) -> PassReport:
        """Drive the pass to its LOS; on any error or interruption the rotator is told to stop (``S``) first."""
        try:
            return self._run()
        except BaseException:
            if self.rot.client is not None:
                try:
                    self.rot.client.stop()
                except DeviceError:
                    pass
            raise

    def _run(self) -> PassReport:
        s = self.settings
        t = self.now()
        if self.path is None:
            start = self._rotator_position(t) if s.preposition else None
            self.plan(start)
        self._setup_radio(t)
        aos_said = False
        cycle_wall = s.cycle_s / self.speed
        while not self.should_stop():
            tick = time.monotonic()
            t = self.now()
            if t >= self.los:
                break
            in_pass = t >= self.aos
            if not in_pass and not s.preposition:
                self._wait(tick + cycle_wall)
                continue
            sent = False
            pos = err = cmd_err = None
            target = self.track.at(t)
            if in_pass:
                ahead = self.track.at(t + 1.0)
                rate = float(angular_separation_deg(target["azimuth_deg"], target["elevation_deg"],
                                                    ahead["azimuth_deg"], ahead["elevation_deg"]))
                cmd = self.path.at(min(t + s.lead(rate), self.los))
            else:
                cmd = self.path.start
            sent |= self._command_rotator(t, cmd)
            if not in_pass:
                self._measure_slew(t, cmd)
            if in_pass:
                sent |= self._tune(t, target["range_rate_km_s"])
                if self.last_cmd is not None:
                    cmd_err = float(angular_separation_deg(*self.last_cmd, target["azimuth_deg"], target["elevation_deg"]))
                    self.report.commanded_error_deg.append(cmd_err)
                pos = self._rotator_position(t)
                if pos is not None:
                    err = float(angular_separation_deg(*pos, target["azimuth_deg"], target["elevation_deg"]))
                    self.report.reported_error_deg.append(err)
                if not aos_said:
                    aos_said = True
                    self.on_event("aos", t, {"azimuth_deg": round(target["azimuth_deg"], 3),
                                             "elevation_deg": round(target["elevation_deg"], 3),
                                             "pointing_error_deg": None if err is None else round(err, 3),
                                             "path": self.report.path})
                self._strength(t)  # after the AOS event: a lock never comes before it
            if sent:
                self.on_row(self._row(t, target, pos, err, cmd_err))
            self._wait(tick + cycle_wall)
        self._finish(self.now())
        return self.report

    def _row(self, t: float, target: dict, pos: tuple[float, float] | None, err: float | None,
             cmd_err: float | None) -> dict:
        return {"time": format_utc(t),
                "az_deg": None if self.last_cmd is None else round(self.last_cmd[0], 2),
                "el_deg": None if self.last_cmd is None else round(self.last_cmd[1], 2),
                "target_az_deg": round(target["azimuth_deg"], 4), "target_el_deg": round(target["elevation_deg"], 4),
                "range_rate_km_s": round(target["range_rate_km_s"], 6),
                "downlink_hz": _hz(self.down.last_hz), "uplink_hz": _hz(self.up.last_hz),
                "reported_az_deg": None if pos is None else round(pos[0], 2),
                "reported_el_deg": None if pos is None else round(pos[1], 2),
                "pointing_error_deg": _round(err, 3), "commanded_error_deg": _round(cmd_err, 3)}

    def _finish(self, t: float) -> None:
        if self.settings.park and self.rot.client is not None:
            if self.rot.call(t, "set_position", *self.rotator.park):
                self.report.rotator_commands += 1
        self.on_event("los", min(t, self.los), {**self.report.stats(), "path": self.report.path})


def describe_event(kind: str, t: float, detail: dict) -> str:
    """An event as one line for a person: ``AOS 2026-08-22T07:44:20.159Z azimuth_deg=285.341 ...`` (no path)."""
    return f"{kind.upper()} {format_utc(t)}" + "".join(
        f" {k}={v}" for k, v in detail.items() if k != "path" and v is not None)


def _hz(value: float | None) -> int | None:
    return None if value is None else int(value)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)
