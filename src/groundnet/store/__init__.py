"""The store: SQLAlchemy 2 tables, Alembic migrations shipped in the package, repositories.

The engine is chosen by URL: SQLite (WAL) in the local data directory by default, PostgreSQL
(``postgresql+psycopg://...``) for a shared server. Migrations are applied when a store opens.
Route functions never hold SQL: they call the repository functions in ``repo``.
"""

from .db import Store, default_database_url, open_store

__all__ = ["Store", "default_database_url", "open_store"]
