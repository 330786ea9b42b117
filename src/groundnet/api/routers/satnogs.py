"""The SatNOGS Network API a SatNOGS client speaks: its jobs, and the upload of what it recorded.

Mounted at ``/api/`` (not ``/api/v1``): a SatNOGS client is pointed at groundnet with
``SATNOGS_NETWORK_API_URL=http://HOST:PORT/api/`` and asks for ``jobs/`` and ``observations/{id}/``
below it, sending ``Authorization: Token <key>`` with a groundnet API token as the key.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import math
import re
import threading
from pathlib import Path
from typing import Callable

from fastapi import APIRouter, Depends, File, Form, Header, HTTPException, Query, Request, UploadFile, status
from fastapi import Path as PathParam
from pydantic import BaseModel, Field

from ...domain import StationEvent
from ...errors import GroundnetError
from ...interop.satnogs import (
    JOB_CONTACT_PREFIX, fleet_with_satnogs, job_contact_id, job_contacts, read_jobs, read_transmitters,
)
from ...live.service import LiveService
from ...timebase import parse_utc
from ..deps import MAX_ID, get_service, read_access

log = logging.getLogger("groundnet.satnogs")
router = APIRouter(prefix="/api", tags=["satnogs"])
links_router = APIRouter(prefix="/api/v1/satnogs", tags=["satnogs"], dependencies=[Depends(read_access)])
UPLOAD_PREFIX = "/api/observations/"
ARTIFACTS = ("payload", "waterfall", "demoddata")


class SatnogsJob(BaseModel):
    """One observation for a station, with the fields and types of a SatNOGS Network job."""

    id: int
    start: str = Field(description="ISO 8601 UTC, whole seconds.")
    end: str
    ground_station: int
    tle0: str
    tle1: str
    tle2: str
    frequency: int = Field(description="Downlink to tune to, Hz, corrected for the transmitter's drift.")
    mode: str
    transmitter: str
    baud: float | None
    max_altitude: float
    norad_cat_id: int


class SatnogsUpload(BaseModel):
    id: int = Field(description="The observation (job) id.")
    artifact: str = Field(description="payload (audio), waterfall, demoddata or client_metadata.")
    filename: str
    bytes: int
    event_id: str = Field(description="The data_received station event that records it.")


class JobsFile:
    """The jobs file the service serves, read again when it changes (so that a new plan written with
    `groundnet schedule observations --jobs` reaches the stations at their next poll). A new version
    that cannot be read leaves the previous jobs in place, and the error is logged. ``on_change`` is
    called with the jobs each time a version is read (the service stores them as contacts)."""

    def __init__(self, path: Path | None):
        self.path = path
        self._stamp = None
        self._jobs: list[dict] = []
        self._lock = threading.Lock()
        self.on_change: Callable[[list[dict]], None] | None = None
        self.current()  # a bad file at startup is an error the operator sees at once

    def current(self) -> list[dict]:
        if self.path is None:
            return []
        with self._lock:
            try:
                st = self.path.stat()
            except OSError:
                return self._jobs
            stamp = (st.st_mtime_ns, st.st_size)
            if stamp != self._stamp:
                try:
                    self._jobs = read_jobs(self.path)
                except GroundnetError as exc:
                    if self._stamp is None:
                        raise
                    log.error("SatNOGS jobs not reloaded, the previous ones stay: %s", exc)
                else:
                    self._changed()
                self._stamp = stamp
            return self._jobs

    def _changed(self) -> None:
        if self.on_change is not None:
            try:
                self.on_change(self._jobs)
            except GroundnetError as exc:  # the store is busy or gone: the next change or restart stores them
                log.error("SatNOGS jobs not stored as contacts: %s", exc)
            except Exception:  # noqa: BLE001 - the jobs are still served; a client's poll never fails on this
                log.exception("SatNOGS jobs not stored as contacts")

    def watch_with(self, on_change: Callable[[list[dict]], None]) -> None:
        """Call ``on_change`` with the jobs now, and again whenever a new version is read."""
        with self._lock:
            self.on_change = on_change
            if self.path is not None:
                self._changed()


def store_job_contacts(service: LiveService, jobs: list[dict], path: Path | None = None) -> int:
    """The jobs as contacts of the operations store (``interop.satnogs.job_contacts``): each gets a record and a
    report; jobs dropped from the file that have not ended are cancelled. Returns how many contacts were stored."""
    ids = {sc.norad_id: sc.id for sc in service.fleet if sc.norad_id is not None}
    contacts = job_contacts(jobs, ids)
    service.save_external_contacts(contacts, id_prefix=JOB_CONTACT_PREFIX, reason="satnogs-jobs",
                                   detail={"satnogs_jobs": str(path) if path else None, "jobs": len(jobs)})
    return len(contacts)


async def watch_jobs(jobs_file: JobsFile, every_s: float = 5.0) -> None:
    """Look at the jobs file every few seconds, so that a new plan becomes contacts without waiting for a poll."""
    while True:
        await asyncio.sleep(every_s)
        try:
            await asyncio.to_thread(jobs_file.current)
        except Exception:  # noqa: BLE001 - logged; the next look tries again
            log.exception("reading the SatNOGS jobs file failed")


def load_jobs(path: Path | None) -> JobsFile:
    return JobsFile(path)


def satnogs_token(request: Request, authorization: str | None = Header(None)) -> str:
    """The token's name, from ``Authorization: Token <key>`` as SatNOGS clients send it; 401 otherwise."""
    scheme, _, key = (authorization or "").partition(" ")
    name = get_service(request).token_name(key.strip()) if scheme.lower() in ("token", "bearer") and key.strip() else None
    if name is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED,
                            detail="send 'Authorization: Token <key>' with a groundnet API token "
                                   "(create one with `groundnet token create NAME`)",
                            headers={"WWW-Authenticate": "Token"})
    return name


