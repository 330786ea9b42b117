"""``groundnet data update``: refresh the IERS Earth-orientation table into the cache."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..output import OutputFormat, emit

COLUMNS = ["table", "status", "fetched_at", "rows", "last_date", "packaged_last_date", "in_use", "note"]


def _mjd_iso(mjd: float) -> str:
    from ..timebase import format_utc

    return format_utc((mjd - 40587.0) * 86400.0)[:10]


def register(app: typer.Typer) -> None:
    data_app = typer.Typer(help="Data groundnet computes with: the IERS Earth-orientation table.", no_args_is_help=True)
    app.add_typer(data_app, name="data")

    @data_app.command("update")
    def update(
        base_url: Optional[str] = typer.Option(
            None, "--base-url", metavar="URL",
            help="Ask this server (a mirror of the IERS data centre) instead of iers.base_url (https://datacenter.iers.org)."),
        timeout_s: float = typer.Option(30.0, "--timeout", metavar="S", min=1, max=600,
                                        help="Seconds to wait for the server to answer."),
        fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
        output: Optional[Path] = typer.Option(None, "--output", help="Write to this file instead of the terminal."),
    ) -> None:
        """Fetch the IERS Earth-orientation table (finals2000A.all: UT1-UTC, polar motion) into the cache.

        Every later command uses it when it reaches further ahead than the table packaged with
        skyfield-data (`in_use`). The download is checked before it replaces the cached copy; a bad
        answer prints one line and exits with status 2, and the previous table stays in use.
        """
        import time

        from ..sources.iers import last_mjd, update_earth_orientation
        from ..timebase import skyfield_data_dir

        now = time.time()
        out = update_earth_orientation(base_url=base_url, now=now, timeout_s=timeout_s)
        packaged = Path(skyfield_data_dir()) / "finals2000A.all"
        cached_end, packaged_end = last_mjd(out.entry.data_path), last_mjd(packaged)
        row = out.row(now)
        emit([{"table": "finals2000A.all", "status": row["status"], "fetched_at": row["fetched_at"],
               "rows": row["records"], "last_date": _mjd_iso(cached_end), "packaged_last_date": _mjd_iso(packaged_end),
               "in_use": cached_end > packaged_end, "path": row["path"], "url": row["url"], "note": row["note"]}],
             fmt, columns=COLUMNS if fmt is OutputFormat.table else None, output=output,
             title="IERS Earth-orientation table")
