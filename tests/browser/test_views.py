"""Every view of the board in a real Chromium, for every kind of spacecraft, with what a person checks:
nothing broken or raw ("none", "NaN", -1) on screen, the timeline readable at its zoom and honest about
the past in a replay, a sky plot with the horizon mask, the element age, the stale-data badge, local
time, labels inside the map, text inside its panel, and every control reachable and named.
Screenshots of each (wall screen and phone) land in test-artifacts/screens/.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from .conftest import DISPLAY_ZONE, PHONE, REPLAY_CLOCK, WALL, shoot
from .test_board import iso, open_board, page_time, parse

pytestmark = pytest.mark.browser

# One craft of each kind the demo flies: LEO, MEO (Galileo), highly elliptical, deep space placed at its
# planet, and flown from an SPK kernel.
KINDS = {"leo": "ISS", "meo": "GSAT0101", "heo": "XMM-NEWTON", "planet": "MEX", "spk": "SOLO"}
VIEWS = ["network", "timeline", "spacecraft", "events", "partners", "launch"]

# Raw values that must never reach a person: as whole words in the text, or whole attribute values.
RAW = re.compile(r"(?<![\w-])(none|None|NaN|undefined|null|Infinity|-1)(?![\w-])")
SCAN = """() => {
  const texts = [document.body.innerText];
  for (const el of document.querySelectorAll('[aria-label], [title]')) {
    if (el.closest('[hidden]')) continue;
    texts.push(el.getAttribute('aria-label') ?? '', el.getAttribute('title') ?? '');
  }
  return texts.join('\\n');
}"""


def raw_values(page) -> list[str]:
    text = page.evaluate(SCAN)
    return sorted({m.group(0) + " in «" + text[max(0, m.start() - 40):m.end() + 20].replace("\n", " ") + "»"
                   for m in RAW.finditer(text)})


def moment_in_plan(server, hours: float = 2) -> datetime:
    return parse(REPLAY_CLOCK) + timedelta(hours=hours)


@pytest.mark.parametrize("kind", list(KINDS))
def test_spacecraft_view_works_for_every_kind(board_server, page, kind):
    craft = KINDS[kind]
    info = board_server.get(f"spacecraft/{craft}")
    open_board(page, board_server, f"?view=spacecraft&spacecraft={craft}&t={iso(moment_in_plan(board_server))}&paused=1")
    page.wait_for_selector("#sc-detail .stats")
    assert page.locator("#sc-detail h2").inner_text() == info["name"]
    assert page.locator(f"#sc-list [data-spacecraft-id='{craft}'][aria-current='true']").count() == 1
    facts = page.locator("#sc-detail dl.facts").inner_text()
    assert "Trajectory" in facts
    badge = page.locator("#sc-detail .sc-title .age-badge")
    if info.get("elements_epoch"):
        assert re.match(r"elements \d+ (d|h|min)", badge.inner_text()), badge.inner_text()
        assert "Elements epoch" in facts
    else:  # a trajectory has no element age: said so, not a broken date
        assert "elements" not in badge.inner_text()
        assert "Elements epoch" not in facts
    assert raw_values(page) == []
    # Choosing another craft from the list replaces the details (never the previous craft's).
    other = "MEX" if craft != "MEX" else "SOLO"
    page.click(f"#sc-list [data-spacecraft-id='{other}']")
    page.wait_for_function("n => document.querySelector('#sc-detail h2')?.textContent === n",
                           arg=board_server.get(f"spacecraft/{other}")["name"])
    page.click(f"#sc-list [data-spacecraft-id='{craft}']")
    page.wait_for_function("n => document.querySelector('#sc-detail h2')?.textContent === n", arg=info["name"])
    shoot(page, f"spacecraft-{kind}-wall")
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(300)
    # Nothing in the details (a kernel's long path in "Source") widens the page on a phone.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    # The next passes: each row a block of labelled figures, the table never scrolled sideways.
    table = page.evaluate("""() => { const wrap = document.querySelector('#sc-detail .table-wrap');
      return wrap && {wrap: [wrap.scrollWidth, wrap.clientWidth],
        labels: [...wrap.querySelectorAll('tbody tr:first-child td')].map(td => getComputedStyle(td, '::before').content),
        overflowing: [...wrap.querySelectorAll('td')].filter(td => td.scrollWidth > td.clientWidth + 1).map(td => td.innerText)}; }""")
    assert table is not None, "no passes table"
    assert table["wrap"][0] <= table["wrap"][1] + 1, f"the passes table scrolls sideways: {table['wrap']}"
    assert table["labels"][:3] == ['"Next AOS"', '"LOS"', '"Max el."'], table["labels"]
    assert table["overflowing"] == [], "cells run into their neighbours"
    shoot(page, f"spacecraft-{kind}-phone")
    page.evaluate("() => document.querySelector('#sc-detail .table-wrap').scrollIntoView()")  # the details redraw
    shoot(page, f"spacecraft-{kind}-phone-passes")


def test_spacecraft_view_in_a_replay_is_of_the_moment_shown(board_server, page):
    """Replaying a moment other than the server clock's, the spacecraft view gives the distance and the next
    passes at the moment shown (GET /api/v1/spacecraft/{id}?at=), not at the server's clock."""
    moment = moment_in_plan(board_server, 7)
    server_now = board_server.get("spacecraft/ISS")
    then = board_server.get("spacecraft/ISS", at=iso(moment))
    assert round(then["distance"]["geocentric_km"]) != round(server_now["distance"]["geocentric_km"])
    open_board(page, board_server, f"?view=spacecraft&spacecraft=ISS&t={iso(moment)}&paused=1")
    page.wait_for_selector("#sc-detail table.passes tbody tr")
    stats = dict(page.eval_on_selector_all("#sc-detail .stat", "els => els.map(e => [e.firstChild.textContent, e.lastChild.textContent])"))
    assert stats["From Earth"] == f"{then['distance']['geocentric_km']:.0f} km"
    first = min((p for p in then["next_passes"] if parse(p["los"]) >= moment), key=lambda p: p["aos"])
    row = page.locator("#sc-detail table.passes tbody tr").first
    assert row.get_attribute("data-station-id") == first["station_id"]
    assert parse(first["aos"]) > moment - timedelta(minutes=15)
    assert "Distance and speed at" not in page.locator("#sc-detail").inner_text(), "paused: the details are of the moment shown"


