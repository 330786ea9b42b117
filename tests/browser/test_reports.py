"""The Reports view in Chromium: bars per mission and the antenna x day heatmap, from a simulated span."""

from __future__ import annotations

import subprocess

import pytest

from .conftest import PHONE, WALL, shoot
from .server import Server, groundnet_command

CLOCK = "2026-11-21T06:00:00Z"


@pytest.fixture(scope="module")
def reports_server(tmp_path_factory, browser):
    work = tmp_path_factory.mktemp("reports")
    server = Server(work, CLOCK)
    faults = work / "faults.csv"
    faults.write_text("kind,start,end,antenna_id,spacecraft_id,reason\n"
                      "outage,2026-11-19T02:00:00Z,2026-11-19T09:00:00Z,KIR-2,,drive fault\n"
                      "maintenance,2026-11-20T06:00:00Z,2026-11-20T12:00:00Z,KRU-1,,feed swap\n"
                      "silent,2026-11-18T00:00:00Z,2026-11-18T12:00:00Z,MSP,,station computer hung\n")
    subprocess.run([*groundnet_command(), "simulate", "--start", "2026-11-18T00:00:00Z", "--days", "3", "--seed", "5",
                    "--faults", str(faults), "--database", server.database, "--format", "csv"],
                   check=True, capture_output=True, cwd=work)
    server.start()
    yield server
    server.stop()


@pytest.mark.browser
def test_reports_view_shows_bars_and_heatmap(reports_server, page):
    page.set_viewport_size(WALL)
    page.goto(f"{reports_server.url}/?view=reports")
    page.select_option("#reports-days", "7")
    page.wait_for_selector("#reports-bars svg.bars rect.bar-delivered")
    missions = reports_server.get("reports/performance", start="2026-11-15T00:00:00Z", end="2026-11-22T00:00:00Z",
                                  period="month", by="mission")
    with_contacts = {r["key"] for r in missions if r["contacts"]}
    labels = page.locator("#reports-bars text.bar-label").evaluate_all("els => els.map(e => e.textContent)")
    assert set(labels) == with_contacts and len(labels) == len(with_contacts)
    page.wait_for_selector("#reports-heatmap svg.heatmap rect.hm-cell")
    antennas = reports_server.get("stations")
    assert page.locator("#reports-heatmap text.hm-label").count() == len(antennas)
    assert page.locator("#reports-heatmap rect.hm-cell").count() == 7 * len(antennas)
    # The outage day of KIR-2 and the maintenance day of KRU-1 are outlined; MSP's silent day is not all green.
    titles = page.locator("#reports-heatmap rect.hm-cell title").evaluate_all("els => els.map(e => e.textContent)")
    kir2 = next(t for t in titles if t.startswith("KIR-2 2026-11-19"))
    assert "availability 70.8 %" in kir2
    msp = next(t for t in titles if t.startswith("MSP 2026-11-18"))
    assert " missed" in msp and ", 0 missed" not in msp
    assert page.locator("#reports-bars .reports-silent").count() == 0, "the simulated stations reported"
    shoot(page, "reports-wall")
    page.locator("#reports-heatmap").scroll_into_view_if_needed()
    shoot(page, "reports-heatmap-wall")
    page.set_viewport_size(PHONE)
    page.locator("#reports-bars").scroll_into_view_if_needed()
    shoot(page, "reports-phone")
