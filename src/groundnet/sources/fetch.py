"""Fetching one query of one source into the cache, and reading it back with its age.

:func:`fetch_query` asks the source (conditionally, when a copy is cached; not at all when the
source's minimum interval has not passed or it asked to wait), checks the answer, and only then
replaces the cached copy. Any failure leaves the cache as it was, records the error in the
entry's ``meta.json`` (the live service reports it) and raises :class:`SourceError`.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from ..config import Config, load_config
from ..errors import SourceError
from ..timebase import format_utc, parse_utc
from .cache import CacheEntry
from .http import DEFAULT_TIMEOUT_S, make_client, read_bounded
from .registry import LIMIT_BYTES, MIN_INTERVAL_S, BadAnswer, Query, check_download, parse_spec, request_of

SOURCE_LABELS = {"celestrak": "CelesTrak", "spacetrack": "Space-Track", "satnogs": "SatNOGS DB", "iers": "the IERS"}


def human_age(seconds: float | None) -> str:
    """``42 s``, ``35 min``, ``5.2 h``, ``103 days``."""
    if seconds is None:
        return "never fetched"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 3 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.0f} days"


@dataclass
class Outcome:
    """What a fetch did: ``fetched`` (a new copy), ``not-modified`` (304), or ``cached`` (not asked; why in ``note``)."""

    query: Query
    status: str
    url: str
    entry: CacheEntry
    fetched_at: float | None
    records: int | None = None
    rejected: int | None = None
    note: str = ""

    def row(self, now: float) -> dict:
        return {"source": self.query.name, "status": self.status,
                "fetched_at": format_utc(self.fetched_at) if self.fetched_at is not None else None,
                "age_s": None if self.fetched_at is None else round(max(0.0, now - self.fetched_at), 1),
                "records": self.records, "rejected": self.rejected, "url": self.url,
                "path": str(self.entry.data_path), "note": self.note}


def entry_of(query: Query, config: Config) -> CacheEntry:
    return CacheEntry(config.cache_dir, query.source, query.key, query.ext)


def _iso_to_unix(text: str | None) -> float | None:
    try:
        return parse_utc(text).timestamp() if text else None
    except Exception:  # noqa: BLE001 - a hand-edited meta.json
        return None


def fetch_query(
    query: Query | str,
    *,
    config: Config | None = None,
    base_url: str | None = None,
    now: float | None = None,
    client: httpx.Client | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    limit_bytes: int | None = None,
) -> Outcome:
    """Bring the cached copy of ``query`` up to date (see the module's documentation). Raises SourceError."""
    if isinstance(query, str):
        query = parse_spec(query)
    config = config or load_config()
    now = time.time() if now is None else now
    base = (base_url or config.base_url(query.source)).rstrip("/")
    url, params = request_of(query, base)
    label = query.name
    entry = entry_of(query, config)
    meta = entry.meta()
    have = entry.has_data()
    checked = entry.fetched_at()

    wait_until = _iso_to_unix(meta.get("retry_after_until"))
    if wait_until is not None and now < wait_until:
        reason = (f"{SOURCE_LABELS[query.source]} asked not to be asked again before {format_utc(wait_until)} "
                  "(HTTP 429 Retry-After)")
        if have:
            return Outcome(query, "cached", meta.get("url", url), entry, checked, meta.get("records"), meta.get("rejected"),
                           reason + "; the cached copy is used")
        raise SourceError(label, url, reason + "; try again then")
    interval = MIN_INTERVAL_S[query.source]
    if have and checked is not None and now - checked < interval and meta.get("base_url", base) == base:
        return Outcome(query, "cached", meta.get("url", url), entry, checked, meta.get("records"), meta.get("rejected"),
                       f"fetched {human_age(now - checked)} ago; {SOURCE_LABELS[query.source]} asks that the same data "
                       f"not be downloaded again within {interval / 3600:g} h: the cached copy is used")

    headers = {}
    if have and meta.get("base_url", base) == base:
        if meta.get("etag"):
            headers["If-None-Match"] = meta["etag"]
        if meta.get("last_modified"):
            headers["If-Modified-Since"] = meta["last_modified"]
    limit = limit_bytes or LIMIT_BYTES[query.kind]
    own = client is None
    client = client or make_client(timeout_s)
    tmp = None
    try:
        if query.source == "spacetrack":
            _spacetrack_login(client, base, config, label, timeout_s)
        with entry.new_file() as f:
            tmp = Path(f.name)
            # A whole catalog may take minutes on a slow link: the deadline is 20 timeouts (10 min by default).
            answer = read_bounded(url, source=label, limit_bytes=limit, params=params, headers=headers,
                                  timeout_s=timeout_s, deadline_s=20.0 * timeout_s, to_file=f, client=client,
                                  auth_hint=_auth_hint(query.source))
        if answer.not_modified:
            tmp.unlink(missing_ok=True)
            entry.update_meta(checked_at=format_utc(now), last_error=None, last_error_at=None, retry_after_until=None)
            return Outcome(query, "not-modified", answer.url, entry, now, meta.get("records"), meta.get("rejected"),
                           "the source says the cached copy is current (HTTP 304)")
        try:
            checked_ok = check_download(query, tmp, limit)
        except BadAnswer as exc:
            raise SourceError(label, answer.url, str(exc)) from None
        new_meta = {"url": answer.url, "base_url": base, "etag": answer.headers.get("etag"),
                    "last_modified": answer.headers.get("last-modified"), "records": checked_ok.records,
                    "rejected": checked_ok.rejected, "kind": query.kind}
        entry.commit(tmp, now, new_meta)
        tmp = None
        note = f"{checked_ok.rejected} record(s) rejected: {checked_ok.note}" if checked_ok.rejected else ""
        return Outcome(query, "fetched", answer.url, entry, now, checked_ok.records, checked_ok.rejected, note.strip())
    except SourceError as exc:
        kept = (f"; the cached copy fetched {format_utc(checked)} is kept" if have and checked is not None
                else "; nothing is cached yet")
        until = format_utc(now + exc.retry_after_s) if exc.retry_after_s is not None else None
        if entry.folder.is_dir():
            entry.update_meta(last_error=exc.reason, last_error_at=format_utc(now), retry_after_until=until)
        raise SourceError(exc.source, exc.url, exc.reason + kept, status=exc.status,
                          retry_after_s=exc.retry_after_s) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        if own:
            client.close()


def _auth_hint(source: str) -> str:
    if source == "spacetrack":
        return ("check [spacetrack] identity and password in groundnet.toml (or GROUNDNET_SPACETRACK_IDENTITY/"
                "_PASSWORD) and that the account may query the gp class")
    return "the source refuses this client or query: check --base-url, or try again later"


def _spacetrack_login(client: httpx.Client, base: str, config: Config, label: str, timeout_s: float) -> None:
    """Log in to Space-Track (the session cookie stays in ``client``); the password is never shown."""
    creds = config.spacetrack_credentials
    url = f"{base}/ajaxauth/login"
    if creds is None:
        raise SourceError(label, url, "no Space-Track credentials: set [spacetrack] identity and password in "
                          "groundnet.toml, or GROUNDNET_SPACETRACK_IDENTITY and GROUNDNET_SPACETRACK_PASSWORD")
    answer = read_bounded(url, source=label, limit_bytes=64 * 1024, method="POST", timeout_s=timeout_s,
                          data={"identity": creds[0], "password": creds[1]}, client=client,
                          auth_hint=_auth_hint("spacetrack"))
    body = (answer.body or b"").strip()
    if b'"Login"' in body and b"Failed" in body or b"<html" in body[:500].lower():
        raise SourceError(label, url, "login refused; " + _auth_hint("spacetrack"), status=answer.status)


def cached_outcome(query: Query | str, config: Config | None = None) -> Outcome:
    """The cached copy of a query as it is, without asking the source."""
    if isinstance(query, str):
        query = parse_spec(query)
    config = config or load_config()
    entry = entry_of(query, config)
    meta = entry.meta()
    return Outcome(query, "cached", meta.get("url") or request_of(query, config.base_url(query.source))[0],
                   entry, entry.fetched_at(), meta.get("records"), meta.get("rejected"))


def cached_queries(config: Config) -> list[Query]:
    """Every query with a copy in the cache, rebuilt from its ``meta.json`` (source, query, kind)."""
    import json

    out = []
    root = config.cache_dir / "sources"
    for meta_path in sorted(root.glob("*/*/meta.json")) if root.is_dir() else []:
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            data = next(meta_path.parent.glob("current.*"))
            params = tuple(tuple(p.split("=", 1)) for p in meta["query"].split("&"))
            query = Query(meta["source"], params, meta["kind"], data.suffix[1:])
        except (OSError, ValueError, KeyError, TypeError, StopIteration):
            continue  # a download under way, or a folder groundnet did not write
        if entry_of(query, config).folder == meta_path.parent:
            out.append(query)
    return out


def source_status(specs: list[str | Query], config: Config, now: float) -> list[dict]:
    """``[{name, url, fetched_at, age_s, refresh_interval_s, stale, last_error}]`` of the configured sources."""
    rows = []
    interval = config.refresh_interval_s
    for spec in specs:
        try:
            query = spec if isinstance(spec, Query) else parse_spec(spec)
        except Exception as exc:  # noqa: BLE001 - a bad name in the configuration is reported, not fatal
            rows.append({"name": spec, "url": None, "fetched_at": None, "age_s": None, "refresh_interval_s": interval,
                         "stale": True, "last_error": str(exc)})
            continue
        out = cached_outcome(query, config)
        meta = out.entry.meta()
        age = None if out.fetched_at is None else round(max(0.0, now - out.fetched_at), 1)
        rows.append({"name": query.name, "url": out.url,
                     "fetched_at": format_utc(out.fetched_at) if out.fetched_at is not None else None,
                     "age_s": age, "refresh_interval_s": interval, "stale": age is None or age > interval,
                     "last_error": meta.get("last_error")})
    return rows


__all__ = ["Outcome", "cached_outcome", "cached_queries", "fetch_query", "human_age", "source_status"]
