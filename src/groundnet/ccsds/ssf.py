"""CCSDS Simple Schedule Format (CCSDS 902.1-B-1): who gets which antenna when, between agencies.

A schedule is a header and, per user (spacecraft), one scheduled package of scheduled activities:
one per contact, with its site and aperture (antenna) references, the beginning and end of the
activity (set-up to tear-down) and of the track (AOS..LOS), its status and, per service, the
service type and frequency band. Times are CCSDS day-of-year UTC (``2026-327T08:00:00.000Z``).

Every file written is validated against the schema shipped beside this module
(``schemas/ssf.xsd``, with ``xmlschema``); files read are parsed with ``defusedxml`` (no DTD, no
entities) and checked record by record: a bad activity is reported with its line and element and
left out, the good ones are kept.

Arrays of antennas (a track on ``DSS-34_DSS-35``) are written as one activity whose ``apertureRef``
joins the member apertures with ``_``, as groundnet's plans name them; an array spanning sites
(``DSS-24_DSS-55``) names each member's site the same way (``gdscc_mdscc``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable

from .. import files
from ..errors import CcsdsError
from ..schedule.model import Block, Plan, Track, parse_resource, resource_name
from .ndm import _local, parse_xml_tree
from .times import EpochError, format_doy, parse_doy

NAMESPACE = "urn:ccsds:schema:cssm:1.0.0"
STATUSES = ("COMMITTED", "TENTATIVE", "CANCELLED")
SCHEDULE_STATUSES = ("OPERATIONAL", "PRELIMINARY", "TEST")
SERVICE_TYPES = ("TELEMETRY", "TELECOMMAND", "RANGING", "DOPPLER", "ANGLES", "DELTA_DOR")
FREQUENCY_BANDS = ("VHF", "UHF", "L", "S", "C", "X-NE", "X-DS", "Ku", "K", "Ka-NE", "Ka-DS")
_TIMES = ("beginningOfActivity", "beginningOfTrack", "endOfTrack", "endOfActivity")


@dataclass(frozen=True)
class SsfService:
    service_type: str  # TELEMETRY, TELECOMMAND, RANGING, DOPPLER, ...
    frequency_band: str  # S, X-NE, X-DS, Ka-DS, ...


@dataclass(frozen=True)
class SsfActivity:
    """One scheduled activity: a contact of ``user`` on ``aperture`` (an antenna id, or array members joined by ``_``)."""

    activity_id: str
    user: str
    site: str
    aperture: str
    status: str
    begin_activity: float
    begin_track: float
    end_track: float
    end_activity: float
    request_id: str = ""
    services: tuple[SsfService, ...] = ()
    line: int = 0

    @property
    def antennas(self) -> tuple[str, ...]:
        return parse_resource(self.aperture)

    def as_dict(self) -> dict:
        from ..timebase import format_utc

        return {"activity_id": self.activity_id, "user": self.user, "site": self.site, "aperture": self.aperture,
                "status": self.status, "beginning_of_activity": format_utc(self.begin_activity),
                "beginning_of_track": format_utc(self.begin_track), "end_of_track": format_utc(self.end_track),
                "end_of_activity": format_utc(self.end_activity), "request_id": self.request_id or None,
                "services": [{"service_type": s.service_type, "frequency_band": s.frequency_band}
                             for s in self.services]}


@dataclass
class Ssf:
    """A simple schedule: its header and activities; ``problems`` holds the records refused on reading."""

    originator: str
    generated_unix: float
    start_unix: float
    end_unix: float
    activities: list[SsfActivity] = field(default_factory=list)
    name: str = ""  # the header's comment: groundnet writes the plan's name there
    status: str = "OPERATIONAL"
    problems: list[CcsdsError] = field(default_factory=list)
    path: str = ""
    kind: str = "SSF"
    encoding: str = "XML"


# ----------------------------------------------------------------------------------------- services

def ssf_band(band: str, near_earth: bool) -> str:
    """groundnet's band letter as the SSF names it: X and Ka split into near-Earth (NE) and deep-space (DS)."""
    if band in ("X", "Ka"):
        return f"{band}-{'NE' if near_earth else 'DS'}"
    return band


def link_services(downlink, uplink, near_earth: bool | None = None) -> tuple[SsfService, ...]:
    """The services of a contact from the spacecraft's links (objects with ``band``, and ``near_earth``
    unless given): telemetry on the downlink, telecommand on the uplink, and with both, two-way
    ranging and Doppler on the downlink's band."""
    def band(link) -> str:
        return ssf_band(link.band, getattr(link, "near_earth", False) if near_earth is None else near_earth)

    out = []
    if downlink is not None:
        out.append(SsfService("TELEMETRY", band(downlink)))
    if uplink is not None:
        out.append(SsfService("TELECOMMAND", band(uplink)))
    if downlink is not None and uplink is not None:
        out += [SsfService("RANGING", band(downlink)), SsfService("DOPPLER", band(downlink))]
    return tuple(s for s in out if s.frequency_band in FREQUENCY_BANDS)


