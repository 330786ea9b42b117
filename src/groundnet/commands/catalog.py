"""``groundnet catalog check|list``: validate element-set files and list their objects."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import SelectionError
from ..orbits.catalog import CatalogLoad, load_catalog, object_row
from ..output import OutputFormat, emit, render
from ..timebase import parse_utc, to_unix

CATALOG_HELP = ("TLE (2- or 3-line) or CCSDS OMM file (JSON, CSV, XML, KVN; format sniffed from the content), "
                "a directory of them, 'demo' (the bundled catalog), or a source read through the cache: "
                "celestrak:GROUP, spacetrack:QUERY, satnogs:tle (see docs/catalogs.md). Several may be given.")
REFERENCE_HELP = ("Warn about epochs older than --stale-days before this time (ISO 8601 UTC). "
                  "Default: the newest epoch in the files, so the report does not depend on when it runs.")
WARNINGS_SHOWN = 20


class ReportFormat(str, Enum):
    table = "table"
    json = "json"


QUIET_HELP = "No progress bar or notes on standard error."


def catalog_file(spec: str, *, quiet: bool = False, at_unix: Optional[float] = None, kind: str = "catalog",
                 what: str = "--catalog") -> str:
    """The file behind a --catalog value: a path as given, or a source (``celestrak:active``) from the cache.

    The one place the command line turns a source name into a file (``kind`` ``transmitters`` or
    ``satellites`` for SatNOGS DB data); notes on the cached copy's age go to standard error
    (warnings even with ``quiet``).
    """
    from ..sources.resolve import resolve_source

    def note(text: str) -> None:
        if not quiet or text.startswith("warning"):
            print(text, file=sys.stderr)

    return resolve_source(spec, kind, at_unix=at_unix, note=note, what=what)


def configured_catalog() -> Optional[str]:
    """The catalog a command uses when given no --catalog (``Config.default_catalog``), or None."""
    from ..config import load_config

    return load_config().default_catalog


NO_CATALOG = ("give --catalog FILE (or a source such as celestrak:active), or set `default` under [catalog] in "
              "groundnet.toml (docs/configuration.md)")


def _load(files: List[str], *, quiet: bool, reference_time: Optional[str] = None,
          stale_days: float = 30.0) -> CatalogLoad:
    """load_catalog with a progress bar on standard error (when it is a terminal and not quiet)."""
    files = [catalog_file(f, quiet=quiet) for f in files]
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


FETCH_COLUMNS = ["source", "status", "fetched_at", "age_s", "records", "rejected", "note"]


def _source_specs(sources: List[str], *, group, catnr, intdes, name, special, query, data_format) -> List[str]:
    """The ``source:query`` names a `catalog fetch` command line asks for."""
    from ..config import load_config

    chosen = [(k, v) for k, v in (("GROUP", group), ("CATNR", catnr), ("INTDES", intdes), ("NAME", name),
                                  ("SPECIAL", special)) if v is not None]
    if not sources:
        configured = load_config().get("catalog.sources")
        if not configured:
            raise SelectionError("name a source (celestrak --group active, spacetrack, satnogs:transmitters, ...) "
                                 "or list them in catalog.sources of groundnet.toml")
        return list(configured)
    specs = []
    for s in sources:
        if ":" in s:
            specs.append(s)
            continue
        kind = s.strip().lower()
        if kind == "celestrak":
            if len(chosen) != 1:
                raise SelectionError("celestrak: give one of --group, --catnr, --intdes, --name, --special")
            k, v = chosen[0]
            specs.append(f"celestrak:{k}={v}&FORMAT={data_format}")
        elif kind == "spacetrack":
            specs.append(f"spacetrack:{query or 'all'}")
        elif kind == "satnogs":
            specs.append(f"satnogs:{query or 'tle'}")
        else:
            raise SelectionError(f"unknown source '{s}'; give celestrak, spacetrack or satnogs "
                                 "(or SOURCE:QUERY such as celestrak:active, satnogs:transmitters)")
    return specs


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

    @catalog_app.command("fetch")
    def fetch(
        sources: List[str] = typer.Argument(
            None, metavar="[SOURCE...]",
            help="celestrak, spacetrack or satnogs (with the options below), or SOURCE:QUERY such as celestrak:active, "
                 "spacetrack:25544, satnogs:transmitters. Default: catalog.sources of groundnet.toml."),
        group: Optional[str] = typer.Option(None, "--group", help="CelesTrak group, e.g. active, stations, weather."),
        catnr: Optional[str] = typer.Option(None, "--catnr", help="CelesTrak: one NORAD catalog number."),
        intdes: Optional[str] = typer.Option(None, "--intdes", help="CelesTrak: international designator, e.g. 1998-067."),
        name: Optional[str] = typer.Option(None, "--name", help="CelesTrak: objects whose name contains this."),
        special: Optional[str] = typer.Option(None, "--special", help="CelesTrak special data set, e.g. gpz."),
        query: Optional[str] = typer.Option(
            None, "--query",
            help="Space-Track gp predicates (e.g. OBJECT_TYPE/PAYLOAD; default: every object on orbit), or SatNOGS DB "
                 "data: tle, transmitters, satellites (default tle)."),
        data_format: str = typer.Option("json", "--data-format", help="CelesTrak answer: json, csv, xml or tle (OMM or 3LE)."),
        base_url: Optional[str] = typer.Option(None, "--base-url", metavar="URL",
                                               help="Ask this server (a mirror) instead of the source's own."),
        timeout_s: float = typer.Option(30.0, "--timeout", metavar="S", min=1, max=600,
                                        help="Seconds to wait for the server to answer."),
        fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
        output: Optional[Path] = typer.Option(None, "--output", help="Write to this file instead of the terminal."),
    ) -> None:
        """Download element sets (or SatNOGS transmitters and satellites) into the cache, and say how old each copy is.

        A copy is kept only once it has been checked: an error page, a cut-short or oversized answer, or
        JSON of the wrong shape leaves the cached copy as it was, prints one line saying what to do, and
        the command exits with status 2. CelesTrak data is not downloaded again within two hours (as
        CelesTrak asks; the cached copy is reported instead); cached copies are revalidated with
        ETag / If-Modified-Since. Space-Track credentials come from groundnet.toml or the environment,
        never from the command line. `--catalog celestrak:GROUP` in other commands reads the cache.
        """
        import time

        from ..errors import SourceError
        from ..sources.fetch import fetch_query
        from ..sources.registry import parse_spec

        specs = _source_specs(sources or [], group=group, catnr=catnr, intdes=intdes, name=name, special=special,
                              query=query, data_format=data_format)
        queries = [parse_spec(s) for s in specs]
        if base_url is not None and len({q.source for q in queries}) > 1:
            raise SelectionError("--base-url applies to one source; fetch each source with its own command")
        now = time.time()
        rows, failed, catalogs = [], 0, []
        for q in queries:
            try:
                rows.append(fetch_query(q, base_url=base_url, now=now, timeout_s=timeout_s).row(now))
                if q.kind == "catalog":
                    catalogs.append(q.name)
            except SourceError as exc:
                failed += 1
                typer.echo(f"error: {exc}", err=True)
        if rows:
            emit(rows, fmt, columns=FETCH_COLUMNS if fmt is OutputFormat.table else None, output=output,
                 title=f"{len(rows)} source(s)")
            if catalogs and not failed and configured_catalog() is None:
                typer.echo(f"note: other commands read it with --catalog {catalogs[0]}; to make it their default, add "
                           f"`default = \"{catalogs[0]}\"` under [catalog] in groundnet.toml (`groundnet config show` "
                           "says where)", err=True)
        raise typer.Exit(2 if failed else 0)

    @catalog_app.command("cached")
    def cached(
        fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
        output: Optional[Path] = typer.Option(None, "--output", help="Write to this file instead of the terminal."),
    ) -> None:
        """List what the cache holds (`catalog fetch`, `--catalog SOURCE:QUERY`, `data update`): each source's age, whether it is stale, its last error.

        `stale` means older than the refresh interval (catalog.refresh_interval_s of groundnet.toml); the
        next command that uses it fetches it again. The cache is in cache.dir (`groundnet config show`).
        """
        import time

        from ..config import load_config
        from ..sources.fetch import cached_outcome, cached_queries, source_status

        cfg = load_config()
        queries = cached_queries(cfg)
        rows = source_status(queries, cfg, time.time())
        for row, q in zip(rows, queries):
            copy = cached_outcome(q, cfg)
            row.update(records=copy.records, path=str(copy.entry.data_path))
        emit(rows, fmt, columns=["name", "fetched_at", "age_s", "stale", "records", "last_error"]
             if fmt is OutputFormat.table else None, output=output, title=f"{len(rows)} cached source(s) in {cfg.cache_dir}")

