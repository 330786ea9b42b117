"""A built-in station simulator: the events real stations would send, from the plan, with trouble.

Each contact gets a script drawn from a random generator seeded by the contact id, so the same
plan always gives the same events (and restarting the service repeats none: event ids are fixed).
A share ``trouble`` of contacts goes wrong: a late AOS, no carrier lock at all, or an antenna
outage in the middle of the pass (which makes the service re-plan).

Faults can also be injected, each over a time span (``Fault``): an antenna ``outage`` or
``maintenance`` (the station reports its start and end), a ``weather`` fade on an antenna (the
station loses lock and says why), a ``spacecraft`` anomaly (no signal from the spacecraft on the
contacts that start in the span), an antenna that stays ``silent`` (it reports nothing), and a
``preempt`` span whose contacts an operator cancels. ``truth(contact)`` says what each contact's
end state, cause and time in lock must be, from the script itself, so reports can be checked.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ..domain import BoardPlan, Contact, StationEvent

TROUBLES = (("late_aos", 0.5), ("no_lock", 0.3), ("outage", 0.2))
FAULT_KINDS = ("outage", "maintenance", "weather", "spacecraft", "silent", "preempt")
# A contact is completed when in lock for this share of its pass (as operations.lifecycle decides).
COMPLETE_SHARE = 0.9


@dataclass(frozen=True)
class Fault:
    """One injected fault over [start, end): on an antenna, or on a spacecraft (kind ``spacecraft``)."""

    kind: str
    start: float
    end: float
    antenna_id: str | None = None
    spacecraft_id: str | None = None
    reason: str = ""

    def overlaps(self, t0: float, t1: float) -> bool:
        return self.start < t1 and t0 < self.end


@dataclass(frozen=True)
class Truth:
    """What a contact's record must say: end state, cause (None when completed) and seconds in lock."""

    state: str
    cause: str | None
    in_lock_s: float


def _minus(spans: list[tuple[float, float]], cut0: float, cut1: float) -> list[tuple[float, float]]:
    out = []
    for a, b in spans:
        if b <= cut0 or a >= cut1:
            out.append((a, b))
            continue
        if a < cut0:
            out.append((a, cut0))
        if b > cut1:
            out.append((cut1, b))
    return out


