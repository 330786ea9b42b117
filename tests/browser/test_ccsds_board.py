"""The board with CCSDS data, in Debian's chromium: a partner's Simple Schedule among the partner
dishes, and the residuals of a contact's TDM drawn in the Residuals view."""

from __future__ import annotations

import numpy as np
import pytest

from groundnet.ccsds.ssf import network_sites
from groundnet.ccsds.times import format_doy
from groundnet.ccsds.writer import predicted_tdm_segments, tdm_text
from groundnet.missions import load_fleet
from groundnet.stations import load_network
from groundnet.timebase import parse_utc
from groundnet.visibility.deepspace import link_geometry

from .conftest import REPLAY_CLOCK, shoot
from .server import Server

T0 = parse_utc(REPLAY_CLOCK).timestamp()


@pytest.fixture(scope="module")
def ssf_server(tmp_path_factory, browser):
    work = tmp_path_factory.mktemp("serve-ssf")
    site = network_sites(load_network())["DSS-43"]
    d = format_doy
    (work / "partner.xml").write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<simpleSchedule xmlns="urn:ccsds:schema:cssm:1.0.0">
  <simpleScheduleHeader originatingOrganization="NASA" generationTime="{d(T0 - 86400)}" status="OPERATIONAL"
    inclusionType="START_INCLUSION" version="1" startTime="{d(T0 - 3600)}" endTime="{d(T0 + 86400)}"/>
  <scheduledPackage scheduledPackageId="JUNO" user="JUNO">
    <scheduledActivity scheduledActivityId="JNO-7" activityStatus="COMMITTED" siteRef="{site}" apertureRef="DSS-43"
      beginningOfActivity="{d(T0 - 3600)}" beginningOfTrack="{d(T0 - 1800)}" endOfTrack="{d(T0 + 7200)}"
      endOfActivity="{d(T0 + 9000)}"/>
  </scheduledPackage>
</simpleSchedule>
""")
    server = Server(work, REPLAY_CLOCK, extra=["--partner-ssf", str(work / "partner.xml")]).start()
    yield server
    server.stop()


def test_partner_schedule_shows_among_the_partner_dishes(ssf_server, page):
    page.goto(f"{ssf_server.url}/?view=partners")
    card = page.locator('#partner-cards .card[data-station-id="DSS-43"]')
    card.wait_for()
    assert "JUNO" in card.inner_text()
    assert "Simple Schedule" in page.locator("#partner-meta").inner_text()
    # The schedule's activities below the cards, the one running at the moment shown marked.
    row = page.locator('#partner-schedule tr.running[data-activity-id="JNO-7"]')
    row.wait_for()  # once the page follows the server's (replay) clock
    assert "JUNO" in row.inner_text()
    assert "NASA" in page.locator("#partner-schedule h3").inner_text()
    shoot(page, "partners-ssf-wall")
    # A day later (replay) the activity is over: the dish is idle and the row no longer marked.
    page.goto(f"{ssf_server.url}/?view=partners&t=2026-11-22T12:00:00Z&paused=1")
    page.locator('#partner-schedule tr[data-activity-id="JNO-7"]:not(.running)').wait_for()


def test_residuals_of_a_contact_are_drawn(ssf_server, page, tmp_path):
    contact = ssf_server.get("plan")["contacts"][0]
    sc = next(s for s in load_fleet() if s.id == contact["spacecraft_id"])
    antenna = next(a for a in load_network() if a.id == contact["antenna_id"])
    t0, t1 = parse_utc(contact["start"]).timestamp(), parse_utc(contact["end"]).timestamp()
    geo = link_geometry(sc.trajectory, [antenna], np.round(np.linspace(t0, t1, 25)))
    seg = predicted_tdm_segments(geo, participant=sc.id, uplink_hz=2.05e9, turnaround=(221, 240))[0]
    obs = [(k, t, v + 0.05 if k == "RANGE" else v) for k, t, v in seg["observations"]]
    tdm = tmp_path / "contact.tdm"
    tdm.write_text(tdm_text([{"metadata": seg["metadata"], "observations": obs}], creation_unix=t0))

    page.goto(f"{ssf_server.url}/?view=residuals&contact={contact['id']}")
    assert page.locator("#residual-contact").input_value() == contact["id"]
    # The timeline's contact details lead there too.
    page.goto(f"{ssf_server.url}/?view=timeline&t={contact['start'][:19]}Z&paused=1")
    page.locator(f'.tl-contact[data-contact-id="{contact["id"]}"]').click()
    page.get_by_role("button", name="Tracking residuals").click()
    assert page.locator("#view-residuals").is_visible()
    assert page.locator("#residual-contact").input_value() == contact["id"]
    page.set_input_files("#residual-file", str(tdm))
    page.click("#residual-form button[type=submit]")
    row = page.locator('.residual-stats tr[data-observable="RANGE"]')
    row.wait_for()
    cells = row.locator("td").all_inner_texts()
    assert cells[0] == antenna.id and cells[4] == "25" and cells[3] == "m" and cells[5] == "50.00"
    assert page.locator("svg.residual-chart").count() == 5
    assert page.locator('svg.residual-chart[aria-label^="RANGE"] circle').count() == 25
    shoot(page, "residuals-wall")
