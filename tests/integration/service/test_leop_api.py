"""Launch support over the REST API: bundled scenarios, scenarios posted as TOML, clear 422s."""

from __future__ import annotations

import pytest

from groundnet.leop import bundled_scenarios

from .test_api import make_client


def _exomars_text(samples: int) -> str:
    text = bundled_scenarios()["exomars_2016"].read_text(encoding="utf-8")
    return text.replace("samples = 100", f"samples = {samples}")


def test_leop_endpoints(sqlite_url, small_fleet):
    with make_client(sqlite_url, small_fleet) as client:
        names = {s["name"] for s in client.get("/api/v1/leop/scenarios").json()}
        assert names == {"galileo_vs15", "exomars_2016"}
        assert client.get("/api/v1/leop/scenarios/apollo11").status_code == 404

        r = client.post("/api/v1/leop", content=_exomars_text(6), headers={"Content-Type": "application/toml"})
        assert r.status_code == 200, r.text
        launch = r.json()["launches"][0]
        assert launch["first_station"] == "MLI" and launch["dispersion"]["samples"] == 6
        assert r.json()["scenario"]["downlink_band"] == "X", "8.41 GHz, named by groundnet.missions.band_of"
        assert launch["timeline"][0]["event"] == "liftoff"
        assert "ground_track" not in launch

        r = client.post("/api/v1/leop?ground_track=true", content=_exomars_text(2), headers={"Content-Type": "application/toml"})
        assert r.status_code == 200, r.text
        assert r.json()["launches"][0]["ground_track"]["points"][0]["time"] == r.json()["launches"][0]["separation"]

        bad = client.post("/api/v1/leop", content=_exomars_text(6).replace("inclination_deg = 51.5", "inclination_deg = 251.5"))
        assert bad.status_code == 422 and "[injection] inclination_deg" in bad.json()["detail"]
        files = client.post("/api/v1/leop", content=_exomars_text(6).replace("[stations]\n", '[stations]\nfile = "/etc/passwd"\n'))
        assert files.status_code == 422 and "cannot name files on the server" in files.json()["detail"]
        assert client.post("/api/v1/leop", content=b"\xff\xfe").status_code == 422

        spec = client.get("/openapi.json").json()
        ops = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
        assert {"list_leop_scenarios", "get_leop_scenario", "analyse_leop"} <= ops


def test_bundled_scenario_report(sqlite_url, small_fleet):
    with make_client(sqlite_url, small_fleet) as client:
        r = client.get("/api/v1/leop/scenarios/galileo_vs15")
        assert r.status_code == 200, r.text
        doc = r.json()
        launch = doc["launches"][0]
        assert launch["first_station"] == "NNO-1"
        assert "ground_track" not in launch, "the ground track only when asked"
        # where the board draws the stations and the pad
        stations = {s["id"]: s for s in client.get("/api/v1/stations").json()}
        for a in doc["scenario"]["antennas"]:
            assert (a["latitude_deg"], a["longitude_deg"]) == (stations[a["id"]]["latitude_deg"], stations[a["id"]]["longitude_deg"])
        assert [a["id"] for a in doc["scenario"]["antennas"]] == doc["scenario"]["stations"]
        assert doc["scenario"]["launch_site"]["latitude_deg"] == 5.3019
        assert doc["scenario"]["downlink_band"] == "S", "the 2.2 GHz TT&C carrier"

        track = client.get("/api/v1/leop/scenarios/galileo_vs15", params={"ground_track": "true"}).json()["launches"][0]["ground_track"]
        points = track["points"]
        assert points[0]["time"] == launch["separation"] and points[-1]["time"] == launch["coverage"]["end"]
        # a circular MEO at 23,522 km and 57.394 deg: the height stays near it, the latitude within the inclination
        assert all(23_400 < p["altitude_km"] < 23_650 for p in points)
        assert max(abs(p["latitude_deg"]) for p in points) == pytest.approx(57.4, abs=0.3)
