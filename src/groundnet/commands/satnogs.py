"""``groundnet satnogs stations|transmitters``: SatNOGS Network and DB exports in groundnet's terms."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..output import OutputFormat, emit

STATUS_HELP = "Station statuses to keep, comma-separated (Online, Testing, Offline)."


def _report(problems, kept: int, what: str) -> None:
    """Every rejected record on standard error, then how many were kept."""
    for problem in problems:
        typer.echo(f"warning: {problem}", err=True)
    if problems:
        typer.echo(f"note: kept {kept} {what}; {len(problems)} rejected (listed above)", err=True)


def register(app: typer.Typer) -> None:
    satnogs_app = typer.Typer(
        no_args_is_help=True,
        help="Read SatNOGS exports: Network stations into a station file, DB transmitters with drift-corrected frequencies.",
    )
    app.add_typer(satnogs_app, name="satnogs")

    @satnogs_app.command("stations")
    def stations(
        file: Path = typer.Argument(..., help="SatNOGS Network stations export: the JSON body of GET /api/stations/."),
        status: str = typer.Option("Online,Testing", "--status", help=STATUS_HELP),
        prefix: str = typer.Option("SATNOGS", "--prefix", help="Antenna ids are PREFIX-<SatNOGS station id>."),
        fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
        output: Optional[Path] = typer.Option(
            None, "--output", help="A .toml path writes a station file for --station-file; another path writes the listing."
        ),
    ) -> None:
        """Turn a SatNOGS Network stations export into groundnet antennas.

        Each station keeps its position, its minimum horizon (as minimum elevation) and its antennas'
        frequency ranges, so that passes are given only to stations that can receive a transmitter.
        Bad records (latitude 95, negative frequencies, duplicate ids) are listed on standard error
        and the good ones kept. Example:
        `groundnet satnogs stations stations.json --output satnogs.toml`, then
        `groundnet passes --station-file satnogs.toml --stations 'SATNOGS-*' ...`.
        """
        from ..interop.satnogs import STATION_STATUSES, read_network_stations
        from ..stations.network import network_toml

        wanted = tuple(s.strip().capitalize() for s in status.split(",") if s.strip())
        unknown = [s for s in wanted if s not in STATION_STATUSES]
        if unknown:
            raise typer.BadParameter(f"unknown status {', '.join(unknown)}; choose from {', '.join(STATION_STATUSES)}",
                                     param_hint="--status")
        antennas, problems = read_network_stations(file, statuses=wanted, prefix=prefix)
        _report(problems, len(antennas), "stations")
        if output is not None and output.suffix.lower() == ".toml":
            output.write_text(network_toml(antennas), encoding="utf-8")
            typer.echo(f"wrote {len(antennas)} stations to {output}", err=True)
            return
        rows = [
            {
                "id": a.id,
                "name": a.name,
                "latitude_deg": a.latitude_deg,
                "longitude_deg": a.longitude_deg,
                "altitude_m": a.altitude_m,
                "min_elevation_deg": a.min_elevation_deg,
                "frequency_ranges_mhz": ", ".join(f"{lo / 1e6:g}-{hi / 1e6:g}" for lo, hi in a.frequency_ranges_hz),
            }
            for a in antennas
        ]
        emit(rows, fmt, output=output, title="SatNOGS stations")

    @satnogs_app.command("transmitters")
    def transmitters(
        file: Path = typer.Argument(..., help="SatNOGS DB transmitters export: the JSON body of GET /api/transmitters/, "
                                              "or satnogs:transmitters (read through the cache; docs/catalogs.md)."),
        satellites: Optional[Path] = typer.Option(
            None, "--satellites", help="SatNOGS DB satellites export, or satnogs:satellites: keep only transmitters of "
                                       "satellites that are alive."
        ),
        include_unusable: bool = typer.Option(
            False, "--all", help="Also list dead, inactive or invalid transmitters and those with no downlink."
        ),
        fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
        output: Optional[Path] = typer.Option(None, "--output", help="Write to this file instead of the terminal."),
    ) -> None:
        """List the transmitters of a SatNOGS DB export with their drift-corrected frequencies.

        `downlink_hz` is the published downlink corrected by its drift in parts per billion, the
        frequency a station should tune to. Example:
        `groundnet satnogs transmitters transmitters.json --satellites satellites.json --format csv`.
        """
        from ..interop.satnogs import read_satellites, read_transmitters, transmitter_row

        from .catalog import catalog_file

        found, problems = read_transmitters(catalog_file(str(file), kind="transmitters", what="FILE"))
        if satellites is not None:
            sats, sat_problems = read_satellites(catalog_file(str(satellites), kind="satellites", what="--satellites"))
            problems += sat_problems
            alive = {s.norad_id for s in sats if s.status == "alive"}
            found = [t for t in found if t.norad_id in alive]
        if not include_unusable:
            found = [t for t in found if t.usable]
        _report(problems, len(found), "transmitters")
        emit([transmitter_row(t) for t in found], fmt, output=output, title="SatNOGS transmitters")
