"""The live service: clock + plan + station events → the board, once a second, kept in the store.

``LiveService`` is synchronous and thread-safe; the API runs its ``tick`` in a worker thread and
publishes what it returns. Everything reads time from the injected ``Clock``.
"""

from __future__ import annotations

import logging
import math
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Callable

import numpy as np

from ..domain import BoardBlock, BoardPlan, Contact, StationEvent
from ..errors import GroundnetError, NotFoundError, SelectionError, StoreError
from ..operations import alerts
from ..operations.lifecycle import LATE_S, ContactRecord
from ..operations.records import begun, decide_all, known_records, refresh
from ..stations import Antenna
from ..store import Store, repo
from ..timebase import format_utc
from ..visibility.core import find_windows
from ..visibility.deepspace import distances
from .board import FREQUENCY_FIELDS, BoardBuilder, EventLog
from .clock import Clock
from .dsn_now import load_dsn_feed
from .events import validate_event
from ..missions import Spacecraft
from ..visibility.geometry import StationFrames, look_angles
from .geometry import footprint_radius_deg, geodetic_of_itrs
from .partner_ssf import load_partner_ssf, partner_blocks, partner_data, partner_state
from .planning import Planner

log = logging.getLogger("groundnet.live")

HOUR = 3600.0
DAY = 86400.0
# How long an outage is assumed to last for re-planning until the station reports its end.
DEFAULT_OUTAGE_S = 2 * HOUR
MAX_TRACK_POINTS = 5000
BLOCK_KINDS = ("outage_start", "outage_end", "maintenance_start", "maintenance_end")
# Contact records follow the clock this often (clock seconds); passes this far ahead are checked for risk.
RECORDS_EVERY_S = 10.0
RISK_AHEAD_S = 2 * HOUR
# Contact records kept in memory for the plan and the board; past this many, those of contacts over a day old go.
RECORDS_KEPT = 5000


def _signature(row: dict) -> tuple:
    return (row["activity"], row["reported_activity"], tuple(t["spacecraft_id"] for t in row["targets"]),
            row["uplink"] and row["uplink"]["signal"], row["downlink"] and row["downlink"]["signal"], row["contact_id"],
            row["contact_status"], row["last_contact"] and row["last_contact"]["status"])


def _crossed(contacts: list[Contact], since: float, t: float) -> bool:
    """Whether the clock passed a contact's setup start, start or teardown end in (since, t]: its state changed."""
    return any(since < x <= t for c in contacts for x in (c.setup_start, c.start, c.teardown_end))


