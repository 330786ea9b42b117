"""``groundnet track``: point a rotator and tune a radio through Hamlib for one pass, without a server."""

from __future__ import annotations

import csv
import signal
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer

from ..output import OutputFormat, emit
from .passes import CATALOG_HELP, STATION_FILE_HELP, warn

# Options shared by `track` and `agent` (one definition each).
ROTCTLD_OPT = typer.Option(None, "--rotctld", metavar="HOST:PORT", help="Hamlib rotctld to drive (e.g. 127.0.0.1:4533).")
RIGCTLD_OPT = typer.Option(None, "--rigctld", metavar="HOST:PORT", help="Hamlib rigctld to tune (e.g. 127.0.0.1:4532).")
DOWNLINK_OPT = typer.Option(None, "--downlink-hz", metavar="HZ",
                            help="Spacecraft downlink frequency (default: its published one, when known).")
UPLINK_OPT = typer.Option(None, "--uplink-hz", metavar="HZ",
                          help="Uplink frequency the spacecraft should receive (with --downlink-hz: split, on VFO B).")
AZ_RANGE_OPT = typer.Option("0..450", "--az-range",
                            help="Rotator azimuth range: 0..360, -180..180, 0..450 (overwind) or MIN..MAX.")
FLIP_OPT = typer.Option(False, "--flip/--no-flip",
                        help="The rotator's elevation reaches 180 deg: flip over for passes near the zenith.")
SLEW_OPT = typer.Option(6.0, "--slew-deg-s", help="Rotator slew rate per axis (deg/s of real time).")
PARK_OPT = typer.Option("0,90", "--park", metavar="AZ,EL", help="Where the rotator goes after LOS.")
THRESHOLD_OPT = typer.Option(1.0, "--threshold-deg", help="Send a new position when it moves this much (gpredict: 5).")
LEAD_OPT = typer.Option(None, "--lead-s", help="Aim this many seconds ahead (default: half the threshold at the object's rate; gpredict: 0).")
CYCLE_OPT = typer.Option(0.5, "--cycle-s", help="Seconds between updates, of the (replay) clock (gpredict: 1).")
DOPPLER_STEP_OPT = typer.Option(10.0, "--doppler-step-hz", help="Send a frequency when it changes this much.")
PREPOSITION_OPT = typer.Option(True, "--preposition/--no-preposition", help="Move to the AOS position before AOS.")
MAX_AGE_OPT = typer.Option(None, "--max-element-age-days", metavar="DAYS", min=0.0,
                           help="Warn when the element set is further than this from its epoch during the pass "
                                "(default by orbit class: LEO 7, MEO/HEO 14, GEO 30 days).")
FORMAT_OPT = typer.Option(OutputFormat.table, "--format", help="table, csv or json.")
OUTPUT_OPT = typer.Option(None, "--output", help="Write the table to this file instead of the terminal.")

SPEED_HELP = "Replay clock: simulated time = --start + N x elapsed wall time (1: real time)."


def rotator_options(az_range: str, flip: bool, slew_deg_s: float, park: str):
    """A ``Rotator`` from the command-line options shared by ``track`` and ``agent``."""
    from ..errors import SelectionError
    from ..tracking import Rotator
    from ..tracking.pointing import parse_az_range

    low, high = parse_az_range(az_range)
    try:
        park_az, park_el = (float(x) for x in park.split(","))
    except ValueError:
        raise SelectionError(f"--park '{park}': write AZ,EL in degrees, e.g. 0,90") from None
    return Rotator(low, high, 0.0, 180.0 if flip else 90.0, slew_deg_s, slew_deg_s, park_az, park_el)


def open_devices(rotctld: Optional[str], rigctld: Optional[str]):
    from ..agent.hamlib import Rigctld, Rotctld, parse_address

    rot = Rotctld(*parse_address(rotctld, 4533)) if rotctld else None
    rig = Rigctld(*parse_address(rigctld, 4532)) if rigctld else None
    return rot, rig


def note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextmanager
def sigterm_as_interrupt():
    """SIGTERM (a service manager's stop, `kill`) ends a run as Ctrl-C does: the rotator is told to stop (``S``),
    the events are kept; without this a rotator goes on turning toward its last command."""
    def interrupt(_signum, _frame):
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread (an embedding program keeps its own handlers)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class LogWriter:
    """``--log FILE.csv``: one row per cycle in which a command was sent, written as it happens."""

    def __init__(self, path: Path | None):
        from ..agent.runner import LOG_COLUMNS

        self.file = None if path is None else open(path, "w", newline="", encoding="utf-8")  # noqa: SIM115
        self.writer = None if self.file is None else csv.DictWriter(self.file, LOG_COLUMNS, extrasaction="ignore")
        if self.writer is not None:
            self.writer.writeheader()

    def __call__(self, row: dict) -> None:
        if self.writer is not None:
            self.writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
            self.file.flush()

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