@router.get("/jobs/", operation_id="satnogs_list_jobs", response_model=list[SatnogsJob])
def list_jobs(
    request: Request,
    ground_station: int = Query(..., ge=1, le=MAX_ID, description="The SatNOGS station id."),
    lat: float | None = Query(None, ge=-90, le=90, description="Sent by SatNOGS clients; not used."),
    lon: float | None = Query(None, ge=-180, le=360, description="Sent by SatNOGS clients; not used."),
    alt: float | None = Query(None, ge=-1000, le=100000, description="Sent by SatNOGS clients; not used."),
    _token: str = Depends(satnogs_token),
    service: LiveService = Depends(get_service),
) -> list[dict]:
    """The station's observations that have not ended yet by the service clock, earliest first."""
    now = service.clock.now()
    return [j for j in request.app.state.satnogs_jobs.current()
            if j["ground_station"] == ground_station and parse_utc(j["end"]).timestamp() > now]


def _job(request: Request, observation_id: int) -> dict:
    for job in request.app.state.satnogs_jobs.current():
        if job["id"] == observation_id:
            return job
    raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no observation {observation_id}")


@router.put(UPLOAD_PREFIX.removeprefix("/api") + "{observation_id}/", operation_id="satnogs_upload_observation",
            response_model=SatnogsUpload,
            responses={403: {"description": "This kind of data has already been uploaded for the observation."},
                       404: {"description": "No such observation."}, 413: {"description": "The upload is too large."}})
