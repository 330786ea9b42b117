"""``groundnet ccsds check|ssf|oem|tdm|residuals``: read and write CCSDS navigation messages and schedules."""

from __future__ import annotations

import sys
import time
from enum import Enum
from pathlib import Path
from typing import List, Optional

import numpy as np
import typer

from ..errors import CcsdsError, GroundnetError
from ..files import CCSDS_LIMIT_BYTES, open_bounded
from ..output import OutputFormat, emit
from ..timebase import format_utc, parse_utc, to_unix

TRAJECTORY_HELP = "Trajectory file: SPICE SPK (.bsp; choose the body with --object), CCSDS OEM, OPM or OMM."
OBJECT_HELP = "NAIF id of the body in an SPK file (e.g. -144 for Solar Orbiter), or the NORAD id in an OMM."
SPACECRAFT_HELP = "A bundled spacecraft by id (SOLO, MEX, SENTINEL-2A, ...; `groundnet spacecraft` lists them)."


class Encoding(str, Enum):
    kvn = "kvn"
    xml = "xml"


def time_grid(start: str, end: str, step_s: float) -> np.ndarray:
    """POSIX times from start to end (inclusive) every step_s seconds, from ISO strings."""
    t0, t1 = to_unix(parse_utc(start, "--start")), to_unix(parse_utc(end, "--end"))
    if t1 < t0:
        raise GroundnetError(f"--end {end} is before --start {start}")
    if not step_s > 0:
        raise GroundnetError("--step must be a positive number of seconds")
    n = int(np.floor((t1 - t0) / step_s + 1e-9)) + 1
    if n > 1_000_000:
        raise GroundnetError(f"{n} samples requested: use a larger --step or a shorter window")
    return t0 + step_s * np.arange(n)


def parse_ratio(text: str) -> tuple[int, int]:
    try:
        num, den = (int(x) for x in text.split("/"))
        if num <= 0 or den <= 0:
            raise ValueError
        return num, den
    except ValueError:
        raise GroundnetError(f"turnaround ratio '{text}' must look like 880/749") from None


def _write(text: str, output: Optional[Path]) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


def _summary(msg) -> dict:
    row = {"kind": msg.kind, "encoding": msg.encoding, "version": msg.header.version,
           "originator": msg.header.originator}
    if msg.kind == "OEM":
        row.update(objects=sorted({s.object_name for s in msg.segments}), segments=len(msg.segments),
                   records=sum(s.epochs_unix.size for s in msg.segments),
                   start=format_utc(msg.segments[0].epochs_unix[0]), end=format_utc(msg.segments[-1].epochs_unix[-1]),
                   frames=sorted({f"{s.center_name}/{s.ref_frame}" for s in msg.segments}))
    elif msg.kind == "TDM":
        row.update(objects=sorted({s.metadata.get("PARTICIPANT_2", "") for s in msg.segments}),
                   segments=len(msg.segments), records=sum(len(s.keywords) for s in msg.segments),
                   start=format_utc(min(s.epochs_unix.min() for s in msg.segments if s.epochs_unix.size)),
                   end=format_utc(max(s.epochs_unix.max() for s in msg.segments if s.epochs_unix.size)),
                   frames=sorted({k for s in msg.segments for k in set(s.keywords)}))
    else:
        row.update(objects=[msg.object_name], segments=1, records=1, start=format_utc(msg.epoch_unix),
                   end=format_utc(msg.epoch_unix), frames=[f"{msg.center_name}/{msg.ref_frame}"])
    return row


class ActivityStatus(str, Enum):
    committed = "committed"
    tentative = "tentative"


def spacecraft_of_request(request_id: str, fleet) -> str | None:
    """The spacecraft a request id names: the live plan's ``SOLO@1787472000``, or a fleet id followed by
    ``-``, ``_``, ``#`` or ``/`` (``MEX-1``, ``SENTINEL-1A_3``); None when it names none."""
    if "@" in request_id:
        return request_id.split("@")[0]
    for sc_id in sorted(fleet, key=len, reverse=True):
        if request_id == sc_id or (request_id.startswith(sc_id) and request_id[len(sc_id)] in "-_#/"):
            return sc_id
    return None


def _ssf_rows(path: Path, station_file: Optional[Path]) -> list[dict]:
    """An SSF's summary row, then one row per activity refused (line and element named)."""
    from ..ccsds.ssf import network_sites, read_ssf
    from ..stations import load_network

    ssf = read_ssf(path, sites=network_sites(load_network(station_file)))
    acts = ssf.activities
    row = {"file": str(path), "ok": not ssf.problems, "kind": "SSF", "encoding": "XML", "version": "1",
           "originator": ssf.originator, "objects": sorted({a.user for a in acts}),
           "segments": len({a.user for a in acts}), "records": len(acts),
           "start": format_utc(ssf.start_unix), "end": format_utc(ssf.end_unix),
           "frames": sorted({a.site for a in acts}),
           "error": f"{len(ssf.problems)} activit{'y' if len(ssf.problems) == 1 else 'ies'} refused, "
                    f"{len(acts)} kept" if ssf.problems else ""}
    return [row] + [{"file": str(path), "ok": False, "kind": "SSF", "error": str(p)} for p in ssf.problems]


