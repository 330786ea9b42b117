"""The SatNOGS Network API a SatNOGS client speaks, served by groundnet: jobs, and uploads of recordings."""

from __future__ import annotations

import json
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
