"""The partner feeds (DSN Now, CCSDS Simple Schedule) go through the bounded reader: a feed that never ends stops
at the limit."""

from __future__ import annotations

import resource

import pytest

from groundnet.errors import FeedError
from groundnet.live.dsn_now import FEED_LIMIT_BYTES, load_dsn_feed
from groundnet.live.partner_ssf import MAX_SSF_BYTES, load_partner_ssf
from groundnet.stations import load_network

from .server import gzip_bomb


def test_a_feed_that_streams_forever_stops_at_the_limit(loopback):
    loopback.route("/dsn.xml", behaviour="forever")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(FeedError) as err:
        load_dsn_feed(f"{loopback.url}/dsn.xml", timeout_s=5)
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert f"{FEED_LIMIT_BYTES:,} byte limit" in str(err.value) and "\n" not in str(err.value)
    assert grown_kib < 64 * 1024  # the reader held at most the limit, not the stream


def test_a_compressed_bomb_stops_at_the_limit(loopback):
    gzip_bomb()
    loopback.route("/dsn.xml", behaviour="gzip-bomb")
    with pytest.raises(FeedError, match="after decompression"):
        load_dsn_feed(f"{loopback.url}/dsn.xml", timeout_s=5)


def test_the_real_feed_still_reads_compressed(loopback, shared_data):
    loopback.route("/dsn.xml", (shared_data / "feeds" / "dsn_now_2022-12-07.xml").read_bytes(), behaviour="gzip")
    feed = load_dsn_feed(f"{loopback.url}/dsn.xml")
    assert feed["time"] == "2022-12-07T13:18:53.000Z" and any(a["id"] == "DSS43" for a in feed["antennas"])


@pytest.mark.parametrize("route, words", [
    (dict(status=503, body="busy"), "server error (HTTP 503)"),
    (dict(behaviour="truncate", body="<dsn><station name='x'/>"), "cut short"),
])
def test_bad_feed_answers_are_one_line(loopback, route, words):
    body = route.pop("body")
    loopback.route("/dsn.xml", body, **route)
    with pytest.raises(FeedError, match=words.replace("(", r"\(").replace(")", r"\)")):
        load_dsn_feed(f"{loopback.url}/dsn.xml", timeout_s=5)


def test_a_feed_file_is_read_bounded(tmp_path):
    with pytest.raises(FeedError, match="not a regular file"):
        load_dsn_feed("/dev/zero")
    with pytest.raises(FeedError, match="file not found"):
        load_dsn_feed(str(tmp_path / "none.xml"))


def test_a_partner_schedule_that_streams_forever_stops_at_the_limit(loopback):
    """`serve --partner-ssf URL` polls the URL: an endless or inflating answer stops at 20 MB, one line."""
    loopback.route("/ssf.xml", behaviour="forever")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(FeedError) as err:
        load_partner_ssf(f"{loopback.url}/ssf.xml", load_network(), timeout_s=5)
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert f"{MAX_SSF_BYTES:,} byte limit" in str(err.value) and "\n" not in str(err.value)
    assert grown_kib < 96 * 1024  # at most the limit held, not the stream
    gzip_bomb()
    loopback.route("/ssf.xml", behaviour="gzip-bomb")
    with pytest.raises(FeedError, match="after decompression"):
        load_partner_ssf(f"{loopback.url}/ssf.xml", load_network(), timeout_s=5)
    loopback.route("/ssf.xml", "busy", status=503)
    with pytest.raises(FeedError, match=r"server error \(HTTP 503\)"):
        load_partner_ssf(f"{loopback.url}/ssf.xml", load_network(), timeout_s=5)
