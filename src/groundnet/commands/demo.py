"""``groundnet demo``: the main job on the embedded defaults (what `make run` starts).

The live board for the bundled network and demo spacecraft: SQLite in the local data directory,
the real-time clock, the station simulator on. Prints the local URL and serves until Ctrl-C.
"""

from __future__ import annotations

from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        host: Optional[str] = typer.Option(None, help="Address to listen on (default 127.0.0.1, this machine only; "
                                                      "0.0.0.0 for every interface; env GROUNDNET_HOST)."),
        port: Optional[int] = typer.Option(None, help="TCP port (default 8000; env GROUNDNET_PORT)."),
        clock: Optional[str] = typer.Option(None, help="'now' (default) or an ISO 8601 UTC moment to replay from."),
        speed: Optional[float] = typer.Option(None, help="Clock speed (1 = real time)."),
    ) -> None:
        """Start the live board of the bundled network and demo spacecraft, with simulated stations, and print its URL."""
        from .serve import run_server, settings_from_options

        run_server(settings_from_options(host=host, port=port, clock=clock, speed=speed, simulate=True))