def network_sites(antennas: Iterable) -> dict[str, str]:
    """Antenna id -> site code (``mdscc``, ``newnorcia``, ...), as the DSN Now feed names sites."""
    from ..stations.sites import site_of

    return {a.id: site_of(a)[0] for a in antennas}


# ----------------------------------------------------------------------------------------- writing

@lru_cache(maxsize=1)
def _schema():
    import xmlschema

    with resources.as_file(resources.files("groundnet.ccsds") / "schemas" / "ssf.xsd") as path:
        return xmlschema.XMLSchema10(str(path))


def validate_ssf(data: bytes | str, path: str = "SSF") -> None:
    """Validate an SSF document against the shipped schema; the first violation is a :class:`CcsdsError`."""
    from defusedxml.ElementTree import fromstring

    root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    for err in _schema().iter_errors(root):
        raise CcsdsError(path, f"not a valid Simple Schedule Format document: {err.reason} (at {err.path})",
                         field=(err.path or "").rsplit("/", 1)[-1] or None)


def ssf_xml(ssf: Ssf) -> bytes:
    """The SSF document of a schedule, validated against ``schemas/ssf.xsd`` before it is returned."""
    ns = f"{{{NAMESPACE}}}"
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(f"{ns}simpleSchedule", {"srvMgtEntityType": "SIMPLE_SCHEDULE"})
    header = {"originatingOrganization": ssf.originator, "generationTime": format_doy(ssf.generated_unix),
              "status": ssf.status, "inclusionType": "START_INCLUSION", "version": "1",
              "startTime": format_doy(ssf.start_unix), "endTime": format_doy(ssf.end_unix)}
    if ssf.name:
        header["comment"] = ssf.name
    ET.SubElement(root, f"{ns}simpleScheduleHeader", header)
    packages: dict[str, list[SsfActivity]] = {}
    for a in sorted(ssf.activities, key=lambda a: (a.begin_activity, a.activity_id)):
        packages.setdefault(a.user, []).append(a)
    for user in sorted(packages):
        pkg = ET.SubElement(root, f"{ns}scheduledPackage", {"scheduledPackageId": user, "user": user})
        for a in packages[user]:
            attrs = {"scheduledActivityId": a.activity_id, "activityStatus": a.status, "siteRef": a.site,
                     "apertureRef": a.aperture}
            if a.request_id:
                attrs["originatingRequestId"] = a.request_id
            attrs.update(zip(_TIMES, map(format_doy, (a.begin_activity, a.begin_track, a.end_track, a.end_activity))))
            el = ET.SubElement(pkg, f"{ns}scheduledActivity", attrs)
            for s in a.services:
                ET.SubElement(el, f"{ns}serviceInfo", {"serviceType": s.service_type, "frequencyBand": s.frequency_band})
    ET.indent(root)
    data = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"
    validate_ssf(data, "the SSF groundnet wrote")
    return data


def plan_ssf(plan: Plan, *, user_of: Callable[[str], str], sites: dict[str, str],
             services_of: Callable[[str], tuple[SsfService, ...]] = lambda user: (), status: str = "COMMITTED",
             originator: str = "GROUNDNET", generated_unix: float, start_unix: float | None = None,
             end_unix: float | None = None) -> Ssf:
    """A schedule plan as an SSF: one activity per track (``user_of`` maps a request id to its spacecraft)."""
    if status not in STATUSES:
        raise CcsdsError("--status", f"activity status '{status}' unknown: choose {', '.join(STATUSES)}")
    activities = []
    for k, t in enumerate(plan.tracks, start=1):
        unknown = [a for a in t.resource if a not in sites]
        if unknown:
            raise CcsdsError(plan.detail.get("source", "plan"), f"antenna {unknown[0]} of track {t.request_id} is not "
                             "in the station network: give its site with --station-file", field="resource")
        user = user_of(t.request_id)
        activities.append(SsfActivity(
            activity_id=f"{t.request_id}#{k}", user=user, site=array_site(t.resource, sites),
            aperture=resource_name(t.resource),
            status=status, begin_activity=t.setup_start, begin_track=t.trx_on, end_track=t.trx_off,
            end_activity=t.teardown_end, request_id=t.request_id, services=services_of(user)))
    starts = [t.setup_start for t in plan.tracks]
    ends = [t.teardown_end for t in plan.tracks]
    s0 = start_unix if start_unix is not None else min(starts, default=generated_unix)
    s1 = end_unix if end_unix is not None else max(ends, default=s0)
    return Ssf(originator, generated_unix, s0, s1, activities, name=plan.name)


