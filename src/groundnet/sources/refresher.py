"""The live service's background refresh of its sources, and their status for ``GET /api/v1/status``.

:class:`SourceRefresher` runs in its own daemon thread, never in the board's loop: a slow or
hostile source delays nothing but itself (every read is bounded and has a deadline). Every
``check_every_s`` it fetches each configured source whose cached copy is older than the refresh
interval; a source that failed is tried again after ``retry_after_error_s`` (or its Retry-After).
Errors are recorded in the cache's metadata and reported by :meth:`status`, never raised.

On the same rounds it looks at the files the service reads at start and follows (:meth:`watch`: the
``--satnogs-transmitters`` file, or the cached copy of ``satnogs:transmitters``): a file whose
modification time or size changed is read again through its ``load``; a version that cannot be read
leaves the previous one in force, and its error is reported by :meth:`status` until a good one is read.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..config import Config
from ..errors import GroundnetError
from ..timebase import format_utc, parse_utc
from .fetch import cached_outcome, fetch_query, source_status
from .registry import parse_spec

log = logging.getLogger("groundnet.sources")


@dataclass
class WatchedFile:
    """A file the service follows: ``path()`` says where it is now, ``load(path)`` takes a new version in."""

    name: str
    path: Callable[[], Path]
    load: Callable[[Path], None]
    spec: str | None = None  # the source it is the cached copy of (its row in the status), if any
    stamp: tuple[int, int] | None = None  # (mtime_ns, size) of the version in force
    last_error: str | None = None


class SourceRefresher:
    def __init__(self, specs: list[str], config: Config, *, enabled: bool, check_every_s: float = 60.0,
                 retry_after_error_s: float = 900.0, wall: Callable[[], float] = time.time):
        self.watched: list[WatchedFile] = []
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
        """``[{name, url, fetched_at, age_s, refresh_interval_s, stale, last_error}]``, one per configured source,
        then one per watched file that is not a source's copy (its age: since the file was last modified)."""
        now = self.wall()
        rows = source_status(self.specs, self.config, now)
        interval = self.config.refresh_interval_s
        for w in self.watched:
            row = next((r for r in rows if w.spec is not None and r["name"] == w.spec), None)
            if row is not None:  # a source's copy: its fetch's figures, and the error of reading it if any
                row["last_error"] = row["last_error"] or w.last_error
                continue
            modified = None if w.stamp is None else w.stamp[0] / 1e9
            age = None if modified is None else round(max(0.0, now - modified), 1)
            rows.append({"name": w.name, "url": None, "fetched_at": None if modified is None else format_utc(modified),
                         "age_s": age, "refresh_interval_s": interval, "stale": age is None or age > interval,
                         "last_error": w.last_error})
        return rows

    def watch(self, name: str, path: Callable[[], Path], load: Callable[[Path], None], *,
              spec: str | None = None) -> WatchedFile:
        """Follow a file already read (its present version is taken as loaded): ``load`` is called with its path on
        the rounds that find it changed. ``spec``: the source whose cached copy it is, refreshed with the others."""
        w = WatchedFile(name, path, load, spec)
        w.stamp = self._stamp(w)
        if spec is not None and spec not in self.specs:
            self.specs.append(spec)
        self.watched.append(w)
        return w

    @staticmethod
    def _stamp(w: WatchedFile) -> tuple[int, int] | None:
        try:
            st = Path(w.path()).stat()
        except (OSError, GroundnetError):
            return None
        return st.st_mtime_ns, st.st_size

    def check(self, w: WatchedFile) -> bool:
        """Read the file again if it changed; True when a new version was taken in."""
        stamp = self._stamp(w)
        if stamp is None:
            if w.stamp is not None or w.last_error is None:
                w.last_error = f"{w.name}: the file cannot be read; the version read before stays in force"
            return False
        if stamp == w.stamp:
            return False
        w.stamp = stamp
        try:
            w.load(Path(w.path()))
        except GroundnetError as exc:
            w.last_error = str(exc)
            log.error("%s not read again, the version read before stays in force: %s", w.name, exc)
            return False
        except Exception as exc:  # noqa: BLE001 - the refresher must keep going
            w.last_error = f"{w.name}: {type(exc).__name__}: {exc}"
            log.exception("reading %s again failed", w.name)
            return False
        w.last_error = None
        log.info("%s read again", w.name)
        return True

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
        """Fetch every source that is due when refreshing is enabled, then read again the watched files that changed
        (errors are recorded, not raised)."""
        for spec in self.specs if self.enabled else ():
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
        for w in self.watched:
            self.check(w)
        self.rounds += 1

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self.check_every_s)

    def start(self) -> None:
        """Start the background thread (when enabled with something to refresh, or with files to watch)."""
        if ((self.enabled and self.specs) or self.watched) and self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="source-refresh", daemon=True)
            self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)


__all__ = ["SourceRefresher", "WatchedFile"]