@pytest.mark.parametrize("size", ["wall", "phone"])
def test_no_raw_value_in_any_view(board_server, page, size):
    page.set_viewport_size(WALL if size == "wall" else PHONE)
    moment = moment_in_plan(board_server, 3)
    open_board(page, board_server, f"?t={iso(moment)}&paused=1")
    for i, view in enumerate(VIEWS, start=1):
        page.keyboard.press(str(i))
        page.wait_for_function("v => !document.querySelector(`#view-${v}`).hidden", arg=view)
        ready = {"timeline": ".tl-contact", "spacecraft": "#sc-detail .stats", "partners": "#partner-cards .card",
                 "events": "#events tr", "launch": "body[data-launch]"}.get(view)
        if ready:
            page.wait_for_selector(ready, timeout=60_000)
        page.wait_for_timeout(400)
        assert raw_values(page) == [], f"the {view} view shows raw values"
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), f"the {view} view scrolls sideways"
        # A legend's swatch never parts from its name (one line each).
        shown, swatches, parted = page.evaluate("""() => {
          const items = [...document.querySelectorAll('.legend-inline > span')].filter(s => s.offsetParent);
          const swatches = [...document.querySelectorAll('.legend-inline .sw')].filter(s => s.offsetParent);
          return [items.length, swatches.length, items.filter(s => s.getBoundingClientRect().height > 1.6 * parseFloat(getComputedStyle(s).fontSize))
            .map(s => s.textContent)];
        }""")
        assert parted == [] and shown == swatches and (view != "timeline" or shown >= 7), \
            f"the {view} view's legend: {shown} items for {swatches} swatches, parted {parted}"
        shoot(page, f"view-{view}-{size}")


def test_timeline_zoom_makes_a_short_contact_readable(board_server, page):
    moment = moment_in_plan(board_server, 1)
    plan = board_server.get("plan", start=iso(moment - timedelta(hours=1)), end=iso(moment + timedelta(hours=24)))
    ahead = [c for c in plan["contacts"] if parse(c["start"]) > moment + timedelta(minutes=20)]
    short = min(ahead, key=lambda c: parse(c["end"]) - parse(c["start"]))
    minutes = (parse(short["end"]) - parse(short["start"])).total_seconds() / 60
    assert minutes <= 12, f"the demo plan has a short contact (shortest ahead: {minutes:.1f} min)"
    open_board(page, board_server, f"?view=timeline&t={iso(moment)}&paused=1")
    bar = page.locator(f".tl-contact[data-contact-id='{short['id']}']")
    bar.wait_for()
    # The whole day: a short contact is a sliver and carries no clipped text (its name is in its label).
    assert bar.bounding_box()["width"] < 30
    assert bar.locator(".tl-label").count() == 0
    assert short["spacecraft_name"] in bar.get_attribute("aria-label")
    # Where its lane is free, a narrow contact's name is written beside it: never over another bar, never a stub.
    beside, crossed = page.evaluate("""() => {
      const out = [...document.querySelectorAll('.tl-outside')];
      const bad = [];
      for (const o of out) {
        const r = o.getBoundingClientRect();
        for (const b of o.parentElement.querySelectorAll('.tl-contact, .tl-block')) {
          const q = b.getBoundingClientRect();
          if (q.left < r.right - 1 && q.right > r.left + 1) bad.push(o.textContent);
        }
        if (o.scrollWidth > o.clientWidth + 1 && r.width < 40) bad.push(`${o.textContent} cut to ${r.width} px`);
      }
      return [out.length, bad];
    }""")
    assert beside > 0 and crossed == []
    shoot(page, "timeline-day-wall")

    page.select_option("#tl-zoom", "1")
    bar = page.locator(f".tl-contact[data-contact-id='{short['id']}']")
    bar.scroll_into_view_if_needed()
    width = bar.bounding_box()["width"]
    assert width > 150, f"at the 1 h zoom the {minutes:.0f}-minute contact is {width:.0f} px wide"
    label = bar.locator(".tl-label")
    assert label.inner_text().startswith(short["spacecraft_name"])
    assert page.evaluate("el => el.scrollWidth <= el.clientWidth + 1", label.element_handle()), "the label is not clipped"
    # Ticks every 10 minutes at this zoom, labelled.
    assert page.locator(".tl-tick.major").count() > 24
    shoot(page, "timeline-zoom-1h-wall")
    # The contact's sky plot, from its dialog.
    bar.click()
    page.locator("#dialog .sky-btn").click()
    page.wait_for_selector(f"#dialog figure.skyplot-figure[data-station-id='{short['antenna_id']}'] path.pass")
    shoot(page, "timeline-contact-skyplot-wall")
    page.keyboard.press("Escape")
    # Zoom out by the button, back to the whole plan; the line at the moment shown stays in sight.
    for _ in range(4):
        page.click("#tl-zoom-out")
    assert page.input_value("#tl-zoom") == "0"
    assert page.locator(".tl-now").is_visible()


