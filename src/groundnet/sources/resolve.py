"""``--catalog celestrak:GROUP`` (and ``spacetrack:...``, ``satnogs:tle``, ``satnogs:transmitters``): the one
place a source name becomes a file.

:func:`resolve_catalog` passes a file name, a directory or ``demo`` through unchanged. A source
name is read from the cache, fetched first when nothing is cached or the copy is older than the
refresh interval (``catalog.refresh_interval_s``). When the source cannot be reached, the cached
copy is used with a warning; only when there is none does the command fail. A window that starts
well before the cached copy was fetched (a replay of the past) uses the dated snapshot that was
current then.
"""

from __future__ import annotations

import time
from typing import Callable

from ..config import Config, load_config
from ..errors import SelectionError, SourceError
from ..timebase import format_utc
from .fetch import cached_outcome, fetch_query, human_age
from .registry import is_source_spec, parse_spec

Note = Callable[[str], None]


KIND_HINTS = {
    "catalog": "element sets: celestrak:GROUP, spacetrack:QUERY or satnogs:tle",
    "transmitters": "transmitters: satnogs:transmitters",
    "satellites": "satellites: satnogs:satellites",
    "earth-orientation": "the IERS table: iers:finals2000A.all",
}


def resolve_catalog(spec: str, *, at_unix: float | None = None, now: float | None = None,
                    config: Config | None = None, note: Note | None = None) -> str:
    """The file to read for ``spec``: itself when it is not a source name, else the cached copy (see above).

    ``note(text)`` receives one-line notes for the user (the copy's age, a refresh that failed).
    """
    return resolve_source(spec, "catalog", at_unix=at_unix, now=now, config=config, note=note)


def resolve_source(spec: str, kind: str, *, at_unix: float | None = None, now: float | None = None,
                   config: Config | None = None, note: Note | None = None, what: str = "--catalog") -> str:
    """Like :func:`resolve_catalog` for any kind of source data (``catalog``, ``transmitters``, ``satellites``)."""
    if not is_source_spec(spec):
        return spec
    query = parse_spec(spec, what)
    if query.kind != kind:
        raise SelectionError(f"{what} '{spec}' gives {query.kind}; this needs {KIND_HINTS[kind]}")
    config = config or load_config()
    now = time.time() if now is None else now
    say = note or (lambda _text: None)
    cached = cached_outcome(query, config)
    interval = config.refresh_interval_s
    # Snapshots are gzip files, which the catalog readers read; other kinds always use the current copy.
    if kind == "catalog" and at_unix is not None and cached.fetched_at is not None and at_unix < cached.fetched_at - interval:
        snap = cached.entry.snapshot_at(at_unix)
        if snap is not None:
            say(f"note: {query.name}: for {format_utc(at_unix)}, the copy fetched {format_utc(snap[0])} "
                f"(the one current then) is used")
            return str(snap[1])
        first = cached.entry.snapshots()
        if first:
            say(f"note: {query.name}: no copy was fetched before {format_utc(at_unix)}; the oldest, fetched "
                f"{format_utc(first[0][0])}, is used")
            return str(first[0][1])
    age = None if cached.fetched_at is None else now - cached.fetched_at
    if age is None or age > interval:
        try:
            out = fetch_query(query, config=config, now=now)
        except SourceError as exc:
            if age is None:
                raise
            say(f"warning: {exc}; using it ({human_age(age)} old)")
            return str(cached.entry.data_path)
        noun = "element sets" if kind == "catalog" else kind
        if out.status == "fetched":
            say(f"note: {query.name}: fetched {out.records} {noun} from {out.url}")
        cached = out
    age = now - cached.fetched_at
    noun = "elements" if kind == "catalog" else kind
    say(f"note: {query.name}: {noun} fetched {format_utc(cached.fetched_at)} ({human_age(age)} ago)")
    return str(cached.entry.data_path)


__all__ = ["resolve_catalog", "resolve_source"]