def with_satnogs_link(obj, path: Path):
    """The object with the downlink and uplink of its first usable SatNOGS DB transmitter (drift-corrected)."""
    from dataclasses import replace

    from ..errors import SelectionError
    from ..interop.satnogs import first_usable, read_transmitters, transmitter_links

    found, problems = read_transmitters(path)
    for problem in problems:
        note(f"warning: {problem}")
    norad = obj.element.norad_id if obj.element is not None else None
    chosen = first_usable(found).get(norad)
    if chosen is None:
        raise SelectionError(f"{path}: no usable transmitter for {obj.label} (NORAD {norad}); "
                             "`groundnet satnogs transmitters FILE` lists them")
    down, up = transmitter_links(chosen)
    note(f"transmitter {chosen.uuid} ({chosen.description or chosen.mode}): downlink {down.frequency_hz:.0f} Hz"
         + (f", uplink {up.frequency_hz:.0f} Hz" if up is not None else ""))
    return replace(obj, downlink_hz=down.frequency_hz, uplink_hz=up.frequency_hz if up is not None else None)


def register(app: typer.Typer) -> None:
    @app.command("track")
    def track(
        station: str = typer.Option(..., "--station", metavar="ID", help="Antenna id (`groundnet stations` lists them)."),
        catalog: Optional[str] = typer.Option(None, "--catalog", metavar="FILE", help=CATALOG_HELP),
        object_id: Optional[str] = typer.Option(None, "--object", metavar="ID", help="NORAD id of the object in --catalog."),
        spacecraft: Optional[str] = typer.Option(None, "--spacecraft", metavar="ID",
                                                 help="A bundled spacecraft instead (`groundnet spacecraft` lists them)."),
        station_file: Optional[Path] = typer.Option(None, "--station-file", help=STATION_FILE_HELP),
        transmitters: Optional[Path] = typer.Option(
            None, "--transmitters", metavar="FILE",
            help="A SatNOGS DB transmitters export: tune to the object's first usable transmitter (downlink and uplink "
                 "corrected for its published drift) unless --downlink-hz/--uplink-hz say otherwise."),
        start: Optional[str] = typer.Option(None, "--start", metavar="ISO", help="Start of the run, ISO 8601 UTC (default: now)."),
        end: Optional[str] = typer.Option(None, "--end", metavar="ISO",
                                          help="End of the run (default: the LOS of the pass under way or next)."),
        speed: float = typer.Option(1.0, "--speed", metavar="N", help=SPEED_HELP),
        rotctld: Optional[str] = ROTCTLD_OPT,
        rigctld: Optional[str] = RIGCTLD_OPT,
        downlink_hz: Optional[float] = DOWNLINK_OPT,
        uplink_hz: Optional[float] = UPLINK_OPT,
        dry_run: bool = typer.Option(False, "--dry-run", help="No device: print the per-second tracking table instead."),
        log: Optional[Path] = typer.Option(None, "--log", metavar="FILE.csv", help="Write one CSV row per command sent."),
        az_range: str = AZ_RANGE_OPT,
        flip: bool = FLIP_OPT,
        slew_deg_s: float = SLEW_OPT,
        park: str = PARK_OPT,
        threshold_deg: float = THRESHOLD_OPT,
        cycle_s: float = CYCLE_OPT,
        lead_s: Optional[float] = LEAD_OPT,
        doppler_step_hz: float = DOPPLER_STEP_OPT,
        preposition: bool = PREPOSITION_OPT,
        max_element_age: Optional[float] = MAX_AGE_OPT,
        fmt: OutputFormat = FORMAT_OPT,
        output: Optional[Path] = OUTPUT_OPT,
    ) -> None:
        """Track one object over one antenna as gpredict does, through Hamlib's `rotctld` and `rigctld`.

        The rotator is pre-positioned before AOS, follows the pass (overwind, flip-over through the zenith
        with `--flip`), and parks after LOS; the radio is tuned for Doppler. A pass the rotator cannot follow
        is said before AOS. Prints the pass's pointing error and command counts at the end; `--dry-run`
        prints the per-second table (time, azimuth, elevation, range, range rate, frequencies) instead.
        """
        import math
        import time

        from ..agent.runner import PassRunner, TrackSettings, describe_event
        from ..agent.target import dry_run_rows, pass_window, resolve_object
        from ..errors import SelectionError
        from ..live.clock import Clock
        from ..stations import load_network
        from ..timebase import format_utc, parse_utc, to_unix
        from ..tracking import plan_path

        if not (math.isfinite(speed) and 0 < speed <= 1000):
            raise SelectionError(f"--speed {speed}: give a number above 0 and at most 1000")
        if not dry_run and rotctld is None and rigctld is None:
            raise SelectionError("give --rotctld HOST:PORT and/or --rigctld HOST:PORT, or --dry-run for the table only")
        rotator = rotator_options(az_range, flip, slew_deg_s, park)
        rot, rig = open_devices(rotctld, rigctld)  # their addresses checked before any work (no connection yet)
        antenna = load_network(station_file).get(station)
        obj = resolve_object(catalog, object_id, spacecraft)
        if transmitters is not None:
            obj = with_satnogs_link(obj, transmitters)
        settings = TrackSettings(threshold_deg=threshold_deg, cycle_s=cycle_s, lead_s=lead_s, doppler_step_hz=doppler_step_hz,
                                 downlink_hz=downlink_hz if downlink_hz is not None else obj.downlink_hz,
                                 uplink_hz=uplink_hz if uplink_hz is not None else obj.uplink_hz,
                                 preposition=preposition, flip=flip)
        t0 = to_unix(parse_utc(start, "--start")) if start else time.time()
        t_end = to_unix(parse_utc(end, "--end")) if end else None
        if t_end is not None and not t_end > t0:
            raise SelectionError(f"--end {end} must be after --start")
        aos, los = pass_window(obj, antenna, t0, t_end)
        for message in obj.age_warnings(aos, los, max_element_age):
            warn(message)
        if dry_run:
            first = t0 if t_end is not None else aos
            track_ = obj.track(antenna, first, t_end if t_end is not None else los)
            inside = (track_.times_unix >= aos) & (track_.times_unix <= los)
            path = None
            if inside.sum() >= 2:
                path = plan_path(track_.times_unix[inside], track_.azimuth_deg[inside], track_.elevation_deg[inside],
                                 rotator, allow_flip=flip)
                for w in path.warnings:
                    note(f"note: {w}")
            rows = dry_run_rows(track_, path, settings.downlink_hz, settings.uplink_hz,
                                end_unix=t_end if t_end is not None else los)
            emit(rows, fmt, output=output,
                 title=f"{obj.label} from {antenna.id}, pass {format_utc(aos)} .. {format_utc(los)}")
            return
        clock = Clock(start_unix=t0, speed=speed) if (start or speed != 1.0) else Clock()
        track_ = obj.track(antenna, min(aos, clock.now()) - 2.0, los + 2.0)
        log_writer = LogWriter(log)

        note(f"tracking {obj.label} from {antenna.id}: AOS {format_utc(aos)}, LOS {format_utc(los)}"
             + (f" (replay at x{speed:g})" if speed != 1.0 else ""))
        runner = PassRunner(track_, aos, los, rotator, settings, now=clock.now, speed=speed, rotctld=rot,
                            rigctld=rig, on_row=log_writer, on_event=lambda *ev: note(describe_event(*ev)),
                            on_note=lambda m: note(f"note: {m}"))
        try:
            with sigterm_as_interrupt():
                report = runner.run()
        except KeyboardInterrupt:
            note("interrupted: " + ("the rotator was told to stop; " if rot is not None else "")
                 + (f"the log so far is in {log}" if log is not None else "nothing more sent"))
            raise typer.Exit(130) from None
        finally:
            log_writer.close()
            for dev in (rot, rig):
                if dev is not None:
                    dev.close()
        row = {"object": obj.label, "station_id": antenna.id, "aos": format_utc(aos), "los": format_utc(los),
               **report.stats(), **{k: v for k, v in report.path.items()}}
        columns = None
        if fmt is OutputFormat.table:
            columns = ["object", "station_id", "aos", "los", "max_pointing_error_deg", "rms_pointing_error_deg",
                       "rotator_commands", "radio_commands", "flip"]
        emit([row], fmt, columns=columns, output=output, title="pass tracked")
        silent = [g.client.name for g in (runner.rot, runner.rig) if g.client is not None and g.answers == 0]
        if silent:
            note(f"error: {' and '.join(silent)} carried out no command during the run: nothing was pointed or "
                 "tuned (the notes above say why)")
            raise typer.Exit(1)
