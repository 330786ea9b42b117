"""A partner network's CCSDS Simple Schedule on the board, and our plan as one.

The partner's committed activities become the same partner model the DSN Now import gives
(``{time, source, antennas: [antenna state as on our board]}``), computed at the moment the board
shows, with the activities themselves beside it; they are also antenna time the planner keeps
free. Our plan over a window becomes an SSF with one activity per contact.
"""

from __future__ import annotations

import re

from ..ccsds.ssf import Ssf, SsfActivity, SsfService, link_services, network_sites, parse_ssf, ssf_xml
from ..errors import FeedError
from ..stations import Antenna
from ..timebase import format_utc
from ..domain import BoardBlock, BoardPlan

MAX_SSF_BYTES = 20_000_000


def plan_ssf_xml(plan: BoardPlan, fleet: list, antennas: list[Antenna], *, start: float, end: float,
                 generated_unix: float, originator: str = "GROUNDNET") -> bytes:
    """Our contacts over [start, end) as a validated SSF (cancelled contacts as CANCELLED activities)."""
    sites = network_sites(antennas)
    crafts = {sc.id: sc for sc in fleet}

    def services(sc_id: str) -> tuple[SsfService, ...]:
        sc = crafts.get(sc_id)
        return link_services(sc.downlink, sc.uplink, near_earth=sc.is_earth_orbiter) if sc else ()

    acts = [SsfActivity(c.id, c.spacecraft_id, sites[c.antenna_id], c.antenna_id,
                        "CANCELLED" if c.cancelled else "COMMITTED", c.setup_start, c.start, c.end, c.teardown_end,
                        request_id=c.request_id or "", services=services(c.spacecraft_id))
            for c in plan.contacts if c.antenna_id in sites]
    return ssf_xml(Ssf(originator, generated_unix, start, end, acts, name=f"groundnet plan {format_utc(start)}"))


def load_partner_ssf(source: str, antennas: list[Antenna], timeout_s: float = 10.0) -> Ssf:
    """A partner's SSF from a file or an http(s) URL; sites and apertures checked against the network.

    A URL is read as every feed is (``sources.http.read_feed``): streamed, at most ``MAX_SSF_BYTES`` after
    decompression, within four times ``timeout_s``; a feed that never ends or a compressed bomb stops at the limit."""
    sites = network_sites(antennas)
    if re.match(r"https?://", source):
        from ..sources.http import read_feed

        body = read_feed(source, what="partner Simple Schedule", limit_bytes=MAX_SSF_BYTES, timeout_s=timeout_s,
                         error=FeedError)
        return parse_ssf(body, source, sites=sites)
    from ..ccsds.ssf import read_ssf

    return read_ssf(source, sites=sites)


def partner_data(ssf: Ssf, source: str) -> dict:
    """What the store keeps of a partner's SSF: header, activities and the records refused."""
    return {"time": format_utc(ssf.generated_unix), "source": source, "originator": ssf.originator,
            "start": format_utc(ssf.start_unix), "end": format_utc(ssf.end_unix),
            "activities": [a.as_dict() for a in ssf.activities], "problems": [str(p) for p in ssf.problems]}


def partner_blocks(data: dict) -> list[BoardBlock]:
    """A stored partner schedule's committed activities as antenna time the planner keeps free."""
    from ..timebase import parse_utc

    return [BoardBlock(antenna, "outage", parse_utc(a["beginning_of_activity"]).timestamp(),
                       parse_utc(a["end_of_activity"]).timestamp(), f"partner {a['user']} ({a['activity_id']})")
            for a in data.get("activities", []) if a["status"] == "COMMITTED" for antenna in a["aperture"].split("_")]


def partner_state(data: dict, antennas: list[Antenna], t: float) -> dict:
    """The partner model at ``t``: every antenna the schedule names, busy with its committed activity if one runs."""
    from ..timebase import parse_utc

    by_id = {a.id: a for a in antennas}
    running: dict[str, tuple[str, dict]] = {}
    named: list[str] = []
    for act in data.get("activities", []):
        if act["status"] != "COMMITTED":
            continue
        b0, b1 = parse_utc(act["beginning_of_activity"]).timestamp(), parse_utc(act["beginning_of_track"]).timestamp()
        e0, e1 = parse_utc(act["end_of_track"]).timestamp(), parse_utc(act["end_of_activity"]).timestamp()
        phase = None if not b0 <= t < e1 else "setup" if t < b1 else "tracking" if t < e0 else "teardown"
        for antenna in act["aperture"].split("_"):
            if antenna not in named:
                named.append(antenna)
            if phase is not None:
                running[antenna] = (phase, act)
    rows = []
    for antenna_id in named:
        a = by_id.get(antenna_id)
        phase, act = running.get(antenna_id, ("idle", None))
        rows.append({
            "id": antenna_id, "name": a.name if a else antenna_id, "network": f"{data.get('originator', 'partner')} (SSF)",
            "station": {"name": act["site"] if act else None, "friendly_name": None},
            "latitude_deg": a.latitude_deg if a else None, "longitude_deg": a.longitude_deg if a else None,
            "dish_m": a.dish_m if a else None, "activity": phase, "reported_activity": None,
            "targets": [{"spacecraft_id": act["user"], "name": act["user"], "id": act["activity_id"]}] if act else [],
            "uplink": None, "downlink": None, "azimuth_deg": None, "elevation_deg": None, "upleg_range_km": None,
            "downleg_range_km": None, "rtlt_s": None, "is_array": bool(act and "_" in act["aperture"]),
            "is_mspa": False, "is_ddor": False,
        })
    return {"time": format_utc(t), "source": data.get("source"), "originator": data.get("originator"),
            "schedule_time": data.get("time"), "antennas": rows, "activities": data.get("activities", []),
            "problems": data.get("problems", [])}
