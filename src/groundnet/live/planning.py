"""The seam between the live service and the planners: build a plan for a window, re-plan after an outage.

``Planner`` is what the service needs. ``PassPlanner`` composes the engine: passes of every
spacecraft over the compatible antennas become tracking requests, which the schedule engine's
planner turns into a conflict-free plan; an outage goes through the schedule engine's re-planner.
"""

from __future__ import annotations

from typing import Protocol

from .model import Block, Plan


class Planner(Protocol):
    def plan(self, start: float, end: float) -> Plan:
        """A conflict-free plan of contacts over [start, end)."""

    def replan(self, plan: Plan, outage: Block, now: float) -> tuple[Plan, dict]:
        """A new plan that keeps unaffected contacts, and the impact per mission."""


def cancel_covered(plan: Plan, outage: Block) -> tuple[Plan, list]:
    """The plan with every contact the outage overlaps marked cancelled (and the cancelled ones)."""
    from dataclasses import replace

    end = float("inf") if outage.end is None else outage.end
    hit = [c for c in plan.contacts if c.antenna_id == outage.antenna_id and not c.cancelled
           and c.setup_start < end and c.teardown_end > outage.start]
    ids = {c.id for c in hit}
    contacts = [replace(c, cancelled=True) if c.id in ids else c for c in plan.contacts]
    return Plan(plan.start, plan.end, contacts, list(plan.blocks), dict(plan.detail)), hit
