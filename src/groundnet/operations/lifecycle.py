"""The life of a contact, decided from the station's events, the antenna's blocks and the clock.

``decide(contact, events, blocks, now)`` is a pure function: the same inputs give the same record,
so the live service, ``groundnet simulate`` and the tests all go through it, and a late event is
taken into account by deciding again (``revise`` keeps the history of what was decided before).

States: ``scheduled`` (before setup) -> ``pre-pass`` (setup) -> ``in-progress`` (from the planned
start, or from AOS if the station acquires early; its ``phase`` is the last of ``aos``,
``carrier_lock``, ``telemetry_lock``, ``los``) -> an end state once the teardown is over:
``completed``, ``partial``, ``failed``, ``missed`` or ``cancelled``, each but ``completed`` with a cause:
``antenna`` (antenna or network fault), ``spacecraft`` (spacecraft or user side), ``weather``,
``pre-emption`` or ``unknown``.

A station that reports no lock, only what it delivered afterwards (``data_received``, as a SatNOGS
client's uploads are recorded), is judged on that: a recording delivered completes the contact, a
report without one fails it (cause ``antenna``: the station ran and recorded nothing), no report is
a miss.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..domain import BoardBlock, Contact, StationEvent

STATES = ("scheduled", "pre-pass", "in-progress", "completed", "partial", "failed", "missed", "cancelled")
END_STATES = ("completed", "partial", "failed", "missed", "cancelled")
CAUSES = ("antenna", "spacecraft", "weather", "pre-emption", "unknown")
PHASES = ("aos", "carrier_lock", "telemetry_lock", "los")

# A contact is completed when the station was in lock for at least this share of the planned pass.
COMPLETE_SHARE = 0.9
# Events up to this long after the teardown still belong to the contact (a station reporting late).
LATE_S = 3600.0
LOCK_STARTS = ("carrier_lock", "telemetry_lock")
CONTACT_KINDS = ("aos", "los", "carrier_lock", "carrier_unlock", "telemetry_lock", "command_sent",
                 "prepass_ok", "prepass_failed", "data_received")


@dataclass(frozen=True)
class ContactReport:
    """The post-contact report: planned against actual, lock, gaps, pointing and data volume."""

    planned_aos: float
    planned_los: float
    actual_aos: float | None = None
    actual_los: float | None = None
    carrier_lock_at: float | None = None
    telemetry_lock_at: float | None = None
    in_lock_s: float = 0.0
    gaps: tuple[tuple[float, float], ...] = ()  # out of lock between the first and the last lock
    pointing_error_max_deg: float | None = None
    pointing_error_rms_deg: float | None = None
    data_volume_bytes: int | None = None
    # What the station delivered (data_received events): "<kind>:<file name>", e.g. "waterfall:waterfall_1.png".
    data_products: tuple[str, ...] = ()

    @property
    def planned_s(self) -> float:
        return self.planned_los - self.planned_aos


@dataclass(frozen=True)
class ContactRecord:
    """What is known of one contact at one moment."""

    contact_id: str
    antenna_id: str
    spacecraft_id: str
    mission: str
    state: str
    report: ContactReport
    phase: str | None = None
    cause: str | None = None
    evidence: tuple[str, ...] = ()  # event ids that decided the state
    reason: str = ""  # one line saying why, for people

    @property
    def final(self) -> bool:
        return self.state in END_STATES

    def status(self) -> dict:
        """The state as the plan and the board show it beside a contact."""
        return {"status": self.state, "phase": self.phase, "cause": self.cause, "reason": self.reason}


@dataclass(frozen=True)
class Revision:
    """One entry of a contact's history: what was decided, when (clock time) and on which event."""

    state: str
    cause: str | None
    at: float
    trigger: str | None = None

    def as_dict(self) -> dict:
        return {"state": self.state, "cause": self.cause, "at": self.at, "trigger": self.trigger}


def belongs(contact: Contact, e: StationEvent) -> bool:
    """Whether a station event speaks of this contact (its antenna, its spacecraft or none, its time); an event
    that names its contact (``detail.contact_id``) speaks of that one only."""
    named = e.detail.get("contact_id")
    return (e.antenna_id == contact.antenna_id and e.kind in CONTACT_KINDS
            and e.spacecraft_id in (None, contact.spacecraft_id) and named in (None, contact.id)
            and contact.setup_start <= e.time <= contact.teardown_end + LATE_S)


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def _block_end(b: BoardBlock, now: float) -> float:
    return now if b.end is None else b.end


