"""Fixtures for the live service: a small real fleet, databases (SQLite and a real PostgreSQL), apps."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest
from support import free_port, wait_for

from groundnet.missions import load_fleet
from groundnet.timebase import parse_utc

# A moment inside the demo catalog's element-set span (epochs 2026-08-19..22).
T0_ISO = "2026-08-23T10:00:00Z"
T0 = parse_utc(T0_ISO).timestamp()
FLEET_IDS = ("SENTINEL-1A", "SENTINEL-2B", "METOP-C", "ISS", "XMM-NEWTON", "GSAT0211", "SOLO", "MEX")


@pytest.fixture(scope="session")
def small_fleet():
    fleet = [s for s in load_fleet() if s.id in FLEET_IDS]
    assert len(fleet) == len(FLEET_IDS)
    return fleet


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL on loopback in a temp dir (Debian's server, as scripts/setup.sh installs it)."""
    bindir = _pg_bin()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed: `scripts/setup.sh test` installs Debian's postgresql")
        pytest.skip("PostgreSQL is not installed (run ./scripts/setup.sh test without GROUNDNET_SKIP_APT)")
    root = Path(tempfile.mkdtemp(prefix="groundnet-pg-"))
    data = root / "data"
    port = free_port()
    as_user: list[str] = []
    if os.geteuid() == 0:  # postgres refuses to run as root: run it as the postgres user
        shutil.chown(root, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "groundnet",
                    "--no-sync", "-E", "UTF8"], check=True, capture_output=True)
    subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w", "-t", "60",
                    "-o", f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
                   check=True, capture_output=True)
    try:
        yield {"port": port, "root": root, "url_base": f"postgresql://groundnet@127.0.0.1:{port}"}
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


_db_counter = iter(range(1, 10_000))


def _new_pg_database(server) -> str:
    import psycopg

    name = f"gn_{os.getpid()}_{next(_db_counter)}"
    with psycopg.connect(f"{server['url_base']}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server['url_base']}/{name}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """A fresh, empty database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'groundnet.sqlite'}"
    return _new_pg_database(request.getfixturevalue("postgres_server"))


class Served:
    """An app under a real uvicorn on loopback, in this process (so a test can reach its store and hub)."""

    def __init__(self, app):
        import uvicorn

        self.app = app
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        wait_for(lambda: self.server.started, timeout=60)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=30)
