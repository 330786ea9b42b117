"""SatNOGS formats: Network stations, DB transmitters and satellites, in groundnet's terms.

Translation only: a SatNOGS Network ``/api/stations/`` record becomes an :class:`Antenna` (its
antennas' frequency ranges say what it can receive); a SatNOGS DB ``/api/transmitters/`` record
becomes a :class:`Transmitter` whose frequencies are corrected for the published drift; a DB
``/api/satellites/`` record becomes a :class:`SatnogsSatellite`. Each reader keeps every good record
and reports every bad one with its id and field (latitude 95, a negative frequency, a drift out of
range, a duplicate id), so one bad record never costs the others.

SatNOGS data is CC BY-SA 4.0 (Libre Space Foundation and contributors): files made from it carry
the same licence.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import files
from ..domain import Contact
from ..errors import InputFileError
from ..stations.network import Antenna

NETWORK_STATIONS_SOURCE = "SatNOGS Network /api/stations/ (CC BY-SA 4.0)"
STATION_STATUSES = ("Online", "Testing", "Offline")
# A published drift beyond 100 ppm (43.7 kHz at 437 MHz) is a typing error, not an oscillator.
MAX_DRIFT_PPB = 100_000
MAX_FREQUENCY_HZ = 300e9


class SatnogsFileError(InputFileError):
    """A SatNOGS export cannot be read at all (not JSON, not a list of records)."""


@dataclass(frozen=True)
class Problem:
    """One rejected record: which record (its id, or its position), which field, and why."""

    path: str
    record: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: record {self.record}: field '{self.field}': {self.reason}"


@dataclass(frozen=True)
class Transmitter:
    """A SatNOGS DB transmitter: one downlink (and perhaps uplink) of one satellite."""

    uuid: str
    norad_id: int
    description: str
    type: str  # Transmitter, Transceiver or Transponder
    mode: str
    baud: float | None
    downlink_low_hz: float | None
    downlink_high_hz: float | None
    downlink_drift_ppb: float | None
    uplink_low_hz: float | None
    uplink_high_hz: float | None
    uplink_drift_ppb: float | None
    status: str  # active, inactive or invalid
    alive: bool
    service: str = ""
    citation: str = ""

    @property
    def downlink_hz(self) -> float | None:
        """The downlink frequency to listen on: the low edge (a beacon's only frequency), drift applied."""
        return corrected_hz(self.downlink_low_hz, self.downlink_drift_ppb)

    @property
    def uplink_hz(self) -> float | None:
        return corrected_hz(self.uplink_low_hz, self.uplink_drift_ppb)

    @property
    def usable(self) -> bool:
        """Worth observing: alive, active and with a downlink."""
        return self.alive and self.status == "active" and self.downlink_low_hz is not None


@dataclass(frozen=True)
class SatnogsSatellite:
    sat_id: str
    norad_id: int | None
    name: str
    status: str  # alive, dead, future or re-entered
    decayed: str | None = None


def corrected_hz(frequency_hz: float | None, drift_ppb: float | None) -> float | None:
    """A published frequency corrected by its drift in parts per billion, as SatNOGS Network does."""
    if frequency_hz is None:
        return None
    return frequency_hz * (1.0 + (drift_ppb or 0.0) / 1e9)


def _load_records(path: str | Path, what: str) -> list:
    text = files.read_text(path, what=f"SatNOGS {what} export (JSON)", limit_bytes=files.DATA_LIMIT_BYTES,
                           error=SatnogsFileError)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SatnogsFileError(str(path), f"not JSON ({exc.msg}); give the body of the SatNOGS {what} API",
                               line=exc.lineno) from None
    if isinstance(data, dict) and isinstance(data.get("results"), list):  # a paginated page
        data = data["results"]
    if not isinstance(data, list):
        raise SatnogsFileError(str(path), f"expected a JSON list of {what} records, got {type(data).__name__}")
    return data


class _RecordCheck:
    """Field checks for one record; the first failure rejects the record with its field named."""

    def __init__(self, path: str, record_label: str, record: dict):
        self.path, self.label, self.record = path, record_label, record

    def fail(self, field: str, reason: str) -> Problem:
        return Problem(self.path, self.label, field, reason)

    def number(self, field: str, low: float, high: float, *, optional: bool = False) -> float | None:
        value = self.record.get(field)
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise _Reject(self.fail(field, f"must be a number, got {value!r}"))
        if not low <= value <= high:
            raise _Reject(self.fail(field, f"{value} is outside [{low:g}, {high:g}]"))
        return float(value)

    def text(self, field: str, *, optional: bool = False) -> str:
        value = self.record.get(field)
        if value is None and optional:
            return ""
        if not isinstance(value, str) or (not optional and not value.strip()):
            raise _Reject(self.fail(field, f"must be a non-empty string, got {value!r}"))
        return value.strip()

    def integer(self, field: str, low: int, high: int, *, optional: bool = False) -> int | None:
        value = self.record.get(field)
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise _Reject(self.fail(field, f"must be a whole number in [{low}, {high}], got {value!r}"))
        return value


class _Reject(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def _label(record, index: int, key: str) -> str:
    if isinstance(record, dict) and record.get(key) not in (None, ""):
        return f"{key}={record.get(key)}"
    return f"#{index + 1}"


def _read(path: str | Path, what: str, id_field: str, parse) -> tuple[list, list[Problem]]:
    """Every record of an export through ``parse(check)``, which returns ``(id, value)`` (``value``
    None: skipped, not an error) or raises ``_Reject``; the first record of each id is kept."""
    path = str(path)
    out: list = []
    problems: list[Problem] = []
    seen: set = set()
    for index, record in enumerate(_load_records(path, what)):
        label = _label(record, index, id_field)
        if not isinstance(record, dict):
            problems.append(Problem(path, label, "(record)", f"expected an object, got {type(record).__name__}"))
            continue
        check = _RecordCheck(path, label, record)
        try:
            key, value = parse(check)
            if key in seen:
                raise _Reject(check.fail(id_field, f"duplicate {id_field}: the first record with it is kept"))
        except _Reject as rejected:
            problems.append(rejected.problem)
            continue
        seen.add(key)
        if value is not None:
            out.append(value)
    return out, problems


def read_network_stations(
    path: str | Path, *, statuses: tuple[str, ...] = ("Online", "Testing"), prefix: str = "SATNOGS"
) -> tuple[list[Antenna], list[Problem]]:
    """Stations of a SatNOGS Network ``/api/stations/`` export whose status is in ``statuses``.

    Each station becomes one antenna ``{prefix}-{id}`` with the station's minimum horizon as its
    minimum elevation and its antennas' frequency ranges as what it can receive. Stations with
    another status are skipped silently (they are not errors); bad records are reported.
    """

    def parse(check: _RecordCheck):
        station_id = check.integer("id", 1, 10**9)
        status = check.text("status")
        if status not in STATION_STATUSES:
            raise _Reject(check.fail("status", f"must be one of {', '.join(STATION_STATUSES)}, got {status!r}"))
        latitude = check.number("lat", -90, 90)
        longitude = check.number("lng", -180, 180)
        altitude = check.number("altitude", -500, 9000)
        min_horizon = check.number("min_horizon", -5, 90)
        ranges = _antenna_ranges(check)
        if status not in statuses:
            return station_id, None
        name = check.text("name", optional=True) or f"station {station_id}"
        return station_id, Antenna(
            id=f"{prefix}-{station_id}",
            name=name,
            network="SatNOGS",
            latitude_deg=latitude,
            longitude_deg=longitude,
            altitude_m=altitude,
            min_elevation_deg=min_horizon,
            frequency_ranges_hz=ranges,
            source=f"{NETWORK_STATIONS_SOURCE}, station {station_id} ({status})",
        )

    return _read(path, "stations", "id", parse)


def _antenna_ranges(check: _RecordCheck) -> tuple[tuple[float, float], ...]:
    entries = check.record.get("antenna")
    if not isinstance(entries, list):
        raise _Reject(check.fail("antenna", f"must be a list of antennas, got {entries!r}"))
    ranges = []
    for i, entry in enumerate(entries):
        where = f"antenna[{i}]"
        if not isinstance(entry, dict):
            raise _Reject(check.fail(where, "must be an object with frequency and frequency_max"))
        low, high = entry.get("frequency"), entry.get("frequency_max")
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in (low, high)):
            raise _Reject(check.fail(f"{where}.frequency", f"frequency and frequency_max must be numbers in Hz, got {low!r}, {high!r}"))
        if not 0 < low <= high <= MAX_FREQUENCY_HZ:
            raise _Reject(check.fail(f"{where}.frequency", f"range {low:g}..{high:g} Hz must satisfy 0 < low <= high <= 300 GHz"))
        ranges.append((float(low), float(high)))
    return tuple(sorted(ranges))


def read_transmitters(path: str | Path) -> tuple[list[Transmitter], list[Problem]]:
    """Transmitters of a SatNOGS DB ``/api/transmitters/`` export; bad records reported by uuid and field."""

    def parse(check: _RecordCheck):
        uuid = check.text("uuid")
        norad_id = check.integer("norad_cat_id", 1, 999_999_999)
        values = {}
        for leg in ("downlink", "uplink"):
            values[f"{leg}_low_hz"] = check.number(f"{leg}_low", 1, MAX_FREQUENCY_HZ, optional=True)
            values[f"{leg}_high_hz"] = check.number(f"{leg}_high", 1, MAX_FREQUENCY_HZ, optional=True)
            values[f"{leg}_drift_ppb"] = check.number(f"{leg}_drift", -MAX_DRIFT_PPB, MAX_DRIFT_PPB, optional=True)
            low, high = values[f"{leg}_low_hz"], values[f"{leg}_high_hz"]
            if low is not None and high is not None and high < low:
                raise _Reject(check.fail(f"{leg}_high", f"{high:g} Hz is below {leg}_low {low:g} Hz"))
        status = check.text("status", optional=True) or "active"
        if status not in ("active", "inactive", "invalid"):
            raise _Reject(check.fail("status", f"must be active, inactive or invalid, got {status!r}"))
        baud = check.number("baud", 0, 1e9, optional=True)
        alive = check.record.get("alive", True)
        if not isinstance(alive, bool):
            raise _Reject(check.fail("alive", f"must be true or false, got {alive!r}"))
        text = {k: check.text(k, optional=True) for k in ("description", "mode", "service", "citation")}
        return uuid, Transmitter(uuid=uuid, norad_id=norad_id, type=check.text("type", optional=True) or "Transmitter",
                                 baud=baud, status=status, alive=alive, **text, **values)

    return _read(path, "transmitters", "uuid", parse)


def read_satellites(path: str | Path) -> tuple[list[SatnogsSatellite], list[Problem]]:
    """Satellites of a SatNOGS DB ``/api/satellites/`` export; bad records reported by sat_id and field."""

    def parse(check: _RecordCheck):
        sat_id = check.text("sat_id")
        norad_id = check.integer("norad_cat_id", 1, 999_999_999, optional=True)
        name = check.text("name")
        status = check.text("status")
        if status not in ("alive", "dead", "future", "re-entered"):
            raise _Reject(check.fail("status", f"must be alive, dead, future or re-entered, got {status!r}"))
        decayed = check.text("decayed", optional=True) or None
        return sat_id, SatnogsSatellite(sat_id=sat_id, norad_id=norad_id, name=name, status=status, decayed=decayed)

    return _read(path, "satellites", "sat_id", parse)


def first_usable(transmitters) -> dict[int, Transmitter]:
    """Per NORAD id, the satellite's first usable transmitter in file order: the one groundnet observes
    and tunes to (SatNOGS DB lists a satellite's main downlink first)."""
    out: dict[int, Transmitter] = {}
    for t in transmitters:
        if t.usable:
            out.setdefault(t.norad_id, t)
    return out


def transmitter_row(t: Transmitter) -> dict:
    """One transmitter as a listing row (frequencies in Hz, drift-corrected where drift is published)."""
    return {
        "uuid": t.uuid,
        "norad_id": t.norad_id,
        "description": t.description,
        "type": t.type,
        "mode": t.mode,
        "baud": t.baud,
        "downlink_hz": _whole_hz(t.downlink_hz),
        "downlink_drift_ppb": t.downlink_drift_ppb,
        "uplink_hz": _whole_hz(t.uplink_hz),
        "status": t.status,
        "alive": t.alive,
    }


def _whole_hz(frequency_hz: float | None) -> int | None:
    return None if frequency_hz is None else round(frequency_hz)


# --------------------------------------------------------------------------------------------- jobs

# The fields of a SatNOGS Network job, as GET /api/jobs/ gives them to the SatNOGS client.
JOB_FIELDS = ("id", "start", "end", "ground_station", "tle0", "tle1", "tle2", "frequency", "mode", "transmitter",
              "baud", "max_altitude", "norad_cat_id")


def tle_lines(element_set) -> tuple[str, str]:
    """The two TLE lines of an element set (from any format), written by sgp4's own exporter."""
    from sgp4.exporter import export_tle

    sat = element_set.satrec()
    sat.classification = element_set.classification or "U"
    sat.intldesg = element_set.international_designator.replace("-", "")[2:] if len(
        element_set.international_designator) > 8 else element_set.international_designator
    sat.elnum = element_set.element_set_no % 10000
    sat.revnum = element_set.rev_at_epoch % 100000
    return export_tle(sat)


def station_number(antenna_id: str, prefix: str = "SATNOGS") -> int | None:
    """``SATNOGS-1378`` -> 1378: the SatNOGS station id behind an imported antenna (None for others)."""
    head, _, number = antenna_id.rpartition("-")
    return int(number) if head.upper() == prefix.upper() and number.isdigit() else None


def job_records(plan, elements, *, prefix: str = "SATNOGS", first_id: int = 1) -> list[dict]:
    """A plan's observations as SatNOGS Network jobs (the fields and types of ``GET /api/jobs/``).

    ``plan`` is an :class:`groundnet.schedule.observations.ObservationPlan`; only observations on
    imported SatNOGS stations (``{prefix}-<id>``) with a downlink become jobs. ``frequency`` is the
    drift-corrected downlink in Hz; TLE lines come from the element set the passes were computed with.
    """
    from ..timebase import format_utc

    by_norad = {}
    for e in elements:
        by_norad.setdefault(e.norad_id, e)
    c = plan.candidates
    jobs = []
    order = plan.chosen[np.lexsort((c.sta[plan.chosen], c.start[plan.chosen]))]
    for i in order:
        station = station_number(c.station_ids[c.sta[i]], prefix)
        request = c.requests[c.req[i]]
        if station is None or request.downlink_hz is None:
            continue
        e = by_norad[request.norad_id]
        line1, line2 = tle_lines(e)
        jobs.append({
            "id": first_id + len(jobs),
            # Whole seconds inside the pass, as SatNOGS Network writes them.
            "start": format_utc(math.ceil(c.start[i])).replace(".000Z", "Z"),
            "end": format_utc(math.floor(c.end[i])).replace(".000Z", "Z"),
            "ground_station": station,
            "tle0": e.name,
            "tle1": line1,
            "tle2": line2,
            "frequency": round(request.downlink_hz),
            "mode": request.mode or "FM",
            "transmitter": request.transmitter,
            "baud": request.baud,
            "max_altitude": round(float(c.max_elevation_deg[i]), 1),
            "norad_cat_id": request.norad_id,
        })
    return jobs


def next_job_id(path: str | Path, note=None) -> int:
    """The first id of a new jobs file written over ``path``: after the largest id it holds, so that an observation
    id (the SatNOGS client's upload, the contact ``satnogs-<id>`` and its report) never names two observations."""
    if not Path(path).exists():
        return 1
    try:
        return max((int(j["id"]) for j in read_jobs(path)), default=0) + 1
    except (InputFileError, TypeError, ValueError) as exc:
        if note is not None:
            note(f"note: {path} is not a jobs file ({exc}); job ids start at 1")
        return 1


def read_jobs(path: str | Path) -> list[dict]:
    """A jobs file written by ``groundnet schedule observations --jobs``; every job checked field by field."""
    text = files.read_text(path, what="SatNOGS jobs file (JSON)", limit_bytes=files.DATA_LIMIT_BYTES,
                           error=SatnogsFileError)
    try:
        jobs = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SatnogsFileError(str(path), f"not JSON ({exc.msg})", line=exc.lineno) from None
    if not isinstance(jobs, list):
        raise SatnogsFileError(str(path), "expected a JSON list of jobs (groundnet schedule observations --jobs)")
    for n, job in enumerate(jobs, start=1):
        missing = [f for f in JOB_FIELDS if not isinstance(job, dict) or f not in job]
        if missing:
            raise SatnogsFileError(str(path), f"job #{n} lacks {', '.join(missing)}", field=missing[0])
    return jobs


# A served job is a contact of its station: id ``satnogs-<job id>``. After the observation the station keeps
# the contact's time for its uploads, this long at most (the SatNOGS client posts what it recorded every
# SATNOGS_NETWORK_API_POST_INTERVAL, 180 s by default), never into its next observation.
JOB_CONTACT_PREFIX = "satnogs-"
UPLOAD_WAIT_S = 300.0
JOB_MISSION = "SatNOGS"


def job_contact_id(job_id: int) -> str:
    return f"{JOB_CONTACT_PREFIX}{job_id}"


def job_contacts(jobs: list[dict], spacecraft_ids: dict[int, str] | None = None, *, prefix: str = "SATNOGS",
                 upload_wait_s: float = UPLOAD_WAIT_S) -> list[Contact]:
    """SatNOGS jobs as contacts of the operations store, so that each has a lifecycle and a report.

    A job runs on antenna ``{prefix}-<ground_station>`` from ``start`` (no setup: the client points when the
    observation starts) to ``end``, then keeps up to ``upload_wait_s`` for the uploads (its teardown), cut at
    the station's next job. The spacecraft is the fleet's craft with the job's NORAD id (``spacecraft_ids``),
    else ``NORAD-<id>``.
    """
    from ..timebase import parse_utc

    spacecraft_ids = spacecraft_ids or {}
    timed = sorted(((parse_utc(j["start"]).timestamp(), parse_utc(j["end"]).timestamp(), j) for j in jobs),
                   key=lambda x: (x[2]["ground_station"], x[0]))
    out = []
    for n, (start, end, job) in enumerate(timed):
        following = timed[n + 1] if n + 1 < len(timed) else None
        teardown_end = end + upload_wait_s
        if following is not None and following[2]["ground_station"] == job["ground_station"]:
            teardown_end = max(end, min(teardown_end, following[0]))
        norad = int(job["norad_cat_id"])
        out.append(Contact(id=job_contact_id(job["id"]), antenna_id=f"{prefix}-{job['ground_station']}",
                           spacecraft_id=spacecraft_ids.get(norad, f"NORAD-{norad}"),
                           spacecraft_name=str(job.get("tle0") or f"NORAD {norad}")[:200], setup_start=start,
                           start=start, end=end, teardown_end=teardown_end, mission=JOB_MISSION))
    return sorted(out, key=lambda c: (c.start, c.antenna_id))


# --------------------------------------------------------------------------------------- links

@dataclass(frozen=True)
class SatnogsLink:
    """Where a spacecraft's SatNOGS link came from: the transmitter, its mode and baud, the published downlink and
    its drift (``downlink_hz`` is the one tuned to: published x (1 + drift_ppb / 1e9))."""

    spacecraft_id: str
    norad_id: int
    transmitter: str  # SatNOGS DB uuid
    description: str
    mode: str
    baud: float | None
    downlink_published_hz: float | None
    downlink_drift_ppb: float | None
    downlink_hz: float | None
    uplink_hz: float | None
    source: str  # the transmitters file, or the job that named it

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def satnogs_link(direction: str, frequency_hz: float | None, baud: float | None):
    """A SatNOGS frequency (drift-corrected) as a :class:`groundnet.missions.Link`: its band from the frequency, the
    baud as the data rate (SatNOGS publishes symbols per second), an Earth orbiter's link."""
    from ..missions.bands import band_of
    from ..missions.spacecraft import Link

    if frequency_hz is None:
        return None
    return Link(band=band_of(frequency_hz), direction=direction, frequency_hz=float(frequency_hz),
                data_rate_bps=baud, near_earth=True)


def transmitter_links(t: Transmitter) -> tuple:
    """The transmitter as a spacecraft's (downlink, uplink) links, frequencies corrected for their drift."""
    return satnogs_link("down", t.downlink_hz, t.baud), satnogs_link("up", t.uplink_hz, t.baud)


def _links_source(t_uuid: str, mode: str, baud, drift, where: str) -> str:
    return (f"SatNOGS DB transmitter {t_uuid} ({mode or 'mode unknown'}"
            + (f", {baud:g} Bd" if baud else "") + (f", drift {drift:g} ppb" if drift else "")
            + f") from {where}; SatNOGS DB data CC BY-SA 4.0")


def fleet_with_satnogs(fleet: list, *, transmitters=(), jobs=(), source: str = "SatNOGS DB transmitters"
                       ) -> tuple[list, dict[str, SatnogsLink]]:
    """The fleet with the SatNOGS transmitters' links, and the satellites the jobs name added to it.

    A craft of the fleet whose NORAD id has a usable transmitter (``first_usable``) takes its downlink and
    uplink where it has none in that direction or one in the same band (the published channel then replaces
    the band's allocation); a mission link in another band is kept (the ISS's S band stays beside its VHF
    transmitter). A satellite a job names that the fleet lacks joins it as ``NORAD-<id>``, with the job's TLE and
    the link of its transmitter (or of the job: its frequency, mode and baud). Returns the fleet and, per craft
    with a SatNOGS transmitter or job, that link and where it came from.
    """
    from dataclasses import replace

    from ..missions.spacecraft import Spacecraft
    from ..orbits.catalog import parse_catalog_text

    usable = first_usable(transmitters)
    links: dict[str, SatnogsLink] = {}

    def record(sc_id: str, norad: int, t: Transmitter | None, job: dict | None, where: str) -> None:
        if t is not None:
            links[sc_id] = SatnogsLink(sc_id, norad, t.uuid, t.description, t.mode, t.baud, t.downlink_low_hz,
                                       t.downlink_drift_ppb, t.downlink_hz, t.uplink_hz, where)
        else:
            links[sc_id] = SatnogsLink(sc_id, norad, job["transmitter"], "", job["mode"], job["baud"], None, None,
                                       float(job["frequency"]), None, where)

    out = []
    for sc in fleet:
        t = usable.get(sc.norad_id) if sc.norad_id is not None else None
        if t is None:
            out.append(sc)
            continue
        down, up = transmitter_links(t)
        change = {}
        if down is not None and (sc.downlink is None or sc.downlink.band == down.band):
            change["downlink"] = down
        if up is not None and (sc.uplink is None or sc.uplink.band == up.band):
            change["uplink"] = up
        if "downlink" in change:
            change["links_source"] = _links_source(t.uuid, t.mode, t.baud, t.downlink_drift_ppb, source)
        record(sc.id, sc.norad_id, t, None, source)  # its SatNOGS stations tune to it whichever link the board shows
        out.append(replace(sc, **change) if change else sc)

    known = {sc.norad_id for sc in out if sc.norad_id is not None}
    newest: dict[int, dict] = {}
    for job in jobs:
        newest.setdefault(int(job["norad_cat_id"]), job)
    for norad, job in sorted(newest.items()):
        if norad in known:
            continue
        load = parse_catalog_text(f"{job['tle0']}\n{job['tle1']}\n{job['tle2']}\n", source=f"SatNOGS job {job['id']}")
        if not load.elements:
            continue  # a TLE that does not parse: the job is served, the satellite is not shown
        t = usable.get(norad)
        if t is not None:
            down, up = transmitter_links(t)
            where = source
        else:
            down, up = satnogs_link("down", float(job["frequency"]), job["baud"]), None
            where = f"SatNOGS job {job['id']}"
        sc_id = f"NORAD-{norad}"
        out.append(Spacecraft(id=sc_id, name=str(job["tle0"])[:200], kind="tle", norad_id=norad, mission="SatNOGS",
                              description=f"observed by SatNOGS stations (job {job['id']})",
                              trajectory_source=f"TLE of SatNOGS job {job['id']}", downlink=down, uplink=up,
                              links_source=_links_source(t.uuid if t else job["transmitter"],
                                                         t.mode if t else job["mode"], t.baud if t else job["baud"],
                                                         t.downlink_drift_ppb if t else None, where),
                              catalog=load))
        record(sc_id, norad, t, None if t else job, where)
    return out, links
