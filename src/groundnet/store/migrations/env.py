"""Alembic environment: groundnet passes an open connection in (``groundnet.store.db.migrate``)."""

from alembic import context
from sqlalchemy import create_engine

from groundnet.store.models import Base

config = context.config
connection = config.attributes.get("connection")


def _run(conn) -> None:
    context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:  # the alembic command line, for writing new migrations: alembic -x url=sqlite:///x.sqlite revision
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    with create_engine(url).begin() as conn:
        _run(conn)
