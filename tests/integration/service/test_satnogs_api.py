"""The SatNOGS Network API a SatNOGS client speaks, served by groundnet: jobs, and uploads of recordings."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from groundnet.api.app import create_app
from groundnet.api.settings import Settings
from groundnet.cli import main
from groundnet.interop.satnogs import JOB_FIELDS
from groundnet.missions import load_fleet
from groundnet.store import repo

SAMPLES = Path(__file__).resolve().parents[3] / "examples" / "satnogs"
CATALOG = SAMPLES.parents[1].parent / "shared" / "data" / "catalog" / "celestrak_active_3le_2026-05-07.txt"
START = "2026-05-08T00:00:00Z"


def write_jobs(tmp_path) -> tuple:
    stations, jobs = tmp_path / "satnogs.toml", tmp_path / "jobs.json"
    for args in (["satnogs", "stations", str(SAMPLES / "stations.json"), "--output", str(stations)],
                 ["schedule", "observations", "--station-file", str(stations), "--catalog", str(CATALOG),
                  "--transmitters", str(SAMPLES / "transmitters.json"), "--start", START, "--hours", "6",
                  "--jobs", str(jobs), "--output", str(tmp_path / "plan.csv"), "--quiet"]):
        with pytest.raises(SystemExit) as done:
            main(args)
        assert done.value.code in (0, None)
    return stations, jobs


@pytest.fixture
def served(tmp_path, database_url):
    stations, jobs = write_jobs(tmp_path)
    fleet = [s for s in load_fleet() if s.id in ("ISS", "SENTINEL-2B")]
    settings = Settings(database=database_url, clock=START, station_file=stations, satnogs_jobs=jobs,
                        data_dir=tmp_path / "var", plan_ahead_h=2, plan_behind_h=1)
    with TestClient(create_app(settings, fleet=fleet)) as client:
        with client.app.state.service.store.session() as s:
            client.headers_token = {"Authorization": f"Token {repo.create_token(s, 'satnogs-2134', 0.0)}"}
        yield client, json.loads(jobs.read_text())


def test_jobs_have_the_satnogs_fields_and_types(served):
    client, jobs = served
    answer = client.get("/api/jobs/", params={"ground_station": 2134, "lat": 64.15, "lon": -21.94, "alt": 30},
                        headers=client.headers_token)
    assert answer.status_code == 200
    mine = answer.json()
    assert mine == [j for j in jobs if j["ground_station"] == 2134] and mine
    job = mine[0]
    assert tuple(job) == JOB_FIELDS
    types = {"id": int, "start": str, "end": str, "ground_station": int, "tle0": str, "tle1": str, "tle2": str,
             "frequency": int, "mode": str, "transmitter": str, "max_altitude": float, "norad_cat_id": int}
    assert all(isinstance(job[k], t) for k, t in types.items())
    assert job["tle1"].startswith(f"1 {job['norad_cat_id']:05d}") and job["tle2"].startswith(f"2 {job['norad_cat_id']:05d}")
    assert job["start"].endswith("Z") and "." not in job["start"]


def test_jobs_need_a_token_and_a_station(served):
    client, _ = served
    assert client.get("/api/jobs/", params={"ground_station": 2134}).status_code == 401
    assert client.get("/api/jobs/", params={"ground_station": 2134},
                      headers={"Authorization": "Token wrong"}).status_code == 401
    assert client.get("/api/jobs/", headers=client.headers_token).status_code == 422
    assert client.get("/api/jobs/", params={"ground_station": 9223372036854775808},
                      headers=client.headers_token).status_code == 422
    assert client.get("/api/jobs/", params={"ground_station": 99}, headers=client.headers_token).json() == []


def test_an_upload_is_kept_once_and_recorded_as_an_event(served, tmp_path):
    client, jobs = served
    job = jobs[0]
    url = f"/api/observations/{job['id']}/"
    sent = client.put(url, files={"waterfall": ("waterfall_1_2026.png", b"\x89PNG fake image")},
                      headers=client.headers_token)
    assert sent.status_code == 200, sent.text
    body = sent.json()
    assert body["artifact"] == "waterfall" and body["bytes"] == 15
    kept = tmp_path / "var" / "observations" / str(job["id"]) / "waterfall_waterfall_1_2026.png"
    assert kept.read_bytes() == b"\x89PNG fake image"
    events = client.get("/api/v1/events").json()
    [ev] = [e for e in events if e["kind"] == "data_received"]
    assert ev["antenna_id"] == f"SATNOGS-{job['ground_station']}"
    assert ev["detail"]["observation_id"] == job["id"] and ev["detail"]["norad_cat_id"] == job["norad_cat_id"]
    assert ev["detail"]["data_volume_bytes"] == 15
    again = client.put(url, files={"waterfall": ("w.png", b"other")}, headers=client.headers_token)
    assert again.status_code == 403 and "has already been uploaded" in again.text
    assert client.put(url, files={"payload": ("a.ogg", b"x")}).status_code == 401
    assert client.put("/api/observations/999999/", files={"payload": ("a.ogg", b"x")},
                      headers=client.headers_token).status_code == 404
    assert client.put(url, headers=client.headers_token).status_code == 422
    meta = client.put(url, data={"client_version": "2.1.4", "client_metadata": '{"radio": {}}'},
                      headers=client.headers_token)
    assert meta.status_code == 200 and meta.json()["artifact"] == "client_metadata"
    [ev] = [e for e in client.get("/api/v1/events").json() if e["detail"].get("artifact") == "client_metadata"]
    assert ev["detail"]["client_version"] == "2.1.4"


def test_each_job_is_a_contact_whose_upload_decides_its_record(served, database_url, tmp_path):
    """Served jobs become contacts of the operations store: a recording uploaded completes one, a report without a
    recording fails one, silence after LOS is a miss; `GET /api/v1/reports/...` and `groundnet report` show them."""
    from typer.testing import CliRunner

    from groundnet.cli import app
    from groundnet.interop.satnogs import UPLOAD_WAIT_S, job_contact_id
    from groundnet.timebase import format_utc, parse_utc

    client, jobs = served
    service = client.app.state.service
    t = {j["id"]: (parse_utc(j["start"]).timestamp(), parse_utc(j["end"]).timestamp()) for j in jobs}
    first = sorted(jobs, key=lambda j: t[j["id"]][0])
    recorded, silent_client, missed = first[0], first[1], first[2]
    planned = client.get("/api/v1/plan", params={"start": START, "end": jobs[-1]["end"]}).json()
    ids = {c["id"] for c in planned["contacts"]}
    assert {job_contact_id(j["id"]) for j in jobs} <= ids
    assert ids - {job_contact_id(j["id"]) for j in jobs}, "the planner still plans the fleet beside the jobs"

    service.set_clock(time_unix=t[recorded["id"]][1] + 30, paused=True)
    url = f"/api/observations/{recorded['id']}/"
    for part in ({"waterfall": ("waterfall_1.png", b"\x89PNG image")}, {"payload": ("satnogs_1.ogg", b"O" * 5000)}):
        assert client.put(url, files=part, headers=client.headers_token).status_code == 200
    service.set_clock(time_unix=t[silent_client["id"]][1] + 30, paused=True)
    assert client.put(f"/api/observations/{silent_client['id']}/", headers=client.headers_token,
                      data={"client_version": "2.1.4", "client_metadata": "{}"}).status_code == 200
    service.set_clock(time_unix=max(t[j["id"]][1] for j in first[:3]) + UPLOAD_WAIT_S + 1, paused=True)

    window = {"start": START, "end": "2026-05-08T06:00:00Z"}
    for _ in range(100):  # the service's ticks move the records on with the clock
        rows = {r["contact_id"]: r for r in client.get("/api/v1/reports/contacts", params=window).json()}
        if all(rows.get(job_contact_id(j["id"]), {}).get("state") in ("completed", "failed", "missed")
               for j in first[:3]):
            break
        time.sleep(0.2)
    done = rows[job_contact_id(recorded["id"])]
    assert (done["state"], done["antenna_id"], done["mission"]) == (
        "completed", f"SATNOGS-{recorded['ground_station']}", "SatNOGS")
    assert done["data_volume_bytes"] == 5010
    assert sorted(done["data_products"]) == ["payload:satnogs_1.ogg", "waterfall:waterfall_1.png"]
    assert (done["planned_aos"], done["planned_los"]) == (
        recorded["start"].replace("Z", ".000Z"), recorded["end"].replace("Z", ".000Z"))
    failed = rows[job_contact_id(silent_client["id"])]
    assert (failed["state"], failed["cause"], failed["data_volume_bytes"]) == ("failed", "antenna", None)
    assert (rows[job_contact_id(missed["id"])]["state"], rows[job_contact_id(missed["id"])]["cause"]) == (
        "missed", "unknown")
    # The plan and the board give each job's contact the state the report gives (a job nobody uploaded for is
    # missed there too, not completed).
    plan = {c["id"]: c for c in client.get("/api/v1/plan", params=window).json()["contacts"]}
    for j in first[:3]:
        c = plan[job_contact_id(j["id"])]
        assert (c["status"], c["cause"]) == (rows[c["id"]]["state"], rows[c["id"]]["cause"])
        at = format_utc(parse_utc(c["teardown_end"]).timestamp() + 0.5)
        row = next(a for a in client.get("/api/v1/board", params={"at": at}).json()["antennas"]
                   if a["id"] == c["antenna_id"])
        assert (row["last_contact"]["id"], row["last_contact"]["status"]) == (c["id"], c["status"])
    assert plan[job_contact_id(missed["id"])]["status"] == "missed"
    performance = client.get("/api/v1/reports/performance",
                             params={"start": START, "end": "2026-05-09T00:00:00Z", "by": "mission"}).json()
    [satnogs] = [r for r in performance if r["key"] == "SatNOGS"]
    assert satnogs["completed"] >= 1 and satnogs["failed"] >= 1 and satnogs["missed"] >= 1
    one = client.get(f"/api/v1/reports/contacts/{job_contact_id(recorded['id'])}").json()
    assert [h["state"] for h in one["history"]][-1] == "completed" and len(one["evidence"]) == 2

    runner = CliRunner()
    for fmt in ("json", "csv", "table"):
        out = tmp_path / f"report.{'txt' if fmt == 'table' else fmt}"
        r = runner.invoke(app, ["report", "contacts", "--start", START, "--days", "1", "--database", database_url,
                                "--antenna", f"SATNOGS-{recorded['ground_station']}", "--format", fmt,
                                "--output", str(out)])
        assert r.exit_code == 0, r.output
        text = out.read_text()
        if fmt == "table":  # columns wrap: the state is whole
            assert "completed" in text
        else:
            assert job_contact_id(recorded["id"]) in text and "payload:satnogs_1.ogg" in text
    r = runner.invoke(app, ["report", "contacts", "--start", START, "--days", "1", "--database", database_url,
                            "--state", "missed", "--format", "json"])
    assert job_contact_id(missed["id"]) in {row["contact_id"] for row in json.loads(r.stdout)}


def test_a_new_jobs_file_replaces_the_contacts_and_cancels_the_dropped_ones(served):
    client, jobs = served
    from groundnet.interop.satnogs import job_contact_id

    jobs_file = client.app.state.satnogs_jobs
    kept, dropped = jobs[:-1], jobs[-1]
    later = dict(kept[0], id=max(j["id"] for j in jobs) + 1)
    jobs_file.path.write_text(json.dumps([*kept, later]))
    jobs_file.current()  # what the service's watch does every few seconds
    contacts = {c["id"]: c for c in client.get("/api/v1/plan", params={"start": START, "end": dropped["end"]}
                                               ).json()["contacts"]}
    assert contacts[job_contact_id(dropped["id"])]["status"] == "cancelled"
    assert contacts[job_contact_id(later["id"])]["status"] == "scheduled"
    with client.app.state.service.store.session() as s:
        lo, hi = repo.plan_extent(s)
    assert hi - lo <= 3 * 3600 + 1, "the jobs' span is not taken for planned time"


@pytest.fixture
def served_with_transmitters(tmp_path, database_url):
    stations, jobs = write_jobs(tmp_path)
    fleet = [s for s in load_fleet() if s.id in ("ISS", "SENTINEL-2B")]
    settings = Settings(database=database_url, clock=START, station_file=stations, satnogs_jobs=jobs,
                        satnogs_transmitters=str(SAMPLES / "transmitters.json"), data_dir=tmp_path / "var",
                        plan_ahead_h=2, plan_behind_h=1)
    with TestClient(create_app(settings, fleet=fleet)) as client:
        yield client, json.loads(jobs.read_text())


def test_transmitters_give_the_links_and_the_doppler_shifted_downlink(served_with_transmitters):
    """SO-50 (NORAD 27607) publishes 436.795 MHz with a drift of -2300 ppb: its stations tune to 436.793995 MHz,
    which the spacecraft, the board's contact and the SatNOGS links show; the Doppler-shifted downlink at the
    station matches the range rate Skyfield computes from the job's own TLE."""
    from skyfield.api import EarthSatellite, wgs84

    from groundnet.timebase import parse_utc, skyfield_times, timescale

    client, jobs = served_with_transmitters
    job = next(j for j in jobs if j["norad_cat_id"] == 27607 and j["ground_station"] == 6)
    corrected = 436795000 * (1 - 2300 / 1e9)
    assert job["frequency"] == round(corrected)
    sc = client.get("/api/v1/spacecraft/NORAD-27607").json()
    assert sc["downlink"]["band"] == "UHF" and sc["downlink"]["frequency_hz"] == pytest.approx(corrected, abs=1e-3)
    assert sc["uplink"]["frequency_hz"] == 145850000
    iss = client.get("/api/v1/spacecraft/ISS").json()
    assert iss["downlink"]["band"] == "S", "a mission link in another band is kept"

    t = parse_utc(job["start"]).timestamp() + 120
    client.app.state.service.set_clock(time_unix=t, paused=True)
    board = client.get("/api/v1/board").json()
    row = next(a for a in board["antennas"] if a["id"] == "SATNOGS-6")
    assert row["contact_id"] == f"satnogs-{job['id']}" and row["targets"][0]["spacecraft_id"] == "NORAD-27607"
    assert row["downlink"]["frequency_hz"] == pytest.approx(corrected, abs=1e-3)
    assert row["downlink_hz"] == pytest.approx(corrected, abs=1e-3) and row["uplink_hz"] == 145850000

    [link] = client.get("/api/v1/satnogs/links", params={"spacecraft": "NORAD-27607"}).json()
    assert (link["transmitter"], link["mode"], link["downlink_published_hz"], link["downlink_drift_ppb"]) == (
        "tzvNPnQgZfuX6w7KYnk65p", "FM", 436795000, -2300)
    assert link["downlink_hz"] == pytest.approx(corrected, abs=1e-3)
    now = next(c for c in link["contacts"] if c["antenna_id"] == "SATNOGS-6")
    assert (now["contact_id"], now["antenna_id"], now["phase"]) == (f"satnogs-{job['id']}", "SATNOGS-6", "tracking")
    # Reference: Skyfield's range rate of the job's TLE from the station (central difference over 1 s).
    sat = EarthSatellite(job["tle1"], job["tle2"], job["tle0"], timescale())
    site = wgs84.latlon(37.97, 23.72, elevation_m=100)
    ranges = [(sat - site).at(skyfield_times([x])).distance().km[0] for x in (t - 0.5, t + 0.5)]
    rate = ranges[1] - ranges[0]
    assert now["range_rate_km_s"] == pytest.approx(rate, abs=0.02)  # km/s: 10 Hz at 436 MHz is 0.007 km/s
    assert now["downlink_received_hz"] == pytest.approx(corrected * (1 - rate / 299792.458), abs=30)
    assert abs(now["downlink_received_hz"] - corrected) > 1000, "a LEO pass shifts the downlink by kHz"
    assert now["uplink_transmit_hz"] == pytest.approx(145850000 * (1 + rate / 299792.458), abs=15)
    # The board's contact and the spacecraft view carry the same frequencies, by the same Doppler function.
    assert row["range_rate_km_s"] == pytest.approx(rate, abs=0.02)
    assert row["downlink_received_hz"] == pytest.approx(now["downlink_received_hz"], abs=0.2)
    assert row["uplink_transmit_hz"] == pytest.approx(now["uplink_transmit_hz"], abs=0.2)
    assert rate < 0 and row["downlink_received_hz"] > corrected, "approaching: the downlink arrives high"
    view = client.get("/api/v1/spacecraft/NORAD-27607").json()
    [mine] = [x for x in view["links_now"] if x["antenna_id"] == "SATNOGS-6"]
    assert mine["downlink_received_hz"] == row["downlink_received_hz"] and mine["contact_id"] == row["contact_id"]
    # docs/satnogs.md shows this moment's links_now as the server gives it.
    doc = (SAMPLES.parents[1] / "docs" / "satnogs.md").read_text()
    shown = json.loads(doc.split("['links_now'])\"\n```\n\n```json\n", 1)[1].split("```", 1)[0])
    assert view["links_now"] == shown

    every = {r["spacecraft_id"]: r for r in client.get("/api/v1/satnogs/links").json()}
    assert every["ISS"]["transmitter"] == "NBTj56vc8Rf5aF47VU6H7d" and every["ISS"]["downlink_hz"] == 145825000
    assert "NORAD-40069" not in every  # its only transmitter is inactive and no job names it
    assert client.get("/api/v1/satnogs/links", params={"spacecraft": "SOLO"}).status_code == 404



