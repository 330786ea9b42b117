"""The one HTTP reader for data from the network: bounded, streamed, with one-line errors.

Every download groundnet makes (CelesTrak, Space-Track, SatNOGS DB, the IERS table, a partner
DSN Now feed) goes through :func:`read_bounded`:

- the body is streamed, into memory or a file, and stopped as soon as it passes ``limit_bytes``;
  the limit applies to the *decompressed* bytes (gzip and deflate are decoded here, a piece at a
  time), so a small compressed "bomb" stops at the limit too;
- a connect/read timeout and a deadline for the whole body (a server that trickles forever stops);
- 304 Not Modified is an answer (conditional requests); 403/404/429 (with ``Retry-After``)/5xx,
  a body cut short, a connection refused and a timeout each raise :class:`SourceError` with one
  line naming the source, the URL and what to do.
"""

from __future__ import annotations

import email.utils
import time
import zlib
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Mapping

import httpx

from .. import __version__
from ..errors import SourceError

USER_AGENT = f"groundnet/{__version__}"
DEFAULT_TIMEOUT_S = 30.0
_PIECE = 256 * 1024  # decompressed bytes produced per step


@dataclass
class HttpAnswer:
    """What a bounded read gave: status 200 (a body) or 304 (the cached copy is current)."""

    url: str
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None  # when read into memory
    size_bytes: int = 0

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def retry_after_s(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (a number of seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _status_reason(status: int, retry_s: float | None, auth_hint: str) -> str:
    if status in (401, 403):
        return f"access refused (HTTP {status}); {auth_hint}"
    if status == 404:
        return "not found (HTTP 404); check the query (group, id or name) and --base-url"
    if status == 429:
        wait = f"try again in {retry_s:.0f} s" if retry_s is not None else "try again later"
        return f"too many requests (HTTP 429); the source limits how often it may be asked: {wait}"
    if 500 <= status <= 599:
        return f"server error (HTTP {status}); the source is having trouble: try again later"
    return f"unexpected answer HTTP {status}; check the URL and --base-url"


class _Decoder:
    """Content-Encoding gzip/deflate decoded a bounded piece at a time (never the whole bomb at once)."""

    def __init__(self, encoding: str):
        self.encoding = encoding
        self._d = self._new()
        self._deflate_raw = False

    def _new(self):
        if self.encoding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        if self.encoding == "deflate":
            return zlib.decompressobj(-zlib.MAX_WBITS if self._deflate_raw else zlib.MAX_WBITS)
        return None

    def feed(self, data: bytes):
        if self._d is None:
            if data:
                yield data
            return
        while data:
            try:
                out = self._d.decompress(data, _PIECE)
            except zlib.error:
                if self.encoding == "deflate" and not self._deflate_raw:  # servers send raw deflate too
                    self._deflate_raw = True
                    self._d = self._new()
                    out = self._d.decompress(data, _PIECE)
                else:
                    raise
            if out:
                yield out
            if self._d.eof:  # a gzip stream may hold several members
                data = self._d.unused_data
                self._d = self._new() if data else self._d
            else:
                data = self._d.unconsumed_tail

    def finished(self) -> bool:
        return self._d is None or self._d.eof


def read_bounded(
    url: str,
    *,
    source: str,
    limit_bytes: int,
    params: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    deadline_s: float | None = None,
    to_file: BinaryIO | None = None,
    client: httpx.Client | None = None,
    auth_hint: str = "check the URL (--base-url) and that the source allows this query",
    method: str = "GET",
    data: Mapping[str, str] | None = None,
    json: Any = None,
) -> HttpAnswer:
    """GET (or POST form ``data`` or a ``json`` document to) ``url`` and read its body, at most ``limit_bytes`` after decompression.

    The body goes to ``to_file`` when given (the caller makes it a temporary file beside the
    cache, so memory stays small), else into ``HttpAnswer.body``. ``deadline_s`` bounds the whole
    exchange (default: four times ``timeout_s``). Raises :class:`SourceError`.
    """
    own = client is None
    if own:
        client = make_client(timeout_s)
    deadline = time.monotonic() + (deadline_s if deadline_s is not None else 4.0 * timeout_s)
    try:
        shown = _public_url(httpx.URL(url, params=params))
    except (httpx.InvalidURL, TypeError, ValueError):
        shown = url
    buf = bytearray()
    size = 0
    try:
        request_headers = {"Accept-Encoding": "gzip, deflate", **(headers or {})}
        with client.stream(method, url, params=params, headers=request_headers, data=data, json=json) as r:
            shown = _public_url(r.url)
            if r.status_code == 304:
                return HttpAnswer(shown, 304, dict(r.headers))
            if not 200 <= r.status_code <= 299:
                wait = retry_after_s(r.headers.get("retry-after")) if r.status_code in (429, 503) else None
                raise SourceError(source, shown, _status_reason(r.status_code, wait, auth_hint),
                                  status=r.status_code, retry_after_s=wait)
            encoding = r.headers.get("content-encoding", "identity").strip().lower()
            if encoding not in ("identity", "", "gzip", "x-gzip", "deflate"):
                raise SourceError(source, shown, f"answer compressed as '{encoding}', which groundnet does not read; "
                                  "use a server or mirror that sends gzip or plain data")
            declared = r.headers.get("content-length")
            if encoding in ("identity", "") and declared and declared.isdigit() and int(declared) > limit_bytes:
                raise SourceError(source, shown, _too_large(limit_bytes, f"announces {int(declared):,} bytes, "))
            decoder = _Decoder("" if encoding == "identity" else encoding)
            for raw in r.iter_raw():
                if time.monotonic() > deadline:
                    raise SourceError(source, shown, f"the answer did not end within {deadline_s or 4 * timeout_s:g} s "
                                      f"({size:,} bytes so far); try again later or raise the timeout")
                for piece in decoder.feed(raw):
                    size += len(piece)
                    if size > limit_bytes:
                        raise SourceError(source, shown, _too_large(limit_bytes, ""))
                    if to_file is not None:
                        to_file.write(piece)
                    else:
                        buf += piece
            if not decoder.finished():
                raise SourceError(source, shown, "the compressed answer ended early (cut short); try again later")
            return HttpAnswer(shown, r.status_code, dict(r.headers), None if to_file is not None else bytes(buf), size)
    except SourceError:
        raise
    except httpx.TimeoutException:
        raise SourceError(source, shown, f"no answer within {timeout_s:g} s; check the network or try again later") from None
    except httpx.RemoteProtocolError:
        raise SourceError(source, shown, f"the answer was cut short after {size:,} bytes; try again later") from None
    except zlib.error:
        raise SourceError(source, shown, "the compressed answer is corrupt; try again later") from None
    except httpx.ConnectError as exc:
        raise SourceError(source, shown, f"cannot connect ({_short(exc)}); check the network and --base-url") from None
    except httpx.InvalidURL:
        raise SourceError(source, shown, "not a valid URL; check --base-url") from None
    except httpx.HTTPError as exc:
        raise SourceError(source, shown, f"network error ({_short(exc)}); try again later") from None
    finally:
        if own:
            client.close()


def read_feed(url: str, *, what: str, limit_bytes: int, timeout_s: float, error) -> bytes:
    """The body of a feed the live service polls (a partner's DSN Now feed or Simple Schedule), read as
    :func:`read_bounded` reads: a failure raises ``error(url, reason)`` (``FeedError``) with its one-line reason."""
    try:
        return read_bounded(url, source=what, limit_bytes=limit_bytes, timeout_s=timeout_s).body or b""
    except SourceError as exc:
        raise error(url, exc.reason) from None


def make_client(timeout_s: float = DEFAULT_TIMEOUT_S) -> httpx.Client:
    """An httpx client with groundnet's user agent, timeouts and redirects followed (at most 5)."""
    return httpx.Client(timeout=httpx.Timeout(timeout_s), follow_redirects=True, max_redirects=5,
                        headers={"User-Agent": USER_AGENT}, trust_env=True)


def _too_large(limit_bytes: int, announced: str) -> str:
    return (f"the answer {announced}passes the {limit_bytes:,} byte limit (after decompression); "
            "ask for less (a group instead of everything) or check --base-url points at the right server")


def _short(exc: Exception) -> str:
    return " ".join(str(exc).split())[:120] or type(exc).__name__


def _public_url(url: httpx.URL) -> str:
    """The URL without user:password (never shown or logged)."""
    return str(url.copy_with(username=None, password=None)) if url.userinfo else str(url)


__all__ = ["HttpAnswer", "USER_AGENT", "make_client", "read_bounded", "read_feed", "retry_after_s"]
