"""The store: SQLAlchemy 2 tables, Alembic migrations shipped in the package, repositories.

The engine is chosen by URL: SQLite (WAL) in the local data directory by default, PostgreSQL
(``postgresql+psycopg://...``) for a shared server. Migrations are applied when a store opens.
Route functions never hold SQL: they call the repository functions in ``repo``.
"""

from .db import Store, open_store, sqlite_url

__all__ = ["Store", "open_store", "sqlite_url"]