class StationSimulator:
    def __init__(self, trouble: float = 0.15, seed: int = 1, faults: tuple[Fault, ...] | list[Fault] = ()):
        if not 0.0 <= trouble <= 1.0:
            raise ValueError(f"trouble must be a share in [0, 1], got {trouble}")
        self.trouble = trouble
        self.seed = seed
        self.faults = tuple(faults)

    def trouble_of(self, c: Contact) -> str | None:
        rng = random.Random(f"{self.seed}:{c.id}:trouble")
        if rng.random() >= self.trouble:
            return None
        roll, acc = rng.random(), 0.0
        for kind, share in TROUBLES:
            acc += share
            if roll < acc:
                return kind
        return TROUBLES[-1][0]

    # ------------------------------------------------------------------ injected faults

    def cancelling_fault(self, c: Contact) -> Fault | None:
        """The maintenance over the contact, or the pre-emption of it, that cancels it before it starts."""
        for f in self.faults:
            if f.antenna_id not in (None, c.antenna_id) or (f.spacecraft_id not in (None, c.spacecraft_id)):
                continue
            if f.kind == "maintenance" and f.overlaps(c.setup_start, c.teardown_end):
                return f
            if f.kind == "preempt" and f.start <= c.start < f.end:
                return f
        return None

    def fault_of(self, c: Contact) -> Fault | None:
        """The one fault that shapes this contact's script: outage, then silence, weather, spacecraft."""
        def on_antenna(f):
            return f.antenna_id == c.antenna_id

        order = (("outage", lambda f: on_antenna(f) and f.overlaps(c.setup_start, c.teardown_end)),
                 ("silent", lambda f: on_antenna(f) and f.start <= c.start < f.end),
                 ("weather", lambda f: on_antenna(f) and f.overlaps(c.start, c.end)),
                 ("spacecraft", lambda f: f.spacecraft_id == c.spacecraft_id and f.start <= c.start < f.end))
        for kind, hits in order:
            for f in self.faults:
                if f.kind == kind and hits(f):
                    return f
        return None

    def fault_events(self) -> list[StationEvent]:
        """The start and end of every injected outage and maintenance, as the station reports them."""
        out = []
        for i, f in enumerate(self.faults):
            if f.kind in ("outage", "maintenance"):
                detail = {"simulated": True, "reason": f.reason or f"simulated {f.kind}", "expected_end_unix": f.end}
                out.append(StationEvent(f"sim:fault:{i}:{f.kind}_start", f.antenna_id, f"{f.kind}_start", f.start,
                                        None, detail))
                out.append(StationEvent(f"sim:fault:{i}:{f.kind}_end", f.antenna_id, f"{f.kind}_end", f.end, None,
                                        {"simulated": True}))
        return out

    # ------------------------------------------------------------------ scripts

    def _script(self, c: Contact) -> tuple[list[StationEvent], list[tuple[float, float]]]:
        """The contact's events in time order, and the intervals the station was in carrier lock."""
        rng = random.Random(f"{self.seed}:{c.id}")
        fault = self.fault_of(c)
        trouble = None if fault is not None else self.trouble_of(c)
        pass_s = c.end - c.start
        aos = c.start + (rng.uniform(0.15, 0.3) * pass_s if trouble == "late_aos" else rng.uniform(0.0, 3.0))
        counts: dict[str, int] = {}

        def ev(kind: str, t: float, **detail) -> StationEvent:
            n = counts[kind] = counts.get(kind, 0) + 1
            eid = f"sim:{c.id}:{kind}" + (f":{n}" if n > 1 else "")
            return StationEvent(event_id=eid, antenna_id=c.antenna_id, kind=kind, time=t,
                                spacecraft_id=c.spacecraft_id, detail={"simulated": True, **detail})

        prepass = c.setup_start + rng.uniform(0.1, 0.5) * (c.start - c.setup_start)
        out = [ev("prepass_ok", prepass)] if c.start > c.setup_start else []
        out.append(ev("aos", aos, late=trouble == "late_aos"))
        locks: list[tuple[float, float]] = []
        los = c.end - rng.uniform(0.0, 3.0)
        lock = aos + rng.uniform(2.0, 8.0)
        if trouble != "no_lock":
            out += [ev("carrier_lock", lock), ev("telemetry_lock", lock + rng.uniform(5.0, 20.0))]
            out.append(ev("command_sent", aos + rng.uniform(0.2, 0.5) * (c.end - aos), ranging=rng.random() < 0.3))
            locks.append((lock, los))
        if trouble == "outage":
            start = c.start + rng.uniform(0.4, 0.6) * pass_s
            end = start + rng.uniform(1200.0, 2400.0)
            out = [e for e in out if e.time < start]
            out += [ev("outage_start", start, reason="simulated antenna drive fault", expected_end_unix=end),
                    ev("outage_end", end)]
            return sorted(out, key=lambda e: e.time), _minus(locks, start, end)
        out.append(ev("los", los))
        if fault is None:
            return sorted(out, key=lambda e: e.time), locks
        if fault.kind == "silent":
            return [], []
        if fault.kind == "spacecraft":
            return [e for e in out if e.kind in ("prepass_ok", "los")], []
        if fault.kind == "outage":
            out = [e for e in out if not fault.start <= e.time < fault.end]
            locks = _minus(locks, fault.start, fault.end)
            if fault.start < los and lock < fault.end:
                relock = fault.end + 5.0
                if relock < los:
                    out += [ev("aos", fault.end + 2.0), ev("carrier_lock", relock)]
                    locks = [s for s in locks if s[1] <= fault.start] + [(relock, los)]
            return sorted(out, key=lambda e: e.time), locks
        # weather: the station loses lock for the fade and says why; it locks again after it
        ws, we = fault.start, fault.end
        out = [e for e in out if not (e.kind in ("aos", "carrier_lock", "telemetry_lock", "command_sent")
                                      and ws <= e.time < we)]
        if max(ws, lock) < los:
            out.append(ev("carrier_unlock", max(ws, lock), cause="weather", reason=fault.reason or "rain fade"))
            if lock < we < los:
                out.append(ev("carrier_lock", we))
        return sorted(out, key=lambda e: e.time), _minus(locks, ws, we)

    def script(self, c: Contact) -> list[StationEvent]:
        """Every event a station would send for this contact, in time order."""
        return self._script(c)[0]

    def truth(self, c: Contact) -> Truth:
        """The end state, cause and time in lock this contact must get from its events."""
        if c.cancelled or self.cancelling_fault(c) is not None:
            blocked = any(f.kind in ("outage", "maintenance") and f.antenna_id == c.antenna_id
                          and f.overlaps(c.setup_start, c.teardown_end) for f in self.faults)
            return Truth("cancelled", "antenna" if blocked else "pre-emption", 0.0)
        events, locks = self._script(c)
        in_lock = sum(max(0.0, min(b, c.end) - max(a, c.start)) for a, b in locks)
        if in_lock >= COMPLETE_SHARE * (c.end - c.start):
            return Truth("completed", None, in_lock)
        state = "partial" if in_lock > 0 else "failed"
        fault = self.fault_of(c)
        if fault is None and self.trouble_of(c) == "outage" or (
                fault is not None and fault.kind == "outage" and fault.overlaps(c.start, c.end)):
            return Truth(state, "antenna", in_lock)
        if not events:
            return Truth("missed", "unknown", 0.0)
        if fault is not None and fault.kind == "weather":
            return Truth(state, "weather", in_lock)
        if state == "failed":
            return Truth(state, "spacecraft", in_lock)
        return Truth(state, "unknown", in_lock)

    def events_between(self, plan: BoardPlan, t0: float, t1: float) -> list[StationEvent]:
        """The simulated events with times in (t0, t1]."""
        out = [e for e in self.fault_events() if t0 < e.time <= t1]
        for c in plan.contacts:
            if c.setup_start > t1 or c.teardown_end + 3600.0 < t0:
                continue
            for e in self.script(c):
                # A cancelled contact sends nothing more, except the end of the outage that cancelled it.
                if t0 < e.time <= t1 and (not c.cancelled or e.kind == "outage_end"):
                    out.append(e)
        return sorted(out, key=lambda e: e.time)
