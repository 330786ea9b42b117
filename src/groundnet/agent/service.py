"""``groundnet agent``: a station that runs its antenna's contacts from a groundnet server.

The agent follows the server's clock (``GET /api/v1/clock``: real time, or a replay at the server's
speed), reads the plan (``GET /api/v1/plan``), runs each contact of its antenna with the tracking core
and the Hamlib devices (``runner.PassRunner``), and posts station events (``POST /api/v1/events``)
through a spool file (``spool.EventSpool``) from a sender thread, so that tracking never waits for the
network. Event ids are derived from what they describe (``ANTENNA:CONTACT:aos``, ...): a restart that
runs a contact again sends the same ids, and the server keeps one of each.

A server that is down or answers 5xx is retried with back-off (0.5 s doubling to 30 s), as are the
devices; an event the server refuses as invalid (4xx other than 401, 408 and 429) is set aside with a
note, never retried forever.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Callable

import httpx

from ..errors import GroundnetError
from ..live.clock import Clock
from ..timebase import format_utc, parse_utc
from .runner import MAX_BACKOFF_S, PassRunner, TrackSettings, describe_event
from .spool import EventSpool
from .target import resolve_object

log = logging.getLogger("groundnet.agent")
PLAN_AHEAD_S = 12 * 3600.0
PLAN_REFRESH_WALL_S = 10.0
RETRYABLE = {401, 408, 429}
# At exit, how long to wait for the server to take the spooled events (a server just restarted, or
# busy, can take many seconds); what is left stays in the spool for the next start.
EXIT_DRAIN_S = 30.0


class ServerError(GroundnetError):
    """The server could not be reached or answered with an error."""


class ServerClient:
    """The few calls the agent makes, with the token as ``Authorization: Bearer``."""

    def __init__(self, base_url: str, token: str | None, *, timeout_s: float = 10.0):
        self.base = base_url.rstrip("/")
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.http = httpx.Client(base_url=f"{self.base}/api/v1", headers=headers, timeout=timeout_s)

    def _get(self, path: str, **params) -> dict:
        try:
            r = self.http.get(path, params=params)
        except httpx.HTTPError as exc:
            raise ServerError(f"{self.base}: cannot reach the server ({exc.__class__.__name__}: {exc})") from None
        if r.status_code != 200:
            raise ServerError(f"{self.base}{r.request.url.path}: HTTP {r.status_code}: {r.text[:200]}")
        try:
            return r.json()
        except ValueError:
            raise ServerError(f"{self.base}{r.request.url.path}: the answer is not JSON") from None

    def clock(self) -> dict:
        return self._get("/clock")

    def plan(self, start: float, end: float) -> dict:
        return self._get("/plan", start=format_utc(start), end=format_utc(end))

    def post_event(self, event: dict) -> int:
        """The HTTP status (201 stored, 200 already stored); ServerError when the server cannot be reached."""
        try:
            return self.http.post("/events", json=event).status_code
        except httpx.HTTPError as exc:
            raise ServerError(f"{self.base}: cannot reach the server ({exc.__class__.__name__})") from None

    def close(self) -> None:
        self.http.close()


class Sender(threading.Thread):
    """Sends the spool's events in order, with back-off while the server is away."""

    def __init__(self, client: ServerClient, spool: EventSpool, on_note: Callable[[str], None]):
        super().__init__(name="agent-sender", daemon=True)
        self.client, self.spool, self.on_note = client, spool, on_note
        self.stop = threading.Event()
        self.wake = threading.Event()
        self.sent = 0
        self.rejected: list[tuple[dict, int]] = []
        self._failing = False

    def flush_once(self) -> bool:
        """Try every pending event once; True when the spool is empty afterwards."""
        for ev in self.spool.pending():
            try:
                status = self.client.post_event(ev)
            except ServerError as exc:
                if not self._failing:
                    self.on_note(f"{exc}; events wait in {self.spool.path} and are sent when it answers")
                self._failing = True
                return False
            if status in (200, 201):
                self.spool.ack([ev["event_id"]])
                self.sent += 1
                if self._failing:
                    self.on_note(f"{self.client.base}: answering again")
                self._failing = False
            elif status >= 500 or status in RETRYABLE:
                if not self._failing:
                    self.on_note(f"{self.client.base}: HTTP {status} for event {ev['event_id']}; retrying"
                                 + (" (check the token: `groundnet token create NAME`)" if status == 401 else ""))
                self._failing = True
                return False
            else:
                self.on_note(f"{self.client.base}: refused event {ev['event_id']} (HTTP {status}); set aside")
                self.rejected.append((ev, status))
                self.spool.ack([ev["event_id"]])
        return len(self.spool) == 0

    def run(self) -> None:
        backoff = 0.5
        while not self.stop.is_set():
            if self.flush_once():
                backoff = 0.5
                self.wake.wait(0.5)
            else:
                self.wake.wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_S)
            self.wake.clear()

    def drain(self, timeout_s: float) -> bool:
        """Wait up to ``timeout_s`` for the spool to empty (at exit)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if len(self.spool) == 0:
                return True
            self.wake.set()
            time.sleep(0.1)
        return len(self.spool) == 0


@dataclass
class AgentOptions:
    station: str
    spool_path: str
    max_contacts: int | None = None
    catalog: str | None = None  # element sets for the fleet (default: the bundled demo catalog)
    max_element_age_days: float | None = None  # None: the limit of the orbit's class


class StationAgent:
    def __init__(self, client: ServerClient, antenna, rotator, settings: TrackSettings, options: AgentOptions, *,
                 rotctld=None, rigctld=None, on_note: Callable[[str], None] = lambda m: None):
        self.client, self.antenna, self.rotator, self.settings = client, antenna, rotator, settings
        self.options, self.rotctld, self.rigctld, self.on_note = options, rotctld, rigctld, on_note
        self.spool = EventSpool(options.spool_path)
        self.sender = Sender(client, self.spool, on_note)
        self.clock: Clock | None = None
        self.speed = 1.0
        self.done: set[str] = set()
        self.stop = threading.Event()
        self._fleet = None
        self.reports: list[dict] = []

    # ------------------------------------------------------------------ clock and plan

    def sync_clock(self) -> None:
        c = self.client.clock()
        t = parse_utc(c["time"], "server clock").timestamp()
        speed = float(c.get("speed", 1.0))
        if c.get("mode") == "live" and speed == 1.0:
            if self.clock is None or not self.clock.is_live:
                self.clock, self.speed = Clock(), 1.0
            return
        if self.clock is None or abs(self.clock.now() - t) > 2.0 or speed != self.speed:
            self.clock, self.speed = Clock(start_unix=t, speed=speed), speed

    def _retry(self, what: Callable, describe: str):
        backoff = 0.5
        while not self.stop.is_set():
            try:
                return what()
            except ServerError as exc:
                self.on_note(f"{exc}; {describe} again in {backoff:g} s")
                self.stop.wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_S)
        return None

    def next_contact(self) -> dict | None:
        now = self.clock.now()
        plan = self._retry(lambda: self.client.plan(now - 3600.0, now + PLAN_AHEAD_S), "asking for the plan")
        if plan is None:
            return None
        mine = [c for c in plan.get("contacts", []) if c["antenna_id"].upper() == self.antenna.id.upper()
                and c.get("status") != "cancelled" and c["id"] not in self.done
                and parse_utc(c["end"]).timestamp() > now]
        return min(mine, key=lambda c: c["start"]) if mine else None

    # ------------------------------------------------------------------ events

    def event(self, contact: dict | None, kind: str, t: float, detail: dict) -> None:
        cid = contact["id"] if contact else "none"
        if kind in ("aos", "los"):
            eid = f"{self.antenna.id}:{cid}:{kind}"
        else:
            eid = f"{self.antenna.id}:{cid}:{kind}:{int(round(t * 1000))}"
        ev = {"event_id": eid[:100], "antenna_id": self.antenna.id, "kind": kind, "time": format_utc(t),
              "spacecraft_id": contact["spacecraft_id"] if contact else None, "detail": detail}
        self.spool.add(ev)
        self.sender.wake.set()
        self.on_note(describe_event(kind, t, detail))

    def _object(self, spacecraft_id: str):
        if self._fleet is None:
            from ..missions import load_fleet

            self._fleet = load_fleet(catalog=self.options.catalog or "demo")
        return resolve_object(None, None, spacecraft_id, fleet=self._fleet)

    # ------------------------------------------------------------------ the loop

    def run_contact(self, contact: dict) -> dict:
        now = self.clock.now()
        start, end = parse_utc(contact["start"]).timestamp(), parse_utc(contact["end"]).timestamp()
        obj = self._object(contact["spacecraft_id"])
        settings = TrackSettings(**{**self.settings.__dict__,
                                    "downlink_hz": self.settings.downlink_hz or obj.downlink_hz,
                                    "uplink_hz": self.settings.uplink_hz or obj.uplink_hz})
        track = obj.track(self.antenna, min(now, start) - 2.0, end + 2.0)
        self.on_note(f"contact {contact['id']}: {obj.label}, {contact['start']} .. {contact['end']}")
        for message in obj.age_warnings(start, end, self.options.max_element_age_days):
            self.on_note(f"warning: {message}")
        runner = PassRunner(track, max(start, now), end, self.rotator, settings, now=self.clock.now,
                            speed=self.speed, rotctld=self.rotctld, rigctld=self.rigctld,
                            on_event=lambda kind, t, d: self.event(contact, kind, t, d),
                            on_note=self.on_note, sleep=lambda s: self.stop.wait(s), should_stop=self.stop.is_set)
        report = runner.run()
        return {"contact_id": contact["id"], "spacecraft_id": contact["spacecraft_id"], **report.stats()}

    def run(self) -> list[dict]:
        self.sender.start()
        try:
            if self._retry(self.sync_clock, "asking for the clock") is None and self.stop.is_set():
                return self.reports
            while not self.stop.is_set():
                if self.options.max_contacts is not None and len(self.reports) >= self.options.max_contacts:
                    break
                contact = self.next_contact()
                if contact is None:
                    self.stop.wait(PLAN_REFRESH_WALL_S)
                    self._retry(self.sync_clock, "asking for the clock")
                    continue
                lead_s = 120.0 if self.settings.preposition else 0.0
                wait_sim = parse_utc(contact["start"]).timestamp() - lead_s - self.clock.now()
                if wait_sim > 0:
                    self.stop.wait(min(wait_sim / self.speed, PLAN_REFRESH_WALL_S))
                    if wait_sim / self.speed > PLAN_REFRESH_WALL_S:
                        self._retry(self.sync_clock, "asking for the clock")
                        continue
                try:
                    self.reports.append(self.run_contact(contact))
                except GroundnetError as exc:  # e.g. a spacecraft this agent has no trajectory for
                    self.on_note(f"contact {contact['id']} skipped: {exc}")
                self.done.add(contact["id"])
        finally:
            if not self.sender.drain(EXIT_DRAIN_S):
                self.on_note(f"{len(self.spool)} event(s) not yet acknowledged stay in {self.spool.path}; "
                             "the next start sends them")
            self.sender.stop.set()
            self.sender.wake.set()
            self.sender.join(timeout=5)
        return self.reports