def lock_intervals(events: list[StationEvent], blocks: list[BoardBlock], until: float) -> list[tuple[float, float]]:
    """Intervals in carrier lock up to ``until``: from a lock event to an unlock, LOS or the start of an
    outage; lock reports from inside an outage do not count."""
    outages = [(b.start, math.inf if b.end is None else b.end) for b in blocks if b.kind == "outage"]
    marks = sorted([(e.time, 1, e.kind) for e in events] + [(o[0], 0, "outage_start") for o in outages])
    out: list[tuple[float, float]] = []
    since: float | None = None
    for t, _, kind in marks:
        if t > until:
            break
        if kind in LOCK_STARTS:
            if since is None and not any(a <= t < b for a, b in outages):
                since = t
        elif kind in ("carrier_unlock", "los", "outage_start") and since is not None:
            if t > since:
                out.append((since, t))
            since = None
    if since is not None and until > since:
        out.append((since, until))
    return out


def build_report(contact: Contact, events: list[StationEvent], blocks: list[BoardBlock], now: float) -> ContactReport:
    """The post-contact report from the contact's own events (``belongs``) and the antenna's blocks."""
    until = min(now, contact.end)
    locks = lock_intervals(events, blocks, until)
    in_lock = sum(_overlap(a, b, contact.start, contact.end) for a, b in locks)

    def first(*kinds):
        return next((e.time for e in events if e.kind in kinds), None)

    gaps = []
    if locks:
        t = locks[0][0]
        for a, b in locks:
            if a > t:
                gaps.append((t, a))
            t = max(t, b)
    max_error, rms_error = _pointing_error(events)
    volumes = [int(e.detail["data_volume_bytes"]) for e in events if _finite(e.detail.get("data_volume_bytes"))]
    los = first("los")
    if los is None and locks and locks[-1][1] < until:
        los = locks[-1][1]  # cut by an outage
    return ContactReport(
        planned_aos=contact.start, planned_los=contact.end, actual_aos=first("aos", *LOCK_STARTS), actual_los=los,
        carrier_lock_at=first(*LOCK_STARTS), telemetry_lock_at=first("telemetry_lock"), in_lock_s=in_lock,
        gaps=tuple(gaps),
        pointing_error_max_deg=max_error, pointing_error_rms_deg=rms_error,
        data_volume_bytes=sum(volumes) if volumes else None,
        data_products=tuple(f"{e.detail.get('artifact', 'data')}:{e.detail['filename']}" for e in events
                            if e.kind == "data_received" and e.detail.get("filename")),
    )


def _pointing_error(events: list[StationEvent]) -> tuple[float | None, float | None]:
    """Max and RMS pointing error: the station's own statistics over the pass when it sent them (the agent's
    ``los`` has ``max_pointing_error_deg``/``rms_pointing_error_deg`` of every cycle), else those of the single
    ``pointing_error_deg`` samples its events carry."""
    summaries = [(float(e.detail["max_pointing_error_deg"]), float(e.detail["rms_pointing_error_deg"]))
                 for e in events if _finite(e.detail.get("max_pointing_error_deg"))
                 and _finite(e.detail.get("rms_pointing_error_deg"))]
    if summaries:
        return max(m for m, _ in summaries), math.sqrt(sum(r * r for _, r in summaries) / len(summaries))
    errors = [float(e.detail["pointing_error_deg"]) for e in events if _finite(e.detail.get("pointing_error_deg"))]
    if not errors:
        return None, None
    return max(errors), math.sqrt(sum(x * x for x in errors) / len(errors))


def _finite(x) -> bool:
    return not isinstance(x, bool) and isinstance(x, (int, float)) and math.isfinite(x)


