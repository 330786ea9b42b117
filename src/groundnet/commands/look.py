"""``groundnet look``: where an object is seen from an antenna at one instant."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Optional

import typer

from ..errors import SelectionError
from ..output import OutputFormat, emit
from ..stations import load_network
from ..timebase import format_utc, parse_utc, to_unix
from ..visibility.geometry import look
from ..orbits.propagation import first_failures
from ..orbits.validation import age_warnings
from ..visibility.passes import failure_warnings
from .catalog import NO_CATALOG, configured_catalog
from .passes import CATALOG_HELP, STATION_FILE_HELP, load_elements, warn


def look_row(element, antenna, t: float, frequency_hz: Optional[float]) -> dict:
    angles, states = look([element], [antenna], [t])
    row = {
        "object_id": element.norad_id,
        "object_name": element.name,
        "station_id": antenna.id,
        "time": format_utc(t),
        "azimuth_deg": float(angles.azimuth_deg[0, 0, 0]),
        "elevation_deg": float(angles.elevation_deg[0, 0, 0]),
        "range_km": float(angles.range_km[0, 0, 0]),
        "range_rate_km_s": float(angles.range_rate_km_s[0, 0, 0]),
        "light_time_s": float(angles.light_time_s[0, 0, 0]),
        "above_threshold": None,
    }
    if frequency_hz is not None:
        row["frequency_hz"] = frequency_hz
        row["doppler_hz"] = float(angles.doppler_shift_hz(frequency_hz)[0, 0, 0])
    failures = first_failures([element], t)
    if not states.valid[0, 0] or failures.time_unix[0] <= t:
        why = (failure_warnings([element], failures, "no position after that time")[0] if failures.time_unix[0] <= t
               else states.reasons()[int(states.reason[0, 0])])
        raise SelectionError(f"object {element.norad_id} at {format_utc(t)}: {why}")
    floor = float(antenna.elevation_floor_deg(row["azimuth_deg"]))
    row["above_threshold"] = row["elevation_deg"] >= floor
    row["elements_age_days"] = (t - element.epoch_unix) / 86400.0
    return row


def register(app: typer.Typer) -> None:
    @app.command("look")
    def look_command(
        catalog: Optional[str] = typer.Option(None, "--catalog", metavar="FILE", help=CATALOG_HELP),
        object_id: str = typer.Option(..., "--object", metavar="ID", help="NORAD catalog number of the object."),
        station: str = typer.Option(..., "--station", metavar="ID", help="Antenna id (`groundnet stations` lists them)."),
        at: Optional[str] = typer.Option(None, "--at", metavar="ISO", help="The instant, ISO 8601 UTC (default: now)."),
        frequency_hz: Optional[float] = typer.Option(
            None, "--frequency-hz", metavar="HZ", help="Carrier frequency: adds the one-way Doppler shift (positive while approaching)."),
        station_file: Optional[Path] = typer.Option(None, "--station-file", help=STATION_FILE_HELP),
        fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
        output: Optional[Path] = typer.Option(
            None, "--output", help="Write to this file; its extension (.csv .json .ndjson .parquet) is the format."),
        max_element_age: Optional[float] = typer.Option(
            None, "--max-element-age-days", metavar="DAYS", min=0.0,
            help="Warn when the element set is further than this from its epoch (default by orbit class: "
                 "LEO 7, MEO/HEO 14, GEO 30 days)."),
    ) -> None:
        """The geometry now (or at --at): azimuth, elevation, range, range rate, light time and Doppler."""
        import time

        if frequency_hz is not None and not (math.isfinite(frequency_hz) and frequency_hz > 0):
            raise SelectionError(f"--frequency-hz {frequency_hz}: give a positive frequency in Hz, e.g. 2.2e9")
        t = to_unix(parse_utc(at, "--at")) if at else time.time()
        antenna = load_network(station_file).get(station)
        catalog = catalog or configured_catalog()
        if catalog is None:
            raise SelectionError(NO_CATALOG)
        (element,) = load_elements(catalog, object_id, quiet=True, at_unix=t)
        for message in age_warnings([element], t, t, max_element_age):
            warn(message)
        emit([look_row(element, antenna, t, frequency_hz)], fmt, output=output,
             title=f"{element.name} from {antenna.id}")
