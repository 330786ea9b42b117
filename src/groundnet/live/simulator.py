"""A built-in station simulator: the events real stations would send, from the plan, with trouble.

Each contact gets a script drawn from a random generator seeded by the contact id, so the same
plan always gives the same events (and restarting the service repeats none: event ids are fixed).
A share ``trouble`` of contacts goes wrong: a late AOS, no carrier lock at all, or an antenna
outage in the middle of the pass (which makes the service re-plan).
"""

from __future__ import annotations

import random

from ..domain import BoardPlan, Contact, StationEvent

TROUBLES = (("late_aos", 0.5), ("no_lock", 0.3), ("outage", 0.2))


class StationSimulator:
    def __init__(self, trouble: float = 0.15, seed: int = 1):
        if not 0.0 <= trouble <= 1.0:
            raise ValueError(f"trouble must be a share in [0, 1], got {trouble}")
        self.trouble = trouble
        self.seed = seed

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

    def script(self, c: Contact) -> list[StationEvent]:
        """Every event a station would send for this contact, in time order."""
        rng = random.Random(f"{self.seed}:{c.id}")
        trouble = self.trouble_of(c)
        pass_s = c.end - c.start
        aos = c.start + (rng.uniform(0.15, 0.3) * pass_s if trouble == "late_aos" else rng.uniform(0.0, 3.0))

        def ev(kind: str, t: float, **detail) -> StationEvent:
            return StationEvent(event_id=f"sim:{c.id}:{kind}", antenna_id=c.antenna_id, kind=kind, time=t,
                                spacecraft_id=c.spacecraft_id, detail={"simulated": True, **detail})

        out = [ev("aos", aos, late=trouble == "late_aos")]
        if trouble != "no_lock":
            lock = aos + rng.uniform(2.0, 8.0)
            out += [ev("carrier_lock", lock), ev("telemetry_lock", lock + rng.uniform(5.0, 20.0))]
            out.append(ev("command_sent", aos + rng.uniform(0.2, 0.5) * (c.end - aos), ranging=rng.random() < 0.3))
        if trouble == "outage":
            start = c.start + rng.uniform(0.4, 0.6) * pass_s
            end = start + rng.uniform(1200.0, 2400.0)
            out = [e for e in out if e.time < start]
            out += [ev("outage_start", start, reason="simulated antenna drive fault", expected_end_unix=end),
                    ev("outage_end", end)]
        else:
            out.append(ev("los", c.end - rng.uniform(0.0, 3.0)))
        return sorted(out, key=lambda e: e.time)

    def events_between(self, plan: BoardPlan, t0: float, t1: float) -> list[StationEvent]:
        """The simulated events with times in (t0, t1]."""
        out = []
        for c in plan.contacts:
            if c.setup_start > t1 or c.teardown_end + 3600.0 < t0:
                continue
            for e in self.script(c):
                # A cancelled contact sends nothing more, except the end of the outage that cancelled it.
                if t0 < e.time <= t1 and (not c.cancelled or e.kind == "outage_end"):
                    out.append(e)
        return sorted(out, key=lambda e: e.time)
