"""``groundnet demo``: the main job on the embedded defaults (what `make run` starts).

The pass table of the bundled demo catalog over the whole bundled network for the next 24 hours.
"""

from __future__ import annotations

import time

import typer

from ..output import emit
from ..stations import load_network
from ..timebase import format_utc
from .passes import TABLE_COLUMNS, load_elements, run_passes


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        quiet: bool = typer.Option(False, "--quiet", help="No progress bar on standard error."),
    ) -> None:
        """Show the next 24 hours of passes of the bundled demo spacecraft over the bundled network."""
        t0 = time.time()
        t1 = t0 + 86400.0
        table = run_passes(load_elements("demo", quiet=True), list(load_network()), t0, t1, None, quiet)
        emit(table.to_rows(), "table", columns=TABLE_COLUMNS,
             title=f"groundnet demo: {len(table)} passes of the demo catalog over the bundled network, "
                   f"{format_utc(t0)} .. {format_utc(t1)}")