def array_site(antennas: tuple[str, ...], sites: dict[str, str]) -> str:
    """The siteRef of an activity: its site, or for an array spanning sites each member's site joined by ``_``."""
    member_sites = [sites[a] for a in antennas]
    return member_sites[0] if len(set(member_sites)) == 1 else "_".join(member_sites)


def ssf_plan(ssf: Ssf) -> Plan:
    """The plan an SSF describes (the inverse of :func:`plan_ssf`): one track per non-cancelled activity."""
    tracks = [Track(a.request_id or a.activity_id, a.antennas, a.begin_track, a.end_track, a.begin_activity,
                    a.end_activity) for a in ssf.activities if a.status != "CANCELLED"]
    return Plan(ssf.name, tracks, {"source": ssf.path})


def ssf_blocks(ssf: Ssf, *, statuses: tuple[str, ...] = ("COMMITTED",)) -> list[Block]:
    """The antenna time a partner's activities take, as scheduling blocks (one per member antenna)."""
    return [Block(antenna, a.begin_activity, a.end_activity, "outage", f"partner {a.user} ({a.activity_id})")
            for a in ssf.activities if a.status in statuses for antenna in a.antennas]


# ----------------------------------------------------------------------------------------- reading

def is_ssf(text: str | bytes) -> bool:
    """Whether a document's root element is ``<simpleSchedule>`` (looked for in its first 4 kB)."""
    head = text[:4096]
    return (b"simpleSchedule" if isinstance(head, bytes) else "simpleSchedule") in head


def read_ssf(path: str | Path, *, sites: dict[str, str] | None = None) -> Ssf:
    """Read an SSF file (bounded like every CCSDS file); see :func:`parse_ssf`."""
    data = files.read_bytes(path, limit_bytes=files.CCSDS_LIMIT_BYTES, what="CCSDS Simple Schedule", error=CcsdsError)
    return parse_ssf(data, str(path), sites=sites)


def parse_ssf(data: str | bytes, path: str = "<string>", *, sites: dict[str, str] | None = None) -> Ssf:
    """An SSF document; ``sites`` (antenna id -> site code) checks site and aperture references.

    The header must be sound (else :class:`CcsdsError`). Each activity with a missing or malformed
    attribute, a time not in day-of-year form, an end before its beginning, an unknown site or
    aperture, or that overlaps an earlier activity on one of its antennas is left out and reported
    in ``problems`` with its line and element; the rest are kept.
    """
    root, lines = parse_xml_tree(data, path)
    if _local(root.tag) != "simpleSchedule":
        raise CcsdsError(path, f"root element <{_local(root.tag)}> is not <simpleSchedule>", line=lines.get(root))
    children = [c for c in root if isinstance(c.tag, str)]
    header = children[0] if children and _local(children[0].tag) == "simpleScheduleHeader" else None
    if header is None:
        raise CcsdsError(path, "<simpleSchedule> must begin with <simpleScheduleHeader>", line=lines.get(root),
                         field="simpleScheduleHeader")
    hline = lines.get(header)

    def head(name: str, required: bool = True) -> str:
        value = header.get(name)
        if value is None and required:
            raise CcsdsError(path, f"<simpleScheduleHeader> lacks {name}", line=hline, field=f"simpleScheduleHeader.{name}")
        return (value or "").strip()

    def head_time(name: str) -> float:
        try:
            return parse_doy(head(name))
        except EpochError as exc:
            raise CcsdsError(path, str(exc), line=hline, field=f"simpleScheduleHeader.{name}") from None

    ssf = Ssf(head("originatingOrganization"), head_time("generationTime"), head_time("startTime"),
              head_time("endTime"), name=head("comment", False), status=head("status"), path=path)
    if ssf.status not in SCHEDULE_STATUSES:
        raise CcsdsError(path, f"schedule status '{ssf.status}' unknown: {', '.join(SCHEDULE_STATUSES)}", line=hline,
                         field="simpleScheduleHeader.status")
    known_sites = None if sites is None else set(sites.values())
    by_antenna: dict[str, list[SsfActivity]] = {}
    for pkg in children[1:]:
        if _local(pkg.tag) != "scheduledPackage":
            ssf.problems.append(CcsdsError(path, f"<{_local(pkg.tag)}> inside <simpleSchedule>: expected "
                                                 "<scheduledPackage>", line=lines.get(pkg), field=_local(pkg.tag)))
            continue
        user = (pkg.get("user") or pkg.get("scheduledPackageId") or "").strip()
        if not user:
            ssf.problems.append(CcsdsError(path, "<scheduledPackage> without user or scheduledPackageId: its activities "
                                                 "are left out", line=lines.get(pkg), field="scheduledPackage.user"))
            continue
        for el in pkg:
            name = _local(el.tag) if isinstance(el.tag, str) else ""
            if name == "servicePackageXRef" or not name:
                continue
            if name != "scheduledActivity":
                ssf.problems.append(CcsdsError(path, f"<{name}> inside <scheduledPackage>: expected <scheduledActivity>",
                                               line=lines.get(el), field=name))
                continue
            try:
                act = _activity(el, user, lines.get(el), path, sites, known_sites)
            except CcsdsError as exc:
                ssf.problems.append(exc)
                continue
            clash = _overlap(act, by_antenna)
            if clash is not None:
                other, antenna = clash
                ssf.problems.append(CcsdsError(
                    path, f"activity {act.activity_id} overlaps activity {other.activity_id} (line {other.line}) on "
                          f"aperture {antenna}: an aperture carries one activity at a time", line=act.line,
                    field="scheduledActivity.beginningOfActivity"))
                continue
            ssf.activities.append(act)
            if act.status != "CANCELLED":
                for antenna in act.antennas:
                    by_antenna.setdefault(antenna, []).append(act)
    return ssf


