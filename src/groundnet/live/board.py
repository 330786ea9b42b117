"""The board: for every antenna at one instant, what it does, with whom, how, and what it reported.

``BoardBuilder.build(t, plan, events)`` is a pure function of its inputs (no clock, no store), so
the live board, a replayed moment and the tests all go through it.

Planned activity follows the plan (blocks first: outage over maintenance, then the contact's phase).
Reported activity folds the antenna's own events up to ``t``; while a station reports on a contact,
its reports also decide the link signals (carrier, data, ranging, none). A contact's state (completed,
missed, ...) is its lifecycle record's (``operations.lifecycle``), which the caller passes in (``records``).
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from typing import Callable, Mapping

import numpy as np

from ..stations import Antenna
from ..timebase import format_utc
from ..visibility.deepspace import link_geometry
from ..visibility.geometry import doppler_shift_hz
from ..missions import Spacecraft
from .geometry import FleetGeometry, Observation
from ..domain import BoardPlan, Contact, StationEvent

LOCK_KINDS = ("aos", "carrier_lock", "telemetry_lock", "command_sent")


def _num(x, digits: int = 6):
    """A JSON-safe float (NaN → None), rounded to keep the board small."""
    if x is None:
        return None
    x = float(x)
    if not math.isfinite(x):
        return None
    return float(f"{x:.{digits}g}")


class EventLog:
    """Events per antenna, sorted by time, for folding the reported state at any instant."""

    def __init__(self, events=()):
        self._by_antenna: dict[str, list[StationEvent]] = defaultdict(list)
        self._times: dict[str, list[float]] = defaultdict(list)
        self._ids: set[int] = set()
        for e in events:
            self.add(e)

    def add(self, e: StationEvent) -> bool:
        """Add a stored event once (by its store id); False when it was there already."""
        if e.id is not None:
            if e.id in self._ids:
                return False
            self._ids.add(e.id)
        times = self._times[e.antenna_id]
        i = bisect.bisect_right(times, e.time)
        times.insert(i, e.time)
        self._by_antenna[e.antenna_id].insert(i, e)
        return True

    def upto(self, antenna_id: str, t: float, since: float = -math.inf) -> list[StationEvent]:
        times = self._times.get(antenna_id, [])
        return self._by_antenna.get(antenna_id, [])[bisect.bisect_left(times, since):bisect.bisect_right(times, t)]


def open_block_kind(events: list[StationEvent]) -> str | None:
    """"outage" or "maintenance" when the antenna's events leave such a block open."""
    state = {"outage": False, "maintenance": False}
    for e in events:
        kind, _, edge = e.kind.rpartition("_")
        if kind in state:
            state[kind] = edge == "start"
    return "outage" if state["outage"] else "maintenance" if state["maintenance"] else None


def reported_link_state(events: list[StationEvent], contact: Contact | None, t: float) -> dict | None:
    """What the station's events since the contact's setup say of its activity and links at ``t`` (None: nothing
    said). Not the contact's state: that is its lifecycle record's."""
    if contact is None:
        return None
    evs = [e for e in events if e.time >= contact.setup_start and e.kind in
           (*LOCK_KINDS, "los", "carrier_unlock") and (e.spacecraft_id in (None, contact.spacecraft_id))]
    if not evs:
        return None
    carrier = telemetry = commanding = acquired = False
    ranging = False
    for e in evs:
        if e.kind == "aos":  # the signal is acquired: its carrier is there, locked or not
            acquired = carrier = True
        elif e.kind == "carrier_lock":
            acquired = carrier = True
        elif e.kind == "telemetry_lock":
            acquired = carrier = telemetry = True
        elif e.kind == "command_sent":
            acquired = commanding = True
            ranging = ranging or bool(e.detail.get("ranging"))
        elif e.kind == "carrier_unlock":
            carrier = telemetry = False
        elif e.kind == "los":
            acquired = carrier = telemetry = commanding = False
    lost = evs[-1].kind == "los"
    activity = ("teardown" if t < contact.teardown_end else "idle") if lost else "tracking" if acquired else "setup"
    down = "data" if telemetry else "carrier" if carrier else "none"
    up = "ranging" if ranging and commanding else "data" if commanding else "carrier" if acquired else "none"
    return {"activity": activity, "downlink": down, "uplink": up, "last_event": evs[-1].kind,
            "last_event_time": evs[-1].time}


