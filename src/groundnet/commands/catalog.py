"""``groundnet catalog check|list``: validate element-set files and list their objects."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from ..orbits.catalog import CatalogLoad, load_catalog, object_row
from ..output import OutputFormat, emit, render
from ..timebase import parse_utc, to_unix

CATALOG_HELP = ("TLE (2- or 3-line) or CCSDS OMM file (JSON, CSV, XML, KVN; format sniffed from the content), "
                "a directory of them, or 'demo' (the bundled catalog). Several may be given.")
REFERENCE_HELP = ("Warn about epochs older than --stale-days before this time (ISO 8601 UTC). "
                  "Default: the newest epoch in the files, so the report does not depend on when it runs.")
WARNINGS_SHOWN = 20


class ReportFormat(str, Enum):
    table = "table"
    json = "json"


QUIET_HELP = "No progress bar or notes on standard error."


def _load(files: List[str], *, quiet: bool, reference_time: Optional[str] = None,
          stale_days: float = 30.0) -> CatalogLoad:
    """load_catalog with a progress bar on standard error (when it is a terminal and not quiet)."""
    reference = to_unix(parse_utc(reference_time, "--reference-time")) if reference_time else None
    if quiet or not sys.stderr.isatty():
        return load_catalog(files, reference_time_unix=reference, stale_after_days=stale_days)
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("reading"), BarColumn(), DownloadColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("catalog", total=None)
        return load_catalog(files, reference_time_unix=reference, stale_after_days=stale_days,
                            progress=lambda done, total: bar.update(task, completed=done, total=total))


def _print_report(result: CatalogLoad) -> None:
    c = result.counts
    out = sys.stdout
    out.write(render([f.as_dict() for f in result.files], "table", title="files",
                     columns=["path", "format", "records", "accepted", "rejected"]))
    out.write(f"accepted {c['accepted']}, rejected {c['rejected']}, duplicates replaced {c['duplicates_replaced']}, "
              f"stale {c['stale']} (older than {result.stale_after_days:g} days before "
              f"{result.report()['reference_time'] or '-'}), warnings {c['warnings']}\n")
    if result.rejected:
        out.write(render([r.as_dict() for r in result.rejected], "table", title="rejected records",
                         columns=["file", "line", "object_id", "code", "reason"]))
    if result.warnings:
        shown = result.warnings[:WARNINGS_SHOWN]
        out.write(render([w.as_dict() for w in shown], "table", title="warnings",
                         columns=["file", "line", "object_id", "code", "reason"]))
        if len(result.warnings) > len(shown):
            out.write(f"... and {len(result.warnings) - len(shown)} more warnings (--format json lists them all)\n")


def register(app: typer.Typer) -> None:
    catalog_app = typer.Typer(help="Check and list element-set catalogs (TLE and CCSDS OMM).", no_args_is_help=True)
    app.add_typer(catalog_app, name="catalog")

    @catalog_app.command("check")
    def check(
        files: List[str] = typer.Argument(..., metavar="FILE...", help=CATALOG_HELP),
        fmt: ReportFormat = typer.Option(ReportFormat.table, "--format", help="table or json."),
        reference_time: Optional[str] = typer.Option(None, "--reference-time", metavar="ISO", help=REFERENCE_HELP),
        stale_days: float = typer.Option(30.0, "--stale-days", help="Epochs older than this many days are stale."),
        output: Optional[Path] = typer.Option(None, "--output", help="Write the JSON report to this file."),
        quiet: bool = typer.Option(False, "--quiet", help=QUIET_HELP),
    ) -> None:
        """Validate catalog files: every rejected record with its file, line and reason, and the warnings.

        Exit status 0 when at least one record was accepted, 1 when none was.
        """
        result = _load(files, quiet=quiet, reference_time=reference_time, stale_days=stale_days)
        if fmt is ReportFormat.json or output is not None:
            text = json.dumps(result.report(), indent=2, allow_nan=False) + "\n"
            if output is not None:
                output.write_text(text, encoding="utf-8")
            if fmt is ReportFormat.json and output is None:
                sys.stdout.write(text)
        if fmt is ReportFormat.table:
            _print_report(result)
        raise typer.Exit(0 if result.elements else 1)

    @catalog_app.command("list")
    def list_objects(
        files: List[str] = typer.Argument(..., metavar="FILE...", help=CATALOG_HELP),
        fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
        output: Optional[Path] = typer.Option(None, "--output", help="Write to this file instead of the terminal."),
        quiet: bool = typer.Option(False, "--quiet", help=QUIET_HELP),
    ) -> None:
        """List the objects of a catalog: id, name, epoch, period, perigee and apogee heights, inclination.

        Rejected records are left out; `groundnet catalog check` says why.
        """
        result = _load(files, quiet=quiet)
        rows = [object_row(e) for e in result.elements]
        columns = None
        if fmt is OutputFormat.table:
            columns = ["object_id", "object_name", "epoch", "period_min", "perigee_km", "apogee_km", "inclination_deg"]
        emit(rows, fmt, columns=columns, output=output, title=f"{len(rows)} objects")
        if result.rejected and not quiet:
            typer.echo(f"{len(result.rejected)} records rejected: run `groundnet catalog check` for the reasons",
                       err=True)
