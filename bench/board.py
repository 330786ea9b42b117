"""First meaningful paint of the browser board on localhost, in Debian's chromium.

Starts a real ``groundnet serve`` (temporary SQLite database, replay clock), then loads the page
in fresh browser contexts (cold cache) and once more in a warm one. "Meaningful" is the moment the
page has drawn the Natural Earth map and every station from the server's first board: the page
marks it with ``performance.mark("groundnet:board-painted")``. Printed beside it: first contentful
paint, DOMContentLoaded, bytes transferred, and, measured in the same run, the time the server
needs to answer ``GET /api/v1/board`` alone (the floor no page can beat). Target: under 2 s.

    .venv/bin/python bench/board.py [--runs 5] [--record]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from _results import record_section  # noqa: E402
from browser.server import CHROMIUM, CHROMIUM_ARGS, Server, check_environment  # noqa: E402

CLOCK = "2026-11-21T06:00:00Z"
TARGET_MS = 2000.0
SECTION = "## Browser board: first meaningful paint (bench/board.py)"

MEASURE = """() => {
  const paint = Object.fromEntries(performance.getEntriesByType('paint').map(e => [e.name, e.startTime]));
  const nav = performance.getEntriesByType('navigation')[0];
  const mark = performance.getEntriesByName('groundnet:board-painted')[0];
  const bytes = performance.getEntriesByType('resource').reduce((s, r) => s + (r.transferSize || 0), nav.transferSize || 0);
  return {fmp: mark ? mark.startTime : null, fcp: paint['first-contentful-paint'] ?? null,
          dcl: nav.domContentLoadedEventEnd, bytes};
}"""


def load(page, url: str) -> dict:
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']", timeout=30_000)
    return page.evaluate(MEASURE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="cold page loads (fresh browser context each)")
    parser.add_argument("--record", action="store_true", help="write the figures into bench/RESULTS.md")
    args = parser.parse_args()
    check_environment()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp), CLOCK).start()
        try:
            stations = len(server.get("stations"))
            api_ms = []
            for _ in range(args.runs):
                t0 = time.perf_counter()
                httpx.get(f"{server.url}/api/v1/board", timeout=30).raise_for_status()
                api_ms.append((time.perf_counter() - t0) * 1000)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                cold = []
                for _ in range(args.runs):
                    context = browser.new_context(viewport={"width": 1920, "height": 1080})
                    cold.append(load(context.new_page(), server.url + "/"))
                    context.close()
                context = browser.new_context(viewport={"width": 1920, "height": 1080})
                page = context.new_page()
                load(page, server.url + "/")
                warm = load(page, server.url + "/")
                context.close()
                browser.close()
        finally:
            server.stop()

    fmp = statistics.median(r["fmp"] for r in cold)
    rows = [
        ("first meaningful paint, cold (median)", f"{fmp:.0f} ms"),
        ("first meaningful paint, cold (worst)", f"{max(r['fmp'] for r in cold):.0f} ms"),
        ("first meaningful paint, warm cache", f"{warm['fmp']:.0f} ms"),
        ("first contentful paint, cold (median)", f"{statistics.median(r['fcp'] for r in cold):.0f} ms"),
        ("DOMContentLoaded, cold (median)", f"{statistics.median(r['dcl'] for r in cold):.0f} ms"),
        ("bytes transferred, cold", f"{cold[0]['bytes'] / 1024:.0f} KiB"),
        ("GET /api/v1/board alone (median, same run)", f"{statistics.median(api_ms):.0f} ms"),
        ("stations drawn", str(stations)),
        ("target / first meaningful paint", f"{TARGET_MS / fmp:.1f}× under the 2 s target" if fmp < TARGET_MS else f"{fmp / TARGET_MS:.1f}× OVER the 2 s target"),
        ("first meaningful paint / board API alone", f"{fmp / statistics.median(api_ms):.1f}×"),
    ]
    width = max(len(k) for k, _ in rows)
    print(f"{'measure':<{width}}  value")
    for k, v in rows:
        print(f"{k:<{width}}  {v}")

    if args.record:
        table = "\n".join(["| measure | value |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows)])
        body = (f"{SECTION}\n\n{time.strftime('%Y-%m-%d', time.gmtime())}, {args.runs} cold loads in Debian's chromium "
                f"(headless) on this 2-core machine, 1920×1080, `groundnet serve` on loopback with a replay clock "
                f"({CLOCK}). Meaningful = the Natural Earth map and every station of the first board drawn "
                f"(`performance.mark(\"groundnet:board-painted\")`).\n\n{table}\n")
        written = record_section(body)
        print(f"recorded in {written.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
