"""``groundnet passes``: every pass of the chosen objects over the chosen antennas in a window."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional, Sequence

import typer

from ..errors import SelectionError
from ..orbits.catalog import load_catalog
from ..orbits.elements import ElementSet
from ..orbits.tle import decode_catalog_number
from ..output import OutputFormat, emit, file_format
from ..stations import Antenna, load_network
from ..timebase import format_utc, parse_utc, to_unix
from ..visibility.passes import PassTable, find_passes
from .catalog import catalog_file, configured_catalog

CATALOG_HELP = ("TLE or CCSDS OMM file (format sniffed), a directory of them, 'demo' (the bundled catalog), "
                "or celestrak:GROUP, spacetrack:QUERY, satnogs:tle (fetched into the cache when old; docs/catalogs.md). "
                "Default: [catalog] default in groundnet.toml.")
STATION_FILE_HELP = "TOML file that adds antennas or overrides bundled ones (see docs/stations.md)."
TABLE_COLUMNS = ["object_id", "object_name", "station_id", "aos", "tca", "los", "max_elevation_deg",
                 "aos_azimuth_deg", "los_azimuth_deg", "duration_s"]


def load_elements(catalog: str, objects: Optional[str] = None, *, quiet: bool = False,
                  at_unix: Optional[float] = None, path: Optional[str] = None) -> list[ElementSet]:
    """Element sets from a catalog file (or ``demo``, or a source such as ``celestrak:active``), optionally
    only the NORAD ids listed (``path``: the file ``catalog_file`` gave for it, if known already)."""
    result = load_catalog(path or catalog_file(catalog, quiet=quiet, at_unix=at_unix))
    elements = result.elements
    if not elements:
        raise SelectionError(f"{catalog}: no usable element set (run `groundnet catalog check {catalog}`)")
    if result.rejected and not quiet:
        print(f"note: {len(result.rejected)} record(s) of {catalog} rejected "
              f"(`groundnet catalog check {catalog}` lists them)", file=sys.stderr)
    if objects:
        by_id = {e.norad_id: e for e in elements}
        wanted = []
        for text in (s.strip() for s in objects.split(",")):
            if not text:
                continue
            try:
                nid = decode_catalog_number(text)
            except Exception:
                raise SelectionError(f"--objects: '{text}' is not a NORAD catalog number (e.g. 25544 or A0001)") from None
            if nid not in by_id:
                raise SelectionError(f"--objects: object {nid} is not in {catalog} "
                                     f"(`groundnet catalog list {catalog}` lists what is)")
            wanted.append(by_id[nid])
        elements = wanted
    return elements


def parse_window(start: Optional[str], end: Optional[str], now_unix: float) -> tuple[float, float]:
    t0 = to_unix(parse_utc(start, "--start")) if start else now_unix
    t1 = to_unix(parse_utc(end, "--end")) if end else t0 + 86400.0
    if not t1 > t0:
        raise SelectionError(f"--end ({format_utc(t1)}) must be after --start ({format_utc(t0)})")
    return t0, t1


def warn(message: str) -> None:
    """A warning on standard error (shown even with --quiet)."""
    print(f"warning: {message}", file=sys.stderr)


def warn_failures(messages: list[str], listed: int = 10) -> None:
    """SGP4 failures, one line each (up to ``listed``; then how many more)."""
    for message in messages[:listed]:
        warn(message)
    if len(messages) > listed:
        warn(f"{len(messages) - listed} more element set(s) fail in SGP4 before the window's end "
             "(`groundnet catalog check` lists stale and re-entering objects)")


def check_elements_for(elements: Sequence[ElementSet], t0: float, t1: float, max_age_days: Optional[float]):
    """Warn about element sets too old for the window and those SGP4 fails for; returns the failures."""
    from ..orbits.propagation import first_failures
    from ..orbits.validation import age_warnings
    from ..visibility.passes import failure_warnings

    for message in age_warnings(elements, t0, t1, max_age_days):
        warn(message)
    failures = first_failures(elements, t1)
    warn_failures(failure_warnings(elements, failures))
    return failures


def run_passes(elements: Sequence[ElementSet], antennas: Sequence[Antenna], t0: float, t1: float,
               min_elevation: Optional[float], quiet: bool, failures=None) -> PassTable:
    """find_passes with a progress bar on standard error (when it is a terminal and not quiet)."""
    if quiet or not sys.stderr.isatty():
        return find_passes(elements, antennas, t0, t1, min_elevation_deg=min_elevation, failures=failures)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.console import Console

    with Progress(TextColumn("passes"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("objects", total=len(elements))
        return find_passes(elements, antennas, t0, t1, min_elevation_deg=min_elevation, failures=failures,
                           progress=lambda n: bar.advance(task, n))


def trajectory_passes(trajectory: Optional[Path], object_id: Optional[str], spacecraft: Optional[str],
                      antennas: Sequence[Antenna], t0: float, t1: float, min_elevation: Optional[float]) -> PassTable:
    """Passes of a trajectory file or of bundled spacecraft, as one PassTable (the API's search too)."""
    from ..missions import get_spacecraft, resolve_trajectory
    from ..visibility.core import find_windows

    if trajectory is not None:
        provider = [resolve_trajectory(trajectory, object_id)]
        span_lo, span_hi = provider[0].span_unix
        if span_hi <= t0 or span_lo >= t1:
            raise SelectionError(f"{trajectory} covers {format_utc(span_lo)} .. {format_utc(span_hi)}, outside the "
                                 f"window {format_utc(t0)} .. {format_utc(t1)}: choose --start/--end inside its span")
    else:
        provider = [get_spacecraft(s.strip()) for s in spacecraft.split(",") if s.strip()]
    return find_windows(provider, list(antennas), t0, t1, min_elevation_deg=min_elevation)


def register(app: typer.Typer) -> None:
    @app.command("passes")
    def passes(
        catalog: Optional[str] = typer.Option(None, "--catalog", metavar="FILE", help=CATALOG_HELP),
        stations: str = typer.Option(..., "--stations", metavar="ID[,ID...]",
                                     help="Antenna ids, comma separated (`groundnet stations` lists them), or 'all'."),
        start: Optional[str] = typer.Option(None, "--start", metavar="ISO", help="Window start, ISO 8601 UTC (default: now)."),
        end: Optional[str] = typer.Option(None, "--end", metavar="ISO", help="Window end, ISO 8601 UTC (default: start + 24 h)."),
        objects: Optional[str] = typer.Option(None, "--objects", metavar="ID,...",
                                              help="Only these NORAD catalog numbers (default: every object in the catalog)."),
        min_elevation: Optional[float] = typer.Option(
            None, "--min-elevation", metavar="DEG",
            help="One elevation threshold for every antenna, replacing each antenna's own minimum and horizon mask."),
        station_file: Optional[Path] = typer.Option(None, "--station-file", help=STATION_FILE_HELP),
        fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="What the terminal shows: table, csv or json."),
        output: Optional[Path] = typer.Option(None, "--output", help="Write to this file; its extension (.csv .json .ndjson .parquet) is the format."),
        quiet: bool = typer.Option(False, "--quiet", help="No progress bar or notes on standard error (warnings stay)."),
        max_element_age: Optional[float] = typer.Option(
            None, "--max-element-age-days", metavar="DAYS", min=0.0,
            help="Warn when an element set is used further than this from its epoch (default by orbit class: "
                 "LEO 7, MEO/HEO 14, GEO 30 days)."),
        trajectory: Optional[Path] = typer.Option(
            None, "--trajectory", metavar="FILE",
            help="Instead of --catalog: a trajectory file, SPICE SPK (.bsp, with --object), CCSDS OEM, OPM or OMM."),
        object_id: Optional[str] = typer.Option(
            None, "--object", metavar="ID", help="With --trajectory: the NAIF id of the body in an SPK (e.g. -144)."),
        spacecraft: Optional[str] = typer.Option(
            None, "--spacecraft", metavar="ID[,ID...]",
            help="Instead of --catalog: bundled spacecraft by id (SOLO, MEX, TGO, SENTINEL-2A, ...; `groundnet spacecraft`)."),
        workers: Optional[int] = typer.Option(
            None, "--workers", metavar="N", min=1,
            help="With --catalog: worker processes (default: one per core for large jobs, else this process); "
                 "with --dask local, the size of the local Dask cluster."),
        dask: Optional[str] = typer.Option(
            None, "--dask", metavar="tcp://HOST:PORT",
            help="With --catalog: run on an existing Dask scheduler (or 'local' to start a LocalCluster); see docs/scale.md."),
    ) -> None:
        """List every pass (AOS, TCA, LOS, maximum elevation, azimuths, duration) of catalog objects over antennas.

        A pass is a window with the object at or above the antenna's minimum elevation and horizon
        mask. Windows cut by --start or --end are clipped to them (aos_clipped / los_clipped in CSV and JSON).

        With --trajectory or --spacecraft the same columns come from the one pass search: light-time
        corrected for SPK, OEM, OPM and approximate positions; SGP4 elements (an OMM, an Earth-orbiting
        spacecraft) take the catalog's search. The API's passes are the same rows.

        --output FILE writes the passes in the format its extension names (.csv, .json, .ndjson or
        .parquet); --format chooses only what the terminal shows. With --catalog, large jobs use every
        core, --dask runs on a Dask cluster, and --output streams the passes as they are found:
        memory does not grow with the window.
        """
        import time

        t0, t1 = parse_window(start, end, time.time())
        if min_elevation is not None and not -5.0 <= min_elevation <= 90.0:
            raise SelectionError(f"--min-elevation {min_elevation}: give a value between -5 and 90 degrees")
        kind = file_format(output, fmt) if output is not None else None  # an unknown extension: refused before any work
        antennas = load_network(station_file).select(stations)
        if catalog is None and trajectory is None and spacecraft is None:
            catalog = configured_catalog()
        chosen = [x is not None for x in (catalog, trajectory, spacecraft)]
        if sum(chosen) != 1:
            raise SelectionError("give one of --catalog FILE, --trajectory FILE or --spacecraft ID "
                                 "(a default catalog can be set under [catalog] in groundnet.toml)")
        if catalog is None:
            if workers is not None or dask is not None:
                raise SelectionError("--workers and --dask apply to --catalog, not to --trajectory or --spacecraft")
            table = trajectory_passes(trajectory, object_id, spacecraft, antennas, t0, t1, min_elevation)
        else:
            from ..visibility import scale

            path = catalog_file(catalog, quiet=quiet, at_unix=t0)
            with scale.early_pool(None if objects else workers, dask, None if objects else path, len(antennas),
                                  t1 - t0) as pool:
                elements = load_elements(catalog, objects, quiet=quiet, at_unix=t0, path=path)
                failures = check_elements_for(elements, t0, t1, max_element_age)
                if kind not in (None, "table"):  # streamed as it is found
                    count = scale.run_to_file(elements, antennas, t0, t1, output, min_elevation_deg=min_elevation,
                                              workers=workers, dask=dask, quiet=quiet, failures=failures, pool=pool)
                    if not quiet:
                        print(f"{count} passes written to {output}", file=sys.stderr)
                    return
                if scale.wants_pool(workers, dask, len(elements), len(antennas), t1 - t0):
                    table = scale.run_in_memory(elements, antennas, t0, t1, min_elevation_deg=min_elevation,
                                                workers=workers, dask=dask, quiet=quiet, failures=failures, pool=pool)
                else:
                    table = run_passes(elements, antennas, t0, t1, min_elevation, quiet, failures)
        columns = TABLE_COLUMNS if fmt is OutputFormat.table and output is None else None
        emit(table, fmt, columns=columns, output=output,
             title=f"passes {format_utc(t0)} .. {format_utc(t1)}: {len(table)}")
        if output is not None and not quiet:
            print(f"{len(table)} passes written to {output}", file=sys.stderr)
