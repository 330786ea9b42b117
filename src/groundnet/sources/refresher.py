"""The live service's background refresh of its sources, and their status for ``GET /api/v1/status``.

:class:`SourceRefresher` runs in its own daemon thread, never in the board's loop: a slow or
hostile source delays nothing but itself (every read is bounded and has a deadline). Every
``check_every_s`` it fetches each configured source whose cached copy is older than the refresh
interval; a source that failed is tried again after ``retry_after_error_s`` (or its Retry-After).
Errors are recorded in the cache's metadata and reported by :meth:`status`, never raised.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from ..config import Config
from ..errors import GroundnetError
from ..timebase import parse_utc
from .fetch import cached_outcome, fetch_query, source_status
from .registry import parse_spec

log = logging.getLogger("groundnet.sources")


class SourceRefresher:
    def __init__(self, specs: list[str], config: Config, *, enabled: bool, check_every_s: float = 60.0,
                 retry_after_error_s: float = 900.0, wall: Callable[[], float] = time.time):
        self.specs = list(specs)
        self.config = config
        self.enabled = enabled
        self.check_every_s = check_every_s
        self.retry_after_error_s = retry_after_error_s
        self.wall = wall
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.rounds = 0

    def status(self) -> list[dict]:
        """``[{name, url, fetched_at, age_s, refresh_interval_s, stale, last_error}]``, one per configured source."""
        return source_status(self.specs, self.config, self.wall())

    def due(self, spec: str, now: float) -> bool:
        out = cached_outcome(parse_spec(spec), self.config)
        if out.fetched_at is not None and now - out.fetched_at <= self.config.refresh_interval_s:
            return False
        meta = out.entry.meta()
        try:
            failed = parse_utc(meta["last_error_at"]).timestamp() if meta.get("last_error_at") else None
        except GroundnetError:
            failed = None
        return failed is None or now - failed >= self.retry_after_error_s

    def run_once(self) -> None:
        """Fetch every source that is due (errors are recorded, not raised)."""
        for spec in self.specs:
            if self._stop.is_set():
                return
            try:
                now = self.wall()
                if self.due(spec, now):
                    out = fetch_query(spec, config=self.config, now=now)
                    log.info("source %s: %s (%s records)", out.query.name, out.status, out.records)
            except GroundnetError as exc:  # recorded in the cache's meta.json by fetch_query
                log.warning("source refresh failed: %s", exc)
            except Exception:  # noqa: BLE001 - the refresher must keep going
                log.exception("source refresh of %s failed", spec)
        self.rounds += 1

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self.check_every_s)

    def start(self) -> None:
        """Start the background thread (only when enabled and there is something to refresh)."""
        if self.enabled and self.specs and self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="source-refresh", daemon=True)
            self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)


__all__ = ["SourceRefresher"]
