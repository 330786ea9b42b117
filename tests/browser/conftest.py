"""Fixtures for the browser board tests: Debian's chromium through Playwright, and a real server."""

from __future__ import annotations

from pathlib import Path

import pytest

from .server import CHROMIUM, CHROMIUM_ARGS, ROOT, BoardEnvironmentError, Server, check_environment

# The server replays this moment (not the wall clock), so that every run sees the same plan.
REPLAY_CLOCK = "2026-11-21T06:00:00Z"
# The display zone the board servers are configured with (groundnet.toml display.time_zone): the board's
# "local time", and the zone the launch view shows beside UTC. CET in winter (UTC+01:00), CEST in summer.
DISPLAY_ZONE = "Europe/Madrid"
SCREENS = ROOT / "test-artifacts" / "screens"
WALL = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser():
    # Module scope: Playwright's sync API runs an event loop while it is open, which later
    # tests that call asyncio.run() must not find.
    try:
        check_environment()
    except BoardEnvironmentError as exc:
        pytest.fail(str(exc))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def board_server(tmp_path_factory, browser, shared_data):
    partner = shared_data / "feeds" / "dsn_now_2022-12-07.xml"
    server = Server(tmp_path_factory.mktemp("serve"), REPLAY_CLOCK, extra=["--partner-dsn", str(partner)],
                    config=f'[display]\ntime_zone = "{DISPLAY_ZONE}"\n').start()
    yield server
    try:
        server.check_alive()  # a server that died mid-module says why, once
    finally:
        server.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=WALL)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.set_default_timeout(20_000)
    yield pg
    context.close()
    assert not errors, f"the page raised: {errors}"


def shoot(page, name: str) -> Path:
    """Save a screenshot under test-artifacts/screens/ (ignored by git) for people to look at."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
