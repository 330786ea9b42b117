"""The cache of fetched data: one folder per query, atomic replacement, dated snapshots.

Layout under the cache directory (``cache.dir`` in groundnet.toml, ``GROUNDNET_CACHE_DIR``, else
``$XDG_CACHE_HOME/groundnet``)::

    sources/<source>/<query>/current.<ext>      the newest good copy
    sources/<source>/<query>/meta.json          url, fetched_at, checked_at, ETag, Last-Modified, last_error ...
    sources/<source>/<query>/snapshots/<UTC>.<ext>.gz   every distinct copy, named by when it was fetched

A new copy is written to a temporary file in the same folder, checked, then renamed over
``current``: a failed or bad download never touches the good copy. The snapshots let a replay of
the past use the elements that were current then.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..timebase import UTC, format_utc, parse_utc

_STAMP = "%Y%m%dT%H%M%SZ"


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False) as f:
        tmp = f.name
        try:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        except BaseException:
            f.close()
            os.unlink(tmp)
            raise
    os.replace(tmp, path)


def _safe(key: str) -> str:
    """A query as a folder name: letters, digits and ``=,.-_`` kept, the rest ``_``; long keys hashed."""
    name = re.sub(r"[^A-Za-z0-9=,.\-_]", "_", key)
    if len(name) > 120:
        name = name[:100] + "-" + hashlib.sha256(key.encode()).hexdigest()[:16]
    return name or "_"


@dataclass
class CacheEntry:
    """One cached query of one source."""

    root: Path
    source: str
    key: str
    ext: str

    @property
    def folder(self) -> Path:
        return self.root / "sources" / self.source / _safe(self.key)

    @property
    def data_path(self) -> Path:
        return self.folder / f"current.{self.ext}"

    @property
    def meta_path(self) -> Path:
        return self.folder / "meta.json"

    def has_data(self) -> bool:
        return self.data_path.is_file()

    def meta(self) -> dict:
        """The entry's metadata; an unreadable or missing file reads as none (the next fetch rewrites it)."""
        try:
            doc = json.loads(self.meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return doc if isinstance(doc, dict) else {}

    def write_meta(self, meta: dict) -> None:
        atomic_write_bytes(self.meta_path, (json.dumps(meta, indent=2, sort_keys=True) + "\n").encode())

    def update_meta(self, **changes) -> dict:
        meta = self.meta()
        meta.update(changes)
        self.write_meta(meta)
        return meta

    def fetched_at(self) -> float | None:
        """When the current copy was last confirmed by the source (a fetch or a 304), POSIX seconds."""
        if not self.has_data():
            return None
        meta = self.meta()
        stamp = meta.get("checked_at") or meta.get("fetched_at")
        try:
            return parse_utc(stamp).timestamp() if stamp else self.data_path.stat().st_mtime
        except Exception:  # noqa: BLE001 - a hand-edited meta.json: fall back to the file's time
            return self.data_path.stat().st_mtime

    def age_s(self, now: float) -> float | None:
        t = self.fetched_at()
        return None if t is None else max(0.0, now - t)

    def new_file(self):
        """A temporary file beside ``current`` (same file system, so the rename is atomic)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return tempfile.NamedTemporaryFile("wb", dir=self.folder, prefix=".download-", suffix=".tmp", delete=False)

    def commit(self, tmp_path: Path, now: float, meta: dict) -> dict:
        """Make ``tmp_path`` the current copy (atomically), snapshot it if new, and record ``meta``."""
        digest = _sha256(tmp_path)
        old = self.meta()
        with open(tmp_path, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp_path, self.data_path)
        stamp = format_utc(now)
        if digest != old.get("sha256") or not self.snapshots():
            self._snapshot(now)
        full = {**meta, "source": self.source, "query": self.key, "sha256": digest, "fetched_at": stamp,
                "checked_at": stamp, "size_bytes": self.data_path.stat().st_size, "last_error": None,
                "last_error_at": None, "retry_after_until": None}
        self.write_meta(full)
        return full

    def _snapshot(self, now: float) -> None:
        snaps = self.folder / "snapshots"
        snaps.mkdir(exist_ok=True)
        name = datetime.fromtimestamp(now, UTC).strftime(_STAMP) + f".{self.ext}.gz"
        tmp = snaps / f".{name}.tmp"
        with open(self.data_path, "rb") as src, gzip.open(tmp, "wb", compresslevel=6) as dst:
            shutil.copyfileobj(src, dst)
        os.replace(tmp, snaps / name)

    def snapshots(self) -> list[tuple[float, Path]]:
        """(fetch time, path) of every snapshot, oldest first."""
        folder = self.folder / "snapshots"
        out = []
        if folder.is_dir():
            for p in folder.iterdir():
                try:
                    t = datetime.strptime(p.name.split(".")[0], _STAMP).replace(tzinfo=UTC).timestamp()
                except ValueError:
                    continue
                out.append((t, p))
        return sorted(out)

    def snapshot_at(self, t: float) -> tuple[float, Path] | None:
        """The snapshot that was current at ``t``: the last one fetched at or before it (None if all are later)."""
        best = None
        for fetched, path in self.snapshots():
            if fetched <= t:
                best = (fetched, path)
        return best


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


__all__ = ["CacheEntry", "atomic_write_bytes"]
