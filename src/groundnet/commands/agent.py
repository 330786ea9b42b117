"""``groundnet agent``: run an antenna's contacts from a groundnet server through Hamlib, and report back."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..output import OutputFormat, emit
from .catalog import catalog_file, configured_catalog
from .passes import STATION_FILE_HELP
from .track import (AZ_RANGE_OPT, CYCLE_OPT, DOPPLER_STEP_OPT, DOWNLINK_OPT, FLIP_OPT, FORMAT_OPT, LEAD_OPT,
                    MAX_AGE_OPT, OUTPUT_OPT, PARK_OPT, PREPOSITION_OPT, RIGCTLD_OPT, ROTCTLD_OPT, SLEW_OPT, THRESHOLD_OPT,
                    UPLINK_OPT, note, open_devices, rotator_options, sigterm_as_interrupt)


def server_and_token(server: Optional[str], token: Optional[str]) -> tuple[str, Optional[str]]:
    """--server/--token, else the configuration: GROUNDNET_SERVER/GROUNDNET_TOKEN, else [agent] in groundnet.toml."""
    from ..config import load_config
    from ..errors import SelectionError

    if server is None or token is None:
        cfg = load_config()
        server = server or cfg.agent_server
        token = token or cfg.agent_token
    if not server:
        raise SelectionError("give --server URL (or set GROUNDNET_SERVER, or [agent] server in groundnet.toml)")
    if not server.startswith(("http://", "https://")):
        raise SelectionError(f"--server '{server}': give an http:// or https:// URL, e.g. http://127.0.0.1:8000")
    return server.rstrip("/"), token


def register(app: typer.Typer) -> None:
    @app.command("agent")
    def agent(
        station: str = typer.Option(..., "--station", metavar="ID", help="The antenna this agent runs (as the server names it)."),
        server: Optional[str] = typer.Option(None, "--server", metavar="URL",
                                             help="The groundnet server (default: GROUNDNET_SERVER or [agent] server)."),
        token: Optional[str] = typer.Option(None, "--token", help="API token (default: GROUNDNET_TOKEN or [agent] token)."),
        station_file: Optional[Path] = typer.Option(None, "--station-file", help=STATION_FILE_HELP),
        catalog: Optional[str] = typer.Option(None, "--catalog", metavar="FILE|SOURCE",
                                              help="Element sets of the fleet's Earth orbiters: a file, or a source read through the cache "
                                                   "(celestrak:active; docs/catalogs.md). Default: [catalog] default in groundnet.toml, else the bundled demo catalog, as the server."),
        spool: Optional[Path] = typer.Option(None, "--spool", metavar="FILE",
                                             help="Where unacknowledged events wait (default: var/agent-STATION.jsonl)."),
        max_contacts: Optional[int] = typer.Option(None, "--max-contacts", min=1, help="Stop after this many contacts (default: run until Ctrl-C)."),
        rotctld: Optional[str] = ROTCTLD_OPT,
        rigctld: Optional[str] = RIGCTLD_OPT,
        downlink_hz: Optional[float] = DOWNLINK_OPT,
        uplink_hz: Optional[float] = UPLINK_OPT,
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
        """Run a station: take the antenna's contacts from a groundnet server and track each through Hamlib.

        Follows the server's clock (a replay runs at the server's speed), posts `aos`, `los`, carrier lock and
        `outage_start`/`outage_end` events with the pointing error, keeps unacknowledged events in a spool
        file so that a restart sends them, and retries the server and the devices with back-off. Prints one
        row per contact run when it stops.
        """
        from ..agent.runner import TrackSettings
        from ..agent.service import AgentOptions, ServerClient, StationAgent
        from ..stations import load_network

        url, tok = server_and_token(server, token)
        antenna = load_network(station_file).get(station)
        rotator = rotator_options(az_range, flip, slew_deg_s, park)
        settings = TrackSettings(threshold_deg=threshold_deg, cycle_s=cycle_s, lead_s=lead_s, doppler_step_hz=doppler_step_hz,
                                 downlink_hz=downlink_hz, uplink_hz=uplink_hz, preposition=preposition, flip=flip)
        if rotctld is None and rigctld is None:
            note("note: no --rotctld or --rigctld: the agent reports AOS/LOS from the plan without devices")
        rot, rig = open_devices(rotctld, rigctld)
        client = ServerClient(url, tok)
        catalog = catalog or configured_catalog()
        options = AgentOptions(station=antenna.id, spool_path=str(spool or Path("var") / f"agent-{antenna.id}.jsonl"),
                               max_contacts=max_contacts, catalog=catalog_file(catalog) if catalog else None,
                               max_element_age_days=max_element_age)
        runner = StationAgent(client, antenna, rotator, settings, options, rotctld=rot, rigctld=rig,
                              on_note=lambda m: note(f"agent {antenna.id}: {m}"))
        note(f"agent {antenna.id}: server {url}, spool {options.spool_path}")
        try:
            with sigterm_as_interrupt():
                reports = runner.run()
        except KeyboardInterrupt:
            runner.stop.set()
            reports = runner.reports
            note(f"agent {antenna.id}: interrupted" + ("; the rotator was told to stop" if rot is not None else ""))
        finally:
            client.close()
            for dev in (rot, rig):
                if dev is not None:
                    dev.close()
        columns = ["contact_id", "spacecraft_id", "max_pointing_error_deg", "rms_pointing_error_deg",
                   "rotator_commands", "radio_commands"]
        emit(reports, fmt, columns=None if fmt is not OutputFormat.table else columns, output=output,
             title=f"contacts run by {antenna.id}")