def test_the_planner_keeps_the_jobs_antenna_time_free(served):
    """The jobs are antenna time the planner keeps free: it plans a craft the SatNOGS stations can serve around them."""
    from dataclasses import replace

    from groundnet.interop.satnogs import read_network_stations
    from groundnet.live.planning import PassPlanner
    from groundnet.timebase import parse_utc

    client, jobs = served
    booked = client.app.state.service.planner.booked_blocks
    assert {(b.antenna_id, b.start) for b in booked} == {
        (f"SATNOGS-{j['ground_station']}", parse_utc(j["start"]).timestamp()) for j in jobs}

    antennas, _ = read_network_stations(SAMPLES / "stations.json")
    iss = [replace(s, downlink=None, uplink=None) for s in load_fleet() if s.id == "ISS"]
    planner = PassPlanner(antennas, iss)
    t0 = parse_utc(START).timestamp()
    free = planner.plan(t0, t0 + 6 * 3600).contacts
    planner.booked_blocks = [b for b in booked if b.antenna_id in {c.antenna_id for c in free}]
    around = planner.plan(t0, t0 + 6 * 3600).contacts

    def clash(contacts):
        return [(c.id, b.reason) for c in contacts for b in planner.booked_blocks
                if b.antenna_id == c.antenna_id and c.setup_start < b.end and b.start < c.teardown_end]

    assert clash(free), "without the jobs the planner books the ISS over some of them"
    assert around and clash(around) == []


