"""A loopback HTTP server that answers with recorded responses, and with each kind of bad answer.

``Loopback.route(path, body=..., status=..., headers=...)`` sets what a path answers (the query
string is matched too when the route has one). ``behaviour`` picks a misbehaving answer:
``forever`` (a body that never ends), ``truncate`` (Content-Length larger than what is sent),
``gzip-bomb`` (a small gzip body that inflates past any limit), ``slow`` (no answer for a while),
``cut-quietly`` (the first two thirds of the body, without Content-Length, then the connection
closed: a cut HTTP itself cannot see, as a proxy that gives up makes).
Every request is recorded (method, path, headers, body) so tests can check what was asked.
"""

from __future__ import annotations

import gzip
import http.server
import threading
import time
import zlib
from dataclasses import dataclass, field


BOMB_INFLATED_BYTES = 64 << 20


def gzip_bomb(_cache: list = []) -> bytes:  # noqa: B006 - made once per test run
    """About 64 KB of gzip that inflates to 64 MiB of zeros."""
    if not _cache:
        comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        block = b"\0" * (1 << 20)
        _cache.append(b"".join(comp.compress(block) for _ in range(BOMB_INFLATED_BYTES >> 20)) + comp.flush())
    return _cache[0]


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    behaviour: str | None = None
    etag: str | None = None  # answer 304 to If-None-Match with this tag


class Loopback:
    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[dict] = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                owner.requests.append({"method": self.command, "path": self.path, "headers": dict(self.headers),
                                       "body": body})
                route = owner.routes.get(self.path) or owner.routes.get(self.path.split("?")[0])
                if route is None:
                    return self._send(404, b"<html><body>Not Found</body></html>", {"Content-Type": "text/html"})
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    return self._send(304, b"", {"ETag": route.etag})
                headers = dict(route.headers)
                if route.etag:
                    headers["ETag"] = route.etag
                if route.behaviour == "forever":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/xml")
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    chunk = b"<dsn>" + b"<station name='x'/>" * 3000
                    try:
                        while True:
                            self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                    except (BrokenPipeError, ConnectionResetError, OSError):
                        return
                if route.behaviour == "truncate":
                    self.send_response(route.status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(route.body) * 2))
                    self.end_headers()
                    self.wfile.write(route.body)
                    self.wfile.flush()
                    self.close_connection = True
                    return
                if route.behaviour == "cut-quietly":
                    self.send_response(route.status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(route.body[: len(route.body) * 2 // 3])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                if route.behaviour == "gzip-bomb":
                    headers["Content-Encoding"] = "gzip"
                    return self._send(200, gzip_bomb(), headers)
                if route.behaviour == "gzip":
                    headers["Content-Encoding"] = "gzip"
                    return self._send(route.status, gzip.compress(route.body), headers)
                if route.behaviour == "slow":
                    time.sleep(3)
                return self._send(route.status, route.body, headers)

            def _send(self, status, body, headers):
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = _answer
            do_POST = _answer

        class Server(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address):  # a client that hung up on purpose
                pass

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def route(self, path: str, body: bytes | str = b"", status: int = 200, headers: dict | None = None,
              behaviour: str | None = None, etag: str | None = None) -> None:
        if isinstance(body, str):
            body = body.encode()
        self.routes[path] = Route(status, body, headers or {}, behaviour, etag)

    def hits(self, path_prefix: str) -> list[dict]:
        return [r for r in self.requests if r["path"].startswith(path_prefix)]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
