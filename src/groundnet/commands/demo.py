"""``groundnet demo``: the main job on the embedded defaults (what `make run` starts)."""

from __future__ import annotations

import typer

from ..output import emit
from ..stations import load_network


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo() -> None:
        """Show the bundled network (the pass table and the live board take over as they land)."""
        emit([a.as_dict() for a in load_network()], "table",
             columns=["id", "name", "network", "latitude_deg", "longitude_deg", "dish_m", "bands"])