async def upload_observation(
    request: Request,
    observation_id: int = PathParam(..., ge=1, le=MAX_ID),
    payload: UploadFile | None = File(None, description="The audio recording."),
    waterfall: UploadFile | None = File(None, description="The waterfall image."),
    demoddata: UploadFile | None = File(None, description="Demodulated data (a frame)."),
    client_version: str | None = Form(None, max_length=100, description="The client's version (sent after an observation)."),
    client_metadata: str | None = Form(None, max_length=16384, description="The client's radio and station (JSON)."),
    source: str = Depends(satnogs_token),
    service: LiveService = Depends(get_service),
) -> dict:
    """Keep what a SatNOGS client sends after an observation and record it as a ``data_received`` station event
    of the observation's station: one recording (payload, waterfall or demoddata) per request, or the client's
    version and metadata, as the SatNOGS client sends them."""
    job = _job(request, observation_id)
    sent = {name: f for name, f in (("payload", payload), ("waterfall", waterfall), ("demoddata", demoddata)) if f}
    if len(sent) > 1 or (not sent and client_version is None):
        raise HTTPException(422, detail="send one file (payload, waterfall or demoddata) or client_version and "
                                        "client_metadata, as multipart/form-data")
    if sent:
        (artifact, upload), = sent.items()
        data = await upload.read()
        name = upload.filename or artifact
    else:
        artifact, name = "client_metadata", "client_metadata.json"
        data = json.dumps({"client_version": client_version, "client_metadata": client_metadata}).encode()
    folder = Path(request.app.state.settings.data_dir) / "observations" / str(observation_id)
    if folder.is_dir() and any(p.name.startswith(artifact + "_") for p in folder.iterdir()):
        # The SatNOGS client treats this answer as "already uploaded" and does not send it again.
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=f"{artifact} has already been uploaded")
    filename = re.sub(r"[^A-Za-z0-9._-]", "_", Path(name).name)[:120] or artifact
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{artifact}_{filename}").write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    detail = {"observation_id": observation_id, "contact_id": job_contact_id(observation_id), "artifact": artifact, "filename": filename, "bytes": len(data),
              "sha256": digest, "norad_cat_id": job["norad_cat_id"], "transmitter": job["transmitter"]}
    if client_version is not None:
        detail["client_version"] = client_version
    else:
        detail["data_volume_bytes"] = len(data)  # what a contact's report counts as data delivered
    event = StationEvent(
        event_id=f"satnogs-{observation_id}-{artifact}-{digest[:16]}",
        antenna_id=f"SATNOGS-{job['ground_station']}",
        kind="data_received",
        time=service.clock.now(),
        spacecraft_id=None,
        detail=detail,
    )
    stored, _ = service.ingest(event, source)
    return {"id": observation_id, "artifact": artifact, "filename": filename, "bytes": len(data),
            "event_id": stored.event_id}


# ----------------------------------------------------------------------------- links and Doppler


def transmitters_file(settings) -> str:
    """The transmitters file the settings name: a file, or satnogs:transmitters read through the cache."""
    from ...sources.resolve import resolve_source

    return resolve_source(settings.satnogs_transmitters, "transmitters", note=log.info, what="--satnogs-transmitters")


def satnogs_fleet(settings, fleet: list, jobs: list[dict]) -> tuple[list, dict]:
    """The fleet the service runs with SatNOGS: links from the transmitters, the jobs' satellites added
    (``interop.satnogs.fleet_with_satnogs``); bad transmitter records are logged and skipped."""
    path = transmitters_file(settings) if settings.satnogs_transmitters else None
    fleet, links = _fleet_from(path, fleet, jobs, settings.satnogs_transmitters or "SatNOGS DB transmitters")
    log.info("SatNOGS links for %d spacecraft", len(links))
    return fleet, links


def _fleet_from(path, fleet: list, jobs: list[dict], source: str) -> tuple[list, dict]:
    """``fleet_with_satnogs`` with the transmitters of ``path`` (None: none); bad records logged and skipped."""
    transmitters, problems = read_transmitters(path) if path is not None else ([], [])
    for problem in problems:
        log.warning("SatNOGS transmitter skipped: %s", problem)
    return fleet_with_satnogs(fleet, transmitters=transmitters, jobs=jobs, source=source)


def watch_transmitters(refresher, settings, service: LiveService, base_fleet: list, jobs: list[dict],
                       on_links: Callable[[dict], None]) -> None:
    """Follow ``--satnogs-transmitters`` on the service's source rounds (``SourceRefresher.watch``): when the file
    changes (or the cached copy of ``satnogs:transmitters`` is refreshed), the fleet's links are made again from
    the fleet the service started with and the jobs it started with (``satnogs_fleet``), the service takes them
    (``LiveService.update_links``) and ``on_links`` gets the new SatNOGS links. A version that cannot be read leaves
    the links in force; ``GET /api/v1/status`` reports its error."""
    from ...sources.fetch import cached_outcome
    from ...sources.registry import is_source_spec, parse_spec

    spec = settings.satnogs_transmitters
    source = is_source_spec(spec)

    def path() -> Path:
        return Path(cached_outcome(parse_spec(spec), refresher.config).entry.data_path) if source else Path(spec)

    def load(where: Path) -> None:
        fleet, links = _fleet_from(where, base_fleet, jobs, spec)
        changed = service.update_links(fleet)
        on_links(links)
        log.info("SatNOGS transmitters read again from %s: new links for %s", where, ", ".join(changed) or "none")

    refresher.watch(spec, path, load, spec=parse_spec(spec).name if source else None)