@pytest.mark.parametrize("size", ["wall", "phone"])
def test_zoomed_timeline_keeps_names_and_labels_in_sight(board_server, page, size):
    """Zoomed to 1 h and scrolled sideways: every row still says its antenna at the left edge, a contact that
    began off screen still says its spacecraft at the lane's edge, the line of a moment scrolled away never
    crosses the names, and the axis is labelled (a phone too)."""
    page.set_viewport_size(WALL if size == "wall" else PHONE)
    open_board(page, board_server, f"?view=timeline&t={iso(moment_in_plan(board_server, 2))}&paused=1")
    page.wait_for_selector(".tl-contact")
    page.select_option("#tl-zoom", "1")
    page.locator(".tl-scroll").evaluate("el => { el.scrollLeft += el.clientWidth * 2.5; }")
    page.wait_for_timeout(300)
    seen = page.evaluate("""() => {
      const sc = document.querySelector('.tl-scroll');
      const box = sc.getBoundingClientRect();
      const names = [...document.querySelectorAll('.tl-row[data-station-id] .tl-name')];
      const lane = box.left + names[0].getBoundingClientRect().width;
      const long = [...document.querySelectorAll('.tl-contact')].filter(b => {
        const r = b.getBoundingClientRect();
        return r.left < lane - 20 && r.right > lane + 80;
      }).map(b => {
        const label = b.querySelector('.tl-label')?.getBoundingClientRect();
        return [b.dataset.contactId, label ? label.left - lane : null, label ? label.width : 0];
      });
      const now = document.querySelector('.tl-now');
      const ticks = [...document.querySelectorAll('.tl-tick.major')].filter(t => {
        const r = t.getBoundingClientRect();
        return t.textContent && r.left >= lane && r.right <= box.right && getComputedStyle(t).color !== 'rgba(0, 0, 0, 0)';
      }).length;
      // A label scrolled half under the names is hidden, never shown as a stub of its last letters.
      const stubs = [...document.querySelectorAll('.tl-contact > .tl-label')].filter(l => {
        const r = l.getBoundingClientRect();
        return getComputedStyle(l).visibility !== 'hidden' && r.right > lane && r.left < lane - 1;
      }).map(l => l.textContent);
      return {scrolled: sc.scrollLeft, names: names.map(n => n.getBoundingClientRect().left - box.left), long, ticks, stubs,
              nowX: now.getBoundingClientRect().left - lane, nowHidden: now.hidden || getComputedStyle(now).visibility === 'hidden'};
    }""")
    assert seen["scrolled"] > 0
    assert all(abs(x) <= 1 for x in seen["names"]), "antenna names stay at the left edge"
    assert seen["long"], "contacts that began off screen reach into the lane"
    for contact_id, left, width in seen["long"]:
        assert left is not None and -1 <= left <= 2 and width > 30, (contact_id, left, width)
    assert seen["nowX"] < 0 and seen["nowHidden"], "the line of the moment shown, scrolled away, is hidden"
    assert seen["stubs"] == [], "labels cut by the names column"
    assert seen["ticks"] >= 3, "the axis is labelled at this zoom"
    shoot(page, f"timeline-zoom-1h-scrolled-{size}")


def test_stale_elements_on_station_cards_and_the_map(board_server, page):
    """A contact whose spacecraft's element set is older than the limit `groundnet passes` warns past (by orbit
    class, from GET /api/v1/display) gets the age badge on its station card and a stale marker on the map;
    a trajectory (Mars Express, Solar Orbiter) never does. At a moment 10 days after the demo's epochs, a LEO
    set is past its 7 d limit while a Galileo (MEO, 14 d) set is not."""
    limits = board_server.get("display")["element_age_limit_days"]
    epochs = {sc["id"]: parse(sc["elements_epoch"]) for sc in board_server.get("spacecraft") if sc["elements_epoch"]}
    assert set(limits) == set(epochs) and "MEX" not in limits and "SOLO" not in limits

    def stale(craft: str, at: datetime) -> bool:
        return craft in limits and (at - epochs[craft]).total_seconds() / 86400 > limits[craft]

    def map_marks() -> dict:
        return dict(page.eval_on_selector_all("#map svg.world .craft", """els => els.map(e =>
          [e.dataset.spacecraftId, [e.classList.contains('stale'), e.querySelector('title').textContent]])"""))

    moment = moment_in_plan(board_server, 2)
    open_board(page, board_server, f"?t={iso(moment)}&paused=1")
    page.wait_for_selector("#cards .card .age-badge.stale")
    board = board_server.get("board", at=iso(moment))
    checked = 0
    for a in board["antennas"]:
        expected = [t["name"] for t in a["targets"] if stale(t["spacecraft_id"], moment)]
        badges = page.locator(f"#cards .card[data-station-id='{a['id']}'] .targets .age-badge.stale")
        assert badges.count() == len(expected), a["id"]
        checked += len(expected)
        for badge in badges.all():
            assert re.match(r"elements \d+ d \d+ h old", badge.inner_text())
            assert "fetch fresh elements" in badge.get_attribute("title")
    assert checked > 0, "the replay shows contacts of Earth orbiters"
    marks = map_marks()
    assert marks["MEX"][0] is False and marks["SOLO"][0] is False
    for craft, (is_stale, title) in marks.items():
        assert is_stale == stale(craft, moment), craft
        if is_stale:
            assert f"past the {limits[craft]:g} d limit" in title
    assert page.locator("#map svg.world .craft.stale.in-view .stale-ring").count() >= 1
    shoot(page, "stale-elements-cards-wall")

    ten_days = epochs["ISS"] + timedelta(days=10)
    assert stale("ISS", ten_days) and not stale("GSAT0101", ten_days)
    page.goto(f"{board_server.url}/?t={iso(ten_days)}&paused=1")  # far from the stored plan: made on the fly
    page.wait_for_selector("body[data-ready='1']", timeout=120_000)
    page.wait_for_function("t => document.querySelector('#clock-time').getAttribute('datetime').startsWith(t)", arg=iso(ten_days)[:16])
    page.wait_for_selector("#map svg.world .craft.stale[data-spacecraft-id='ISS']", timeout=60_000)
    marks = map_marks()
    assert marks["ISS"][0] and not marks["GSAT0101"][0]
    for craft, (is_stale, _) in marks.items():
        assert is_stale == stale(craft, ten_days), craft


def test_spacecraft_list_judges_element_age_once_the_limits_arrive(board_server, page):
    """The element-age limits (GET /api/v1/display) may arrive after the fleet's list is drawn: the list's badges
    are judged again then (they stayed green, "fresh", on a paused page)."""
    held = []
    page.route("**/api/v1/display", lambda route: held.append(route))
    page.goto(f"{board_server.url}/?view=spacecraft&spacecraft=ISS&t={iso(moment_in_plan(board_server, 2))}&paused=1")
    badge = page.locator("#sc-list [data-spacecraft-id='ISS'] .age-badge")
    badge.wait_for()
    page.wait_for_function("() => document.querySelector('#sc-detail .stats')")
    page.wait_for_timeout(1500)  # the list drawn again with the board of the moment, its texts settled
    assert held and "stale" not in badge.get_attribute("class"), "no limit known yet: no judgement"
    held[0].continue_()
    page.wait_for_selector("#sc-list [data-spacecraft-id='ISS'] .age-badge.stale")


