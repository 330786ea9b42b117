"""The end states of contacts as people see them in Chromium: the timeline's partial and missed bars and the station
cards' last-contact line, for a low-Earth-orbit, a deep-space and a SatNOGS-tracked spacecraft."""

from __future__ import annotations

import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest

from .conftest import SCREENS, WALL, shoot
from .server import ROOT, Server, groundnet_command

pytestmark = pytest.mark.browser

CLOCK = "2026-11-21T06:00:00Z"
SIM_START = "2026-11-20T06:00:00Z"
# Weather fades of a few minutes, one an hour, on a busy low-Earth-orbit antenna: some cut a pass (partial);
# a silent antenna for half a day (its passes missed); fades and silence on deep-space antennas likewise.
FAULTS = ["kind,start,end,antenna_id,spacecraft_id,reason"]
FAULTS += [f"weather,2026-11-20T{h:02d}:20:00Z,2026-11-20T{h:02d}:24:00Z,KIR-2,,rain fade" for h in range(7, 23)]
FAULTS += ["silent,2026-11-20T08:00:00Z,2026-11-20T20:00:00Z,KIR-1,,station computer hung",
           "weather,2026-11-20T10:00:00Z,2026-11-20T10:40:00Z,DSS-43,,rain fade",
           "weather,2026-11-20T16:00:00Z,2026-11-20T16:40:00Z,DSS-43,,rain fade",
           "weather,2026-11-20T22:00:00Z,2026-11-20T22:40:00Z,DSS-43,,rain fade",
           "silent,2026-11-20T06:00:00Z,2026-11-21T04:00:00Z,DSS-63,,station computer hung"]

# The hatching colour of each end state (style.css .tl-contact[data-phase=...]) as Chromium computes it.
HATCHING = {"failed": "rgb(185, 28, 28)", "partial": "rgb(180, 83, 9)", "missed": "rgb(107, 33, 168)"}

SAMPLES = ROOT / "examples" / "satnogs"
CATALOG = ROOT.parent / "shared" / "data" / "catalog" / "celestrak_active_3le_2026-05-07.txt"
SATNOGS_START = "2026-05-08T00:00:00Z"


def iso(t: datetime) -> str:
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse(s: str) -> datetime:
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def _run(*args: str, cwd: Path) -> None:
    subprocess.run([*groundnet_command(), *args], check=True, capture_output=True, cwd=cwd)


@pytest.fixture(scope="module")
def network_server(tmp_path_factory, browser):
    work = tmp_path_factory.mktemp("states")
    server = Server(work, CLOCK)
    (work / "faults.csv").write_text("\n".join(FAULTS) + "\n")
    _run("simulate", "--start", SIM_START, "--days", "1", "--seed", "5", "--faults", str(work / "faults.csv"),
         "--database", server.database, "--format", "csv", cwd=work)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def satnogs_server(tmp_path_factory, browser):
    """A server that serves SatNOGS jobs: one recorded, one whose client recorded nothing, the others silent."""
    work = tmp_path_factory.mktemp("satnogs-states")
    stations, jobs = work / "satnogs.toml", work / "jobs.json"
    _run("satnogs", "stations", str(SAMPLES / "stations.json"), "--output", str(stations), cwd=work)
    _run("schedule", "observations", "--station-file", str(stations), "--catalog", str(CATALOG), "--transmitters",
         str(SAMPLES / "transmitters.json"), "--start", SATNOGS_START, "--hours", "6", "--jobs", str(jobs),
         "--output", str(work / "plan.csv"), "--quiet", cwd=work)
    import json

    listed = sorted(json.loads(jobs.read_text()), key=lambda j: j["start"])
    ended = listed[:3]
    clock = parse(max(j["end"] for j in ended)) + timedelta(minutes=2)  # inside the last one's upload time
    server = Server(work, iso(clock), extra=["--station-file", str(stations), "--satnogs-jobs", str(jobs)]).start()
    token = server.token("satnogs-client")
    auth = {"Authorization": f"Token {token}"}
    recorded, nothing = ended[-1], ended[-2]
    for part in ({"waterfall": ("waterfall_1.png", b"\x89PNG image")}, {"payload": ("satnogs_1.ogg", b"O" * 5000)}):
        httpx.put(f"{server.url}/api/observations/{recorded['id']}/", files=part, headers=auth,
                  timeout=30).raise_for_status()
    httpx.put(f"{server.url}/api/observations/{nothing['id']}/", data={"client_version": "2.1.4",
              "client_metadata": "{}"}, headers=auth, timeout=30).raise_for_status()
    # Then on past the upload time of every ended job (the clock runs in real time): the service decides them.
    httpx.put(f"{server.url}/api/v1/clock", json={"time": iso(clock + timedelta(minutes=10))},
              headers={"Authorization": f"Bearer {token}"}, timeout=30).raise_for_status()
    server.jobs = ended
    yield server
    server.stop()


