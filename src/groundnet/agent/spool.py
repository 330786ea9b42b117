"""The agent's outbox: every event is written to a spool file before it is sent, and leaves it only once
the server acknowledged it (201 stored, or 200 already stored). A restart sends what is left; the
server drops repeats by ``event_id``, so an event is never lost and never stored twice.

The file holds one JSON object per line; removing acknowledged events rewrites it atomically
(a temporary file renamed over it), and appends are flushed to disk before ``add`` returns.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from .. import files
from ..errors import InputFileError

SPOOL_LIMIT_BYTES = files.DATA_LIMIT_BYTES


class EventSpool:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._pending: dict[str, dict] = {}
        self.skipped_lines = 0
        if self.path.exists():
            text = files.read_text(self.path, what="agent spool file", limit_bytes=SPOOL_LIMIT_BYTES)
            for n, line in enumerate(text.splitlines(), start=1):
                if not line.strip():
                    continue
                try:
                    ev = json.loads(line)
                    self._pending[str(ev["event_id"])] = ev
                except (ValueError, KeyError, TypeError):
                    # A line cut by a crash mid-append: the event it held was never acknowledged nor sent.
                    self.skipped_lines += 1
                    if n < len(text.splitlines()):
                        raise InputFileError(str(self.path), "not an agent spool line (JSON with event_id); "
                                             "move the file away to start with an empty spool", line=n) from None
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)

    def add(self, event: dict) -> None:
        with self._lock:
            if event["event_id"] in self._pending:
                return
            self._pending[event["event_id"]] = event
            with open(self.path, "a", encoding="utf-8") as f:
                f.write(json.dumps(event, separators=(",", ":"), allow_nan=False) + "\n")
                f.flush()
                os.fsync(f.fileno())

    def pending(self) -> list[dict]:
        with self._lock:
            return list(self._pending.values())

    def ack(self, event_ids) -> None:
        with self._lock:
            for eid in event_ids:
                self._pending.pop(eid, None)
            tmp = self.path.with_name(self.path.name + ".tmp")
            with open(tmp, "w", encoding="utf-8") as f:
                for ev in self._pending.values():
                    f.write(json.dumps(ev, separators=(",", ":"), allow_nan=False) + "\n")
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)

    def __len__(self) -> int:
        with self._lock:
            return len(self._pending)
