"""``groundnet ccsds check|oem|tdm``: read and write CCSDS navigation data messages."""

from __future__ import annotations

import sys
import time
from enum import Enum
from pathlib import Path
from typing import List, Optional

import numpy as np
import typer

from ..errors import GroundnetError
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


def register(app: typer.Typer) -> None:
    ccsds_app = typer.Typer(help="Read, check and write CCSDS navigation data messages (OEM, OPM, OMM, TDM).",
                            no_args_is_help=True)
    app.add_typer(ccsds_app, name="ccsds")

    @ccsds_app.command("check")
    def check(
        files: List[Path] = typer.Argument(..., metavar="FILE...", help="CCSDS OEM, OPM, OMM or TDM files, KVN or XML."),
        fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
        output: Optional[Path] = typer.Option(None, "--output", help="Write the report to this file."),
    ) -> None:
        """Read each message and report what it holds, or exactly what is wrong (file, line, keyword). Exit 1 if any is bad."""
        from ..ccsds import read_message

        rows, bad = [], 0
        for f in files:
            try:
                row = {"file": str(f), "ok": True, **_summary(read_message(f)), "error": ""}
            except GroundnetError as exc:
                bad += 1
                row = {"file": str(f), "ok": False, "error": str(exc)}
            rows.append(row)
        columns = ["file", "ok", "kind", "encoding", "objects", "segments", "records", "start", "end", "error"]
        emit(rows, fmt, columns=None if fmt is OutputFormat.json else columns, output=output, title="CCSDS messages")
        if bad:
            raise typer.Exit(1)

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


def _station_view(geometry, s: int):
    """The geometry of one station (keeps the [station, time] arrays' shape)."""
    from dataclasses import fields, replace

    changes = {}
    for f in fields(geometry):
        value = getattr(geometry, f.name)
        if isinstance(value, np.ndarray) and value.ndim == 2:
            changes[f.name] = value[s:s + 1]
    return replace(geometry, station_ids=[geometry.station_ids[s]], **changes)