def test_a_new_jobs_file_continues_the_ids_of_the_one_it_replaces(tmp_path):
    _, jobs = write_jobs(tmp_path)
    before = json.loads(jobs.read_text())
    write_jobs(tmp_path)
    after = json.loads(jobs.read_text())
    assert [j["id"] for j in after] == [j["id"] + len(before) for j in before]
    jobs.write_text("not json")
    write_jobs(tmp_path)
    assert json.loads(jobs.read_text())[0]["id"] == 1


def test_a_changed_transmitters_file_gives_new_links_without_a_restart(tmp_path, database_url):
    """The transmitters file is looked at on the service's source rounds (GROUNDNET_SOURCES_CHECK_S): a new version
    changes the links of the board, the spacecraft view and the SatNOGS links; a version that cannot be read leaves
    them and is reported in GET /api/v1/status with the file's age, until a good one is written."""
    from support import wait_for

    stations, jobs = write_jobs(tmp_path)
    transmitters = tmp_path / "transmitters.json"
    records = json.loads((SAMPLES / "transmitters.json").read_text())
    transmitters.write_text(json.dumps(records))
    fleet = [s for s in load_fleet() if s.id in ("ISS", "SENTINEL-2B")]
    settings = Settings(database=database_url, clock=START, station_file=stations, satnogs_jobs=jobs,
                        satnogs_transmitters=str(transmitters), data_dir=tmp_path / "var", plan_ahead_h=2,
                        plan_behind_h=1, sources_check_s=0.2)
    job = next(j for j in json.loads(jobs.read_text()) if j["norad_cat_id"] == 27607 and j["ground_station"] == 6)
    with TestClient(create_app(settings, fleet=fleet)) as client:
        def downlink() -> float:
            return client.get("/api/v1/spacecraft/NORAD-27607").json()["downlink"]["frequency_hz"]

        def source() -> dict:
            return next(r for r in client.get("/api/v1/status").json()["sources"] if r["name"] == str(transmitters))

        assert downlink() == pytest.approx(436795000 * (1 - 2300 / 1e9), abs=1e-3)
        row = source()
        assert row["url"] is None and row["last_error"] is None and 0 <= row["age_s"] < 600 and row["stale"] is False

        so50 = next(r for r in records if r["uuid"] == "tzvNPnQgZfuX6w7KYnk65p")
        so50.update(downlink_low=436800000, downlink_drift=None)
        transmitters.write_text(json.dumps(records))
        wait_for(lambda: downlink() == 436800000, timeout=10)
        [link] = client.get("/api/v1/satnogs/links", params={"spacecraft": "NORAD-27607"}).json()
        assert link["downlink_hz"] == 436800000 and link["downlink_drift_ppb"] is None
        client.app.state.service.set_clock(time_unix=parse_utc_s(job["start"]) + 120, paused=True)
        board = client.get("/api/v1/board").json()
        row = next(a for a in board["antennas"] if a["id"] == "SATNOGS-6")
        assert row["downlink_hz"] == 436800000 and row["downlink_received_hz"] > 436800000  # approaching

        transmitters.write_text("[{not json")
        wait_for(lambda: source()["last_error"], timeout=10)
        assert "transmitters.json" in source()["last_error"] and downlink() == 436800000, "the links in force stay"

        so50.update(downlink_low=436805000)
        transmitters.write_text(json.dumps(records))
        wait_for(lambda: downlink() == 436805000, timeout=10)
        assert source()["last_error"] is None


def parse_utc_s(text: str) -> float:
    from groundnet.timebase import parse_utc

    return parse_utc(text).timestamp()