def test_views_without_a_board_say_why_they_are_empty(board_server, page):
    """Reports of a service whose stations never reported say so (not a chart of red failures alone), and a view
    that shows no board of the moment does not claim to be loading one."""
    page.goto(f"{board_server.url}/?view=reports&t={iso(moment_in_plan(board_server, 2))}&paused=1")
    page.wait_for_selector("#reports-bars svg.bars")
    note = page.locator("#reports-bars .reports-silent")
    assert note.is_visible() and "No station reported on its contacts" in note.inner_text()
    assert "groundnet agent" in note.inner_text()
    page.wait_for_function("() => document.querySelector('#mode').textContent.startsWith('Replay')")
    assert page.locator("#fresh").inner_text() == ""
    shoot(page, "reports-silent-wall")
    page.click("a[data-view='residuals']")
    page.wait_for_timeout(500)
    assert "loading" not in page.locator("#fresh").inner_text()


def test_reports_fit_a_phone(board_server, page):
    """On a phone the service-hours figures stay beside their bars and every day of the heatmap is in sight
    (the latest days matter most): nothing cut at the screen's edge, nothing to scroll sideways to."""
    page.set_viewport_size(PHONE)
    page.goto(f"{board_server.url}/?view=reports&t={iso(moment_in_plan(board_server, 2))}&paused=1")
    page.wait_for_selector("#reports-bars svg.bars")
    page.wait_for_selector("#reports-heatmap svg.heatmap rect")
    seen = page.evaluate("""() => {
      const width = window.innerWidth;
      const cut = [...document.querySelectorAll('#reports-bars text, #reports-heatmap text')]
        .filter(t => { const r = t.getBoundingClientRect(); return r.width && (r.left < 0 || r.right > width); }).map(t => t.textContent);
      const heat = document.querySelector('#reports-heatmap svg.heatmap').getBoundingClientRect();
      return {cut, values: document.querySelectorAll('#reports-bars .bar-value').length, heatRight: heat.right, width,
              page: document.documentElement.scrollWidth};
    }""")
    assert seen["values"] > 0 and seen["cut"] == [], seen["cut"]
    assert seen["heatRight"] <= seen["width"] and seen["page"] <= seen["width"]
    shoot(page, "reports-phone")


def test_replay_distinguishes_done_ahead_and_failed(board_server, page):
    """In a replay of the past, what ended before the moment shown is done, what starts after is ahead,
    whatever the server's clock says now; a contact hit by an outage is failed; the line says "replay"."""
    now = parse(board_server.get("clock")["time"])
    plan = board_server.get("plan", start=iso(now - timedelta(hours=1)), end=iso(now + timedelta(hours=6)))
    contacts = sorted(plan["contacts"], key=lambda c: c["start"])
    victim = next(c for c in contacts if parse(c["start"]) > now + timedelta(minutes=30))
    # An outage over a planned contact: the server marks the contact failed.
    board_server.post("events", {"event_id": f"replay-failed-{victim['id']}", "antenna_id": victim["antenna_id"],
                                 "kind": "outage_start", "time": iso(parse(victim["start"]) + timedelta(seconds=30)),
                                 "detail": {"reason": "replay test"}}, board_server.token("replay-test"))
    # The moment shown: an hour after the victim's start, so that contacts before are done and after are ahead.
    moment = parse(victim["end"]) + timedelta(minutes=30)
    open_board(page, board_server, f"?view=timeline&t={iso(moment)}&paused=1")
    page.wait_for_selector(".tl-contact[data-phase]")
    assert page.get_attribute(".tl-now", "data-label") == "replay"
    phases = dict(page.eval_on_selector_all(".tl-contact", "els => els.map(e => [e.dataset.contactId, e.dataset.phase])"))
    drawn = page.eval_on_selector_all(".tl-contact", "els => els.map(e => JSON.parse(e.dataset.contact))")
    assert {"done", "ahead"} <= set(phases.values())
    plan_now = board_server.get("plan", start=iso(moment - timedelta(hours=1)), end=iso(moment + timedelta(hours=24)))
    for c in plan_now["contacts"]:
        if c["id"] not in phases or c["status"] == "cancelled":
            continue
        if parse(c["start"]) > moment:
            assert phases[c["id"]] == "ahead", c
        elif parse(c["end"]) <= moment:
            assert phases[c["id"]] in ("done", "failed"), c
    assert drawn
    ended = [c for c in plan_now["contacts"] if c["status"] in ("failed", "partial", "missed")]
    # The server's record says how a contact ended: the board shows it.
    assert all(phases.get(c["id"]) == c["status"] for c in ended if c["id"] in phases and parse(c["end"]) <= moment)
    shoot(page, "timeline-replay-past-wall")
    # Earlier: what had not started by then is ahead, even what the server has long completed.
    earlier = parse(victim["start"]) - timedelta(minutes=20)
    page.fill("#time-input", earlier.strftime("%Y-%m-%d %H:%M:%S"))
    page.press("#time-input", "Enter")
    page.wait_for_function("""t => {
      const later = [...document.querySelectorAll('.tl-contact')].map(e => [JSON.parse(e.dataset.contact), e.dataset.phase])
        .filter(([c]) => Date.parse(c.start) > t && c.status !== 'cancelled');
      return later.length > 0 && later.every(([, phase]) => phase === 'ahead');
    }""", arg=earlier.timestamp() * 1000)
    # At the server's own moment, what ended behind it shows its record's end state (nobody reported on these
    # contacts: missed), apart from what is done; each bar says the status the plan gives.
    now = parse(board_server.get("clock")["time"])
    page.fill("#time-input", now.strftime("%Y-%m-%d %H:%M:%S"))
    page.press("#time-input", "Enter")
    shown = page.wait_for_function("""t => {
      const END = { failed: 'failed', partial: 'partial', missed: 'missed' };
      const past = [...document.querySelectorAll('.tl-contact')].map(e => [JSON.parse(e.dataset.contact), e.dataset.phase])
        .filter(([c]) => Date.parse(c.end) <= t - 120000 && c.status !== 'cancelled');
      return past.length > 0 && past.every(([c, phase]) => phase === (END[c.status] ?? 'done')) && past;
    }""", arg=now.timestamp() * 1000).json_value()
    recorded = {c["id"]: c["status"] for c in board_server.get(
        "plan", start=iso(now - timedelta(hours=1)), end=iso(now + timedelta(hours=24)))["contacts"]}
    assert {phase for _, phase in shown} & {"missed", "failed", "partial"}
    assert all(recorded[c["id"]] == c["status"] for c, _ in shown if c["id"] in recorded)
    shoot(page, "timeline-ended-states-wall")
    # Live again: the line says "now".
    page.click("#go-live")
    page.wait_for_function("() => document.querySelector('.tl-now').dataset.label === 'now'")


