"""A loopback webhook receiver that checks each alert's HMAC-SHA256 signature and counts deliveries."""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from groundnet.operations.alerts import KEY_HEADER, SIGNATURE_HEADER, verify


class Receiver:
    def __init__(self, secret: str, fail_first: int = 0):
        self.secret = secret
        self.fail_first = fail_first  # answer 503 to this many attempts of each key before accepting it
        self.lock = threading.Lock()
        self.bodies: dict[str, list[bytes]] = defaultdict(list)  # accepted deliveries per idempotency key
        self.refused: dict[str, int] = defaultdict(int)
        self.bad_signatures = 0
        self.cut_short = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                declared = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(declared)
                key = self.headers.get(KEY_HEADER, "")
                with receiver.lock:
                    if len(body) < declared:  # the sender died mid-request (a kill -9): nothing was delivered
                        receiver.cut_short += 1
                        return
                    if not verify(receiver.secret, body, self.headers.get(SIGNATURE_HEADER, "")):
                        receiver.bad_signatures += 1
                        code = 401
                    elif json.loads(body)["idempotency_key"] != key:
                        code = 400
                    elif receiver.refused[key] < receiver.fail_first:
                        receiver.refused[key] += 1
                        code = 503
                    else:
                        receiver.bodies[key].append(body)
                        code = 200
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def keys(self) -> set[str]:
        with self.lock:
            return set(self.bodies)

    def payloads(self) -> list[dict]:
        with self.lock:
            return [json.loads(b[0]) for b in self.bodies.values()]
