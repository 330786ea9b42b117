"""Live messages between ``groundnet serve`` processes that share one database.

Each process has its own hub (numbered messages to its own clients) and builds its own board. What
one process learns from a client (a station event, a re-plan, a partner feed) must reach the others,
so that their boards agree and their clients see the event too; a replay set on one (``PUT /clock``) is
followed by the others. The relay carries those messages:

- ``memory`` (the default): one process, nothing to relay.
- ``postgresql://...``: PostgreSQL ``LISTEN``/``NOTIFY`` on the channel ``groundnet_live``. Each process
  sends what it learnt with ``pg_notify`` and listens on its own connection; messages from itself are
  skipped. PostgreSQL delivers a notification to every listener within milliseconds of the sender's
  commit; a payload is at most 8000 bytes, which a station event (``detail`` at most 4 KiB) fits.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import uuid
from typing import Callable

from ..errors import SettingsError

log = logging.getLogger("groundnet.live.relay")

CHANNEL = "groundnet_live"
MAX_PAYLOAD_BYTES = 7900  # PostgreSQL's limit is 8000 bytes
# What crosses between processes: boards are built by each process from the shared state, never relayed.
RELAYED = ("event", "plan", "partner", "clock")

Receive = Callable[[str, dict], None]


class MemoryRelay:
    """One process: nothing to relay."""

    name = "memory"

    def start(self, receive: Receive) -> None:
        pass

    def send(self, type_: str, data: dict) -> None:
        pass

    def close(self) -> None:
        pass


class PostgresRelay:
    """``LISTEN``/``NOTIFY`` through a PostgreSQL server (usually the service's own database)."""

    name = "postgresql"

    def __init__(self, url: str):
        self.url = url.replace("postgresql+psycopg://", "postgresql://", 1)
        self.origin = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._send_conn = None
        self._send_lock = threading.Lock()
        self._listen_conn = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def _connect(self):
        import psycopg

        try:
            return psycopg.connect(self.url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            first = (str(exc).strip().splitlines() or [""])[0]
            raise SettingsError(f"--hub: cannot reach PostgreSQL at {self.url.split('@')[-1]} ({first}); check the "
                                "URL and that the server runs") from None

    def start(self, receive: Receive) -> None:
        self._listen_conn = self._connect()
        self._listen_conn.execute(f"LISTEN {CHANNEL}")
        self._send_conn = self._connect()
        self._thread = threading.Thread(target=self._listen, args=(receive,), name="relay-listen", daemon=True)
        self._thread.start()

    def _listen(self, receive: Receive) -> None:
        while not self._stop.is_set():
            try:
                for note in self._listen_conn.notifies(timeout=0.5):
                    self._deliver(note.payload, receive)
            except Exception:  # noqa: BLE001 - the server went away: reconnect after a pause
                if self._stop.is_set():
                    return
                log.warning("relay: lost the PostgreSQL connection; reconnecting", exc_info=True)
                self._stop.wait(1.0)
                try:
                    self._listen_conn = self._connect()
                    self._listen_conn.execute(f"LISTEN {CHANNEL}")
                except SettingsError as exc:
                    log.warning("relay: %s", exc)

    def _deliver(self, payload: str, receive: Receive) -> None:
        try:
            msg = json.loads(payload)
        except ValueError:
            log.warning("relay: a notification on %s that is not JSON was ignored", CHANNEL)
            return
        if not isinstance(msg, dict) or msg.get("origin") == self.origin or msg.get("type") not in RELAYED:
            return
        receive(msg["type"], msg.get("data") or {})

    def send(self, type_: str, data: dict) -> None:
        """Tell the other processes (from any thread); a failure is logged, the local service goes on."""
        if type_ not in RELAYED or self._send_conn is None:
            return
        payload = json.dumps({"origin": self.origin, "type": type_, "data": data}, separators=(",", ":"),
                             allow_nan=False)
        if len(payload.encode()) > MAX_PAYLOAD_BYTES:
            # Too large to carry whole (a big re-plan impact): the others reload from the database anyway.
            payload = json.dumps({"origin": self.origin, "type": type_, "data": {"truncated": True}})
        try:
            with self._send_lock:
                self._send_conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))
        except Exception:  # noqa: BLE001 - the event is stored; the others see it after their next reload
            log.warning("relay: could not notify the other processes", exc_info=True)
            try:
                with self._send_lock:
                    self._send_conn = self._connect()
            except SettingsError:
                pass

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        for conn in (self._listen_conn, self._send_conn):
            if conn is not None:
                conn.close()


def open_relay(url: str) -> MemoryRelay | PostgresRelay:
    """The relay a ``--hub`` URL names: ``memory``, or ``postgresql://user@host:port/db``."""
    if url == "memory":
        return MemoryRelay()
    if url.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        return PostgresRelay("postgresql://" + url.split("://", 1)[1])
    raise SettingsError(f"--hub '{url}': write 'memory' (one process) or a PostgreSQL URL such as "
                        "postgresql://user@host:5432/groundnet (several processes sharing one database)")
