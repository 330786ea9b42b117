"""``groundnet link`` and ``groundnet spacecraft``: link geometry of any trajectory, and the demo spacecraft."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import numpy as np
import typer

from ..output import OutputFormat, emit
from ..timebase import format_utc, parse_utc, to_unix
from .ccsds import OBJECT_HELP, SPACECRAFT_HELP, TRAJECTORY_HELP, parse_ratio, time_grid


def register(app: typer.Typer) -> None:
    @app.command("link")
    def link(
        stations: str = typer.Option(..., "--stations", help="Antenna ids, comma-separated (e.g. NNO-1,CEB,MLG)."),
        trajectory: Optional[Path] = typer.Option(None, "--trajectory", help=TRAJECTORY_HELP),
        object_id: Optional[str] = typer.Option(None, "--object", help=OBJECT_HELP),
        spacecraft: Optional[str] = typer.Option(None, "--spacecraft", help=SPACECRAFT_HELP),
        at: Optional[str] = typer.Option(None, "--at", help="One receive time (ISO 8601 UTC); or give --start/--end/--step."),
        start: Optional[str] = typer.Option(None, "--start", help="First receive time, ISO 8601 UTC."),
        end: Optional[str] = typer.Option(None, "--end", help="Last receive time, ISO 8601 UTC."),
        step: float = typer.Option(600.0, "--step", help="Seconds between samples with --start/--end."),
        uplink_hz: Optional[float] = typer.Option(None, "--uplink-hz", help="Uplink frequency (Hz): adds the two-way received frequency and Doppler."),
        turnaround: str = typer.Option("880/749", "--turnaround", help="Transponder turnaround ratio, e.g. 880/749 (X up, X down)."),
        downlink_hz: Optional[float] = typer.Option(None, "--downlink-hz", help="Spacecraft one-way downlink frequency (Hz): adds its received frequency and Doppler. Default with --spacecraft: its published downlink frequency, when known."),
        sep_threshold: float = typer.Option(5.0, "--sep-threshold", help="Warn of solar conjunction below this Sun-Earth-probe angle (deg)."),
        station_file: Optional[Path] = typer.Option(None, "--station-file", help="TOML file adding or overriding antennas."),
        fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
        output: Optional[Path] = typer.Option(None, "--output", help="Write to this file instead of the terminal."),
    ) -> None:
        """Light-time-corrected pointing, ranges, RTLT, range rate, Doppler and Sun-Earth-probe angle of a spacecraft from antennas."""
        from ..errors import GroundnetError
        from ..missions import get_spacecraft, resolve_trajectory
        from ..stations import load_network
        from ..visibility.deepspace import link_geometry

        if at is not None:
            times = np.array([to_unix(parse_utc(at, "--at"))])
        elif start and end:
            times = time_grid(start, end, step)
        else:
            raise GroundnetError("give --at ISO, or --start ISO --end ISO [--step S]")
        traj = resolve_trajectory(trajectory, object_id, spacecraft)
        if downlink_hz is None and spacecraft is not None:
            published = get_spacecraft(spacecraft).downlink
            downlink_hz = published.frequency_hz if published is not None else None
        antennas = load_network(station_file).select(stations)
        g = link_geometry(traj, antennas, times, sep_threshold_deg=sep_threshold)
        ratio = parse_ratio(turnaround)
        two_way = g.two_way_doppler_hz(uplink_hz, ratio) if uplink_hz else None
        one_way = g.one_way_doppler_hz(downlink_hz) if downlink_hz else None
        rows = []
        for s in range(len(antennas)):
            for i, row in enumerate(g.rows(s)):
                if two_way is not None:
                    row["two_way_doppler_hz"] = float(two_way[s, i])
                if one_way is not None:
                    row["one_way_doppler_hz"] = float(one_way[s, i])
                rows.append(row)
        columns = None
        if fmt is OutputFormat.table:
            columns = ["time", "station_id", "azimuth_deg", "elevation_deg", "downleg_range_km", "rtlt_s",
                       "range_rate_km_s", "sep_deg", "solar_conjunction"]
            columns += [c for c in ("two_way_doppler_hz", "one_way_doppler_hz") if rows and c in rows[0]]
        title = f"{traj.name} ({traj.kind}{', approximate: +/-%g km' % traj.error_bound_km if traj.kind == 'approximate' else ''})"
        emit(rows, fmt, columns=columns, output=output, title=title)

    @app.command("spacecraft")
    def spacecraft_list(
        at: Optional[str] = typer.Option(None, "--at", help="Give distances and speeds at this time (ISO 8601 UTC)."),
        file: Optional[Path] = typer.Option(None, "--file", help="Another spacecraft TOML file instead of the bundled one."),
        fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
        output: Optional[Path] = typer.Option(None, "--output", help="Write to this file instead of the terminal."),
    ) -> None:
        """The demo network's spacecraft: trajectory kind, error bound, bands; with --at, how far and how fast each is."""
        from ..missions import load_spacecraft
        from ..visibility.deepspace import distances

        fleet = load_spacecraft(file)
        t = to_unix(parse_utc(at, "--at")) if at else None
        rows = []
        for sc in fleet:
            row = sc.as_dict()
            row["downlink_band"] = sc.downlink.band if sc.downlink else None
            if t is not None:
                d = distances(sc.trajectory, t)
                row.update({k: (float(v[0]) if np.isfinite(v[0]) else None) for k, v in d.items()})
                row["time"] = format_utc(t)
            rows.append(row)
        columns = None
        if fmt is OutputFormat.table:
            columns = ["id", "name", "kind", "norad_id", "naif_id", "error_bound_km", "downlink_band"]
            if t is not None:
                columns += ["geocentric_km", "heliocentric_km", "geocentric_speed_km_s", "heliocentric_speed_km_s",
                            "one_way_light_time_s"]
        emit(rows, fmt, columns=columns, output=output, title="spacecraft")