def _sniff(path: Path) -> bytes:
    try:
        with open_bounded(path, limit_bytes=CCSDS_LIMIT_BYTES, what="CCSDS message", error=CcsdsError) as f:
            return f.read(4096)
    except GroundnetError:
        return b""


def check_rows(path: Path, station_file: Optional[Path] = None) -> list[dict]:
    """One report row per message of a file (a combined <ndm> holds several); an unreadable file is one row.
    A Simple Schedule gives its summary and one row per refused activity."""
    from ..ccsds import read_messages
    from ..ccsds.ssf import is_ssf

    try:
        if is_ssf(_sniff(path)):
            return _ssf_rows(path, station_file)
        found = read_messages(path)
    except GroundnetError as exc:
        return [{"file": str(path), "ok": False, "error": str(exc)}]
    rows = []
    for msg in found:
        if isinstance(msg, GroundnetError):
            rows.append({"file": str(path), "ok": False, "kind": getattr(msg, "field", None), "error": str(msg)})
        else:
            rows.append({"file": str(path), "ok": True, **_summary(msg), "error": ""})
    return rows


def register(app: typer.Typer) -> None:
    ccsds_app = typer.Typer(help="Read, check and write CCSDS messages: navigation (OEM, OPM, OMM, TDM), schedules (SSF), tracking residuals.",
                            no_args_is_help=True)
    app.add_typer(ccsds_app, name="ccsds")

    @ccsds_app.command("check")
    def check(
        files: List[Path] = typer.Argument(..., metavar="FILE...", help="CCSDS OEM, OPM, OMM, TDM (KVN or XML), combined "
                                                                         "NDM/XML or Simple Schedule (SSF) files."),
        fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
        output: Optional[Path] = typer.Option(None, "--output", help="Write the report to this file."),
        station_file: Optional[Path] = typer.Option(None, "--station-file", help="TOML file adding antennas (the sites "
                                                    "an SSF may name)."),
    ) -> None:
        """Read each message and report what it holds, or exactly what is wrong (file, line, keyword). Exit 1 if any is bad."""
        rows = []
        for f in files:
            rows += check_rows(f, station_file)
        bad = sum(1 for r in rows if not r["ok"])
        columns = ["file", "ok", "kind", "encoding", "objects", "segments", "records", "start", "end", "error"]
        emit(rows, fmt, columns=None if fmt is OutputFormat.json else columns, output=output, title="CCSDS messages")
        if bad:
            raise typer.Exit(1)

    @ccsds_app.command("ssf")
    def ssf(
        plan_file: Path = typer.Argument(..., metavar="PLAN", help="A plan written by `schedule satnet|plan --output`."),
        requests_file: Optional[Path] = typer.Option(None, "--requests", help="The request file the plan was made for "
                                                     "(gives each track's spacecraft: one scheduled package each; without it, "
                                                     "request ids beginning with a spacecraft id, like MEX-1, name it)."),
        satnet_file: Optional[Path] = typer.Option(None, "--satnet", help="Or the SatNet week the plan was made for."),
        week: Optional[str] = typer.Option(None, "--week", help="Week key within --satnet."),
        status: ActivityStatus = typer.Option(ActivityStatus.committed, "--status", help="Activity status written: "
                                              "committed or tentative."),
        originator: str = typer.Option("GROUNDNET", "--originator", help="The originating organisation."),
        station_file: Optional[Path] = typer.Option(None, "--station-file", help="TOML file adding or overriding antennas."),
        output: Optional[Path] = typer.Option(None, "--output", help="Write the SSF (XML) to this file."),
    ) -> None:
        """Write a plan as a CCSDS Simple Schedule (SSF, 902.1-B-1): one package per spacecraft, one activity per contact.

        The file is validated against groundnet's SSF schema before it is written.
        """
        from ..ccsds.ssf import link_services, network_sites, plan_ssf, ssf_xml
        from ..schedule.plan_file import load_plan
        from ..missions import load_spacecraft
        from ..stations import load_network

        if satnet_file is not None and requests_file is not None:
            raise GroundnetError("give --requests or --satnet, not both")
        missions = {}
        if satnet_file is not None or requests_file is not None:
            if satnet_file is not None:
                from ..schedule.satnet import load_satnet

                problem, _ = load_satnet(satnet_file, week, None)
            else:
                from ..schedule.requests_file import load_requests

                problem, _ = load_requests(requests_file)
            missions = {r.id: r.mission for r in problem.requests}
        plan = load_plan(plan_file)
        fleet = {sc.id: sc for sc in load_spacecraft()}

        unnamed: list[str] = []

        def user_of(request_id: str) -> str:
            user = missions.get(request_id) or spacecraft_of_request(request_id, fleet)
            if user is None:
                unnamed.append(request_id)
            return user or request_id

        def services_of(user: str):
            sc = fleet.get(user)
            return link_services(sc.downlink, sc.uplink) if sc else ()

        doc = plan_ssf(plan, user_of=user_of, sites=network_sites(load_network(station_file)), services_of=services_of,
                       status=status.value.upper(), originator=originator, generated_unix=time.time())
        data = ssf_xml(doc)
        if unnamed:
            typer.echo(f"warning: {len(unnamed)} track(s) name no spacecraft (request {unnamed[0]}): each request is its "
                       "own scheduledPackage; give --requests or --satnet for one package per spacecraft", err=True)
        if output is None:
            sys.stdout.write(data.decode("utf-8"))
        else:
            output.write_bytes(data)

    @ccsds_app.command("residuals")
    def residuals(
        tdm_file: Path = typer.Argument(..., metavar="TDM", help="A CCSDS TDM (KVN or XML) of measured tracking."),
        trajectory: Optional[Path] = typer.Option(None, "--trajectory", help=TRAJECTORY_HELP),
        object_id: Optional[str] = typer.Option(None, "--object", help=OBJECT_HELP + " With --catalog: the NORAD id."),
        spacecraft: Optional[str] = typer.Option(None, "--spacecraft", help=SPACECRAFT_HELP),
        catalog: Optional[str] = typer.Option(None, "--catalog", metavar="FILE", help="A TLE/OMM catalog (or 'demo'); "
                                              "the object is --object."),
        turnaround: Optional[str] = typer.Option(None, "--turnaround", help="Override the TDM's turnaround ratio "
                                                 "(e.g. 880/749)."),
        plot: Optional[Path] = typer.Option(None, "--plot", help="Draw the residuals over time into this PNG."),
        station_file: Optional[Path] = typer.Option(None, "--station-file", help="TOML file adding or overriding antennas."),
        fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
        output: Optional[Path] = typer.Option(None, "--output", help="Write the statistics to this file."),
    ) -> None:
        """Compare a TDM's range, Doppler, received frequencies and angles with groundnet's prediction: residual statistics per station and observable (m, mm/s, Hz, mdeg)."""
        from ..ccsds import read_message
        from ..ccsds.residuals import plot_residuals, tdm_residuals
        from ..stations import load_network

        ratio = parse_ratio(turnaround) if turnaround else None
        traj = _residual_trajectory(trajectory, object_id, spacecraft, catalog)
        tdm = read_message(tdm_file, expect="TDM")
        antennas = {a.id: a for a in load_network(station_file)}
        report = tdm_residuals(tdm, traj, antennas, turnaround=ratio,
                               on_warning=lambda m: typer.echo(f"warning: {m}", err=True))
        if not report.series:
            raise GroundnetError(f"{tdm_file}: no observable groundnet predicts (range, Doppler, received frequency, "
                                 f"AZEL angles); read but not compared: {report.not_compared}")
        if report.not_compared:
            typer.echo("read, not compared: " + ", ".join(f"{k} ({n})" for k, n in report.not_compared.items()), err=True)
        emit(report.stats_rows(), fmt, columns=RESIDUAL_COLUMNS, output=output,
             title=f"residuals (measured - predicted) of {tdm_file.name} against {traj.name or traj.object_id}")
        if plot is not None:
            plot_residuals(report, plot)
            typer.echo(f"residuals drawn to {plot}", err=True)

    @ccsds_app.command("oem")
    def oem(
        start: str = typer.Option(..., "--start", help="First epoch, ISO 8601 UTC."),
        end: str = typer.Option(..., "--end", help="Last epoch, ISO 8601 UTC."),
        step: float = typer.Option(60.0, "--step", help="Seconds between states."),
        trajectory: Optional[Path] = typer.Option(None, "--trajectory", help=TRAJECTORY_HELP),
        object_id: Optional[str] = typer.Option(None, "--object", help=OBJECT_HELP),
        spacecraft: Optional[str] = typer.Option(None, "--spacecraft", help=SPACECRAFT_HELP),
        encoding: Encoding = typer.Option(Encoding.kvn, "--encoding", help="kvn or xml."),
        output: Optional[Path] = typer.Option(None, "--output", help="Write the OEM to this file."),
    ) -> None:
        """Write an OEM (Earth-centred, EME2000) sampled from any trajectory: SPK, OEM, OPM, OMM or a bundled spacecraft."""
        from ..ccsds.writer import trajectory_oem_text
        from ..missions import resolve_trajectory

        traj = resolve_trajectory(trajectory, object_id, spacecraft)
        text = trajectory_oem_text(traj, time_grid(start, end, step), creation_unix=time.time(),
                                   encoding=encoding.value.upper())
        _write(text, output)

    @ccsds_app.command("tdm")
    def tdm(
        stations: str = typer.Option(..., "--stations", help="Antenna ids, comma-separated (e.g. NNO-1,CEB,MLG)."),
        start: str = typer.Option(..., "--start", help="First receive time, ISO 8601 UTC."),
        end: str = typer.Option(..., "--end", help="Last receive time, ISO 8601 UTC."),
        step: float = typer.Option(60.0, "--step", help="Seconds between samples."),
        trajectory: Optional[Path] = typer.Option(None, "--trajectory", help=TRAJECTORY_HELP),
        object_id: Optional[str] = typer.Option(None, "--object", help=OBJECT_HELP),
        spacecraft: Optional[str] = typer.Option(None, "--spacecraft", help=SPACECRAFT_HELP),
        uplink_hz: Optional[float] = typer.Option(None, "--uplink-hz", help="Uplink frequency (Hz): adds TRANSMIT_FREQ_1 and the two-way RECEIVE_FREQ_1."),
        turnaround: str = typer.Option("880/749", "--turnaround", help="Transponder turnaround ratio (880/749 for X/X)."),
        downlink_hz: Optional[float] = typer.Option(None, "--downlink-hz", help="Without --uplink-hz: one-way tracking (PATH 2,1) of a spacecraft transmitting this frequency (Hz)."),
        band: str = typer.Option("X", "--band", help="Band written as TRANSMIT_BAND and RECEIVE_BAND."),
        all_samples: bool = typer.Option(False, "--all-samples", help="Keep samples below each antenna's minimum elevation."),
        encoding: Encoding = typer.Option(Encoding.kvn, "--encoding", help="kvn or xml."),
        station_file: Optional[Path] = typer.Option(None, "--station-file", help="TOML file adding or overriding antennas."),
        output: Optional[Path] = typer.Option(None, "--output", help="Write the TDM to this file."),
    ) -> None:
        """Write a TDM of predicted tracking (angles, range, Doppler, frequencies; two-way, or one-way with --downlink-hz) as each station would record it."""
        from ..ccsds.writer import predicted_tdm_segments, tdm_text
        from ..missions import resolve_trajectory
        from ..stations import load_network
        from ..visibility.deepspace import link_geometry

        traj = resolve_trajectory(trajectory, object_id, spacecraft)
        antennas = load_network(station_file).select(stations)
        geometry = link_geometry(traj, antennas, time_grid(start, end, step))
        segments = []
        for s, ant in enumerate(antennas):
            one = predicted_tdm_segments(_station_view(geometry, s), participant=traj.name or traj.object_id,
                                         uplink_hz=uplink_hz, turnaround=parse_ratio(turnaround), band=band,
                                         downlink_hz=downlink_hz,
                                         min_elevation_deg=None if all_samples else ant.min_elevation_deg)
            segments += one
        if not segments:
            raise GroundnetError("no sample above the antennas' minimum elevation in that window "
                                 "(try --all-samples or another window)")
        _write(tdm_text(segments, creation_unix=time.time(), encoding=encoding.value.upper(),
                        comments=[f"groundnet predicted tracking of {traj.name} ({traj.kind}, {traj.source})"]), output)


