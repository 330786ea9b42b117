"""``groundnet stations``: list the network; ``groundnet stations generate``: a synthetic one."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..output import OutputFormat, emit
from ..stations import load_network

STATION_FILE_HELP = "TOML file that adds antennas or overrides bundled ones (see docs/stations.md)."


def register(app: typer.Typer) -> None:
    stations_app = typer.Typer(
        invoke_without_command=True,
        no_args_is_help=False,
        help="List the antennas of the network; `stations generate` writes a synthetic network.",
    )
    app.add_typer(stations_app, name="stations")

    @stations_app.callback()
    def stations(
        ctx: typer.Context,
        station_file: Optional[Path] = typer.Option(None, "--station-file", help=STATION_FILE_HELP),
        network: Optional[str] = typer.Option(None, help="Only antennas whose network starts with this, e.g. ESTRACK or NASA-DSN."),
        fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
        output: Optional[Path] = typer.Option(None, "--output", help="Write to this file instead of the terminal."),
    ) -> None:
        """List the antennas of the network: position, dish, bands, minimum elevation."""
        if ctx.invoked_subcommand is not None:
            return
        antennas = [a for a in load_network(station_file) if not network or a.network.upper().startswith(network.upper())]
        rows = [a.as_dict() for a in antennas]
        columns = None
        if fmt is OutputFormat.table:
            columns = ["id", "name", "network", "latitude_deg", "longitude_deg", "altitude_m", "dish_m", "bands", "min_elevation_deg"]
        emit(rows, fmt, columns=columns, output=output, title="groundnet network")

    @stations_app.command("generate")
    def generate(
        count: int = typer.Option(400, "--count", help="How many stations."),
        seed: int = typer.Option(1, "--seed", help="Random seed: the same seed and count give the same network."),
        output: Optional[Path] = typer.Option(None, "--output", help="Write the station file (TOML) here instead of the terminal."),
        prefix: str = typer.Option("GEN", "--prefix", help="Station ids are PREFIX-001, PREFIX-002, ..."),
        min_elevation: float = typer.Option(5.0, "--min-elevation", help="Minimum elevation of every station, degrees."),
        min_latitude: float = typer.Option(-60.0, "--min-latitude", help="Southernmost latitude, degrees (default leaves out Antarctica)."),
        max_latitude: float = typer.Option(75.0, "--max-latitude", help="Northernmost latitude, degrees."),
    ) -> None:
        """Write a station file of COUNT stations spread over the land masses (a SatNOGS-sized test network).

        Use it with --station-file on any command, e.g.
        `groundnet passes --station-file stations.toml --stations GEN-* ...`.
        """
        from ..stations.generate import generate_network
        from ..stations.network import network_toml

        antennas = generate_network(
            count, seed, prefix=prefix, min_elevation_deg=min_elevation,
            min_latitude_deg=min_latitude, max_latitude_deg=max_latitude,
        )
        text = network_toml(antennas)
        if output is None:
            typer.echo(text, nl=False)
        else:
            output.write_text(text, encoding="utf-8")
