"""Property: whatever a client sends, the API answers 2xx or 4xx with a message, and keeps serving."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, Phase, given, settings
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


# ---------------------------------------------------------------- every operation of /openapi.json, fuzzed

import pytest  # noqa: E402
import schemathesis  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.generation.modes import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import response_schema_conformance  # noqa: E402

from groundnet.api.app import create_app  # noqa: E402
from groundnet.api.settings import Settings  # noqa: E402
from groundnet.store import repo  # noqa: E402

from .conftest import T0_ISO, Served  # noqa: E402


@pytest.fixture(scope="module")
def served_api(tmp_path_factory, small_fleet):
    """One real server for the whole fuzz run, with a token for the writes."""
    db = tmp_path_factory.mktemp("fuzz") / "groundnet.sqlite"
    app = create_app(Settings(database=f"sqlite:///{db}", clock=T0_ISO, plan_ahead_h=3, plan_behind_h=1),
                     fleet=small_fleet)
    with Served(app) as served:
        with app.state.service.store.session() as s:
            served.auth = {"Authorization": f"Bearer {repo.create_token(s, 'fuzz', 0.0)}"}
        yield served


@schemathesis.serializer("application/toml")
def _toml_text(ctx, value) -> dict:
    """The launch-analysis body is TOML text: whatever was generated goes as UTF-8 (mostly not TOML at all)."""
    return {"data": (value if isinstance(value, str) else json.dumps(value)).encode("utf-8", "surrogatepass")}


# The SSE stream never ends (its own tests read it); every other operation is fuzzed, with a token.
UNBOUNDED = {("GET", "/api/v1/live/sse")}


def test_no_operation_answers_5xx(served_api):
    """Whatever a client sends, within /openapi.json or just outside it, the answer is 2xx or 4xx and matches
    the schema declared for it."""
    api = schemathesis.openapi.from_url(f"{served_api.base}/openapi.json")
    fuzzed = []
    for result in api.get_all_operations():
        op = result.ok()
        if (op.method.upper(), op.path) in UNBOUNDED:
            continue
        fuzzed.append(op.label)

        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck),
                  phases=[Phase.explicit, Phase.generate], database=None)
        @given(case=st.one_of(op.as_strategy(GenerationMode.POSITIVE), op.as_strategy(GenerationMode.NEGATIVE)))
        def check(case):
            case.call_and_validate(base_url=served_api.base, headers=served_api.auth, timeout=60,
                                   checks=[not_a_server_error, response_schema_conformance])

        check()
    assert len(fuzzed) >= 21, fuzzed