def decide(contact: Contact, events: list[StationEvent], blocks: list[BoardBlock], now: float) -> ContactRecord:
    """The contact's record at ``now``.

    ``events`` may hold any events of the antenna (only those that ``belongs`` keeps count);
    ``blocks`` are the antenna's outage and maintenance blocks.
    """
    evs = sorted((e for e in events if belongs(contact, e) and e.time <= now), key=lambda e: (e.time, e.event_id))
    blocks = [b for b in blocks if b.antenna_id == contact.antenna_id and b.start <= now]
    report = build_report(contact, evs, blocks, now)
    base = dict(contact_id=contact.id, antenna_id=contact.antenna_id, spacecraft_id=contact.spacecraft_id,
                mission=contact.mission, report=report)
    hit = [b for b in blocks if _overlap(b.start, _block_end(b, now), contact.setup_start, contact.teardown_end) > 0]
    hit_ids = tuple(b.event_id for b in hit if b.event_id)
    if contact.cancelled:
        if hit:
            return ContactRecord(**base, state="cancelled", cause="antenna", evidence=hit_ids,
                                 reason=f"cancelled: {hit[0].kind} on {contact.antenna_id}")
        return ContactRecord(**base, state="cancelled", cause="pre-emption",
                             reason="cancelled by a re-plan or an operator with the antenna available")
    if now < contact.setup_start:
        return ContactRecord(**base, state="scheduled")
    phases = [e for e in evs if e.kind in PHASES]
    if now < contact.teardown_end:
        started = now >= contact.start or any(e.kind != "los" for e in phases)
        if not started:
            return ContactRecord(**base, state="pre-pass", evidence=tuple(e.event_id for e in evs))
        return ContactRecord(**base, state="in-progress", phase=phases[-1].kind if phases else None,
                             evidence=tuple(e.event_id for e in evs))
    return _end_state(base, evs, report, hit, hit_ids, contact)


def _end_state(base: dict, evs: list[StationEvent], report: ContactReport, hit: list[BoardBlock],
               hit_ids: tuple[str, ...], contact: Contact) -> ContactRecord:
    ids = tuple(e.event_id for e in evs)
    planned = report.planned_s
    if report.in_lock_s >= COMPLETE_SHARE * planned:
        return ContactRecord(**base, state="completed", evidence=ids,
                             reason=f"in lock {report.in_lock_s:.0f} s of {planned:.0f} s planned")
    if not evs and not hit:
        return ContactRecord(**base, state="missed", cause="unknown",
                             reason="the station reported nothing about this contact")
    if evs and not hit and all(e.kind == "data_received" for e in evs):  # a station that reports only uploads
        if report.data_volume_bytes:
            return ContactRecord(**base, state="completed", evidence=ids,
                                 reason=f"the station delivered {report.data_volume_bytes} bytes "
                                        f"({', '.join(report.data_products)})")
        return ContactRecord(**base, state="failed", cause="antenna", evidence=ids,
                             reason="the station reported back without a recording")
    state = "partial" if report.in_lock_s > 0 else "failed"
    said = f"in lock {report.in_lock_s:.0f} s of {planned:.0f} s planned"
    in_pass = [b for b in hit if _overlap(b.start, b.end if b.end is not None else math.inf, contact.start,
                                          contact.end) > 0]
    if in_pass:
        return ContactRecord(**base, state=state, cause="antenna", evidence=hit_ids + ids,
                             reason=f"{said}; {in_pass[0].kind} on {contact.antenna_id}"
                                    + (f" ({in_pass[0].reason})" if in_pass[0].reason else ""))
    stated = [e for e in evs if e.detail.get("cause") in CAUSES]
    if stated:
        e = stated[-1]
        return ContactRecord(**base, state=state, cause=e.detail["cause"], evidence=ids,
                             reason=f"{said}; the station reported cause '{e.detail['cause']}' with {e.kind}")
    if any(e.kind == "prepass_failed" for e in evs):
        return ContactRecord(**base, state=state, cause="antenna", evidence=ids,
                             reason=f"{said}; the pre-pass check failed")
    ready = any(e.kind in ("prepass_ok", "aos") for e in evs)
    if state == "failed" and ready:
        return ContactRecord(**base, state=state, cause="spacecraft", evidence=ids,
                             reason=f"{said}; the antenna was ready and no lock came: spacecraft or user side")
    return ContactRecord(**base, state=state, cause="unknown", evidence=ids, reason=said)


def revise(history: list[Revision], record: ContactRecord, at: float, trigger: str | None = None) -> list[Revision]:
    """The history with ``record`` appended when its state or cause differs from the last entry."""
    if history and history[-1].state == record.state and history[-1].cause == record.cause:
        return history
    return [*history, Revision(record.state, record.cause, at, trigger)]


@dataclass
class Outcome:
    """A record with its history, as the store keeps it."""

    record: ContactRecord
    history: list[Revision] = field(default_factory=list)