FREQUENCY_FIELDS = ("range_rate_km_s", "downlink_hz", "downlink_received_hz", "uplink_hz", "uplink_transmit_hz")


def link_frequencies(sc: Spacecraft | None, range_rate_km_s, upleg_range_rate_km_s=None) -> dict:
    """The craft's published channels and, at a range rate, what the antenna receives and what it sends.

    ``downlink_hz``/``uplink_hz``: the mission's channel (``Link.frequency_hz``; None where only the band
    is known: a band's allocation centre is no channel to correct). ``downlink_received_hz``: the
    downlink as it arrives, ``downlink_hz + doppler_shift_hz(rdot)`` (higher while the craft
    approaches); ``uplink_transmit_hz``: what to send so that the craft receives ``uplink_hz``,
    ``uplink_hz - doppler_shift_hz(rdot_up)``. First order in v/c (``visibility.geometry.doppler_shift_hz``).
    ``upleg_range_rate_km_s`` (deep space: the upleg's own rate) defaults to the downleg's.
    """
    rate = _num(range_rate_km_s, 9)
    up_rate = rate if upleg_range_rate_km_s is None else _num(upleg_range_rate_km_s, 9)
    down = sc.downlink.frequency_hz if sc is not None and sc.downlink is not None else None
    up = sc.uplink.frequency_hz if sc is not None and sc.uplink is not None else None
    return {"range_rate_km_s": None if rate is None else round(rate, 6),
            "downlink_hz": down, "uplink_hz": up,
            "downlink_received_hz": None if down is None or rate is None
            else round(down + float(doppler_shift_hz(rate, down)), 1),
            "uplink_transmit_hz": None if up is None or up_rate is None
            else round(up - float(doppler_shift_hz(up_rate, up)), 1)}


class DeepSpaceLinks:
    """``visibility.deepspace.link_geometry`` every 20 s, interpolated linearly in between.

    The light-time iteration costs tens of milliseconds per antenna and instant; a deep-space link
    changes so slowly that a straight line over 20 s departs from it by under 1e-4 deg and 10 m
    (tests/unit/live/test_board.py), far below the board's 0.01 deg.
    """

    STEP_S = 20.0
    FIELDS = ("azimuth_deg", "elevation_deg", "upleg_range_km", "downleg_range_km", "rtlt_s", "range_rate_km_s",
              "upleg_range_rate_km_s")

    def __init__(self):
        self._cache: dict[tuple[str, str, int], dict[str, np.ndarray]] = {}

    def at(self, sc: Spacecraft, antenna: Antenna, t: float) -> dict[str, float]:
        k = math.floor(t / self.STEP_S)
        key = (sc.id, antenna.id, k)
        if key not in self._cache:
            if len(self._cache) > 1024:
                self._cache.clear()
            g = link_geometry(sc.trajectory, [antenna], [k * self.STEP_S, (k + 1) * self.STEP_S])
            self._cache[key] = {f: getattr(g, f)[0] for f in self.FIELDS}
        ends = self._cache[key]
        frac = t / self.STEP_S - k
        out = {f: float(v[0] + frac * (v[1] - v[0])) for f, v in ends.items()}
        az0, az1 = ends["azimuth_deg"]
        out["azimuth_deg"] = float((az0 + frac * ((az1 - az0 + 180.0) % 360.0 - 180.0)) % 360.0)
        return out


