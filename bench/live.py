"""Live push under load: N concurrent clients on loopback receiving the 1 Hz board.

Starts `groundnet serve` (SQLite in a temp dir, real-time clock), connects N WebSocket clients and
N SSE clients in turn, and measures for each board how long after the server built it
(`generated_at`) each client had it; reports p50/p99 delivery latency, boards received per client
and the server's CPU use over the measurement. WebSocket and SSE are the two peers measured in the
same run; the target is p99 < 250 ms for 1,000 clients.

    .venv/bin/python bench/live.py [--clients 1000] [--seconds 20] [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx
import websockets

ROOT = Path(__file__).resolve().parents[1]
GENERATED = re.compile(rb'"generated_at":"([^"]+)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stamp(text: bytes) -> float | None:
    m = GENERATED.search(text[:400])
    return datetime.fromisoformat(m.group(1).decode().replace("Z", "+00:00")).timestamp() if m else None


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _ws_client(url: str, until: float, out: list[float], counts: list[int], ready: asyncio.Event | None):
    async with websockets.connect(url, max_size=None, compression=None, open_timeout=60) as ws:
        n = 0
        while time.time() < until:
            try:
                msg = await asyncio.wait_for(ws.recv(), timeout=max(0.1, until - time.time()))
            except asyncio.TimeoutError:
                break
            now = time.time()
            data = msg.encode() if isinstance(msg, str) else msg
            if data.startswith(b'{"type":"board"'):
                t = _stamp(data)
                if t is not None and now >= start_measure:
                    out.append(now - t)
                    n += 1
        counts.append(n)


async def _sse_client(url: str, until: float, out: list[float], counts: list[int]):
    async with httpx.AsyncClient(timeout=None) as client:
        async with client.stream("GET", url) as r:
            n = 0
            async for line in r.aiter_lines():
                now = time.time()
                if now >= until:
                    break
                if line.startswith('data: {"type":"board"'):
                    t = _stamp(line[6:].encode())
                    if t is not None and now >= start_measure:
                        out.append(now - t)
                        n += 1
            counts.append(n)


start_measure = 0.0


async def _run(kind: str, base: str, clients: int, seconds: float, pid: int) -> dict:
    global start_measure
    lat: list[float] = []
    counts: list[int] = []
    connect_s = max(10.0, clients / 100)  # connecting 1,000 clients takes a few seconds
    start_measure = time.time() + connect_s
    until = start_measure + seconds
    if kind == "websocket":
        url = base.replace("http://", "ws://") + "/api/v1/live"
        tasks = [asyncio.create_task(_ws_client(url, until, lat, counts, None)) for _ in range(clients)]
    else:
        tasks = [asyncio.create_task(_sse_client(base + "/api/v1/live/sse", until, lat, counts)) for _ in range(clients)]
    await asyncio.sleep(max(0.0, start_measure - time.time()))
    cpu0, wall0 = _cpu_seconds(pid), time.time()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    cpu = (_cpu_seconds(pid) - cpu0) / (time.time() - wall0)
    errors = [r for r in results if isinstance(r, BaseException)]
    lat.sort()
    q = statistics.quantiles(lat, n=100) if len(lat) > 100 else [float("nan")] * 99
    return {"transport": kind, "clients": clients, "connected": clients - len(errors), "boards": len(lat),
            "boards_per_client_s": len(lat) / max(1, clients - len(errors)) / seconds,
            "p50_ms": q[49] * 1000, "p99_ms": q[98] * 1000, "max_ms": (lat[-1] if lat else float("nan")) * 1000,
            "server_cpu": cpu, "errors": sorted({type(e).__name__ for e in errors})}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=1000)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--record", action="store_true", help="Write the figures into bench/RESULTS.md.")
    args = ap.parse_args()
    port = _free_port()
    tmp = tempfile.mkdtemp(prefix="groundnet-bench-")
    env = {**os.environ, "GROUNDNET_PLAN_AHEAD_H": "2", "GROUNDNET_PLAN_BEHIND_H": "1"}
    server = subprocess.Popen([sys.executable, "-c", "from groundnet.cli import main; main()", "serve", "--port",
                               str(port), "--database", f"sqlite:///{tmp}/bench.sqlite", "--simulate"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/api/v1/clock", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        board_bytes = len(httpx.get(base + "/api/v1/board").content)
        rows = [asyncio.run(_run(kind, base, args.clients, args.seconds, server.pid)) for kind in ("websocket", "sse")]
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(f"live push: {args.clients} clients, {args.seconds:.0f} s each, board {board_bytes / 1024:.1f} KiB, "
          f"{os.cpu_count()} cores (clients and server share them)")
    print(f"{'transport':<10} {'connected':>9} {'boards/s/client':>15} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} "
          f"{'server CPU':>10}")
    for r in rows:
        print(f"{r['transport']:<10} {r['connected']:>9} {r['boards_per_client_s']:>15.2f} {r['p50_ms']:>8.1f} "
              f"{r['p99_ms']:>8.1f} {r['max_ms']:>8.1f} {r['server_cpu'] * 100:>9.0f}%"
              + (f"  errors: {', '.join(r['errors'])}" if r["errors"] else ""))
    ws = rows[0]
    print(f"target p99 < 250 ms: websocket p99 is {ws['p99_ms'] / 250:.2f}x the target; "
          f"sse/websocket p99 ratio {rows[1]['p99_ms'] / ws['p99_ms']:.2f}")
    if args.record:
        _record(rows, args, board_bytes)


def _record(rows: list[dict], args, board_bytes: int) -> None:
    path = ROOT / "bench" / "RESULTS.md"
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    head = "## Live push (bench/live.py)"
    lines = [head, "",
             f"{args.clients} concurrent clients on loopback, {args.seconds:.0f} s per transport, 1 Hz board of "
             f"{board_bytes / 1024:.1f} KiB (37 antennas, 35 spacecraft), simulator on, SQLite; server and clients "
             f"share the {os.cpu_count()} cores. Latency: client receive time minus the board's `generated_at`. "
             f"Measured {time.strftime('%Y-%m-%d', time.gmtime())}.", "",
             "| transport | clients connected | boards/s per client | p50 ms | p99 ms | max ms | server CPU |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['transport']} | {r['connected']} | {r['boards_per_client_s']:.2f} | {r['p50_ms']:.1f} | "
                     f"{r['p99_ms']:.1f} | {r['max_ms']:.1f} | {r['server_cpu'] * 100:.0f}% |")
    lines += ["", f"Target: p99 < 250 ms (WebSocket p99 = {rows[0]['p99_ms'] / 250:.2f}× the target).", ""]
    block = "\n".join(lines)
    if head in text:
        start = text.index(head)
        nxt = text.find("\n## ", start + len(head))
        text = text[:start] + block + ("" if nxt < 0 else text[nxt + 1:])
    else:
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text)


if __name__ == "__main__":
    main()
