"""One module per command group; each defines ``register(app: typer.Typer)``."""

DATABASE_HELP = "Database URL (default: GROUNDNET_DATABASE, else SQLite in ./var)."


def open_database(database: str | None, *, existing: bool = False):
    """The store at ``--database`` (default: GROUNDNET_DATABASE, else SQLite in ./var). ``existing``: the command
    only reads, so a database file that does not exist is an error, not a new empty database."""
    from ..api.settings import Settings
    from ..store import open_store

    return open_store(database or Settings().database_url, existing=existing)
