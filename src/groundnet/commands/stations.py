"""``groundnet stations``: list the network."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..output import OutputFormat, emit
from ..stations import load_network

STATION_FILE_HELP = "TOML file that adds antennas or overrides bundled ones (see docs/stations.md)."


def register(app: typer.Typer) -> None:
    @app.command("stations")
    def stations(
        station_file: Optional[Path] = typer.Option(None, "--station-file", help=STATION_FILE_HELP),
        network: Optional[str] = typer.Option(None, help="Only antennas whose network starts with this, e.g. ESTRACK or NASA-DSN."),
        fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
        output: Optional[Path] = typer.Option(None, "--output", help="Write to this file instead of the terminal."),
    ) -> None:
        """List the antennas of the network: position, dish, bands, minimum elevation."""
        antennas = [a for a in load_network(station_file) if not network or a.network.upper().startswith(network.upper())]
        rows = [a.as_dict() for a in antennas]
        columns = None
        if fmt is OutputFormat.table:
            columns = ["id", "name", "network", "latitude_deg", "longitude_deg", "altitude_m", "dish_m", "bands", "min_elevation_deg"]
        emit(rows, fmt, columns=columns, output=output, title="groundnet network")
