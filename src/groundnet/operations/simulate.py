"""A stretch of the network's life through the station simulator, with injected faults whose truth is known.

``simulate`` plans each day with the live service's planner, cancels what maintenance and
pre-emption take, stores the events the simulator's stations send (``live.simulator``), and
decides every contact's record from them (``operations.records``). ``truth_figures`` computes
the same report from what the simulator was told to do, so the two can be compared figure by figure.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field, replace
from typing import Callable

from .. import files
from ..errors import InputFileError
from ..domain import BoardBlock, BoardPlan, Contact
from ..live.simulator import FAULT_KINDS, Fault, StationSimulator, Truth
from ..store import Store, repo
from ..timebase import SECONDS_PER_DAY, format_utc, parse_utc
from .lifecycle import LATE_S, ContactRecord, ContactReport
from .performance import PerformanceRow, performance
from .records import update_records

FAULT_COLUMNS = ("kind", "start", "end", "antenna_id", "spacecraft_id", "reason")


class FaultFileError(InputFileError):
    """A fault file (CSV) has a bad record."""


def read_faults(path, antenna_ids: set[str], spacecraft_ids: set[str]) -> tuple[list[Fault], list[str]]:
    """The faults of a CSV file (header ``kind,start,end,antenna_id,spacecraft_id,reason``) and one line
    per bad record (file, line, field, what to write instead); good records are kept."""
    text = files.read_text(path, what="fault file (CSV)", error=FaultFileError)
    rows = csv.reader(io.StringIO(text))
    header = next(rows, None)
    if header is None or [h.strip() for h in header[:3]] != list(FAULT_COLUMNS[:3]):
        raise FaultFileError(str(path), f"the first line must be the header {','.join(FAULT_COLUMNS)}", line=1)
    names = [h.strip() for h in header]
    faults: list[Fault] = []
    problems: list[str] = []
    for line, values in enumerate(rows, start=2):
        if not values or all(not v.strip() for v in values):
            continue
        rec = {k: (values[i].strip() if i < len(values) else "") for i, k in enumerate(names)}
        try:
            fault = _fault(rec, antenna_ids, spacecraft_ids)
            clash = next((f for f in faults if f.antenna_id and f.antenna_id == fault.antenna_id
                          and f.overlaps(fault.start, fault.end)), None)
            if clash is not None:
                raise ValueError("start", f"overlaps the {clash.kind} on {clash.antenna_id} from "
                                          f"{format_utc(clash.start)}; one fault at a time per antenna")
        except ValueError as exc:
            fld, why = exc.args if len(exc.args) == 2 else ("", str(exc))
            problems.append(str(FaultFileError(str(path), why, line=line, field=fld or None)))
            continue
        faults.append(fault)
    return faults, problems


def _fault(rec: dict, antenna_ids: set[str], spacecraft_ids: set[str]) -> Fault:
    kind = rec.get("kind", "")
    if kind not in FAULT_KINDS:
        raise ValueError("kind", f"unknown fault kind '{kind}'; write one of {', '.join(FAULT_KINDS)}")
    times = []
    for k in ("start", "end"):
        try:
            times.append(parse_utc(rec.get(k, "")).timestamp())
        except Exception:  # noqa: BLE001 - TimeParseError, or an empty cell
            raise ValueError(k, f"'{rec.get(k, '')}' is not an ISO 8601 UTC time, e.g. 2026-08-23T10:00:00Z") from None
    if times[1] <= times[0]:
        raise ValueError("end", "must lie after start")
    antenna = rec.get("antenna_id") or None
    spacecraft = rec.get("spacecraft_id") or None
    if kind == "spacecraft":
        if spacecraft not in spacecraft_ids:
            raise ValueError("spacecraft_id", f"'{spacecraft or ''}' is not a spacecraft of the fleet "
                                              "(groundnet spacecraft lists them)")
        antenna = None
    elif antenna not in antenna_ids:
        raise ValueError("antenna_id", f"'{antenna or ''}' is not an antenna of the network (groundnet stations "
                                       "lists them)")
    if spacecraft is not None and spacecraft not in spacecraft_ids:
        raise ValueError("spacecraft_id", f"'{spacecraft}' is not a spacecraft of the fleet")
    return Fault(kind, times[0], times[1], antenna, spacecraft if kind in ("spacecraft", "preempt") else None,
                 rec.get("reason", ""))


# Faults drawn per week when no fault file is given: (kind, count, shortest hours, longest hours).
RANDOM_FAULTS = (("outage", 3, 0.5, 4.0), ("maintenance", 1, 4.0, 8.0), ("weather", 2, 0.5, 2.0),
                 ("spacecraft", 1, 6.0, 12.0), ("silent", 1, 2.0, 4.0), ("preempt", 1, 3.0, 6.0))


def random_faults(seed: int, start: float, end: float, antenna_ids: list[str], spacecraft_ids: list[str]) -> list[Fault]:
    """Faults drawn from ``seed`` over [start, end): per week what ``RANDOM_FAULTS`` says, one at a time per antenna."""
    rng = random.Random(f"faults:{seed}")
    weeks = max(1, round((end - start) / (7 * SECONDS_PER_DAY)))
    out: list[Fault] = []
    for kind, count, lo_h, hi_h in RANDOM_FAULTS:
        for _ in range(count * weeks):
            for _attempt in range(50):
                dur = rng.uniform(lo_h, hi_h) * 3600.0
                t0 = rng.uniform(start, max(start, end - dur))
                if kind == "spacecraft":
                    f = Fault(kind, t0, t0 + dur, None, rng.choice(sorted(spacecraft_ids)), "simulated spacecraft safe mode")
                else:
                    f = Fault(kind, t0, t0 + dur, rng.choice(sorted(antenna_ids)), None, f"simulated {kind}")
                if f.antenna_id is None or not any(g.antenna_id == f.antenna_id and g.overlaps(f.start, f.end)
                                                    for g in out):
                    out.append(f)
                    break
    return sorted(out, key=lambda f: (f.start, f.kind))


@dataclass
class SimulationResult:
    start: float
    end: float
    now: float  # the moment the records were decided at (every contact is over by then)
    faults: list[Fault]
    contacts: list[Contact] = field(default_factory=list)
    truth: dict[str, Truth] = field(default_factory=dict)
    events: int = 0


def simulate(store: Store, planner, start: float, end: float, *, seed: int, faults: list[Fault],
             progress: Callable[[float, int], None] | None = None) -> SimulationResult:
    """Plan [start, end) day by day, run the stations, store plan, events and records; the truth beside."""
    sim = StationSimulator(trouble=0.0, seed=seed, faults=faults)
    result = SimulationResult(start, end, end, list(faults))
    with store.session() as s:
        for e in sorted(sim.fault_events(), key=lambda e: e.time):
            stored, created = repo.insert_event(s, replace(e, received_at=e.time), "simulator")
            if created:
                repo.apply_block_event(s, stored)
            result.events += created
    day = start
    while day < end:
        day_end = min(end, day + SECONDS_PER_DAY)
        plan = planner.plan(day, day_end)
        contacts = [replace(c, cancelled=True) if sim.cancelling_fault(c) is not None else c for c in plan.contacts]
        with store.session() as s:
            repo.save_plan(s, BoardPlan(day, day_end, contacts, [], plan.detail), created_at=day, reason="simulate",
                           requests=plan.detail.pop("requests", []))
            for c in contacts:
                if c.cancelled:
                    continue
                for e in sim.script(c):
                    _, created = repo.insert_event(s, replace(e, received_at=e.time), "simulator")
                    result.events += created
        result.contacts += contacts
        if progress is not None:
            progress(day, len(contacts))
        day = day_end
    result.now = max([end] + [c.teardown_end + LATE_S for c in result.contacts])
    update_records(store, start, end + SECONDS_PER_DAY, result.now, trigger="simulate")
    result.truth = {c.id: sim.truth(c) for c in result.contacts}
    return result


def truth_records(result: SimulationResult) -> dict[str, ContactRecord]:
    """The truth of each contact in the shape ``performance`` reads."""
    out = {}
    for c in result.contacts:
        t = result.truth[c.id]
        out[c.id] = ContactRecord(c.id, c.antenna_id, c.spacecraft_id, c.mission, t.state,
                                  ContactReport(c.start, c.end, in_lock_s=t.in_lock_s), cause=t.cause)
    return out


def truth_blocks(faults: list[Fault]) -> list[BoardBlock]:
    return [BoardBlock(f.antenna_id, f.kind, f.start, f.end, f.reason) for f in faults
            if f.kind in ("outage", "maintenance")]


def truth_figures(result: SimulationResult, period: str, by: str, keys: list[str] | None = None) -> list[PerformanceRow]:
    """The performance report as it must come out of the store, computed from the injected truth."""
    return performance(result.contacts, truth_records(result), truth_blocks(result.faults), result.start, result.end,
                       period, by, keys)