def _ended(server: Server, start: str, end: str, deep_space: bool, status: str) -> dict:
    """A contact of the stored plan that ended in ``status``, on a deep-space antenna (DSS-) or on another (low
    Earth orbit)."""
    plan = server.get("plan", start=start, end=end)
    for c in sorted(plan["contacts"], key=lambda c: c["end"]):
        if c["status"] == status and c["antenna_id"].startswith("DSS-") == deep_space:
            return c
    pytest.fail(f"no {status} contact on {'deep-space' if deep_space else 'low-Earth-orbit'} antennas: "
                f"{sorted({(c['antenna_id'], c['status']) for c in plan['contacts']})}")


def _look(page, server: Server, contact: dict, name: str) -> None:
    """Just after the contact's teardown: its bar on the timeline has the end state's colour, and its antenna's
    card says the last contact and how it ended."""
    moment = parse(contact["teardown_end"]) + timedelta(seconds=30)
    page.set_viewport_size(WALL)
    page.goto(f"{server.url}/?view=timeline&t={iso(moment)}&paused=1")
    page.wait_for_selector("body[data-ready='1']")
    bar = page.locator(f".tl-contact[data-contact-id='{contact['id']}']")
    bar.wait_for()
    assert bar.get_attribute("data-phase") == contact["status"]
    # Each end state has its own hatching, unlike a contact done (plain grey) and unlike the other end states.
    colour = bar.evaluate("e => getComputedStyle(e).backgroundImage")
    assert colour.startswith("repeating-linear-gradient") and HATCHING[contact["status"]] in colour, colour
    assert contact["status"] in bar.get_attribute("aria-label"), bar.get_attribute("aria-label")
    # What has not ended at the moment shown is in progress, whatever its record says since: a replay reads as the past.
    drawn = page.eval_on_selector_all(".tl-contact", "els => els.map(e => [JSON.parse(e.dataset.contact), e.dataset.phase])")
    running = [(c["id"], c["status"], phase) for c, phase in drawn
               if parse(c["start"]) <= moment < parse(c["end"]) and c["status"] != "cancelled"]
    assert running and all(phase == "now" for _, _, phase in running), [r for r in running if r[2] != "now"]
    # Every antenna's id reads whole in the names' column (SATNOGS-1378 as well as DSS-14).
    clipped = page.eval_on_selector_all(".plan-timeline .tl-row .tl-name",
                                        "els => els.filter(e => e.scrollWidth > e.clientWidth).map(e => e.textContent)")
    assert clipped == []
    bar.scroll_into_view_if_needed()
    shoot(page, f"states-timeline-{name}")
    board = server.get("board", at=iso(moment))
    row = next(a for a in board["antennas"] if a["id"] == contact["antenna_id"])
    assert row["last_contact"]["status"] == contact["status"], row["last_contact"]
    page.goto(f"{server.url}/?t={iso(moment)}&paused=1")
    page.wait_for_selector("body[data-ready='1']")
    card = page.locator(f"#cards .card[data-station-id='{contact['antenna_id']}']")
    last = card.locator(".last")
    last.wait_for()
    text = last.inner_text()
    assert last.get_attribute("data-status") == contact["status"]
    assert contact["spacecraft_name"] in text and contact["status"] in text, text
    assert last.locator(".state").evaluate("e => getComputedStyle(e).fontWeight") == "600"  # it stands out
    size = "e => getComputedStyle(e).fontSize"
    assert last.evaluate(size) == card.locator(".next").evaluate(size)  # a line of the card like the next contact's
    card.scroll_into_view_if_needed()
    shoot(page, f"states-board-{name}")
    card.screenshot(path=str(SCREENS / f"states-card-{name}.png"))


@pytest.mark.parametrize("status", ["partial", "missed"])
@pytest.mark.parametrize("kind", ["leo", "deep-space"])
def test_partial_and_missed_contacts_on_the_timeline_and_the_cards(network_server, page, kind, status):
    contact = _ended(network_server, SIM_START, CLOCK, kind == "deep-space", status)
    _look(page, network_server, contact, f"{kind}-{status}")


def test_satnogs_jobs_end_states_on_the_timeline_and_the_cards(satnogs_server, page):
    jobs = satnogs_server.jobs
    start, end = jobs[0]["start"], iso(parse(jobs[-1]["end"]) + timedelta(hours=1))
    rows = {}
    for _ in range(120):  # the service's ticks decide the records once each job's upload time is over
        rows = {r["contact_id"]: r for r in satnogs_server.get("reports/contacts", start=start, end=end)}
        if all(rows.get(f"satnogs-{j['id']}", {}).get("state") in ("completed", "failed", "missed") for j in jobs):
            break
        page.wait_for_timeout(500)
    states = [rows[f"satnogs-{j['id']}"]["state"] for j in jobs]
    assert states[-1] == "completed" and states[-2] == "failed" and "missed" in states[:-2], states
    plan = satnogs_server.get("plan", start=start, end=end)
    by_id = {c["id"]: c for c in plan["contacts"]}
    for job, state in zip(jobs, states):
        if state in ("missed", "failed"):
            contact = by_id[f"satnogs-{job['id']}"]
            assert contact["status"] == state
            _look(page, satnogs_server, contact, f"satnogs-{state}")
