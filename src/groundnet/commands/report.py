"""``groundnet report``: how the network did: performance per mission or antenna, and per-contact reports."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..output import OutputFormat, emit
from . import DATABASE_HELP, open_database

FORMAT_HELP = "table, csv or json."
OUTPUT_HELP = "Write to this file instead of the terminal."


def _window(start: Optional[str], end: Optional[str], days: Optional[float]) -> tuple[float, float]:
    from ..errors import SelectionError
    from ..timebase import SECONDS_PER_DAY, parse_utc

    if start is None:
        raise SelectionError("--start is needed: the first moment reported, ISO 8601 UTC, e.g. 2026-08-01T00:00:00Z")
    t0 = parse_utc(start, "--start").timestamp()
    if end is not None and days is not None:
        raise SelectionError("give --end or --days, not both")
    t1 = parse_utc(end, "--end").timestamp() if end else t0 + (days or 1.0) * SECONDS_PER_DAY
    if t1 <= t0:
        raise SelectionError("--end must be after --start")
    if t1 - t0 > 400 * SECONDS_PER_DAY:
        raise SelectionError("a report spans at most 400 days; make --end or --days smaller")
    return t0, t1



def register(app: typer.Typer) -> None:
    report_app = typer.Typer(help="Reports: network performance per mission or antenna, and post-contact reports.",
                             no_args_is_help=True)
    app.add_typer(report_app, name="report")

    @report_app.command("performance")
    def performance_cmd(
        start: Optional[str] = typer.Option(None, help="First moment reported, ISO 8601 UTC (required)."),
        end: Optional[str] = typer.Option(None, help="End of the report, ISO 8601 UTC (default: --days after start)."),
        days: Optional[float] = typer.Option(None, min=0.01, help="Days reported (default 1 without --end)."),
        period: str = typer.Option("day", help="day, week (ISO, from Monday) or month: one row per period."),
        by: str = typer.Option("mission", help="mission or antenna."),
        station_file: Optional[Path] = typer.Option(None, help="TOML file adding or overriding antennas."),
        database: Optional[str] = typer.Option(None, help=DATABASE_HELP),
        fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help=FORMAT_HELP),
        output: Optional[Path] = typer.Option(None, "--output", help=OUTPUT_HELP),
    ) -> None:
        """Service hours scheduled and delivered, contact success rate, availability and MTBF, per period
        and per mission or antenna (docs/operations.md defines each figure)."""
        from ..errors import SelectionError
        from ..operations.performance import BY, COLUMNS
        from ..operations.reports import performance_report
        from ..stations import load_network
        from ..timebase import PERIODS

        if period not in PERIODS:
            raise SelectionError(f"--period '{period}': write one of {', '.join(PERIODS)}")
        if by not in BY:
            raise SelectionError(f"--by '{by}': write one of {', '.join(BY)}")
        t0, t1 = _window(start, end, days)
        ids = sorted(a.id for a in load_network(station_file))
        store = open_database(database, existing=True)
        try:
            rows = performance_report(store, t0, t1, period, by, ids)
        finally:
            store.close()
        emit([r.as_dict() for r in rows], fmt, columns=COLUMNS, output=output)

    @report_app.command("contacts")
    def contacts_cmd(
        start: Optional[str] = typer.Option(None, help="First moment reported, ISO 8601 UTC (required)."),
        end: Optional[str] = typer.Option(None, help="End of the report, ISO 8601 UTC (default: --days after start)."),
        days: Optional[float] = typer.Option(None, min=0.01, help="Days reported (default 1 without --end)."),
        antenna: Optional[str] = typer.Option(None, help="Only this antenna's contacts, e.g. KIR-1."),
        spacecraft: Optional[str] = typer.Option(None, help="Only this spacecraft's contacts, e.g. SOLO."),
        state: Optional[str] = typer.Option(None, help="Only contacts in this state, e.g. failed."),
        history: bool = typer.Option(False, "--history", help="Add each contact's evidence and state history."),
        database: Optional[str] = typer.Option(None, help=DATABASE_HELP),
        fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help=FORMAT_HELP),
        output: Optional[Path] = typer.Option(None, "--output", help=OUTPUT_HELP),
    ) -> None:
        """Post-contact reports: planned and actual AOS/LOS, lock times, time in lock, gaps, pointing
        error and data volume when reported, with each contact's state and cause. The table shows the
        gist of each; --format csv or json gives every field."""
        from ..errors import SelectionError
        from ..operations.lifecycle import STATES
        from ..operations.reports import CONTACT_COLUMNS, CONTACT_TABLE_COLUMNS, check_planned, contact_report

        if state is not None and state not in STATES:
            raise SelectionError(f"--state '{state}': write one of {', '.join(STATES)}")
        t0, t1 = _window(start, end, days)
        store = open_database(database, existing=True)
        try:
            check_planned(store, antenna, spacecraft)
            rows = contact_report(store, t0, t1, antenna_id=antenna, spacecraft_id=spacecraft, state=state,
                                  with_history=history)
        finally:
            store.close()
        # The terminal's table is the gist (20 columns do not fit a terminal); csv and json give every field.
        columns = (CONTACT_TABLE_COLUMNS if fmt is OutputFormat.table else CONTACT_COLUMNS) + (
            ["evidence", "history"] if history else [])
        if fmt is not OutputFormat.json:
            for r in rows:
                if history:
                    r["history"] = " > ".join(f"{h['state']}{'/' + h['cause'] if h['cause'] else ''}@{h['at']}"
                                              for h in r["history"])
        emit(rows, fmt, columns=columns, output=output)