class LiveService:
    def __init__(self, store: Store, clock: Clock, antennas: list[Antenna], fleet: list[Spacecraft],
                 planner: Planner, *, plan_ahead_s: float = DAY, plan_behind_s: float = 6 * HOUR,
                 history_every_s: float = 60.0):
        self.store = store
        self.clock = clock
        self.antennas = list(antennas)
        self.fleet = list(fleet)
        self.planner = planner
        self.builder = BoardBuilder(self.antennas, self.fleet)
        self.plan_ahead_s = plan_ahead_s
        self.plan_behind_s = plan_behind_s
        self.history_every_s = history_every_s
        self._lock = threading.RLock()
        self._plan = BoardPlan(0.0, 0.0)
        self._events = EventLog()
        self._last_history: dict[str, tuple[float, tuple]] = {}
        self._other_plans: dict[tuple[float, float], BoardPlan] = {}
        self.plan_version: dict = {}
        self.on_event: Callable[[str, dict], None] = lambda type_, data: None
        self._replans = ThreadPoolExecutor(max_workers=1, thread_name_prefix="replan")
        self.antenna_ids = {a.id for a in self.antennas}
        self.spacecraft_ids = {s.id for s in self.fleet}
        self._records_at: float | None = None
        # Each contact's lifecycle record as last decided (the store's, kept beside the plan): the one source of
        # the state the plan, the board and the reports show. Refreshed with the store, never per contact per tick.
        self._records: dict[str, ContactRecord] = {}

    def current_plan(self) -> BoardPlan:
        """The plan the board follows now (the window around the clock)."""
        with self._lock:
            return self._plan

    def current_plan_summary(self) -> dict:
        plan = self.current_plan()
        return {"start": format_utc(plan.start), "end": format_utc(plan.end), "contacts": len(plan.contacts),
                "version": self.plan_version.get("id"), "reason": self.plan_version.get("reason")}

    def close(self) -> None:
        self._replans.shutdown(wait=True, cancel_futures=True)
        self.store.close()

    # ------------------------------------------------------------------ start and plan upkeep

    def start(self) -> None:
        """Store the network and fleet, restore plan, blocks and events, and plan what is missing."""
        now = self.clock.now()
        with self.store.session() as s:
            repo.upsert_stations(s, self.antennas)
            repo.upsert_spacecraft(s, self.fleet, loaded_at=now)
        with self.store.session() as s:
            for k, row in repo.last_history(s).items():
                self._last_history[k] = (row.time_unix, ())
            partner = repo.latest_partner(s, "ssf")
            if partner is not None:
                self._use_partner_blocks(partner.data)
        self._load_window(now)
        self.ensure_plan(now)

    def _load_window(self, now: float) -> None:
        start, end = now - self.plan_behind_s, now + self.plan_ahead_s
        with self.store.session() as s:
            plan = repo.load_plan(s, start, end)
            events = repo.events_between(s, now - DAY, now + HOUR)
            version = repo.latest_plan_detail(s)
        with self._lock:
            self._plan, self._events, self.plan_version = plan, EventLog(events), version

    def ensure_plan(self, now: float) -> None:
        """Plan [now - behind, now + ahead) where no plan exists yet (called at start and every tick)."""
        want_start, want_end = now - self.plan_behind_s, now + self.plan_ahead_s
        with self.store.session() as s:
            extent = repo.plan_extent(s)
        if extent is not None and extent[0] <= want_start and extent[1] >= want_end - self.plan_ahead_s / 2:
            return
        if extent is None or extent[1] < want_start or extent[0] > now:
            gaps = [(want_start, want_end)]  # nothing stored near now (first start, or a replay jump)
        else:
            gaps = [(extent[1], want_end)] if extent[1] < want_end else []
            if extent[0] > want_start:
                gaps.append((want_start, extent[0]))
        for start, end in gaps:
            if end - start < 60:
                continue
            plan = self.planner.plan(start, end)
            with self.store.session() as s:
                for b in plan.blocks:
                    repo.open_block(s, b)
                repo.save_plan(s, plan, created_at=now, reason="initial" if extent is None else "extend",
                               requests=plan.detail.pop("requests", []))
            log.info("planned %s contacts over %.1f h", len(plan.contacts), (end - start) / HOUR)
        self._load_window(now)

    def plan_between(self, start: float, end: float) -> BoardPlan:
        """The stored plan over a window (it grows as the clock moves); a replay far from it gets one made on
        the fly. Blocks (maintenance, outages) always come from the store."""
        with self.store.session() as s:
            extent = repo.plan_extent(s)
            stored = repo.load_plan(s, start, end)
        if extent is not None and extent[0] < end and extent[1] > start:
            return stored
        key = (start // HOUR * HOUR, end // HOUR * HOUR + HOUR)
        if key not in self._other_plans:
            if len(self._other_plans) > 16:
                self._other_plans.clear()
            self._other_plans[key] = self.planner.plan(*key)
        made = self._other_plans[key].between(start, end)
        return BoardPlan(start, end, made.contacts, stored.blocks, made.detail)

    def save_external_contacts(self, contacts: list, *, id_prefix: str, reason: str, detail: dict) -> int:
        """Store contacts planned outside the planner (a SatNOGS jobs file) as a plan version, so that they get
        records and reports like any contact: they replace the stored contacts with their ids, and the stored ones
        with ``id_prefix`` that are no longer given and have not ended are cancelled. Returns how many were cancelled."""
        now = self.clock.now()
        given = {c.id for c in contacts}
        if hasattr(self.planner, "booked_blocks"):  # the planner keeps their antenna time free from now on
            self.planner.booked_blocks = [BoardBlock(c.antenna_id, "maintenance", c.setup_start, c.teardown_end,
                                                     f"{reason} {c.id}") for c in contacts if not c.cancelled]
        with self.store.session() as s:
            gone = [i for i in repo.contact_ids_from(s, id_prefix, now) if i not in given]
            repo.cancel_contacts(s, gone)
            if contacts:
                plan = BoardPlan(min(c.setup_start for c in contacts), max(c.teardown_end for c in contacts),
                                 list(contacts), [], dict(detail))
                repo.save_plan(s, plan, created_at=now, reason=reason)
        self._load_window(now)
        self._records_at = None  # their records follow at the next tick
        self.on_event("plan", {"reason": reason, "contacts": len(contacts), "cancelled": len(gone)})
        return len(gone)

    def update_links(self, fleet: list[Spacecraft]) -> list[str]:
        """Take the links of ``fleet`` (the same craft, with new published links: a transmitters file read again)
        for the board, the views and the store; trajectories and the plan stay. Returns the ids of the craft whose
        links changed."""
        new = {sc.id: sc for sc in fleet}
        # The links only: the craft keep the element sets they have now (a refresh may have renewed them).
        updated = {sc.id: replace(sc, downlink=n.downlink, uplink=n.uplink, links_source=n.links_source)
                   for sc in self.fleet if (n := new.get(sc.id)) is not None
                   and (n.downlink, n.uplink, n.links_source) != (sc.downlink, sc.uplink, sc.links_source)}
        if not updated:
            return []
        with self.store.session() as s:
            repo.upsert_spacecraft(s, list(updated.values()), loaded_at=self.clock.now())
        with self._lock:  # the next board shows them
            self.fleet = [updated.get(sc.id, sc) for sc in self.fleet]
            self.builder.geometry.fleet = [updated.get(sc.id, sc) for sc in self.builder.geometry.fleet]
            self.builder.fleet = {**self.builder.fleet, **updated}
        return sorted(updated)

    def update_elements(self, catalog, source: str | None = None) -> list[str]:
        """Take the element sets of ``catalog`` (a ``CatalogLoad``: a refreshed catalog read again) for the Earth
        orbiters it holds with a newer epoch. The board, the views, the stale-element checks and the plans made
        from now on use them (a new epoch is added to each craft's element-set history); the contacts planned
        already stay. ``source`` (e.g. ``elements from celestrak:active``) becomes their trajectory source.
        Returns the ids of the craft whose elements changed."""
        from ..orbits.catalog import CatalogLoad

        by_id = catalog.by_id()
        newer = {sc.id: by_id[sc.norad_id] for sc in self.fleet if sc.kind == "tle" and sc.norad_id in by_id
                 and (sc.elements is None or by_id[sc.norad_id].epoch_unix > sc.elements.epoch_unix)}
        if not newer:
            return []
        # Only the fleet's element sets are kept (a whole catalog per refresh would pile up in the trajectory caches).
        kept = CatalogLoad(elements=list(newer.values()))
        named = {"trajectory_source": source} if source else {}
        updated = {sc.id: replace(sc, catalog=kept, **named) for sc in self.fleet if sc.id in newer}
        with self.store.session() as s:
            repo.upsert_spacecraft(s, list(updated.values()), loaded_at=self.clock.now())
        with self._lock:  # the next board uses them
            self.fleet = [updated.get(sc.id, sc) for sc in self.fleet]
            self.builder.take_trajectories(updated)
            planner_fleet = getattr(self.planner, "fleet", None)
            if isinstance(planner_fleet, dict):  # PassPlanner: the next plans (extensions, replans) use them
                self.planner.fleet = {**planner_fleet, **{k: v for k, v in updated.items() if k in planner_fleet}}
        return sorted(updated)

    # ------------------------------------------------------------------ the board

    def board(self, at: float | None = None, *, generated_at: float | None = None) -> dict:
        """The board at the clock's now (or at ``at``); ``generated_at`` is the wall time the caller stamps."""
        state = self.clock.state()
        t = state.time_unix if at is None else at
        with self._lock:
            plan = self._plan if self._plan.start <= t <= self._plan.end else None
            events, version = self._events, self.plan_version
        if plan is None:
            plan = self.plan_between(t - DAY / 2, t + DAY / 2)
            with self.store.session() as s:
                events = EventLog(repo.events_between(s, t - DAY, t))
        mode = state.mode if at is None else "replay"
        board = self.builder.build(t, plan, events, mode=mode, speed=state.speed if at is None else 0.0,
                                   generated_at=generated_at,
                                   records=lambda contacts: self.contact_records(contacts, t, plan.blocks))
        board["plan"] = version
        return board

    def tick(self, generated_at: float | None = None) -> dict:
        """One board at the clock's now; keeps the plan ahead and records what changed."""
        state = self.clock.state()
        try:
            self.ensure_plan(state.time_unix)
        except StoreError as exc:  # the board goes on with the plan it has; extending it waits for the store
            log.warning("plan not extended: %s", exc)
        try:  # first, so that the board shows the states the store keeps
            self._keep_records(state.time_unix)
        except StoreError as exc:  # records and alerts catch up at the next tick; the board goes on
            log.warning("contact records not updated: %s", exc)
        board = self.board(generated_at=generated_at)
        if state.mode == "live":
            try:
                self._record_history(state.time_unix, board)
            except StoreError as exc:  # a gap in the history, not a frozen board
                log.warning("board history not recorded: %s", exc)
        return board

    def _keep_records(self, t: float) -> None:
        """Move contacts on with the clock (pre-pass, in progress, ended) every RECORDS_EVERY_S of it, and at once
        when the clock passes a contact's setup, start or teardown end; a clock set back leaves the records alone.
        Contacts entering a state and passes at risk raise alerts."""
        with self._lock:
            contacts = list(self._plan.contacts)
        since = self._records_at
        if since is not None and not (t - since >= RECORDS_EVERY_S or (t > since and _crossed(contacts, since, t))):
            return
        epochs = {sc.id: sc.trajectory_record()[0] for sc in self.fleet if sc.is_earth_orbiter}
        decided: dict[str, ContactRecord] = {}
        with self.store.session() as s:
            # At start, every contact of the plan behind the clock gets its record (the board shows the last ones).
            behind = 2 * HOUR if since is not None else max(2 * HOUR, self.plan_behind_s)
            changed = refresh(s, t - behind, t + HOUR, t, trigger="clock", into=decided)
            alerts.enqueue_for_states(s, changed, t)
            alerts.enqueue_stale(s, alerts.stale_element_risks(contacts, epochs, t, RISK_AHEAD_S), t)
        self._keep_in_memory(decided, t)
        self._records_at = t

    def _keep_in_memory(self, decided: dict[str, ContactRecord], t: float) -> None:
        with self._lock:
            self._records.update(decided)
            if len(self._records) > RECORDS_KEPT:
                self._records = {k: r for k, r in self._records.items() if r.report.planned_los >= t - DAY}

    def contact_records(self, contacts: list[Contact], now: float, blocks: list[BoardBlock]) -> dict[str, ContactRecord]:
        """Each contact's lifecycle record (``operations.lifecycle``) at ``now``: the state ``groundnet report``
        shows. A contact cancelled or not yet set up is decided from the plan and ``blocks`` alone; one that has
        begun is the record the store keeps (from memory; the store is asked only for those not in memory), or,
        when the store never followed it, the record decided at ``now`` from the stored events."""
        plain = [c for c in contacts if not begun(c, now)]
        out = {r.contact_id: r for r in decide_all(plain, [], blocks, now)}
        with self._lock:
            known = self._records
            missing = [c for c in contacts if begun(c, now) and c.id not in known]
            out.update((c.id, known[c.id]) for c in contacts if begun(c, now) and c.id in known)
        if missing:
            with self.store.session() as s:
                stored, decided = known_records(s, missing, blocks, now)
            self._keep_in_memory(stored, now)  # what the store keeps; a decision of the moment is not kept
            out.update(stored)
            out.update(decided)
        return out

    def _record_history(self, t: float, board: dict) -> None:
        rows = []
        for row in board["antennas"]:
            sig = _signature(row)
            last_t, last_sig = self._last_history.get(row["id"], (-1e18, None))
            if sig != last_sig or t - last_t >= self.history_every_s:
                self._last_history[row["id"]] = (t, sig)
                rows.append({"antenna_id": row["id"], "time_unix": t, "activity": row["activity"],
                             "reported_activity": row["reported_activity"], "state": row})
        if rows:
            with self.store.session() as s:
                repo.add_history(s, rows)

    # ------------------------------------------------------------------ station events

    def ingest(self, ev: StationEvent, source: str) -> tuple[StationEvent, bool]:
        """Validate, store (committed before this returns), then apply to the board. Idempotent by event id."""
        now = self.clock.now()
        ev = validate_event(ev, self.antenna_ids, self.spacecraft_ids, now)
        ev = replace(ev, received_at=now)
        with self._lock:
            contacts = list(self._plan.contacts)
        # One transaction: the event, its block, the contacts it decides and every alert it raises.
        decided: dict[str, ContactRecord] = {}
        with self.store.session() as s:
            stored, created = repo.insert_event(s, ev, source)
            if created:
                repo.apply_block_event(s, stored)
                alerts.enqueue_for_event(s, stored, contacts, now)
                changed = refresh(s, stored.time - LATE_S, stored.time + 1.0, now, antenna_id=stored.antenna_id,
                                  trigger=stored.event_id, into=decided)
                alerts.enqueue_for_states(s, changed, now)
        if not created:
            return stored, False
        self._keep_in_memory(decided, now)
        with self._lock:
            self._events.add(stored)
        self.on_event("event", stored.as_dict())
        if stored.kind in BLOCK_KINDS:
            self._load_window(now)  # the block it opened or closed
        if stored.kind == "outage_start":
            # Acknowledge now; the re-plan (seconds) follows in the background and is pushed when done.
            self._replans.submit(self._replan_for_outage, stored, now)
        return stored, True

    def set_clock(self, *, time_unix: float | None = None, speed: float | None = None, paused: bool | None = None,
                  live: bool = False) -> dict:
        """Replay control (see ``Clock.set``); other servers sharing the database follow (a ``clock`` message)."""
        state = self.clock.set(live=True) if live else self.clock.set(time_unix=time_unix, speed=speed, paused=paused)
        self.on_event("clock", {"time_unix": state.time_unix, "speed": state.speed, "paused": state.paused,
                                "live": state.mode == "live"})
        return state.as_dict()

    def apply_relayed(self, type_: str, data: dict) -> None:
        """What another process sharing the database learnt (it is stored already): an event joins the board's
        log, a re-plan or a block reloads the plan window."""
        now = self.clock.now()
        if type_ == "event":
            ev = StationEvent.from_dict(data)
            with self._lock:
                self._events.add(ev)
                # The other process stored the records the event decided: those of the antenna come from the store.
                self._records = {k: r for k, r in self._records.items() if r.antenna_id != ev.antenna_id}
            if ev.kind in BLOCK_KINDS:
                self._load_window(now)
        elif type_ == "plan":
            self._load_window(now)
        elif type_ == "clock":  # another server's replay control: this board follows it
            if data.get("live"):
                self.clock.set(live=True)
            else:
                self.clock.set(time_unix=float(data["time_unix"]), speed=float(data["speed"]),
                               paused=bool(data["paused"]))

    def _replan_for_outage(self, ev: StationEvent, now: float) -> None:
        try:
            self._replan(ev, now)
        except Exception:  # noqa: BLE001 - the outage stays on the board; the plan stays as it was
            log.exception("re-planning after %s failed", ev.event_id)

    def _replan(self, ev: StationEvent, now: float) -> None:
        expected_end = ev.detail.get("expected_end_unix") or ev.time + DEFAULT_OUTAGE_S
        outage = BoardBlock(ev.antenna_id, "outage", ev.time, float(expected_end), ev.detail.get("reason", ""),
                            ev.event_id)
        with self._lock:
            current = self._plan
        new_plan, impact = self.planner.replan(current, outage, now)
        impact = {"antenna_id": ev.antenna_id, "event_id": ev.event_id, **impact}
        before = set(current.contacts)
        changed = BoardPlan(new_plan.start, new_plan.end, [c for c in new_plan.contacts if c not in before], [],
                            {"impact": impact})
        with self.store.session() as s:
            repo.save_plan(s, changed, created_at=now, reason="replan")
        self._load_window(now)
        self.on_event("plan", {"reason": "replan", "impact": impact})

    # ------------------------------------------------------------------ passes and contact outcomes

    def passes(self, station: str | None, obj: str | None, start: float, end: float) -> list[dict]:
        """Passes as ``groundnet passes --format json`` prints them, for one or every antenna and object.

        The one pass search (``find_windows``), as ``groundnet passes --spacecraft`` runs it: Earth
        orbiters by NORAD id, deep-space craft with the spacecraft id as ``object_id``.
        """
        fleet = self.fleet
        if obj is not None:
            fleet = [s for s in self.fleet if s.id == obj or (s.norad_id is not None and str(s.norad_id) == obj)]
            if not fleet:
                raise NotFoundError(f"unknown object '{obj}'; GET /api/v1/spacecraft lists the fleet")
        if station is not None and station not in self.antenna_ids:
            raise NotFoundError(f"unknown station '{station}'; GET /api/v1/stations lists them")
        antennas = [a for a in self.antennas if station is None or a.id == station]
        if not fleet or not antennas:
            return []
        return find_windows(fleet, antennas, start, end).to_rows()

    # ------------------------------------------------------------------ read models for the API

    def plan_view(self, start: float, end: float) -> dict:
        """Contacts (with their lifecycle state at the clock's now) and maintenance/outage blocks over [start, end)."""
        now = self.clock.now()
        plan = self.plan_between(start, end)
        records = self.contact_records(plan.contacts, now, plan.blocks)
        return {"start": format_utc(start), "end": format_utc(end),
                "contacts": [{**c.as_dict(), **records[c.id].status()} for c in plan.contacts],
                "blocks": [b.as_dict() for b in plan.blocks]}

    def _spacecraft(self, spacecraft_id: str) -> tuple[int, Spacecraft]:
        for i, sc in enumerate(self.builder.geometry.fleet):
            if sc.id == spacecraft_id:
                return i, sc
        raise NotFoundError(f"unknown spacecraft '{spacecraft_id}'; GET /api/v1/spacecraft lists them")

    def spacecraft_view(self, spacecraft_id: str, at: float | None = None) -> dict:
        """One spacecraft with its distance and speed at the clock's now or at ``at`` (unknown: None), its passes
        over the 24 h that follow, and the history of its trajectory sources (``epoch`` None where a source has none)."""
        _, sc = self._spacecraft(spacecraft_id)
        now = self.clock.now() if at is None else at
        try:
            d = {k: float(v[0]) if math.isfinite(v[0]) else None for k, v in distances(sc.trajectory, [now]).items()}
        except GroundnetError:  # no trajectory at this time: every figure unknown
            d = dict.fromkeys(("geocentric_km", "geocentric_speed_km_s", "heliocentric_km", "heliocentric_speed_km_s",
                               "one_way_light_time_s"))
        with self.store.session() as s:
            history = [{"epoch": format_utc(r.epoch_unix) if r.epoch_unix else None, "kind": r.kind,
                        "source": r.source, "loaded_at": format_utc(r.loaded_at)}
                       for r in repo.element_set_history(s, spacecraft_id)]
        return {**sc.summary(), "distance": d, "next_passes": self.passes(None, spacecraft_id, now, now + DAY),
                "element_sets": history, "links_now": self.links_now(spacecraft_id, now)}

    def links_now(self, spacecraft_id: str, t: float) -> list[dict]:
        """The craft's link at each antenna in contact with it at ``t``: the board's rows for it (one computation)."""
        return [{"antenna_id": row["id"], "contact_id": row["contact_id"], "activity": row["activity"],
                 **{k: row[k] for k in FREQUENCY_FIELDS}}
                for row in self.board(t)["antennas"]
                if any(x["spacecraft_id"] == spacecraft_id for x in row["targets"])]

    def observe(self, t: float):
        """Look angles, ranges and range rates of the whole fleet from every antenna at ``t`` (``live.geometry``)."""
        return self.builder.geometry.observe(self.antennas, t)

    def ground_track(self, spacecraft_id: str, start: float, end: float, step_s: float) -> dict:
        """Sub-spacecraft points over [start, end] every ``step_s`` and the footprint radius at the middle."""
        i, _ = self._spacecraft(spacecraft_id)
        if (end - start) / step_s > MAX_TRACK_POINTS:
            raise SelectionError(f"{(end - start) / step_s:.0f} points asked for, at most {MAX_TRACK_POINTS}: "
                                 "raise step_s or shorten the window")
        times = np.arange(start, end + step_s / 2, step_s)
        lat, lon, alt = geodetic_of_itrs(self.builder.geometry.itrs_km(times)[i])
        points = [{"time": format_utc(t), "latitude_deg": round(float(a), 5), "longitude_deg": round(float(b), 5),
                   "altitude_km": round(float(h), 3)} for t, a, b, h in zip(times, lat, lon, alt) if math.isfinite(a)]
        mid = float(alt[len(alt) // 2]) if len(alt) else float("nan")
        radius = footprint_radius_deg(mid) if math.isfinite(mid) else float("nan")
        return {"spacecraft_id": spacecraft_id, "points": points,
                "footprint_radius_deg": round(radius, 4) if math.isfinite(radius) else None}

    def pass_pointing(self, spacecraft_id: str, antenna_id: str, start: float, end: float, points: int) -> dict:
        """Azimuth and elevation of a spacecraft from one antenna at ``points`` times over [start, end] (a pass's
        sky plot), with the antenna's horizon mask and its usable elevation every 2° of azimuth. Geometric
        directions (no light time): for deep space they differ from the pointing by arcminutes at most."""
        i, _ = self._spacecraft(spacecraft_id)
        antenna = next((a for a in self.antennas if a.id == antenna_id), None)
        if antenna is None:
            raise NotFoundError(f"unknown antenna '{antenna_id}'; GET /api/v1/stations lists them")
        times = np.linspace(start, end, points)
        look = look_angles(StationFrames.of([antenna]), self.builder.geometry.itrs_km(times)[i])

        def finite(values) -> list[float | None]:
            return [round(float(v), 3) if math.isfinite(v) else None for v in values]

        return {"spacecraft_id": spacecraft_id, "station_id": antenna_id, "times": [format_utc(t) for t in times],
                "azimuth_deg": finite(look.azimuth_deg[0]), "elevation_deg": finite(look.elevation_deg[0]),
                "horizon_mask": [[float(a), float(e)] for a, e in antenna.horizon_mask],
                "min_elevation_deg": float(antenna.min_elevation_deg),
                "floor_deg": [round(float(v), 3) for v in antenna.elevation_floor_deg(np.arange(0.0, 360.0, 2.0))]}

    def history(self, antenna_id: str, start: float, end: float, limit: int) -> list[dict]:
        """The antenna's board state each time it changed (and at least once a minute) over [start, end]."""
        if antenna_id not in self.antenna_ids:
            raise NotFoundError(f"unknown antenna '{antenna_id}'; GET /api/v1/stations lists them")
        with self.store.session() as s:
            rows = repo.history(s, antenna_id, start, end, limit)
        return [{"time": format_utc(r.time_unix), "activity": r.activity, "reported_activity": r.reported_activity,
                 "state": r.state} for r in rows]

    def events(self, since_id: int, limit: int) -> list[StationEvent]:
        """Stored events in the order they arrived after ``since_id``; with 0, the newest ``limit``."""
        with self.store.session() as s:
            return repo.list_events(s, since_id, limit) if since_id else repo.latest_events(s, limit)

    def partner(self, network: str) -> dict:
        """The newest imported state of a partner network: {time, source, imported_at, antennas}."""
        with self.store.session() as s:
            row = repo.latest_partner(s, network)
        if row is None:
            raise NotFoundError(f"no {network.upper()} Now feed imported: start the server with --partner-dsn "
                                "FILE|URL, or POST a dsn.xml to /api/v1/partners/dsn")
        return {**row.data, "imported_at": format_utc(row.imported_at)}

    def token_name(self, token: str) -> str | None:
        """The name of a valid (not revoked) API token, else None."""
        with self.store.session() as s:
            return repo.token_name(s, token)

    # ------------------------------------------------------------------ partner networks

    def import_partner(self, source: str) -> dict:
        """Read a DSN Now feed (file or URL) and keep it as the partner network's state."""
        data = load_dsn_feed(source, self.antennas)
        self.save_partner(data, source)
        return data

    def import_partner_ssf(self, source: str) -> dict:
        """Read a partner's CCSDS Simple Schedule (file or URL): shown on the board, kept free by the planner."""
        ssf = load_partner_ssf(source, self.antennas)
        return self.save_partner_ssf(ssf, source)

    def save_partner_ssf(self, ssf, source: str) -> dict:
        """Keep a partner's schedule, shown on the board and kept free by the planner. It is stored only when it
        differs from the newest one kept: a URL fetched every few seconds adds a row when the schedule changes."""
        data = partner_data(ssf, source)
        with self.store.session() as s:
            latest = repo.latest_partner(s, "ssf")
            changed = latest is None or latest.data != data
            if changed:
                repo.save_partner(s, "ssf", source, data, imported_at=self.clock.now())
        self._use_partner_blocks(data)
        if changed:
            self.on_event("partner", {"network": "ssf", "time": data["time"], "activities": len(data["activities"]),
                                      "refused": len(data["problems"])})
        return data

    def partner_ssf(self, at: float | None = None) -> dict | None:
        """The imported partner schedule as the partner model at ``at`` (default: the clock's now)."""
        with self.store.session() as s:
            row = repo.latest_partner(s, "ssf")
        if row is None:
            return None
        return {**partner_state(row.data, self.antennas, self.clock.now() if at is None else at),
                "imported_at": format_utc(row.imported_at)}

    def _use_partner_blocks(self, data: dict) -> None:
        """The partner's committed activities become antenna time the planner keeps free from now on."""
        if hasattr(self.planner, "extra_blocks"):
            self.planner.extra_blocks = partner_blocks(data)

    def save_partner(self, data: dict, source: str) -> None:
        with self.store.session() as s:
            repo.save_partner(s, "dsn", source, data, imported_at=self.clock.now())
        self.on_event("partner", {"network": "dsn", "time": data["time"], "antennas": len(data["antennas"])})
