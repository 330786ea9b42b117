"""Opening a store: the engine for a URL, SQLite pragmas, Alembic migrations applied at start."""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ..errors import StoreError, StoreFullError, StoreInUseError, StoreUnavailableError

# How the databases say that their disk is full: SQLite's SQLITE_FULL, PostgreSQL's class 53 (53100 disk_full,
# 53200 out_of_memory) and the OS's ENOSPC as either reports it.
_FULL_MARKS = ("database or disk is full", "no space left on device", "could not extend file", "disk full")
_FULL_SQLSTATES = ("53100", "53200", "53300")


def store_failure(exc: DBAPIError, url: str) -> StoreError:
    """The StoreError that says what a driver's failure means: the disk is full, or the database is unavailable."""
    text = str(getattr(exc, "orig", exc) or exc).strip()
    first = (text.splitlines() or [""])[0]
    sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None)
    if sqlstate in _FULL_SQLSTATES or any(m in text.lower() for m in _FULL_MARKS):
        return StoreFullError(f"the database at {url} is full ({first}); nothing more can be stored until "
                              "space is freed: the request was not applied, send it again later")
    return StoreUnavailableError(f"the database at {url} cannot be used now ({first}); "
                                 "the request was not applied, send it again later")


def sqlite_url(data_dir: Path) -> str:
    """The embedded database: ``groundnet.sqlite`` in a data directory."""
    return f"sqlite:///{(Path(data_dir) / 'groundnet.sqlite').resolve()}"


def normalise_url(url: str) -> str:
    """``postgresql://`` means psycopg 3 (the driver groundnet ships with)."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # WAL: readers never block the writer. synchronous=NORMAL in WAL mode keeps every committed
    # transaction through a crash of the process (kill -9); only an OS crash may lose the last ones.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    try:
        parsed = make_url(url)
    except Exception as exc:  # noqa: BLE001 - SQLAlchemy raises several kinds here
        raise StoreError(f"cannot read database URL '{url}': {exc}; write e.g. sqlite:///var/groundnet.sqlite "
                         "or postgresql://user:password@host:5432/groundnet") from None
    if parsed.get_backend_name() == "sqlite":
        db = parsed.database
        if db and db != ":memory:":
            Path(db).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
    raise StoreError(f"unsupported database '{parsed.get_backend_name()}' in '{url}': use sqlite or postgresql")


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration shipped in the package."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("groundnet.store") / "migrations"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _is_full(exc: DBAPIError) -> bool:
    return isinstance(store_failure(exc, ""), StoreFullError)


def claim_for_serving(url: str):
    """For an SQLite database file: an exclusive lock beside it, held while this process serves it (the open
    lock file; closing it lets go), else StoreInUseError naming the holder. None for other databases.

    Two processes serving one SQLite file would each keep their own plan and live state: their boards
    diverge. Several processes share one PostgreSQL database instead (``--hub postgresql://...``).
    """
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    path = Path(parsed.database).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = open(path.with_name(path.name + ".serve-lock"), "a+", encoding="utf-8")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.seek(0)
        holder = lock.read().strip() or "another process"
        lock.close()
        raise StoreInUseError(f"the database {path} is already served by {holder}: two servers on one SQLite file "
                              "would show diverging boards. Stop the other server, give this one its own --database, "
                              "or run several servers on one PostgreSQL database with --hub postgresql://...") from None
    lock.truncate(0)
    lock.write(f"groundnet serve (pid {os.getpid()})")
    lock.flush()
    return lock


class Store:
    """An engine plus a session factory; ``with store.session() as s:`` commits or rolls back."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._serving_lock = None

    def claim_for_serving(self) -> None:
        """Hold the database for this process while it serves (SQLite; see ``claim_for_serving``)."""
        if self._serving_lock is None:
            self._serving_lock = claim_for_serving(self.engine.url.render_as_string(hide_password=False))

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits at the end; a database that is full or unreachable raises a StoreError."""
        try:
            with self._sessions() as s:
                try:
                    yield s
                    s.commit()
                except BaseException:
                    s.rollback()
                    raise
        except (OperationalError, DBAPIError) as exc:
            if exc.connection_invalidated or isinstance(exc, OperationalError) or _is_full(exc):
                raise store_failure(exc, self.url) from exc
            raise

    def close(self) -> None:
        self.engine.dispose()
        if self._serving_lock is not None:
            self._serving_lock.close()
            self._serving_lock = None


def missing_sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL when that file does not exist (None for other databases and existing files)."""
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    path = Path(parsed.database).resolve()
    return None if path.exists() else path


def open_store(url: str, *, migrate_schema: bool = True, existing: bool = False) -> Store:
    """The store at ``url`` (``groundnet.api.settings.Settings.database_url`` picks the default).

    ``existing``: a command that only reads refuses an SQLite file that does not exist (a mistyped path would
    otherwise be created empty, and every report of it be empty) rather than creating it.
    """
    missing = missing_sqlite_file(url) if existing else None
    if missing is not None:
        raise StoreError(f"no database at {missing}: nothing has been stored there; give --database (or "
                         "GROUNDNET_DATABASE) the database that `groundnet serve` or `groundnet simulate` wrote")
    engine = make_engine(url)
    try:
        if migrate_schema:
            migrate(engine)
    except Exception as exc:
        engine.dispose()
        if isinstance(exc, StoreError):
            raise
        # SQLAlchemy appends the statement and a link on further lines: the first line says what failed.
        reason = (str(exc).strip().splitlines() or [""])[0]
        raise StoreError(f"cannot open the database at {engine.url.render_as_string(hide_password=True)}: "
                         f"{type(exc).__name__}: {reason}; check the URL, and that the server runs or the "
                         "folder is writable") from exc
    return Store(engine)