def test_sky_plot_of_a_pass_with_the_horizon_mask(board_server, page):
    moment = moment_in_plan(board_server, 1)
    open_board(page, board_server, f"?view=spacecraft&spacecraft=ISS&t={iso(moment)}&paused=1")
    page.wait_for_selector("#sc-detail table.passes .sky-btn")
    first = page.locator("#sc-detail table.passes tbody tr").first
    station = first.get_attribute("data-station-id")
    first.locator(".sky-btn").click()
    figure = page.locator(f"#sc-sky figure.skyplot-figure[data-station-id='{station}']")
    figure.wait_for()
    assert figure.locator("path.pass").count() >= 1
    assert figure.locator("path.mask").count() == 1
    assert figure.locator("circle.aos").count() == 1 and figure.locator("circle.los").count() == 1
    caption = figure.locator("figcaption").inner_text()
    assert caption.startswith(f"From {station}: rises at azimuth")
    # The plot is kept while the details refresh.
    page.wait_for_timeout(1500)
    assert page.locator("#sc-sky figure.skyplot-figure").count() == 1
    page.locator("#sc-sky").scroll_into_view_if_needed()  # the figure node may be re-rendered; its container stays
    shoot(page, "skyplot-iss-wall")
    # A deep-space pass too (Mars Express over a DSN or ESTRACK dish).
    page.click("#sc-list [data-spacecraft-id='MEX']")
    page.wait_for_function("() => document.querySelector('#sc-detail h2')?.textContent.includes('Mars')")
    page.wait_for_selector("#sc-detail table.passes .sky-btn")
    page.locator("#sc-detail table.passes .sky-btn").first.click()
    page.wait_for_selector("#sc-sky figure.skyplot-figure[data-spacecraft-id='MEX'] path.pass")
    page.locator("#sc-sky").scroll_into_view_if_needed()
    shoot(page, "skyplot-mex-wall")
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(300)
    page.locator("#sc-sky").scroll_into_view_if_needed()
    shoot(page, "skyplot-mex-phone")


