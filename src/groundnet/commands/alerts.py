"""``groundnet alerts``: webhook subscriptions and their delivery log, in the service's database."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..output import OutputFormat, emit
from . import DATABASE_HELP, open_database




def register(app: typer.Typer) -> None:
    alerts_app = typer.Typer(help="Alerts: webhook subscriptions to station events, contact states and passes at "
                                  "risk, and their delivery log.", no_args_is_help=True)
    app.add_typer(alerts_app, name="alerts")

    @alerts_app.command("subscribe")
    def subscribe(
        name: str = typer.Argument(..., help="Who the alerts are for, e.g. noc-pager."),
        url: str = typer.Option(..., help="The webhook: http(s) URL that receives each alert as a signed JSON POST."),
        event: List[str] = typer.Option([], "--event", help="A station event kind to send (repeatable), e.g. aos."),
        state: List[str] = typer.Option([], "--state", help="A contact state to send (repeatable), e.g. failed."),
        antenna: List[str] = typer.Option([], "--antenna", help="Only this antenna (repeatable; default: all)."),
        spacecraft: List[str] = typer.Option([], "--spacecraft", help="Only this spacecraft (repeatable; default: all)."),
        pass_at_risk: bool = typer.Option(False, "--pass-at-risk", help="Send passes put at risk (outage or "
                                          "maintenance over a planned contact, stale elements, failed pre-pass check)."),
        secret: Optional[str] = typer.Option(None, help="HMAC-SHA256 key for the signature header (default: made up "
                                             "and printed once)."),
        database: Optional[str] = typer.Option(None, help=DATABASE_HELP),
    ) -> None:
        """Subscribe a webhook and print its id and signing secret (shown only here)."""
        import time

        from pydantic import ValidationError

        from ..api.schemas import SubscriptionCreate
        from ..errors import SelectionError
        from ..missions import load_fleet
        from ..operations.alerts import subscribe
        from ..stations import load_network

        try:
            body = SubscriptionCreate(name=name, url=url, secret=secret, events=event, states=state, antennas=antenna,
                                      spacecraft=spacecraft, pass_at_risk=pass_at_risk)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise SelectionError(f"--{where.split('.')[0].rstrip('s').replace('_', '-')}: {first['msg']} "
                                 f"(got {first.get('input')!r})") from None
        store = open_database(database)
        try:
            made = subscribe(store, name=body.name, url=body.url, secret=body.secret, events=body.events,
                             states=body.states, antennas=body.antennas, spacecraft=body.spacecraft,
                             pass_at_risk=body.pass_at_risk, antenna_ids={a.id for a in load_network()},
                             spacecraft_ids={s.id for s in load_fleet()}, created_at=time.time(), created_by="cli")
        finally:
            store.close()
        typer.echo(f"subscription {made['id']}")
        typer.echo(f"secret {made['secret']}")

    @alerts_app.command("list")
    def list_(database: Optional[str] = typer.Option(None, help=DATABASE_HELP),
              fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
              output: Optional[Path] = typer.Option(None, "--output", help="Write to this file instead of the terminal.")
              ) -> None:
        """List active subscriptions with their filters (never their secrets)."""
        from ..operations.alerts import list_subscriptions

        store = open_database(database, existing=True)
        try:
            rows = list_subscriptions(store)
        finally:
            store.close()
        for r in rows:
            r.pop("secret")
        emit(rows, fmt, columns=["id", "name", "url", "events", "states", "antennas", "spacecraft", "pass_at_risk",
                                 "created_at", "created_by"], output=output)

    @alerts_app.command("remove")
    def remove(subscription_id: int = typer.Argument(..., help="The subscription's id (groundnet alerts list)."),
               database: Optional[str] = typer.Option(None, help=DATABASE_HELP)) -> None:
        """Stop a subscription: nothing more is sent to it; its delivery log stays."""
        from ..operations.alerts import unsubscribe

        store = open_database(database, existing=True)
        try:
            unsubscribe(store, subscription_id)
        finally:
            store.close()
        typer.echo(f"removed subscription {subscription_id}")

    @alerts_app.command("deliveries")
    def deliveries_cmd(
        subscription: Optional[int] = typer.Option(None, help="Only this subscription's deliveries."),
        limit: int = typer.Option(100, min=1, max=100000, help="How many attempts, newest first."),
        database: Optional[str] = typer.Option(None, help=DATABASE_HELP),
        fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
        output: Optional[Path] = typer.Option(None, "--output", help="Write to this file instead of the terminal."),
    ) -> None:
        """The delivery log, newest first: every attempt of every alert with its HTTP status or error."""
        from ..operations.alerts import delivery_log

        store = open_database(database, existing=True)
        try:
            rows = delivery_log(store, subscription, limit)
        finally:
            store.close()
        emit(rows, fmt, columns=["alert_id", "subscription_id", "idempotency_key", "kind", "attempt", "at",
                                 "status_code", "error", "duration_s", "alert_status"], output=output)
