"""The browser board in a real Chromium against a real ``groundnet serve`` with a replay clock.

What a person would check: every station is on the map and has a card; at a moment when the plan
has a contact, the map and the card show it; day and night are where the Sun says; the timeline
draws the plan; the replay controls move the time (and the URL); a station's outage reaches the
live page; the push survives blocked WebSockets and a server restart.
Screenshots of each view (wall screen and phone) land in test-artifacts/screens/.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from .conftest import PHONE, REPLAY_CLOCK, WALL, shoot
from .server import Server

pytestmark = pytest.mark.browser


def iso(t: datetime) -> str:
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse(s: str) -> datetime:
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def page_time(page) -> datetime:
    """The moment the page says it shows (the clock's machine-readable datetime)."""
    return parse(page.get_attribute("#clock-time", "datetime"))


def open_board(page, server: Server, query: str = "") -> None:
    page.goto(f"{server.url}/{query}")
    page.wait_for_selector("body[data-ready='1']")


def tracked_contact(server: Server) -> tuple[dict, datetime]:
    """A planned contact and a moment inside it at which the server's board says the antenna tracks it."""
    start = parse(REPLAY_CLOCK)
    plan = server.get("plan", start=iso(start), end=iso(start + timedelta(hours=24)))
    assert plan["contacts"], "the server planned no contact in the 24 h after the replay clock"
    for contact in sorted(plan["contacts"], key=lambda c: c["start"]):
        t0, t1 = parse(contact["start"]), parse(contact["end"])
        if t0 < start:
            continue
        mid = (t0 + (t1 - t0) / 2).replace(microsecond=0)
        board = server.get("board", at=iso(mid))
        antenna = next(a for a in board["antennas"] if a["id"] == contact["antenna_id"])
        if antenna["activity"] == "tracking" and any(t["spacecraft_id"] == contact["spacecraft_id"] for t in antenna["targets"]):
            return contact, mid
    pytest.fail("no planned contact shows as tracking on the server's board")


def test_page_loads_with_every_station(board_server, page):
    stations = {s["id"] for s in board_server.get("stations")}
    open_board(page, board_server)
    on_map = set(page.eval_on_selector_all("#map svg.world .station[data-station-id]", "els => els.map(e => e.dataset.stationId)"))
    cards = set(page.eval_on_selector_all("#cards .card[data-station-id]", "els => els.map(e => e.dataset.stationId)"))
    assert on_map == stations
    assert cards == stations
    assert page.locator("#map svg.world path.land").count() == 1, "the Natural Earth land layer is drawn"
    assert page.locator("#map svg.world path.night").count() >= 1, "day and night are drawn"
    # Every station marker is named for screen readers; the map is one Tab stop and the arrow keys
    # walk its markers (focus survives the redraw of every board).
    labels = page.eval_on_selector_all("#map svg.world .station", "els => els.map(e => [e.getAttribute('tabindex'), e.getAttribute('aria-label')])")
    assert all(label for _, label in labels)
    assert [tab for tab, _ in labels].count("0") == 1
    page.focus("#map svg.world .station[tabindex='0']")
    first = page.evaluate("() => document.activeElement.dataset.stationId")
    page.keyboard.press("ArrowRight")
    second = page.evaluate("() => document.activeElement.dataset.stationId")
    assert second in stations and second != first
    page.wait_for_timeout(1500)  # a board or two later
    assert page.evaluate("() => document.activeElement.dataset.stationId") == second
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#cards .card.selected[data-station-id='{second}']")
    shoot(page, "network-wall")
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(300)
    shoot(page, "network-phone")


def test_contact_shows_on_map_and_card(board_server, page):
    contact, moment = tracked_contact(board_server)
    antenna, craft = contact["antenna_id"], contact["spacecraft_id"]
    open_board(page, board_server, f"?t={iso(moment)}&paused=1&station={antenna}")
    assert page_time(page) == moment
    marker = page.locator(f"#map svg.world .station[data-station-id='{antenna}']")
    marker.wait_for()
    page.wait_for_function(
        "id => document.querySelector(`#map svg.world .station[data-station-id='${id}']`)?.dataset.activity === 'tracking'", arg=antenna)
    assert page.locator(f"#map svg.world [data-link='{antenna}:{craft}']").count() >= 1, "a line joins the antenna and its spacecraft"
    card = page.locator(f"#cards .card[data-station-id='{antenna}']")
    assert card.get_attribute("data-activity") == "tracking"
    assert card.locator(f"[data-spacecraft-id='{craft}']").inner_text().strip() == contact["spacecraft_name"]
    assert card.locator(".pill").text_content() == "Tracking"
    # The card says how the antenna's last contact ended: the state of the server's record.
    row = next(a for a in board_server.get("board", at=iso(moment))["antennas"] if a["id"] == antenna)
    if row["last_contact"] is not None:
        last = card.locator(".last")
        assert last.get_attribute("data-status") == (row["last_contact"]["status"] or "")
        assert row["last_contact"]["spacecraft_name"] in last.inner_text()
    else:
        assert card.locator(".last").count() == 0
    assert page.locator("#mode").text_content().startswith("Replay")
    shoot(page, "contact-wall")


def test_day_and_night_follow_the_sun(board_server, page):
    """The Sun's zenith point the page draws agrees with Skyfield's (DE ephemeris from skyfield-data)."""
    from groundnet.timebase import planetary_ephemeris, timescale

    moment = parse(REPLAY_CLOCK) + timedelta(hours=3, minutes=21)
    open_board(page, board_server, f"?t={iso(moment)}&paused=1")
    page.wait_for_selector("#map svg.world circle.sun")
    cx, cy = (float(page.get_attribute("#map svg.world circle.sun", a)) for a in ("cx", "cy"))
    # The map is equirectangular on a 1000 × 500 box: x = 500 + lon·1000/360, y = 250 − lat·500/180.
    lon, lat = (cx - 500) * 360 / 1000, (250 - cy) * 180 / 500
    t = timescale().from_datetime(moment)
    eph = planetary_ephemeris()
    ra, dec, _ = eph["earth"].at(t).observe(eph["sun"]).apparent().radec(epoch="date")
    expected_lon = (ra.hours - t.gast) * 15
    expected_lon = (expected_lon + 180) % 360 - 180
    tolerance_deg = 0.05  # the page's low-precision solar formulae: about 0.01°, far below a pixel
    assert abs(lat - dec.degrees) < tolerance_deg
    assert abs((lon - expected_lon + 180) % 360 - 180) < tolerance_deg


def test_timeline_renders_the_plan(board_server, page):
    moment = parse(REPLAY_CLOCK) + timedelta(hours=1)
    open_board(page, board_server, f"?view=timeline&t={iso(moment)}&paused=1")
    page.wait_for_selector(".tl-contact")
    # The page asks for the hour before and the 24 h after the moment shown.
    plan = board_server.get("plan", start=iso(moment - timedelta(hours=1)), end=iso(moment + timedelta(hours=24)))
    lo, hi = moment - timedelta(hours=1), moment + timedelta(hours=24)
    expected = {c["id"] for c in plan["contacts"] if parse(c["teardown_end"]) > lo and parse(c["setup_start"]) < hi}
    drawn = set(page.eval_on_selector_all(".tl-contact", "els => els.map(e => e.dataset.contactId)"))
    assert drawn == expected
    now_line = page.locator(".tl-now")
    assert now_line.is_visible()
    shoot(page, "timeline-wall")

    first = page.locator(".tl-contact").first
    contact_id = first.get_attribute("data-contact-id")
    contact = next(c for c in plan["contacts"] if c["id"] == contact_id)
    first.click()
    dialog = page.locator("#dialog")
    dialog.wait_for(state="visible")
    assert contact["spacecraft_name"] in dialog.inner_text()
    assert contact["antenna_id"] in dialog.inner_text()
    shoot(page, "timeline-contact-dialog")
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(300)
    shoot(page, "timeline-phone")


def test_replay_controls_change_the_time(board_server, page):
    moment = parse(REPLAY_CLOCK) + timedelta(hours=2)
    open_board(page, board_server, f"?t={iso(moment)}&paused=1")
    assert page_time(page) == moment

    page.select_option("#step", "600")
    page.click("#step-fwd")
    assert page_time(page) == moment + timedelta(minutes=10)
    page.wait_for_function("t => new URL(location.href).searchParams.get('t') === t",
                           arg=iso(moment + timedelta(minutes=10)))

    target = moment + timedelta(hours=5, minutes=17)
    page.fill("#time-input", target.strftime("%Y-%m-%d %H:%M:%S"))
    page.press("#time-input", "Enter")
    page.wait_for_function("t => document.querySelector('#clock-time').getAttribute('datetime').startsWith(t)", arg=iso(target)[:19])
    # The board shown is the server's board of that moment.
    page.wait_for_function("t => document.querySelector('#fresh').textContent.includes(t)", arg=target.strftime("%H:%M:%S"))
    assert f"t={iso(target)}".replace(":", "%3A") in page.url

    # Play at 600x: time runs ahead.
    page.select_option("#speed", "600")
    page.click("#play")
    page.wait_for_function("t => Date.parse(document.querySelector('#clock-time').getAttribute('datetime')) > t",
                           arg=(target + timedelta(minutes=5)).timestamp() * 1000)
    page.keyboard.press("Space")  # pause from the keyboard
    paused_at = page_time(page)
    page.wait_for_timeout(1200)
    assert page_time(page) == paused_at
    page.keyboard.press("ArrowLeft")
    assert page_time(page) == paused_at - timedelta(minutes=10)
    shoot(page, "replay-wall")

    # Back to live: the page follows the server's clock again (a replay clock here).
    page.click("#go-live")
    page.wait_for_function("() => document.body.dataset.mode === 'live'")
    page.wait_for_function("() => !new URL(location.href).searchParams.has('t')")


def test_other_views_render(board_server, page):
    open_board(page, board_server)
    page.keyboard.press("3")
    fleet = board_server.get("spacecraft")
    page.wait_for_selector("#sc-list [data-spacecraft-id]")
    assert page.locator("#sc-list [data-spacecraft-id]").count() == len(fleet)
    page.wait_for_selector("#sc-detail .stats")
    assert page.locator("#sc-detail h2").inner_text() == fleet[0]["name"]
    shoot(page, "spacecraft-wall")

    page.keyboard.press("4")
    assert page.locator("#view-events").is_visible()
    shoot(page, "events-wall")

    page.keyboard.press("5")
    assert page.locator("#view-partners").is_visible()
    page.wait_for_timeout(500)
    shoot(page, "partners-wall")
    page.set_viewport_size(PHONE)
    page.keyboard.press("3")
    page.wait_for_timeout(300)
    shoot(page, "spacecraft-phone")
    page.set_viewport_size(WALL)


def test_outage_reaches_the_page_live(board_server, page):
    """A station reports an outage: the live page shows it on the map, the card, the timeline and the log."""
    open_board(page, board_server, "?view=timeline")
    page.wait_for_function("() => document.body.dataset.link === 'open'")
    page.wait_for_selector(".tl-contact")
    now = parse(board_server.get("clock")["time"])
    plan = board_server.get("plan", start=iso(now), end=iso(now + timedelta(hours=3)))
    antenna = next(c["antenna_id"] for c in sorted(plan["contacts"], key=lambda c: c["start"]) if parse(c["setup_start"]) > now)
    event_id = f"browser-test-outage-{antenna}"
    board_server.post("events", {"event_id": event_id, "antenna_id": antenna, "kind": "outage_start", "time": iso(now),
                                 "detail": {"reason": "browser test"}}, board_server.token())
    # Pushed within a couple of seconds: the timeline shows the outage block, ...
    page.wait_for_selector(f".tl-row[data-station-id='{antenna}'] .tl-block.outage", timeout=30_000)
    shoot(page, "outage-timeline")
    # ... the map and the card show the antenna in outage, ...
    page.keyboard.press("1")
    page.wait_for_selector(f"#map svg.world .station[data-station-id='{antenna}'][data-activity='outage']")
    assert page.locator(f"#cards .card[data-station-id='{antenna}'] .pill").text_content() == "Outage"
    shoot(page, "outage-network")
    # ... and the event log has the report.
    page.keyboard.press("4")
    page.wait_for_selector(f"#events tr[data-event-id='{event_id}']")


def test_live_push_falls_back_to_server_sent_events(board_server, browser):
    """Where WebSockets cannot get through (some proxies), the page takes the SSE stream instead."""
    context = browser.new_context(viewport=WALL)
    context.add_init_script("window.WebSocket = undefined;")
    page = context.new_page()
    try:
        open_board(page, board_server)
        page.wait_for_function("() => document.body.dataset.transport === 'sse' && document.body.dataset.link === 'open'", timeout=30_000)
        # Boards keep coming once a second: three seconds on, the newest is under two seconds old.
        page.wait_for_timeout(3000)
        age = float(re.search(r"updated ([0-9.]+) s ago", page.locator("#fresh").text_content()).group(1))
        assert age < 2.0
        assert page.locator("#mode").text_content().startswith("Server replay")
    finally:
        context.close()


def test_page_recovers_when_the_server_restarts(tmp_path, browser):
    server = Server(tmp_path, REPLAY_CLOCK).start()
    context = browser.new_context(viewport=WALL)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        open_board(page, server)
        page.wait_for_function("() => document.body.dataset.link === 'open'")
        server.stop()
        page.wait_for_function("() => document.body.dataset.link === 'reconnecting'")
        assert page.locator("#mode").text_content() == "Offline"
        shoot(page, "server-down")
        seen = page.get_attribute("#clock-time", "datetime")
        server.start()
        page.wait_for_function("() => document.body.dataset.link === 'open'", timeout=60_000)
        # Fresh boards arrive again from the push.
        page.wait_for_function("t => document.querySelector('#clock-time').getAttribute('datetime') !== t", arg=seen)
        page.wait_for_function("() => /updated/.test(document.querySelector('#fresh').textContent)")
    finally:
        context.close()
        server.stop()


def test_launch_view_replays_the_first_acquisition(board_server, page):
    """ExoMars 2016: the table names the station the server says acquires first; replayed past its
    AOS, the map shows that station tracking the spacecraft, with the downlink drawn."""
    report = board_server.get("leop/scenarios/exomars_2016")  # the server's analysis (cached for the page)
    launch = report["launches"][0]
    first = launch["first_station"]
    aos = parse(launch["acquisitions"][0]["aos"])
    assert first and launch["acquisitions"][0]["station_id"] == first

    # From the network view by keyboard: the launch view starts paused at lift-off, in the URL.
    open_board(page, board_server)
    page.keyboard.press("6")
    page.wait_for_selector("body[data-launch='exomars_2016']", timeout=60_000)
    assert page_time(page) == parse(launch["launch"])
    page.wait_for_function("() => new URL(location.href).searchParams.get('scenario') === 'exomars_2016'")
    assert "view=launch" in page.url
    row = page.locator("#launch-table tbody tr").first
    assert row.get_attribute("data-station-id") == first
    assert first in row.locator("th").inner_text()
    assert page.locator(f".lc-timeline .tl-row[data-station-id='{first}'] .lc-pass").count() >= 1
    marker = f"#launch-map svg.world .station[data-station-id='{first}']"
    assert page.get_attribute(marker, "data-activity") == "idle", "no signal at lift-off"
    page.wait_for_selector("#launch-map svg.world path.land")
    shoot(page, "launch-liftoff-wall")

    # Just before AOS (separated, transmitter not yet on or not yet acquired): the station waits.
    page.fill("#time-input", (aos - timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M:%S"))
    page.press("#time-input", "Enter")
    page.wait_for_function("s => document.querySelector(s)?.dataset.activity === 'setup'", arg=marker)
    assert page.locator("#launch-map svg.world [data-spacecraft-id='leop']").count() == 1, "the spacecraft is on the map after separation"
    # Step past AOS with the replay controls: the station acquires and the link is drawn.
    page.select_option("#step", "600")
    page.click("#step-fwd")
    assert page_time(page) > aos
    page.wait_for_function("s => document.querySelector(s)?.dataset.activity === 'tracking'", arg=marker)
    assert "selected" in page.get_attribute(marker, "class"), "the acquiring station is highlighted"
    downlink = page.locator(f"#launch-map svg.world [data-link='{first}:leop'][data-direction='down']")
    assert downlink.count() == 1
    # drawn in the band the server names for the 8.41 GHz carrier (the page keeps no band table)
    assert report["scenario"]["downlink_band"] == "X"
    assert "band-x" in downlink.get_attribute("class").split()
    assert page.locator(f"#launch-table tr.current[data-station-id='{first}']").count() == 1
    assert first in page.locator("#launch-status .lc-phase").inner_text()
    assert page.locator("#launch-map svg.world path.track").count() >= 1, "the ground track is drawn"
    shoot(page, "launch-aos-wall")
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(300)
    shoot(page, "launch-aos-phone")
    page.locator("#launch-table").scroll_into_view_if_needed()
    shoot(page, "launch-table-phone")

    # Another scenario from the picker: the replay moves to its lift-off; its gaps are drawn.
    galileo = board_server.get("leop/scenarios/galileo_vs15")["launches"][0]
    page.set_viewport_size(WALL)
    page.select_option("#launch-scenario", "galileo_vs15")
    page.wait_for_selector("body[data-launch='galileo_vs15']", timeout=60_000)
    assert page_time(page) == parse(galileo["launch"])
    assert page.locator("#launch-table tbody tr").first.get_attribute("data-station-id") == galileo["first_station"]
    assert page.locator(".lc-network .lc-gap").count() == len(galileo["coverage"]["gaps"])
    page.locator(f".lc-events .ev-first_aos button").first.click()  # jump to the first AOS
    page.wait_for_function("s => document.querySelector(s)?.dataset.activity === 'tracking'",
                           arg=f"#launch-map svg.world .station[data-station-id='{galileo['first_station']}']")
    page.evaluate("() => window.scrollTo(0, 0)")
    shoot(page, "launch-galileo-wall")