def utc_offset(zone: str, t: datetime) -> str:
    """"UTC+01:00": a zone's offset at a moment, as the board labels it (from Python's tz database)."""
    off = int(t.astimezone(ZoneInfo(zone)).utcoffset().total_seconds() // 60)
    return f"UTC{'+' if off >= 0 else '-'}{abs(off) // 60:02d}:{abs(off) % 60:02d}"


def test_local_time_setting(board_server, browser):
    """"local time" is the service's display.time_zone when it has one (not the browser's zone), else the browser's."""
    context = browser.new_context(viewport=WALL, timezone_id="Asia/Tokyo")  # UTC+09:00, no daylight saving
    page = context.new_page()
    try:
        moment = moment_in_plan(board_server, 1)
        local = moment.astimezone(ZoneInfo(DISPLAY_ZONE))
        label = utc_offset(DISPLAY_ZONE, moment)
        assert label != "UTC+09:00"
        open_board(page, board_server, f"?t={iso(moment)}&paused=1")
        assert page.locator("#clock-date").inner_text().endswith("UTC")
        page.wait_for_function("z => document.querySelector('#local-time').closest('label').title.includes(z)", arg=DISPLAY_ZONE)
        page.check("#local-time")
        assert page.locator("#clock-date").inner_text().endswith(label)
        assert page.locator("#clock-time").inner_text() == local.strftime("%H:%M:%S")
        assert page_time(page) == moment, "the machine-readable time stays UTC"
        # A time typed without a zone is read in the zone shown.
        page.fill("#time-input", (local + timedelta(minutes=30)).strftime("%Y-%m-%d %H:%M"))
        page.press("#time-input", "Enter")
        page.wait_for_function("t => document.querySelector('#clock-time').getAttribute('datetime').startsWith(t)",
                               arg=iso(moment + timedelta(minutes=30))[:16])
        page.click("a[data-view='timeline']")
        page.wait_for_selector(".tl-contact")
        page.wait_for_function("z => document.querySelector('.tl-axis .tl-name').textContent === z", arg=label)
        shoot(page, "local-time-timeline-wall")
        page.reload()  # the setting is kept
        page.wait_for_selector("body[data-ready='1']")
        assert page.is_checked("#local-time")
        # A service without a display zone: local time is the browser's.
        page.route("**/api/v1/display", lambda route: route.fulfill(
            status=200, content_type="application/json",
            body=json.dumps({**board_server.get("display"), "time_zone": "UTC"})))
        page.reload()
        page.wait_for_selector("body[data-ready='1']")
        page.wait_for_function("() => document.querySelector('#local-time').closest('label').title.includes('Tokyo')")
        assert page.locator("#clock-date").inner_text().endswith("UTC+09:00")
        page.uncheck("#local-time")
        assert page.locator("#clock-date").inner_text().endswith("UTC")
    finally:
        context.close()


def test_launch_view_shows_the_display_zone_beside_utc(board_server, browser):
    """The launch view keeps UTC first and shows the service's display.time_zone beside it: the moment shown,
    the first signal, each acquisition's AOS; the browser's own zone (Tokyo here) plays no part."""
    context = browser.new_context(viewport=WALL, timezone_id="Asia/Tokyo")
    page = context.new_page()
    try:
        report = board_server.get("leop/scenarios/exomars_2016")
        first = report["launches"][0]["acquisitions"][0]
        aos = parse(first["aos"])
        page.goto(f"{board_server.url}/?view=launch&scenario=exomars_2016")
        page.wait_for_selector("body[data-launch='exomars_2016'] #launch-table tr[data-station-id]", timeout=120_000)
        facts = dict(zip(page.locator("#launch-status dt").all_inner_texts(), page.locator("#launch-status dd").all_inner_texts()))
        shown = page_time(page)
        label = utc_offset(DISPLAY_ZONE, shown)
        assert facts["UTC"] == shown.strftime("%Y-%m-%d %H:%M:%S")
        assert facts[label] == shown.astimezone(ZoneInfo(DISPLAY_ZONE)).strftime("%Y-%m-%d %H:%M:%S") + f" ({DISPLAY_ZONE})"
        local_aos = aos.astimezone(ZoneInfo(DISPLAY_ZONE)).strftime("%H:%M:%S")
        assert f"{aos:%H:%M:%S} UTC · {local_aos} {utc_offset(DISPLAY_ZONE, aos)}" in facts["First signal"]
        row = page.locator(f"#launch-table tr[data-station-id='{first['station_id']}']")
        assert row.locator("td").first.inner_text().split("\n")[0].startswith(f"{aos:%H:%M:%S}")
        assert row.locator("td .alt-zone").inner_text() == local_aos
        assert utc_offset(DISPLAY_ZONE, parse(report["launches"][0]["launch"])) in page.locator("#launch-table thead").inner_text()
        # The header's clock follows the viewer's choice (UTC here), the launch view keeps UTC first either way.
        assert page.locator("#clock-date").inner_text().endswith("UTC")
        assert raw_values(page) == []
        shoot(page, "launch-display-zone-wall")
        page.set_viewport_size(PHONE)
        page.wait_for_timeout(300)
        # The header's mode pill stays one line beside the long freshness text of a launch.
        assert page.evaluate("""() => { const m = document.querySelector('#mode');
          return m.getBoundingClientRect().height < 3 * parseFloat(getComputedStyle(m).fontSize); }""")
        shoot(page, "launch-display-zone-phone")
    finally:
        context.close()


# The acquisition table's layout: sideways overflow of its box and of the page, clipped cells, and each
# data cell's text with the label a phone shows above it (the ::before content).
LAUNCH_TABLE = """() => {
  const wrap = document.querySelector('#launch-table .table-wrap');
  const clipped = [...wrap.querySelectorAll('th, td')].filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent);
  const rows = [...wrap.querySelectorAll('tbody tr')].map(tr => [...tr.querySelectorAll('td')].map(td => {
    const r = td.getBoundingClientRect();
    return {text: td.innerText, label: getComputedStyle(td, '::before').content, box: [r.left, r.top, r.right, r.bottom]};
  }));
  return {wrap: [wrap.scrollWidth, wrap.clientWidth], page: [document.documentElement.scrollWidth, window.innerWidth],
          clipped, rows, head: [...document.querySelectorAll('#launch-table thead th')]
            .map(th => [th.firstChild.textContent, th.querySelector('.unit')?.textContent ?? ''])};
}"""


# The coverage lanes: pass labels cut short, hour labels run past the lane's end or wrapped.
COVERAGE_CUT = """() => {
  const lane = document.querySelector('.lc-timeline .tl-ticks').getBoundingClientRect();
  const labels = [...document.querySelectorAll('.lc-pass .tl-label')].filter(l => getComputedStyle(l).visibility !== 'hidden'
    && l.scrollWidth > l.clientWidth + 1).map(l => l.textContent);
  const ticks = [...document.querySelectorAll('.lc-timeline .tl-tick')].filter(t => t.textContent
    && (t.getBoundingClientRect().right > lane.right + 1 || t.scrollHeight > t.clientHeight + 1)).map(t => t.textContent);
  return [...labels, ...ticks];
}"""


def overlapping(boxes: list[list[float]]) -> list[tuple[int, int]]:
    return [(i, j) for i, a in enumerate(boxes) for j, b in enumerate(boxes[i + 1:], start=i + 1)
            if a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5]


@pytest.mark.parametrize("scenario", ["exomars_2016", "galileo_vs15"])
def test_launch_table_fits_a_laptop_and_a_phone(board_server, page, scenario):
    """The acquisition table fits its panel at 1440x900 without scrolling sideways (units in the headers, figures
    alone in the cells), and on a phone each station is a block of labelled figures, nothing wider than the screen."""
    acquisitions = board_server.get(f"leop/scenarios/{scenario}")["launches"][0]["acquisitions"]
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{board_server.url}/?view=launch&scenario={scenario}")
    page.wait_for_selector(f"body[data-launch='{scenario}'] #launch-table tr[data-station-id]", timeout=120_000)
    seen = page.evaluate(LAUNCH_TABLE)
    assert seen["wrap"][0] <= seen["wrap"][1] + 1, f"the table scrolls sideways: {seen['wrap']}"
    assert seen["page"][0] <= seen["page"][1] and seen["clipped"] == []
    assert seen["head"][3:] == [["Az", "°"], ["El", "°"], ["Range", "km"], ["Range rate", "km/s"], ["Doppler", "kHz"], ["Pass", "h:min"]]
    assert len(seen["rows"]) == len(acquisitions)
    for a, cells in zip(acquisitions, seen["rows"]):
        figures = [c["text"] for c in cells[2:7]]
        minus = lambda x, d: f"{x:,.{d}f}".replace("-", "\u2212")  # noqa: E731
        assert figures == [minus(a["azimuth_deg"], 1), minus(a["elevation_deg"], 1), minus(a["range_km"], 0),
                           minus(a["range_rate_km_s"], 3), minus(a["doppler_hz"] / 1000, 1)], a["station_id"]
        if a["pass_duration_s"] is not None:
            m = int(a["pass_duration_s"] // 60)
            assert cells[7]["text"] == f"{m // 60}:{m % 60:02d}"
        else:
            assert cells[7]["text"].startswith("≥ ")
    assert page.evaluate(COVERAGE_CUT) == [], "labels cut on the coverage lanes"
    page.locator("#launch-table").scroll_into_view_if_needed()
    shoot(page, f"launch-table-{scenario}-laptop")

    page.set_viewport_size(PHONE)
    page.wait_for_timeout(400)
    seen = page.evaluate(LAUNCH_TABLE)
    assert seen["page"][0] <= seen["page"][1], f"the page scrolls sideways on a phone: {seen['page']}"
    assert seen["wrap"][0] <= seen["wrap"][1] + 1 and seen["clipped"] == []
    for cells in seen["rows"]:
        labels = [c["label"].strip('"') for c in cells]
        assert labels[2:] == ["Az (°)", "El (°)", "Range (km)", "Range rate (km/s)", "Doppler (kHz)", "Pass (h:min)"]
        assert labels[0].startswith("AOS (UTC") and labels[1] == "From lift-off"
        assert overlapping([c["box"] for c in cells]) == [], "figures of a station overlap"
        assert all(c["box"][2] <= PHONE["width"] for c in cells)
    assert page.evaluate(COVERAGE_CUT) == [], "labels cut on the coverage lanes"
    page.locator("#launch-table").scroll_into_view_if_needed()
    shoot(page, f"launch-table-{scenario}-phone")


def test_stale_source_badge(board_server, page):
    """The badge shows each stale or failing source `GET /api/v1/status` reports, and nothing otherwise."""
    open_board(page, board_server)
    status = board_server.get("status")
    if not status.get("sources"):
        assert page.locator("#sources").is_hidden(), "no badge when the server reports no source"
    # The documented shape of `sources`, served to the page in place of the server's status.
    sources = [
        {"name": "celestrak:active", "url": "https://celestrak.org/NORAD/elements/gp.php", "fetched_at": "2026-11-19T06:00:00Z",
         "age_s": 172800.0, "refresh_interval_s": 7200.0, "stale": True, "last_error": None},
        {"name": "iers", "url": "https://datacenter.iers.org/", "fetched_at": "2026-11-21T05:00:00Z", "age_s": 3600.0,
         "refresh_interval_s": 86400.0, "stale": False, "last_error": "HTTP 503 from the server; kept the cached table"},
        {"name": "satnogs", "url": None, "fetched_at": "2026-11-21T05:30:00Z", "age_s": 1800.0,
         "refresh_interval_s": 7200.0, "stale": False, "last_error": None},
    ]
    page.route("**/api/v1/status", lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps({**status, "sources": sources})))
    page.reload()
    page.wait_for_selector("#sources .badge")
    badges = page.eval_on_selector_all("#sources .badge", "els => els.map(e => [e.dataset.source, e.textContent, e.title])")
    assert [b[0] for b in badges] == ["celestrak:active", "iers"], "fresh sources get no badge"
    assert badges[0][1] == "celestrak:active 2 d 0 h old"
    assert "HTTP 503" in badges[1][2]
    shoot(page, "stale-sources-wall")


# Every label of the map shown: those outside the map, pairs that overlap, and the cluster labels.
MAP_LABELS = """() => {
  const svg = document.querySelector('#map svg.world');
  const box = svg.getBoundingClientRect();
  const shown = [...svg.querySelectorAll('text')].filter(t => getComputedStyle(t).display !== 'none')
    .map(t => [t.textContent, t.getBoundingClientRect()]).filter(([, r]) => r.width > 0);
  const outside = shown.filter(([, r]) => r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1
                                          || r.bottom > box.bottom + 1).map(([text]) => text);
  const overlapping = [];
  shown.forEach(([a, p], i) => shown.slice(i + 1).forEach(([b, q]) => {
    if (p.left < q.right - 0.5 && q.left < p.right - 0.5 && p.top < q.bottom - 0.5 && q.top < p.bottom - 0.5) overlapping.push(`${a} / ${b}`);
  }));
  const clusters = [...svg.querySelectorAll('.craft-label.cluster')].map(t => [t.textContent, t.dataset.spacecraftIds.split(' ')]);
  return {count: shown.length, outside, overlapping, clusters};
}"""


def test_map_labels_stay_inside_the_map_and_apart(board_server, page):
    """No label leaves the map or overlaps another, at a wall screen, a laptop and a phone, with the deep-space
    craft clustered at Mars and at the Moon in view: craft drawn on top of each other share one label of
    their ids ("JUNO, M2020, MAVEN +4")."""
    laptop = {"width": 1440, "height": 900}
    sizes = (("wall", WALL), ("laptop", laptop), ("phone", PHONE))
    for (size, viewport), hours in ((s, h) for s in sizes for h in (0, 2, 3, 5, 9, 14)):
        page.set_viewport_size(viewport)
        open_board(page, board_server, f"?t={iso(moment_in_plan(board_server, hours))}&paused=1")
        page.wait_for_selector("#map svg.world text")
        seen = page.evaluate(MAP_LABELS)
        assert seen["count"] >= 4, f"the map labels little ({size}, +{hours} h)"
        assert seen["outside"] == [], f"labels outside the map ({size}, +{hours} h): {seen['outside']}"
        assert seen["overlapping"] == [], f"labels overlap ({size}, +{hours} h): {seen['overlapping']}"
        if hours == 2:
            # Mars Express and the other craft at Mars are tracked at this moment: one label says them.
            board = board_server.get("board", at=iso(moment_in_plan(board_server, hours)))
            tracked = {t["spacecraft_id"] for a in board["antennas"] for t in a["targets"]}
            assert {"MEX", "TGO", "MAVEN"} <= tracked
            mars = [ids for _, ids in seen["clusters"] if "MEX" in ids]
            assert mars and {"TGO", "MAVEN"} <= set(mars[0]), seen["clusters"]
            text = next(text for text, ids in seen["clusters"] if "MEX" in ids)
            shown = [i for i in re.split(r", | \+\d+$", text) if i]
            assert shown == sorted(mars[0])[:len(shown)] and (len(shown) == len(mars[0]) or text.endswith(f"+{len(mars[0]) - len(shown)}"))
            shoot(page, f"map-labels-{size}")


def test_active_links_keep_each_antenna_id_on_one_line(board_server, page):
    """Beside a long spacecraft name, the active links panel never breaks an antenna id ("DSS-" over "36")."""
    for viewport in (WALL, PHONE):
        page.set_viewport_size(viewport)
        open_board(page, board_server, f"?t={iso(moment_in_plan(board_server, 2))}&paused=1")
        page.wait_for_selector("#links li button strong")
        broken = page.evaluate("""() => [...document.querySelectorAll('#links li button strong')].filter(el =>
          el.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(el).fontSize)
          || el.scrollWidth > el.clientWidth + 1).map(el => el.textContent)""")
        assert broken == [], broken


def test_partner_panel_text_stays_inside(board_server, page):
    for viewport in (WALL, PHONE):
        page.set_viewport_size(viewport)
        open_board(page, board_server)
        page.wait_for_selector("#partner-summary li")
        overflow = page.evaluate("""() => [...document.querySelectorAll('#partner-summary *, .side *')]
          .filter(el => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible'
                        && el.clientWidth > 0 && !['svg', 'g'].includes(el.tagName))
          .map(el => el.outerHTML.slice(0, 80))""")
        assert overflow == []
        page.keyboard.press("5")
        page.wait_for_selector("#partner-cards .card")
        wider = page.evaluate("""() => [...document.querySelectorAll('#partner-cards .card')]
          .filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.dataset.stationId)""")
        assert wider == []


def test_partner_dish_out_of_service(board_server, page, shared_data):
    """DSN Now marks a dish out of service with the target "DSN" (or "DSS") and id 99: said in words."""
    xml = (shared_data / "feeds" / "dsn_now_2022-12-07.xml").read_text()
    assert 'id="99" name="TEST"' in xml  # DSS63 in this feed, tracking a test target
    xml = xml.replace('id="99" name="TEST"', 'id="99" name="DSN"')
    dish = "DSS63"
    import httpx

    token = board_server.token("partner-test")
    answer = httpx.post(f"{board_server.url}/api/v1/partners/dsn", content=xml.encode(),
                        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/xml"}, timeout=60)
    assert answer.status_code < 300, answer.text
    open_board(page, board_server, "?view=partners")
    card = page.locator(f"#partner-cards .card[data-station-id='{dish}']")
    card.wait_for()
    assert card.locator(".pill").text_content() == "Out of service"
    assert "DSN" not in card.locator(".targets").all_inner_texts()
    assert raw_values(page) == []
    shoot(page, "partners-out-of-service-wall")


def test_every_control_is_named_and_reachable(board_server, page):
    open_board(page, board_server)
    for i, view in enumerate(VIEWS, start=1):
        page.keyboard.press(str(i))
        page.wait_for_timeout(300)
        unnamed = page.evaluate("""() => [...document.querySelectorAll('button, a[href], input, select, [tabindex="0"]')]
          .filter(el => el.offsetParent !== null)
          .filter(el => {
            const name = el.getAttribute('aria-label') || el.getAttribute('title') || el.textContent.trim()
              || (el.id && document.querySelector(`label[for="${el.id}"]`)) || el.closest('label')
              || el.getAttribute('aria-labelledby');
            return !name;
          }).map(el => el.outerHTML.slice(0, 100))""")
        assert unnamed == [], f"unnamed controls in the {view} view"
    # From a fresh page, Tab reaches the tabs, the replay controls and the view's content.
    open_board(page, board_server)
    seen = []
    for _ in range(30):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("() => document.activeElement.id || document.activeElement.dataset.view || document.activeElement.tagName"))
    assert {"network", "timeline", "play", "time-input", "local-time"} <= set(seen), seen


def _mhz(hz: float) -> str:
    return f"{hz / 1e6:.3f} MHz"


def _offset(hz: float) -> str:
    sign = "+" if hz > 0 else "−" if hz < 0 else "±"
    return f"{sign}{abs(hz) / 1000:.1f} kHz" if abs(hz) >= 1000 else f"{sign}{abs(hz):.0f} Hz"


def test_published_and_doppler_shifted_frequencies_on_cards_and_spacecraft(board_server, page):
    """A contact with a published channel shows it with what the antenna receives now (and the uplink to send), as
    the server computed them; a contact whose craft publishes only its bands shows no such text and no raw value."""
    start = parse(REPLAY_CLOCK)
    plan = board_server.get("plan", start=iso(start), end=iso(start + timedelta(hours=24)))
    found = None
    for c in sorted(plan["contacts"], key=lambda c: c["start"]):
        if parse(c["start"]) < start:
            continue
        mid = (parse(c["start"]) + (parse(c["end"]) - parse(c["start"])) / 2).replace(microsecond=0)
        row = next(a for a in board_server.get("board", at=iso(mid))["antennas"] if a["id"] == c["antenna_id"])
        if row["activity"] == "tracking" and row["downlink_received_hz"] is not None:
            found = (c, mid, row)
            break
    assert found, "no contact of a craft with a published downlink in the replayed day"
    contact, moment, row = found
    antenna, craft = contact["antenna_id"], contact["spacecraft_id"]
    open_board(page, board_server, f"?t={iso(moment)}&paused=1&station={antenna}")
    card = page.locator(f"#cards .card[data-station-id='{antenna}']")
    card.wait_for()
    down = card.locator(".freq.tuned[data-direction='down']")
    expected = (f"{_mhz(row['downlink_hz'])}, received {_mhz(row['downlink_received_hz'])} "
                f"({_offset(row['downlink_received_hz'] - row['downlink_hz'])})")
    page.wait_for_function("([id, text]) => document.querySelector(`#cards .card[data-station-id='${id}'] "
                           ".freq.tuned[data-direction='down']`)?.textContent === text", arg=[antenna, expected])
    assert down.inner_text() == expected
    if row["uplink_transmit_hz"] is not None:
        up = (f"{_mhz(row['uplink_hz'])}, send {_mhz(row['uplink_transmit_hz'])} "
              f"({_offset(row['uplink_transmit_hz'] - row['uplink_hz'])})")
        assert card.locator(".freq.tuned[data-direction='up']").inner_text() == up
    # Approaching: the downlink arrives high; receding: low.
    assert ("+" in expected.split("(")[-1]) == (row["range_rate_km_s"] < 0)
    # The cards are drawn again with each board: scroll to whichever is there now.
    page.evaluate("id => document.querySelector(`#cards .card[data-station-id='${id}']`).scrollIntoView({block: 'center'})",
                  antenna)
    shoot(page, "frequencies-card-wall")
    # Cards of contacts without a published channel say nothing of received frequencies, and nothing raw.
    board = board_server.get("board", at=iso(moment))
    for other in board["antennas"]:
        if other["targets"] and other["downlink_hz"] is None:
            assert "received" not in page.locator(f"#cards .card[data-station-id='{other['id']}']").inner_text()
    assert raw_values(page) == []

    open_board(page, board_server, f"?view=spacecraft&spacecraft={craft}&t={iso(moment)}&paused=1")
    fact = page.locator(f"#sc-detail .tuned[data-station-id='{antenna}']")
    fact.wait_for()
    assert f"↓ {expected}" in fact.inner_text()
    assert page.locator("#sc-detail dl.facts").inner_text().count(f"At {antenna} now") == 1
    assert raw_values(page) == []
    page.evaluate("id => document.querySelector(`#sc-detail .tuned[data-station-id='${id}']`).scrollIntoView({block: 'center'})",
                  antenna)
    shoot(page, "frequencies-spacecraft-wall")
