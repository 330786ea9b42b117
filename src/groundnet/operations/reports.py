"""Read models of the reports, shared by ``groundnet report`` and ``GET /api/v1/reports/...``."""

from __future__ import annotations

from ..store import Store, repo
from ..timebase import format_utc
from .lifecycle import ContactRecord, Revision
from .performance import PerformanceRow, performance


def performance_report(store: Store, start: float, end: float, period: str, by: str,
                       antenna_ids: list[str] | None = None) -> list[PerformanceRow]:
    """Performance per period and mission (or antenna) over [start, end), from the stored records.

    With ``by="antenna"`` every antenna in ``antenna_ids`` gets rows, contacts or not (availability).
    """
    with store.session() as s:
        plan = repo.load_plan(s, start, end)
        records = {r.contact_id: r for r, _ in repo.contact_records(s, start, end)}
    return performance(plan.contacts, records, plan.blocks, start, end, period, by,
                       antenna_ids if by == "antenna" else None)


CONTACT_COLUMNS = ["contact_id", "antenna_id", "spacecraft_id", "mission", "state", "phase", "cause", "planned_aos",
                   "planned_los", "actual_aos", "actual_los", "carrier_lock_at", "telemetry_lock_at", "in_lock_s",
                   "gaps", "pointing_error_max_deg", "pointing_error_rms_deg", "data_volume_bytes", "data_products", "reason"]

# What the terminal's table shows of each contact (every field: --format csv or json).
CONTACT_TABLE_COLUMNS = ["antenna_id", "spacecraft_id", "state", "cause", "planned_aos", "planned_los", "in_lock_s",
                         "reason"]


def _t(x: float | None) -> str | None:
    return None if x is None else format_utc(x)


def contact_row(rec: ContactRecord, history: list[Revision] | None = None) -> dict:
    """A contact's record and post-contact report, times in ISO 8601 UTC."""
    r = rec.report
    row = {"contact_id": rec.contact_id, "antenna_id": rec.antenna_id, "spacecraft_id": rec.spacecraft_id,
           "mission": rec.mission, "state": rec.state, "phase": rec.phase, "cause": rec.cause,
           "planned_aos": _t(r.planned_aos), "planned_los": _t(r.planned_los), "actual_aos": _t(r.actual_aos),
           "actual_los": _t(r.actual_los), "carrier_lock_at": _t(r.carrier_lock_at),
           "telemetry_lock_at": _t(r.telemetry_lock_at), "in_lock_s": round(r.in_lock_s, 3),
           "gaps": [f"{format_utc(a)}/{format_utc(b)}" for a, b in r.gaps],
           "pointing_error_max_deg": r.pointing_error_max_deg, "pointing_error_rms_deg": r.pointing_error_rms_deg,
           "data_volume_bytes": r.data_volume_bytes, "data_products": list(r.data_products), "reason": rec.reason}
    if history is not None:
        row["evidence"] = list(rec.evidence)
        row["history"] = [{"state": h.state, "cause": h.cause, "at": format_utc(h.at), "trigger": h.trigger}
                          for h in history]
    return row


def check_planned(store: Store, antenna_id: str | None = None, spacecraft_id: str | None = None) -> None:
    """NotFoundError when the stored plans hold no contact at all of the antenna or the spacecraft asked for
    (a mistyped id would otherwise give an empty report), naming those they hold. A store with no plan yet
    has nothing to compare with: its reports are empty."""
    from ..errors import NotFoundError

    if antenna_id is None and spacecraft_id is None:
        return
    with store.session() as s:
        antennas, spacecraft = repo.planned_ids(s)
    for what, wanted, known in (("antenna", antenna_id, antennas), ("spacecraft", spacecraft_id, spacecraft)):
        if wanted is not None and known and wanted not in known:
            listed = ", ".join(sorted(known)[:40]) + (", ..." if len(known) > 40 else "")
            raise NotFoundError(f"no contact of {what} '{wanted}' is stored; the stored plans have {what} "
                                f"{listed}")


def contact_report(store: Store, start: float, end: float, *, antenna_id: str | None = None,
                   spacecraft_id: str | None = None, state: str | None = None, limit: int | None = None,
                   with_history: bool = False) -> list[dict]:
    with store.session() as s:
        found = repo.contact_records(s, start, end, antenna_id=antenna_id, spacecraft_id=spacecraft_id, state=state,
                                     limit=limit)
    return [contact_row(rec, hist if with_history else None) for rec, hist in found]


def contact_detail(store: Store, contact_id: str) -> dict:
    """One contact's report with its evidence and history; NotFoundError when it has no record."""
    from ..errors import NotFoundError

    with store.session() as s:
        found = repo.contact_record(s, contact_id)
    if found is None:
        raise NotFoundError(f"no record of contact '{contact_id}'; GET /api/v1/reports/contacts lists them")
    return contact_row(*found)


def contact_states(store: Store, start: float, end: float, antenna_id: str | None = None) -> dict[str, str]:
    """The state of each recorded contact starting in [start, end)."""
    with store.session() as s:
        return {r.contact_id: r.state for r, _ in repo.contact_records(s, start, end, antenna_id=antenna_id)}