class BoardBuilder:
    @staticmethod
    def _add_states(asked: list[tuple[dict, Contact | None, Contact | None]], records) -> None:
        """Each row's ``contact_status`` (its current contact's state) and ``last_contact`` with its state."""
        wanted = {c.id: c for _, cur, last in asked for c in (cur, last) if c is not None}
        found = records(list(wanted.values())) if records is not None and wanted else {}
        for row, cur, last in asked:
            if cur is not None and cur.id in found:
                row["contact_status"] = found[cur.id].state
            if last is not None:
                rec = found.get(last.id)
                row["last_contact"] = {"id": last.id, "spacecraft_id": last.spacecraft_id,
                                       "spacecraft_name": last.spacecraft_name, "start": format_utc(last.start),
                                       "end": format_utc(last.end), "status": rec.state if rec else None,
                                       "cause": rec.cause if rec else None}

    def __init__(self, antennas: list[Antenna], fleet: list[Spacecraft], geometry: FleetGeometry | None = None):
        self.antennas = list(antennas)
        self.fleet = {s.id: s for s in fleet}
        self.geometry = geometry or FleetGeometry(fleet)
        self._sc_index = {s.id: i for i, s in enumerate(self.geometry.fleet)}
        self._deep_links = DeepSpaceLinks()
        self._at_cache: dict[float, Observation] = {}

    def take_trajectories(self, updated: dict[str, Spacecraft]) -> None:
        """Use these craft (by id; the same craft with new element sets) from the next board on."""
        self.fleet = {**self.fleet, **updated}
        self.geometry = FleetGeometry([updated.get(sc.id, sc) for sc in self.geometry.fleet])
        self._at_cache = {}

    def _antenna_static(self, a: Antenna) -> dict:
        return {"id": a.id, "name": a.name, "network": a.network, "latitude_deg": a.latitude_deg,
                "longitude_deg": a.longitude_deg, "dish_m": a.dish_m, "bands": list(a.bands)}

    def _deep_space_pointing(self, sc: Spacecraft, antenna: Antenna, t: float, point_at: float) -> dict:
        """Light-time-corrected link of a deep-space contact (DSN's RTLT: upleg plus downleg light time), and its
        frequencies from the downleg's and the upleg's range rates."""
        now = self._deep_links.at(sc, antenna, t)
        there = now if point_at == t else self._deep_links.at(sc, antenna, point_at)
        return {"azimuth_deg": _num(there["azimuth_deg"], 5), "elevation_deg": _num(there["elevation_deg"], 4),
                "upleg_range_km": _num(now["upleg_range_km"]), "downleg_range_km": _num(now["downleg_range_km"]),
                "rtlt_s": _num(now["rtlt_s"]),
                **link_frequencies(sc, now["range_rate_km_s"], now["upleg_range_rate_km_s"])}

    def _pointing(self, obs_now: Observation, ai: int, sc_id: str, at_obs: Observation | None) -> dict:
        si = self._sc_index.get(sc_id)
        sc = self.fleet.get(sc_id)
        if si is None:
            return {"azimuth_deg": None, "elevation_deg": None, "upleg_range_km": None,
                    "downleg_range_km": None, "rtlt_s": None, **link_frequencies(sc, None)}
        o = at_obs or obs_now
        return {"azimuth_deg": _num(o.azimuth_deg[ai, si], 5), "elevation_deg": _num(o.elevation_deg[ai, si], 4),
                "upleg_range_km": _num(obs_now.upleg_km[ai, si]), "downleg_range_km": _num(obs_now.downleg_km[ai, si]),
                "rtlt_s": _num(obs_now.rtlt_s[ai, si]), **link_frequencies(sc, obs_now.range_rate_km_s[ai, si])}

    @staticmethod
    def _link(sc: Spacecraft | None, direction: str, signal: str) -> dict | None:
        link = None if sc is None else getattr(sc, direction)
        return None if link is None else link.display_dict(signal)

    def build(self, t: float, plan: BoardPlan, events: EventLog, *, mode: str = "live", speed: float = 1.0,
              generated_at: float | None = None,
              records: Callable[[list[Contact]], Mapping] | None = None) -> dict:
        """The board at ``t``. ``records`` gives the lifecycle records (``ContactRecord``) of the contacts it is
        asked about, by id, all at once: each antenna's current contact and the last one it ended."""
        obs = self.geometry.observe(self.antennas, t)
        by_antenna: dict[str, list[Contact]] = defaultdict(list)
        for c in plan.contacts:
            if not c.cancelled:
                by_antenna[c.antenna_id].append(c)
        at_cache = self._at_cache  # contacts' start and end instants: the same from one board to the next

        def obs_at(x: float) -> Observation:
            if x not in at_cache:
                if len(at_cache) > 256:
                    at_cache.clear()
                at_cache[x] = self.geometry.observe(self.antennas, x)
            return at_cache[x]

        rows = []
        asked: list[tuple[dict, Contact | None, Contact | None]] = []  # row, current contact, last ended contact
        for ai, a in enumerate(self.antennas):
            contacts = sorted(by_antenna.get(a.id, []), key=lambda c: c.setup_start)
            blocks = [b for b in plan.blocks if b.antenna_id == a.id and b.covers(t)]
            current = next((c for c in contacts if c.phase(t)), None)
            upcoming = next((c for c in contacts if c.setup_start > t), None)
            recent = current or next((c for c in reversed(contacts) if c.teardown_end <= t), None)
            evs = events.upto(a.id, t)
            reported_block = open_block_kind(evs)
            if any(b.kind == "outage" for b in blocks):
                activity = "outage"
            elif blocks:
                activity = "maintenance"
            else:
                activity = current.phase(t) if current else "idle"
            rep = reported_link_state(evs, current or recent, t) if not reported_block else None
            reported_activity = reported_block or (rep and rep["activity"])
            if reported_activity == "idle" and current is None and rep is None:
                reported_activity = None
            row = self._antenna_static(a)
            row.update(activity=activity, reported_activity=reported_activity, targets=[], uplink=None, downlink=None,
                       azimuth_deg=None, elevation_deg=None, upleg_range_km=None, downleg_range_km=None, rtlt_s=None,
                       contact_id=None, contact_status=None, next_contact=None, last_contact=None,
                       **dict.fromkeys(FREQUENCY_FIELDS))
            last = next((c for c in reversed(contacts) if c.teardown_end <= t), None)
            if current is not None and activity in ("setup", "tracking", "teardown"):
                sc = self.fleet.get(current.spacecraft_id)
                row["targets"] = [{"spacecraft_id": current.spacecraft_id,
                                   "name": sc.name if sc is not None else current.spacecraft_name}]
                row["contact_id"] = current.id
                phase = current.phase(t)
                point_at = current.start if phase == "setup" else current.end if phase == "teardown" else t
                if sc is not None and not sc.is_earth_orbiter and sc.trajectory is not None:
                    row.update(self._deep_space_pointing(sc, a, t, point_at))
                else:
                    row.update(self._pointing(obs, ai, current.spacecraft_id, None if point_at == t else obs_at(point_at)))
                cur_rep = reported_link_state(evs, current, t)
                if cur_rep is not None:
                    down, up = cur_rep["downlink"], cur_rep["uplink"]
                elif phase == "tracking":
                    down, up = "data", ("ranging" if sc is not None and sc.ranging else "data")
                else:
                    down = up = "none"
                row["downlink"] = self._link(sc, "downlink", down)
                row["uplink"] = self._link(sc, "uplink", up)
            if upcoming is not None:
                row["next_contact"] = {"id": upcoming.id, "spacecraft_id": upcoming.spacecraft_id,
                                       "spacecraft_name": upcoming.spacecraft_name,
                                       "setup_start": format_utc(upcoming.setup_start),
                                       "start": format_utc(upcoming.start), "end": format_utc(upcoming.end)}
            rows.append(row)
            asked.append((row, current if row["contact_id"] else None, last))
        self._add_states(asked, records)

        spacecraft = []
        for si, sid in enumerate(obs.spacecraft_ids):
            sc = self.fleet[sid]
            if not math.isfinite(obs.geocentric_km[si]):
                continue
            spacecraft.append({
                "id": sid, "name": sc.name, "kind": sc.kind,
                "latitude_deg": _num(obs.latitude_deg[si], 6), "longitude_deg": _num(obs.longitude_deg[si], 6),
                "altitude_km": _num(obs.altitude_km[si]), "geocentric_km": _num(obs.geocentric_km[si]),
                "in_view_of": [obs.antenna_ids[ai] for ai in range(len(self.antennas)) if obs.visible[ai, si]],
            })
        return {"time": format_utc(t), "mode": mode, "speed": speed,
                "generated_at": format_utc(t if generated_at is None else generated_at),
                "antennas": rows, "spacecraft": spacecraft}