RESIDUAL_COLUMNS = ["station", "observable", "path", "unit", "samples", "mean", "std", "rms", "min", "max", "start", "end"]


def _residual_trajectory(trajectory, object_id, spacecraft, catalog):
    """The spacecraft's trajectory: a file (SPK, OEM, OPM, OMM), a bundled spacecraft, or a catalog's object."""
    from ..missions import resolve_trajectory

    if catalog is None:
        return resolve_trajectory(trajectory, object_id, spacecraft)
    if trajectory is not None or spacecraft is not None or not object_id:
        raise GroundnetError("--catalog FILE goes with --object NORAD_ID alone (not --trajectory or --spacecraft)")
    from ..orbits.trajectory import Sgp4Trajectory
    from .passes import load_elements

    (element,) = load_elements(catalog, object_id, quiet=True)
    return Sgp4Trajectory(element, source=f"{catalog} NORAD {element.norad_id}")


def _station_view(geometry, s: int):
    """The geometry of one station (keeps the [station, time] arrays' shape)."""
    from dataclasses import fields, replace

    changes = {}
    for f in fields(geometry):
        value = getattr(geometry, f.name)
        if isinstance(value, np.ndarray) and value.ndim == 2:
            changes[f.name] = value[s:s + 1]
    return replace(geometry, station_ids=[geometry.station_ids[s]], **changes)
