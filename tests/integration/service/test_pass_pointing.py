"""The sky plot's data: an antenna's look angles over a pass, with its horizon mask."""

from __future__ import annotations

from .conftest import T0_ISO
from .test_api import make_client


def test_pointing_over_a_pass_agrees_with_the_pass_search(database_url, small_fleet):
    with make_client(database_url, small_fleet) as client:
        passes = client.get("/api/v1/passes", params={"object": "ISS", "start": T0_ISO}).json()
        assert passes, "the ISS passes over some antenna within a day"
        p = max(passes, key=lambda x: x["max_elevation_deg"])
        answer = client.get("/api/v1/spacecraft/ISS/pointing",
                            params={"station": p["station_id"], "start": p["aos"], "end": p["los"], "points": 400})
        assert answer.status_code == 200, answer.text
        sky = answer.json()
        assert sky["station_id"] == p["station_id"] and len(sky["times"]) == len(sky["elevation_deg"]) == 400
        assert len(sky["floor_deg"]) == 180 and min(sky["floor_deg"]) >= sky["min_elevation_deg"]
        el = sky["elevation_deg"]
        # The pass search's own numbers: rises to the usable elevation, culminates at max_elevation_deg.
        assert abs(max(el) - p["max_elevation_deg"]) < 0.1
        floor_at = lambda az: sky["floor_deg"][int(az % 360 // 2)]  # noqa: E731
        assert abs(el[0] - floor_at(sky["azimuth_deg"][0])) < 0.5
        assert abs(el[-1] - floor_at(sky["azimuth_deg"][-1])) < 0.5
        assert all(0 <= az < 360 for az in sky["azimuth_deg"])


def test_pointing_refuses_what_it_cannot_answer(database_url, small_fleet):
    with make_client(database_url, small_fleet) as client:
        base = "/api/v1/spacecraft/ISS/pointing"
        window = {"start": T0_ISO, "end": "2026-08-23T13:00:00Z"}
        assert client.get(base, params={"station": "NOPE", **window}).status_code == 404
        assert client.get("/api/v1/spacecraft/NOPE/pointing", params={"station": "KIR-1", **window}).status_code == 404
        backwards = {"station": "KIR-1", "start": window["end"], "end": window["start"]}
        assert client.get(base, params=backwards).status_code == 422
        assert client.get(base, params={"station": "KIR-1", **window, "points": 10**6}).status_code == 422
