"""The IERS Earth-orientation table (UT1-UTC and polar motion): ``groundnet data update``.

The table is ``finals2000A.all``, the file Skyfield reads (``skyfield-data`` ships a copy that
ages with the package). ``update_earth_orientation`` fetches the IERS's current one into the
cache through the same bounded reader and checks as every source; :mod:`groundnet.timebase` uses
the cached table when it reaches further ahead than the packaged one.
"""

from __future__ import annotations

from pathlib import Path

from ..config import Config, load_config
from .cache import CacheEntry
from .registry import parse_spec

FINALS = parse_spec("iers:finals2000A.all")


def cached_table(config: Config | None = None) -> Path | None:
    """The cached finals2000A.all, if ``groundnet data update`` has fetched one."""
    config = config or load_config()
    entry = CacheEntry(config.cache_dir, FINALS.source, FINALS.key, FINALS.ext)
    return entry.data_path if entry.has_data() else None


def last_mjd(path: str | Path) -> float:
    """The last date (MJD) a finals2000A.all file lists, read from its end (no parsing of the whole file)."""
    with open(path, "rb") as f:
        f.seek(0, 2)
        size = f.tell()
        f.seek(max(0, size - 8192))
        tail = f.read().splitlines()
    for line in reversed(tail):
        try:
            return float(line[7:15])
        except ValueError:
            continue
    return 0.0


def update_earth_orientation(*, config: Config | None = None, base_url: str | None = None, now: float | None = None,
                             timeout_s: float = 30.0):
    """Fetch finals2000A.all into the cache (conditionally; at most once an hour). Returns the fetch's Outcome."""
    from .fetch import fetch_query

    return fetch_query(FINALS, config=config, base_url=base_url, now=now, timeout_s=timeout_s)


__all__ = ["FINALS", "cached_table", "last_mjd", "update_earth_orientation"]
