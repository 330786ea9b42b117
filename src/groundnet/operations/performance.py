"""Network performance as ESTRACK reports it, per mission or per antenna and per day, week or month.

A contact counts in the period that holds its planned start. Figures (docs/operations.md):

- ``scheduled_h``: planned pass time (start to end) of every contact, cancelled ones included;
- ``delivered_h``: time in carrier lock within the planned pass;
- ``success_rate``: completed contacts over contacts that ended completed, partial, failed or missed
  (cancelled ones and those not over yet are left out; None when there are none);
- ``availability`` (antennas): share of the period not in outage or maintenance;
- ``failures``: outages that began in the period (antennas), or contacts that ended failed,
  partial or missed (missions);
- ``mtbf_h``: hours up (period less downtime) per failure (None without failures).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..domain import BoardBlock, Contact
from ..timebase import format_utc, periods
from .lifecycle import ContactRecord

BY = ("mission", "antenna")
FAILED_STATES = ("failed", "partial", "missed")


@dataclass(frozen=True)
class PerformanceRow:
    """One period of one mission or antenna: the one declaration of a performance row (the API's
    ``PerformanceRead`` is built from these fields; times are ISO 8601 text there)."""

    period_start: float
    period_end: float
    by: str
    key: str
    contacts: int
    completed: int
    partial: int
    failed: int
    missed: int
    cancelled: int
    scheduled_h: float
    delivered_h: float
    success_rate: float | None
    downtime_h: float | None = field(metadata={"description": "Hours in outage or maintenance (antennas)."})
    availability: float | None = field(metadata={
        "description": "Share of the period not in outage or maintenance (antennas)."})
    failures: int
    mtbf_h: float | None

    def as_dict(self) -> dict:
        d = dict(vars(self))
        d["period_start"], d["period_end"] = format_utc(self.period_start), format_utc(self.period_end)
        return d


COLUMNS = ["period_start", "by", "key", "contacts", "completed", "partial", "failed", "missed", "cancelled",
           "scheduled_h", "delivered_h", "success_rate", "availability", "downtime_h", "failures", "mtbf_h"]


def downtime_s(blocks: list[BoardBlock], start: float, end: float) -> float:
    """Seconds of [start, end) covered by the blocks (their union: overlapping blocks count once)."""
    spans = sorted((max(b.start, start), min(end if b.end is None else b.end, end)) for b in blocks)
    total, cur0, cur1 = 0.0, None, None
    for a, b in spans:
        if b <= a:
            continue
        if cur1 is None or a > cur1:
            if cur1 is not None:
                total += cur1 - cur0
            cur0, cur1 = a, b
        else:
            cur1 = max(cur1, b)
    if cur1 is not None:
        total += cur1 - cur0
    return total


def performance(contacts: list[Contact], records: dict[str, ContactRecord], blocks: list[BoardBlock],
                start: float, end: float, period: str = "day", by: str = "mission",
                keys: list[str] | None = None) -> list[PerformanceRow]:
    """One row per period and mission (or antenna) over [start, end).

    ``records`` maps contact ids to their records; a contact without one counts as scheduled only.
    ``keys`` lists the antennas (or missions) to report even when they had no contact.
    """
    if by not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}, got '{by}'")
    spans = periods(start, end, period)
    groups: dict[tuple[int, str], list[Contact]] = defaultdict(list)
    for c in contacts:
        if not start <= c.start < end:
            continue
        i = next(i for i, (p0, p1) in enumerate(spans) if p0 <= c.start < p1)
        groups[(i, c.mission if by == "mission" else c.antenna_id)].append(c)
    blocks_of: dict[str, list[BoardBlock]] = defaultdict(list)
    for b in blocks:
        blocks_of[b.antenna_id].append(b)
    all_keys = sorted({k for _, k in groups} | set(keys or ()))
    out = []
    for i, (p0, p1) in enumerate(spans):
        for key in all_keys:
            mine = groups.get((i, key), [])
            states = [records[c.id].state if c.id in records else "scheduled" for c in mine]
            count = {s: states.count(s) for s in ("completed", "partial", "failed", "missed", "cancelled")}
            judged = count["completed"] + sum(count[s] for s in FAILED_STATES)  # ended, and not cancelled
            hours = (p1 - p0) / 3600.0
            if by == "antenna":
                down = downtime_s(blocks_of.get(key, []), p0, p1) / 3600.0
                failures = sum(1 for b in blocks_of.get(key, []) if b.kind == "outage" and p0 <= b.start < p1)
                availability = 1.0 - down / hours if hours > 0 else None
            else:
                down, availability = None, None
                failures = sum(count[s] for s in FAILED_STATES)
            up_h = hours - (down or 0.0)
            out.append(PerformanceRow(
                period_start=p0, period_end=p1, by=by, key=key, contacts=len(mine), **count,
                scheduled_h=sum(c.end - c.start for c in mine) / 3600.0,
                delivered_h=sum(records[c.id].report.in_lock_s for c in mine if c.id in records) / 3600.0,
                success_rate=count["completed"] / judged if judged else None,
                downtime_h=down, availability=availability, failures=failures,
                mtbf_h=up_h / failures if failures else None,
            ))
    return out