class DopplerNow(BaseModel):
    contact_id: str
    antenna_id: str
    phase: str = Field(description="setup, tracking or teardown.")
    range_rate_km_s: float | None = Field(description="Positive while the spacecraft recedes.")
    downlink_received_hz: float | None = Field(description="What arrives at the antenna: downlink_hz x (1 - rdot / c).")
    uplink_transmit_hz: float | None = Field(description="What to send so that the spacecraft receives uplink_hz: "
                                                        "uplink_hz x (1 + rdot / c).")


class SatnogsLinkRead(BaseModel):
    """A spacecraft's link from SatNOGS: the transmitter, the published and the drift-corrected frequencies, and the
    Doppler-shifted ones at each antenna in contact with it now."""

    spacecraft_id: str
    norad_id: int
    transmitter: str = Field(description="SatNOGS DB transmitter uuid.")
    description: str
    mode: str
    baud: float | None
    downlink_published_hz: float | None = Field(description="downlink_low as SatNOGS DB publishes it (None: from a job).")
    downlink_drift_ppb: float | None
    downlink_hz: float | None = Field(description="The frequency tuned to: published x (1 + drift_ppb / 1e9).")
    uplink_hz: float | None
    source: str
    time: str = Field(description="The service clock's time of the Doppler figures.")
    contacts: list[DopplerNow]


def doppler_rows(service: LiveService, links: dict, now: float, spacecraft_id: str | None = None) -> list[dict]:
    from ...timebase import format_utc
    from ...tracking.doppler import downlink_hz, uplink_hz

    chosen = [v for k, v in sorted(links.items()) if spacecraft_id is None or k == spacecraft_id]
    current = [c for c in service.current_plan().contacts if not c.cancelled and c.phase(now)
               and c.spacecraft_id in links]
    obs = service.observe(now) if current else None
    rows = []
    for link in chosen:
        contacts = []
        for c in (c for c in current if c.spacecraft_id == link.spacecraft_id):
            rate = None
            if c.antenna_id in obs.antenna_ids and c.spacecraft_id in obs.spacecraft_ids:
                value = float(obs.range_rate_km_s[obs.antenna_ids.index(c.antenna_id),
                                                   obs.spacecraft_ids.index(c.spacecraft_id)])
                rate = value if math.isfinite(value) else None
            contacts.append({
                "contact_id": c.id, "antenna_id": c.antenna_id, "phase": c.phase(now),
                "range_rate_km_s": None if rate is None else round(rate, 6),
                "downlink_received_hz": None if rate is None or link.downlink_hz is None
                else round(float(downlink_hz(link.downlink_hz, rate)), 1),
                "uplink_transmit_hz": None if rate is None or link.uplink_hz is None
                else round(float(uplink_hz(link.uplink_hz, rate)), 1)})
        rows.append({**link.as_dict(), "time": format_utc(now), "contacts": contacts})
    return rows


@links_router.get("/links", operation_id="satnogs_links", response_model=list[SatnogsLinkRead])
def list_links(request: Request, spacecraft: str | None = Query(None, max_length=32, description="One spacecraft id."),
               service: LiveService = Depends(get_service)) -> list[dict]:
    """Spacecraft whose links come from SatNOGS (`serve --satnogs-transmitters`, or the satellites of
    `--satnogs-jobs`): transmitter, mode, baud, published and drift-corrected frequencies, and at each antenna in
    contact with the spacecraft now, the range rate and the Doppler-shifted downlink and uplink."""
    links = request.app.state.satnogs_links
    if spacecraft is not None and spacecraft not in links:
        raise HTTPException(status.HTTP_404_NOT_FOUND,
                            detail=f"no SatNOGS link for spacecraft '{spacecraft}'; GET /api/v1/satnogs/links lists them")
    return doppler_rows(service, links, service.clock.now(), spacecraft)
