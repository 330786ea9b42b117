"""The bounded reader on its own: what other parts of groundnet (the station agent, feeds) rely on."""

from __future__ import annotations

import io
import json

import pytest

from groundnet.errors import SourceError
from groundnet.sources.http import read_bounded, retry_after_s


def test_post_json_and_read_into_memory(loopback):
    loopback.route("/api/v1/events", b'{"id": 7}', status=201, headers={"Content-Type": "application/json"})
    answer = read_bounded(f"{loopback.url}/api/v1/events", source="server", limit_bytes=1024, method="POST",
                          json={"event_id": "e1", "kind": "aos"}, headers={"Authorization": "Bearer t"})
    assert answer.status == 201 and json.loads(answer.body) == {"id": 7} and answer.size_bytes == 9
    sent = loopback.requests[-1]
    assert json.loads(sent["body"]) == {"event_id": "e1", "kind": "aos"} and sent["headers"]["Authorization"] == "Bearer t"


def test_streamed_to_a_file_and_bounded_exactly(loopback):
    loopback.route("/x", b"a" * 1000)
    sink = io.BytesIO()
    assert read_bounded(f"{loopback.url}/x", source="s", limit_bytes=1000, to_file=sink).size_bytes == 1000
    assert sink.getvalue() == b"a" * 1000
    with pytest.raises(SourceError, match="announces 1,000 bytes, passes the 999 byte limit"):
        read_bounded(f"{loopback.url}/x", source="s", limit_bytes=999)


def test_credentials_in_a_url_are_never_shown(loopback):
    url = loopback.url.replace("http://", "http://user:secret@") + "/missing"
    with pytest.raises(SourceError) as err:
        read_bounded(url, source="s", limit_bytes=100)
    assert "secret" not in str(err.value) and "not found (HTTP 404)" in str(err.value)


def test_retry_after_forms():
    assert retry_after_s("120") == 120.0
    assert retry_after_s("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480.0 - 60) == pytest.approx(60.0)
    assert retry_after_s("soon") is None and retry_after_s(None) is None
