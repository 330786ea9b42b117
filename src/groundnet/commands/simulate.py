"""``groundnet simulate``: days of the network's life through the station simulator, into a database."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Optional

import typer

from ..output import OutputFormat, emit


def register(app: typer.Typer) -> None:
    @app.command("simulate")
    def simulate_cmd(
        start: str = typer.Option(..., help="First moment simulated, ISO 8601 UTC, e.g. 2026-08-01T00:00:00Z."),
        days: float = typer.Option(30.0, min=0.01, max=366.0, help="How many days to simulate (30: a month)."),
        seed: int = typer.Option(1, help="Seed of the stations' scripts and of the drawn faults."),
        faults: Optional[Path] = typer.Option(None, help="CSV of faults to inject (kind,start,end,antenna_id,"
                                              "spacecraft_id,reason); default: faults drawn from --seed."),
        database: Optional[str] = typer.Option(None, help="Database URL (default: GROUNDNET_DATABASE, else SQLite "
                                               "in ./var)."),
        station_file: Optional[Path] = typer.Option(None, help="TOML file adding or overriding antennas."),
        truth: Optional[Path] = typer.Option(None, help="Write what every contact and figure must be (JSON) here."),
        fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
        output: Optional[Path] = typer.Option(None, "--output", help="Write the summary to this file."),
    ) -> None:
        """Simulate the network from START for DAYS: plan each day, run the simulated stations with the
        injected faults, store plan, events and contact records in the database, and print how many
        contacts ended in each state. `groundnet report` then reads the database; `--truth` writes what
        each figure must be, from the faults themselves.
        """
        from ..api.settings import Settings
        from ..errors import SelectionError
        from ..missions import load_fleet
        from ..live.planning import PassPlanner
        from ..operations.performance import BY
        from ..operations.simulate import random_faults, read_faults, simulate, truth_figures
        from ..stations import load_network
        from ..store import open_store
        from ..timebase import PERIODS, SECONDS_PER_DAY, format_utc, parse_utc

        t0 = parse_utc(start, "--start").timestamp()
        t1 = t0 + days * SECONDS_PER_DAY
        antennas = list(load_network(station_file))
        fleet = load_fleet()
        antenna_ids, spacecraft_ids = {a.id for a in antennas}, {s.id for s in fleet}
        if faults is not None:
            injected, problems = read_faults(faults, antenna_ids, spacecraft_ids)
            for p in problems:
                print(f"warning: {p} (record skipped)", file=sys.stderr)
            if problems and not injected:
                raise SelectionError(f"{faults}: no usable fault record")
        else:
            injected = random_faults(seed, t0, t1, sorted(antenna_ids), sorted(spacecraft_ids))
        store = open_store(database or Settings().database_url)
        try:
            def progress(day: float, contacts: int) -> None:
                print(f"{format_utc(day)[:10]}: {contacts} contacts", file=sys.stderr)

            result = simulate(store, PassPlanner(antennas, fleet), t0, t1, seed=seed, faults=injected,
                              progress=progress)
        finally:
            store.close()
        counts = Counter((t.state, t.cause or "") for t in result.truth.values())
        rows = [{"state": s, "cause": c, "contacts": n} for (s, c), n in sorted(counts.items())]
        emit(rows, fmt, columns=["state", "cause", "contacts"], output=output,
             title=f"{len(result.contacts)} contacts, {len(result.faults)} faults, {result.events} events")
        if truth is not None:
            ids = sorted(antenna_ids)
            data = {
                "start": format_utc(t0), "end": format_utc(t1), "seed": seed,
                "faults": [{"kind": f.kind, "start": format_utc(f.start), "end": format_utc(f.end),
                            "antenna_id": f.antenna_id, "spacecraft_id": f.spacecraft_id, "reason": f.reason}
                           for f in result.faults],
                "contacts": {cid: {"state": t.state, "cause": t.cause, "in_lock_s": t.in_lock_s}
                             for cid, t in sorted(result.truth.items())},
                "performance": {p: {by: [r.as_dict() for r in truth_figures(result, p, by, ids if by == "antenna"
                                                                            else None)]
                                    for by in BY} for p in PERIODS},
            }
            truth.write_text(json.dumps(data, indent=1, allow_nan=False), encoding="utf-8")
