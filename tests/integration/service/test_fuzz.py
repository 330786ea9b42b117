"""Property: whatever a client sends, the API answers 2xx or 4xx with a message, and keeps serving."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_api import make_client, token

KEYS = ["event_id", "antenna_id", "kind", "time", "spacecraft_id", "detail", "extra"]
VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40),
                   st.sampled_from(["aos", "los", "KIR-1", "ISS", "2026-08-23T10:00:00Z", "outage_start", ""]),
                   st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=3))
BODIES = st.one_of(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=7), VALUES)


def test_random_event_bodies_never_break_the_server(sqlite_url, small_fleet):
    with make_client(sqlite_url, small_fleet) as client:
        auth = token(client)

        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
        @given(body=BODIES, raw=st.binary(max_size=64))
        def check(body, raw):
            r = client.post("/api/v1/events", content=json.dumps(body, allow_nan=True).encode(),
                            headers={**auth, "content-type": "application/json"})
            assert r.status_code in (200, 201, 401, 413, 422), r.text
            assert r.status_code < 300 or r.json()["detail"]
            r = client.post("/api/v1/events", content=raw, headers={**auth, "content-type": "application/json"})
            assert 400 <= r.status_code < 500 and r.json()["detail"]
            r = client.get("/api/v1/board", params={"at": body if isinstance(body, str) else "x"})
            assert r.status_code in (200, 422)

        check()
        assert client.get("/api/v1/clock").status_code == 200
