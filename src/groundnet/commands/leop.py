"""``groundnet leop``: first acquisition after launch, coverage of the first orbits, pointing files."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Optional

import typer

from ..output import OutputFormat, emit


def register(app: typer.Typer) -> None:
    @app.command("leop")
    def leop(
        scenario: str = typer.Argument(..., help="Scenario file (TOML): launch, injection, spacecraft, dispersions, stations; or a bundled scenario's name (galileo_vs15, exomars_2016). See docs/leop.md."),
        fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table (acquisitions plus a coverage and dispersion summary), csv (acquisitions) or json (everything, incl. the timeline for the board)."),
        pointing_dir: Optional[Path] = typer.Option(None, "--pointing-dir", help="Write pointing predictions here: per acquiring station a 1 s CSV and a CCSDS TDM around AOS, and a CCSDS OEM of the trajectory."),
        output: Optional[Path] = typer.Option(None, "--output", help="Write to this file instead of the terminal."),
        quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
    ) -> None:
        """Who catches the first signal after separation, when, and where to point.

        For each launch time of the scenario: the stations in the order they
        acquire the spacecraft after its transmitter comes on (AOS absolute and
        from lift-off, azimuth, elevation, range, range rate, Doppler at AOS,
        pass length), the coverage of the first orbits with its gaps, and how
        the dispersions move the first AOS.
        """
        from ..leop import load_scenario, report
        from ..leop.acquisition import analyse_launch, scenario_antennas
        from ..leop.report import TABLE_COLUMNS, summary_lines, table_rows, write_pointing

        sc = load_scenario(scenario)
        antennas = scenario_antennas(sc)
        with_pointing = pointing_dir is not None
        results = []
        show = not quiet and sys.stderr.isatty() and len(sc.launch_times_unix) > 1
        if show:
            from rich.progress import Progress

            with Progress(transient=True) as bar:
                task = bar.add_task("launch times", total=len(sc.launch_times_unix))
                for t in sc.launch_times_unix:
                    results.append(analyse_launch(sc, t, antennas, with_pointing=with_pointing))
                    bar.advance(task)
        else:
            results = [analyse_launch(sc, t, antennas, with_pointing=with_pointing) for t in sc.launch_times_unix]
        if pointing_dir is not None:
            files = write_pointing(sc, results, pointing_dir, created_unix=time.time())
            print(f"pointing: {len(files)} files in {pointing_dir}", file=sys.stderr)
        if fmt is OutputFormat.json:
            text = json.dumps(report(sc, results), indent=2, allow_nan=False) + "\n"
            if output:
                output.write_text(text, encoding="utf-8")
            else:
                sys.stdout.write(text)
            return
        rows = table_rows(results)
        if fmt is OutputFormat.csv:
            emit(rows, fmt, columns=TABLE_COLUMNS, output=output)
            return
        columns = [c for c in TABLE_COLUMNS if c not in ("first_aos_earliest", "first_aos_latest")]
        if len(results) == 1:
            columns.remove("launch")
        for r in rows:
            r["aos"] = r["aos"][11:23]
            r["launch"] = r["launch"][5:16]
        emit(rows, fmt, columns=columns, output=output, title=f"{sc.name}: first acquisition after switch-on (* in view at switch-on)")
        text = "\n".join(summary_lines(results)) + "\n"
        if output:
            with open(output, "a", encoding="utf-8") as f:
                f.write(text)
        else:
            sys.stdout.write(text)
