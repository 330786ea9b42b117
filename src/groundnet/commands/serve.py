"""``groundnet serve``: the live service (REST, live push, DSN Now feeds, the browser board)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def _check_before_start(settings) -> None:
    """Fail here, in one line, on what would otherwise fail inside the server's startup with a traceback:
    the station file, the database URL, the hub URL, and an SQLite file another server already serves (the
    database itself is opened by the server)."""
    from ..live.relay import open_relay
    from ..stations import load_network
    from ..store.db import claim_for_serving, make_engine
    from .catalog import catalog_file

    load_network(settings.station_file)
    catalog_file(settings.catalog)  # a source is fetched now if it must be, its age said in one line
    if settings.satnogs_jobs is not None:
        from ..interop.satnogs import read_jobs

        read_jobs(settings.satnogs_jobs)
    if settings.satnogs_transmitters:
        from ..api.routers.satnogs import transmitters_file
        from ..interop.satnogs import read_transmitters

        read_transmitters(transmitters_file(settings))
    make_engine(settings.database_url).dispose()
    open_relay(settings.hub)
    lock = claim_for_serving(settings.database_url)  # another server on this SQLite file: refused here
    if lock is not None:
        lock.close()


def run_server(settings, *, announce: bool = True) -> None:
    """Start uvicorn on the app for these settings (blocks until stopped)."""
    import uvicorn

    from ..api.app import create_app
    from ..api.server import uvicorn_options

    _check_before_start(settings)
    app = create_app(settings, freeze_startup=True)
    if announce:
        host = "localhost" if settings.host in ("127.0.0.1", "0.0.0.0", "::") else settings.host
        typer.echo(f"groundnet live board: http://{host}:{settings.port}/")
        typer.echo(f"  API http://{host}:{settings.port}/api/v1/board, OpenAPI docs /docs, DSN Now feed /dsn.xml; "
                   f"database {settings.database_url.split('@')[-1]}; Ctrl-C stops", err=True)
    uvicorn.run(app, **uvicorn_options(settings))


def settings_from_options(**options):
    """Settings from the environment (GROUNDNET_*), overridden by the options given on the command line."""
    from pydantic import ValidationError

    from ..api.settings import Settings
    from ..errors import SettingsError

    try:
        return Settings(**{k: v for k, v in options.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "setting"
        raise SettingsError(f"--{name.replace('_', '-')} (or GROUNDNET_{name.upper()}) {first.get('input')!r}: "
                            f"{first['msg']}") from None


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: Optional[str] = typer.Option(None, help="Address to listen on (default 127.0.0.1; env GROUNDNET_HOST)."),
        port: Optional[int] = typer.Option(None, help="TCP port (default 8000; env GROUNDNET_PORT)."),
        database: Optional[str] = typer.Option(None, help="Database URL, e.g. sqlite:///var/groundnet.sqlite or "
                                                      "postgresql://user:pw@host/db (default: SQLite in ./var)."),
        clock: Optional[str] = typer.Option(None, help="'now' for real time, or an ISO 8601 UTC moment to replay from."),
        speed: Optional[float] = typer.Option(None, help="Clock speed: 1 is real time, 60 a minute per second."),
        simulate: Optional[bool] = typer.Option(None, "--simulate/--no-simulate",
                                                help="Run the built-in station simulator (events from the plan)."),
        trouble: Optional[float] = typer.Option(None, help="Share of simulated contacts that go wrong (default 0.15)."),
        partner_dsn: Optional[str] = typer.Option(None, help="A NASA DSN Now dsn.xml (file or URL) shown as a partner."),
        partner_ssf: Optional[str] = typer.Option(None, help="A partner network's CCSDS Simple Schedule (SSF XML, file "
                                                  "or URL): its committed activities are shown and kept free."),
        station_file: Optional[Path] = typer.Option(None, help="TOML file adding or overriding antennas."),
        catalog: Optional[str] = typer.Option(
            None, metavar="FILE|SOURCE",
            help="Elements of the Earth orbiters: a TLE/OMM file, celestrak:active (read through the cache, "
                 "docs/catalogs.md), or 'demo' (bundled). Default: [catalog] default in groundnet.toml, else demo."),
        private: bool = typer.Option(False, "--private", help="Reads need a token too (default: public reads)."),
        hub: Optional[str] = typer.Option(None, help="'memory' (one process, the default) or a PostgreSQL URL: "
                                                 "several serve processes on one PostgreSQL database share the "
                                                 "live state through it (LISTEN/NOTIFY)."),
        satnogs_jobs: Optional[Path] = typer.Option(None, help="SatNOGS jobs (JSON from `groundnet schedule "
                                                    "observations --jobs`) served to SatNOGS clients at /api/jobs/."),
        satnogs_transmitters: Optional[str] = typer.Option(
            None, metavar="FILE|SOURCE",
            help="SatNOGS DB transmitters (JSON export, or satnogs:transmitters through the cache): spacecraft links "
                 "take their published downlink, corrected for drift (docs/satnogs.md)."),
    ) -> None:
        """Run the live service: the board once a second, station events, REST API, WebSocket/SSE, DSN Now feeds.

        Every option can also be set in the environment as `GROUNDNET_<NAME>` (e.g. `GROUNDNET_DATABASE`).
        """
        from .catalog import configured_catalog

        settings = settings_from_options(host=host, port=port, database=database, clock=clock, speed=speed,
                                         simulate=simulate, trouble=trouble, partner_dsn=partner_dsn, partner_ssf=partner_ssf,
                                         station_file=station_file, catalog=catalog or configured_catalog(),
                                         public_read=False if private else None, hub=hub, satnogs_jobs=satnogs_jobs,
                                         satnogs_transmitters=satnogs_transmitters)
        run_server(settings)
