"""``groundnet token``: API tokens for stations and operators (stored hashed)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..output import OutputFormat, emit


def _store(database: str | None):
    from ..api.settings import Settings
    from ..store import open_store

    return open_store(database or Settings().database_url)


def register(app: typer.Typer) -> None:
    token_app = typer.Typer(help="API tokens: every write to the service needs one.", no_args_is_help=True)
    app.add_typer(token_app, name="token")
    database_help = "Database URL (default: GROUNDNET_DATABASE, else SQLite in ./var)."

    @token_app.command("create")
    def create(name: str = typer.Argument(..., help="Who uses the token, e.g. a station: KIR-monitoring."),
               database: Optional[str] = typer.Option(None, help=database_help)) -> None:
        """Create a token (replacing NAME's old one) and print it once: only its hash is stored."""
        import time

        from ..store import repo

        store = _store(database)
        with store.session() as s:
            token = repo.create_token(s, name, created_at=time.time())
        store.close()
        typer.echo(token)

    @token_app.command("list")
    def list_(database: Optional[str] = typer.Option(None, help=database_help),
              fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
              output: Optional[Path] = typer.Option(None, "--output", help="Write to this file instead of the terminal.")) -> None:
        """List token names, when they were created and whether they are revoked (never the tokens)."""
        from ..store import repo
        from ..timebase import format_utc

        store = _store(database)
        with store.session() as s:
            rows = [{"name": r.name, "created_at": format_utc(r.created_at),
                     "revoked_at": r.revoked_at and format_utc(r.revoked_at)} for r in repo.list_tokens(s)]
        store.close()
        emit(rows, fmt, columns=["name", "created_at", "revoked_at"], output=output)

    @token_app.command("revoke")
    def revoke(name: str = typer.Argument(..., help="The token's name."),
               database: Optional[str] = typer.Option(None, help=database_help)) -> None:
        """Revoke NAME's token: it stops working at once."""
        import time

        from ..errors import GroundnetError
        from ..store import repo

        store = _store(database)
        with store.session() as s:
            ok = repo.revoke_token(s, name, time.time())
        store.close()
        if not ok:
            raise GroundnetError(f"no active token named '{name}' (groundnet token list shows them)")
        typer.echo(f"revoked {name}")
