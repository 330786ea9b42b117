"""``groundnet calendar``: the stored plan as an iCalendar file, or a printable pass sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from . import DATABASE_HELP, open_database




def _write(text: str | bytes, output: Optional[Path]) -> None:
    import sys

    data = text.encode("utf-8") if isinstance(text, str) else text
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        output.write_bytes(data)


def register(app: typer.Typer) -> None:
    cal_app = typer.Typer(help="Calendars of the stored plan: iCalendar (RFC 5545) files and printable pass sheets.",
                          no_args_is_help=True)
    app.add_typer(cal_app, name="calendar")

    @cal_app.command("ics")
    def ics(
        antenna: Optional[str] = typer.Option(None, help="The antenna whose contacts to write, e.g. KIR-1."),
        spacecraft: Optional[str] = typer.Option(None, help="Or the spacecraft whose contacts to write, e.g. SOLO."),
        start: str = typer.Option(..., help="First contact start included, ISO 8601 UTC."),
        days: float = typer.Option(7.0, min=0.01, max=366.0, help="Days of plan to include."),
        database: Optional[str] = typer.Option(None, help=DATABASE_HELP),
        output: Optional[Path] = typer.Option(None, "--output", help="Write the .ics here instead of the terminal."),
    ) -> None:
        """Write the planned contacts of one antenna or one spacecraft as an iCalendar file (UID = contact id,
        so a calendar that imports it again updates each contact in place)."""
        import time

        from ..errors import SelectionError
        from ..operations.calendar import plan_calendar, stored_contacts
        from ..operations.reports import check_planned
        from ..timebase import SECONDS_PER_DAY, parse_utc

        if (antenna is None) == (spacecraft is None):
            raise SelectionError("give --antenna or --spacecraft (one of them)")
        t0 = parse_utc(start, "--start").timestamp()
        store = open_database(database, existing=True)
        try:
            check_planned(store, antenna, spacecraft)
            contacts = stored_contacts(store, t0, t0 + days * SECONDS_PER_DAY, antenna_id=antenna,
                                       spacecraft_id=spacecraft)
        finally:
            store.close()
        _write(plan_calendar(contacts, f"groundnet {antenna or spacecraft}", time.time()), output)

    @cal_app.command("sheet")
    def sheet(
        antenna: str = typer.Option(..., help="The antenna, e.g. KIR-1."),
        date: str = typer.Option(..., help="The UTC day, e.g. 2026-08-23."),
        station_file: Optional[Path] = typer.Option(None, help="TOML file adding or overriding antennas."),
        database: Optional[str] = typer.Option(None, help=DATABASE_HELP),
        output: Optional[Path] = typer.Option(None, "--output", help="Write the HTML here instead of the terminal."),
    ) -> None:
        """Write a printable pass sheet (HTML) of one antenna's contacts on one UTC day."""
        import time

        from ..errors import UnknownStationError
        from ..operations.calendar import pass_sheet, stored_contacts
        from ..operations.reports import contact_states
        from ..stations import load_network
        from ..timebase import SECONDS_PER_DAY, parse_utc_in_span, period_start

        network = {a.id: a for a in load_network(station_file)}
        if antenna not in network:
            raise UnknownStationError(antenna, sorted(network))
        day = period_start(parse_utc_in_span(date, "--date"), "day")
        store = open_database(database, existing=True)
        try:
            contacts = stored_contacts(store, day, day + SECONDS_PER_DAY, antenna_id=antenna)
            states = contact_states(store, day, day + SECONDS_PER_DAY, antenna)
        finally:
            store.close()
        _write(pass_sheet(antenna, network[antenna].name, day, contacts, states, time.time()), output)