def _activity(el, user: str, line: int | None, path: str, sites, known_sites) -> SsfActivity:
    def attr(name: str) -> str:
        value = (el.get(name) or "").strip()
        if not value:
            raise CcsdsError(path, f"<scheduledActivity> lacks {name}", line=line, field=f"scheduledActivity.{name}")
        return value

    def when(name: str) -> float:
        try:
            return parse_doy(attr(name))
        except EpochError as exc:
            raise CcsdsError(path, str(exc), line=line, field=f"scheduledActivity.{name}") from None

    activity_id = attr("scheduledActivityId")
    status = attr("activityStatus")
    if status not in STATUSES:
        raise CcsdsError(path, f"activity status '{status}' unknown: {', '.join(STATUSES)}", line=line,
                         field="scheduledActivity.activityStatus")
    site, aperture = attr("siteRef"), attr("apertureRef")
    if known_sites is not None:
        members, site_parts = parse_resource(aperture), parse_resource(site)
        for part in site_parts:
            if part not in known_sites:
                raise CcsdsError(path, f"unknown site '{part}' (activity {activity_id}); the network's sites are "
                                       f"{', '.join(sorted(known_sites))}: add the partner's antennas with --station-file",
                                 line=line, field="scheduledActivity.siteRef")
        if len(site_parts) not in (1, len(members)):
            raise CcsdsError(path, f"siteRef '{site}' names {len(site_parts)} sites for {len(members)} apertures "
                                   f"(activity {activity_id}): one site, or one per aperture", line=line,
                             field="scheduledActivity.siteRef")
        for antenna, part in zip(members, site_parts * len(members) if len(site_parts) == 1 else site_parts):
            if sites.get(antenna) != part:
                raise CcsdsError(path, f"aperture '{antenna}' is not an antenna of site '{part}' (activity {activity_id})",
                                 line=line, field="scheduledActivity.apertureRef")
    t = [when(n) for n in _TIMES]
    for (a, ta), (b, tb) in zip(zip(_TIMES, t), list(zip(_TIMES, t))[1:]):
        if tb < ta or (a == "beginningOfTrack" and tb == ta):
            raise CcsdsError(path, f"{b} {attr(b)} is before {a} {attr(a)} (activity {activity_id}): the order is "
                                   "beginningOfActivity <= beginningOfTrack < endOfTrack <= endOfActivity",
                             line=line, field=f"scheduledActivity.{b}")
    services = []
    for s in el:
        if not isinstance(s.tag, str) or _local(s.tag) != "serviceInfo":
            continue
        st, band = (s.get("serviceType") or "").strip(), (s.get("frequencyBand") or "").strip()
        if st not in SERVICE_TYPES or band not in FREQUENCY_BANDS:
            bad, value, allowed = ("serviceType", st, SERVICE_TYPES) if st not in SERVICE_TYPES else \
                ("frequencyBand", band, FREQUENCY_BANDS)
            raise CcsdsError(path, f"{bad} '{value}' unknown (activity {activity_id}): {', '.join(allowed)}",
                             line=line, field=f"serviceInfo.{bad}")
        services.append(SsfService(st, band))
    return SsfActivity(activity_id, user, site, aperture, status, *t, request_id=(el.get("originatingRequestId") or ""),
                       services=tuple(services), line=line or 0)


def _overlap(act: SsfActivity, by_antenna: dict[str, list[SsfActivity]]) -> tuple[SsfActivity, str] | None:
    if act.status == "CANCELLED":
        return None
    for antenna in act.antennas:
        for other in by_antenna.get(antenna, ()):
            if act.begin_activity < other.end_activity and other.begin_activity < act.end_activity:
                return other, antenna
    return None
